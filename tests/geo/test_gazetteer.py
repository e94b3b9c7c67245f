"""geo.gazetteer: searching the real index and the curated rows, ranking, the shared instance."""

from __future__ import annotations

import pytest

from frontmap.errors import InputError
from frontmap.geo.distance import haversine_km
from frontmap.geo.gazetteer import Candidate, Gazetteer, Place, load_gazetteer, rank_score
from frontmap.geo.index import base_index_path


def top(gazetteer: Gazetteer, query: str, **kw):
    found = gazetteer.search(query, **kw)
    assert found, f"nothing found for {query!r}"
    return found[0].place


@pytest.mark.parametrize(
    ("query", "country", "lat", "lon"),
    [
        ("Idlib", "SY", 35.93, 36.63),
        ("Idleb", "SY", 35.93, 36.63),
        ("Saraqeb", "SY", 35.86, 36.81),
        ("Tarhouna", "LY", 32.43, 13.63),
        ("Tarhuna", "LY", 32.43, 13.63),
        ("Stepanakert", "AZ", 39.82, 46.75),
        ("Khankendi", "AZ", 39.82, 46.75),
        ("Shushi", "AZ", 39.76, 46.75),
        ("Shusha", "AZ", 39.76, 46.75),
        ("Tripoli", "LY", 32.89, 13.19),
        ("Moscow", "RU", 55.75, 37.62),
    ],
)
def test_press_spellings_find_the_place(gazetteer, query, country, lat, lon) -> None:
    place = top(gazetteer, query)
    assert place.country == country
    assert haversine_km(place.lat, place.lon, lat, lon) < 5


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Stepanakert", "Khankendi"),
        ("Shusha", "Shushi"),
        ("Martuni", "Khojavend"),
        ("Martakert", "Aghdara"),
        ("Kalbajar", "Karvachar"),
        ("Lachin", "Berdzor"),
        ("Jabrayil", "Jebrail"),
        ("Fuzuli", "Varanda"),
    ],
)
def test_armenian_and_azerbaijani_names_are_one_place(gazetteer, a, b) -> None:
    pa, pb = top(gazetteer, a), top(gazetteer, b)
    assert haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) < 3


def test_countries_by_their_common_names(gazetteer) -> None:
    for query, code in [
        ("Syria", "SY"),
        ("Turkey", "TR"),
        ("US", "US"),
        ("Russia", "RU"),
        ("Azerbaijan", "AZ"),
        ("UK", "GB"),
        ("Soviet Union", "RU"),
    ]:
        place = top(gazetteer, query)
        assert (place.kind, place.country) == ("country", code), query


def test_ranking_exact_above_loose_above_fuzzy(gazetteer) -> None:
    exact = gazetteer.search("Damascus")[0]
    loose = gazetteer.search("Dimashk")[0]  # a transliteration: loose key
    fuzzy = gazetteer.search("Damasvus")[0]  # a typo: fuzzy fallback
    assert (exact.match, fuzzy.match) == ("exact", "fuzzy")
    assert exact.score > fuzzy.score
    assert exact.place.country == fuzzy.place.country == "SY"
    assert loose.match in ("exact", "loose") and loose.place.country == "SY"
    # An exact match of a village outranks a loose match of a big city.
    martakert = gazetteer.search("Aghdara")[0]
    assert martakert.match == "exact" and martakert.place.country == "AZ"


@pytest.mark.parametrize(
    ("typo", "name", "country"),
    [
        ("Alepoo", "Aleppo", "SY"),
        ("Kobanee", "Kobani", "SY"),
        ("Arriha", "Ariha", "SY"),
        ("Bregga", "Brega", "LY"),
        ("Madakert", "Martakert", "AZ"),
        ("Gorris", "Goris", "AM"),
    ],
)
def test_fuzzy_fallback_finds_typos_of_theatre_places(gazetteer, typo, name, country) -> None:
    best = gazetteer.search(typo)[0]
    assert (best.match, best.place.name, best.place.country) == ("fuzzy", name, country)


def test_fuzzy_is_bounded(gazetteer) -> None:
    assert gazetteer.search("Qwxzzyvv") == []
    assert gazetteer.search("Idlib", fuzzy=False)[0].match == "exact"


def test_filters_and_empty_query(gazetteer) -> None:
    assert all(c.place.country == "LB" for c in gazetteer.search("Tripoli", country="LB"))
    assert gazetteer.search("Tripoli", country="LB")
    with pytest.raises(InputError):
        gazetteer.search("  ")


def test_locate_understands_direction_words(gazetteer) -> None:
    part = gazetteer.search("northwest Syria")[0].place
    assert part.kind == "region" and part.country == "SY"
    assert part.lat > 35.5 and part.lon < 38.0  # the north-west of Syria
    assert gazetteer.country_part("SY", "nw") == (part.lat, part.lon)
    south = gazetteer.search("southern Idlib")[0].place
    idlib = gazetteer.search("Idlib")[0].place
    assert south.lat < idlib.lat and abs(south.lon - idlib.lon) < 0.01


