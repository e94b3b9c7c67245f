"""_basemap.py: the offline base map (Natural Earth land and borders, town labels)."""

from __future__ import annotations

import json
import os

import pytest

from frontmap.maps import _basemap
from frontmap.maps._basemap import _pixels, towns, view_box

IDLIB = ((34.9, 35.65), (36.9, 37.6))


def test_town_labels_do_not_overlap():
    chosen = towns((38.3, 43.4, 41.95, 50.7), 30, zoom=8)
    names = [t[0] for t in chosen]
    assert "Yerevan" in names and "Baku" in names
    points = [_pixels(lat, lon, 8) for _, lat, lon, _ in chosen]
    for i, (x, y) in enumerate(points):
        for x2, y2 in points[i + 1 :]:
            assert abs(x - x2) >= 80 or abs(y - y2) >= 16


def test_view_box_grows_the_bounds_by_a_margin():
    assert view_box(IDLIB) == (33.9, 34.65, 37.9, 38.6)  # at least 1 degree each side
    assert view_box(((19.4, 9.3), (33.3, 25.2))) == (14.535, 3.735, 38.165, 30.765)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_land_is_cached_whole_with_the_usual_mode(cache, monkeypatch):
    view = view_box(IDLIB)
    land, borders, labels = _basemap._land(view)
    (written,) = cache.iterdir()  # one file, no temporary file left
    assert written.name.startswith("basemap-") and written.suffix == ".json"
    assert json.loads(written.read_text(encoding="utf-8"))[0] == land
    mask = os.umask(0o022)
    os.umask(mask)
    assert written.stat().st_mode & 0o777 == 0o666 & ~mask

    def fail(view):
        raise AssertionError("read from the cache, not clipped again")

    monkeypatch.setattr(_basemap, "_clip_land", fail)
    assert _basemap._land(view) == (land, borders, labels)


def test_unwritable_cache_still_gives_the_land(cache, monkeypatch):
    cache.parent.joinpath("not-a-folder").write_text("x")
    monkeypatch.setenv("FRONTMAP_CACHE", str(cache.parent / "not-a-folder" / "cache"))
    land, _, labels = _basemap._land(view_box(IDLIB))
    assert land["features"] and any(name == "Syria" for name, _, _ in labels)
    assert sorted(p.name for p in cache.parent.iterdir()) == ["not-a-folder"]
