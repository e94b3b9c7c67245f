"""load_layers, layers_at and check on the shipped files and on files written here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from frontmap.errors import LayerError
from frontmap.layers import check, layers_at, load_layers
from frontmap.layers.catalog import COLUMNS, layer_key


def _feature(**over: Any) -> dict[str, Any]:
    props = {
        "id": "t.zone.a",
        "theatre": "idlib",
        "kind": "zone",
        "name": "A test zone",
        "actor": None,
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "source": "written in a test",
        "precision_km": 1.0,
    }
    geometry = over.pop(
        "geometry",
        {
            "type": "Polygon",
            "coordinates": [[[36.5, 35.5], [36.7, 35.5], [36.7, 35.7], [36.5, 35.7], [36.5, 35.5]]],
        },
    )
    drop = over.pop("drop", ())
    props.update(over)
    for key in drop:
        props.pop(key)
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _write(tmp_path: Path, features: list[dict[str, Any]], name: str = "x.geojson", **doc: Any):
    path = tmp_path / name
    path.write_text(
        json.dumps({"type": "FeatureCollection", **doc, "features": features}), encoding="utf-8"
    )
    return path


# --- shipped files ------------------------------------------------------------------------


def test_shipped_files_check_clean() -> None:
    assert check() == []


def test_shipped_load() -> None:
    frame = load_layers()
    assert list(frame.columns) == COLUMNS
    assert frame.crs.to_epsg() == 4326
    assert set(frame.theatre) == {"idlib", "libya", "caucasus"}
    assert frame.id.is_unique
    assert all(isinstance(d, dt.date) for d in frame.valid_from)
    assert all(d is None or isinstance(d, dt.date) for d in frame.valid_to)
    assert frame.geometry.is_valid.all()
    # cached, but each caller gets its own copy
    frame.loc[frame.index[0], "name"] = "changed"
    assert load_layers().name.iloc[0] != "changed"


def test_shipped_kinds_per_theatre() -> None:
    frame = load_layers()
    kinds = frame.groupby("theatre").kind.agg(set)
    assert {"control", "front_line", "zone", "corridor", "road", "site"} <= kinds["idlib"]
    assert {"control", "front_line", "line", "site"} <= kinds["libya"]
    assert {"control", "front_line", "zone", "corridor"} <= kinds["caucasus"]
    assert set(frame[frame.kind == "control"].actor) == {
        "government",
        "opposition",
        "sdf",
        "israel",
        "druze",
        "gna",
        "lna",
        "armenia",
        "azerbaijan",
    }
    factions = frame[frame.kind == "control"].groupby("actor").faction.agg(set)
    assert {"hts", "sna", "sfa", "south"} == factions["opposition"]
    assert {"am", "nk"} == factions["armenia"]
    assert {None, "sna"} == factions["government"]


def test_layers_at_inclusive_ends() -> None:
    frame = load_layers()
    snap = frame[frame.id == "idlib.control.government.2020-01-28"].iloc[0]
    for day in (snap.valid_from, snap.valid_to):
        assert snap.id in set(layers_at(day, "idlib").id)
    assert snap.id not in set(layers_at(snap.valid_to + dt.timedelta(days=1), "idlib").id)
    assert snap.id not in set(layers_at(snap.valid_from - dt.timedelta(days=1), "idlib").id)
    # strings, datetimes and dates all work
    assert set(layers_at("2020-02-01").id) == set(layers_at(dt.datetime(2020, 2, 1, 12)).id)


def test_layers_at_latest_is_open_ended() -> None:
    latest = layers_at(None)
    assert latest.valid_to.isna().all()
    assert {"libya", "caucasus"} <= set(latest[latest.kind == "control"].theatre)


def test_layers_at_one_theatre_and_given_frame(tmp_path: Path) -> None:
    path = _write(tmp_path, [_feature()])
    frame = load_layers(path)
    assert list(layers_at("2020-06-01", "idlib", frame).id) == ["t.zone.a"]
    assert layers_at("2021-06-01", "idlib", frame).empty
    assert layers_at("2020-06-01", "libya", frame).empty


# --- user files ---------------------------------------------------------------------------


def test_clean_user_file(tmp_path: Path) -> None:
    path = _write(tmp_path, [_feature(), _feature(id="t.zone.b", name="B", valid_to=None)])
    assert check([path]) == []
    assert check(str(path)) == []
    assert len(load_layers([path])) == 2


def test_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    problems = check([path])
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: not valid JSON")
    with pytest.raises(LayerError, match="broken.geojson: not valid JSON"):
        load_layers([path])


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.geojson"
    assert check([path]) == [f"{path}: no such file"]
    with pytest.raises(LayerError, match="absent.geojson"):
        load_layers(path)


def test_not_a_feature_collection(tmp_path: Path) -> None:
    path = tmp_path / "f.geojson"
    path.write_text(json.dumps(_feature()), encoding="utf-8")
    assert check([path]) == [f"{path}: not a GeoJSON FeatureCollection"]


def test_self_intersecting_polygon(tmp_path: Path) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[36.5, 35.5], [36.7, 35.7], [36.7, 35.5], [36.5, 35.7], [36.5, 35.5]]],
    }
    path = _write(tmp_path, [_feature(geometry=bowtie)])
    problems = check([path])
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: feature t.zone.a: invalid geometry: Self-intersection")


def test_other_crs(tmp_path: Path) -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path = _write(tmp_path, [_feature()], crs=crs)
    problems = check([path])
    assert problems == [f"{path}: CRS urn:ogc:def:crs:EPSG::3857 is not WGS84 (EPSG:4326/CRS84)"]
    with pytest.raises(LayerError, match="not WGS84"):
        load_layers(path)
    ok = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert check([_write(tmp_path, [_feature()], "ok.geojson", crs=ok)]) == []


def test_missing_and_inverted_dates(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            _feature(id="t.a", drop=("valid_from",)),
            _feature(id="t.b", valid_from="2020-05-01", valid_to="2020-04-30"),
            _feature(id="t.c", valid_from="1 May 2020"),
        ],
    )
    problems = check([path])
    assert problems == [
        f"{path}: feature t.a: missing property 'valid_from'",
        f"{path}: feature t.b: valid_to 2020-04-30 is before valid_from 2020-05-01",
        f"{path}: feature t.c: valid_from '1 May 2020' is not an ISO date (YYYY-MM-DD)",
    ]
    with pytest.raises(LayerError, match="feature t.a: missing property 'valid_from'"):
        load_layers(path)


def test_overlapping_snapshots(tmp_path: Path) -> None:
    feats = [
        _feature(id="t.s1", layer="t/control/x", valid_from="2020-01-01", valid_to="2020-06-30"),
        _feature(id="t.s2", layer="t/control/x", valid_from="2020-06-30", valid_to="2020-12-31"),
        _feature(id="t.s3", layer="t/control/x", valid_from="2021-01-01", valid_to=None),
        # another layer may overlap freely
        _feature(id="t.other", layer="t/control/y", valid_from="2020-03-01", valid_to=None),
    ]
    path = _write(tmp_path, feats)
    problems = check([path])
    assert len(problems) == 1
    expected = f"{path}: feature t.s2: overlaps t.s1 in time in layer t/control/x"
    assert problems[0].startswith(expected)


def test_overlap_hidden_behind_a_short_snapshot(tmp_path: Path) -> None:
    feats = [
        _feature(id="t.long", layer="L", valid_from="2020-01-01", valid_to=None),
        _feature(id="t.short", layer="L", valid_from="2020-02-01", valid_to="2020-02-02"),
        _feature(id="t.late", layer="L", valid_from="2021-01-01", valid_to="2021-02-01"),
    ]
    problems = check([_write(tmp_path, feats)])
    assert [p.split(": ")[1] for p in problems] == ["feature t.short", "feature t.late"]


def test_layer_key_without_layer_property() -> None:
    props = _feature()["properties"]
    assert layer_key(props) == "idlib/zone/None/A test zone"
    assert layer_key({**props, "layer": "my/layer"}) == "my/layer"


def test_properties_and_kinds(tmp_path: Path) -> None:
    feats = [
        _feature(id="t.k", kind="bunker"),
        _feature(id="t.c", kind="control", actor="rebels"),
        _feature(id="t.p", precision_km="5"),
        _feature(id="t.t", theatre="mars"),
        _feature(id="t.g", kind="site"),
        _feature(id="", name="no id"),
        _feature(id="t.dup"),
        _feature(id="t.dup"),
        _feature(id="t.swap", geometry={"type": "Point", "coordinates": [80.0, 36.6]}, kind="site"),
    ]
    problems = check([_write(tmp_path, feats)])
    text = "\n".join(problems)
    assert "feature t.k: kind 'bunker' is not one of" in text
    assert "feature t.c: actor 'rebels' is not one of government, opposition, sdf" in text
    assert "feature t.p: property 'precision_km' must be a positive number" in text
    assert "feature t.t: unknown theatre 'mars'" in text
    assert "feature t.g: geometry Polygon not allowed for kind site" in text
    assert "feature #5: property 'id' must be a non-empty string" in text
    assert "feature t.dup: duplicate id" in text
    assert "feature t.swap: geometry lies far outside theatre idlib" in text
    assert all(line.count(": ") >= 2 for line in problems)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    a = _write(tmp_path, [_feature()], "a.geojson")
    b = _write(tmp_path, [_feature()], "b.geojson")
    assert check([a, b])[0] == f"{b}: feature t.zone.a: duplicate id (also in {a})"
    with pytest.raises(LayerError, match="duplicate feature id t.zone.a"):
        load_layers([a, b])


def test_empty_collection(tmp_path: Path) -> None:
    path = _write(tmp_path, [])
    assert check([path]) == []
    frame = load_layers(path)
    assert frame.empty and list(frame.columns) == COLUMNS
