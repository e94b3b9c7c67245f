"""layers.spatial_join: join and control_at: columns, nulls, dates, fallbacks, speed."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from frontmap.errors import InputError
from frontmap.layers import control_at, join, load_layers, metric_crs


def test_join_columns_and_nulls() -> None:
    places = pd.DataFrame(
        {
            "name": ["Saraqib", "Paris", "Baghdad", "no position"],
            "lat": [35.8645, 48.85, 33.31, None],
            "lon": [36.8059, 2.35, 44.36, None],
            "kind": ["city", "city", "city", "city"],
            "country": ["SY", "FR", "IQ", "SY"],
        }
    )
    out = join(places, date=dt.date(2020, 3, 10))
    assert isinstance(out, gpd.GeoDataFrame) and out.crs.to_epsg() == 4326
    assert list(out.columns) == [
        *places.columns,
        "theatre",
        "zones",
        "control",
        "front_km",
        "faction",
        "control_note",
        "geometry",
    ]
    assert out.iloc[0].theatre == "idlib" and out.iloc[0].control == "government"
    assert out.iloc[0].faction is None and out.iloc[0].control_note is None
    assert out.iloc[0].zones == ["idlib.zone.astana"]
    assert isinstance(out.iloc[0].front_km, float)
    for i in (1, 2, 3):
        row = out.iloc[i]
        assert row.theatre is None and row.control is None and row.front_km is None
        assert row.zones == [] and row.faction is None and row.control_note is None
    assert out.geometry.iloc[0].x == pytest.approx(36.8059)
    assert out.geometry.iloc[3] is None
    assert list(out.index) == list(places.index)


def test_join_keeps_index_and_does_not_touch_input() -> None:
    places = pd.DataFrame({"lat": [35.8645, 32.435], "lon": [36.8059, 13.633]}, index=[7, 3])
    before = places.copy()
    out = join(places, date="2020-03-01")
    assert list(out.index) == [7, 3]
    assert list(out.control) == ["opposition", "lna"]
    pd.testing.assert_frame_equal(places, before)


def test_per_row_date_overrides_argument() -> None:
    places = pd.DataFrame(
        {
            "lat": [32.435, 32.435, 32.435],
            "lon": [13.633, 13.633, 13.633],
            "date": [dt.date(2020, 3, 1), None, pd.Timestamp("2020-07-01")],
        }
    )
    out = join(places, date="2020-07-01")
    assert list(out.control) == ["lna", "gna", "gna"]
    out = join(places)  # None: the latest state for the row without a date
    assert list(out.control) == ["lna", "gna", "gna"]


def test_latest_state() -> None:
    # Every theatre's layers are open-ended (the latest state is today's).
    assert control_at(31.2089, 16.5887) == "lna"
    assert control_at(35.8645, 36.8059) == "government"
    assert control_at(35.8645, 36.8059, "2024-11-26") == "government"
    assert control_at(35.8645, 36.8059, "2024-11-28") == "government"  # Saraqib: the 29th
    assert control_at(35.8645, 36.8059, "2024-11-29") == "opposition"
    assert control_at(39.8153, 46.7519) == "azerbaijan"


def test_bad_input() -> None:
    with pytest.raises(InputError, match="lat"):
        join(pd.DataFrame({"lon": [1.0]}))
    with pytest.raises(InputError, match="date"):
        join(pd.DataFrame({"lat": [35.0], "lon": [36.0]}), date="yesterday")
    with pytest.raises(InputError, match="date"):
        join(pd.DataFrame({"lat": [35.0], "lon": [36.0], "date": ["soon"]}))


def test_country_places_get_a_theatre_only() -> None:
    places = pd.DataFrame({"lat": [35.0], "lon": [38.0], "kind": ["country"], "country": ["SY"]})
    row = join(places, date="2020-01-01").iloc[0]
    assert row.theatre == "idlib"
    assert row.control is None and row.front_km is None and row.zones == []


def test_regions_get_a_theatre_only() -> None:
    """A region (precision 3) or an admin area has no control and no front distance."""
    # The same point just behind the Idlib front of 1 March 2020, four ways.
    places = pd.DataFrame(
        {
            "lat": [35.93, 35.93, 35.93, 35.93, 35.93],
            "lon": [36.63, 36.63, 36.63, 36.63, 36.63],
            "kind": ["region", "region", "admin_region", "populated_place", "water"],
            "country": ["SY"] * 5,
            "precision": [3, 2, None, 1, 3],
        }
    )
    out = join(places, date="2020-03-01")
    assert list(out["theatre"]) == ["idlib"] * 5
    # "northwest Syria": a region, drawn as an area; "north of Idlib" (a region
    # kind at precision 2) stands near a town and is joined like it.
    assert list(out["control"]) == [None, "opposition", None, "opposition", None]
    assert [k is None for k in out["front_km"]] == [True, False, True, False, True]
    assert [list(z) for z in out["zones"]][0] == []
    assert out["zones"].iloc[1] == out["zones"].iloc[3] != []


def test_coastal_fallback() -> None:
    # a point 800 m off Tripoli's coast takes the control of the nearest land
    assert control_at(32.912, 13.19, "2020-03-01") == "gna"
    # Reyhanli in Turkey, 2-3 km from the Syrian border, has none
    assert control_at(36.2676, 36.5671, "2020-03-10") is None


def test_front_km_is_metric() -> None:
    """front_km equals a distance measured here in the theatre's metric CRS."""
    frame = load_layers()
    front = frame[(frame.id == "idlib.front.2020-03-06")].to_crs(metric_crs("idlib"))
    point = gpd.GeoSeries.from_xy([36.6096], [35.8137], crs=4326).to_crs(metric_crs("idlib"))
    expected = front.geometry.iloc[0].distance(point.iloc[0]) / 1000
    got = join(pd.DataFrame({"lat": [35.8137], "lon": [36.6096]}), "2020-04-01").front_km[0]
    assert got == pytest.approx(expected, abs=0.051)
    assert 3 < got < 30  # Ariha, behind the ceasefire line


def test_join_with_given_layers(tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "properties": {
            "id": "my.control",
            "theatre": "libya",
            "kind": "control",
            "name": "all Libya",
            "actor": "gna",
            "valid_from": "2000-01-01",
            "valid_to": None,
            "source": "test",
            "precision_km": 1,
        },
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[9, 19], [26, 19], [26, 34], [9, 34], [9, 19]]],
        },
    }
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out = join(pd.DataFrame({"lat": [31.2089], "lon": [16.5887]}), "2020-03-01", load_layers(path))
    assert out.control[0] == "gna" and out.front_km[0] is None and out.zones[0] == []


def test_join_speed_sanity() -> None:
    """Not a benchmark: 10,000 points over two dates and three theatres go quickly."""
    rng = np.random.default_rng(1)
    n = 10_000
    places = pd.DataFrame(
        {
            "lat": np.concatenate([rng.uniform(35.0, 36.5, n // 2), rng.uniform(29, 33, n // 2)]),
            "lon": np.concatenate([rng.uniform(36.0, 37.5, n // 2), rng.uniform(11, 20, n // 2)]),
            "date": [dt.date(2019, 6, 1), dt.date(2020, 6, 1)] * (n // 2),
        }
    )
    join(places.head(10))
    start = time.perf_counter()
    out = join(places)
    elapsed = time.perf_counter() - start
    assert out.control.notna().mean() > 0.6  # the rest is sea or abroad
    assert elapsed < 5.0, elapsed
