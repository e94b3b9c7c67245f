"""The written maps in Debian's headless Chromium (Playwright; never a browser download).

Every request is routed: ``file:`` and ``data:`` go through and are recorded,
anything else is recorded and aborted. A map must draw with no request other
than its own file, no console error and no dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from maps_testdata import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HOSTILE,
    chromium_available,
    hostile_places,
    make_articles,
    make_layers,
    make_places,
    make_theatre,
    mention,
    report_maps,
    report_places,
)

from frontmap.maps import (
    map_fragment,
    map_iframe,
    place_count,
    render_theatre,
    write_map,
    write_report,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available(), reason=f"{CHROMIUM} is missing"),
]

playwright_api = pytest.importorskip("playwright.sync_api")


@dataclass
class Visit:
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def visit(browser) -> Iterator[Any]:
    pages = []

    def open_file(path: Path, ready: bool = True) -> Visit:
        page = browser.new_page(viewport={"width": 1100, "height": 750})
        pages.append(page)
        v = Visit(page, path.resolve().as_uri())

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("file:", "data:")):
                v.requests.append(url)
                r.continue_()
            else:
                v.blocked.append(url)
                r.abort()

        def on_dialog(d: Any) -> None:
            v.dialogs.append(d.message)
            d.dismiss()

        page.route("**/*", route)
        page.on("console", lambda m: v.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: v.errors.append(str(e)))
        page.on("dialog", on_dialog)
        page.goto(v.url)
        if ready:
            page.wait_for_selector("[data-frontmap-ready]", timeout=15_000)
        return v

    yield open_file
    for page in pages:
        page.close()


def assert_clean(v: Visit) -> None:
    assert v.blocked == []
    assert v.requests == [v.url]  # the page itself, nothing else
    assert v.errors == []
    assert v.dialogs == []


def test_map_draws_offline_with_one_marker_per_place(tmp_path, visit):
    theatre, places = make_theatre(), make_places()
    path = tmp_path / "idlib.html"
    write_map(render_theatre(theatre, places, make_layers(), cluster=False), path)
    v = visit(path)
    page = v.page
    assert page.locator(".leaflet-container .leaflet-map-pane .leaflet-overlay-pane").count() == 1
    assert page.locator(".leaflet-pane.leaflet-fm-places-pane").count() == 1
    assert page.locator("path.fm-place").count() == place_count(places, theatre) == 3
    # Layers, base map, labels and controls are there too.
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 6
    assert page.locator(".leaflet-fm-base-pane path").count() >= 2
    assert page.locator(".fm-town").count() == 30
    assert page.locator(".fm-site").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1
    assert "Idlib and northwest Syria" in page.locator(".fm-title").inner_text()
    assert "GeoNames (CC BY 4.0)" in page.locator(".leaflet-control-attribution").inner_text()
    # A popup opens with the quote and the marked name.
    page.locator("path.fm-place").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    # Built in the page from the data: name, kind, place, quotes with marks.
    assert popup.locator(".fm-h").inner_text() == "Saraqib populated place"
    assert popup.locator("mark").all_inner_texts() == ["Saraqib", "Saraqib"]
    lines = popup.locator(".fm-m, .fm-st, blockquote").all_inner_texts()
    assert lines == [
        "35.8623°N 36.8047°E · SY",
        "located as the place itself · score 0.87 · gazetteer id 163270",
        "named 2 times in 1 article",
        "Overnight shelling near Saraqib · 2020-02-05",
        "held by Syrian government and allies · 3.2 km from the nearest front line"
        " · in De-escalation zone",
        "Shelling hit the outskirts of Saraqib overnight, a monitor said.",
        "Columns moved north along the highway from Maarat al-Numan towards Saraqib.",
    ]
    href = popup.locator("a").evaluate_all("els => els.map(e => [e.href, e.target, e.rel])")
    assert href == [["https://example.org/a1", "_blank", "noopener noreferrer"]]
    assert_clean(v)


def test_hostile_text_renders_as_text(tmp_path, visit):
    path = tmp_path / "hostile.html"
    write_map(render_theatre(make_theatre(), hostile_places(), make_layers(), cluster=False), path)
    v = visit(path)
    page = v.page
    markers = page.locator("path.fm-place")
    assert markers.count() == 3
    texts = []
    for i in range(markers.count()):
        # A dispatched click reaches the marker even when another one or a
        # control overlaps it on screen (a real click would hit the top one).
        markers.nth(i).dispatch_event("click")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        texts.append(popup.inner_text())
        assert popup.locator("img, script, iframe, [onerror]").count() == 0
        for href in popup.locator("a").evaluate_all("els => els.map(e => e.href)"):
            assert href.startswith(("http://", "https://")), href
        page.locator(".leaflet-popup-close-button").dispatch_event("click")
        popup.wait_for(state="detached")
    joined = "\n".join(texts)
    for hostile in HOSTILE:
        assert hostile in joined  # shown literally
    tips = []
    for i in range(markers.count()):
        markers.nth(i).dispatch_event("mouseover")
        tips += page.locator(".leaflet-tooltip").all_inner_texts()
        markers.nth(i).dispatch_event("mouseout")
    assert HOSTILE[0] in tips and HOSTILE[1] in tips
    page.wait_for_timeout(100)
    assert page.locator("img[src='x'], img[onerror]").count() == 0
    # The page's own scripts only: Leaflet, markercluster, frontmap, the map.
    assert page.evaluate("document.scripts.length") == path.read_text().count("<script>") == 4
    assert_clean(v)


def test_clustered_markers_add_up(tmp_path, visit):
    rows = make_places().iloc[[0]]
    many = pd.concat([rows] * 300, ignore_index=True)
    many["gazetteer_id"] = [str(i) for i in range(300)]
    many["lat"] = 35.2 + (np.arange(300) % 20) * 0.07
    many["lon"] = 36.0 + (np.arange(300) // 20) * 0.09
    path = tmp_path / "many.html"
    write_map(render_theatre(make_theatre(), many, None), path)
    v = visit(path)
    page = v.page
    clustered = page.locator(".marker-cluster span").all_inner_texts()
    single = page.locator("path.fm-place").count()
    assert sum(int(t) for t in clustered) + single == 300
    assert clustered  # clustering is on above the threshold
    assert_clean(v)


def test_fragments_share_a_page(tmp_path, visit):
    theatre = make_theatre()
    a = render_theatre(theatre, make_places(), make_layers(), cluster=False)
    b = render_theatre(theatre, make_places().iloc[:2], None, cluster=False)
    c = render_theatre(theatre, make_places(), make_layers(), cluster=False, map_id="third")
    page_html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>report</title></head><body>"
        "<h1>Report</h1>"
        + map_fragment(a, height="400px")
        + "<p>Between the maps.</p>"
        + map_fragment(b, height="300px", include_assets=False)
        + map_fragment(c, height="200px")  # its assets are skipped: Leaflet is loaded
        + "</body></html>"
    )
    path = tmp_path / "report.html"
    path.write_text(page_html, encoding="utf-8")
    v = visit(path)
    page = v.page
    page.wait_for_function("document.querySelectorAll('[data-frontmap-ready]').length == 3")
    ready = page.locator("[data-frontmap-ready]").evaluate_all(
        "els => els.map(e => [e.getAttribute('data-frontmap-ready'), e.offsetHeight])"
    )
    assert ready == [["3", 400], ["2", 300], ["3", 200]]
    assert page.locator("path.fm-place").count() == 8
    assert page.locator("h1").inner_text() == "Report"
    assert page.evaluate("getComputedStyle(document.body).margin") == "8px"  # untouched
    assert_clean(v)


def test_iframe_embed(tmp_path, visit):
    m = render_theatre(make_theatre(), hostile_places(), make_layers(), cluster=False)
    path = tmp_path / "embed.html"
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>e</title></head><body>"
        + map_iframe(m, height="500px")
        + "</body></html>",
        encoding="utf-8",
    )
    v = visit(path, ready=False)
    frame = v.page.frame_locator("iframe")
    frame.locator("[data-frontmap-ready]").wait_for(timeout=15_000)
    assert frame.locator("path.fm-place").count() == 3
    assert v.dialogs == [] and v.errors == [] and v.blocked == []
    assert v.requests == [v.url]


def test_article_filter_and_date_control(tmp_path, visit):
    layers = make_layers().iloc[[1, 1]].copy()  # one control area in two periods
    layers["id"] = ["c-old", "c-new"]
    layers["actor"] = ["government", "opposition"]
    layers["valid_from"] = [dt.date(2020, 1, 1), dt.date(2020, 2, 11)]
    layers["valid_to"] = [dt.date(2020, 2, 10), None]
    path = tmp_path / "two.html"
    write_map(render_theatre(make_theatre(), make_places(), layers, cluster=False), path)
    v = visit(path)
    page = v.page
    areas = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    fills = "els => els.map(e => e.getAttribute('fill'))"
    assert areas.evaluate_all(fills) == ["#1a9850"]  # as of 2020-02-20: opposition
    assert page.locator(".fm-asof").inner_text() == "As of 2020-02-20"
    page.locator(".fm-filter select").select_option("1")
    assert page.locator("path.fm-place").count() == 1  # only Binnish is in article b2
    page.locator(".fm-filter select").select_option("0")  # article a1, 2020-02-05
    assert page.locator("path.fm-place").count() == 3
    assert areas.evaluate_all(fills) == ["#d6604d"]  # government held it then
    assert page.locator(".fm-asof").inner_text() == "As of 2020-02-05"
    page.locator(".fm-filter select").select_option("all")
    assert page.locator(".fm-filter output").inner_text() == "2020-02-20"
    page.locator(".fm-filter input[type=range]").fill("0")
    assert page.locator(".fm-filter output").inner_text() == "2020-02-05"
    assert page.locator("path.fm-place").count() == 3  # all three named by 2020-02-05
    assert areas.evaluate_all(fills) == ["#d6604d"]
    assert_clean(v)


# --------------------------------------------------------------------------- report


def open_report(visit: Any, path: Path, n_maps: int) -> Visit:
    v = visit(path)
    v.page.wait_for_function(
        f"document.querySelectorAll('[data-frontmap-ready]').length == {n_maps}"
        " && document.querySelector('[data-frontmap-table]')"
    )
    return v


def popup_of(page: Any, map_id: str, name: str) -> Any:
    """The one open popup of a map, once it is the popup of the place ``name``."""
    page.wait_for_function(
        """([id, name]) => {
             const p = document.querySelectorAll('#' + id + ' .leaflet-popup-content');
             return p.length === 1 && p[0].querySelector('.fm-h b').textContent === name;
           }""",
        arg=[map_id, name],
        timeout=5_000,
    )
    return page.locator(f"#{map_id} .leaflet-popup-content")


def in_viewport(page: Any, selector: str) -> bool:
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= innerHeight; }""",
        selector,
    )


