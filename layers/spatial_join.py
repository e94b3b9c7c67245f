"""Spatial joins: the theatre, zones, control and distance to the front of places.

Distances are computed in a metric CRS per theatre (:func:`metric_crs`), never in
degrees. Points are matched with prepared geometries (``shapely.contains_xy``) and
front-line distances are GEOS's point-to-segment distances (``shapely.distance``).

Large groups of points (one theatre, one day) take the shortcuts of
:mod:`frontmap.layers._grid`, which give the same results to the last bit. A
join of a million points against the layers of one day takes about a second
(``bench/bench_join.py``).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..dates import parse_date
from ..errors import InputError
from ..schema import area_rows
from ..theatres import metric_crs, theatre_codes
from . import _grid
from ._grid import cells_of, contains, front_index, front_km, to_metric
from .catalog import _frame_or_shipped, control_spans, memo_of, note_for, selected_rows

__all__ = ["FALLBACK_KM", "control_at", "join", "metric_crs"]  # metric_crs: from theatres

#: A point of a theatre that falls just outside every control polygon (a port
#: geocoded in the sea, a point on a simplified coastline) takes the control of
#: the nearest polygon within this distance.
FALLBACK_KM = 2.0

_ZONE_KINDS = ("zone", "corridor")


@lru_cache(maxsize=256)
def _fallback(theatre: str, geom: Any) -> tuple[Any, Any]:
    """The polygon in the metric CRS, and grown by FALLBACK_KM back in WGS84 (prepared)."""
    metric = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(metric_crs(theatre))
    grown = metric.buffer(FALLBACK_KM * 1000, quad_segs=4).to_crs("EPSG:4326").iloc[0]
    shapely.prepare(grown)
    return metric.iloc[0], grown


def _row_dates(places: pd.DataFrame, default: dt.date | None) -> tuple[np.ndarray, list[Any]]:
    """Per-row days as (codes, unique days); code -1 means "latest" (no date)."""
    n = len(places)
    if "date" not in places.columns:
        if default is None:
            return np.full(n, -1, dtype=np.int64), []
        return np.zeros(n, dtype=np.int64), [default]
    codes, uniques = pd.factorize(places["date"].to_numpy(dtype=object), use_na_sentinel=True)
    slot: dict[dt.date, int] = {}
    remap = np.empty(len(uniques) + 1, dtype=np.int64)
    for k, value in enumerate([*uniques, None]):
        day = parse_date(value, "the 'date' column")
        day = default if day is None else day
        remap[k] = -1 if day is None else slot.setdefault(day, len(slot))
    days = list(slot)
    return remap[codes], days


def _coords(places: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    for col in ("lat", "lon"):
        if col not in places.columns:
            raise InputError(f"places need a '{col}' column")
    lat = pd.to_numeric(places["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(places["lon"], errors="coerce").to_numpy(dtype=float)
    return lat, lon


def join(
    places: pd.DataFrame, date: Any = None, layers: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Join places to the zones, control and front lines valid on their date.

    Parameters
    ----------
    places : pandas.DataFrame
        Columns ``lat``, ``lon`` (degrees), optionally ``kind``, ``country`` (used to
        give countries and regions a theatre), ``precision`` (1 the place, 2 near
        or part of it, 3 a region) and ``date`` (a per-row
        :class:`datetime.date` or None, overriding ``date``).
    date : date, datetime, ISO string or None
        The day to join at; None means the latest state (features with no
        ``valid_to``). Validity is inclusive at both ends.
    layers : GeoDataFrame, optional
        Features to join against (default: the shipped layers).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, point geometry, all input columns plus

        - ``theatre``: theatre id or None;
        - ``zones``: sorted list of the ids of zone and corridor features containing
          the point;
        - ``control``: actor key of the area of control containing the point (or the
          nearest within :data:`FALLBACK_KM`), or None;
        - ``front_km``: km to the nearest front line of the theatre valid that day,
          rounded to 0.1, or None when there is none;
        - ``faction``: the ``faction`` of that area of control (``hts`` within
          ``opposition``, ``nk`` within ``armenia``...), or None;
        - ``control_note``: why the theatre has no control on that day (``"no
          control data after 26 Nov 2024"``: see
          :func:`frontmap.layers.coverage_note`), or None.

        A place belongs to a theatre when it lies in the theatre's bounds or in one
        of its countries (:func:`frontmap.theatres.theatre_of`). Outside every
        theatre these are None (``zones`` empty). An area — a country, a region
        (``precision`` 3), or without a precision a place of kind ``region`` or
        ``admin_region`` (:func:`area_rows`) — gets its theatre but no zones,
        control, distance or note: its point is only a label position, and
        "northwest Syria" is neither held by one actor nor some km from a front.

    Raises
    ------
    frontmap.errors.InputError
        When ``lat``/``lon`` are missing or a date cannot be read.
    """
    default = parse_date(date)
    frame = _frame_or_shipped(layers)
    lat, lon = _coords(places)
    n = len(places)
    t_codes, t_ids = theatre_codes(
        lat,
        lon,
        places["kind"].to_numpy(dtype=object) if "kind" in places.columns else None,
        places["country"].to_numpy(dtype=object) if "country" in places.columns else None,
    )
    d_codes, d_uniques = _row_dates(places, default)
    zones = _Zones(n)
    control = np.full(n, None, dtype=object)
    faction = np.full(n, None, dtype=object)
    notes = np.full(n, None, dtype=object)
    front = np.full(n, np.nan)

    ok = np.isfinite(lat) & np.isfinite(lon)
    active = (t_codes >= 0) & ok
    active &= ~area_rows(places)
    # one group per theatre and day (-1 for the rows left out)
    per = len(d_uniques) + 1
    key = t_codes * per + (d_codes + 1)
    key[~active] = -1
    present = np.flatnonzero(np.bincount(key + 1)[1:])
    if len(present) <= 16:
        groups = [np.flatnonzero(key == k) for k in present]
    else:
        order = np.argsort(key, kind="stable")
        order = order[np.searchsorted(key[order], 0) :]
        groups = np.split(order, np.flatnonzero(np.diff(key[order])) + 1)
    memo = memo_of(frame)
    if memo is None:
        memo = {}  # a frame that may change: what is derived from it lives for this call
    if len(groups) and "spans" not in memo:
        memo["spans"] = control_spans(frame)
    spans = memo.get("spans", {})
    for rows_idx in groups:
        k = key[rows_idx[0]]
        tid = t_ids[k // per]
        dc = k % per - 1
        day = None if dc < 0 else d_uniques[dc]
        sel = memo.get(("selection", day, tid))
        if sel is None:
            sel = memo[("selection", day, tid)] = _Selection.of(frame, day, tid)
        _join_group(
            tid, sel, lat[rows_idx], lon[rows_idx], rows_idx, zones, (control, faction), front
        )
        notes[rows_idx] = note_for(tid, day, spans)

    front_obj = np.round(front, 1).astype(object)
    front_obj[np.isnan(front)] = None
    with _gc_paused():
        if ok.all():
            geoms = shapely.points(lon, lat)
        else:
            geoms = np.full(n, None, dtype=object)
            geoms[ok] = shapely.points(lon[ok], lat[ok])
        # object columns, so that "none" stays None (pandas would infer str / float)
        return _frame(
            places,
            {
                "theatre": np.array([*t_ids, None], dtype=object)[t_codes],
                "zones": zones.column(),
                "control": control,
                "front_km": front_obj,
                "faction": faction,
                "control_note": notes,
            },
            geoms,
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if on) while the result's objects are made.

    A join makes a point and a list per row, all tracked by the collector; made
    with it running, they set off full collections over the whole heap again and
    again as the heap grows (a third of the time of a million-row join). Paused,
    they cost one pass of each generation later on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _frame(places: pd.DataFrame, new: dict[str, np.ndarray], geoms: np.ndarray) -> gpd.GeoDataFrame:
    """The input columns, then ``new`` (object columns) and the points as ``geometry``."""
    cols = places.columns
    if (
        cols.is_unique
        and not isinstance(cols, pd.MultiIndex)
        and not any(name in cols for name in [*new, "geometry"])
    ):
        # one frame built from its columns: no deep copy of the input (pandas
        # copies on write) and no second consolidation after adding columns
        index = places.index
        data: dict[Any, Any] = {c: places[c] for c in cols}
        for name, values in new.items():
            data[name] = pd.Series(values, index=index, dtype=object, copy=False)
        data["geometry"] = gpd.GeoSeries(geoms, index=index, crs="EPSG:4326")
        return gpd.GeoDataFrame(data, index=index)
    out = pd.DataFrame(places, copy=True)
    if isinstance(out, gpd.GeoDataFrame):
        out = pd.DataFrame(out.drop(columns=out.geometry.name))
    for name, values in new.items():
        out[name] = pd.Series(values, index=out.index, dtype=object)
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=out.index, crs="EPSG:4326"))


