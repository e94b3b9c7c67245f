"""geo.geocoder: the geopy geocoder over the gazetteer, alone and in geopandas."""

from __future__ import annotations

import doctest

import geopandas
import pytest
from geopy.location import Location

import frontmap.geo.geocoder
from frontmap.geo.geocoder import Frontmap


@pytest.fixture
def coder(gazetteer) -> Frontmap:
    return Frontmap(gazetteer)


def test_geocode_gives_one_location(coder) -> None:
    loc = coder.geocode("Saraqeb")
    assert isinstance(loc, Location)
    assert loc.address == "Saraqib, SY"
    assert (round(loc.latitude, 2), round(loc.longitude, 2)) == (35.86, 36.81)
    assert loc.raw["kind"] == "populated_place"
    assert loc.raw["match"] in ("exact", "loose")
    assert loc.raw["gazetteer_id"] == coder.gazetteer.search("Saraqeb")[0].place.gazetteer_id


def test_geocode_not_exactly_one_gives_a_ranked_list(coder) -> None:
    locs = coder.geocode("Tripoli", exactly_one=False, limit=3)
    assert isinstance(locs, list) and 1 < len(locs) <= 3
    assert all(isinstance(loc, Location) for loc in locs)
    scores = [loc.raw["score"] for loc in locs]
    assert scores == sorted(scores, reverse=True)
    assert locs[0].address == coder.geocode("Tripoli").address
    lebanon = coder.geocode("Tripoli", exactly_one=False, country="LB")
    assert lebanon and all(loc.raw["country"] == "LB" for loc in lebanon)


@pytest.mark.parametrize("query", ["Qwxzzyvv", "", "   ", None])
def test_no_match_is_none(coder, query) -> None:
    assert coder.geocode(query) is None
    assert coder.geocode(query, exactly_one=False) is None


def test_filters_and_fuzzy(coder) -> None:
    assert coder.geocode("Idlib", kind="military_site") is None
    assert coder.geocode("Damasvus").raw["match"] == "fuzzy"
    assert coder.geocode("Damasvus", fuzzy=False) is None
    assert Frontmap(coder.gazetteer, country="LB").geocode("Tripoli").raw["country"] == "LB"


def test_reverse_is_not_offered(coder) -> None:
    with pytest.raises(NotImplementedError):
        coder.reverse("35.9, 36.6")


def test_geopandas_geocode_with_frontmap_as_provider(gazetteer) -> None:
    frame = geopandas.tools.geocode(["Saraqeb", "Qwxzzyvv", "Tarhouna"], provider=Frontmap)
    assert list(frame["address"].fillna("-")) == ["Saraqib, SY", "-", "Tarhuna, LY"]
    assert frame.crs == "EPSG:4326"
    points = frame.geometry
    assert (round(points[0].y, 2), round(points[0].x, 2)) == (35.86, 36.81)  # lon, lat in shapely
    assert points[1].is_empty


def test_module_doctest_passes(gazetteer) -> None:
    result = doctest.testmod(frontmap.geo.geocoder)
    assert result.attempted >= 2 and result.failed == 0
