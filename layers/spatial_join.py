"""Spatial joins: the theatre, zones, control and distance to the front of places.

Distances are computed in a metric CRS per theatre (:func:`metric_crs`), never in
degrees. Points are matched with prepared geometries (``shapely.contains_xy``) and
front-line distances are GEOS's point-to-segment distances (``shapely.distance``).

Large groups of points (one theatre, one day) take shortcuts that give the same
results, to the last bit: a grid over the theatre tells, per polygon, the cells that
lie wholly inside or outside it, so only points of cells its boundary crosses are
tested; another grid keeps, per cell, the few front segments that can be nearest
to its points, whose distances are computed with GEOS's formula in numpy. Both are
built once per layer and cached. A join of a million points against the layers
of one day takes about a second (``bench/bench_join.py``);
``tests/layers/test_join_equivalence.py`` checks the shortcuts against the plain
definitions.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from ..dates import parse_date
from ..errors import InputError
from ..theatres import get_theatre, theatre_by_id, theatre_codes
from .catalog import layers_at, load_layers

__all__ = ["FALLBACK_KM", "control_at", "join", "metric_crs"]

#: A point of a theatre that falls just outside every control polygon (a port
#: geocoded in the sea, a point on a simplified coastline) takes the control of
#: the nearest polygon within this distance.
FALLBACK_KM = 2.0

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
        The theatre's ``metric_crs`` from ``theatres.json``: UTM 37N
        (EPSG:32637) for Idlib, UTM 38N (EPSG:32638) for the Caucasus, and for
        Libya, which spans four UTM zones, a transverse Mercator on the
        theatre's central meridian, whose scale error stays under 1 % across it.

    Raises
    ------
    frontmap.errors.InputError
        For an unknown theatre id.
    """
    return CRS.from_user_input(get_theatre(theatre).metric_crs)


