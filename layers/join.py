"""Spatial joins: the theatre, zones, control and distance to the front of places.

Distances are computed in a metric CRS per theatre (:func:`metric_crs`), never in
degrees. Points are matched with prepared geometries (``shapely.contains_xy``) and
front-line distances with an STRtree over the front's segments, so a join of a
million points against the layers of one day takes seconds.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.errors import InputError
from layers.catalog import layers_at, load_layers, parse_date
from layers.theatres import theatre_by_id, theatres

__all__ = ["FALLBACK_KM", "control_at", "join", "metric_crs"]

#: A point of a theatre that falls just outside every control polygon (a port
#: geocoded in the sea, a point on a simplified coastline) takes the control of
#: the nearest polygon within this distance.
FALLBACK_KM = 2.0

_METRIC = {"idlib": "EPSG:32637", "caucasus": "EPSG:32638"}
_ZONE_KINDS = ("zone", "corridor")


@cache
def metric_crs(theatre: str) -> CRS:
    """Return the projected CRS used for distances in a theatre.

    Parameters
    ----------
    theatre : str
        Theatre id.

    Returns
    -------
    pyproj.CRS
        UTM 37N (EPSG:32637) for Idlib, UTM 38N (EPSG:32638) for the Caucasus;
        elsewhere (Libya spans four UTM zones) a transverse Mercator centred on the
        theatre, whose scale error stays under 1 % across the theatre.
    """
    if theatre in _METRIC:
        return CRS.from_user_input(_METRIC[theatre])
    t = theatre_by_id(theatre)
    lat, lon = t.center if t is not None else (0.0, 0.0)
    (s, w), (n, e) = t.bounds if t is not None else ((0, 0), (0, 0))
    lon0 = (w + e) / 2 if t is not None else lon
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0={lat} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )


@cache
def _to_metric(theatre: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", metric_crs(theatre), always_xy=True)


#: Above this many vertices, front distances go through an STRtree of segments;
#: below it a vectorised distance to the whole front is faster.
_TREE_VERTICES = 5000


@lru_cache(maxsize=64)
def _front_index(theatre: str, geoms: tuple[Any, ...]) -> Any:
    """The fronts in the theatre's metric CRS: a prepared geometry or an STRtree."""
    tr = _to_metric(theatre)
    parts = []
    for geom in geoms:
        for part in shapely.get_parts(geom):
            xy = shapely.get_coordinates(part)
            if len(xy) < 2:
                continue
            x, y = tr.transform(xy[:, 0], xy[:, 1])
            parts.append(np.column_stack([x, y]))
    if not parts:
        return None
    if sum(len(p) for p in parts) <= _TREE_VERTICES:
        merged = shapely.multilinestrings([shapely.linestrings(p) for p in parts])
        shapely.prepare(merged)
        return merged
    segs = [shapely.linestrings(np.stack([p[:-1], p[1:]], axis=1)) for p in parts]
    return shapely.STRtree(np.concatenate(segs))


def _front_km(theatre: str, geoms: tuple[Any, ...], lat: np.ndarray, lon: np.ndarray) -> Any:
    index = _front_index(theatre, geoms)
    if index is None:
        return None
    x, y = _to_metric(theatre).transform(lon, lat)
    pts = shapely.points(x, y)
    if isinstance(index, shapely.STRtree):
        (qi, _), dist = index.query_nearest(pts, return_distance=True, all_matches=False)
        km = np.full(len(lat), np.nan)
        km[qi] = dist / 1000.0
        return km
    return shapely.distance(pts, index) / 1000.0


@lru_cache(maxsize=256)
def _fallback(theatre: str, geom: Any) -> tuple[Any, Any]:
    """The polygon in the metric CRS, and grown by FALLBACK_KM back in WGS84 (prepared)."""
    metric = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(metric_crs(theatre))
    grown = metric.buffer(FALLBACK_KM * 1000, quad_segs=4).to_crs("EPSG:4326").iloc[0]
    shapely.prepare(grown)
    return metric.iloc[0], grown