def test_report_toponym_links_open_their_popups(tmp_path, visit):
    places = report_places()
    idlib, libya = report_maps(places, cluster=False)
    path = tmp_path / "report.html"
    write_report(path, make_articles(), places, [idlib, libya])
    v = open_report(visit, path, 2)
    page = v.page
    ready = page.locator("[data-frontmap-ready]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-frontmap-ready'))"
    )
    assert ready == ["3", "1"]
    assert page.locator(".fm-text mark").count() == 8
    assert page.locator(".leaflet-fm-base-pane path").count() >= 4  # both base maps drew
    # Binnish, in the second article: its popup opens on the Idlib map, in view.
    page.locator("#fm-t1-0").click()
    assert "Talks continue" in popup_of(page, idlib.get_name(), "Binnish").inner_text()
    assert in_viewport(page, "#" + idlib.get_name())
    # Tripoli opens the Libya map's popup; Maarat al-Numan its own marker's.
    page.locator("#fm-t2-2").click()
    popup_of(page, libya.get_name(), "Tripoli")
    page.locator("#fm-t0-1").click()
    popup_of(page, idlib.get_name(), "Ma'arrat an Nu'man")
    assert page.locator(".fm-current").count() == 1
    # Ankara is on no map: its link goes to its row of the table.
    page.locator("#fm-t2-0").click()
    assert page.evaluate("location.hash") == "#fm-p2-0"
    assert in_viewport(page, "#fm-p2-0")
    # The table: one row per place per article; names link to the markers too.
    cells = page.locator("#fm-p0-0 td").all_inner_texts()
    assert cells == [
        "Saraqib",
        "populated place",
        "35.8623°N 36.8047°E · SY",
        "Idlib and northwest Syria",
        "De-escalation zone",
        "Syrian government and allies",
        "3.2",
        "2 ↑1 ↑2",  # two mentions, each linked back to the text
    ]
    assert page.locator("#fm-p2-0 td").nth(3).inner_text() == "outside every theatre"
    assert page.locator("table.fm-places tbody tr").count() == 7
    assert page.locator("table.fm-places caption").all_inner_texts() == [
        "Overnight shelling near Saraqib · 2020-02-05",
        "Talks continue · 2020-02-20",
        "Talks in Ankara · 2020-02-21",
    ]
    page.locator("#fm-p0-0 td.n a").nth(1).click()
    assert page.evaluate("location.hash") == "#fm-t0-2"
    page.locator("#fm-p0-0 a[data-fm-i]").click()
    popup_of(page, idlib.get_name(), "Saraqib")
    assert_clean(v)