@cache
def _to_metric(theatre: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", metric_crs(theatre), always_xy=True)


#: Above this many vertices, GEOS front distances go through an STRtree of
#: segments; below it a vectorised distance to the whole front is faster.
_TREE_VERTICES = 5000

#: Groups of at least this many points use the grids below (built once per theatre
#: and set of layers, then cached); smaller groups ask GEOS directly, which costs
#: less than building them.
_GRID_MIN_POINTS = 20_000
#: Cells per side of the grids of candidate front segments, coarse to fine: each
#: level keeps, out of its parent cell's candidates, those that can still be nearest.
_FRONT_LEVELS = (4, 16, 64, 256)
#: (point, segment) pairs measured at once: blocks small enough to stay in cache.
_PAIRS_PER_BLOCK = 1 << 15


@lru_cache(maxsize=64)
def _front_parts(theatre: str, geoms: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
    """The vertices (n x 2, metric CRS) of each part of the fronts with 2+ vertices."""
    tr = _to_metric(theatre)
    parts = []
    for geom in geoms:
        for part in shapely.get_parts(geom):
            xy = shapely.get_coordinates(part)
            if len(xy) < 2:
                continue
            x, y = tr.transform(xy[:, 0], xy[:, 1])
            parts.append(np.column_stack([x, y]))
    return tuple(parts)


@lru_cache(maxsize=64)
def _front_index(theatre: str, geoms: tuple[Any, ...]) -> Any:
    """The fronts in the theatre's metric CRS: a prepared geometry or an STRtree."""
    parts = _front_parts(theatre, geoms)
    if not parts:
        return None
    if sum(len(p) for p in parts) <= _TREE_VERTICES:
        merged = shapely.multilinestrings([shapely.linestrings(p) for p in parts])
        shapely.prepare(merged)
        return merged
    segs = [shapely.linestrings(np.stack([p[:-1], p[1:]], axis=1)) for p in parts]
    return shapely.STRtree(np.concatenate(segs))


@dataclass(frozen=True, eq=False)
class _Segments:
    """Segments A-B as arrays, with ``len2 = |B - A|**2`` and ``root = sqrt(len2)``."""

    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    len2: np.ndarray
    root: np.ndarray

    @classmethod
    def of(cls, a: np.ndarray, b: np.ndarray) -> _Segments:
        ax, ay = np.ascontiguousarray(a[:, 0]), np.ascontiguousarray(a[:, 1])
        bx, by = np.ascontiguousarray(b[:, 0]), np.ascontiguousarray(b[:, 1])
        dx = bx - ax
        dy = by - ay
        len2 = dx * dx + dy * dy
        return cls(ax, ay, bx, by, len2, np.sqrt(len2))

    def distance(self, px: np.ndarray, py: np.ndarray, seg: np.ndarray) -> np.ndarray:
        """Distance from each point to segment ``seg`` of the same position.

        GEOS's ``Distance::pointToSegment``, with the same operations in the same
        order, so the floats are those of ``shapely.distance`` (tested).
        """
        ax, ay, bx, by = self.ax[seg], self.ay[seg], self.bx[seg], self.by[seg]
        len2 = self.len2[seg]
        dx = bx - ax
        dy = by - ay
        ex = px - ax  # p - A
        ey = py - ay
        t = ex * dy
        out = ey * dx
        # |s| * sqrt(len2), s = ((A.y - p.y) * dx - (A.x - p.x) * dy) / len2 (negation is exact)
        out -= t
        with np.errstate(divide="ignore", invalid="ignore"):
            out /= len2
            np.abs(out, out=out)
            out *= self.root[seg]
            # r = ((p.x - A.x) * dx + (p.y - A.y) * dy) / len2
            r = np.multiply(ex, dx, out=dx)
            r += np.multiply(ey, dy, out=dy)
            r /= len2
        # r >= 1: the distance to B
        np.subtract(px, bx, out=bx)
        np.subtract(py, by, out=by)
        bx *= bx
        by *= by
        bx += by
        np.copyto(out, np.sqrt(bx, out=bx), where=r >= 1.0)
        # r <= 0, or A == B (r is NaN): the distance to A
        ex *= ex
        ey *= ey
        ex += ey
        near = np.greater(r, 0.0, out=np.empty(len(r), dtype=bool))
        np.logical_not(near, out=near)
        near |= len2 == 0.0
        np.copyto(out, np.sqrt(ex, out=ex), where=near)
        return out


def _pair_blocks(
    first: np.ndarray, count: np.ndarray
) -> Iterator[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
    """Enumerate (owner, position) pairs, owner k taking positions first[k] + 0..count[k]-1.

    Yields ``(lo, hi, owner, position, offsets)`` for blocks of owners ``lo:hi``:
    pairs are grouped by owner, ``owner`` relative to ``lo``, ``offsets`` where
    each owner's pairs start (every count must be positive).
    """
    if not len(count):
        return
    ends = np.cumsum(count)
    cuts = np.searchsorted(ends, np.arange(_PAIRS_PER_BLOCK, ends[-1], _PAIRS_PER_BLOCK))
    for lo, hi in zip(np.r_[0, cuts + 1], np.r_[cuts + 1, len(count)], strict=True):
        if lo >= hi:
            continue
        cnt = count[lo:hi]
        offsets = np.cumsum(cnt) - cnt
        owner = np.repeat(np.arange(hi - lo), cnt)
        position = np.arange(int(offsets[-1] + cnt[-1])) - np.repeat(offsets - first[lo:hi], cnt)
        yield int(lo), int(hi), owner, position, offsets


@dataclass(frozen=True, eq=False)
class _FrontGrid:
    """Segments of the fronts and, per cell of a grid, those that can be nearest.

    The candidates of cell ``c`` are ``seg[start[c]:start[c + 1]]``. Each level of
    :data:`_FRONT_LEVELS` keeps, out of the candidates of the cell's parent, those
    whose distance to the cell's centre is at most the smallest such distance plus
    the cell's diagonal 2r: for a point p of the cell, its nearest segment s (a
    candidate of the parent) and the candidate s' nearest to the centre,
    ``d(centre, s) <= d(p, s) + r <= d(p, s') + r <= d(centre, s') + 2r``.
    """

    segments: _Segments
    x0: float
    y0: float
    hx: float
    hy: float
    cells: int
    start: np.ndarray
    seg: np.ndarray


@lru_cache(maxsize=32)
def _front_grid(theatre: str, geoms: tuple[Any, ...]) -> _FrontGrid | None:
    """The grid of candidate segments over the theatre's bounds (metric CRS), or None."""
    parts = _front_parts(theatre, geoms)
    t = theatre_by_id(theatre)
    if not parts or t is None:
        return None
    segments = _Segments.of(
        np.concatenate([p[:-1] for p in parts]), np.concatenate([p[1:] for p in parts])
    )
    if not (np.isfinite(segments.len2).all() and np.isfinite(segments.ax).all()):
        return None
    # the theatre's bounds in the metric CRS (edges densified, then padded); points
    # outside the grid are measured by GEOS, so this needs no exactness
    (s, w), (n, e) = t.bounds
    f = np.linspace(0.0, 1.0, 65)
    lons = np.concatenate([w + (e - w) * f, np.full(65, e), w + (e - w) * f, np.full(65, w)])
    lats = np.concatenate([np.full(65, s), s + (n - s) * f, np.full(65, n), s + (n - s) * f])
    x, y = _to_metric(theatre).transform(lons, lats)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return None
    padx = 0.01 * (x.max() - x.min())
    pady = 0.01 * (y.max() - y.min())
    x0, y0 = float(x.min() - padx), float(y.min() - pady)
    width, height = float(x.max() + padx - x0), float(y.max() + pady - y0)
    if not (width > 0 and height > 0):
        return None
    start = np.array([0, len(segments.ax)])  # one cell holding every segment
    seg = np.arange(len(segments.ax))
    prev = 1
    for g in _FRONT_LEVELS:
        hx, hy = width / g, height / g
        iy, ix = np.divmod(np.arange(g * g), g)
        parent = (iy * prev // g) * prev + ix * prev // g
        cx = x0 + (ix + 0.5) * hx
        cy = y0 + (iy + 0.5) * hy
        reach = math.hypot(hx, hy)  # 2r
        first = start[parent]
        count = start[parent + 1] - first
        kept, counts = [], []
        for lo, hi, owner, position, offsets in _pair_blocks(first, count):
            cand = seg[position]
            d = segments.distance(cx[lo:hi][owner], cy[lo:hi][owner], cand)
            # a metre and a relative margin for rounding (of d, and of cell lookups)
            limit = (np.minimum.reduceat(d, offsets) + reach) * (1 + 1e-9) + 1.0
            keep = d <= limit[owner]
            kept.append(cand[keep])
            counts.append(np.add.reduceat(keep, offsets))
        seg = np.concatenate(kept).astype(np.int32)  # segment numbers, a few per cell
        start = np.concatenate([[0], np.cumsum(np.concatenate(counts))])
        prev = g
    g = _FRONT_LEVELS[-1]
    return _FrontGrid(segments, x0, y0, width / g, height / g, g, start, seg)


def _grid_metres(grid: _FrontGrid, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distances (m) to the front of the points in the grid; and the mask of the others."""
    g = grid.cells
    out = np.full(len(x), np.nan)
    fx = (x - grid.x0) / grid.hx
    fy = (y - grid.y0) / grid.hy
    inside = (fx >= 0) & (fx < g) & (fy >= 0) & (fy < g)  # False for NaN
    idx = np.flatnonzero(inside)
    cell = fy[idx].astype(np.intp) * g + fx[idx].astype(np.intp)
    first = grid.start[cell]
    count = grid.start[cell + 1] - first
    if not count.all():  # no candidates: cannot happen with finite segments
        inside[idx[count == 0]] = False
        keep = count > 0
        idx, first, count = idx[keep], first[keep], count[keep]
    for lo, hi, owner, position, offsets in _pair_blocks(first, count):
        rows = idx[lo:hi]
        d = grid.segments.distance(x[rows][owner], y[rows][owner], grid.seg[position])
        out[rows] = np.minimum.reduceat(d, offsets)
    return out, ~inside


def _geos_metres(index: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Distances (m) to the front measured by GEOS (the reference for the grid)."""
    pts = shapely.points(x, y)
    if isinstance(index, shapely.STRtree):
        (qi, _), dist = index.query_nearest(pts, return_distance=True, all_matches=False)
        m = np.full(len(x), np.nan)
        m[qi] = dist
        return m
    return shapely.distance(pts, index)


def _front_km(
    theatre: str, geoms: tuple[Any, ...], x: np.ndarray, y: np.ndarray
) -> np.ndarray | None:
    """Km from points (metric CRS) to the nearest of the fronts, or None without fronts."""
    index = _front_index(theatre, geoms)
    if index is None:
        return None
    grid = _front_grid(theatre, geoms) if len(x) >= _GRID_MIN_POINTS else None
    if grid is None:
        return _geos_metres(index, x, y) / 1000.0
    metres, rest = _grid_metres(grid, x, y)
    if rest.any():
        metres[rest] = _geos_metres(index, x[rest], y[rest])
    return metres / 1000.0


#: Cells per side of the grid over a theatre's bounds (WGS84) that classifies each
#: polygon's cells as inside, outside or crossed by its boundary (:func:`_cell_states`).
_POLY_CELLS = 256


@cache
def _cell_grid(theatre: str) -> tuple[float, float, float, float] | None:
    """Origin and cell size (x0, y0, hx, hy) of the polygon grid of a theatre, or None."""
    t = theatre_by_id(theatre)
    if t is None:
        return None
    (s, w), (n, e) = t.bounds
    hx = (e - w) / (_POLY_CELLS - 1)  # half a cell of margin on each side
    hy = (n - s) / (_POLY_CELLS - 1)
    if not (hx > 0 and hy > 0):
        return None
    return w - hx / 2, s - hy / 2, hx, hy


def _cells(theatre: str, lon: np.ndarray, lat: np.ndarray) -> np.ndarray | None:
    """Cell of each point in the polygon grid; ``_POLY_CELLS ** 2`` outside it."""
    grid = _cell_grid(theatre)
    if grid is None:
        return None
    x0, y0, hx, hy = grid
    g = _POLY_CELLS
    fx = (lon - x0) / hx
    fy = (lat - y0) / hy
    inside = (fx >= 0) & (fx < g) & (fy >= 0) & (fy < g)  # False for NaN
    cells = np.full(len(lon), g * g, dtype=np.intp)
    cells[inside] = fy[inside].astype(np.intp) * g + fx[inside].astype(np.intp)
    return cells


@lru_cache(maxsize=256)
def _cell_states(theatre: str, geom: Any) -> np.ndarray:
    """Per cell of the theatre's grid: 1 inside geom, 0 outside, -1 not known.

    A cell that no piece of the polygon's rings reaches lies wholly in its interior
    or wholly outside, like its centre. Cells are the sets of points that
    :func:`_cells` maps to them, which are boxes (the mapping is monotone), and each
    piece of ring marks every cell that any point of its slightly grown bounding box
    maps to, so points of an unmarked cell are never on the boundary and
    ``contains_xy`` agrees with the centre for all of them. Unmarked cells thus give
    the same answer as ``contains_xy``; marked ones (-1) are tested point by point.
    The last element (-1) is for points outside the grid.
    """
    g = _POLY_CELLS
    states = np.full(g * g + 1, -1, dtype=np.int8)
    grid = _cell_grid(theatre)
    if (
        grid is None
        or geom is None
        or shapely.get_type_id(geom) not in (3, 6)  # Polygon, MultiPolygon
        or shapely.is_empty(geom)
        or not shapely.is_valid(geom)
    ):
        return states
    x0, y0, hx, hy = grid
    rings = shapely.get_rings(shapely.get_parts(geom))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return states
    # split the ring segments into pieces no longer than a cell along either axis
    d = b - a
    count = np.maximum(1, np.ceil(np.maximum(np.abs(d[:, 0]) / hx, np.abs(d[:, 1]) / hy)))
    count = count.astype(np.intp)
    seg = np.repeat(np.arange(len(a)), count)
    k = np.arange(len(seg)) - np.repeat(np.cumsum(count) - count, count)
    t0 = k / count[seg]
    t1 = (k + 1) / count[seg]
    p0 = a[seg] + t0[:, None] * d[seg]
    p1 = a[seg] + t1[:, None] * d[seg]
    eps = 1e-9  # degrees; far above the rounding of p0 and p1
    lo = np.minimum(p0, p1) - eps
    hi = np.maximum(p0, p1) + eps
    ix0 = np.floor((lo[:, 0] - x0) / hx)
    ix1 = np.floor((hi[:, 0] - x0) / hx)
    iy0 = np.floor((lo[:, 1] - y0) / hy)
    iy1 = np.floor((hi[:, 1] - y0) / hy)
    keep = (ix1 >= 0) & (ix0 < g) & (iy1 >= 0) & (iy0 < g)
    ix0, ix1 = np.clip(ix0[keep], 0, g - 1), np.clip(ix1[keep], 0, g - 1)
    iy0, iy1 = np.clip(iy0[keep], 0, g - 1), np.clip(iy1[keep], 0, g - 1)
    marked = np.zeros((g, g), dtype=bool)  # [iy, ix]
    span = int(max((ix1 - ix0).max(initial=0), (iy1 - iy0).max(initial=0)))
    for oy in range(span + 1):
        for ox in range(span + 1):
            m = (ix0 + ox <= ix1) & (iy0 + oy <= iy1)
            marked[(iy0[m] + oy).astype(np.intp), (ix0[m] + ox).astype(np.intp)] = True
    # the centre of each unmarked cell tells inside from outside
    cx = x0 + (np.arange(g) + 0.5) * hx
    cy = y0 + (np.arange(g) + 0.5) * hy
    own = (np.floor((cx - x0) / hx) == np.arange(g))[None, :] & (
        np.floor((cy - y0) / hy) == np.arange(g)
    )[:, None]
    todo = np.flatnonzero(~marked.ravel() & own.ravel())
    shapely.prepare(geom)
    states[todo] = shapely.contains_xy(geom, cx[todo % g], cy[todo // g])
    return states


def _contains(
    theatre: str,
    geom: Any,
    lon: np.ndarray,
    lat: np.ndarray,
    cells: np.ndarray | None,
    idx: np.ndarray | None = None,
) -> np.ndarray:
    """``shapely.contains_xy(geom, lon[idx], lat[idx])`` (idx None: all points).

    With ``cells`` (see :func:`_cells`), only the points of cells that geom's
    boundary crosses are tested; the others take their cell's state.
    """
    if cells is None:
        x, y = (lon, lat) if idx is None else (lon[idx], lat[idx])
        hit = np.zeros(len(x), dtype=bool)
        test = np.flatnonzero(_in_bounds(geom, x, y))
        if len(test):
            shapely.prepare(geom)
            hit[test] = shapely.contains_xy(geom, x[test], y[test])
        return hit
    state = _cell_states(theatre, geom)[cells if idx is None else cells[idx]]
    hit = state == 1
    test = np.flatnonzero(state < 0)
    if len(test):
        pts = test if idx is None else idx[test]
        shapely.prepare(geom)
        hit[test] = shapely.contains_xy(geom, lon[pts], lat[pts])
    return hit


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
    frontmap.errors.InputError
        When ``lat``/``lon`` are missing or a date cannot be read.
    """
    default = parse_date(date)
    frame = load_layers() if layers is None else layers
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
    front = np.full(n, np.nan)

    ok = np.isfinite(lat) & np.isfinite(lon)
    active = (t_codes >= 0) & ok
    if "kind" in places.columns:
        active &= places["kind"].to_numpy(dtype=object) != "country"
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
    for rows_idx in groups:
        k = key[rows_idx[0]]
        tid = t_ids[k // per]
        dc = k % per - 1
        day = None if dc < 0 else d_uniques[dc]
        sel = layers_at(day, tid, frame)
        _join_group(tid, sel, lat[rows_idx], lon[rows_idx], rows_idx, zones, control, front)

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


def _in_bounds(geom: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Mask of the points inside the bounding box of geom (edges included)."""
    xmin, ymin, xmax, ymax = shapely.bounds(geom)
    return (lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax)


def _isna(value: Any) -> bool:
    """pandas.isna of one value as an element of an object array."""
    box = np.empty(1, dtype=object)
    box[0] = value
    return bool(pd.isna(box)[0])


def _nearest_control(
    tid: str,
    polygons: np.ndarray,
    actors: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    cells: np.ndarray | None,
    todo: np.ndarray,
    got: np.ndarray,
) -> None:
    """Give the points ``todo`` the actor of the nearest polygon within FALLBACK_KM.

    "Within" means inside the polygon grown by FALLBACK_KM (:func:`_fallback`). A
    point within reach of one polygon takes its actor whatever the distance, as
    long as that is a finite number (a finite polygon and point), so distances are
    measured only for the points within reach of several.
    """
    near = [
        np.flatnonzero(_contains(tid, _fallback(tid, g)[1], lon, lat, cells, todo))
        for g in polygons
    ]
    reach = np.zeros(len(todo), dtype=np.intp)
    for nj in near:
        reach[nj] += 1
    best = np.full(len(todo), np.inf)
    for g, actor, nj in zip(polygons, actors, near, strict=True):
        if not len(nj):
            continue
        metric_geom = _fallback(tid, g)[0]
        px, py = _to_metric(tid).transform(lon[todo[nj]], lat[todo[nj]])
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
        got[todo[nj[better]]] = actor


@lru_cache(maxsize=256)
def _finite(geom: Any) -> bool:
    """True when GEOS distances to geom are finite numbers for any finite point."""
    if geom is None or shapely.is_empty(geom):
        return False
    xy = shapely.get_coordinates(geom)
    return bool(np.isfinite(xy).all() and np.abs(xy).max() < 1e100)


def _join_group(
    tid: str,
    sel: gpd.GeoDataFrame,
    lat: np.ndarray,
    lon: np.ndarray,
    rows: np.ndarray,
    zones: _Zones,
    control: np.ndarray,
    front: np.ndarray,
) -> None:
    kinds = sel["kind"].to_numpy(dtype=object)
    geoms = sel.geometry.to_numpy()
    cells = _cells(tid, lon, lat) if len(rows) >= _GRID_MIN_POINTS else None

    # control: first polygon containing the point, else the nearest within FALLBACK_KM
    ctl = np.flatnonzero(kinds == "control")
    if len(ctl):
        got = np.full(len(rows), None, dtype=object)
        free = np.ones(len(rows), dtype=bool)  # pd.isna(got)
        actors = sel["actor"].to_numpy(dtype=object)
        for n_done, j in enumerate(ctl):
            cand = None if n_done == 0 else np.flatnonzero(free)  # None: all points
            if cand is not None and not len(cand):
                break
            inside = _contains(tid, geoms[j], lon, lat, cells, cand)
            hit = np.flatnonzero(inside) if cand is None else cand[inside]
            got[hit] = actors[j]
            if not _isna(actors[j]):
                free[hit] = False
        todo = np.flatnonzero(free)
        if len(todo):
            _nearest_control(tid, geoms[ctl], actors[ctl], lon, lat, cells, todo, got)
        control[rows] = got

    # zones and corridors containing the point, ids sorted
    zsel = np.flatnonzero(np.isin(kinds, _ZONE_KINDS))
    if len(zsel):
        ids = sel["id"].to_numpy(dtype=object)
        zsel = zsel[np.argsort(ids[zsel].astype(str))]
        zone_ids = ids[zsel]
        if len(zsel) <= 16:
            # the set of zones of each point as bits; one list per set met
            bits = np.zeros(len(rows), dtype=np.intp)
            for k, j in enumerate(zsel):
                bits[_contains(tid, geoms[j], lon, lat, cells)] += 1 << k
            code = np.zeros(1 << len(zsel), dtype=np.intp)
            for b in np.flatnonzero(np.bincount(bits)[1:]) + 1:
                code[b] = zones.code_of(list(zone_ids[(b >> np.arange(len(zsel))) & 1 == 1]))
            zones.code[rows] = code[bits]
        else:
            hits = np.zeros((len(rows), len(zsel)), dtype=bool)
            for k, j in enumerate(zsel):
                hits[:, k] = _contains(tid, geoms[j], lon, lat, cells)
            inside = np.flatnonzero(hits.any(axis=1))
            if len(inside):
                patterns, which = np.unique(hits[inside], axis=0, return_inverse=True)
                codes = [zones.code_of(list(zone_ids[p])) for p in patterns]
                zones.code[rows[inside]] = np.array(codes, dtype=np.intp)[which.reshape(-1)]

    # distance to the nearest front line, in the theatre's metric CRS
    fr = np.flatnonzero(kinds == "front_line")
    if len(fr):
        fronts = tuple(geoms[fr])
        if _front_index(tid, fronts) is not None:
            x, y = _to_metric(tid).transform(lon, lat)
            front[rows] = _front_km(tid, fronts, x, y)


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
