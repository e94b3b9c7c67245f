"""render_theatre: content, escaping, offline assets, determinism, size."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import folium
import numpy as np
import pandas as pd
import pytest
from maps_testdata import (
    HOSTILE,
    draw_data,
    hostile_places,
    make_places,
    make_theatre,
    mention,
    popup_parts,
    snapshot_layers,
    three_dates,
)

from frontmap import maps
from frontmap.errors import InputError
from frontmap.maps import map_html, place_count, render_theatre

ALLOWED_TAGS = {
    "details",
    "summary",
    "ol",
    "li",
    "div",
    "b",
    "span",
    "mark",
    "blockquote",
    "a",
    "br",
    "h1",
    "p",
    "svg",
    "circle",
    "rect",
    "line",
    "polygon",
    "text",
    "i",
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(fragment)
    return parser.tags


def test_returns_folium_map_with_one_marker_per_place(theatre, places, layers_gdf):
    m = render_theatre(theatre, places, layers_gdf)
    assert isinstance(m, folium.Map)
    data = draw_data(map_html(m))
    rows = data["places"]["rows"]
    assert len(rows) == 3 == place_count(places, theatre)
    assert [r[0:2] for r in rows] == [[35.8623, 36.8047], [35.6437, 36.6717], [35.9592, 36.7137]]
    assert data["places"]["cluster"] is False
    assert "3 places named in 2 articles" in data["title_html"]


def test_layers_drawn_by_kind_with_name_and_source_tooltips(theatre, places, layers_gdf):
    data = draw_data(map_html(render_theatre(theatre, places, layers_gdf)))
    kinds = [layer["kind"] for layer in data["layers"]]
    assert kinds == ["control", "zone", "corridor", "road", "front_line", "site"]
    tips = {f["tip"] for layer in data["layers"] for f in layer["features"]}
    assert any("<b>Government-held</b>" in t and "Source: Test source B" in t for t in tips)
    assert any("<b>Observation post 9</b>" in t and "Turkey" in t for t in tips)
    control = data["layers"][0]["features"]
    assert control[0]["style"]["fillColor"] != control[1]["style"]["fillColor"]
    for source in "ABCDE":
        assert f"<li>Test source {source}</li>" in data["legend_html"]
    assert "Layers: 5 sources, listed in the legend" in data["attribution_html"]
    assert "GeoNames (CC BY 4.0)" in data["attribution_html"]
    assert "Natural Earth" in data["attribution_html"]
    assert "Syrian government and allies" in data["legend_html"]
    assert "Front lines" in data["legend_html"]


def test_title_and_as_of(theatre, places, layers_gdf):
    page = map_html(render_theatre(theatre, places, layers_gdf))
    assert "<title>Idlib and northwest Syria — as of 2020-02-20</title>" in page
    m = render_theatre(theatre, places, layers_gdf, title="My <map>", as_of="2020-03-05")
    page = map_html(m)
    assert "<title>My &lt;map&gt; — as of 2020-03-05</title>" in page
    assert "As of 2020-03-05" in draw_data(page)["title_html"]
    with pytest.raises(InputError, match="as_of: 'yesterday' is not a date"):
        render_theatre(theatre, places, layers_gdf, as_of="yesterday")


def test_scale_control_and_base_map(theatre, places, layers_gdf):
    page = map_html(render_theatre(theatre, places, layers_gdf))
    assert "L.control.scale(" in page
    data = draw_data(page)
    assert len(data["base"]["land"]["features"]) >= 3  # Syria, Turkey, Lebanon
    assert data["base"]["borders"]["features"]
    towns = data["base"]["towns"]
    assert "Aleppo" in towns["n"] and len(towns["n"]) > 100  # villages too, from zoom 10
    assert len(towns["p"]) == 2 * len(towns["n"]) and len(towns["z"]) == len(towns["n"])
    assert set(towns["z"]) == {0, 9, 10}
    # Places the articles name are not base labels too (Saraqib is named here).
    assert "Saraqib" not in towns["n"]


def test_rows_of_other_theatres_and_without_coordinates_are_left_out(theatre, layers_gdf):
    frame = make_places()
    frame.loc[1, "theatre"] = "libya"
    frame.loc[3, "lat"] = np.nan
    data = draw_data(map_html(render_theatre(theatre, frame, layers_gdf)))
    assert [r[3] for r in data["places"]["rows"]] == ["Saraqib", "Binnish"]
    assert place_count(frame, "idlib") == 2


def test_empty_inputs_render(theatre):
    page = map_html(render_theatre(theatre, pd.DataFrame(), None))
    data = draw_data(page)
    assert data["places"]["rows"] == [] and data["layers"] == []
    assert "Date not given" in data["title_html"]


def test_clusters_automatically_above_threshold(theatre):
    rows = make_places().iloc[[0]].copy()
    many = pd.concat([rows] * 200, ignore_index=True)
    many["gazetteer_id"] = [str(i) for i in range(200)]
    many["lat"] = 35.0 + np.arange(200) * 0.005
    data = draw_data(map_html(render_theatre(theatre, many, None)))
    assert data["places"]["cluster"] is True
    assert len(data["places"]["rows"]) == 200
    assert (
        draw_data(map_html(render_theatre(theatre, many, None, cluster=False)))["places"]["cluster"]
        is False
    )


# --------------------------------------------------------------------------- escaping


def test_hostile_text_is_escaped_in_the_page(theatre, layers_gdf):
    page = map_html(render_theatre(theatre, hostile_places(), layers_gdf))
    # Nothing from the articles can close the script or open a tag in the raw page.
    body = page.split("frontmap.draw(", 1)[1]
    assert "</script><script>alert" not in page
    assert "<img" not in page
    assert "</" not in body.split(");\n", 1)[0]
    assert "alert(1)" in body  # the text is there, as data
    scripts = re.findall(r"<script\b", page, re.IGNORECASE)
    assert len(scripts) == len(re.findall(r"</script>", page, re.IGNORECASE))


def test_hostile_text_travels_as_data_never_as_markup(theatre, layers_gdf):
    page = map_html(render_theatre(theatre, hostile_places(), layers_gdf))
    data = draw_data(page)
    # Names and sentences are kept as text (the page inserts them with
    # textContent); in the page's source they are JSON strings without "<".
    first, second, third = (popup_parts(data, i) for i in range(3))
    assert third["name"] == "Binnish" and third["gazetteer_name"] == HOSTILE[0]
    assert third["country"] == HOSTILE[1] and second["name"] == HOSTILE[1]
    assert third["kind"] == "<b>bold</b>"
    quote = first["groups"][0]["quotes"][0]
    assert HOSTILE[0] in quote and HOSTILE[1] in quote and HOSTILE[2] in quote
    assert second["groups"][0]["quotes"][0].count("[[" + HOSTILE[1] + "]]") == 1
    # Only http(s) links reach the page; "javascript:alert(1)" is no link.
    assert data["articles"] == [
        {"date": "2020-02-05", "label": HOSTILE[1] + " headline " + HOSTILE[0], "url": None}
    ]


def test_client_never_parses_place_text_as_html():
    from frontmap.maps._resources import static_text

    CLIENT_JS = static_text("client.js")

    # The only innerHTML is the one of the controls (title, legend, filter),
    # whose HTML is escaped in Python; popups and tooltips are built from text.
    assert CLIENT_JS.count("innerHTML") == 1
    assert "div.innerHTML = html;" in CLIENT_JS
    popup = CLIENT_JS.split("function popup(D, r, i) {", 1)[1].split("\n  }\n", 1)[0]
    assert "innerHTML" not in popup and "insertAdjacentHTML" not in popup
    assert "bindPopup(function" in CLIENT_JS and "bindTooltip(function" in CLIENT_JS


def test_hostile_layer_names_are_escaped(theatre, places, layers_gdf):
    layers = layers_gdf.copy()
    layers.loc[0, "name"] = HOSTILE[1]
    layers.loc[1, "source"] = HOSTILE[0]
    layers.loc[1, "actor"] = HOSTILE[1]
    data = draw_data(map_html(render_theatre(theatre, places, layers)))
    for layer in data["layers"]:
        for f in layer["features"]:
            assert all(tag in ALLOWED_TAGS for tag, _ in tags_of(f["tip"]))
    for html in (data["legend_html"], data["attribution_html"]):
        assert all(tag in ALLOWED_TAGS for tag, _ in tags_of(html))


# --------------------------------------------------------------------------- offline


def test_page_is_offline(theatre, places, layers_gdf):
    page = map_html(render_theatre(theatre, places, layers_gdf))
    # No external script, stylesheet, image, font or frame.
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""<link\b[^>]*href""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|//|images/)", page, re.I)
    assert "@import" not in page
    for lib in ("jquery", "bootstrap", "awesome", "font-awesome", "cdn."):
        assert lib not in page.lower()
    assert "L.markerClusterGroup" in page and "leaflet-container" in page
    assert "sourceMappingURL" not in page


def test_online_option_adds_tiles_only_when_asked(theatre, places):
    assert draw_data(map_html(render_theatre(theatre, places, None)))["online"] is None
    online = draw_data(map_html(render_theatre(theatre, places, None, online=True)))["online"]
    assert online["url"].startswith("https://tile.openstreetmap.org/")


# --------------------------------------------------------------------------- determinism


def test_same_input_gives_identical_bytes(theatre, layers_gdf):
    first = map_html(render_theatre(theatre, make_places(), layers_gdf)).encode()
    second = map_html(render_theatre(theatre, make_places(), layers_gdf)).encode()
    assert first == second
    m = render_theatre(theatre, make_places(), layers_gdf)
    assert map_html(m) == map_html(m)


def test_ids_depend_on_content(theatre, places, layers_gdf):
    a = render_theatre(theatre, places, layers_gdf)
    b = render_theatre(theatre, places.iloc[:2], layers_gdf)
    c = render_theatre(theatre, places, layers_gdf, map_id="custom")
    assert a.get_name() != b.get_name()
    assert c.get_name() == "map_custom_0"
    assert re.fullmatch(r"map_f[0-9a-f]{9}_0", a.get_name())


# --------------------------------------------------------------------------- size


@pytest.mark.parametrize(
    "bounds, center, zoom",
    [
        (((34.9, 35.65), (36.9, 37.6)), (35.85, 36.6), 9),
        (((19.4, 9.3), (33.3, 25.2)), (29.0, 17.0), 6),
        (((38.3, 43.4), (41.95, 50.7)), (39.9, 46.4), 8),
    ],
)
def test_one_article_map_is_small(bounds, center, zoom, layers_gdf):
    theatre = make_theatre(id="t", bounds=bounds, center=center, zoom=zoom)
    frame = make_places()
    frame["theatre"] = "t"
    size = len(map_html(render_theatre(theatre, frame.iloc[:4], layers_gdf)).encode())
    assert size < 600_000, size


def test_public_surface():
    assert set(maps.__all__) >= {
        "render_theatre",
        "map_html",
        "write_map",
        "write_index",
        "map_fragment",
        "map_iframe",
    }
    assert "main" not in maps.__all__


def test_template_syntax_in_articles_is_never_evaluated(theatre):
    text = "Shelling hit Saraqib {{ 7*7 }} {% if true %}yes{% endif %} {# c #} today."
    rows = pd.DataFrame(
        [mention(text, "Saraqib", "Saraqib {{ 6*7 }}", 35.86, 36.8, title="{{ 8*8 }}")]
    )
    m = render_theatre(theatre, rows, None)
    for page in (map_html(m), maps.map_fragment(m)):
        data = draw_data(page)
        assert data["places"]["sentences"] == [text]
        assert data["places"]["rows"][0][3] == "Saraqib"  # the label: as the article wrote it
        assert data["places"]["rows"][0][4][7] == "Saraqib {{ 6*7 }}"  # the gazetteer's name
        assert data["articles"][0]["label"] == "{{ 8*8 }}"
        call = "frontmap.draw(" if "frontmap.draw(" in page else "frontmap.mount("
        assert not re.search(r"\{[{%#]", page.split(call, 1)[1])
        assert "Saraqib 42" not in page and "Saraqib 49" not in page


def test_hostile_layer_kind_with_an_actor_is_escaped_in_its_tooltip(theatre, places, layers_gdf):
    # The kind's label was once left unescaped when the feature had an actor.
    layers = layers_gdf.copy()
    layers.loc[6, "kind"] = HOSTILE[1]  # the site, held by "turkey"
    data = draw_data(map_html(render_theatre(theatre, places, layers)))
    (layer,) = [x for x in data["layers"] if x["kind"] == HOSTILE[1]]
    tip = layer["features"][0]["tip"]
    assert "<img" not in tip and "&lt;img src=x onerror=alert(1)&gt; · Turkey" in tip
    assert all(tag in ALLOWED_TAGS for tag, _ in tags_of(tip))


def test_regions_are_labels_and_countries_outlines(theatre, layers_gdf):
    from maps_testdata import area_places

    data = draw_data(map_html(render_theatre(theatre, area_places(), layers_gdf)))
    rows = data["places"]["rows"]
    shapes = {r[3]: r[6] for r in rows}
    assert shapes["Saraqib"] == 0 and shapes["Jisr al-Shughur"] == 0  # markers
    assert shapes["Northwest Syria"] == 1  # a label, at the region's point
    assert shapes["Syria"] == 2  # the first outline
    (outline,) = data["places"]["outlines"]
    assert outline["type"] in ("Polygon", "MultiPolygon")
    assert "Region named (an area, no point)" in data["legend_html"]
    assert "Country named (its outline)" in data["legend_html"]
    assert data["aria_label"] == "Map: Idlib and northwest Syria, as of 2020-02-25, 6 places named"


def test_big_maps_pack_their_quotes(theatre, places, monkeypatch):
    import base64
    import gzip
    import json

    from frontmap.maps import render as render_module

    plain = draw_data(map_html(render_theatre(theatre, places, None)))["places"]
    assert plain["packed"] is None and plain["sentences"]
    monkeypatch.setattr(render_module, "PACK_ABOVE", 0)
    pages = [map_html(render_theatre(theatre, places, None)) for _ in range(2)]
    assert pages[0] == pages[1]  # gzip without a time stamp: the same bytes
    packed = draw_data(pages[0])["places"]
    assert packed["sentences"] == [] and all(r[4][5] is None for r in packed["rows"])
    unpacked = json.loads(gzip.decompress(base64.b64decode(packed["packed"])))
    assert unpacked == {"g": [r[4][5] for r in plain["rows"]], "s": plain["sentences"]}


# --------------------------------------------------------------------------- time


def test_a_map_carries_the_snapshots_of_its_span_each_geometry_once(theatre):
    data = draw_data(map_html(render_theatre(theatre, three_dates(), snapshot_layers())))
    (control,) = data["layers"]
    # c0 ended before the first article: left out; c2 and c4 share one geometry.
    assert [f["tip"].split("</b>")[0] for f in control["features"]] == [
        f"<b>{a} ({c})"
        for a, c in [
            ("government", "c1"),
            ("opposition", "c2"),
            ("government", "c3"),
            ("opposition", "c4"),
            ("opposition", "c5"),
        ]
    ]
    assert len(data["geoms"]["full"]) == 4
    assert control["features"][1]["g"] == control["features"][3]["g"]
    assert [s["d"] for s in data["states"]] == ["2020-01-20", "2020-02-01", "2020-02-10"]
    assert data["states"][0]["n"] == "No control data between 15 Jan 2020 and 1 Feb 2020"
    assert data["states"][1]["n"] is None
    assert "No control data between" in data["title_html"] or data["as_of"] == "2020-02-20"


def test_twenty_snapshots_stay_under_two_megabytes() -> None:
    # The shipped layers of Idlib from April 2019 to the end of 2024 (30 states): every
    # snapshot the map's date control can show.
    from frontmap.layers import load_layers
    from frontmap.theatres import get_theatre

    text = "Shelling was reported near Saraqib, residents said."
    rows = pd.DataFrame(
        [
            mention(text, "Saraqib", "Saraqib", 35.8623, 36.8047, article=a, date=d)
            for a, d in (("a", "2019-04-01"), ("b", "2024-12-31"))
        ]
    )
    layers = load_layers()
    page = map_html(render_theatre(get_theatre("idlib"), rows, layers))
    data = draw_data(page)
    assert len(data["states"]) >= 20
    assert len(page.encode("utf-8")) < 2_000_000
    simple = [g for g in data["geoms"]["simple"] if g]
    assert simple  # the biggest shapes are simplified for low zooms


def test_each_snapshot_names_its_actors_as_they_were_then() -> None:
    # The GNA became the GNU on 15 March 2021: a map of 2020 to 2022 carries
    # both snapshots; each tooltip, and the legend of each state, uses its name.
    from frontmap.layers import load_layers
    from frontmap.theatres import get_theatre

    text = "Clashes were reported near Tarhuna, residents said."
    rows = pd.DataFrame(
        [
            mention(text, "Tarhuna", "Tarhuna", 32.43, 13.63, article=a, date=d, theatre="libya")
            for a, d in (("a", "2020-06-10"), ("b", "2022-06-10"))
        ]
    )
    data = draw_data(map_html(render_theatre(get_theatre("libya"), rows, load_layers())))
    control = next(layer for layer in data["layers"] if layer["kind"] == "control")
    held = "Areas of control · Government of National"
    tips = {f["vf"]: f["tip"] for f in control["features"] if held in f["tip"]}
    assert held + " Accord" in tips["2020-06-05"]
    assert held + " Unity" in tips["2021-03-15"]
    legend = data["legend_html"]
    assert "Government of National Accord" in legend and "Government of National Unity" in legend
