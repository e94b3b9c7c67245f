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
    area_places,
    chromium_available,
    host_page,
    hostile_places,
    make_articles,
    make_events,
    make_layers,
    make_places,
    make_theatre,
    mention,
    report_maps,
    report_places,
    snapshot_layers,
    three_dates,
)

from frontmap.maps import (
    actor_style,
    fragment_assets,
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

GOVERNMENT = actor_style("government").color
OPPOSITION = actor_style("opposition").color


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
    assert page.locator(".fm-lab-town").count() > 10
    # Every place named is labelled, as the article wrote it (not "Ma'arrat an Nu'man").
    assert sorted(page.locator(".fm-lab-place").all_inner_texts()) == [
        "Binnish",
        "Maarat al-Numan",
        "Saraqib",
    ]
    assert page.locator(".fm-site").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1
    assert "Idlib and northwest Syria" in page.locator(".fm-title").inner_text()
    assert "GeoNames (CC BY 4.0)" in page.locator(".fm-credits").inner_text()
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
    assert HOSTILE[1] in tips  # the label as written, as text (the gazetteer name is in the popup)
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
    assert areas.evaluate_all(fills) == [OPPOSITION]  # as of 2020-02-20
    assert page.locator(".fm-asof").inner_text() == "As of 2020-02-20"
    page.locator(".fm-filter select").select_option("1")
    assert page.locator("path.fm-place").count() == 1  # only Binnish is in article b2
    page.locator(".fm-filter select").select_option("0")  # article a1, 2020-02-05
    assert page.locator("path.fm-place").count() == 3
    assert areas.evaluate_all(fills) == [GOVERNMENT]  # government held it then
    assert page.locator(".fm-asof").inner_text() == "As of 2020-02-05"
    page.locator(".fm-filter select").select_option("all")
    assert page.locator(".fm-filter output").inner_text() == "2020-02-20"
    page.locator(".fm-filter input[type=range]").fill("0")
    assert page.locator(".fm-filter output").inner_text() == "2020-02-05"
    assert page.locator("path.fm-place").count() == 3  # all three named by 2020-02-05
    assert areas.evaluate_all(fills) == [GOVERNMENT]
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
    """The one open popup of a map, once it is the popup of the place ``name``.

    A map of a report is a fragment: it lives in its host's shadow root.
    """
    page.wait_for_function(
        """([id, name]) => {
             const host = document.getElementById(id);
             const root = host.shadowRoot || host;
             const p = root.querySelectorAll('.leaflet-popup-content');
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
    popup_of(page, idlib.get_name(), "Maarat al-Numan")
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
    popup_of(page, idlib.get_name(), "Maarat al-Numan")
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


# --------------------------------------------------------------------------- labels


def boxes_overlap(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    """Pairs of label boxes (getBoundingClientRect) that overlap by more than a pixel."""
    out = []
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if (
                a["left"] + 1 < b["right"]
                and b["left"] + 1 < a["right"]
                and a["top"] + 1 < b["bottom"]
                and b["top"] + 1 < a["bottom"]
            ):
                out.append((i, j))
    return out


LABEL_BOXES = """els => els.map(e => { const r = e.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent}; })"""


def test_labels_never_collide_and_densify_with_zoom(tmp_path, visit):
    m = render_theatre(make_theatre(), area_places(), make_layers(), cluster=False)
    path = tmp_path / "labels.html"
    write_map(m, path)
    v = visit(path)
    page = v.page
    labels = page.locator(".fm-lab, .fm-area")
    first = labels.evaluate_all(LABEL_BOXES)
    assert boxes_overlap(first) == []
    texts = {b["text"] for b in first}
    assert {"Saraqib", "Maarat al-Numan", "Binnish", "Jisr al-Shughur"} <= texts
    towns = page.evaluate(f"frontmap.maps[{m.get_name()!r}].labels.towns")
    villages = {t["text"] for t in towns if t["zoom"] == 10}
    villages -= {t["text"] for t in towns if t["zoom"] < 10}  # names of towns too
    assert villages and not villages & texts  # at zoom 9, no village yet
    n9 = int(page.locator("[data-frontmap-labels]").get_attribute("data-frontmap-labels"))
    page.evaluate(
        f"frontmap.maps[{m.get_name()!r}].map.setView([35.85, 36.6], 11, {{animate: false}})"
    )
    page.wait_for_function(
        "document.querySelector('[data-frontmap-labels]').getAttribute('data-frontmap-labels')"
        f" != '{n9}'"
    )
    zoomed = labels.evaluate_all(LABEL_BOXES)
    assert boxes_overlap(zoomed) == []
    shown = {b["text"] for b in zoomed}
    assert villages & shown  # villages from zoom 10
    # More base labels per square degree: at zoom 11 the view is 1/4 of zoom 10's...
    in_view = page.evaluate(
        f"""(() => {{ const e = frontmap.maps[{m.get_name()!r}], b = e.map.getBounds();
             return e.labels.towns.filter(t => b.contains([t.lat, t.lon])).length; }})()"""
    )
    assert len([b for b in zoomed if b["text"] not in texts]) > 0.3 * min(in_view, 60)
    assert_clean(v)


def test_regions_and_countries_are_areas(tmp_path, visit):
    m = render_theatre(make_theatre(), area_places(), make_layers(), cluster=False)
    path = tmp_path / "areas.html"
    write_map(m, path)
    v = visit(path)
    page = v.page
    # Five point markers; the region is a label, the country an outline, neither a dot.
    assert page.locator("path.fm-place").count() == 4
    area = page.locator(".fm-area")
    assert area.count() == 1 and area.text_content() == "Northwest Syria"
    assert page.locator(".leaflet-fm-outlines-pane path").count() == 1
    assert "Region named" in page.locator(".fm-legend").inner_text()
    area.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "An area: no control or distance to the front" in text
    assert "held by" not in text and "km from the nearest front line" not in text
    assert_clean(v)


# --------------------------------------------------------------------------- filter


def test_choosing_an_article_frames_its_places_and_updates_the_title(tmp_path, visit):
    m = render_theatre(make_theatre(), area_places(), make_layers(), cluster=False)
    path = tmp_path / "filter.html"
    write_map(m, path)
    v = visit(path)
    page = v.page
    name = m.get_name()
    count = page.locator(".fm-count")
    assert count.inner_text() == "6 places named in 3 articles"
    start = page.evaluate(f"frontmap.maps[{name!r}].map.getZoom()")
    page.locator(".fm-filter select").select_option("2")  # the coast article
    assert count.inner_text() == "3 places named in this article"
    assert page.locator("path.fm-place").count() == 1  # Jisr al-Shughur
    view = page.evaluate(
        f"""(() => {{ const e = frontmap.maps[{name!r}], b = e.map.getBounds();
             return [e.map.getZoom(), b.contains([35.8126, 36.3176]),
                     b.contains([36.2, 36.7])]; }})()"""
    )
    assert view[0] > start and view[1] and view[2]  # zoomed in on its places
    page.locator(".fm-filter select").select_option("all")
    assert count.inner_text() == "6 places named in 3 articles"
    assert page.evaluate(f"frontmap.maps[{name!r}].map.getZoom()") == start
    assert_clean(v)


# --------------------------------------------------------------------------- embedding


def test_fragments_survive_a_hostile_host_stylesheet(tmp_path, visit):
    theatre = make_theatre()
    a = render_theatre(theatre, area_places(), make_layers(), cluster=False)
    b = render_theatre(theatre, make_places().iloc[:2], make_layers(), cluster=False)
    page_html = host_page(
        map_fragment(a, include_assets=False, height="500px"),  # before the assets
        "<script>window.__fm = [typeof L];</script>",
        fragment_assets(),
        "<script>window.__fm.push(L);</script>",
        map_fragment(b, height="320px"),  # its own copy of the assets: guarded
        "<script>window.__fm.push(L === window.__fm[1]);</script>",
    )
    path = tmp_path / "host.html"
    path.write_text(page_html, encoding="utf-8")
    v = visit(path)
    page = v.page
    page.wait_for_function("document.querySelectorAll('[data-frontmap-ready]').length == 2")
    assert page.evaluate("window.__fm[0]") == "undefined"  # the first map waited for Leaflet
    assert page.evaluate("window.__fm[2]") is True  # the second copy did not run again
    hosts = page.locator(".frontmap-embed").evaluate_all(
        "els => els.map(e => [e.getBoundingClientRect().height, getComputedStyle(e).paddingTop])"
    )
    assert hosts == [[500, "0px"], [320, "0px"]]
    # The land and every marker are drawn at their size, whatever svg{height:auto} says.
    land = page.locator(f"#{a.get_name()} .leaflet-fm-base-pane path").evaluate_all(
        "els => Math.max(...els.map(e => e.getBoundingClientRect().width))"
    )
    assert land > 200
    for box in page.locator(f"#{a.get_name()} path.fm-place").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    ):
        assert 12 <= box <= 18  # radius 6, stroke 2 (not the host's 9px stroke)
    # The host's rules reach neither the controls nor the labels.
    title = page.locator(f"#{a.get_name()} .fm-t")
    assert title.evaluate("e => getComputedStyle(e).fontFamily") != "serif"
    assert title.evaluate("e => getComputedStyle(e).paddingTop") == "0px"
    assert (
        page.locator(f"#{a.get_name()} .fm-lab-place").first.evaluate(
            "e => getComputedStyle(e).fontSize"
        )
        == "12px"
    )
    assert boxes_overlap(page.locator(f"#{a.get_name()} .fm-lab").evaluate_all(LABEL_BOXES)) == []
    # Nothing was added to the host page's styles; its own still apply to it.
    assert page.evaluate("document.styleSheets.length") == 1
    assert page.evaluate("getComputedStyle(document.querySelector('p')).marginTop") == "30px"
    # A marker's popup opens inside the shadow root.
    page.locator(f"#{a.get_name()} path.fm-place").first.dispatch_event("click")
    page.locator(f"#{a.get_name()} .leaflet-popup-content").wait_for()
    assert_clean(v)


def test_iframe_src_snippet_is_responsive(tmp_path, visit):
    m = render_theatre(make_theatre(), make_places(), make_layers(), cluster=False)
    write_map(m, tmp_path / "idlib.html")
    path = tmp_path / "embed.html"
    path.write_text(host_page(map_iframe(m, src="idlib.html")), encoding="utf-8")
    v = visit(path, ready=False)
    frame = v.page.frame_locator("iframe")
    frame.locator("[data-frontmap-ready]").wait_for(timeout=15_000)
    assert frame.locator("path.fm-place").count() == 3
    box = v.page.locator("iframe").bounding_box()
    # 4:3, at most 85 % of the window's height
    assert abs(box["height"] - min(box["width"] * 3 / 4, 0.85 * 750)) < 2
    v.page.set_viewport_size({"width": 390, "height": 700})
    box = v.page.locator("iframe").bounding_box()
    assert box["height"] >= 360  # never shorter than 360 px
    assert v.errors == [] and v.blocked == [] and v.dialogs == []


# --------------------------------------------------------------------------- layouts


def overlapping(page: Any, selectors: list[str]) -> list[tuple[str, str]]:
    boxes = {s: page.locator(s).first.bounding_box() for s in selectors}
    out = []
    for i, a in enumerate(selectors):
        for b in selectors[i + 1 :]:
            p, q = boxes[a], boxes[b]
            if (
                p["x"] < q["x"] + q["width"]
                and q["x"] < p["x"] + p["width"]
                and p["y"] < q["y"] + q["height"]
                and q["y"] < p["y"] + p["height"]
            ):
                out.append((a, b))
    return out


def test_phone_layout(tmp_path, visit):
    m = render_theatre(make_theatre(), area_places(), make_layers(), cluster=False)
    path = tmp_path / "phone.html"
    write_map(m, path)
    v = visit(path, ready=False)
    page = v.page
    page.set_viewport_size({"width": 390, "height": 740})
    page.reload()
    page.wait_for_selector("[data-frontmap-ready]")
    assert page.locator(".frontmap.fm-narrow").count() == 1
    assert page.locator(".fm-legend details.fm-legend-d").get_attribute("open") is None
    assert page.locator(".fm-credits details").get_attribute("open") is None
    controls = [".leaflet-control-zoom", ".fm-title", ".fm-legend", ".fm-filter", ".fm-credits"]
    assert overlapping(page, controls) == []
    for selector in controls:
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    # The legend opens on demand, the credits too.
    page.locator(".fm-legend summary").first.click()
    assert page.locator(".fm-legend details.fm-legend-d").get_attribute("open") is not None
    assert v.errors == [] and v.blocked == [] and v.dialogs == []


def test_report_tables_are_cards_on_a_phone(tmp_path, visit):
    places = report_places()
    path = tmp_path / "report.html"
    write_report(path, make_articles(), places, report_maps(places, cluster=False))
    v = visit(path, ready=False)
    page = v.page
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    page.wait_for_selector("[data-frontmap-table]")
    page.locator("#fm-p0-0").scroll_into_view_if_needed()
    widths = page.locator("#fm-p0-0 td").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert min(widths) > 300  # one line per cell, not a letter per line
    label = (
        page.locator("#fm-p0-0 td").nth(5).evaluate("e => getComputedStyle(e, '::before').content")
    )
    assert label == '"Control"'
    assert v.errors == [] and v.blocked == []


def test_legend_never_covers_an_open_popup(tmp_path, visit):
    rows = make_places()
    rows.loc[0, "lat"], rows.loc[0, "lon"] = 35.05, 37.45  # under the legend, bottom right
    m = render_theatre(make_theatre(), rows, make_layers(), cluster=False)
    path = tmp_path / "legend.html"
    write_map(m, path)
    v = visit(path)
    page = v.page
    legend = page.locator(".fm-legend details.fm-legend-d")
    assert legend.get_attribute("open") is not None
    page.locator("path.fm-place").first.dispatch_event("click")
    page.locator(".leaflet-popup-content").wait_for()
    page.wait_for_timeout(400)  # the popup has panned into view
    assert overlapping(page, [".leaflet-popup", ".fm-legend"]) == []
    page.locator(".leaflet-popup-close-button").dispatch_event("click")
    page.wait_for_function(
        "document.querySelector('.fm-legend details.fm-legend-d').hasAttribute('open')"
    )
    assert_clean(v)


# --------------------------------------------------------------------------- keyboard


def test_keyboard_reaches_the_controls_first_then_named_places(tmp_path, visit):
    m = render_theatre(make_theatre(), area_places(), make_layers(), cluster=False)
    path = tmp_path / "keys.html"
    write_map(m, path)
    v = visit(path)
    page = v.page
    assert page.evaluate("document.documentElement.lang") == "en"
    assert (
        page.locator(".frontmap[role=region]")
        .get_attribute("aria-label")
        .startswith("Map: Idlib and northwest Syria, as of 2020-02-25")
    )
    order = []
    for _ in range(16):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                """(() => { const e = document.activeElement;
                   return [e.tagName.toLowerCase(), e.className.baseVal !== undefined
                           ? e.className.baseVal : e.className,
                           e.getAttribute('aria-label') || e.getAttribute('title') ||
                           e.textContent.slice(0, 30)]; })()"""
            )
        )
    kinds = [str(o[1]) for o in order]
    first_place = next(
        i for i, k in enumerate(kinds) if any(c in k for c in ("fm-place", "fm-area", "fm-outline"))
    )
    before = " ".join(str(k) for k in kinds[:first_place])
    for control in ("leaflet-control-zoom-in", "leaflet-control-layers-toggle"):
        assert control in before, (control, order)
    assert any(o[0] == "summary" for o in order[:first_place])  # the legend
    assert any(o[0] == "select" for o in order[:first_place])  # the filter
    assert first_place <= 10
    named = [o for o in order if "fm-place" in str(o[1])]
    assert named and all(", named " in o[2] for o in named)  # accessible names
    # Enter on a focused marker opens its popup.
    while "fm-place" not in str(page.evaluate("document.activeElement.className.baseVal || ''")):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content").wait_for()
    assert_clean(v)


def test_tooltips_wrap_and_print_hides_the_controls(tmp_path, visit):
    layers = make_layers()
    layers.loc[0, "source"] = "A long description of the zone's source " * 6
    m = render_theatre(make_theatre(), area_places(), layers, cluster=False)
    path = tmp_path / "print.html"
    write_map(m, path)
    v = visit(path)
    page = v.page
    zone = page.locator(".leaflet-overlay-pane path.leaflet-interactive").first
    zone.dispatch_event("mouseover", {"clientX": 500, "clientY": 400})
    tip = page.locator(".leaflet-tooltip.fm-tip").first
    tip.wait_for()
    box = tip.bounding_box()
    assert box["width"] <= 300 and box["height"] > 60  # wrapped, not one line off screen
    assert tip.evaluate("e => getComputedStyle(e).whiteSpace") == "normal"
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    for hidden in (".leaflet-control-zoom", ".leaflet-control-layers", ".fm-filter"):
        assert page.locator(hidden).evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator(".fm-legend details.fm-legend-d").get_attribute("open") is not None
    assert page.locator(".fm-credits details").get_attribute("open") is not None
    assert page.locator(".fm-title").is_visible()
    assert_clean(v)


# --------------------------------------------------------------------------- speed

#: Records each markercluster addLayers call: was the group on the map, how many layers.
ADD_LAYERS_HOOK = """
(function () {
  var real;
  window.__fmAddLayers = [];
  Object.defineProperty(window, 'L', {configurable: true, get: function () { return real; },
    set: function (v) {
      real = v;
      var mcg;
      Object.defineProperty(v, 'MarkerClusterGroup', {configurable: true,
        get: function () { return mcg; },
        set: function (c) {
          mcg = c;
          var add = c.prototype.addLayers;
          c.prototype.addLayers = function (layers) {
            window.__fmAddLayers.push([!!this._map, layers.length]);
            return add.apply(this, arguments);
          };
        }});
    }});
})();
"""


def synthetic(n: int) -> pd.DataFrame:
    """``n`` distinct places over Idlib, 20 a article, each with its own sentence."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(n):
        text = f"Shelling was reported near Place {i} on the fifth, residents said."
        row = mention(
            text,
            f"Place {i}",
            f"Place {i}",
            0.0,
            0.0,
            article=f"a{i // 20}",
            title=f"Article {i // 20}",
            gid=str(10_000 + i),
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["lat"] = rng.uniform(35.0, 36.8, n)
    frame["lon"] = rng.uniform(35.8, 37.5, n)
    return frame


def test_cluster_group_joins_the_map_before_its_markers(tmp_path, browser):
    # Markers added to a cluster group off the map are each checked against
    # all before them (100,000 places: 20 s more); on the map they are
    # clustered in chunks. Fails if the order of the two statements regresses.
    path = tmp_path / "many.html"
    write_map(render_theatre(make_theatre(), synthetic(4_000), None), path)
    page = browser.new_page(viewport={"width": 1100, "height": 750})
    try:
        page.add_init_script(ADD_LAYERS_HOOK)
        page.goto(path.as_uri())
        page.wait_for_selector("[data-frontmap-ready]", timeout=20_000)
        calls = page.evaluate("window.__fmAddLayers")
        big = [c for c in calls if c[1] > 1]
        assert big and sum(c[1] for c in big) == 4_000
        assert all(on_map for on_map, _ in big), calls
        # Popups are bound when first needed, and the quotes are packed in a
        # map this big: the first click still shows the quote.
        assert (
            page.evaluate(
                "document.querySelector('[data-frontmap-ready]')"
                ".getAttribute('data-frontmap-ready')"
            )
            == "4000"
        )
        page.evaluate("frontmap.show(Object.keys(frontmap.maps)[0], 7)")
        page.wait_for_selector(".fm-popup blockquote", timeout=10_000)
        assert "Place 7" in page.locator(".fm-popup blockquote mark").inner_text()
    finally:
        page.close()


READY_STATE_HOOK = """
(function () {
  // What the map holds at the moment it says it is ready (the observer runs
  // right after the attribute is set).
  window.__fmAtReady = null;
  new MutationObserver(function () {
    if (window.__fmAtReady) { return; }
    var e = Object.values(window.frontmap.maps)[0];
    window.__fmAtReady = {
      clustered: e.group._topClusterLevel.getChildCount(),
      bubbles: document.querySelectorAll('.fm-cluster').length,
      labels: Number(e.map.getContainer().getAttribute('data-frontmap-labels'))
    };
  }).observe(document, {subtree: true, attributes: true,
                        attributeFilter: ['data-frontmap-ready']});
  // The DistanceGrid markercluster came with, before frontmap replaces it.
  var real;
  Object.defineProperty(window, 'L', {configurable: true, get: function () { return real; },
    set: function (v) {
      real = v;
      var grid;
      Object.defineProperty(v, 'DistanceGrid', {configurable: true,
        get: function () { return grid; },
        set: function (g) { if (!window.__fmGrid) { window.__fmGrid = g; } grid = g; }});
    }});
})();
"""

# The clusters of a group at every zoom: per cluster its zoom, children and centre.
CLUSTER_TREE = """
(grid) => {
  // With grid (markercluster's own), markercluster's own group; else frontmap's.
  var e = Object.values(frontmap.maps)[0], map = e.map, was = L.DistanceGrid;
  if (grid) { L.DistanceGrid = grid; }
  var Group = grid ? L.MarkerClusterGroup : e.group.constructor;
  if (!grid && L.DistanceGrid === was) { L.DistanceGrid = null; }  // frontmap's must not need it
  var g = new Group({maxClusterRadius: 40});
  g.addTo(map);
  g.addLayers(e.markers.filter(function (m) { return m.fmRow[6] === 0; }).map(function (m) {
    var c = L.circleMarker(m.getLatLng());
    c.fmI = m.fmIndex;
    return c;
  }));
  L.DistanceGrid = was;
  var out = [];
  (function walk(c) {
    out.push([c._zoom, c.getChildCount(), c._childClusters.length, c._latlng.lat,
              c._latlng.lng, c._markers.map(function (m) { return m.fmI; }).join(',')].join(' '));
    c._childClusters.forEach(walk);
  })(g._topClusterLevel);
  map.removeLayer(g);
  return out;
}
"""


def test_ready_means_clustered_and_labelled_around_the_bubbles(tmp_path, browser):
    # markercluster reports its own empty addLayers (when the group joins the
    # map) as complete: the map must not say it is ready then, but once every
    # marker is clustered and the bubbles are on the map, which its labels avoid.
    path = tmp_path / "many.html"
    write_map(render_theatre(make_theatre(), synthetic(3_000), None), path)
    page = browser.new_page(viewport={"width": 1100, "height": 750})
    try:
        page.add_init_script(READY_STATE_HOOK)
        page.goto(path.as_uri())
        page.wait_for_selector("[data-frontmap-ready]", timeout=30_000)
        at = page.evaluate("window.__fmAtReady")
        assert at["clustered"] == 3_000
        assert at["bubbles"] > 0
        assert at["labels"] > 0
        # No label over a cluster bubble.
        overlaps = page.evaluate(
            """() => {
              const boxes = s => Array.from(document.querySelectorAll(s))
                .map(e => e.getBoundingClientRect());
              const hit = (a, b) => a.left < b.right && b.left < a.right &&
                a.top < b.bottom && b.top < a.bottom;
              const bubbles = boxes('.fm-cluster');
              return boxes('.fm-lab').filter(l => bubbles.some(b => hit(l, b))).length;
            }"""
        )
        assert overlaps == 0
        # frontmap's faster grid and group cluster exactly as markercluster's own.
        original = page.evaluate_handle("() => window.__fmGrid")
        # The page's group has its own grids; the global one is left as it was.
        assert page.evaluate("() => L.DistanceGrid === window.__fmGrid")
        assert page.evaluate(
            "() => !(Object.values(frontmap.maps)[0].group._gridClusters[10]"
            " instanceof window.__fmGrid)"
        )
        assert page.evaluate(
            "() => L.MarkerClusterGroup !== Object.values(frontmap.maps)[0].group.constructor"
        )
        fast = page.evaluate(CLUSTER_TREE, None)
        slow = page.evaluate(CLUSTER_TREE, original)
        assert len(fast) > 100
        assert fast == slow
    finally:
        page.close()


# --------------------------------------------------------------------------- time


def test_date_control_switches_the_snapshots_legend_and_note(tmp_path, visit):
    path = tmp_path / "time.html"
    write_map(render_theatre(make_theatre(), three_dates(), snapshot_layers(), cluster=False), path)
    v = visit(path)
    page = v.page
    control = (
        f"els => els.filter(e => ['{GOVERNMENT}', '{OPPOSITION}']"
        ".includes(e.getAttribute('fill'))).length"
    )
    areas = page.locator(".leaflet-overlay-pane path")
    slider = page.locator(".fm-filter input[type=range]")
    note = page.locator(".fm-note")
    legend = page.locator(".fm-legend .fm-li:visible")
    # The slider steps through the articles' dates and the days the layers change.
    assert page.evaluate("document.querySelector('.fm-filter input[type=range]').max") == "4"
    assert areas.evaluate_all(control) == 3  # as of 2020-02-20, the latest article
    assert not note.is_visible()
    slider.fill("2")
    assert page.locator(".fm-filter output").inner_text() == "2020-02-05"
    assert page.locator(".fm-asof").inner_text() == "As of 2020-02-05"
    assert areas.evaluate_all(control) == 2
    assert "Opposition (incl. HTS, SNA)" in legend.all_inner_texts()
    slider.fill("0")  # 2020-01-20: between two periods of the layers
    assert areas.evaluate_all(control) == 0
    assert note.inner_text() == "No control data between 15 Jan 2020 and 1 Feb 2020"
    texts = legend.all_inner_texts()
    assert "Opposition (incl. HTS, SNA)" not in texts
    assert "Syrian government and allies" not in texts
    slider.fill("4")
    assert areas.evaluate_all(control) == 3 and not note.is_visible()
    assert_clean(v)


# --------------------------------------------------------------------------- events


def test_events_have_icons_popups_a_filter_by_type_and_follow_the_date(tmp_path, visit):
    path = tmp_path / "events.html"
    m = render_theatre(make_theatre(), make_places(), None, cluster=False, events=make_events())
    write_map(m, path)
    v = visit(path)
    page = v.page
    icons = page.locator(".fm-event")
    assert icons.count() == 3  # Tripoli's clash is on another theatre's map
    box = page.locator(".fm-events-box")
    labels = box.locator(".fm-ev-k span:not(.fm-ev-n)").all_inner_texts()
    assert labels == ["Air or drone strike", "Shelling, artillery, missiles", "Agreement"]
    assert box.locator(".fm-ev-n").all_inner_texts() == ["1", "1", "1"]
    # Shape and glyph, not colour alone: each kind has its own icon.
    assert (
        len(
            set(page.locator(".fm-events-box svg").evaluate_all("els => els.map(e => e.innerHTML)"))
        )
        == 3
    )
    # The popup: type, date, place, actors, fatalities and the quote, as text.
    page.locator(".fm-ev-strike").click()
    pop = page.locator(".fm-evpop")
    text = pop.inner_text()
    assert "Air/drone strike" in text and "2020-02-05" in text and "Saraqib" in text
    assert "By Military Forces of Russia against " + HOSTILE[1] in text
    assert "Fatalities: not stated" in text
    assert pop.locator("blockquote").inner_text() == HOSTILE[0] + " struck Saraqib"
    assert page.locator(".fm-evpop img, .fm-evpop script").count() == 0
    page.locator(".leaflet-popup-close-button").click()
    # the popup gone and the map still (an auto-pan moves it) before the next click
    page.locator(".leaflet-popup").wait_for(state="detached")
    page.wait_for_function("() => !document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim')")
    page.locator(".fm-ev-shelling").click()
    assert "Fatalities: 2" in page.locator(".fm-evpop").inner_text()
    page.locator(".leaflet-popup-close-button").click()
    page.locator(".leaflet-popup").wait_for(state="detached")
    # The filter by type hides that type's icons.
    box.locator("input[data-fm-k='0']").uncheck()
    assert icons.count() == 2 and page.locator(".fm-ev-strike").count() == 0
    assert page.get_attribute("[data-frontmap-events]", "data-frontmap-events") == "2"
    box.locator("input[data-fm-k='0']").check()
    assert icons.count() == 3
    # The date control moves through the event dates: the agreement of
    # 2020-02-20 is not on the map of 2020-02-05.
    page.locator(".fm-filter input[type=range]").fill("0")
    assert page.locator(".fm-filter output").inner_text() == "2020-02-05"
    assert icons.count() == 2 and page.locator(".fm-ev-agreement").count() == 0
    # the box counts what the date shows (the agreement: none yet)
    assert box.locator(".fm-ev-n").all_inner_texts() == ["1", "1", "0"]
    assert v.dialogs == [] and v.errors == []
    assert_clean(v)
