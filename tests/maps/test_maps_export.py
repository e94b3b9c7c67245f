"""write_map, write_index, fragments and iframes."""

from __future__ import annotations

import html
import os
import re

import pandas as pd
import pytest
from maps_testdata import HOSTILE, draw_data, hostile_places, make_places, make_theatre

from frontmap.errors import OutputError, RenderError
from frontmap.maps import (
    export_static,
    map_fragment,
    map_html,
    map_iframe,
    render_theatre,
    write_index,
    write_map,
)


def test_write_map_writes_the_page_atomically(tmp_path, theatre, places, layers_gdf):
    m = render_theatre(theatre, places, layers_gdf)
    target = tmp_path / "idlib.html"
    write_map(m, target)
    assert target.read_text(encoding="utf-8") == map_html(m)
    assert os.listdir(tmp_path) == ["idlib.html"]  # no temporary file left
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    with pytest.raises(OutputError):
        write_map(m, tmp_path / "missing" / "x.html")


def test_fragment_has_no_page_styles_and_unique_ids(theatre, places, layers_gdf):
    a = render_theatre(theatre, places, layers_gdf)
    b = render_theatre(theatre, places.iloc[:1], layers_gdf)
    fa, fb = map_fragment(a), map_fragment(b, include_assets=False)
    assert "<html" not in fa and "<body" not in fa and "html, body" not in fa
    assert "if (!window.L) {" in fa
    assert "L.markerClusterGroup" in fa and "L.markerClusterGroup" not in fb
    ids_a = set(re.findall(r'id="([^"]+)"', fa))
    ids_b = set(re.findall(r'id="([^"]+)"', fb))
    assert ids_a and ids_b and not ids_a & ids_b
    vars_a = set(re.findall(r"var (\w+) =", fa.split("frontmap_js", 1)[-1]))
    # Every top-level name a fragment declares carries its map's key.
    key_a = a.get_name().split("_")[1]
    assert all(
        key_a in v for v in re.findall(r"^\s*var (\w+) = ", fa.rsplit("<script>", 1)[1], re.M)
    )
    assert vars_a
    # Styles are scoped to the map element.
    css = re.search(r"<style>\s*(#map_[^<]*)</style>", fa).group(1)
    selectors = [s for s in re.findall(r"([^{}]+)\{", css)]
    assert all(sel.strip().startswith("#" + a.get_name()) for sel in ",".join(selectors).split(","))
    assert map_fragment(a) == fa


def test_iframe_srcdoc_is_escaped(theatre, layers_gdf):
    m = render_theatre(theatre, hostile_places(), layers_gdf)
    frame = map_iframe(m, height="400px")
    assert frame.startswith("<iframe ") and frame.endswith("></iframe>")
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert "<" not in srcdoc and '"' not in srcdoc
    assert html.unescape(srcdoc) == map_html(m)
    assert 'sandbox="allow-scripts' in frame
    assert "allow-same-origin" not in frame


def test_index_lists_maps_outside_places_and_articles(tmp_path, theatre):
    outside = pd.DataFrame(
        [
            dict(
                name="Ankara",
                lat=39.92,
                lon=32.85,
                country="TR",
                kind="populated_place",
                gazetteer_id="323786",
                article_id="a1",
                article_title="Overnight shelling near Saraqib",
            ),
            dict(
                name="Ankara",
                lat=39.92,
                lon=32.85,
                country="TR",
                kind="populated_place",
                gazetteer_id="323786",
                article_id="b2",
                article_title="Talks continue",
            ),
            dict(
                name="Moscow",
                lat=55.75,
                lon=37.62,
                country="RU",
                kind="populated_place",
                gazetteer_id="524901",
                article_id="b2",
                article_title="Talks continue",
            ),
        ]
    )
    articles = [
        {
            "article_id": "a1",
            "title": "Overnight shelling near Saraqib",
            "date": "2020-02-05",
            "url": "https://example.org/a1",
        },
        {"article_id": "b2", "title": "Talks continue", "date": "2020-02-20", "url": None},
    ]
    target = tmp_path / "index.html"
    write_index(target, [(theatre, "idlib.html", 3)], outside, articles)
    page = target.read_text(encoding="utf-8")
    assert '<a href="idlib.html">Idlib and northwest Syria</a> — 3 places' in page
    assert '<a href="https://example.org/a1" target="_blank" rel="noopener noreferrer">' in page
    assert re.search(
        r"<td>Ankara</td><td>TR</td><td>populated place</td><td class=\"n\">2</td>"
        r"<td>Overnight shelling near Saraqib<br>Talks continue</td>",
        page,
    )
    assert "<td>Moscow</td>" in page
    assert "GeoNames (CC BY 4.0)" in page and "Natural Earth" in page