def test_towns_inside_a_box_largest_first(gazetteer) -> None:
    towns = gazetteer.towns(35.0, 35.6, 37.0, 37.6)
    names = [t[0] for t in towns[:3]]
    assert names[0] == "Aleppo"
    assert all(t[3] >= 15_000 for t in towns)
    assert [t[3] for t in towns] == sorted((t[3] for t in towns), reverse=True)


def test_a_curated_row_restating_a_geonames_entry_takes_its_place(gazetteer) -> None:
    # syria.csv's Saraqib row cites geonames:164816: the GeoNames id finds it,
    # and it keeps the GeoNames population as its prior.
    place = gazetteer.get("geonames:164816")
    assert place is not None and place.gazetteer_id == "sy:saraqib"
    assert place.population > 0
    assert gazetteer.search("Saraqib")[0].place == place


def test_curated_rows_given_to_the_constructor(gazetteer) -> None:
    row = Place("test:1", "Tall Testiyah", 35.7, 36.6, "SY", "mountain", "Idlib", 0, "here")
    g = Gazetteer(base_index_path(), curated=[(row, ["Tell Testiye"])])
    found = g.search("Tell Testiye")
    assert [c.place for c in found] == [row]
    assert (found[0].match, found[0].primary) == ("exact", False)
    assert g.search("Tall Testiyah")[0].primary


def test_rank_score_orders_kind_size_and_match() -> None:
    def place(kind: str, population: int, gid: str = "geonames:1") -> Place:
        return Place(gid, "X", 0.0, 0.0, "SY", kind, "", population, "")

    city = place("populated_place", 1_000_000)
    village = place("populated_place", 100)
    assert rank_score(city, "exact", True) > rank_score(village, "exact", True)
    assert rank_score(village, "exact", True) > rank_score(village, "loose", True)
    assert rank_score(village, "loose", True) > rank_score(village, "fuzzy", True)
    # a curated village counts as a town of 20,000
    curated = place("populated_place", 0, gid="sy:x")
    assert rank_score(curated, "exact", False) > rank_score(village, "exact", False)
    assert 0 <= rank_score(place("country", 0), "exact", True) <= 1


def test_load_gazetteer_is_shared(gazetteer) -> None:
    assert load_gazetteer() is gazetteer
    assert all(isinstance(c, Candidate) for c in gazetteer.search("Idlib"))


def test_curated_keys_kept_in_the_cache_folder_give_the_same_index(tmp_path, monkeypatch) -> None:
    """The index keys of the curated names are kept on disk (issue 16: start-up) and a
    gazetteer built from them indexes exactly what one computing them does."""
    from frontmap.geo import gazetteer as gz
    from frontmap.geo.curated import read_curated

    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path))
    base = gz.load_gazetteer()
    computed = gz.Gazetteer(base._base, base._user, read_curated())  # no cache used
    first = gz.Gazetteer(base._base, base._user)  # computes and writes the cache
    assert len(list(tmp_path.glob("curated-keys-*.pickle"))) == 1
    second = gz.Gazetteer(base._base, base._user)  # reads it
    for g in (first, second):
        assert dict(g._curated_exact).keys() == dict(computed._curated_exact).keys()
        assert dict(g._curated_keys) == dict(computed._curated_keys)
    hit = second.search("Saraqib")
    assert hit and hit[0].place == computed.search("Saraqib")[0].place


def test_curated_index_snapshot_gives_the_same_gazetteer(tmp_path, monkeypatch) -> None:
    """The curated index is kept whole in the cache folder (issue 16: start-up); a
    gazetteer read from it holds exactly what one computing it does, and a changed
    index file (a rebuild, an import) is not served the old snapshot."""
    from frontmap.geo import gazetteer as gz
    from frontmap.geo.curated import read_curated

    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path))
    base = gz.load_gazetteer()
    computed = gz.Gazetteer(base._base, base._user, read_curated())  # no cache used
    first = gz.Gazetteer(base._base, base._user)  # computes and writes the snapshot
    snapshots = list(tmp_path.glob("curated-index-*.pickle"))
    assert len(snapshots) == 1
    second = gz.Gazetteer(base._base, base._user)  # reads it
    for name in gz._CuratedSnapshot.ATTRS:
        assert getattr(first, name) == getattr(computed, name), name
        assert getattr(second, name) == getattr(computed, name), name
    assert list(second._curated_exact) == list(computed._curated_exact)  # same order too
    hit = second.search("Saraqib")
    assert hit and hit[0].place == computed.search("Saraqib")[0].place
    # another index file (same content, another modification time): another snapshot
    other = tmp_path / "copy.sqlite"
    other.write_bytes(base._base.read_bytes())
    gz.Gazetteer(other, None)
    assert len(list(tmp_path.glob("curated-index-*.pickle"))) == 2
    # a damaged snapshot is computed again, not trusted
    snapshots[0].write_bytes(b"not a pickle")
    again = gz.Gazetteer(base._base, base._user)
    assert dict(again._curated_loose) == dict(computed._curated_loose)


def test_common_word_zipf_reads_word_by_word(gazetteer) -> None:
    import sqlite3

    con = sqlite3.connect(gazetteer._base)
    table = dict(con.execute("SELECT word, zipf FROM word"))
    con.close()
    for word in ("the", "said", "city", "idlib", "", "notaword123"):
        assert gazetteer.common_word_zipf(word) == table.get(word, 0.0)
