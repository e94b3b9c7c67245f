"""frontmap.theatres: the theatre facts of theatres.json, one lookup for all stages."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
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
        (36.2, 40.2, None, None, "idlib"),  # Hasakah region: outside the bounds, in Syria
        (36.2, 40.2, "region", "SY", "idlib"),
        (37.0, 40.0, None, None, None),  # Turkey, north of the Syrian border near Ras al-Ayn
        (33.3, 44.4, None, None, None),  # Baghdad
        (34.8, 38.9, "country", "SY", "idlib"),
        (48.85, 2.35, "country", "FR", None),
        (None, None, None, None, None),
        (float("nan"), 36.6, None, None, None),
        (32.435, 13.633, "city", "LY", "libya"),
        (33.51, 36.29, "city", "SY", "idlib"),  # Damascus: outside the bounds, in Syria
        (32.9, 35.75, None, None, None),  # the Golan Heights: in no country's outline
        (24.6, 24.2, None, None, "libya"),  # Kufra
        (39.2, 45.4, None, None, "caucasus"),  # Nakhchivan
        (40.4, 49.9, "region", "az", "caucasus"),
        (None, None, "country", "LY", "libya"),
        (34.9, 35.65, None, None, "idlib"),  # bounds are inclusive
    ],
)
def test_theatre_of(lat, lon, kind, country, expected):
    assert theatre_of(lat, lon, kind, country) == expected


def test_theatre_codes_is_theatre_of_for_arrays():
    lat = np.array([35.93, 32.89, 36.2, 36.2, np.nan, 37.0, 34.45])
    lon = np.array([36.63, 13.19, 40.2, 40.2, 0.0, 40.0, 40.92])
    kinds = np.array([None, None, None, "region", "country", None, None], dtype=object)
    countries = np.array([None, None, None, "SY", "AZ", None, None], dtype=object)
    codes, ids = theatre_codes(lat, lon, kinds, countries)
    got = [None if c < 0 else ids[c] for c in codes]
    assert got == [theatre_of(*row) for row in zip(lat, lon, kinds, countries, strict=True)]
    assert got == ["idlib", "libya", "idlib", "idlib", "caucasus", None, "idlib"]


def test_theatre_outline_and_extent():
    from frontmap.theatres import theatre_extent, theatre_outline

    syria = theatre_outline("idlib")
    assert syria.contains(shapely.Point(40.75, 36.50))  # al-Hasakah
    assert not syria.contains(shapely.Point(35.75, 32.9))  # the Golan Heights (German view)
    (s, w), (n, e) = theatre_extent("idlib")
    assert s < 32.4 and w == 35.65 and n > 37.3 and e > 42.3  # Syria, beyond the Idlib view
    assert theatre_extent("caucasus") == get_theatre("caucasus").bounds  # both countries inside


def test_dated_actor_labels_and_factions():
    from frontmap.theatres import actor_label

    assert actor_label("gna", "2021-03-14") == "Government of National Accord"
    assert actor_label("gna", "2021-03-15") == "Government of National Unity (formerly the GNA)"
    assert actor_label("government", "2024-12-07") == "Syrian government and allies"
    assert actor_label("government", "2024-12-08") == "Syrian transitional government"
    assert actor_label("lna", "2020-01-01") == actor("lna").label  # no dated labels
    assert actor_label("wagner") == "wagner"  # an unlisted key is its own label
    assert set(actor("opposition").factions) >= {"hts", "sna"}
    assert "nk" in actor("armenia").factions
