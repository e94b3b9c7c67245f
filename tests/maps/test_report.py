"""report_html / write_report: linked toponyms, maps, table, escaping, determinism."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from typing import Any

import pandas as pd
import pytest
from maps_testdata import (
    ARTICLE_A,
    HOSTILE,
    draw_data,
    make_articles,
    make_layers,
    make_theatre,
    mention,
    report_maps,
    report_places,
)

from frontmap import maps
from frontmap.errors import OutputError, RenderError
from frontmap.maps import render_theatre, report_html, write_report


class _Doc(HTMLParser):
    """Start tags with attributes, and the text inside each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    doc = _Doc()
    doc.feed(html)
    return doc.tags


def section(page: str, name: str) -> str:
    return page.split(f'<section id="fm-{name}">', 1)[1].split("</section>", 1)[0]


def marks(page: str) -> list[tuple[dict[str, str], str]]:
    """(attributes of the <a>, marked text) of every toponym in the article texts."""
    found = re.findall(r"<a ([^>]*)><mark>(.*?)</mark></a>", section(page, "articles"))
    return [(dict(re.findall(r'([\w-]+)="([^"]*)"', attrs)), text) for attrs, text in found]


def table(page: str) -> list[dict[str, Any]]:
    """The rows of the places table, decoded from the data the page builds it from."""
    match = re.search(
        r'<script type="application/json" id="fm-report-data">(.*?)</script>', page, re.S
    )
    assert match, "no table data"
    data = json.loads(match.group(1))
    strings = data["strings"]
    out = []
    for r in data["rows"]:
        out.append(
            dict(
                article=r[0],
                label=data["articles"][str(r[0])],
                name=r[1],
                kind=strings[r[2]],
                lat=r[3],
                lon=r[4],
                country=None if r[5] is None else strings[r[5]],
                theatre=None if r[6] is None else strings[r[6]],
                theatre_map=None
                if r[6] is None or str(r[6]) not in data["theatre_maps"]
                else data["maps"][data["theatre_maps"][str(r[6])]],
                zones=[strings[z] for z in r[7]],
                control=None if r[8] is None else strings[r[8]],
                front_km=r[9],
                target=None if r[10] is None else (data["maps"][r[10][0]], r[10][1]),
                marks=r[11],
                mentions=r[12],
            )
        )
    return out


@pytest.fixture(scope="module")
def report() -> tuple[str, list]:
    places = report_places()
    ms = report_maps(places)
    return report_html(make_articles(), places, ms), ms


def test_every_toponym_is_marked_and_linked_to_its_marker(report):
    page, (idlib, libya) = report
    found = marks(page)
    assert [t for _, t in found] == [
        "Saraqib",
        "Maarat al-Numan",
        "Saraqib",
        "Binnish",
        "Binnish",
        "Ankara",
        "Saraqib",
        "Tripoli",
    ]
    names = {
        m.get_name(): [r[3] for r in draw_data(maps.map_fragment(m))["places"]["rows"]]
        for m in (idlib, libya)
    }
    for attrs, text in found:
        if text == "Ankara":
            continue
        map_id, index = attrs["href"][1:], int(attrs["data-fm-i"])
        assert names[map_id][index] == text  # labels are the article's spelling
    assert found[-1][0]["href"] == "#" + libya.get_name()
    # The texts say which article they are; the page numbers their toponyms.
    assert re.findall(r'<div class="fm-text" data-fm-a="(\d+)">', page) == ["0", "1", "2"]


def test_place_outside_every_theatre_links_to_its_table_row(report):
    page, _ = report
    ankara = next(a for a, t in marks(page) if t == "Ankara")
    assert ankara == {"href": "#fm-p2-0"}  # row 0 of article 2, no marker
    rows = [r for r in table(page) if r["article"] == 2]
    assert rows[0]["name"] == "Ankara" and rows[0]["target"] is None
    assert rows[0]["theatre"] is None  # shown as "outside every theatre"


