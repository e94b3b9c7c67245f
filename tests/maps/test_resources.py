"""_resources.py: package files (static JS/CSS, templates) and the autoescaping templates."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from maps_testdata import HOSTILE
from markupsafe import Markup

from frontmap.maps._resources import render_template, static_text, template_module

MAPS = Path(__file__).resolve().parents[2] / "maps"
ESCAPED = [h.replace("<", "&lt;").replace(">", "&gt;") for h in HOSTILE]


def test_static_files_are_read_whole():
    js = static_text("client.js")
    assert js.startswith("/*\n * frontmap's page script") and js.endswith("})();\n")
    assert ".frontmap " in static_text("map.css") and "SEA" in static_text("map.css")
    for name in ("report.js", "report.css", "index.css", "page.css"):
        assert static_text(name).endswith("\n")
    assert static_text("client.js") is js  # read once


def test_package_data_ships_every_static_file_and_template():
    config = tomllib.loads((MAPS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["frontmap.maps"]
    shipped = [p for p in MAPS.rglob("*") if p.parent.name in ("static", "templates")]
    assert len(shipped) >= 10
    for path in shipped:
        relative = path.relative_to(MAPS).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_values_are_escaped_with_the_pages_entities():
    page = render_template(
        "index.html",
        title=HOSTILE[0] + ' it\'s "quoted" & {{ 7*7 }}',
        css="",
        geonames="G",
        natural_earth="N",
        maps=[],
        articles=[],
        outside=[],
    )
    assert f"<title>{ESCAPED[0]} it&#x27;s &quot;quoted&quot; &amp; {{{{ 7*7 }}}}</title>" in page
    assert "<script>" not in page and "49" not in page  # text is never a template


def test_control_characters_and_lone_surrogates_never_reach_a_page():
    title = template_module("map.html").title("a\x00b\x1b\ud800", None, 1, 0)
    assert "a" + "b?" in title and "\x00" not in title and "\x1b" not in title
    title.encode("utf-8")  # no lone surrogate left


def test_markup_passes_and_join_escapes_each_item():
    parts = template_module("map.html").attribution([HOSTILE[1], "it's", Markup("<b>ok</b>")])
    assert parts == (
        f"<details open><summary>Credits</summary> {ESCAPED[1]} | it&#x27;s | <b>ok</b></details>"
    )


@pytest.mark.parametrize(
    "macro, args",
    [
        ("title", (HOSTILE[0], HOSTILE[1], 2, 1)),
        ("filter", ([(0, HOSTILE[0]), (1, HOSTILE[1])], True)),
        ("layer_tip", (HOSTILE[0], HOSTILE[1], HOSTILE[2], (HOSTILE[0], None), "1", HOSTILE[1])),
        ("legend", ([], [HOSTILE[0], HOSTILE[2], "https://example.org/?a=<b>"])),
    ],
)
def test_map_pieces_escape_hostile_text(macro, args):
    html = str(getattr(template_module("map.html"), macro)(*args))
    assert "<script" not in html and "<img" not in html
    assert ESCAPED[0] in html or ESCAPED[1] in html
    assert 'href="javascript' not in html


def test_links_only_for_http_urls():
    legend = template_module("map.html").legend(
        [], ["javascript:alert(1)", "https://e.org/?a=1&b=2"]
    )
    assert "<li>javascript:alert(1)</li>" in legend
    assert (
        '<li><a href="https://e.org/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">'
        "https://e.org/?a=1&amp;b=2</a></li>"
    ) in legend