def test_report_link_reaches_markers_in_clusters_and_behind_filters(tmp_path, visit):
    places = report_places()
    near = places["name"] == "Binnish"  # moved next to Saraqib: one cluster until zoom 13
    places.loc[near, "lat"], places.loc[near, "lon"] = 35.87, 36.81
    same = places["surface"] == "Maarat al-Numan"  # on Saraqib: a cluster at every zoom
    places.loc[same, "lat"], places.loc[same, "lon"] = 35.8623, 36.8047
    idlib, libya = report_maps(places, cluster=True)
    path = tmp_path / "clustered.html"
    write_report(path, make_articles(), places, [idlib, libya])
    v = open_report(visit, path, 2)
    page = v.page
    on_idlib = page.locator(f"#{idlib.get_name()} path.fm-place")
    assert on_idlib.count() == 0 and page.locator(".marker-cluster").count() == 1
    page.locator("#fm-t0-3").click()  # Binnish
    popup_of(page, idlib.get_name(), "Binnish")
    # A marker hidden by the article filter: the filter is undone, the popup opens.
    select = page.locator(f"#{idlib.get_name()} .fm-filter select")
    select.select_option("1")  # article b2 names Binnish only
    page.locator("#fm-t0-0").click()  # Saraqib
    popup_of(page, idlib.get_name(), "Saraqib")
    assert select.input_value() == "all"
    # A marker that never stands alone: its cluster is spiderfied.
    page.locator("#fm-t0-1").click()
    popup_of(page, idlib.get_name(), "Ma'arrat an Nu'man")
    assert_clean(v)