def test_index_escapes_everything(tmp_path):
    theatre = make_theatre(title=HOSTILE[1])
    outside = hostile_places()
    articles = pd.DataFrame(
        [
            {
                "article_id": "a1",
                "article_title": HOSTILE[0],
                "article_date": "2020-01-01",
                "article_url": HOSTILE[2],
            }
        ]
    )
    target = tmp_path / "index.html"
    write_index(target, [(theatre, 'x" onclick="alert(1).html', 1)], outside, articles)
    page = target.read_text(encoding="utf-8")
    assert "<img" not in page and "<script>" not in page and "alert(1)</script>" not in page
    assert "javascript:" not in re.sub(r">[^<]*<", "><", page)  # never inside a tag
    assert 'href="x%22%20onclick%3D%22alert%281%29.html"' in page


def test_index_without_maps_or_outside_places(tmp_path):
    target = tmp_path / "index.html"
    write_index(target, [], pd.DataFrame(), None)
    page = target.read_text(encoding="utf-8")
    assert "No place named in the articles lies in a theatre." in page and "None." in page


def test_map_draw_data_round_trips(theatre):
    data = draw_data(map_html(render_theatre(theatre, make_places(), None)))
    assert data["articles"] == [
        {
            "date": "2020-02-05",
            "label": "Overnight shelling near Saraqib",
            "url": "https://example.org/a1",
        },
        {"date": "2020-02-20", "label": "Talks continue", "url": None},
    ]


# --------------------------------------------------------------------------- static


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_static_export_is_deterministic(tmp_path, theatre, places, layers_gdf, fmt, magic):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export_static(theatre, places, layers_gdf, first, dpi=40, width_in=5)
    export_static(theatre, places, layers_gdf, second, fmt, dpi=40, width_in=5)
    data = first.read_bytes()
    assert data.startswith(magic)
    assert data == second.read_bytes()


def test_static_svg_has_legend_attribution_and_escaped_text(tmp_path, theatre, layers_gdf):
    import xml.etree.ElementTree as ET

    frame = hostile_places()
    frame.loc[0, "name"] = "Price $5 and $x^2$ <b>"
    target = tmp_path / "map.svg"
    export_static(theatre, frame, layers_gdf, target, title=HOSTILE[0], as_of="2020-02-05")
    text = target.read_text(encoding="utf-8")
    root = ET.fromstring(text)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{ns}script")) and not list(root.iter(f"{ns}foreignObject"))
    words = " ".join("".join(t.itertext()) for t in root.iter(f"{ns}text"))
    assert HOSTILE[0] in words and "Price $5 and $x^2$ <b>" in words
    for needle in (
        "As of 2020-02-05",
        "GeoNames (CC BY 4.0)",
        "Natural Earth",
        "Test source B",
        "Front lines",
        "Syrian government and allies",
        "km",
    ):
        assert needle in words, needle


def test_static_export_rejects_unknown_format(tmp_path, theatre, places):
    with pytest.raises(RenderError):
        export_static(theatre, places, None, tmp_path / "map.gif")
    assert list(tmp_path.iterdir()) == []