class _Zones:
    """Per-row zone lists, kept as codes into the distinct lists met so far."""

    def __init__(self, n: int) -> None:
        self.code = np.zeros(n, dtype=np.intp)
        self.lists: list[list[Any]] = [[]]
        self._codes: dict[tuple[Any, ...], int] = {(): 0}

    def code_of(self, ids: list[Any]) -> int:
        """The code of a sorted list of zone ids (a new one the first time)."""
        key = tuple(ids)
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = len(self.lists)
            self.lists.append(list(ids))
        return code

    def column(self) -> np.ndarray:
        """An object array holding a list per row, each row its own list object."""
        lists = np.empty(len(self.lists), dtype=object)
        for k, ids in enumerate(self.lists):
            lists[k] = ids
        return np.fromiter(map(list.copy, lists[self.code]), dtype=object, count=len(self.code))


def _isna(value: Any) -> bool:
    """pandas.isna of one value as an element of an object array."""
    box = np.empty(1, dtype=object)
    box[0] = value
    return bool(pd.isna(box)[0])


def _nearest_control(
    tid: str,
    polygons: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    cells: np.ndarray | None,
    todo: np.ndarray,
    got: np.ndarray,
) -> None:
    """Give the points ``todo`` the number of the nearest polygon within FALLBACK_KM.

    "Within" means inside the polygon grown by FALLBACK_KM (:func:`_fallback`). A
    point within reach of one polygon takes its actor whatever the distance, as
    long as that is a finite number (a finite polygon and point), so distances are
    measured only for the points within reach of several.
    """
    near = [
        np.flatnonzero(contains(tid, _fallback(tid, g)[1], lon, lat, cells, todo)) for g in polygons
    ]
    reach = np.zeros(len(todo), dtype=np.intp)
    for nj in near:
        reach[nj] += 1
    best = np.full(len(todo), np.inf)
    for k, (g, nj) in enumerate(zip(polygons, near, strict=True)):
        if not len(nj):
            continue
        metric_geom = _fallback(tid, g)[0]
        px, py = to_metric(tid).transform(lon[todo[nj]], lat[todo[nj]])
        dist = np.zeros(len(nj))
        measure = reach[nj] > 1
        if not _finite(metric_geom):
            measure[:] = True
        else:
            measure |= ~(np.isfinite(px) & np.isfinite(py))
        if measure.any():
            dist[measure] = shapely.distance(metric_geom, shapely.points(px[measure], py[measure]))
        better = dist < best[nj]
        best[nj[better]] = dist[better]
        got[todo[nj[better]]] = k