def _theatre_ids(lat: np.ndarray, lon: np.ndarray, places: pd.DataFrame) -> np.ndarray:
    out = np.full(len(lat), None, dtype=object)
    todo = np.isfinite(lat) & np.isfinite(lon)
    for t in theatres():
        (s, w), (n, e) = t.bounds
        inside = todo & (lat >= s) & (lat <= n) & (lon >= w) & (lon <= e)
        out[inside] = t.id
        todo &= ~inside
    if "kind" in places.columns and "country" in places.columns:
        kinds = places["kind"].to_numpy(dtype=object)
        countries = places["country"].to_numpy(dtype=object)
        rest = np.flatnonzero(pd.isna(out))
        for i in rest:
            if kinds[i] in ("country", "region") and isinstance(countries[i], str):
                cc = countries[i].upper()
                for t in theatres():
                    if cc in t.countries:
                        out[i] = t.id
                        break
    return out


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
        try:
            day = parse_date(value)
        except ValueError as exc:
            raise InputError(f"bad date in the 'date' column: {exc}") from None
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
        give countries and regions a theatre) and ``date`` (a per-row
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
          rounded to 0.1, or None when there is none.

        Outside every theatre these are None (``zones`` empty). A place of kind
        ``country`` gets its theatre but no zones, control or distance: its point
        is only a label position.

    Raises
    ------
    geo.errors.InputError
        When ``lat``/``lon`` are missing or a date cannot be read.
    """
    try:
        default = parse_date(date)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    frame = load_layers() if layers is None else layers
    lat, lon = _coords(places)
    n = len(places)
    theatre = _theatre_ids(lat, lon, places)
    days = _row_dates(places, default)
    zones = np.full(n, None, dtype=object)
    control = np.full(n, None, dtype=object)
    front = np.full(n, np.nan)

    active = pd.notna(theatre) & np.isfinite(lat) & np.isfinite(lon)
    if "kind" in places.columns:
        active &= places["kind"].to_numpy(dtype=object) != "country"
    idx_active = np.flatnonzero(active)
    if len(idx_active):
        t_codes, t_uniques = pd.factorize(theatre[idx_active])
        d_codes, d_uniques = days
        d_codes = d_codes[idx_active]
        key = t_codes.astype(np.int64) * (len(d_uniques) + 1) + (d_codes + 1)
        order = np.argsort(key, kind="stable")
        bounds = np.flatnonzero(np.diff(key[order])) + 1
        for group in np.split(order, bounds):
            rows_idx = idx_active[group]
            tid = t_uniques[t_codes[group[0]]]
            dc = d_codes[group[0]]
            day = None if dc < 0 else d_uniques[dc]
            sel = layers_at(day, tid, frame)
            _join_group(tid, sel, lat[rows_idx], lon[rows_idx], rows_idx, zones, control, front)
    zones_list = [z if z is not None else [] for z in zones.tolist()]

    out = pd.DataFrame(places, copy=True)
    if isinstance(out, gpd.GeoDataFrame):
        out = pd.DataFrame(out.drop(columns=out.geometry.name))
    front_obj = np.round(front, 1).astype(object)
    front_obj[np.isnan(front)] = None
    # object columns, so that "none" stays None (pandas would infer str / float with NaN)
    for name, values in (
        ("theatre", theatre),
        ("zones", zones_list),
        ("control", control),
        ("front_km", front_obj),
    ):
        out[name] = pd.Series(values, index=out.index, dtype=object)
    ok = np.isfinite(lat) & np.isfinite(lon)
    geoms = np.full(n, None, dtype=object)
    geoms[ok] = shapely.points(lon[ok], lat[ok])
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=out.index, crs="EPSG:4326"))


def _join_group(
    tid: str,
    sel: gpd.GeoDataFrame,
    lat: np.ndarray,
    lon: np.ndarray,
    rows: np.ndarray,
    zones: np.ndarray,
    control: np.ndarray,
    front: np.ndarray,
) -> None:
    kinds = sel["kind"].to_numpy(dtype=object)
    geoms = sel.geometry.to_numpy()

    # control: first polygon containing the point, else the nearest within FALLBACK_KM
    ctl = np.flatnonzero(kinds == "control")
    if len(ctl):
        got = np.full(len(rows), None, dtype=object)
        actors = sel["actor"].to_numpy(dtype=object)
        for j in ctl:
            todo = np.flatnonzero(pd.isna(got))
            if not len(todo):
                break
            shapely.prepare(geoms[j])
            hit = shapely.contains_xy(geoms[j], lon[todo], lat[todo])
            got[todo[hit]] = actors[j]
        todo = np.flatnonzero(pd.isna(got))
        if len(todo):
            best = np.full(len(todo), np.inf)
            for j in ctl:
                metric_geom, grown = _fallback(tid, geoms[j])
                near = np.flatnonzero(shapely.contains_xy(grown, lon[todo], lat[todo]))
                if not len(near):
                    continue
                px, py = _to_metric(tid).transform(lon[todo[near]], lat[todo[near]])
                dist = shapely.distance(metric_geom, shapely.points(px, py))
                better = dist < best[near]
                best[near[better]] = dist[better]
                got[todo[near[better]]] = actors[j]
        control[rows] = got

    # zones and corridors containing the point, ids sorted
    zsel = np.flatnonzero(np.isin(kinds, _ZONE_KINDS))
    if len(zsel):
        ids = sel["id"].to_numpy(dtype=object)
        zsel = zsel[np.argsort(ids[zsel].astype(str))]
        hits = np.zeros((len(rows), len(zsel)), dtype=bool)
        for k, j in enumerate(zsel):
            shapely.prepare(geoms[j])
            hits[:, k] = shapely.contains_xy(geoms[j], lon, lat)
        zone_ids = ids[zsel]
        for r in np.flatnonzero(hits.any(axis=1)):
            zones[rows[r]] = list(zone_ids[hits[r]])

    # distance to the nearest front line, in the theatre's metric CRS
    fr = np.flatnonzero(kinds == "front_line")
    if len(fr):
        km = _front_km(tid, tuple(geoms[fr]), lat, lon)
        if km is not None:
            front[rows] = km


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
