"""The optimised join against a straightforward reference computation.

``frontmap.layers.join`` classifies points through grids of cells and measures front
distances with its own point-to-segment code; these tests check that it gives
exactly what the plain definitions give (shapely predicates, ``GeoSeries.distance``
in the theatre's metric CRS) on ~5,000 points over the three theatres at several
dates, with the grids used as for small joins and as for large ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import frontmap.layers._grid as grid
from frontmap.layers import coverage_note, join, layers_at, load_layers, metric_crs
from frontmap.layers.spatial_join import FALLBACK_KM
from frontmap.theatres import all_theatres as theatres
from frontmap.theatres import theatre_extent, theatre_outline

DATES = [None, "2019-06-01", "2020-03-01", "2020-10-20", "2024-11-26", "2024-12-05", "2026-03-01"]


def _places(seed: int = 8) -> pd.DataFrame:
    """~5,000 points: uniform over each theatre, near layer edges (some within reach
    of two areas of control), on vertices, outside."""
    rng = np.random.default_rng(seed)
    lats, lons = [], []
    for t in theatres():
        (s, w), (n, e) = t.bounds
        lats.append(rng.uniform(s, n, 1000))
        lons.append(rng.uniform(w, e, 1000))
        # over the theatre's countries too (northeast Syria lies outside the Idlib view)
        (s, w), (n, e) = theatre_extent(t.id)
        lats.append(rng.uniform(s, n, 500))
        lons.append(rng.uniform(w, e, 500))
        # on the bounds (inclusive)
        lats.append(np.array([s, n, s, n]))
        lons.append(np.array([w, e, e, w]))
    frame = load_layers()
    edges = frame[frame["kind"].isin(["control", "zone", "corridor", "front_line"])]
    xy = np.concatenate([shapely.get_coordinates(g) for g in edges.geometry])
    near = xy[rng.choice(len(xy), 1000)] + rng.normal(0.0, 0.02, (1000, 2))  # about 2 km
    exact = xy[rng.choice(len(xy), 200)]  # on a vertex: on the boundary, not contained
    areas = edges[edges["kind"] == "control"]
    xy = np.concatenate([shapely.get_coordinates(g) for g in areas.geometry])
    gaps = xy[rng.choice(len(xy), 1000)] + rng.normal(0.0, 0.005, (1000, 2))  # about 500 m
    lons += [near[:, 0], exact[:, 0], gaps[:, 0], np.array([2.35, 36.29, 36.0, np.nan])]
    lats += [near[:, 1], exact[:, 1], gaps[:, 1], np.array([48.85, 33.51, np.nan, 35.0])]
    lat, lon = np.concatenate(lats), np.concatenate(lons)
    kind = np.where(rng.random(len(lat)) < 0.03, "country", "city").astype(object)
    return pd.DataFrame({"lat": lat, "lon": lon, "kind": kind})


PLACES = _places()


def _reference(places: pd.DataFrame, date: Any) -> dict[str, list[Any]]:
    """theatre, zones, control, front_km, faction and control_note from the definitions,
    row by row semantics."""
    frame = load_layers()
    n = len(places)
    lat = places["lat"].to_numpy(dtype=float)
    lon = places["lon"].to_numpy(dtype=float)
    theatre = np.full(n, None, dtype=object)
    every = shapely.points(lon, lat)
    for t in theatres():
        (s, w), (nn, e) = t.bounds
        in_bounds = (lat >= s) & (lat <= nn) & (lon >= w) & (lon <= e)
        in_country = shapely.contains(theatre_outline(t.id), every)
        inside = pd.isna(theatre) & (in_bounds | in_country)
        theatre[inside] = t.id
    zones: list[list[str]] = [[] for _ in range(n)]
    control = np.full(n, None, dtype=object)
    faction = np.full(n, None, dtype=object)
    note = np.full(n, None, dtype=object)
    front = np.full(n, None, dtype=object)
    for t in theatres():
        rows = np.flatnonzero((theatre == t.id) & (places["kind"].to_numpy() != "country"))
        if not len(rows):
            continue
        sel = layers_at(date, t.id, frame)
        crs = metric_crs(t.id)
        pts = shapely.points(lon[rows], lat[rows])
        metric_pts = gpd.GeoSeries(pts, crs="EPSG:4326").to_crs(crs)

        # control: the first area containing the point, else the nearest one whose
        # area grown by FALLBACK_KM (in the metric CRS) contains it
        areas = sel[sel["kind"] == "control"]
        got = np.full(len(rows), None, dtype=object)
        got_faction = np.full(len(rows), None, dtype=object)
        pairs = list(zip(areas["actor"], areas["faction"], areas.geometry, strict=True))
        for actor, fac, poly in pairs:
            hit = pd.isna(got) & shapely.contains(poly, pts)
            got[hit] = actor
            got_faction[hit] = fac
        free = np.flatnonzero(pd.isna(got))
        best = np.full(len(free), np.inf)
        for actor, fac, poly in pairs:
            metric_poly = gpd.GeoSeries([poly], crs="EPSG:4326").to_crs(crs)
            grown = metric_poly.buffer(FALLBACK_KM * 1000, quad_segs=4).to_crs("EPSG:4326")
            within = shapely.contains(grown.iloc[0], pts[free])
            dist = metric_pts.iloc[free].distance(metric_poly.iloc[0]).to_numpy()
            better = within & (dist < best)
            best[better] = dist[better]
            got[free[better]] = actor
            got_faction[free[better]] = fac
        control[rows] = got
        faction[rows] = got_faction
        note[rows] = coverage_note(t.id, date)

        for zid, poly in zip(
            sel["id"][sel["kind"].isin(["zone", "corridor"])],
            sel.geometry[sel["kind"].isin(["zone", "corridor"])],
            strict=True,
        ):
            for r in rows[shapely.contains(poly, pts)]:
                zones[r].append(zid)

        lines = sel[sel["kind"] == "front_line"].to_crs(crs)
        if len(lines):
            metres = np.min([metric_pts.distance(g).to_numpy() for g in lines.geometry], axis=0)
            km = np.round(metres / 1000.0, 1)
            front[rows] = [float(v) for v in km]
    return {
        "theatre": list(theatre),
        "zones": [sorted(z) for z in zones],
        "control": list(control),
        "front_km": list(front),
        "faction": list(faction),
        "control_note": list(note),
    }


def _check(out: gpd.GeoDataFrame, places: pd.DataFrame, ref: dict[str, list[Any]]) -> None:
    assert isinstance(out, gpd.GeoDataFrame) and out.crs.to_epsg() == 4326
    assert list(out.columns) == [*places.columns, *ref, "geometry"]
    assert list(out.index) == list(places.index)
    for name, expected in ref.items():
        assert out[name].dtype == object, name
        got = out[name].tolist()
        bad = [
            (i, g, e)
            for i, (g, e) in enumerate(zip(got, expected, strict=True))
            if not (type(g) is type(e) and g == e) and not (g is None and e is None)
        ]
        assert not bad, f"{name}: {len(bad)} rows differ, first {bad[:5]}"
    zones = out["zones"].tolist()
    assert len({id(z) for z in zones}) == len(zones)  # each row its own list
    ok = places["lat"].notna() & places["lon"].notna()
    geoms = out.geometry.to_numpy()
    assert all(g is None for g in geoms[~ok.to_numpy()])
    expected = shapely.points(places["lon"][ok], places["lat"][ok])
    assert shapely.equals_exact(geoms[ok.to_numpy()], expected, tolerance=0).all()


@pytest.fixture(params=["small", "grid"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """ "small": the paths of small joins; "grid": the cell grids of large ones."""
    if request.param == "grid":
        monkeypatch.setattr(grid, "GRID_MIN_POINTS", 0)
        monkeypatch.setattr(grid, "_PAIRS_PER_BLOCK", 97)  # many blocks
    return request.param


@pytest.mark.parametrize("date", DATES)
def test_join_equals_reference(date: str | None, mode: str) -> None:
    out = join(PLACES, date=date)
    _check(out, PLACES, _reference(PLACES, date))
    # the sample reaches the interesting cases
    assert {"idlib", "libya", "caucasus"} <= set(out["theatre"].dropna())
    if date == "2020-03-01":
        assert out["zones"].map(len).gt(0).sum() > 100
        assert out["front_km"].notna().sum() > 3000


def test_per_row_dates_equal_reference(mode: str) -> None:
    rng = np.random.default_rng(3)
    days = np.array([dt.date(2019, 6, 1), dt.date(2020, 3, 1), None, "2020-10-20"], dtype=object)
    places = PLACES.assign(date=days[rng.integers(0, len(days), len(PLACES))])
    places.index = rng.permutation(len(places)) + 100
    out = join(places, date="2024-11-26")
    ref: dict[str, list[Any]] = {k: [None] * len(places) for k in ("theatre", "zones")}
    ref |= {"control": [None] * len(places), "front_km": [None] * len(places)}
    ref |= {"faction": [None] * len(places), "control_note": [None] * len(places)}
    for day in days:
        rows = np.flatnonzero(places["date"].map(lambda d, day=day: d is day).to_numpy())
        part = _reference(places.iloc[rows], "2024-11-26" if day is None else day)
        for name, values in part.items():
            for r, v in zip(rows, values, strict=True):
                ref[name][r] = v
    _check(out, places, ref)


def test_segment_distance_is_geos() -> None:
    """The join's point-to-segment distance gives GEOS's floats, bit for bit."""
    rng = np.random.default_rng(5)
    m = 300
    xy = np.cumsum(rng.normal(0, 800, (m, 2)), axis=0) + [3e5, 3.9e6]
    xy[50] = xy[49]  # a segment of length 0
    segments = grid._Segments.of(xy[:-1], xy[1:])
    line = shapely.linestrings(xy)
    lo, hi = xy.min(axis=0) - 5e4, xy.max(axis=0) + 5e4
    pts = np.concatenate([rng.uniform(lo, hi, (4000, 2)), xy, (xy[:-1] + xy[1:]) / 2])
    px = np.repeat(pts[:, 0], m - 1)
    py = np.repeat(pts[:, 1], m - 1)
    seg = np.tile(np.arange(m - 1), len(pts))
    mine = segments.distance(px, py, seg).reshape(len(pts), m - 1).min(axis=1)
    geos = shapely.distance(shapely.points(pts), line)
    assert np.array_equal(mine, geos)