@lru_cache(maxsize=256)
def _finite(geom: Any) -> bool:
    """True when GEOS distances to geom are finite numbers for any finite point."""
    if geom is None or shapely.is_empty(geom):
        return False
    xy = shapely.get_coordinates(geom)
    return bool(np.isfinite(xy).all() and np.abs(xy).max() < 1e100)


@dataclass(frozen=True)
class _Selection:
    """What a join needs of the features of one theatre on one day, as arrays
    (made once per frame, day and theatre: see :func:`frontmap.layers.catalog.freeze`)."""

    kinds: np.ndarray
    geoms: np.ndarray
    ids: np.ndarray
    actors: np.ndarray
    factions: np.ndarray

    @classmethod
    def of(cls, frame: gpd.GeoDataFrame, day: dt.date | None, theatre: str) -> _Selection:
        rows = selected_rows(frame, day, theatre)
        n = len(rows)

        def column(name: str) -> np.ndarray:
            if name not in frame.columns:
                return np.full(n, None, dtype=object)
            return frame[name].to_numpy(dtype=object)[rows]

        return cls(
            column("kind"),
            frame.geometry.to_numpy()[rows],
            column("id"),
            column("actor"),
            column("faction"),
        )


def _join_group(
    tid: str,
    sel: _Selection,
    lat: np.ndarray,
    lon: np.ndarray,
    rows: np.ndarray,
    zones: _Zones,
    control: tuple[np.ndarray, np.ndarray],
    front: np.ndarray,
) -> None:
    kinds = sel.kinds
    geoms = sel.geoms
    cells = cells_of(tid, lon, lat) if len(rows) >= _grid.GRID_MIN_POINTS else None
    _control(tid, sel, kinds, geoms, lon, lat, cells, rows, control)

    # zones and corridors containing the point, ids sorted
    _zones_of(tid, sel, kinds, geoms, lon, lat, cells, rows, zones)

    # distance to the nearest front line, in the theatre's metric CRS
    fr = np.flatnonzero(kinds == "front_line")
    if len(fr):
        fronts = tuple(geoms[fr])
        if front_index(tid, fronts) is not None:
            x, y = to_metric(tid).transform(lon, lat)
            front[rows] = front_km(tid, fronts, x, y)


