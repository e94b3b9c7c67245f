"""index.py: the index page of a folder of maps (write_index)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from maps_testdata import HOSTILE, hostile_places, make_theatre

from frontmap.errors import InputError, OutputError
from frontmap.maps import write_index


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


def test_index_checks_the_outside_rows(tmp_path):
    target = tmp_path / "index.html"
    with pytest.raises(InputError, match="outside: no 'lat' or 'lon' column"):
        write_index(target, [], pd.DataFrame([{"name": "Ankara"}]))
    # An empty frame is empty whatever its columns (the CLI's when no place is named).
    write_index(target, [], pd.DataFrame(columns=["theatre", "date"]), None)
    assert "<p>None.</p>" in target.read_text(encoding="utf-8")


def test_index_refuses_bad_article_dates_and_unwritable_targets(tmp_path):
    with pytest.raises(InputError, match="date: 'soon'"):
        write_index(tmp_path / "index.html", [], None, [{"id": "a", "date": "soon"}])
    with pytest.raises(OutputError):
        write_index(tmp_path / "missing" / "index.html", [], None, None)
    assert list(tmp_path.iterdir()) == []


def test_index_template_syntax_is_text(tmp_path):
    target = tmp_path / "index.html"
    articles = [{"id": "a", "title": "{{ 7*7 }} {% raw %}", "url": "https://e.org/{{x}}"}]
    write_index(target, [(make_theatre(title="{# t #}"), "a.html", 1)], None, articles)
    page = target.read_text(encoding="utf-8")
    assert "{{ 7*7 }} {% raw %}" in page and "{# t #}" in page and "49" not in page
