"""geo.curated: the curated CSV files, aliases, not-places and admin-area name forms."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from frontmap.errors import GazetteerError
from frontmap.geo.curated import (
    CURATED_COLUMNS,
    admin_forms,
    curated_files,
    read_aliases,
    read_curated,
    read_not_places,
)
from frontmap.geo.distance import haversine_km
from frontmap.geo.kinds import KINDS
from frontmap.geo.names import fold

DATA = Path(__file__).resolve().parents[2] / "data" / "gazetteer"

BOXES = {  # (south, west, north, east) the rows of each file must lie in
    "syria.csv": (32.0, 35.5, 37.5, 42.5),
    "libya.csv": (19.4, 9.3, 33.3, 25.2),
    "caucasus.csv": (38.3, 43.4, 41.95, 50.7),
    "syria-extra.csv": (32.0, 35.5, 37.5, 42.5),
    "libya-extra.csv": (19.4, 9.3, 33.3, 25.2),
    "caucasus-extra.csv": (38.3, 43.4, 41.95, 50.7),
}
MINIMUM = {
    "syria.csv": 300,
    "libya.csv": 150,
    "caucasus.csv": 150,
    "syria-extra.csv": 50,
    "libya-extra.csv": 50,
    "caucasus-extra.csv": 80,
}

# (south, west, north, east) of each country a point row may name: a row whose
# coordinates fall outside its own country's box has a slip in lat, lon or country.
COUNTRY_BOXES = {
    "SY": (32.3, 35.6, 37.35, 42.4),
    "LY": (19.4, 9.3, 33.2, 25.2),
    "AZ": (38.38, 44.76, 41.95, 50.7),
    "AM": (38.83, 43.44, 41.31, 46.64),
    "GE": (41.05, 39.9, 43.6, 46.75),
    "IR": (25.0, 44.0, 39.8, 63.4),
    "TR": (35.8, 25.6, 42.2, 44.85),
    "RU": (41.1, 19.6, 82.0, 180.0),
}
# How far (km) a place of an -extra file may lie from the seat of the admin area
# its admin1 names (Azerbaijani rayons and Armenian marzes are small; Libyan
# shabiyat reach hundreds of km into the desert).
ADMIN_RADIUS_KM = {"AZ": 80, "AM": 80, "SY": 110, "LY": 300}


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


def test_every_point_row_lies_in_its_country() -> None:
    rows = read_curated()
    outside = []
    for p, _ in rows:
        if p.kind in ("region", "water") or p.country == "XX":
            continue
        south, west, north, east = COUNTRY_BOXES[p.country]
        if not (south <= p.lat <= north and west <= p.lon <= east):
            outside.append((p.gazetteer_id, p.country, p.lat, p.lon))
    assert outside == []


@pytest.mark.parametrize("name", sorted(n for n in BOXES if n.endswith("-extra.csv")))
def test_extra_rows_lie_in_their_admin_area(name) -> None:
    # The seat of each admin area is its admin_region row (first by file order).
    seats: dict[tuple[str, str], tuple[float, float]] = {}
    for p, _ in read_curated():
        if p.kind == "admin_region" and p.admin1:
            seats.setdefault((p.country, p.admin1), (p.lat, p.lon))
    far = []
    for p, _ in read_curated([DATA / name]):
        if p.kind in ("region", "water"):
            continue
        seat = seats.get((p.country, p.admin1))
        if seat is None:
            far.append((p.gazetteer_id, p.admin1, "no such admin area"))
        elif haversine_km(p.lat, p.lon, *seat) > ADMIN_RADIUS_KM[p.country]:
            far.append((p.gazetteer_id, p.admin1, round(haversine_km(p.lat, p.lon, *seat))))
    assert far == []


def test_extra_rows_claim_no_geonames_entry_twice_and_repeat_no_place() -> None:
    # A GeoNames entry is restated (source "geonames:<id>", the form the
    # gazetteer reads as a claim) by one row at most when an -extra row is one
    # of them, and an -extra row is not another row's place under the same
    # name within 2 km.
    rows = read_curated()
    claims: dict[str, str] = {}
    doubles = []
    for p, _ in rows:
        ref = p.source.split(";")[0].strip()
        if ref.startswith("geonames:") and ref[9:].isdigit():
            if ref in claims and "-extra" in _file_of(claims[ref]) + _file_of(p.gazetteer_id):
                doubles.append((ref, claims[ref], p.gazetteer_id))
            claims.setdefault(ref, p.gazetteer_id)
    assert doubles == []
    names: dict[str, list] = {}
    for p, variants in rows:
        for n in {fold(p.name), *map(fold, variants)} - {""}:
            names.setdefault(n, []).append(p)
    repeats = {
        (a.gazetteer_id, b.gazetteer_id)
        for same in names.values()
        for a in same
        for b in same
        if a.gazetteer_id < b.gazetteer_id
        and "-extra" in _file_of(a.gazetteer_id) + _file_of(b.gazetteer_id)
        and a.kind == b.kind
        and haversine_km(a.lat, a.lon, b.lat, b.lon) < 2
    }
    assert repeats == set()


def _file_of(gazetteer_id: str) -> str:
    """The file a curated id belongs to, by its prefix."""
    prefix = gazetteer_id.split(":")[0]
    return {"syx": "syria-extra", "lyx": "libya-extra", "ccx": "caucasus-extra"}.get(prefix, prefix)


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


def _write_csv(path: Path, *rows: list[str], header: tuple[str, ...] = CURATED_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (["x:1", "Here", "", "populated_place", "north", "2", "SY", "", "me"], "not numbers"),
        (["x:1", "Here", "", "populated_place", "91", "2", "SY", "", "me"], "out of range"),
        (["", "Here", "", "populated_place", "1", "2", "SY", "", "me"], "missing or dup"),
    ],
)
def test_each_bad_row_names_its_problem(tmp_path, row, problem) -> None:
    path = _write_csv(tmp_path / "bad.csv", row)
    with pytest.raises(GazetteerError, match=rf"bad.csv:2: .*{problem}"):
        read_curated([path])


def test_duplicate_ids_across_files_are_refused(tmp_path) -> None:
    row = ["x:1", "Somewhere", "", "populated_place", "1", "2", "SY", "", "here"]
    a = _write_csv(tmp_path / "a.csv", row)
    b = _write_csv(tmp_path / "b.csv", row)
    with pytest.raises(GazetteerError, match=r"b.csv:2: missing or duplicate id 'x:1'"):
        read_curated([a, b])


def test_missing_columns_are_named(tmp_path) -> None:
    path = _write_csv(tmp_path / "short.csv", ["x:1", "Somewhere"], header=("id", "name"))
    with pytest.raises(GazetteerError, match=r"short.csv: missing columns admin1, country"):
        read_curated([path])


def test_rows_read_as_places_with_variants(tmp_path) -> None:
    path = _write_csv(
        tmp_path / "ok.csv",
        ["x:1", " Tall Test ", "Tell Test| Tal Test |", "mountain", "35.5", "36.5", "SY", "", "a"],
    )
    [(place, variants)] = read_curated([path])
    assert (place.gazetteer_id, place.name, place.kind, place.lat, place.population) == (
        "x:1",
        "Tall Test",
        "mountain",
        35.5,
        0,
    )
    assert variants == ["Tell Test", "Tal Test"]


def test_shipped_files_are_package_data() -> None:
    names = [f.name for f in curated_files()]
    assert names == sorted(names)
    assert "aliases.csv" not in names
    assert {"syria.csv", "libya.csv", "caucasus.csv"} <= set(names)
    assert read_aliases()  # aliases.csv ships
    assert read_curated() == read_curated([DATA / n for n in names])


def test_aliases_and_not_places(tmp_path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("gazetteer_id,variants\ngeonames:1,A | B\ngeonames:1,C\n", encoding="utf-8")
    assert read_aliases(aliases) == {"geonames:1": ["A", "B", "C"]}
    assert read_aliases(tmp_path / "absent.csv") == {}
    not_places = tmp_path / "not_places.txt"
    not_places.write_text("# people\nBashar al-Assad\n\n  Al-Jazeera \n", encoding="utf-8")
    assert read_not_places(not_places) == {"bashar assad", "jazeera"}
    assert {"haftar", "jazeera"} <= read_not_places()


def test_admin_forms_give_the_press_words_for_the_level() -> None:
    forms = admin_forms(["Idlib Governorate", "Idlib"])
    assert "Idlib province" in forms and "Idlib countryside" in forms
    assert "Idlib" not in forms  # the bare name is the town's
    assert admin_forms(["Harim District"])[:2] == ["Harim district", "Harim rayon"]
    assert admin_forms(["Tartus"]) == []


def test_curated_files_read_from_a_zipped_install(tmp_path) -> None:
    # Package data goes through importlib.resources, so a zipped frontmap
    # (zipimport) reads its curated files as an unzipped one does.
    repo = DATA.parents[1]
    archive = tmp_path / "frontmap.zip"
    layout = {"frontmap": "frontmap", "geo": "frontmap/geo", "data": "frontmap/data"}
    with zipfile.ZipFile(archive, "w") as z:
        for folder, package in layout.items():
            for path in sorted((repo / folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    z.write(path, f"{package}/{path.relative_to(repo / folder)}")
    code = (
        "import json, sys, frontmap.geo.curated as c;"
        "assert c.__file__.startswith(sys.argv[1]), c.__file__;"
        "print(json.dumps([len(c.read_curated()), len(c.read_aliases()),"
        " len(c.read_not_places()), [f.name for f in c.curated_files()]]))"
    )
    # -S: no site processing, so the editable install's finder is not there;
    # the dependencies come from site-packages put on the path by hand.
    path = os.pathsep.join([str(archive), sysconfig.get_paths()["purelib"]])
    done = subprocess.run(
        [sys.executable, "-S", "-c", code, str(archive)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": path, "FRONTMAP_CACHE": str(tmp_path)},
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    here = [len(read_curated()), len(read_aliases()), len(read_not_places())]
    assert json.loads(done.stdout) == [*here, [f.name for f in curated_files()]]
