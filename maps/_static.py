"""Static maps (PNG, SVG, PDF) drawn with matplotlib: print-ready, no browser, no network.

The same data as the HTML map, laid out for print (:class:`PrintSpec`): a
page of a given paper (A4 or US letter, its orientation following the map)
or size, the map filling its frame over the extent asked for (the theatre,
the places named, or a box), the title and date above, the credits below,
and a panel beside the map (below it on a portrait page) holding an inset
locator map and the legend. The legend is :func:`maps._legend.legend_entries`,
the very entries of the page's legend, each drawn with the style the map
uses.

Labels are placed without collisions (:class:`_Placer`), highest priority
first: marker symbols and site symbols are obstacles; then the areas the
articles name (always drawn, beside their point if need be); the places
named, the most named first, in the first of eight positions around the
marker that is free; country names; then towns and villages by rank, only
those the scale would show on the page's zoom (:func:`maps._basemap.min_zoom`).

Output is deterministic (no creation dates, fixed SVG ids). Strings from
articles are drawn with ``parse_math=False`` (no mathtext); the SVG backend
escapes text as XML; labels stay text in SVG and PDF (their white halo is a
separate path).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend_handler import HandlerBase, HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, offset_copy
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry

from ..errors import RenderError
from ..theatres import Theatre
from ._basemap import (
    GEONAMES_ATTRIBUTION,
    NE_ATTRIBUTION,
    Basemap,
    Box,
    basemap,
    clipped_land,
    view_box,
)
from ._events import located_events
from ._html import clean_text
from ._legend import LegendEntry, legend_entries, sources_of
from ._paper import PAPERS, PrintSpec
from ._rows import Feature, MentionRow, Place, layer_features, map_day, places_and_articles
from .styles import (
    AREA_LABEL_COLOR,
    BORDER_COLOR,
    COAST_COLOR,
    EVENT_STYLES,
    FRONT_CASING,
    LAND_COLOR,
    OUTLINE_STYLE,
    PLACE_STYLES,
    PLANE,
    SEA_COLOR,
    feature_style,
    layer_kinds,
    site_symbol,
    zone_patterns,
)

__all__ = ["FORMATS", "static_bytes"]

FORMATS = ("png", "svg", "pdf")

_RC = {
    "svg.hashsalt": "frontmap",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "path.simplify": True,
}
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}
_HALO = [patheffects.Stroke(linewidth=2.6, foreground="white")]
_KM_PER_DEGREE = 111.32


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Projection:
    """Equirectangular, x scaled by cos(mid latitude): close to true shape at these sizes."""

    south: float
    west: float
    north: float
    east: float
    k: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "k", math.cos(math.radians((self.south + self.north) / 2)))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon * self.k, lat)

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @property
    def width(self) -> float:
        """Width of the map in projected units."""
        return (self.east - self.west) * self.k

    @property
    def height(self) -> float:
        return self.north - self.south

    def fitted(self, aspect: float) -> _Projection:
        """The extent grown (never shrunk) around its centre to a width/height ``aspect``."""
        if self.width / self.height < aspect:
            half = (self.height * aspect / self.k - (self.east - self.west)) / 2
            return _Projection(self.south, self.west - half, self.north, self.east + half)
        half = (self.width / aspect - self.height) / 2
        south, north = max(self.south - half, -85.0), min(self.north + half, 85.0)
        return _Projection(south, self.west, north, self.east)


def _extent(
    spec: PrintSpec, theatre: Theatre, places: list[Place]
) -> tuple[float, float, float, float]:
    """The box the map must show: the theatre's bounds, the places named (padded), or a box."""
    if isinstance(spec.extent, tuple):
        return spec.extent
    (south, west), (north, east) = theatre.bounds
    if spec.extent == "places" and places:
        lats = [p.lat for p in places]
        lons = [p.lon for p in places]
        s, n, w, e = min(lats), max(lats), min(lons), max(lons)
        pad_lat = max((n - s) * 0.12, 0.15)
        pad_lon = max((e - w) * 0.12, 0.15)
        return (s - pad_lat, w - pad_lon, n + pad_lat, e + pad_lon)
    pad_lat, pad_lon = (north - south) * 0.03, (east - west) * 0.03
    return (south - pad_lat, west - pad_lon, north + pad_lat, east + pad_lon)