def test_report_with_hostile_text(tmp_path, visit):
    text = f"Fighting in Saraqib {HOSTILE[0]} and {HOSTILE[1]} near Binnish ({HOSTILE[2]})."
    articles = [dict(id=HOSTILE[0], text=text, title=HOSTILE[1], url=HOSTILE[2])]
    places = pd.DataFrame(
        [
            mention(text, "Saraqib", HOSTILE[0], 35.86, 36.8, article=HOSTILE[0], gid="1"),
            mention(text, HOSTILE[1], HOSTILE[1], 35.9, 36.7, article=HOSTILE[0], gid="2"),
            mention(text, "Binnish", "Binnish", 35.96, 36.71, article=HOSTILE[0], theatre=None),
        ]
    )
    m = render_theatre(make_theatre(), places[places["theatre"] == "idlib"], make_layers())
    path = tmp_path / "hostile-report.html"
    write_report(path, articles, places, [m], title=HOSTILE[0])
    v = open_report(visit, path, 1)
    page = v.page
    assert page.locator(".fm-text").inner_text() == text
    assert page.locator("h1").inner_text() == HOSTILE[0]
    page.locator(".fm-text a[data-fm-i]").nth(1).click()
    assert HOSTILE[1] in popup_of(page, m.get_name(), HOSTILE[1]).inner_text()
    page.wait_for_timeout(100)
    assert page.locator("img[src='x'], img[onerror]").count() == 0
    assert page.evaluate("document.scripts.length") == 6
    for href in page.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert href.startswith(("#", "http://", "https://")), href
    assert_clean(v)
