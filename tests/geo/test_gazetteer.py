"""The gazetteer: the real index, curated rows, GeoNames dumps."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from frontmap.errors import GazetteerError, InputError
from frontmap.geo.gazetteer import KINDS, Gazetteer, import_geonames, read_curated
from frontmap.geo.resolve import haversine_km

DATA = Path(__file__).resolve().parents[2] / "data" / "gazetteer"


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


def test_fuzzy_is_bounded(gazetteer) -> None:
    assert gazetteer.search("Qwxzzyvv") == []
    assert gazetteer.search("Idlib", fuzzy=False)[0].match == "exact"


def test_filters_and_empty_query(gazetteer) -> None:
    assert all(c.place.country == "LB" for c in gazetteer.search("Tripoli", country="LB"))
    assert gazetteer.search("Tripoli", country="LB")
    with pytest.raises(InputError):
        gazetteer.search("  ")


# -- curated rows -----------------------------------------------------------

BOXES = {  # (south, west, north, east) the rows of each file must lie in
    "syria.csv": (32.0, 35.5, 37.5, 42.5),
    "libya.csv": (19.4, 9.3, 33.3, 25.2),
    "caucasus.csv": (38.3, 43.4, 41.95, 50.7),
}
MINIMUM = {"syria.csv": 300, "libya.csv": 150, "caucasus.csv": 150}


@pytest.mark.parametrize("name", sorted(BOXES))
def test_curated_file_is_valid_and_covers_its_theatre(name) -> None:
    path = DATA / name
    if not path.exists():
        pytest.fail(f"{name} is missing")
    rows = read_curated([path])
    assert len(rows) >= MINIMUM[name]
    south, west, north, east = BOXES[name]
    outside = [
        p.name
        for p, _ in rows
        if p.kind not in ("region", "water")
        and not (south <= p.lat <= north and west <= p.lon <= east)
    ]
    assert outside == []
    assert all(p.source for p, _ in rows), "every row names its source"
    assert {p.kind for p, _ in rows} <= set(KINDS)


def test_curated_ids_unique_across_files() -> None:
    rows = read_curated()
    ids = [p.gazetteer_id for p, _ in rows]
    assert len(ids) == len(set(ids))


def test_bad_curated_rows_are_reported_with_file_and_line(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "variants", "kind", "lat", "lon", "country", "admin1", "source"])
        w.writerow(["x:1", "Somewhere", "", "volcano", "1", "2", "SY", "", "here"])
    with pytest.raises(GazetteerError, match=r"bad.csv:2: unknown kind"):
        read_curated([path])


# -- GeoNames dumps ---------------------------------------------------------


def _dump_line(gid, name, ascii_, alts, lat, lon, fclass, fcode, cc, adm1, pop):
    return (
        "\t".join(
            [
                str(gid),
                name,
                ascii_,
                alts,
                str(lat),
                str(lon),
                fclass,
                fcode,
                cc,
                "",
                adm1,
                "",
                "",
                "",
                str(pop),
                "",
                "300",
                "Asia/Damascus",
                "2024-01-01",
            ]
        )
        + "\n"
    )


def test_import_geonames_dump_extends_the_index(tmp_path, gazetteer) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(
        _dump_line(
            99000001,
            "Tall Frontmapiyah",
            "Tall Frontmapiyah",
            "Tell Frontmapiye,Frontmapiyah",
            35.71,
            36.59,
            "P",
            "PPL",
            "SY",
            "12",
            0,
        )
        + _dump_line(
            99000002, "Jabal Testun", "Jabal Testun", "", 35.66, 36.52, "T", "MT", "SY", "12", 0
        )
        + _dump_line(
            99000003, "Some Stream", "Some Stream", "", 35.6, 36.5, "H", "STMI", "SY", "12", 0
        ),
        encoding="utf-8",
    )
    user = tmp_path / "user.sqlite"
    assert import_geonames(dump, user_index=user) == 2  # the stream's code is not kept
    g = Gazetteer(gazetteer.base_path, user)
    village = g.search("Tell Frontmapiye")[0].place
    assert (village.gazetteer_id, village.kind, village.source) == (
        "geonames:99000001",
        "populated_place",
        "geonames-dump:SY.txt",
    )
    assert g.search("Jabal Testun")[0].place.kind == "mountain"
    # Importing again replaces, not duplicates.
    assert import_geonames(dump, user_index=user) == 2
    g.reopen()
    assert len(g.search("Frontmapiyah")) == 1


def test_import_rejects_a_file_that_is_not_a_dump(tmp_path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes.txt:1: not a GeoNames dump line"):
        import_geonames(bad, user_index=tmp_path / "u.sqlite")
    assert not (tmp_path / "u.sqlite").exists()


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