def _twice(draw: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Draw a label with a white halo: the halo as a path, the text as text.

    (A path effect turns SVG/PDF text into paths; drawing the halo separately
    keeps the label itself searchable and selectable.) Returns the text.
    """
    draw(*args, path_effects=_HALO, **kwargs)
    return draw(*args, **kwargs)


def _dash(dash: str | None, weight: float = 1.0) -> Any:
    """A Leaflet dash pattern (px) as a matplotlib one (in line widths)."""
    if not dash:
        return "solid"
    numbers = [float(x) for x in dash.split()]
    return (0, tuple(max(n * 0.75 / max(weight * 0.75, 0.1), 0.1) for n in numbers))


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    return (*matplotlib.colors.to_rgb(color), alpha)


def _polygon_path(geom: BaseGeometry, fx: _Projection) -> MplPath | None:
    polys = list(getattr(geom, "geoms", [geom]))
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    for poly in polys:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            coords = [fx(x, y) for x, y in ring.coords]
            verts.extend(coords)
            codes.extend(
                [int(MplPath.MOVETO)]
                + [int(MplPath.LINETO)] * (len(coords) - 2)
                + [int(MplPath.CLOSEPOLY)]
            )
    return MplPath(verts, codes) if verts else None


def _lines(geom: BaseGeometry) -> list[LineString]:
    kind = geom.geom_type
    if kind == "LineString":
        return [geom]
    if kind in ("MultiLineString", "GeometryCollection"):
        return [g for part in geom.geoms for g in _lines(part)]
    if kind in ("Polygon", "MultiPolygon"):
        return _lines(geom.boundary)
    return []


def _plot_lines(ax: Axes, geom: BaseGeometry, fx: _Projection, **style: Any) -> None:
    for line in _lines(geom):
        xs, ys = zip(*(fx(x, y) for x, y in line.coords), strict=True)
        ax.plot(xs, ys, **style)


def _nice_km(max_km: float) -> float:
    for step in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1):
        if step <= max_km:
            return float(step)
    return 0.5


#: Point size of a Leaflet pixel (CSS px are 1/96 in, points 1/72 in).
_PT = 0.75
#: The front line's white casing: colour, weight (px), opacity.
_CASING = (
    str(FRONT_CASING["color"]),
    float(FRONT_CASING["weight"]),
    float(FRONT_CASING["opacity"]),
)

#: Site shapes as matplotlib markers (the plane is drawn over a disc).
_PLANE_MARKER = MplPath([*PLANE, PLANE[0]], closed=True)
_SITE_MARKERS = {"triangle": "^", "square": "s", "diamond": "D", "plane": "o"}


# The events' icons: the page's shapes and glyphs (templates/map.html, a box of
# 22 units, y down) as marker paths in one frame, y up. Every path holds the
# box's corners (moves, drawn as nothing), so that matplotlib scales shape and
# glyph alike and they line up as on the page, on the map and in the legend.
_EVENT_POLYGONS: dict[str, list[tuple[float, float]]] = {
    "tri_down": [(1.5, 2.5), (20.5, 2.5), (11, 20.5)],
    "burst": [
        (11, 0.8), (13.6, 6.3), (19.4, 4.7), (16.2, 9.8), (21, 13.2), (15, 14), (14.6, 20),
        (11, 15.6), (7.4, 20), (7, 14), (1, 13.2), (5.8, 9.8), (2.6, 4.7), (8.4, 6.3),
    ],
    "hexagon": [(11, 1), (20, 6), (20, 16), (11, 21), (2, 16), (2, 6)],
    "diamond": [(11, 0.8), (21.2, 11), (11, 21.2), (0.8, 11)],
    "flag": [(2.5, 21), (2.5, 1), (21, 7.5), (4.5, 14), (4.5, 21)],
    "square": [(2, 2), (20, 2), (20, 20), (2, 20)],
}  # fmt: skip
#: Rounded shapes: centre and radius in the box; the pill is two half discs 6 apart.
_EVENT_ROUND = {"circle": (9.5, 0.0), "pill": (7.0, 6.0), "dot": (7.0, 0.0)}
_CORNERS = [(-11.0, -11.0), (11.0, -11.0), (11.0, 11.0), (-11.0, 11.0)]
#: Icon size on paper (points): smaller than the page's 22 px, as print is read closer.
_EVENT_PT = 12.0


def _framed(rings: list[list[tuple[float, float]]]) -> MplPath:
    """Closed rings (in the box, y down) and the box's corners as one marker path."""
    verts: list[tuple[float, float]] = []
    codes: list[np.uint8] = []
    for ring in rings:
        pts = [(x - 11, 11 - y) for x, y in ring]
        verts += [*pts, pts[0]]
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(pts) - 1) + [MplPath.CLOSEPOLY]
    for corner in _CORNERS:
        verts.append(corner)
        codes.append(MplPath.MOVETO)
    return MplPath(verts, codes)


def _event_path(shape_: str) -> MplPath:
    """The marker path of an event shape."""
    if shape_ in _EVENT_POLYGONS:
        return _framed([_EVENT_POLYGONS[shape_]])
    r, apart = _EVENT_ROUND.get(shape_, _EVENT_ROUND["dot"])
    ring = [
        (11 + apart / 2 * (1 if math.cos(a) >= 0 else -1) + r * math.cos(a), 11 + r * math.sin(a))
        for a in (2 * math.pi * k / 48 for k in range(48))
    ]
    return _framed([ring])


def _glyph_path(shape_: str, glyph: str) -> MplPath:
    """The glyph of an event kind where the page writes it in its icon."""
    small = shape_ in ("flag", "tri_down")
    x = 9.5 if shape_ == "flag" else 11.0
    baseline = 9.0 if shape_ == "flag" else (10.0 if shape_ == "tri_down" else 14.5)
    text = TextPath((0, 0), glyph, size=8 if small else 10, prop=_GLYPH_FONT)
    box = text.get_extents()
    shift = Affine2D().translate(x - 11 - (box.x0 + box.x1) / 2, 11 - baseline)
    polygons: Any = text.transformed(shift).to_polygons(closed_only=True)
    rings: list[np.ndarray] = list(polygons)
    return _framed([[(float(p[0]) + 11, 11 - float(p[1])) for p in ring] for ring in rings])


_GLYPH_FONT = FontProperties(family="DejaVu Sans", weight="bold")


def _event_handles(kind: str, size: float = _EVENT_PT) -> tuple[Line2D, Line2D]:
    """An event kind's icon: its shape in its colour, the glyph over it."""
    style = EVENT_STYLES[kind]
    icon = Line2D(
        [],
        [],
        marker=_event_path(style.shape),
        markersize=size,
        markerfacecolor=style.color,
        markeredgecolor="#111111",
        markeredgewidth=0.6,
        linestyle="none",
    )
    glyph = Line2D(
        [],
        [],
        marker=_glyph_path(style.shape, style.glyph),
        markersize=size,
        markerfacecolor=style.ink,
        markeredgewidth=0,
        linestyle="none",
    )
    return icon, glyph