def test_table_has_one_row_per_place_per_article(report):
    page, (idlib, libya) = report
    rows = table(page)
    assert [(r["article"], r["name"]) for r in rows] == [
        (0, "Saraqib"),
        (0, "Ma'arrat an Nu'man"),
        (0, "Binnish"),
        (1, "Binnish"),
        (2, "Ankara"),
        (2, "Saraqib"),
        (2, "Tripoli"),
    ]
    saraqib = rows[0]
    assert saraqib["label"] == "Overnight shelling near Saraqib · 2020-02-05"
    assert saraqib["target"] == (idlib.get_name(), 0)
    assert (saraqib["kind"], saraqib["lat"], saraqib["lon"], saraqib["country"]) == (
        "populated place",
        35.8623,
        36.8047,
        "SY",
    )
    assert saraqib["theatre"] == "Idlib and northwest Syria"
    assert saraqib["theatre_map"] == idlib.get_name()
    assert saraqib["zones"] == ["De-escalation zone"]  # zone id resolved by the map's layers
    assert saraqib["control"] == "Syrian government and allies"
    assert saraqib["front_km"] == 3.2
    assert saraqib["mentions"] == 2 and saraqib["marks"] == [0, 2]  # both linked back
    tripoli = rows[6]
    assert tripoli["theatre"] == "Libya" and tripoli["target"] == (libya.get_name(), 0)
    assert tripoli["control"] == "Government of National Accord" and tripoli["front_km"] == 35.0
    assert rows[2]["front_km"] is None  # no front distance given
    assert '<div id="fm-tables"></div><noscript>' in section(page, "places")


def test_maps_are_fragments_with_the_assets_once(report):
    page, (idlib, libya) = report
    assert page.count("if (!window.L) {") == 1
    assert page.count("if (!(window.L && L.MarkerClusterGroup)) {") == 1
    assert page.count("window.frontmap = {draw: draw") == 1
    assert page.count("frontmap.mount(") == 2
    for m in (idlib, libya):
        assert page.count(f'id="{m.get_name()}"') == 1
    # Leaflet, markercluster, frontmap, two maps, the table's data and script.
    assert page.count("<script") == page.count("</script>") == 7
    assert "<h3>Idlib and northwest Syria — as of 2020-02-21</h3>" in page
    assert "<h3>Libya — as of 2020-02-21</h3>" in page


def test_same_input_gives_identical_bytes():
    def build() -> bytes:
        places = report_places()
        return report_html(make_articles(), places, report_maps(places)).encode()

    assert build() == build()


