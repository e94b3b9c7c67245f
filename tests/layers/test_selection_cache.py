"""The shipped layers are built once and kept on disk; selections are made once per
(frame, day, theatre) in a process (issue 16: no work done twice)."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd

from frontmap.layers import catalog, join, layers_at, load_layers


def _points(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    days = [dt.date(2019, 5, 1) + dt.timedelta(days=45 * k) for k in range(12)] + [None]
    return pd.DataFrame(
        {
            "lat": np.r_[rng.uniform(35.2, 36.8, n // 2), rng.uniform(32.0, 33.0, n // 2)],
            "lon": np.r_[rng.uniform(36.0, 37.5, n // 2), rng.uniform(12.5, 15.0, n // 2)],
            "date": [days[i % len(days)] for i in range(n)],
        }
    )


def test_shipped_layers_cached_on_disk_and_read_back_the_same(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path))
    catalog._shipped.cache_clear()
    try:
        built = catalog._shipped()
        cached = list(tmp_path.glob("layers-*.pickle"))
        assert len(cached) == 1
        catalog._shipped.cache_clear()
        read = catalog._shipped()
        assert read is not built
        pd.testing.assert_frame_equal(
            pd.DataFrame(read.drop(columns="geometry")),
            pd.DataFrame(built.drop(columns="geometry")),
        )
        assert read.geometry.geom_equals_exact(built.geometry, tolerance=0).all()
        # a damaged cache file is rebuilt, not trusted
        cached[0].write_bytes(b"not a pickle")
        catalog._shipped.cache_clear()
        again = catalog._shipped()
        assert len(again) == len(built)
    finally:
        catalog._shipped.cache_clear()


def test_cache_key_follows_the_files(tmp_path) -> None:
    copies = []
    for path in catalog.shipped_paths():
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    before = catalog._shipped_key(copies)
    stat = copies[0].stat()
    os.utime(copies[0], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert catalog._shipped_key(copies) != before


def test_remembered_selections_give_the_same_join() -> None:
    places = _points()
    frozen = join(places)  # the shipped frame: selections remembered
    memo = catalog.memo_of(catalog._shipped())
    assert memo is not None
    keys = [k for k in memo if isinstance(k, tuple) and k[0] == "selection"]
    assert len(keys) == len(set(keys)) and len(keys) <= 13 * 3
    again = join(places)
    fresh = join(places, layers=load_layers())  # a copy: nothing remembered
    assert catalog.memo_of(load_layers()) is None
    for col in ("theatre", "control", "front_km", "faction", "control_note"):
        assert frozen[col].tolist() == fresh[col].tolist() == again[col].tolist(), col
    assert [list(z) for z in frozen["zones"]] == [list(z) for z in fresh["zones"]]
    assert (frozen["control"].notna()).sum() > 100


def test_layers_at_returns_a_frame_of_your_own() -> None:
    a = layers_at("2020-03-01", "idlib")
    a["name"] = "changed"
    b = layers_at("2020-03-01", "idlib")
    assert len(a) == len(b) > 0 and not (b["name"] == "changed").any()
    vf = pd.Series([d.toordinal() for d in b["valid_from"]])
    assert (vf <= dt.date(2020, 3, 1).toordinal()).all()
