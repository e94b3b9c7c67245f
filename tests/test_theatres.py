"""frontmap.theatres: the theatre facts of theatres.json, one lookup for all stages."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS

from frontmap.errors import InputError
from frontmap.theatres import (
    actor,
    all_theatres,
    get_theatre,
    known_actors,
    theatre_by_id,
    theatre_codes,
    theatre_of,
)


def test_every_theatre_has_its_facts():
    ids = [t.id for t in all_theatres()]
    assert ids == ["idlib", "libya", "caucasus"]
    for t in all_theatres():
        (s, w), (n, e) = t.bounds
        assert s < t.center[0] < n and w < t.center[1] < e
        assert CRS.from_user_input(t.metric_crs).is_projected
        assert t.actors and all(a in known_actors() for a in t.actors)


def test_theatres_are_frozen():
    idlib = all_theatres()[0]
    assert idlib.bounds == ((34.9, 35.65), (36.9, 37.6))
    assert idlib.center == (35.85, 36.6) and idlib.zoom == 9
    with pytest.raises(AttributeError):
        idlib.zoom = 3  # type: ignore[misc]


def test_lookup_by_id():
    assert get_theatre("libya").title == "Libya"
    assert theatre_by_id("atlantis") is None
    with pytest.raises(InputError, match=r"unknown theatre 'atlantis' \(known: idlib, libya"):
        get_theatre("atlantis")


def test_actor_labels_and_colours():
    assert actor("LNA").label == "Libyan National Army"
    assert actor("wagner") is None
    assert all(a.color.startswith("#") and len(a.color) == 7 for a in known_actors().values())


@pytest.mark.parametrize(
    ("lat", "lon", "kind", "country", "expected"),
    [
        (35.93, 36.63, None, None, "idlib"),  # Idlib city
        (32.89, 13.19, None, None, "libya"),  # Tripoli
        (39.82, 46.75, None, None, "caucasus"),  # Stepanakert
        (36.2, 40.2, None, None, None),  # Hasakah: outside the Idlib bounds
        (36.2, 40.2, "region", "SY", "idlib"),  # ... unless it is a region of Syria
        (34.8, 38.9, "country", "SY", "idlib"),
        (48.85, 2.35, "country", "FR", None),
        (None, None, None, None, None),
        (float("nan"), 36.6, None, None, None),
        (32.435, 13.633, "city", "LY", "libya"),
        (33.51, 36.29, "city", "SY", None),  # Damascus: outside the bounds
        (40.4, 49.9, "region", "az", "caucasus"),
        (None, None, "country", "LY", "libya"),
        (34.9, 35.65, None, None, "idlib"),  # bounds are inclusive
    ],
)
def test_theatre_of(lat, lon, kind, country, expected):
    assert theatre_of(lat, lon, kind, country) == expected


def test_theatre_codes_is_theatre_of_for_arrays():
    lat = np.array([35.93, 32.89, 36.2, 36.2, np.nan])
    lon = np.array([36.63, 13.19, 40.2, 40.2, 0.0])
    kinds = np.array([None, None, None, "region", "country"], dtype=object)
    countries = np.array([None, None, None, "SY", "AZ"], dtype=object)
    codes, ids = theatre_codes(lat, lon, kinds, countries)
    got = [None if c < 0 else ids[c] for c in codes]
    assert got == [theatre_of(*row) for row in zip(lat, lon, kinds, countries, strict=True)]
    assert got == ["idlib", "libya", None, "idlib", "caucasus"]
