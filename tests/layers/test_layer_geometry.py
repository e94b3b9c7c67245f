"""Geometric invariants of the shipped layers, measured in metric CRSs."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.ops import unary_union

from frontmap.layers import layers_at, load_layers, metric_crs
from frontmap.layers.catalog import shipped_paths


def _metric(frame: gpd.GeoDataFrame, theatre: str) -> gpd.GeoSeries:
    return frame.geometry.to_crs(metric_crs(theatre))


def _one(feature_id: str) -> gpd.GeoDataFrame:
    frame = load_layers()
    return frame[frame.id == feature_id]


def test_m4_corridor_is_about_12_km_wide() -> None:
    corridor = _metric(_one("idlib.corridor.m4"), "idlib").iloc[0]
    road = _metric(_one("idlib.road.m4-west"), "idlib").iloc[0]
    inside = road.intersection(corridor.buffer(1))
    # area / centre-line length, and the farthest point of the corridor from the road
    assert corridor.area / inside.length == pytest.approx(12_000, rel=0.03)
    assert road.hausdorff_distance(corridor.boundary) >= 5_900
    far = max(road.distance(shapely.Point(c)) for c in corridor.exterior.coords)
    assert far == pytest.approx(6_000, abs=60)
    assert 50_000 < inside.length < 90_000  # Tronba to Ain al-Hawr


def test_m4_corridor_ends_at_tronba_and_ain_al_hawr() -> None:
    corridor = _one("idlib.corridor.m4").geometry.iloc[0]
    assert corridor.contains(shapely.Point(36.6096, 35.8137))  # Ariha
    assert corridor.contains(shapely.Point(36.3198, 35.8142))  # Jisr al-Shughur
    assert not corridor.contains(shapely.Point(36.8059, 35.8645))  # Saraqib, east of Tronba
    assert not corridor.contains(shapely.Point(35.79, 35.52))  # Latakia


def test_lachin_corridor_is_about_5_km_wide() -> None:
    corridor = _metric(_one("caucasus.corridor.lachin"), "caucasus").iloc[0]
    road = _metric(_one("caucasus.road.lachin"), "caucasus").iloc[0]
    inside = road.intersection(corridor.buffer(1))
    assert corridor.area / inside.length == pytest.approx(5_000, rel=0.05)


def test_sochi_dmz_is_15_to_20_km_deep_on_the_opposition_side() -> None:
    dmz = _one("idlib.zone.sochi-dmz")
    front = _one("idlib.front.2018-09-17")
    opposition = _one("idlib.control.opposition.hts.2018-09-17")
    dmz_m = _metric(dmz, "idlib").iloc[0]
    front_m = _metric(front, "idlib").iloc[0]
    coords = shapely.get_coordinates(dmz_m)
    deepest = max(front_m.distance(shapely.Point(c)) for c in coords)
    assert 15_000 <= deepest <= 20_000
    assert dmz.geometry.iloc[0].difference(opposition.geometry.iloc[0].buffer(1e-4)).area < 1e-6


def test_nkao_area() -> None:
    area_km2 = _metric(_one("caucasus.zone.nkao"), "caucasus").iloc[0].area / 1e6
    assert area_km2 == pytest.approx(4_400, rel=0.15)


@pytest.mark.parametrize("theatre", ["idlib", "libya", "caucasus"])
def test_control_partitions_the_land_on_every_snapshot(theatre: str) -> None:
    """On each snapshot the actors' areas do not overlap and cover the same land."""
    frame = load_layers()
    ctl = frame[(frame.theatre == theatre) & (frame.kind == "control")]
    ctl = ctl.assign(geometry=_metric(ctl, theatre))
    land_area = None
    for _, snap in ctl.groupby("valid_from"):
        geoms = list(snap.geometry)
        total = sum(g.area for g in geoms)
        union = unary_union(geoms).area
        assert total - union < 1e6, snap.id.tolist()  # overlaps under 1 km2 in all
        if land_area is None:
            land_area = union
        assert union == pytest.approx(land_area, rel=1e-4), snap.id.tolist()