# --------------------------------------------------------------------------- labels


class _Placer:
    """Labels without collisions, in display pixels: a list of taken boxes per grid cell."""

    CELL = 40.0

    def __init__(self, ax: Axes, renderer: Any) -> None:
        self.ax = ax
        self.renderer = renderer
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        bbox = ax.get_window_extent(renderer)
        self.frame = (bbox.x0, bbox.y0, bbox.x1, bbox.y1)
        self.px = ax.figure.dpi / 72.0  # display pixels per point
        self.sizes: dict[tuple[str, float, str, bool], tuple[float, float]] = {}

    def _keys(self, b: tuple[float, float, float, float]) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (gx, gy)
            for gx in range(int(b[0] // c), int(b[2] // c) + 1)
            for gy in range(int(b[1] // c), int(b[3] // c) + 1)
        ]

    def free(self, b: tuple[float, float, float, float]) -> bool:
        """True when the box lies inside the map and overlaps nothing taken."""
        f = self.frame
        if b[0] < f[0] or b[1] < f[1] or b[2] > f[2] or b[3] > f[3]:
            return False
        for key in self._keys(b):
            for o in self.cells.get(key, ()):
                if b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]:
                    return False
        return True

    def take(self, b: tuple[float, float, float, float]) -> None:
        """Mark a box taken, with a margin of a point for the labels' halos."""
        m = self.px
        b = (b[0] - m, b[1] - m, b[2] + m, b[3] + m)
        for key in self._keys(b):
            self.cells.setdefault(key, []).append(b)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Data coordinates → display pixels."""
        px, py = self.ax.transData.transform((x, y))
        return float(px), float(py)

    def size(
        self, text: str, points: float, weight: str = "normal", italic: bool = False
    ) -> tuple[float, float]:
        """Width and height of a text in display pixels (measured once each)."""
        key = (text, points, weight, italic)
        if key not in self.sizes:
            prop = matplotlib.font_manager.FontProperties(
                family="DejaVu Sans",
                size=points,
                weight=weight,
                style="italic" if italic else "normal",
            )
            w, h, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self.sizes[key] = (float(w), float(h))
        return self.sizes[key]


#: At most this many places (and as many areas) are labelled, the most named
#: first: a page holds no more, and 10,000 places must not take minutes.
MAX_LABELS = 300

#: Candidate positions of a point label: (dx, dy) direction, horizontal and vertical alignment.
_AROUND = (
    ((1, 0), "left", "center"),
    ((-1, 0), "right", "center"),
    ((0.7, 0.7), "left", "bottom"),
    ((0.7, -0.7), "left", "top"),
    ((-0.7, 0.7), "right", "bottom"),
    ((-0.7, -0.7), "right", "top"),
    ((0, 1), "center", "bottom"),
    ((0, -1), "center", "top"),
)


def _box(
    x: float, y: float, w: float, h: float, ha: str, va: str
) -> tuple[float, float, float, float]:
    x0 = x if ha == "left" else (x - w if ha == "right" else x - w / 2)
    y0 = y if va == "bottom" else (y - h if va == "top" else y - h / 2)
    return (x0, y0, x0 + w, y0 + h)


def _place_label(placer: _Placer, place: Place, xy: tuple[float, float], radius_pt: float) -> None:
    """A place's label in the first free position around its marker, or none."""
    text = place.label
    w, h = placer.size(text, 8.5, "bold")
    x, y = placer.point(*xy)
    near = (radius_pt + 2.5) * placer.px
    for ((dx, dy), ha, va), gap in [(a, near) for a in _AROUND] + [
        (a, near * 2.4) for a in _AROUND
    ]:
        b = _box(x + dx * gap, y + dy * gap, w, h, ha, va)
        if placer.free(b):
            placer.take(b)
            _twice(
                placer.ax.annotate,
                text,
                xy,
                xytext=(dx * gap / placer.px, dy * gap / placer.px),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=8.5,
                fontweight="bold",
                color="#111111",
                zorder=41,
                parse_math=False,
                annotation_clip=True,
            )
            return


def _area_label(placer: _Placer, place: Place, xy: tuple[float, float], areas: _Placer) -> None:
    """An area's label: at its point, else just above or below.

    It is the area's only symbol, so it is drawn even where it meets a marker,
    but not over another area's label (``areas`` holds those).
    """
    text = place.label.upper()
    w, h = placer.size(text, 8, "bold", italic=True)
    pad = 2.5 * placer.px
    w, h = w + 2 * pad, h + 2 * pad
    x, y = placer.point(*xy)
    chosen = None
    for shift in (0.0, h + 2, -(h + 2), 2 * h + 4, -(2 * h + 4)):
        if placer.free(_box(x, y + shift, w, h, "center", "center")):
            chosen = shift
            break
    if chosen is None:
        if not areas.free(_box(x, y, w, h, "center", "center")):
            return
        chosen = 0.0
    placer.take(_box(x, y + chosen, w, h, "center", "center"))
    areas.take(_box(x, y + chosen, w, h, "center", "center"))
    placer.ax.annotate(
        text,
        xy,
        xytext=(0, chosen / placer.px),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=8,
        fontweight="bold",
        fontstyle="italic",
        color=AREA_LABEL_COLOR,
        zorder=42,
        parse_math=False,
        annotation_clip=True,
        bbox={
            "boxstyle": "round,pad=0.3",
            "facecolor": (1, 1, 1, 0.6),
            "edgecolor": _rgba(AREA_LABEL_COLOR, 0.55),
            "linestyle": (0, (3, 2)),
            "linewidth": 0.7,
        },
    )


def _town_label(placer: _Placer, name: str, xy: tuple[float, float]) -> None:
    """A town's dot and name, east of the dot or else west; nothing when neither fits."""
    w, h = placer.size(name, 7)
    w, h = w + 2 * placer.px, h + placer.px  # room for the halo
    x, y = placer.point(*xy)
    dot = 3.5 * placer.px
    for ha, b in (
        ("left", (x - dot, y - h / 2, x + dot + w, y + h / 2)),
        ("right", (x - dot - w, y - h / 2, x + dot, y + h / 2)),
    ):
        if placer.free(b):
            placer.take(b)
            ax = placer.ax
            ax.plot([xy[0]], [xy[1]], marker="o", markersize=2.6, color="#555555", zorder=22)
            offset = 3.5 if ha == "left" else -3.5
            _twice(
                ax.annotate,
                name,
                xy,
                xytext=(offset, 0),
                textcoords="offset points",
                ha=ha,
                va="center",
                fontsize=7,
                color="#333333",
                zorder=22,
                parse_math=False,
                annotation_clip=True,
            )
            return


def _country_label(placer: _Placer, name: str, xy: tuple[float, float]) -> None:
    text = name.upper()
    w, h = placer.size(text, 8.5)
    x, y = placer.point(*xy)
    b = _box(x, y, w, h, "center", "center")
    if placer.free(b):
        placer.take(b)
        placer.ax.text(
            *xy,
            text,
            color="#8a8a8a",
            fontsize=8.5,
            ha="center",
            va="center",
            zorder=21,
            parse_math=False,
            clip_on=True,
        )


def _map_zoom(fx: _Projection, width_in: float) -> float:
    """The web map zoom whose scale the static map has (at 96 px an inch)."""
    px_per_degree = width_in * 96 / max(fx.east - fx.west, 1e-9)
    return math.log2(px_per_degree * 360 / 256)


@dataclass(frozen=True)
class _Drawn:
    """Where the places are drawn, and what is already on the map (for the labels)."""

    points: list[tuple[Place, tuple[float, float], float]]  # place, data xy, radius (pt)
    areas: list[tuple[Place, tuple[float, float]]]
    symbols: list[tuple[tuple[float, float], float]]  # data xy, radius (pt) of sites
    #: data xy and a box around it in points (left, bottom, right, top): the events' icons
    boxes: list[tuple[tuple[float, float], tuple[float, float, float, float]]] = field(
        default_factory=list
    )


def _place_all_labels(
    ax: Axes, renderer: Any, drawn: _Drawn, base: Basemap, fx: _Projection, width_in: float
) -> None:
    """Every label of the map, by priority (see the module's docstring)."""
    placer = _Placer(ax, renderer)
    for xy, radius in [(xy, r) for _, xy, r in drawn.points] + drawn.symbols:
        x, y = placer.point(*xy)
        r = (radius + 1) * placer.px
        placer.take((x - r, y - r, x + r, y + r))
    for xy, (x0, y0, x1, y1) in drawn.boxes:
        x, y = placer.point(*xy)
        px = placer.px
        placer.take((x + x0 * px, y + y0 * px, x + x1 * px, y + y1 * px))
    ranked = sorted(drawn.areas, key=lambda a: -len(a[0].mentions))
    areas = _Placer(ax, renderer)
    for place, xy in ranked[:MAX_LABELS]:
        _area_label(placer, place, xy, areas)
    inside = [p for p in drawn.points if fx.contains(p[0].lat, p[0].lon)]
    for place, xy, radius in sorted(inside, key=lambda p: -len(p[0].mentions))[:MAX_LABELS]:
        _place_label(placer, place, xy, radius)
    for name, lat, lon in base.countries:
        if fx.contains(lat, lon):
            _country_label(placer, name, fx(lon, lat))
    zoom = _map_zoom(fx, width_in)
    named = {p.label.lower() for p, _, _ in drawn.points} | {
        p.name.lower() for p, _, _ in drawn.points
    }
    for town in base.towns:
        if town.zoom <= zoom + 0.3 and fx.contains(town.lat, town.lon):
            if town.name.lower() not in named:
                _town_label(placer, town.name, fx(town.lon, town.lat))


# --------------------------------------------------------------------------- base map


def _draw_land(
    ax: Axes, land: dict[str, Any], fx: _Projection, lw: float = 0.6, tolerance: float = 0.0
) -> None:
    """The land polygons (simplified to ``tolerance`` degrees for a small-scale inset).

    Patches are added as artists: the axes' limits are set, not computed
    from the (large) coastlines.
    """
    for feature in land["features"]:
        geom = shape(feature["geometry"])
        if tolerance:
            geom = geom.simplify(tolerance, preserve_topology=False)
        path = _polygon_path(geom, fx)
        if path is not None:
            ax.add_artist(
                PathPatch(path, facecolor=LAND_COLOR, edgecolor=COAST_COLOR, linewidth=lw, zorder=1)
            )


def _draw_borders(ax: Axes, borders: dict[str, Any], fx: _Projection, lw: float = 0.9) -> None:
    for feature in borders["features"]:
        _plot_lines(
            ax,
            shape(feature["geometry"]),
            fx,
            color=BORDER_COLOR,
            linewidth=lw,
            linestyle=(0, (4, 2)),
            zorder=2,
        )


# --------------------------------------------------------------------------- layers


def _draw_site(
    ax: Axes, geom: BaseGeometry, opts: dict[str, Any], shape_: str, z: int, fx: _Projection
) -> list[tuple[tuple[float, float], float]]:
    out = []
    for pt in getattr(geom, "geoms", [geom]):
        xy = fx(pt.x, pt.y)
        marker = _SITE_MARKERS.get(shape_, "D")
        size = 8.5 if shape_ != "diamond" else 6.5
        ax.plot(
            [xy[0]],
            [xy[1]],
            marker=marker,
            markersize=size,
            markerfacecolor=opts["fillColor"],
            markeredgecolor="#111111",
            markeredgewidth=0.9,
            linestyle="none",
            zorder=30 + z,
        )
        if shape_ == "plane":
            ax.plot(
                [xy[0]],
                [xy[1]],
                marker=_PLANE_MARKER,
                markersize=5.5,
                color="white",
                linestyle="none",
                zorder=30 + z,
            )
        out.append((xy, size / 2))
    return out


def _draw_feature(
    ax: Axes, feature: Feature, pattern: int | None, z: int, fx: _Projection
) -> list[tuple[tuple[float, float], float]]:
    """One layer feature: a site symbol per point, else its fill and outline.

    Returns the site symbols drawn (for the labels to avoid).
    """
    opts = feature_style(feature.kind, feature.actor, pattern, feature.faction)
    geom = feature.geometry
    if geom.geom_type in ("Point", "MultiPoint"):
        return _draw_site(ax, geom, opts, site_symbol(feature.subkind)[0], z, fx)
    if geom.geom_type in ("Polygon", "MultiPolygon") and opts["fill"]:
        path = _polygon_path(geom, fx)
        if path is not None:
            rgba = _rgba(opts["fillColor"], opts["fillOpacity"])
            ax.add_artist(PathPatch(path, facecolor=rgba, edgecolor="none", zorder=4 + z))
    weight = opts["weight"] * _PT
    if feature.kind == "front_line":
        _plot_lines(
            ax,
            geom,
            fx,
            color=_CASING[0],
            linewidth=_CASING[1] * _PT,
            alpha=_CASING[2],
            zorder=4 + z,
            solid_capstyle="round",
        )
    _plot_lines(
        ax,
        geom,
        fx,
        color=opts["color"],
        linewidth=weight,
        alpha=opts["opacity"],
        linestyle=_dash(opts.get("dashArray"), opts["weight"]),
        zorder=4 + z,
        solid_capstyle="round",
    )
    return []


def _draw_layers(
    ax: Axes, features: list[Feature], fx: _Projection
) -> list[tuple[tuple[float, float], float]]:
    """The layers valid on the day, kind by kind in drawing order; returns the site symbols."""
    kinds = list(layer_kinds()) + sorted({f.kind for f in features} - set(layer_kinds()))
    patterns = zone_patterns([f.series for f in features if f.kind == "zone"])
    symbols: list[tuple[tuple[float, float], float]] = []
    for z, kind in enumerate(kinds):
        for feature in features:
            if feature.kind == kind:
                symbols += _draw_feature(ax, feature, patterns.get(feature.series), z, fx)
    return symbols


# --------------------------------------------------------------------------- places


def _draw_markers(ax: Axes, points: list[tuple[Place, tuple[float, float], float]]) -> None:
    """The markers, one set per precision (10,000 places are a few artists, not 10,000)."""
    for precision in sorted({p.precision for p, _, _ in points}):
        s = PLACE_STYLES[precision]
        xy = [xy for p, xy, _ in points if p.precision == precision]
        ax.plot(
            [x for x, _ in xy],
            [y for _, y in xy],
            marker="o",
            markersize=2 * s["radius"] * _PT,
            markerfacecolor=_rgba(s["fillColor"], s["fillOpacity"]),
            markeredgecolor=s["color"],
            markeredgewidth=s["weight"] * _PT,
            linestyle="none",
            zorder=40,
        )


def _draw_places(ax: Axes, places: list[Place], base: Basemap, fx: _Projection) -> _Drawn:
    """One marker per place, styled by precision; country outlines; where the areas go."""
    points: list[tuple[Place, tuple[float, float], float]] = []
    areas: list[tuple[Place, tuple[float, float]]] = []
    for place in places:
        xy = fx(place.lon, place.lat)
        if not place.area:
            points.append((place, xy, PLACE_STYLES[place.precision]["radius"] * _PT))
            continue
        outline = base.outline(place.country) if place.kind == "country" else None
        if outline is not None:
            _plot_lines(
                ax,
                shape(outline),
                fx,
                color=OUTLINE_STYLE["color"],
                linewidth=OUTLINE_STYLE["weight"] * _PT,
                alpha=OUTLINE_STYLE["opacity"],
                linestyle=(0, (0.3, 2.2)),
                dash_capstyle="round",
                zorder=39,
            )
        elif fx.contains(place.lat, place.lon):
            areas.append((place, xy))
    _draw_markers(ax, points)
    return _Drawn(points, areas, [])


def _draw_events(
    ax: Axes, events: list[tuple[float, float, str, str | None]], fx: _Projection
) -> list[tuple[tuple[float, float], tuple[float, float, float, float]]]:
    """The events' icons, up and right of their point as on the page.

    At one point, one icon per kind (in the order of the events' legend), side
    by side, with the number of events when more than one. Returns each
    point's box of icons (for the labels to avoid).
    """
    order = list(EVENT_STYLES)
    at: dict[tuple[float, float], dict[str, int]] = {}
    for lat, lon, kind, _day in events:
        if fx.contains(lat, lon):
            kinds = at.setdefault((lat, lon), {})
            kinds[kind] = kinds.get(kind, 0) + 1
    size, gap = _EVENT_PT, 1.5
    batches: dict[tuple[str, int], list[tuple[float, float]]] = {}
    boxes = []
    for (lat, lon), kinds in at.items():
        xy = fx(lon, lat)
        ranked = sorted(kinds, key=order.index)
        for slot, kind in enumerate(ranked):
            batches.setdefault((kind, slot), []).append(xy)
            n = kinds[kind]
            if n > 1:
                ax.annotate(
                    str(n),
                    xy,
                    xytext=(2 + slot * (size + gap) + size, 2),
                    textcoords="offset points",
                    fontsize=5.5,
                    fontweight="bold",
                    ha="center",
                    va="center",
                    color="#111111",
                    zorder=47,
                    annotation_clip=False,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#111111", "lw": 0.4},
                )
        boxes.append((xy, (1.0, 1.0, 3 + len(ranked) * (size + gap), 3 + size)))
    for (kind, slot), points in sorted(
        batches.items(), key=lambda b: (order.index(b[0][0]), b[0][1])
    ):
        at_icon = offset_copy(
            ax.transData,
            fig=cast(Figure, ax.figure),
            x=2 + slot * (size + gap) + size / 2,
            y=2 + size / 2,
            units="points",
        )
        for handle, z in zip(_event_handles(kind), (45, 46), strict=True):
            handle.set_data([x for x, _ in points], [y for _, y in points])
            handle.set_transform(at_icon)
            handle.set_zorder(z)
            ax.add_line(handle)
    return boxes


def _event_entries(events: list[tuple[float, float, str, str | None]]) -> list[LegendEntry]:
    """One legend line per kind of event drawn, with its count."""
    counts: dict[str, int] = {}
    for _lat, _lon, kind, _day in events:
        counts[kind] = counts.get(kind, 0) + 1
    return [
        LegendEntry(f"{EVENT_STYLES[k].label} ({counts[k]})", "event", {"kind": k})
        for k in EVENT_STYLES
        if k in counts
    ]


# --------------------------------------------------------------------------- legend


class _TextHandler(HandlerBase):
    """A legend symbol that is a word: the area label's "AB"."""

    def create_artists(
        self,
        legend: Any,
        orig_handle: Any,
        x0: float,
        y0: float,
        width: float,
        height: float,
        fontsize: float,
        trans: Any,
    ) -> list[Artist]:
        text = Text(
            x0 + width / 2,
            y0 + height / 2,
            "AB",
            ha="center",
            va="center",
            fontsize=fontsize * 0.95,
            fontweight="bold",
            fontstyle="italic",
            color=AREA_LABEL_COLOR,
            transform=trans,
        )
        return [text]


def _legend_handle(entry: LegendEntry) -> Artist | tuple[Artist, ...]:
    """The matplotlib symbol of a legend entry, drawn as the map draws it."""
    s = entry.style
    if entry.shape == "circle":
        return Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=2 * s["radius"] * _PT,
            markerfacecolor=_rgba(s["fillColor"], s["fillOpacity"]),
            markeredgecolor=s["color"],
            markeredgewidth=s["weight"] * _PT,
        )
    if entry.shape == "area_label":
        return Patch(label="area")  # drawn by _TextHandler
    if entry.shape == "event":
        return _event_handles(s["kind"])
    if entry.shape in ("line", "front"):
        line = Line2D(
            [],
            [],
            color=s["color"],
            linewidth=s["weight"] * _PT,
            alpha=s.get("opacity", 1),
            linestyle=_dash(s.get("dashArray"), s["weight"]),
        )
        if entry.shape == "line":
            return line
        casing = s["casing"]
        return (Line2D([], [], color=casing["color"], linewidth=casing["weight"] * _PT), line)
    if entry.shape == "town":
        return Line2D([], [], marker="o", markersize=2.6, color=s["color"], linestyle="none")
    if entry.shape in _SITE_MARKERS:
        marker = Line2D(
            [],
            [],
            marker=_SITE_MARKERS[entry.shape],
            linestyle="none",
            markersize=8.5,
            markerfacecolor=s["fillColor"],
            markeredgecolor="#111111",
            markeredgewidth=0.9,
        )
        if entry.shape != "plane":
            return marker
        plane = Line2D(
            [], [], marker=_PLANE_MARKER, linestyle="none", markersize=5.5, color="white"
        )
        return (marker, plane)
    fill = s.get("fill", True)
    return Patch(
        facecolor=_rgba(s["fillColor"], max(s["fillOpacity"], 0.04)) if fill else "none",
        edgecolor=_rgba(s["color"], s.get("opacity", 1)),
        linewidth=s["weight"] * _PT,
        linestyle=_dash(s.get("dashArray"), s["weight"]),
    )


def _draw_legend(ax: Axes, entries: list[LegendEntry], ncol: int) -> None:
    """The legend in its panel (the axes ``ax``), one symbol per entry."""
    ax.set_axis_off()
    if not entries:
        return
    handles = [_legend_handle(e) for e in entries]
    labels = [textwrap.fill(e.label, 34 if ncol == 1 else 30) for e in entries]
    handler_map: dict[Any, HandlerBase] = {tuple: HandlerTuple(ndivide=1, pad=0)}
    for handle, entry in zip(handles, entries, strict=True):
        if entry.shape == "area_label":
            handler_map[handle] = _TextHandler()
    legend = ax.legend(
        handles,
        labels,
        loc="upper left",
        fontsize=7.5,
        frameon=False,
        ncol=ncol,
        handler_map=handler_map,
        title="Legend",
        title_fontproperties={"weight": "bold", "size": 8.5},
        alignment="left",
        borderaxespad=0.0,
        handlelength=2.2,
        labelspacing=0.55,
    )
    for text in legend.get_texts():
        text.set_parse_math(False)


def _draw_inset(ax: Axes, fx: _Projection) -> None:
    """The locator map: the region around the map, the map's frame in red."""
    span = max(fx.north - fx.south, fx.east - fx.west)
    half = max(span * 2.2, 5.0)
    cy, cx = (fx.south + fx.north) / 2, (fx.west + fx.east) / 2
    view = (
        round(max(cy - half, -80.0), 2),
        round(max(cx - half * 1.3, -180.0), 2),
        round(min(cy + half, 80.0), 2),
        round(min(cx + half * 1.3, 180.0), 2),
    )
    inset = _Projection(*view)
    land, borders, _ = clipped_land(view)
    ax.set_facecolor(SEA_COLOR)
    _draw_land(ax, land, inset, lw=0.3, tolerance=half / 150)
    _draw_borders(ax, borders, inset, lw=0.35)
    x0, y0 = inset(fx.west, fx.south)
    x1, y1 = inset(fx.east, fx.north)
    ax.add_patch(
        Rectangle(
            (x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#c00000", linewidth=1.4, zorder=5
        )
    )
    ax.set_xlim(inset.west * inset.k, inset.east * inset.k)
    ax.set_ylim(inset.south, inset.north)
    ax.set_aspect("equal", adjustable="box", anchor="NW")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#777777")
        spine.set_linewidth(0.6)


# --------------------------------------------------------------------------- furniture


def _draw_scale(ax: Axes, fx: _Projection) -> list[tuple[tuple[float, float], float]]:
    """A scale bar (km) in the lower left corner, on a white ground; returns its footprint."""
    k = fx.k
    bar = _nice_km(fx.width / k * _KM_PER_DEGREE * k / 5)
    x0 = fx.west * k + fx.width * 0.03
    y0 = fx.south + fx.height * 0.035
    length = bar / _KM_PER_DEGREE
    ax.add_patch(
        Rectangle(
            (x0 - fx.width * 0.01, y0 - fx.height * 0.015),
            length + fx.width * 0.02,
            fx.height * 0.065,
            facecolor=(1, 1, 1, 0.8),
            edgecolor="none",
            zorder=45,
        )
    )
    ax.plot(
        [x0, x0 + length], [y0, y0], color="#111111", linewidth=3, solid_capstyle="butt", zorder=46
    )
    ax.text(x0, y0 + fx.height * 0.012, f"{bar:g} km", fontsize=7.5, zorder=46)
    centre = (x0 + length / 2, y0 + fx.height * 0.015)
    return [(centre, 36.0)]


def _credit_lines(features: list[Feature], width_in: float) -> list[str]:
    credit = (
        f"Base map: {NE_ATTRIBUTION}. Towns and places: {GEONAMES_ATTRIBUTION} "
        "and frontmap's curated gazetteer."
    )
    sources = sources_of(features)
    if sources:
        credit += " Layers: " + "; ".join(src.rstrip(". ") for src in sources) + "."
    return textwrap.wrap(credit, width=max(int(width_in * 17), 40)) or [""]


@dataclass(frozen=True)
class _Layout:
    """The figure, the map's axes, the panel's axes (inset, legend) and the bands (inches)."""

    fig: Figure
    ax: Axes
    inset: Axes
    legend: Axes
    legend_columns: int
    width: float
    height: float
    foot: float
    map_width: float


_MARGIN, _HEAD, _GAP = 0.35, 0.8, 0.15


def _page(spec: PrintSpec, fx: _Projection, n_credits: int) -> tuple[float, float]:
    """The page size in inches: the size, the paper (turned to fit the map), or a width."""
    if spec.size is not None:
        return spec.size
    aspect = fx.width / fx.height
    if spec.paper is not None or spec.width_in is None:
        long, short = PAPERS[spec.paper or "a4"]
        return (long, short) if aspect >= 0.9 else (short, long)
    width = spec.width_in
    panel = _panel_width(width)
    map_w = width - 2 * _MARGIN - panel - _GAP
    map_h = min(max(map_w / aspect, 3.0), 14.0)
    foot = 0.25 + 0.13 * n_credits
    return (width, max(map_h, 4.0) + _HEAD + foot + 2 * _MARGIN)


def _panel_width(width: float) -> float:
    return min(max(width * 0.26, 2.0), 3.2)


def _layout(
    spec: PrintSpec, fx: _Projection, credits: list[str], page: tuple[float, float]
) -> tuple[_Layout, _Projection]:
    """The figure and its axes; the projection grown to fill the map's frame."""
    width, height = page
    foot = 0.2 + 0.12 * len(credits)
    fig = Figure(figsize=(width, height), dpi=spec.dpi)
    top = height - _HEAD
    if width / height >= 1.05:  # landscape: the panel on the right
        panel = _panel_width(width)
        map_box = (
            _MARGIN,
            foot + _MARGIN * 0.5,
            width - 2 * _MARGIN - panel - _GAP,
            top - foot - _MARGIN * 0.5,
        )
        px0 = width - _MARGIN - panel
        inset_h = min(panel * 0.78, map_box[3] * 0.4)
        inset_box = (px0, map_box[1] + map_box[3] - inset_h, panel, inset_h)
        legend_box = (px0, map_box[1], panel, map_box[3] - inset_h - 0.25)
        columns = 1
    else:  # portrait: the panel below
        panel = min(max(height * 0.24, 2.2), 3.4)
        map_box = (_MARGIN, foot + panel + _GAP, width - 2 * _MARGIN, top - foot - panel - _GAP)
        inset_w = min(panel * 1.25, map_box[2] * 0.35)
        inset_box = (_MARGIN, foot + 0.05, inset_w, panel - 0.1)
        legend_box = (_MARGIN + inset_w + 0.3, foot, map_box[2] - inset_w - 0.3, panel)
        columns = 2 if legend_box[2] >= 4.2 else 1  # two columns of wrapped labels need 4.2 in
    fitted = fx.fitted(map_box[2] / map_box[3])

    def axes(box: tuple[float, float, float, float]) -> Axes:
        x, y, w, h = box
        return fig.add_axes((x / width, y / height, w / width, h / height))

    ax = axes(map_box)
    ax.set_facecolor(SEA_COLOR)
    ax.set_xlim(fitted.west * fitted.k, fitted.east * fitted.k)
    ax.set_ylim(fitted.south, fitted.north)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    layout = _Layout(
        fig, ax, axes(inset_box), axes(legend_box), columns, width, height, foot, map_box[2]
    )
    return layout, fitted


def _draw_texts(layout: _Layout, heading: str, subtitle: str, credits: list[str]) -> None:
    """Heading and subtitle above the map, credits below it."""
    fig, height, width = layout.fig, layout.height, layout.width
    x = _MARGIN / width
    fig.text(
        x, 1 - 0.2 / height, heading, fontsize=15, fontweight="bold", va="top", parse_math=False
    )
    fig.text(
        x, 1 - 0.52 / height, subtitle, fontsize=9.5, color="#444444", va="top", parse_math=False
    )
    fig.text(
        x,
        (layout.foot - 0.08) / height,
        "\n".join(credits),
        fontsize=6.3,
        color="#555555",
        va="top",
        parse_math=False,
        linespacing=1.35,
    )


def _subtitle(day: str | None, places: list[Place], n_articles: int, n_events: int = 0) -> str:
    n_places = len(places)
    sub = (f"As of {day}" if day else "Date not given") + f" · {n_places} place"
    sub += ("s" if n_places != 1 else "") + " named"
    if n_articles:
        sub += f" in {n_articles} article" + ("s" if n_articles != 1 else "")
    if n_events:
        sub += f" · {n_events} event" + ("s" if n_events != 1 else "")
    return sub


def _features_on(features: Iterable[Feature], day: str | None) -> list[Feature]:
    return [f for f in features if f.valid_on(day)]


def static_bytes(
    theatre: Theatre,
    rows: list[MentionRow],
    layers: pd.DataFrame | None,
    fmt: str,
    *,
    title: str | None = None,
    as_of: dt.date | str | None = None,
    spec: PrintSpec | None = None,
    events: Any = None,
) -> bytes:
    """Draw the theatre map with matplotlib and return the file's bytes.

    Parameters
    ----------
    theatre : Theatre
        The theatre.
    rows : list of MentionRow
        Mention rows already checked (see :func:`maps._rows.mention_rows`).
    layers : GeoDataFrame or None
        Layers; features not valid on the day are left out.
    fmt : {"png", "svg", "pdf"}
        Format.
    title, as_of
        As for :func:`maps.export_static`.
    spec : PrintSpec, optional
        Page, resolution and extent (by default an A4 page of the theatre at 150 dpi).
    events : DataFrame or list of dict, optional
        Event rows (:func:`frontmap.geoparse_events`): those of the theatre
        dated up to the map's day (or undated) are drawn as on the page, an
        icon per kind at each point, and listed in the legend with their counts.

    Raises
    ------
    frontmap.errors.RenderError
        For an unknown format.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise RenderError(f"unknown static format {fmt!r} (use png, svg or pdf)")
    spec = spec or PrintSpec()
    theatre_id = clean_text(theatre.id)
    places, articles = places_and_articles(rows, theatre_id)
    day = map_day(as_of, articles)
    features = _features_on(layer_features(layers, theatre_id), day)
    fx = _Projection(*_extent(spec, theatre, places))
    shown = [e for e in located_events(events, theatre_id, day) if fx.contains(e[0], e[1])]
    (south, west), (north, east) = theatre.bounds
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        page = _page(spec, fx, 3)
        credits = _credit_lines(features, page[0])
        layout, fx = _layout(spec, fx, credits, page)
        view = view_box(((fx.south, fx.west), (fx.north, fx.east)), margin=0.05, minimum=0.2)
        base = basemap(
            (float(south), float(west), float(north), float(east)), view_box(theatre.bounds)
        )
        land, borders = (
            (base.land, base.borders) if _inside(view, base.box) else clipped_land(view)[:2]
        )
        ax = layout.ax
        _draw_land(ax, land, fx)
        _draw_borders(ax, borders, fx)
        symbols = _draw_layers(ax, features, fx)
        drawn = _draw_places(ax, places, base, fx)
        boxes = _draw_events(ax, shown, fx)
        symbols += _draw_scale(ax, fx)
        drawn = _Drawn(drawn.points, drawn.areas, symbols, boxes)
        renderer = FigureCanvasAgg(layout.fig).get_renderer()
        _place_all_labels(ax, renderer, drawn, base, fx, layout.map_width)
        _draw_inset(layout.inset, fx)
        entries = legend_entries(places, features, day=day) + _event_entries(shown)
        _draw_legend(layout.legend, entries, layout.legend_columns)
        heading = clean_text(title) if title is not None else clean_text(theatre.title)
        subtitle = _subtitle(day, places, len(articles), len(shown))
        _draw_texts(layout, heading, subtitle, credits)
        out = io.BytesIO()
        layout.fig.savefig(out, format=fmt, metadata=_METADATA[fmt], dpi=spec.dpi)
    return out.getvalue()


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )
