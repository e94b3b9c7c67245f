"""_rows.py: the mention rows checked once at every entry, and the records built from them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest
from maps_testdata import ARTICLE_A, ARTICLE_B, make_layers, make_places, make_theatre, mention
from shapely.geometry import Point

from frontmap.errors import InputError, RenderError
from frontmap.maps import (
    export_static,
    place_count,
    render_theatre,
    report_html,
    write_index,
    write_report,
)
from frontmap.maps._rows import (
    articles_of,
    layer_features,
    map_day,
    mention_rows,
    named_places,
    place_key,
    places_and_articles,
)

# --------------------------------------------------------------------------- entry checks


def _entries(tmp_path):
    """Every public function that takes mention rows, as a callable of the frame."""
    theatre = make_theatre()
    return {
        "render_theatre": lambda f: render_theatre(theatre, f, None),
        "place_count": lambda f: place_count(f, theatre),
        "report_html": lambda f: report_html([], f, []),
        "write_report": lambda f: write_report(tmp_path / "r.html", [], f, []),
        "export_static": lambda f: export_static(theatre, f, None, tmp_path / "m.svg"),
        "write_index": lambda f: write_index(tmp_path / "index.html", [], f),
    }


ENTRIES = [
    "render_theatre",
    "place_count",
    "report_html",
    "write_report",
    "export_static",
    "write_index",
]


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_frame_without_lat_is_refused_at_entry(tmp_path, entry):
    frame = make_places().drop(columns=["lat"])
    with pytest.raises(InputError, match=r"(places|outside): no 'lat' column"):
        _entries(tmp_path)[entry](frame)
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_bad_date_is_refused_at_entry(tmp_path, entry):
    frame = make_places()
    frame.loc[1, "article_date"] = "2020-02-30"
    with pytest.raises(InputError, match=r"column 'article_date', row 1: 2020-02-30 is not a real"):
        _entries(tmp_path)[entry](frame)
    frame.loc[1, "article_date"] = "2020-02-05garbage"
    with pytest.raises(InputError, match="not a date in the form YYYY-MM-DD"):
        _entries(tmp_path)[entry](frame)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("entry", ENTRIES)
def test_not_a_frame_is_refused_at_entry(tmp_path, entry):
    with pytest.raises(InputError, match="expected a DataFrame"):
        _entries(tmp_path)[entry]([{"lat": 1.0, "lon": 2.0}])


def test_a_latitude_that_is_not_a_number_leaves_the_row_out(theatre):
    frame = make_places()
    frame["lat"] = frame["lat"].astype(object)
    frame.loc[0, "lat"] = "north"  # Saraqib, mentioned again in row 2
    frame.loc[1, "lat"] = "35.6437"  # a number written as text is a number
    frame.loc[3, "lat"] = 123.0  # not a latitude
    rows = mention_rows(frame)
    assert rows[0]["lat"] is None and rows[1]["lat"] == 35.6437
    places, _ = places_and_articles(rows, "idlib")
    assert [p.name for p in places] == ["Ma'arrat an Nu'man", "Saraqib", "Binnish"]
    assert place_count(frame, theatre) == 3


def test_rows_are_plain_python_values():
    (row, *_) = mention_rows(make_places().astype(object))
    assert type(row["start"]) is int and type(row["lat"]) is float
    assert row["zones"] == ["z-idlib"] and row["article_date"] == "2020-02-05"
    assert row["date"] is None and row["gazetteer_id"] == "163270"


def test_an_empty_frame_is_empty_whatever_its_columns():
    assert mention_rows(None) == []
    assert mention_rows(pd.DataFrame()) == []
    assert mention_rows(pd.DataFrame(columns=["theatre", "date"])) == []


# --------------------------------------------------------------------------- records


def test_place_key_by_gazetteer_id_else_name_and_coordinates():
    rows = mention_rows(make_places())
    assert place_key(rows[0]) == "g:163270|35.86230|36.80470"
    # "northwest Syria": Syria's id, a point of its own, another place
    assert place_key(dict(rows[0], lat=36.2)) == "g:163270|36.20000|36.80470"
    row = dict(rows[0], gazetteer_id=None)
    assert place_key(row) == "n:Saraqib|35.86230|36.80470"
    assert place_key(dict(row, lat=None)) is None
    assert place_key(dict(row, lon=181.0)) is None


def test_places_and_articles_group_mentions():
    places, articles = places_and_articles(mention_rows(make_places()), "idlib")
    assert [p.name for p in places] == ["Saraqib", "Ma'arrat an Nu'man", "Binnish"]
    assert [len(p.mentions) for p in places] == [2, 1, 2]
    assert [(a.index, a.id, a.date) for a in articles] == [
        (0, "a1", "2020-02-05"),
        (1, "b2", "2020-02-20"),
    ]
    assert [article for article, _ in places[2].mentions] == [0, 1]
    assert places_and_articles(mention_rows(make_places()), "libya") == ([], [])


def test_articles_without_ids_are_told_apart_by_title():
    frame = make_places().drop(columns=["article_id"])
    _, articles = places_and_articles(mention_rows(frame), "idlib")
    assert [a.id for a in articles] == ["Overnight shelling near Saraqib", "Talks continue"]


def test_named_places_per_article_with_offsets_checked():
    rows = mention_rows(make_places())
    articles, named = named_places(rows, articles_of([{"id": "a1", "text": ARTICLE_A}]))
    assert [a.id for a in articles] == ["a1", "b2"] and articles[1].text is None
    saraqib = named[0][0]
    assert (saraqib.number, saraqib.name, len(saraqib.mentions)) == (0, "Saraqib", 2)
    assert ARTICLE_A[saraqib.mentions[0].start : saraqib.mentions[0].end] == "Saraqib"
    assert [(m.start, m.end) for m in named[1][0].mentions] == [(-1, -1)]  # no text


def test_articles_of_reads_frames_mappings_and_objects():
    from frontmap.geo.articles import Article

    records = [
        {"id": "a", "title": "T", "date": dt.date(2020, 3, 1), "url": "https://x.org", "text": "x"},
        {"article_id": "b", "article_title": "U", "article_date": "2020-03-02T10:00:00"},
        {"id": "c", "article_id": "ignored", "date": None},
    ]
    a, b, c = articles_of(records)
    assert (a.id, a.title, a.date, a.url, a.text) == ("a", "T", "2020-03-01", "https://x.org", "x")
    assert (b.id, b.title, b.date, b.url, b.text) == ("b", "U", "2020-03-02", None, None)
    assert (c.id, c.date) == ("c", None)
    assert [x.id for x in articles_of(pd.DataFrame(records))] == ["a", "b", "c"]
    (obj,) = articles_of([Article(id="o", text="full", title=None)])
    assert (obj.id, obj.title, obj.text) == ("o", "", "full")
    (ns,) = articles_of([SimpleNamespace(id="n", title="<b>", date="2020-01-01")])
    assert (ns.title, ns.date) == ("<b>", "2020-01-01")
    assert articles_of(None) == []


def test_articles_of_refuses_a_bad_date():
    with pytest.raises(InputError, match="articles: article 1, date: 'soon'"):
        articles_of([{"id": "a"}, {"id": "b", "date": "soon"}])


def test_map_day_is_as_of_else_the_latest_article():
    _, articles = places_and_articles(mention_rows(make_places()), "idlib")
    assert map_day(None, articles) == "2020-02-20"
    assert map_day("2020-03-05", articles) == "2020-03-05"
    assert map_day(dt.date(2020, 3, 6), []) == "2020-03-06"
    assert map_day(None, []) is None
    for bad in ("yesterday", ""):
        with pytest.raises(InputError, match="as_of"):
            map_day(bad, articles)


# --------------------------------------------------------------------------- layers


def test_layer_features_of_the_theatre():
    layers = make_layers()
    layers.loc[0, "theatre"] = "libya"
    layers.loc[1, "valid_from"] = "2020-01-01"
    layers.loc[2, "kind"] = None
    features = layer_features(layers, "idlib")
    assert [f.id for f in features] == ["c-gov", "c-opp", "f-1", "corr-m4", "r-m5", "s-1"]
    assert features[0].valid_from == "2020-01-01" and features[0].valid_on("2019-12-31") is False
    assert features[1].kind == "zone" and features[1].actor == "opposition"
    assert features[2].actor == "" and features[2].precision_km == 1.0


def test_layer_features_in_another_crs_are_converted():
    layers = make_layers().to_crs("EPSG:3857")
    (site,) = [f for f in layer_features(layers, "idlib") if f.kind == "site"]
    assert site.geometry.equals_exact(Point(36.78, 35.97), 1e-9)


def test_layers_without_geometry_or_with_bad_dates_are_refused():
    with pytest.raises(RenderError, match="no geometry column"):
        layer_features(pd.DataFrame({"id": ["x"]}), "idlib")
    layers = make_layers()
    layers.loc[0, "valid_to"] = "never"
    with pytest.raises(InputError, match="layers: valid_to"):
        layer_features(layers, "idlib")
    empty = gpd.GeoDataFrame({"id": ["x"]}, geometry=[Point()], crs="EPSG:4326")
    assert layer_features(empty, "idlib") == []


def test_mention_text_is_display_text():
    text = "Shelling hit Sara\x01qib today."
    row = mention(text, "Sara\x01qib", "Sara\x01qib\ud800", 35.86, 36.8)
    frame = pd.DataFrame([row], dtype=object)  # pyarrow strings cannot hold surrogates
    (place,), _ = places_and_articles(mention_rows(frame), "idlib")
    assert place.name == "Saraqib?"


def test_site_subkind_from_the_layer_or_its_name():
    from frontmap.maps._rows import feature_subkind

    assert feature_subkind({"name": "Turkish observation post Morek"}, "site") == "observation_post"
    assert feature_subkind({"name": "al-Watiya air base"}, "site") == "air_base"
    assert feature_subkind({"name": "Misrata air academy air base"}, "site") == "air_base"
    assert feature_subkind({"name": "Hill 5", "subkind": "Observation Post"}, "site") == (
        "observation_post"
    )
    assert feature_subkind({"name": "X", "site_type": "radar"}, "site") == "radar"
    assert feature_subkind({"name": "Sochi zone"}, "zone") == ""


def test_areas_are_places_of_their_own_kind():
    frame = pd.DataFrame(
        [
            mention(ARTICLE_A, "Saraqib", "Saraqib", 35.86, 36.8),
            mention(ARTICLE_A, "Binnish", "Syria", 35.0, 38.0, kind="country", gid="163843"),
        ]
    )
    places, _ = places_and_articles(mention_rows(frame), "idlib")
    assert [p.area for p in places] == [False, True]


def test_an_article_naming_areas_here_and_places_elsewhere_is_not_on_the_map():
    frame = pd.DataFrame(
        [
            mention(ARTICLE_A, "Saraqib", "Saraqib", 35.86, 36.8),
            mention(ARTICLE_B, "region", "Syria", 35.0, 38.0, article="b2", kind="country"),
            mention(ARTICLE_B, "Binnish", "Tripoli", 32.9, 13.2, article="b2", theatre="libya"),
            mention(ARTICLE_B, "region", "Syria", 35.0, 38.0, article="c3", kind="country"),
        ]
    )
    places, articles = places_and_articles(mention_rows(frame), "idlib")
    # b2 names a place in Libya: on the Libya map only; c3 names only Syria: on Idlib's
    assert [a.id for a in articles] == ["a1", "c3"]
    assert [p.name for p in places] == ["Saraqib", "Syria"]
