"""Theatres and actors: the facts of ``frontmap/data/theatres.json``, read once.

Every stage takes its theatre facts from here — bounds and view, countries,
the metric CRS distances are computed in, the actor keys an area of control
may carry, and each actor's legend label and colour. Adding a theatre needs
only a new entry in the JSON file.

>>> get_theatre("libya").countries
('LY',)
>>> theatre_of(35.93, 36.63)
'idlib'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from .errors import InputError

__all__ = [
    "Actor",
    "Theatre",
    "actor",
    "all_theatres",
    "get_theatre",
    "known_actors",
    "metric_crs",
    "theatre_by_id",
    "theatre_codes",
    "theatre_of",
]

#: Place kinds that belong to the theatres of their country when they lie outside
#: every theatre's bounds (their point is only a label position).
AREA_KINDS = ("country", "region")


@dataclass(frozen=True)
class Actor:
    """An actor key of the layers, with its legend label and colour."""

    key: str
    label: str
    color: str


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
    actors = {
        str(k): Actor(str(k), str(v["label"]), str(v["color"]))
        for k, v in raw.get("actors", {}).items()
    }
    return tuple(out), actors


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


def theatre_of(
    lat: float | None, lon: float | None, kind: str | None = None, country: str | None = None
) -> str | None:
    """Return the id of the theatre a place belongs to.

    A place belongs to the first theatre (in file order) whose bounds contain it;
    failing that, a place of kind ``"country"`` or ``"region"`` belongs to the first
    theatre listing its country. :func:`theatre_codes` is the same rule for arrays.

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
    codes = np.full(len(lat), -1, dtype=np.intp)
    todo = np.isfinite(lat) & np.isfinite(lon)
    for k, t in enumerate(ts):
        (s, w), (n, e) = t.bounds
        inside = todo & (lat >= s) & (lat <= n) & (lon >= w) & (lon <= e)
        codes[inside] = k
        todo &= ~inside
    if kinds is not None and countries is not None:
        kinds = np.asarray(kinds, dtype=object)
        countries = np.asarray(countries, dtype=object)
        for i in np.flatnonzero(codes < 0):
            if kinds[i] in AREA_KINDS and isinstance(countries[i], str):
                cc = countries[i].upper()
                for k, t in enumerate(ts):
                    if cc in t.countries:
                        codes[i] = k
                        break
    return codes, [t.id for t in ts]