def test_hostile_text_is_escaped_everywhere():
    text = f"Fighting in Saraqib {HOSTILE[0]} and {HOSTILE[1]} near Binnish ({HOSTILE[2]})."
    articles = [
        dict(id=HOSTILE[0], text=text, title=HOSTILE[1], date="2020-02-05", url=HOSTILE[2]),
        dict(id="x", text=HOSTILE[0], title=None, date=None, url="javascript:alert(3)"),
    ]
    rows = [
        mention(text, "Saraqib", HOSTILE[1], 35.86, 36.8, article=HOSTILE[0], gid="1"),
        mention(text, HOSTILE[1], HOSTILE[0], 35.9, 36.7, article=HOSTILE[0], kind=HOSTILE[1]),
        mention(
            text,
            "Binnish",
            "Binnish",
            35.96,
            36.71,
            article=HOSTILE[0],
            theatre=None,
            control=HOSTILE[0],
            zones=[HOSTILE[1]],
        ),
        mention(HOSTILE[0], "script", "script", 36.0, 36.5, article="x", gid="2"),
    ]
    places = pd.DataFrame(rows)
    m = render_theatre(make_theatre(), places[places["theatre"] == "idlib"], make_layers())
    page = report_html(articles, places, [m], title=HOSTILE[0])
    assert "<img" not in page and "alert(1)</script>" not in page
    assert page.count("<script") == page.count("</script>") == 6
    texts = section(page, "articles")
    allowed = {"article", "h2", "h3", "p", "div", "a", "mark"}
    for tag, attrs in tags_of(texts):
        assert tag in allowed, tag
        assert not any(k.startswith("on") for k in attrs), attrs
        if tag == "a":
            assert attrs["href"].startswith(("#", "http://", "https://")), attrs
    # Every hostile string is there, as text.
    plain = re.sub(r"<[^>]*>", "", texts)
    for hostile in HOSTILE:
        assert hostile.replace("<", "&lt;").replace(">", "&gt;") in plain
    # The hostile toponym itself is marked and linked to its marker.
    found = marks(page)
    assert [t for _, t in found] == [
        "Saraqib",
        "&lt;img src=x onerror=alert(1)&gt;",
        "Binnish",
        "script",
    ]
    assert found[1][0]["href"] == "#" + m.get_name()
    assert f"<title>{HOSTILE[0].replace('<', '&lt;').replace('>', '&gt;')}</title>" in page
    # The table's data keeps the text as text (the page sets it with textContent).
    rows = table(page)
    assert [r["name"] for r in rows] == [HOSTILE[1], HOSTILE[0], "Binnish", "script"]
    assert rows[1]["kind"] == HOSTILE[1].replace("_", " ")
    assert rows[2]["control"] == HOSTILE[0] and rows[2]["zones"] == [HOSTILE[1]]
    assert rows[0]["label"] == HOSTILE[1] + " · 2020-02-05"
    script = page.split('id="fm-report-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script


def test_mentions_with_bad_offsets_or_overlaps_are_listed_but_not_marked():
    rows = [
        mention(ARTICLE_A, "Saraqib", "Saraqib", 35.86, 36.8, gid="1"),
        mention(ARTICLE_A, "Maarat al-Numan", "Maarat al-Numan", 35.64, 36.67, gid="2"),
        mention(ARTICLE_A, "Maarat", "Maarat", 35.64, 36.67, gid="3"),  # inside the one above
        mention(ARTICLE_A, "Binnish", "Binnish", 35.96, 36.71, gid="4"),
        mention(ARTICLE_A, "Binnish", "Binnish", None, None),  # no coordinates
    ]
    rows[3]["start"] += 1  # offsets no longer match the surface
    rows[3]["end"] += 1
    places = pd.DataFrame(rows)
    m = render_theatre(make_theatre(), places, None)
    page = report_html(make_articles()[:1], places, [m])
    assert [t for _, t in marks(page)] == ["Saraqib", "Maarat al-Numan", "Binnish"]
    rows = table(page)
    assert [r["name"] for r in rows] == [
        "Saraqib",
        "Maarat al-Numan",
        "Maarat",
        "Binnish",
        "Binnish",
    ]
    assert rows[2]["target"] is not None and rows[2]["marks"] == []  # on the map, not in text
    assert rows[3]["marks"] == [] and rows[3]["mentions"] == 1  # offsets off by one
    # The mention without coordinates is on no map: linked to its row.
    assert marks(page)[2][0] == {"href": "#fm-p0-4"}
    assert rows[4]["lat"] is None and rows[4]["target"] is None


def test_articles_from_objects_dataframes_and_without_text():
    from frontmap.geo.articles import Article

    places = report_places()
    ms = report_maps(places)
    articles = make_articles()
    as_objects = [Article(id=a["id"], text=a["text"], title=a["title"]) for a in articles]
    page = report_html(as_objects, places, ms)
    assert len(marks(page)) == 8
    frame = pd.DataFrame(articles).rename(columns={"id": "article_id"})
    assert len(marks(report_html(frame, places, ms))) == 8
    # Articles known only from the places are listed, without text.
    page = report_html([], places, ms)
    assert page.count("(text not given)") == 3 and marks(page) == []
    assert len(table(page)) == 7


def test_no_maps_and_no_places():
    page = report_html(make_articles()[:1], pd.DataFrame(), [])
    assert 'id="fm-maps"' not in page and "<script" not in page
    assert "No place was named." in page
    assert "Shelling hit the outskirts of Saraqib" in page


def test_maps_must_be_frontmap_maps_with_distinct_ids():
    import folium

    places = report_places()
    idlib = places[places["theatre"] == "idlib"]
    a = render_theatre(make_theatre(), idlib, None)
    b = render_theatre(make_theatre(), idlib, None)
    with pytest.raises(RenderError, match="map_id"):
        report_html(make_articles(), places, [a, b])
    c = render_theatre(make_theatre(), idlib, None, map_id="second")
    assert "map_second_0" in report_html(make_articles(), places, [a, c])
    with pytest.raises(RenderError):
        report_html(make_articles(), places, [folium.Map()])


def test_write_report(tmp_path, report):
    places = report_places()
    target = tmp_path / "report.html"
    write_report(target, make_articles(), places, report_maps(places), title="R")
    assert target.read_text(encoding="utf-8") == report_html(
        make_articles(), places, report_maps(places), title="R"
    )
    assert os.listdir(tmp_path) == ["report.html"]
    with pytest.raises(OutputError):
        write_report(tmp_path / "missing" / "r.html", make_articles(), places, [])


def test_public_surface():
    assert {"report_html", "write_report"} <= set(maps.__all__)
