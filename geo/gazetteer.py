"""The gazetteer: look places up by name in the indexes and the curated rows.

:class:`Gazetteer` answers name queries from three layers of data, looked up
together:

* the **base index** (GeoNames ``cities500``, countries and first-level admin
  areas) and the **user index** (imported GeoNames dumps), SQLite files that
  :mod:`geo.index` builds and extends; rows are read on demand, so loading
  takes milliseconds;
* the **curated rows** of ``data/gazetteer/`` (:mod:`geo.curated`), held in
  memory. A curated row whose ``source`` is ``geonames:<id>`` replaces that
  GeoNames entry.

Every name is indexed under two keys (see :mod:`geo.names`): ``fold`` for
exact and variant matches, ``loose`` for transliteration alternations. A
bounded fuzzy fallback (similarity of the folded key, by rapidfuzz) catches
typos in :meth:`Gazetteer.search`. :func:`rank_score` is the context-free score of
a candidate; :func:`load_gazetteer` gives the shared instance.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import GazetteerError, InputError
from .curated import admin_forms, read_aliases, read_curated, read_not_places, read_same_as
from .directions import direction_point, split_direction
from .distance import haversine_km
from .index import (
    GRID_DEGREES,
    base_index_path,
    build_index,
    grid_cell,
    import_geonames,
    index_dir,
    user_index_path,
)
from .kinds import KINDS
from .names import fold, loose
from .translit import index_names

__all__ = [
    "KINDS",
    "Place",
    "Candidate",
    "Gazetteer",
    "is_curated",
    "load_gazetteer",
    "rank_score",
    # defined in geo.index and geo.curated, importable from here as before the split
    "build_index",
    "import_geonames",
    "index_dir",
    "read_curated",
]


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


def restated_ids(place: Place, same_as: str = "") -> list[str]:
    """The base places a curated row restates: its ``source`` when that is
    exactly ``geonames:<id>``, and each ``geonames:<id>`` or ``wof:<id>`` of
    its ``same_as`` column."""
    refs = [place.source.split(";")[0].strip(), *(r.strip() for r in same_as.split("|"))]
    return [
        r
        for r in refs
        if (r.startswith("geonames:") and r[9:].isdigit())
        or (r.startswith("wof:") and r[4:].isdigit())
    ]


def is_curated(place: Place) -> bool:
    """True for a curated row of ``data/gazetteer/`` (not a GeoNames or Who's On
    First place of the base index or a dump import)."""
    return not place.gazetteer_id.startswith(_BASE_PREFIXES)


_BASE_PREFIXES = ("geonames:", "wof:")


@dataclass(frozen=True)
class Candidate:
    """A place offered for a query, with how it matched and a score in [0, 1]."""

    place: Place
    match: str  # "exact", "loose" or "fuzzy"
    primary: bool  # the query matched the place's main name
    score: float


# ---------------------------------------------------------------------------
# the gazetteer


_LOOKUP_MEMO = 50_000  # keys remembered per kind of look-up, then forgotten at once
_PLACE_COLS = "p.gid, p.name, p.lat, p.lon, p.country, p.kind, p.admin1, p.population, p.source"


class _KeysCache:
    """The index keys of the curated names (:func:`frontmap.geo.translit.index_names`),
    kept in frontmap's cache folder: computing them for ~1,200 rows took ~0.4 s of
    every start. The file is named after the code that makes the keys (names,
    translit, curated), so changed rules never read stale keys; an entry is
    looked up by the names and country it was made from, so edited rows miss and
    are computed again. Only the entries used are written back."""

    VERSION = 1

    def __init__(self, path: Path | None, table: dict[tuple[str, tuple[str, ...]], list]) -> None:
        self.path = path
        self.table = table
        self.used: dict[tuple[str, tuple[str, ...]], list] = {}
        self.missed = 0

    @classmethod
    def load(cls) -> _KeysCache:
        import hashlib
        import pickle

        from ..files import cache_dir
        from . import curated, names, translit

        digest = hashlib.sha1(str(cls.VERSION).encode())
        try:
            for module in (names, translit, curated):
                digest.update(Path(str(module.__file__)).read_bytes())
        except OSError:
            return cls(None, {})
        path = cache_dir() / f"curated-keys-{digest.hexdigest()[:16]}.pickle"
        try:
            with path.open("rb") as fh:
                table = pickle.load(fh)  # noqa: S301 - our own cache file (see save)
            if not isinstance(table, dict):
                table = {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            table = {}
        return cls(path, table)

    def keys(self, names: list[str], country: str) -> list[tuple[str, str, bool]]:
        entry = (country, tuple(names))
        found = self.table.get(entry)
        if found is None:
            found = list(index_names([("", n) for n in names], country, every_latin=True))
            self.missed += 1
        self.used[entry] = found
        return found

    def save(self) -> None:
        if self.path is None or (not self.missed and len(self.used) == len(self.table)):
            return
        import pickle

        from ..files import write_bytes

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(self.path, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache only


class _CuratedSnapshot:
    """The gazetteer's in-memory index of the shipped curated rows, kept whole in
    frontmap's cache folder: reading the rows, keying their names and replacing
    the base places they restate took ~0.1 s of every start (issue 16), the
    pickle takes a fifth of that. Written by ``frontmap gazetteer build`` (which
    loads the gazetteer once after building the index) and by the first start
    that misses it.

    The file is named after everything the index is made from: the code
    (this module, :mod:`.curated`, :mod:`.kinds`, :mod:`.names`, :mod:`.translit`), the data
    files :class:`Gazetteer` reads and the base and user indexes (path, size,
    modification time: a rebuilt index or a new import misses). Only
    :data:`ATTRS` are kept.
    """

    VERSION = 1
    #: The attributes of :class:`Gazetteer` that ``__init__`` derives from the curated rows.
    ATTRS = (
        "_curated_exact",
        "_curated_loose",
        "_curated_keys",
        "_replaced",
        "curated",
        "not_places",
        "_same_as",
    )

    @classmethod
    def path(cls, base: Path, user: Path | None) -> Path | None:
        """The snapshot file for these indexes and the installed code and data, or None."""
        import hashlib

        from ..files import cache_dir
        from . import curated, kinds, names, translit

        digest = hashlib.sha1(f"{cls.VERSION}".encode())
        try:
            for module in (curated, kinds, names, translit):
                digest.update(Path(str(module.__file__)).read_bytes())
            digest.update(Path(__file__).read_bytes())
            data = curated.curated_files()
            data += [curated.data_file("aliases.csv"), curated.data_file("not_places.txt")]
            for file in data:
                digest.update(file.name.encode() + b"\0" + file.read_bytes())
            for index in (base, user):
                if index is not None and index.exists():
                    st = index.stat()
                    digest.update(f"{index.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
        except OSError:
            return None
        return cache_dir() / f"curated-index-{digest.hexdigest()[:16]}.pickle"

    @classmethod
    def load(cls, path: Path | None) -> dict[str, object] | None:
        """The kept attributes, or None when there is no usable snapshot."""
        if path is None:
            return None
        import pickle

        from ..files import paused_gc

        try:
            with path.open("rb") as fh, paused_gc():
                state = pickle.load(fh)  # noqa: S301 - our own cache file (see save)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None
        if not isinstance(state, dict) or set(state) != set(cls.ATTRS):
            return None
        return state

    @classmethod
    def save(cls, path: Path | None, gazetteer: Gazetteer) -> None:
        if path is None:
            return
        import pickle

        from ..files import write_bytes

        state = {name: getattr(gazetteer, name) for name in cls.ATTRS}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache only


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
        # curated row id → its (fold key, loose key) pairs
        self._curated_keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._curated_cells: dict[int, list[Place]] | None = None  # grid cell → rows
        self._shadow_memo: dict[tuple[str, str], bool] = {}
        # What lookup found under each key (exact, loose): news repeats its names.
        self._lookup_memo: dict[bool, dict[str, tuple[tuple[Place, bool], ...]]] = {
            False: {},
            True: {},
        }
        # GeoNames id → the curated row that restates it
        self._replaced: dict[str, Place] = {}
        self._common: dict[str, float] = {}  # common_word_zipf's answers
        self.curated: list[Place] = []
        self.not_places: set[str] = set()
        self._same_as: dict[str, str] = {}
        self._keys_cache: _KeysCache | None = None
        snapshot = _CuratedSnapshot.path(base, user) if curated is None else None
        state = _CuratedSnapshot.load(snapshot)
        if state is not None:
            self.__dict__.update(state)
            return
        self._index_curated(curated)
        _CuratedSnapshot.save(snapshot, self)

    def _index_curated(self, curated: list[tuple[Place, list[str]]] | None) -> None:
        """Index the curated rows (the shipped ones when ``curated`` is None) and the aliases."""
        self.not_places = read_not_places()
        self._same_as = read_same_as() if curated is None else {}
        # the index keys of the shipped curated names, kept in the cache folder
        self._keys_cache = _KeysCache.load() if curated is None else None
        claims = self._add_curated(read_curated() if curated is None else curated)
        aliases = read_aliases()
        base_rows = self._fetch_by_gid(sorted(claims) + sorted(aliases))
        self._replace_claimed(claims, base_rows)
        for gid, names in aliases.items():
            if gid in base_rows:
                self._index_names(base_rows[gid], names, primary=False)
        if self._keys_cache is not None:
            self._keys_cache.save()
            self._keys_cache = None  # what later imports add is indexed afresh

    def _add_curated(self, curated: list[tuple[Place, list[str]]]) -> dict[str, Place]:
        """Index the curated rows; returns the base places they restate (first claim wins).

        A row restates a base place when its ``source`` starts with
        ``geonames:<id>`` or when its optional ``same_as`` column names
        ``geonames:<id>`` or ``wof:<id>`` (a Who's On First place).
        """
        claims: dict[str, Place] = {}
        for place, variants in curated:
            for ref in restated_ids(place, self._same_as.get(place.gazetteer_id, "")):
                claims.setdefault(ref, place)
            self.curated.append(place)
            self._index_names(place, [place.name, *variants])
        return claims

    def _replace_claimed(self, claims: dict[str, Place], base_rows: dict[str, Place]) -> None:
        """A curated row of the same kind that restates a GeoNames entry takes
        its place (GeoNames' names then find the curated row) and keeps its
        population as a prior."""
        for gid, cur in claims.items():
            old = base_rows.get(gid)
            if old is not None and old.kind == cur.kind:
                self._replaced[old.gazetteer_id] = cur._replace(population=old.population)
        if not self._replaced:
            return
        swap = {p.gazetteer_id: p for p in self._replaced.values()}
        self.curated = [swap.get(p.gazetteer_id, p) for p in self.curated]
        for table in (self._curated_exact, self._curated_loose):
            for entries in table.values():
                entries[:] = [(swap.get(p.gazetteer_id, p), prim) for p, prim in entries]

    def _index_names(self, place: Place, names: list[str], *, primary: bool = True) -> None:
        if place.kind == "admin_region":
            names = names + admin_forms(names)
        if self._keys_cache is not None:
            keys = self._keys_cache.keys(names, place.country)
        else:
            keys = list(index_names([("", n) for n in names], place.country, every_latin=True))
        for key, skel, first in keys:
            if key:
                self._curated_exact[key].append((place, primary and first))
            self._curated_loose[skel].append((place, primary and first))
            self._curated_keys[place.gazetteer_id].append((key, skel))

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
        for memo in self._lookup_memo.values():
            memo.clear()
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
        """Base places by id (``geonames:<id>``, ``wof:<id>``); a Who's On First
        id also finds the GeoNames place it was merged into."""
        out: dict[str, Place] = {}
        wof = [int(g[4:]) for g in gids if g.startswith("wof:") and g[4:].isdigit()]
        for i in range(0, len(wof), 500):
            wchunk = wof[i : i + 500]
            marks = ",".join("?" * len(wchunk))
            for row in (
                self._con()
                .execute(
                    f"SELECT w.wof_id, {_PLACE_COLS} FROM main.wof w "
                    f"JOIN main.place p ON p.gid = w.gid WHERE w.wof_id IN ({marks})",
                    wchunk,
                )
                .fetchall()
            ):
                out[f"wof:{row[0]}"] = Place(*row[1:])
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
        memo = self._lookup_memo[loose_keys]
        out: dict[str, list[tuple[Place, bool]]] = {}
        missing: set[str] = set()
        # Membership tests only: ``set - memo.keys()`` walks the whole memo
        # (CPython's reflected dict-view difference), a millisecond a call at
        # 50,000 keys.
        for k in keys:
            if not k:
                continue
            hit = memo.get(k)
            if hit is None:
                missing.add(k)
            elif hit:
                out[k] = list(hit)
        keys = sorted(missing)
        if not keys:
            return out
        fresh = self._lookup_db(keys, loose_keys)
        if len(memo) + len(keys) > _LOOKUP_MEMO:
            memo.clear()
        for k in keys:
            found = fresh.get(k, [])
            memo[k] = tuple(found)
            if found:
                out[k] = found
        return out

    def _lookup_db(self, keys: list[str], loose_keys: bool) -> dict[str, list[tuple[Place, bool]]]:
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
                if row[0] in curated and self._shadowed(row[0], place, curated[row[0]]):
                    continue
                out.setdefault(row[0], []).append((place, bool(row[1])))
        return out

    def closest_name(
        self,
        name: str,
        points: Sequence[tuple[float, float]],
        *,
        km: float = 20.0,
        near: list[tuple[str, str, int | Place]] | None = None,
    ) -> tuple[Place, float] | None:
        """The place within ``km`` of one of ``points`` whose name is closest to ``name``.

        For names an article places near places it names, which neither the
        folded key nor the loose key reached: a typo, or a transliteration
        two letters off ("Kafr Uwaid" for "Kafr ʿUwayd").

        Parameters
        ----------
        name : str
            The name as written.
        points : sequence of (lat, lon)
            The places it should be near.
        km : float
            How far from them to look.
        near : list, optional
            :meth:`names_near` of the same points and distance, when the
            caller looks several names up around the same places.

        Returns
        -------
        (Place, float) or None
            The place and the similarity of the names in [0, 1] (rapidfuzz's
            ratio of the folded keys; 0.9 at least when the loose keys are
            equal); None when no name reaches 0.85 (0.8 from eight letters).
            Ties go to the place nearest one of the points.
        """
        key = fold(name)
        if len(key.replace(" ", "")) < 4 or not points:
            return None
        from rapidfuzz import fuzz, process  # only names in no gazetteer reach here

        rows = near if near is not None else self.names_near(points, km)
        skel = loose(key)
        sims: dict[int, float] = {}  # row index of each place's best name → similarity
        best_row: dict[int | str, int] = {}

        def offer(i: int, sim: float) -> None:
            ref = rows[i][2]
            ident = ref if isinstance(ref, int) else ref.gazetteer_id
            j = best_row.get(ident)
            if j is None or sim > sims[j]:
                best_row[ident] = i
                sims[i] = sim

        if len(skel) >= 4:
            for i, (_, s_, _) in enumerate(rows):
                if s_ == skel:
                    offer(i, 90.0)
        cutoff = 85 if len(key) < 8 else 80
        keys = [k for k, _, _ in rows]
        for _, sim, i in process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=25
        ):
            offer(i, float(sim))
        found = []
        for i in best_row.values():
            ref = rows[i][2]
            place = ref if not isinstance(ref, int) else self._place_by_row(ref)
            if place is None:
                continue
            dist = min(haversine_km(place.lat, place.lon, a, b) for a, b in points)
            if dist <= km:
                found.append((-sims[i], dist, place.gazetteer_id, place))
        if not found:
            return None
        sim, _, _, place = min(found)
        return place, round(-sim / 100.0, 3)

    def _place_by_row(self, row_id: int) -> Place | None:
        """The base index's place of a row id (its curated row when one restates it)."""
        row = (
            self._con()
            .execute(f"SELECT {_PLACE_COLS} FROM main.place p WHERE p.id = ?", (row_id,))
            .fetchone()
        )
        if row is None:
            return None
        return self._replaced.get(row[0]) or Place(*row)

    def names_near(
        self, points: Sequence[tuple[float, float]], km: float
    ) -> list[tuple[str, str, int | Place]]:
        """The names of the places within about ``km`` of ``points``.

        Parameters
        ----------
        points : sequence of (lat, lon)
            At most 50 are used.
        km : float
            Half the side of the box looked in around each point.

        Returns
        -------
        list of (fold key, loose key, place)
            One row per name: curated rows first (``place`` the row), then
            the base index's places of the theatres' countries and their
            neighbours (:data:`geo.index.TRANSLIT_COUNTRIES`) in the grid
            cells that cover the boxes (``place`` its row id). An
            Arabic-script skeleton has an empty fold key.
        """
        cells: set[int] = set()
        boxes = []
        for lat, lon in sorted(set(points))[:50]:
            dlat = km / 111.0
            dlon = km / (111.0 * max(0.1, math.cos(math.radians(lat))))
            boxes.append((lat - dlat, lat + dlat, lon - dlon, lon + dlon))
            steps_lat = int(dlat // GRID_DEGREES) + 1
            steps_lon = int(dlon // GRID_DEGREES) + 1
            for a in range(-steps_lat, steps_lat + 1):
                for b in range(-steps_lon, steps_lon + 1):
                    cells.add(grid_cell(lat + a * GRID_DEGREES, lon + b * GRID_DEGREES))
        if self._curated_cells is None:
            by_cell: dict[int, list[Place]] = defaultdict(list)
            for p in self.curated:
                by_cell[grid_cell(p.lat, p.lon)].append(p)
            self._curated_cells = dict(by_cell)
        out: list[tuple[str, str, int | Place]] = []
        for cell in sorted(cells):
            for p in self._curated_cells.get(cell, ()):
                if any(s <= p.lat <= n and w <= p.lon <= e for s, n, w, e in boxes):
                    out.extend((k, sk, p) for k, sk in self._curated_keys.get(p.gazetteer_id, ()))
        cell_list = sorted(cells)
        for i in range(0, len(cell_list), 500):
            chunk = cell_list[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.extend(
                self._con()
                .execute(f"SELECT key, skel, place FROM main.near WHERE cell IN ({marks})", chunk)
                .fetchall()
            )
        return out

    def _shadowed(self, key: str, place: Place, curated: list[tuple[Place, bool]]) -> bool:
        """:func:`_shadowed`, remembered by key and place."""
        memo = (key, place.gazetteer_id)
        found = self._shadow_memo.get(memo)
        if found is None:
            found = self._shadow_memo[memo] = _shadowed(place, curated)
        return found

    def common_word_zipf(self, word: str) -> float:
        """Zipf frequency of a lower-case English word (0 when not common)."""
        # Looked up word by word and remembered: reading the whole table (30,000
        # words) took 0.05 s of every start for the few dozen words an article asks.
        found = self._common.get(word)
        if found is None:
            sql = "SELECT zipf FROM main.word WHERE word = ?"
            row = self._con().execute(sql, (word,)).fetchone()
            found = self._common[word] = 0.0 if row is None else row[0]
        return found

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
            parts = self._direction_parts(query, direction, rest, limit, fuzzy, country)
            if parts:
                return parts
        found: dict[str, Candidate] = {}
        _offer(found, self.lookup([key]).get(key, []), "exact", country, kind)
        skel = loose(key)
        if len(skel) >= 4:
            matches = self.lookup([skel], loose_keys=True).get(skel, [])
            _offer(found, matches, "loose", country, kind)
        if fuzzy and not found and len(key) >= 5:
            for k in self._fuzzy_keys(key):
                _offer(found, self.lookup([k]).get(k, []), "fuzzy", country, kind)
        ranked = sorted(
            found.values(),
            key=lambda c: (_MATCH_ORDER[c.match], -c.score, c.place.gazetteer_id),
        )
        return ranked[:limit]

    def _direction_parts(
        self,
        query: str,
        direction: str,
        rest: str,
        limit: int,
        fuzzy: bool,
        country: str | None,
    ) -> list[Candidate]:
        """The part of each candidate for ``rest`` a direction names ("northwest Syria")."""
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
        return regions

    def _fuzzy_keys(self, key: str) -> list[str]:
        """Indexed keys within about one or two edits of ``key``: at most five.

        The candidates share the first two letters and are at most two letters
        longer or shorter; they are kept when their similarity (rapidfuzz's
        ``fuzz.ratio``, ``2 * common / total`` letters) reaches 85 (80 for keys
        of eight letters or more).
        """
        from rapidfuzz import fuzz, process  # only typos reach here: import on first use

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
        cutoff = 85 if len(key) < 8 else 80
        # Keys in reverse order: equal scores go to the later key, as they
        # did with difflib.get_close_matches.
        found = process.extract(
            key, sorted(keys, reverse=True), scorer=fuzz.ratio, score_cutoff=cutoff, limit=5
        )
        return [k for k, _, _ in found]

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

        The places of the base index that GeoNames' cities500 (or an import)
        holds: the villages known only from Who's On First (tens of thousands,
        most without a census figure) are found by name, never listed here,
        so a base map of them stays as light as before.

        Returns
        -------
        list of (name, lat, lon, population)
            Ties broken by name, then position, so the order is stable.
        """
        rows = (
            self._con()
            .execute(
                "SELECT name, lat, lon, population FROM main.place WHERE kind = 'populated_place' "
                "AND source NOT LIKE 'wof:%' "
                "AND population >= ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                (min_population, south, north, west, east),
            )
            .fetchall()
        )
        return sorted(rows, key=lambda r: (-r[3], r[0], r[1], r[2]))


_SAME_KIND = {"district": "populated_place", "airport": "military_site"}
_SHADOW_KM = 5.0


def _shadowed(place: Place, curated: list[tuple[Place, bool]]) -> bool:
    """True when a curated row of the same name and kind lies within 5 km of a
    base place: the row restates it (curated rows keep priority), whether or
    not it says so in ``same_as``."""
    if is_curated(place):
        return False
    kind = _SAME_KIND.get(place.kind, place.kind)
    return any(
        _SAME_KIND.get(c.kind, c.kind) == kind
        and haversine_km(place.lat, place.lon, c.lat, c.lon) <= _SHADOW_KM
        for c, _ in curated
    )


def _offer(
    found: dict[str, Candidate],
    matches: Iterable[tuple[Place, bool]],
    match: str,
    country: str | None,
    kind: str | None,
) -> None:
    """Add the matches that pass the filters to ``found``, keeping each place's best score."""
    for place, primary in matches:
        if (country and place.country != country.upper()) or (kind and place.kind != kind):
            continue
        score = rank_score(place, match, primary)
        old = found.get(place.gazetteer_id)
        if old is None or old.score < score:
            found[place.gazetteer_id] = Candidate(place, match, primary, score)


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
    curated = is_curated(place)
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
            base = base_index_path()
            if not base.exists():
                if not build:
                    raise GazetteerError(
                        f"no gazetteer index at {base}; run `frontmap gazetteer build`"
                    )
                try:
                    build_index(base)
                except OSError as exc:  # frontmap.errors.OutputError too
                    raise GazetteerError(f"cannot build the gazetteer index: {exc}") from None
            _SHARED = Gazetteer(base, user_index_path())
        return _SHARED