@pytest.mark.parametrize(
    ("theatre", "day"),
    [
        ("idlib", "2019-06-01"),
        ("idlib", "2020-03-10"),
        ("libya", "2020-03-01"),
        ("caucasus", "2020-10-20"),
    ],
)
def test_every_point_of_the_land_has_one_actor(theatre: str, day: str) -> None:
    snap = layers_at(day, theatre)
    ctl = snap[snap.kind == "control"]
    land = unary_union(list(ctl.geometry))
    minx, miny, maxx, maxy = land.bounds
    rng = np.random.default_rng(3)
    x = rng.uniform(minx, maxx, 20_000)
    y = rng.uniform(miny, maxy, 20_000)
    shapely.prepare(land)
    on_land = shapely.contains_xy(land, x, y)
    hits = np.zeros(len(x), dtype=int)
    for geom in ctl.geometry:
        hits += shapely.contains_xy(geom, x, y)
    assert on_land.sum() > 1000
    assert (hits[on_land] == 1).all()
    assert (hits[~on_land] == 0).all()


def test_front_lines_run_where_control_changes() -> None:
    frame = load_layers()
    for fid in ["idlib.front.2020-03-06", "libya.front.2020-10-23", "caucasus.front.1994-05-12"]:
        front = frame[frame.id == fid].iloc[0]
        snap = layers_at(front.valid_from, front.theatre)
        ctl = snap[snap.kind == "control"]
        boundaries = unary_union([g.boundary for g in ctl.geometry])
        assert front.geometry.difference(boundaries.buffer(1e-4)).length < 1e-6, fid


def test_no_front_after_september_2023_in_karabakh() -> None:
    """After September 2023 the only lines of contact are those of the Azerbaijani
    positions inside Armenia: none runs in Azerbaijan's Karabakh."""
    snap = layers_at("2024-01-01", "caucasus")
    assert set(snap[snap.kind == "control"].actor) == {"armenia", "azerbaijan"}
    front = snap[snap.kind == "front_line"].geometry.iloc[0]
    nkao = _one("caucasus.zone.nkao").geometry.iloc[0]
    assert not front.intersects(nkao.buffer(0.05))
    armenia = snap[snap.id.str.startswith("caucasus.control.armenia.am")].geometry.iloc[0]
    assert front.difference(armenia.buffer(0.01)).length < 1e-6


def test_azerbaijani_positions_inside_armenia() -> None:
    """The bands standing for them add up to the areas Armenia gave, in its metric CRS."""

    def control(day: str, prefix: str) -> shapely.Geometry:
        snap = layers_at(day, "caucasus")
        return snap[snap.id.str.startswith(prefix)].geometry.iloc[0]

    armenia = control("2021-05-01", "caucasus.control.armenia.am")  # before any of them

    def held_km2(day: str) -> float:
        inside = control(day, "caucasus.control.azerbaijan").intersection(armenia)
        metric = gpd.GeoSeries([inside], crs="EPSG:4326").to_crs(metric_crs("caucasus"))
        return float(metric.area.iloc[0]) / 1e6

    assert held_km2("2021-05-01") < 0.1
    assert held_km2("2021-06-01") == pytest.approx(41, rel=0.05)
    assert 150 < held_km2("2023-01-01") < 185


def test_shipped_files_are_what_the_build_writes() -> None:
    """The committed GeoJSON equals the output of layers/authoring (reproducible)."""
    from frontmap.layers.authoring import caucasus, idlib, libya

    modules = {"idlib": idlib, "libya": libya, "caucasus": caucasus}
    paths = {p.stem: p for p in shipped_paths()}
    assert set(paths) == set(modules)
    for name, module in modules.items():
        shipped = json.loads(paths[name].read_text(encoding="utf-8"))["features"]
        built = json.loads(json.dumps(module.features()))
        assert [f["properties"] for f in shipped] == [f["properties"] for f in built], name
        for a, b in zip(shipped, built, strict=True):
            ga, gb = shapely.geometry.shape(a["geometry"]), shapely.geometry.shape(b["geometry"])
            assert ga.equals_exact(gb, 1e-9), a["properties"]["id"]
