"""_basemap.py: the offline base map (Natural Earth land and borders, town and village labels)."""

from __future__ import annotations

import json
import os

import pytest

from frontmap.maps import _basemap
from frontmap.maps._basemap import basemap, min_zoom, view_box

IDLIB = ((34.9, 35.65), (36.9, 37.6))
CAUCASUS = ((38.3, 43.4), (41.95, 50.7))


def _base(bounds):
    (s, w), (n, e) = bounds
    return basemap((s, w, n, e), view_box(bounds))


def test_labels_densify_with_zoom():
    """Towns at every zoom, smaller towns from 9, villages from 10: more as one zooms in."""
    towns = _base(CAUCASUS).towns
    names = [t.name for t in towns]
    assert names[:2] == ["Baku", "Yerevan"]  # largest first
    counts = [sum(1 for t in towns if t.zoom <= z) for z in (8, 9, 10)]
    assert 20 < counts[0] < counts[1] < counts[2] == len(towns)
    assert all(t.zoom == min_zoom(t.population) for t in towns)
    assert min_zoom(250_000) == 0 and min_zoom(5_000) == 9 and min_zoom(0) == 10


def test_label_spelling_is_the_press_form():
    """The curated press name where the gazetteer restates a town; else one English form."""
    names = {t.name for t in _base(IDLIB).towns}
    # GeoNames writes "Khān Shaykhūn", "Ma‘arrat Miṣrīn", "Jisr ash Shughūr", "Ḩamāh"
    assert {"Khan Shaykhun", "Hama"} <= names or {"Khan Sheikhoun", "Hama"} <= names
    assert not any(c in name for name in names for c in "āūīḩṣ‘’ʿ")
    caucasus = {t.name for t in _base(CAUCASUS).towns}
    assert "Zangilan" in caucasus and "Zəngilan" not in caucasus
    assert not any(c in name for name in caucasus for c in "əışçğ")


def test_villages_come_from_the_gazetteer():
    """Curated villages (no census figure) are labels from zoom 10, read through the Gazetteer."""
    from frontmap.geo import load_gazetteer

    (s, w), (n, e) = IDLIB
    curated = {
        p.name
        for p in load_gazetteer().curated
        if p.kind == "populated_place" and s <= p.lat <= n and w <= p.lon <= e
    }
    towns = {t.name: t for t in _base(IDLIB).towns}
    assert len(curated & set(towns)) > 0.8 * len(curated)
    village = next(towns[n] for n in sorted(curated & set(towns)) if towns[n].population == 0)
    assert village.zoom == 10


def test_country_outline_by_iso_code():
    base = _base(CAUCASUS)
    assert base.outline("AM")["type"] in ("Polygon", "MultiPolygon")
    assert base.outline("am") == base.outline("AM")
    assert base.outline("LY") is None and base.outline("") is None


def test_view_box_grows_the_bounds_by_a_margin():
    assert view_box(IDLIB) == (33.9, 34.65, 37.9, 38.6)  # at least 1 degree each side
    assert view_box(((19.4, 9.3), (33.3, 25.2))) == (14.535, 3.735, 38.165, 30.765)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_land_is_cached_whole_with_the_usual_mode(cache, monkeypatch):
    view = view_box(IDLIB)
    land, borders, labels = _basemap.clipped_land(view)
    (written,) = cache.iterdir()  # one file, no temporary file left
    assert written.name.startswith("basemap-") and written.suffix == ".json"
    assert json.loads(written.read_text(encoding="utf-8"))[0] == land
    mask = os.umask(0o022)
    os.umask(mask)
    assert written.stat().st_mode & 0o777 == 0o666 & ~mask

    def fail(view):
        raise AssertionError("read from the cache, not clipped again")

    monkeypatch.setattr(_basemap, "_clip_land", fail)
    assert _basemap.clipped_land(view) == (land, borders, labels)


def test_unwritable_cache_still_gives_the_land(cache, monkeypatch):
    cache.parent.joinpath("not-a-folder").write_text("x")
    monkeypatch.setenv("FRONTMAP_CACHE", str(cache.parent / "not-a-folder" / "cache"))
    land, _, labels = _basemap.clipped_land(view_box(IDLIB))
    assert land["features"] and any(name == "Syria" for name, _, _ in labels)
    assert sorted(p.name for p in cache.parent.iterdir()) == ["not-a-folder"]


def test_base_towns_skip_the_same_towns_as_comparing_every_town(monkeypatch) -> None:
    """The towns near a named place are found with numpy first (issue 16: start-up);
    the labels left out are exactly those of comparing every town's loose name."""
    import random

    from frontmap.geo.distance import haversine_km
    from frontmap.geo.names import loose
    from frontmap.maps import render
    from frontmap.maps._basemap import basemap, view_box
    from frontmap.maps._rows import Place
    from frontmap.theatres import get_theatre

    frame = render._frame(get_theatre("idlib"))
    base = basemap(frame.bounds, view_box(render._reach(frame)))
    towns = base.towns
    assert len(towns) > 100

    def every_town(places: list[Place]) -> dict:
        named: dict = {}
        for p in places:
            if not p.area:
                for key in {loose(p.name), loose(p.label)}:
                    named.setdefault(key, []).append((p.lat, p.lon))
        kept = [
            t
            for t in towns
            if not any(
                haversine_km(t.lat, t.lon, lat, lon) <= render._SAME_PLACE_KM
                for lat, lon in named.get(loose(t.name), ())
            )
        ]
        return {
            "n": [t.name for t in kept],
            "p": [c for t in kept for c in (t.lat, t.lon)],
            "z": [t.zoom for t in kept],
        }

    rng = random.Random(16)

    def place(name: str, lat: float, lon: float, area: bool = False) -> Place:
        p = Place(f"k{rng.random()}", name, lat, lon, "populated_place", "SY", "", 1, None, area)
        p.__dict__["label"] = name
        return p

    picked = rng.sample(towns, 40)
    places = [
        # the same town, a little off (inside and outside the 5 km)
        *(place(t.name, t.lat + rng.uniform(-0.06, 0.06), t.lon) for t in picked),
        place(picked[0].name, picked[0].lat, picked[0].lon, area=True),  # an area: kept
        place("Nowhere", 36.0, 36.5),
    ]
    expected = every_town(places)
    assert len(expected["n"]) < len(towns)  # some towns do stand for a named place
    assert render._base_towns(base, places) == expected
    assert render._base_towns(base, []) == every_town([])
    monkeypatch.setattr(render, "_NEAR_MATRIX_MAX", 0)  # many places: every town compared
    assert render._base_towns(base, places) == expected
