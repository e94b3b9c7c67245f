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


def test_factions_are_checked(tmp_path: Path) -> None:
    ok = _feature(id="t.c.1", kind="control", actor="opposition", faction="hts")
    free = _feature(id="t.s.1", kind="zone", actor="wagner", faction="anything")
    bad = [
        _feature(id="t.c.2", kind="control", actor="opposition", faction="isis"),
        _feature(id="t.c.3", kind="control", actor="sdf", faction="ypg", layer="t/3"),
        _feature(id="t.z.4", faction="hts", layer="t/4"),  # no actor
        _feature(id="t.c.5", kind="control", actor="opposition", faction="", layer="t/5"),
    ]
    path = _write(tmp_path, [ok, free, *bad])
    problems = check([path])
    assert len(problems) == 4
    assert (
        "faction 'isis' is not one of actor opposition's factions (hts, sfa, sna, south)"
        in (problems[0])
    )
    assert "sdf's factions (none listed)" in problems[1]
    assert "a faction needs an actor" in problems[2]
    assert "non-empty string or null" in problems[3]
    frame = load_layers(_write(tmp_path, [ok, free], name="y.geojson"))
    assert list(frame["faction"]) == ["hts", "anything"]
    assert "faction" in COLUMNS


def test_layers_between() -> None:
    from frontmap.errors import InputError
    from frontmap.layers import layers_between

    picked = layers_between("2024-11-27", "2024-12-08", "idlib")
    fronts = picked[picked.kind == "front_line"]
    starts = sorted(d.isoformat() for d in fronts.valid_from)
    # the snapshot in force on the first day, and every one that begins in the range
    assert starts[0] == "2024-11-27" and starts[-1] == "2024-12-08" and len(starts) == 10
    assert set(picked.theatre) == {"idlib"}
    one_day = layers_between("2020-03-10", "2020-03-10")
    assert set(one_day.id) == set(layers_at("2020-03-10").id)
    # a feature ending on the first day or starting on the last is in
    at_edges = layers_between("2024-11-26", "2024-11-27", "idlib")
    assert {"idlib.front.2020-03-06", "idlib.front.2024-11-27"} <= set(at_edges.id)
    with pytest.raises(InputError, match="before start"):
        layers_between("2020-02-01", "2020-01-01")
    with pytest.raises(InputError, match="start and an end"):
        layers_between(None, "2020-01-01")


def test_coverage_and_notes(tmp_path: Path) -> None:
    from frontmap.layers import coverage, coverage_note

    cov = coverage()
    assert cov["idlib"]["control"] == (dt.date(2018, 9, 17), None)
    assert cov["caucasus"]["corridor"] == (dt.date(2020, 11, 10), dt.date(2023, 4, 22))
    assert cov["libya"]["line"][1] is None
    assert coverage_note("idlib", "2018-09-16") == "no control data before 17 Sep 2018"
    assert coverage_note("idlib", "2026-12-01") is None
    assert coverage_note("idlib", None) is None
    # a file of your own, with a gap and a closed end
    a = _feature(id="t.c.a", kind="control", actor="government", valid_to="2020-01-31")
    b = _feature(
        id="t.c.b", kind="control", actor="government", valid_from="2020-03-01", valid_to=None
    )
    c = _feature(
        id="t.c.c", kind="control", actor="sdf", valid_from="2020-03-01", valid_to="2020-06-30"
    )
    mine = load_layers(_write(tmp_path, [a, b, c]))
    assert coverage(mine)["idlib"]["control"] == (dt.date(2020, 1, 1), None)
    note = coverage_note("idlib", "2020-02-10", mine)
    assert note == "no control data between 31 Jan 2020 and 1 Mar 2020"
    assert coverage_note("idlib", "2020-02-01", mine) is not None
    assert coverage_note("idlib", "2020-03-01", mine) is None
    closed = load_layers(_write(tmp_path, [a], name="z.geojson"))
    assert coverage_note("idlib", "2021-01-01", closed) == "no control data after 31 Jan 2020"
    assert coverage_note("idlib", None, closed) == (
        "no control data after 31 Jan 2020 (the latest state)"
    )
    assert coverage_note("libya", "2020-01-01", closed) == "no control data for Libya"


def test_combine_layers(tmp_path: Path) -> None:
    import pandas as pd

    from frontmap.layers import combine_layers, join

    mine = _feature(id="t.c.mine", kind="control", actor="sdf", layer="t/c/mine")
    path = _write(tmp_path, [mine])
    both = combine_layers([path])
    assert list(both.id[:1]) == ["t.c.mine"] and len(both) == len(load_layers()) + 1
    assert both.crs.to_epsg() == 4326
    only = combine_layers(path, only=True)
    assert list(only.id) == ["t.c.mine"]
    # yours win where areas of control overlap on a day
    point = pd.DataFrame({"lat": [35.6], "lon": [36.6]})  # inside the test square
    assert join(point, "2020-06-01")["control"][0] == "government"
    assert join(point, "2020-06-01", layers=both)["control"][0] == "sdf"
    assert join(point, "2021-06-01", layers=both)["control"][0] == "government"
    assert join(point, "2021-06-01", layers=only)["control_note"][0] == (
        "no control data after 31 Dec 2020"
    )
    bad = _feature(id="t.c.bad", kind="control", actor="nobody")
    with pytest.raises(LayerError, match="actor 'nobody' is not one of"):
        combine_layers([_write(tmp_path, [bad, bad], name="bad.geojson")])
    with pytest.raises(LayerError, match=r"\(and 2 more problems\)$"):
        combine_layers([_write(tmp_path, [bad, bad, bad], name="bad.geojson")])
    with pytest.raises(LayerError, match=r"\(and 1 more problem\)$"):
        combine_layers([_write(tmp_path, [bad, bad], name="bad.geojson")])
    clash = _feature(id="idlib.zone.astana")
    with pytest.raises(LayerError, match="also the id of a shipped feature"):
        combine_layers([_write(tmp_path, [clash], name="clash.geojson")])
    assert len(combine_layers([_write(tmp_path, [clash], name="c2.geojson")], only=True)) == 1


def test_problems_are_one_line_whatever_the_file_holds(tmp_path) -> None:
    """A property holding a newline or a bidi override is escaped in the message (found by
    tests/test_fuzz.py: a theatre of "\\n" broke the message's line)."""
    import json

    from frontmap.layers import check

    feature = {
        "type": "Feature",
        "properties": {
            "id": "z.1",
            "theatre": "\n",
            "kind": "zone\u202e",
            "name": "Zone",
            "actor": "government",
            "valid_from": "2020-03-05",
            "valid_to": "2020-03-01",
            "source": "a test",
            "precision_km": 0.0,
        },
        "geometry": {"type": "Point", "coordinates": [36.6, 35.8]},
    }
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    problems = check([path])
    assert any("unknown theatre '\\n'" in p for p in problems), problems
    assert not any(c in p for p in problems for c in "\n\u202e")
