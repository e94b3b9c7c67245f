"""Theatres: the regions frontmap maps, read from ``frontmap_data/theatres.json``."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

__all__ = ["Theatre", "theatres", "theatre_of", "theatre_by_id"]


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
    """

    id: str
    title: str
    countries: tuple[str, ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]
    center: tuple[float, float]
    zoom: int

    def contains(self, lat: float, lon: float) -> bool:
        """Return True when ``(lat, lon)`` lies inside the bounds (edges included)."""
        (south, west), (north, east) = self.bounds
        return south <= lat <= north and west <= lon <= east


@lru_cache(maxsize=1)
def _load() -> tuple[Theatre, ...]:
    raw = json.loads((files("frontmap_data") / "theatres.json").read_text(encoding="utf-8"))
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
            )
        )
    return tuple(out)


def theatres() -> list[Theatre]:
    """Return the theatres defined in ``theatres.json``, in file order.

    Returns
    -------
    list of Theatre
    """
    return list(_load())


def theatre_by_id(theatre_id: str) -> Theatre | None:
    """Return the theatre with that id, or None."""
    for t in _load():
        if t.id == theatre_id:
            return t
    return None


def theatre_of(
    lat: float | None, lon: float | None, kind: str | None = None, country: str | None = None
) -> str | None:
    """Return the id of the theatre a place belongs to.

    A place belongs to the first theatre (in file order) whose bounds contain it;
    failing that, a place of kind ``"country"`` or ``"region"`` belongs to the first
    theatre listing its country.

    Parameters
    ----------
    lat, lon : float or None
        Position in degrees (WGS84).
    kind : str, optional
        The place's kind in the gazetteer (``"country"``, ``"region"``, ``"city"``...).
    country : str, optional
        ISO 3166-1 alpha-2 code of the place's country.

    Returns
    -------
    str or None
        The theatre id, or None outside every theatre.
    """
    ok = lat is not None and lon is not None
    if ok:
        try:
            lat_f, lon_f = float(lat), float(lon)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            ok = False
        else:
            ok = math.isfinite(lat_f) and math.isfinite(lon_f)
    if ok:
        for t in _load():
            if t.contains(lat_f, lon_f):
                return t.id
    if kind in ("country", "region") and country:
        cc = str(country).upper()
        for t in _load():
            if cc in t.countries:
                return t.id
    return None
