"""Acceleration grids of the spatial join: the same answers as GEOS, for many points at once.

A join of one theatre and day asks two questions of every point: which
polygons hold it, and how far the nearest front line is. For large groups of
points (:data:`GRID_MIN_POINTS`) two grids answer them faster than asking GEOS
point by point, to the last bit:

* a grid over the theatre tells, per polygon, the cells that lie wholly inside
  or outside it, so only points of cells its boundary crosses are tested
  (:func:`contains`);
* another grid keeps, per cell, the few front segments that can be nearest to
  its points, whose distances are computed with GEOS's point-to-segment formula
  in numpy (:func:`front_km`).

Both are built once per theatre and set of layers and cached.
``tests/layers/test_grid.py`` checks them against the plain definitions.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

from ..theatres import metric_crs, theatre_by_id, theatre_extent


@cache
def to_metric(theatre: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", metric_crs(theatre), always_xy=True)


#: Above this many vertices, GEOS front distances go through an STRtree of
#: segments; below it a vectorised distance to the whole front is faster.
_TREE_VERTICES = 5000

#: Groups of at least this many points use the grids below (built once per theatre
#: and set of layers, then cached); smaller groups ask GEOS directly, which costs
#: less than building them.
GRID_MIN_POINTS = 20_000
#: Cells per side of the grids of candidate front segments, coarse to fine: each
#: level keeps, out of its parent cell's candidates, those that can still be nearest.
_FRONT_LEVELS = (4, 16, 64, 256)
#: (point, segment) pairs measured at once: blocks small enough to stay in cache.
_PAIRS_PER_BLOCK = 1 << 15


@lru_cache(maxsize=64)
def _front_parts(theatre: str, geoms: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
    """The vertices (n x 2, metric CRS) of each part of the fronts with 2+ vertices."""
    tr = to_metric(theatre)
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
def front_index(theatre: str, geoms: tuple[Any, ...]) -> Any:
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
    """The grid of candidate segments over the theatre's extent (metric CRS), or None."""
    parts = _front_parts(theatre, geoms)
    t = theatre_by_id(theatre)
    if not parts or t is None:
        return None
    segments = _Segments.of(
        np.concatenate([p[:-1] for p in parts]), np.concatenate([p[1:] for p in parts])
    )
    if not (np.isfinite(segments.len2).all() and np.isfinite(segments.ax).all()):
        return None
    # the theatre's extent (bounds and countries) in the metric CRS (edges densified,
    # then padded); points outside the grid are measured by GEOS: no exactness needed
    (s, w), (n, e) = theatre_extent(theatre)
    f = np.linspace(0.0, 1.0, 65)
    lons = np.concatenate([w + (e - w) * f, np.full(65, e), w + (e - w) * f, np.full(65, w)])
    lats = np.concatenate([np.full(65, s), s + (n - s) * f, np.full(65, n), s + (n - s) * f])
    x, y = to_metric(theatre).transform(lons, lats)
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


def front_km(
    theatre: str, geoms: tuple[Any, ...], x: np.ndarray, y: np.ndarray
) -> np.ndarray | None:
    """Km from points (metric CRS) to the nearest of the fronts, or None without fronts."""
    index = front_index(theatre, geoms)
    if index is None:
        return None
    grid = _front_grid(theatre, geoms) if len(x) >= GRID_MIN_POINTS else None
    if grid is None:
        return _geos_metres(index, x, y) / 1000.0
    metres, rest = _grid_metres(grid, x, y)
    if rest.any():
        metres[rest] = _geos_metres(index, x[rest], y[rest])
    return metres / 1000.0


#: Cells per side of the grid over a theatre's extent (WGS84) that classifies each
#: polygon's cells as inside, outside or crossed by its boundary (:func:`_cell_states`).
_POLY_CELLS = 256


@cache
def _cell_grid(theatre: str) -> tuple[float, float, float, float] | None:
    """Origin and cell size (x0, y0, hx, hy) of the polygon grid of a theatre, or None.

    The grid covers the theatre's extent: its bounds and its countries.
    """
    if theatre_by_id(theatre) is None:
        return None
    (s, w), (n, e) = theatre_extent(theatre)
    hx = (e - w) / (_POLY_CELLS - 1)  # half a cell of margin on each side
    hy = (n - s) / (_POLY_CELLS - 1)
    if not (hx > 0 and hy > 0):
        return None
    return w - hx / 2, s - hy / 2, hx, hy


def cells_of(theatre: str, lon: np.ndarray, lat: np.ndarray) -> np.ndarray | None:
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


def contains(
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


def _in_bounds(geom: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Mask of the points inside the bounding box of geom (edges included)."""
    xmin, ymin, xmax, ymax = shapely.bounds(geom)
    return (lon >= xmin) & (lon <= xmax) & (lat >= ymin) & (lat <= ymax)
