"""The curated gazetteer files shipped in ``data/gazetteer/``.

* ``*.csv`` (except ``aliases.csv``): curated places, one row each, with the
  columns of :data:`CURATED_COLUMNS` (:func:`read_curated`). A row whose
  ``source`` is ``geonames:<id>`` restates that GeoNames entry.
* ``aliases.csv``: extra names for entries of the base index (:func:`read_aliases`).
* ``not_places.txt``: names that are never toponyms (:func:`read_not_places`).

They are small and read when the gazetteer loads, so editing them needs no
rebuild. They are package data, read through :mod:`importlib.resources`
(a zipped install works too). :func:`admin_forms` gives the other names the
press uses for an admin area ("Idlib Governorate", "Idlib province").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GazetteerError
from .kinds import KINDS
from .names import fold

if TYPE_CHECKING:
    from .gazetteer import Place

__all__ = [
    "ADMIN_LEVELS",
    "CURATED_COLUMNS",
    "admin_forms",
    "curated_files",
    "data_file",
    "read_aliases",
    "read_curated",
    "read_not_places",
    "read_same_as",
]

CURATED_COLUMNS = ("id", "name", "variants", "kind", "lat", "lon", "country", "admin1", "source")
#: An optional column: the base places (``geonames:<id>``, ``wof:<id>``, several
#: separated by ``|``) a curated row restates; their names then find the row.
SAME_AS = "same_as"

#: A file given by path, or one of the package's data files.
File = Path | Traversable


def _text(path: Traversable | Path) -> io.TextIOWrapper:
    """A CSV file opened as UTF-8 text without newline translation (as csv wants)."""
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="")


def _data_dir() -> Traversable:
    return files("frontmap.data").joinpath("gazetteer")


def data_file(name: str) -> Traversable:
    """A file of the shipped gazetteer data (``data/gazetteer/<name>``)."""
    return _data_dir().joinpath(name)


def curated_files() -> list[Traversable]:
    """The curated place files shipped with frontmap, by name."""
    found = [
        f
        for f in _data_dir().iterdir()
        if f.name.endswith(".csv") and f.name != "aliases.csv" and f.is_file()
    ]
    return sorted(found, key=lambda f: f.name)


def read_aliases(path: File | None = None) -> dict[str, list[str]]:
    """Extra names for existing gazetteer entries, from ``aliases.csv``.

    Returns
    -------
    dict
        gazetteer id → list of names.
    """
    path = path or data_file("aliases.csv")
    out: dict[str, list[str]] = {}
    if not path.is_file():
        return out
    with _text(path) as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["gazetteer_id"], []).extend(
                v.strip() for v in row["variants"].split("|") if v.strip()
            )
    return out


def read_not_places(path: File | None = None) -> set[str]:
    """Folded names that are never toponyms (people, organisations, media...).

    Read from ``data/gazetteer/not_places.txt``: one name a line, ``#`` comments.
    """
    path = path or data_file("not_places.txt")
    out: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(fold(line))
    return out - {""}


def _curated_row(row: dict[str, str], where: str) -> tuple[Place, list[str]]:
    """A curated CSV row as a place and its variant names; GazetteerError when invalid."""
    from .gazetteer import Place  # gazetteer.py imports this module

    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        raise GazetteerError(f"{where}: lat/lon are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"{where}: lat/lon out of range")
    if row["kind"] not in KINDS:
        raise GazetteerError(f"{where}: unknown kind {row['kind']!r}")
    place = Place(
        row["id"],
        row["name"].strip(),
        lat,
        lon,
        row["country"].strip(),
        row["kind"],
        row["admin1"].strip(),
        0,
        row["source"].strip(),
    )
    variants = [v.strip() for v in (row["variants"] or "").split("|") if v.strip()]
    return place, variants


def read_curated(paths: Sequence[File] | None = None) -> list[tuple[Place, list[str]]]:
    """Read curated gazetteer CSV files.

    Parameters
    ----------
    paths : sequence of Path, optional
        CSV files; by default those shipped in ``data/gazetteer``
        (:func:`curated_files`).

    Returns
    -------
    list of (Place, list of str)
        Each row as a place with its variant names.

    Raises
    ------
    GazetteerError
        On a missing column, a bad number, an unknown kind or a duplicate id,
        naming the file and line.
    """
    out: list[tuple[Place, list[str]]] = []
    ids: set[str] = set()
    for path in paths if paths is not None else curated_files():
        with _text(path) as fh:
            reader = csv.DictReader(fh)
            missing = set(CURATED_COLUMNS) - set(reader.fieldnames or ())
            if missing:
                raise GazetteerError(f"{path}: missing columns {', '.join(sorted(missing))}")
            for row in reader:
                where = f"{path}:{reader.line_num}"
                place, variants = _curated_row(row, where)
                if not row["id"] or row["id"] in ids:
                    raise GazetteerError(f"{where}: missing or duplicate id {row['id']!r}")
                ids.add(row["id"])
                out.append((place, variants))
    return out


def read_same_as(paths: Sequence[File] | None = None) -> dict[str, str]:
    """The optional ``same_as`` column of the curated files: row id → its value.

    Rows without the column, or with it empty, are absent.
    """
    out: dict[str, str] = {}
    for path in paths if paths is not None else curated_files():
        with _text(path) as fh:
            reader = csv.DictReader(fh)
            if SAME_AS not in (reader.fieldnames or ()):
                continue
            for row in reader:
                if (row.get(SAME_AS) or "").strip():
                    out[row["id"]] = row[SAME_AS].strip()
    return out


# Heads of admin-area names, by level, with the other words the press uses at
# that level ("Idlib Governorate" is also "Idlib province", "Idlib countryside").
ADMIN_LEVELS = (
    ("governorate", "province", "shabiya", "marz", "countryside"),
    ("district", "rayon", "mantiqa", "mintaqa"),
    ("subdistrict", "nahiya", "nahiyah"),
)


def admin_forms(names: list[str]) -> list[str]:
    """Other forms of admin-area names; never the bare name, which is the town's.

    Examples
    --------
    >>> admin_forms(["Idlib Governorate", "Idlib"])[:3]
    ['Idlib governorate', 'Idlib province', 'Idlib shabiya']
    """
    out: list[str] = []
    for n in names:
        words = n.split()
        if len(words) < 2:
            continue
        for level in ADMIN_LEVELS:
            if words[-1].lower() in level:
                base = " ".join(words[:-1])
                out.extend(f"{base} {h}" for h in level)
    return out
