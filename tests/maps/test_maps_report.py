"""report_html / write_report: linked toponyms, maps, table, escaping, determinism."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

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

import maps
from geo.errors import RenderError
from maps import render_theatre, report_html, write_report


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
    expected = {"Saraqib": "Saraqib", "Maarat al-Numan": "Ma'arrat an Nu'man"}
    for attrs, text in found:
        if text == "Ankara":
            continue
        map_id, index = attrs["data-fm-map"], int(attrs["data-fm-i"])
        assert attrs["href"] == "#" + map_id
        assert names[map_id][index] == expected.get(text, text).replace("'", "&#x27;")
    assert found[-1][0]["data-fm-map"] == libya.get_name()
    ids = [a["id"] for a, _ in found]
    assert len(set(ids)) == len(ids)


def test_place_outside_every_theatre_links_to_its_table_row(report):
    page, _ = report
    ankara = next(a for a, t in marks(page) if t == "Ankara")
    assert "data-fm-map" not in ankara and ankara["class"] == "fm-out"
    row = ankara["href"][1:]
    assert re.search(rf'<tr id="{row}"><td>Ankara</td>', page)
    assert "outside every theatre" in page


def test_table_has_one_row_per_place_per_article(report):
    page, (idlib, _) = report
    table = section(page, "places")
    rows = re.findall(r'<tr id="(fm-p[^"]+)">(.*?)</tr>', table)
    assert len(rows) == 7  # a1: 3 places, b2: 1, c3: 3
    cells = {rid: re.findall(r"<td[^>]*>(.*?)</td>", body) for rid, body in rows}
    saraqib = cells["fm-p0-0"]
    assert "Saraqib" in saraqib[0] and idlib.get_name() in saraqib[0]
    assert saraqib[1:3] == ["populated place", "35.8623°N 36.8047°E · SY"]
    assert "Idlib and northwest Syria" in saraqib[3]
    assert saraqib[4] == "De-escalation zone"  # zone id resolved by the map's layers
    assert saraqib[5] == "Syrian government and allies"
    assert saraqib[6] == "3.2"
    assert saraqib[7].startswith("2 ")  # named twice in article a1, both linked back
    assert '<a href="#fm-t0-0">1</a><a href="#fm-t0-2">2</a>' in saraqib[7]
    tripoli = cells["fm-p2-2"]
    assert tripoli[3].endswith("Libya</a>")
    assert tripoli[5] == "Government of National Accord" and tripoli[6] == "35.0"
    binnish = cells["fm-p0-2"]
    assert binnish[6] == ""  # no front distance given
    # Rows are grouped under their article, which links to the text.
    assert table.count('<tr class="fm-art">') == 3
    assert '<a href="#fm-a2">Talks in Ankara · 2020-02-21</a>' in table


def test_maps_are_fragments_with_the_assets_once(report):
    page, (idlib, libya) = report
    assert page.count("if (!window.L) {") == 1
    assert page.count("if (!(window.L && L.MarkerClusterGroup)) {") == 1
    assert page.count("window.frontmap = {draw: draw") == 1
    assert page.count("frontmap.draw(") == 2
    for m in (idlib, libya):
        assert page.count(f'id="{m.get_name()}"') == 1
    assert page.count("<script>") == page.count("</script>") == 5
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
        dict(id=HOSTILE[0], text=text, title=HOSTILE[1], date=HOSTILE[0], url=HOSTILE[2]),
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
    assert page.count("<script>") == page.count("</script>") == 4
    outside_maps = section(page, "articles") + section(page, "places")
    allowed = {"article", "h3", "p", "div", "a", "mark", "table", "thead", "tbody", "tr", "th"}
    allowed |= {"td", "span", "br", "h2"}
    for tag, attrs in tags_of(outside_maps):
        assert tag in allowed, tag
        assert not any(k.startswith("on") for k in attrs), attrs
        if tag == "a":
            assert attrs["href"].startswith(("#", "http://", "https://")), attrs
    # Every hostile string is there, as text.
    texts = re.sub(r"<[^>]*>", "", outside_maps)
    for hostile in HOSTILE:
        assert hostile.replace("<", "&lt;").replace(">", "&gt;") in texts
    # The hostile toponym itself is marked and linked to its marker.
    found = marks(page)
    assert [t for _, t in found] == [
        "Saraqib",
        "&lt;img src=x onerror=alert(1)&gt;",
        "Binnish",
        "script",
    ]
    assert found[1][0]["data-fm-map"] == m.get_name()
    assert f"<title>{HOSTILE[0].replace('<', '&lt;').replace('>', '&gt;')}</title>" in page


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
    table = section(page, "places")
    assert len(re.findall(r'<tr id="fm-p', table)) == 5
    assert '<tr id="fm-p0-2"><td><a class="fm-tp"' in table  # Maarat: on the map, not in text
    assert "<span" not in re.search(r'<tr id="fm-p0-2">.*?</tr>', table).group(0)
    # The mention without coordinates is on no map: linked to its row.
    no_coords = marks(page)[2][0]
    assert no_coords["class"] == "fm-out" and no_coords["href"] == "#fm-p0-4"


def test_articles_from_objects_dataframes_and_without_text():
    from geo.articles import Article

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
    assert len(re.findall(r'<tr id="fm-p', page)) == 7


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
    with pytest.raises(RenderError):
        write_report(tmp_path / "missing" / "r.html", make_articles(), places, [])


def test_public_surface():
    assert {"report_html", "write_report"} <= set(maps.__all__)