def _control(
    tid: str,
    sel: _Selection,
    kinds: np.ndarray,
    geoms: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    cells: np.ndarray | None,
    rows: np.ndarray,
    out: tuple[np.ndarray, np.ndarray],
) -> None:
    """Control and faction: the first polygon holding the point, else the nearest within
    FALLBACK_KM (a later polygon holding the point replaces one whose actor is missing)."""
    ctl = np.flatnonzero(kinds == "control")
    if not len(ctl):
        return
    which = np.full(len(rows), -1, dtype=np.intp)  # number of the polygon in ctl
    free = np.ones(len(rows), dtype=bool)  # no polygon with an actor yet
    actors = sel.actors[ctl]
    factions = sel.factions[ctl]
    for n_done, j in enumerate(ctl):
        cand = None if n_done == 0 else np.flatnonzero(free)  # None: all points
        if cand is not None and not len(cand):
            break
        inside = contains(tid, geoms[j], lon, lat, cells, cand)
        hit = np.flatnonzero(inside) if cand is None else cand[inside]
        which[hit] = n_done
        if not _isna(actors[n_done]):
            free[hit] = False
    todo = np.flatnonzero(free)
    if len(todo):
        _nearest_control(tid, geoms[ctl], lon, lat, cells, todo, which)
    found = which >= 0
    control, faction = out
    picked = np.full(len(rows), None, dtype=object)
    picked[found] = actors[which[found]]
    control[rows] = picked
    clean = np.array([None if _isna(f) else f for f in factions] + [None], dtype=object)
    faction[rows] = clean[np.where(found, which, len(ctl))]


def _zones_of(
    tid: str,
    sel: _Selection,
    kinds: np.ndarray,
    geoms: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    cells: np.ndarray | None,
    rows: np.ndarray,
    zones: _Zones,
) -> None:
    """The sorted ids of the zones and corridors holding each point."""
    zsel = np.flatnonzero(np.isin(kinds, _ZONE_KINDS))
    if len(zsel):
        ids = sel.ids
        zsel = zsel[np.argsort(ids[zsel].astype(str))]
        zone_ids = ids[zsel]
        if len(zsel) <= 16:
            # the set of zones of each point as bits; one list per set met
            bits = np.zeros(len(rows), dtype=np.intp)
            for k, j in enumerate(zsel):
                bits[contains(tid, geoms[j], lon, lat, cells)] += 1 << k
            code = np.zeros(1 << len(zsel), dtype=np.intp)
            for b in np.flatnonzero(np.bincount(bits)[1:]) + 1:
                code[b] = zones.code_of(list(zone_ids[(b >> np.arange(len(zsel))) & 1 == 1]))
            zones.code[rows] = code[bits]
        else:
            hits = np.zeros((len(rows), len(zsel)), dtype=bool)
            for k, j in enumerate(zsel):
                hits[:, k] = contains(tid, geoms[j], lon, lat, cells)
            inside = np.flatnonzero(hits.any(axis=1))
            if len(inside):
                patterns, which = np.unique(hits[inside], axis=0, return_inverse=True)
                codes = [zones.code_of(list(zone_ids[p])) for p in patterns]
                zones.code[rows[inside]] = np.array(codes, dtype=np.intp)[which.reshape(-1)]


def control_at(lat: float, lon: float, date: Any = None) -> str | None:
    """Return the actor key controlling a point on a date.

    Parameters
    ----------
    lat, lon : float
        Position in degrees.
    date : date, datetime, ISO string or None
        The day (None: the latest state).

    Returns
    -------
    str or None
        The actor key, or None outside every theatre or where no layer covers
        that day.
    """
    res = join(pd.DataFrame({"lat": [lat], "lon": [lon]}), date=date)
    value = res["control"].iloc[0]
    return None if value is None or pd.isna(value) else str(value)
