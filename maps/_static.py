"""Static maps (PNG, SVG, PDF) drawn with matplotlib: no browser, no network.

The same data as the HTML map: Natural Earth land and borders, GeoNames town
labels, layers valid on the date styled by kind and actor, one marker per place
labelled with its name, a legend, a scale bar, the date and the attribution of
every source. Output is deterministic (no creation dates, fixed SVG ids).
Strings from articles are drawn with ``parse_math=False`` (no mathtext) and the
SVG backend escapes text as XML.

:func:`static_bytes` lays out the figure and calls one ``_draw_*`` function
per drawn layer, bottom to top: land, borders, country names, thematic layers,
towns, places, place labels, scale bar, legend, then the heading and credits
around the map. Shapes are drawn as matplotlib paths in an equirectangular
projection (:class:`_Projection`); ``GeoSeries.plot`` would draw the same
shapes as collections, whose SVG and PDF bytes differ.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import pandas as pd
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry

from ..errors import RenderError
from ..theatres import Theatre
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION, Basemap, basemap, view_box
from ._html import clean_text
from ._legend import LINE_KINDS, legend_kinds, sources_of
from ._rows import Feature, MentionRow, Place, layer_features, map_day, places_and_articles
from .styles import (
    BORDER_COLOR,
    COAST_COLOR,
    LAND_COLOR,
    PLACE_STYLES,
    SEA_COLOR,
    actor_style,
    kind_style,
    layer_color,
    layer_kinds,
)

__all__ = ["static_bytes", "FORMATS"]

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
_HALO = [patheffects.Stroke(linewidth=2.5, foreground="white")]
_KM_PER_DEGREE = 111.32

Legend = tuple[list[Artist], list[str]]  # matplotlib handles and their labels


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


def _twice(draw: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Draw a label with a white halo: the halo as a path, the text as text.

    (A path effect turns SVG/PDF text into paths; drawing the halo separately
    keeps the label itself searchable and selectable.)
    """
    draw(*args, path_effects=_HALO, **kwargs)
    draw(*args, **kwargs)


def _dash(dash: str | None) -> str | tuple[float, tuple[float, ...]]:
    if not dash:
        return "solid"
    numbers = [float(x) for x in dash.split()]
    return (0, tuple(n / 2 for n in numbers))


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


# --------------------------------------------------------------------------- base map


def _draw_land(ax: Axes, base: Basemap, fx: _Projection) -> None:
    for feature in base.land["features"]:
        path = _polygon_path(shape(feature["geometry"]), fx)
        if path is not None:
            ax.add_patch(
                PathPatch(
                    path, facecolor=LAND_COLOR, edgecolor=COAST_COLOR, linewidth=0.6, zorder=1
                )
            )


def _draw_borders(ax: Axes, base: Basemap, fx: _Projection) -> None:
    for feature in base.borders["features"]:
        _plot_lines(
            ax,
            shape(feature["geometry"]),
            fx,
            color=BORDER_COLOR,
            linewidth=0.9,
            linestyle=(0, (4, 2)),
            zorder=2,
        )


def _draw_country_names(ax: Axes, base: Basemap, fx: _Projection) -> None:
    for name, lat, lon in base.countries:
        if fx.contains(lat, lon):
            ax.text(
                *fx(lon, lat),
                name.upper(),
                color="#8a8a8a",
                fontsize=9,
                ha="center",
                va="center",
                zorder=3,
                parse_math=False,
                clip_on=True,
            )


def _draw_towns(ax: Axes, base: Basemap, places: list[Place], fx: _Projection) -> None:
    """Town labels, except where a place marker (with its own label) stands."""
    near = fx.width * 0.02
    marked = [fx(p.lon, p.lat) for p in places]
    for name, lat, lon, _ in base.towns:
        x, y = fx(lon, lat)
        if any(abs(x - px) < near and abs(y - py) < near for px, py in marked):
            continue
        ax.plot([x], [y], marker="o", markersize=2.5, color="#555555", zorder=20)
        _twice(
            ax.text,
            x,
            y,
            " " + name,
            fontsize=7,
            color="#333333",
            va="center",
            zorder=20,
            parse_math=False,
            clip_on=True,
        )


# --------------------------------------------------------------------------- layers


def _draw_feature(ax: Axes, feature: Feature, z: int, fx: _Projection) -> None:
    """One layer feature: a diamond per point, else its fill and outline."""
    opts = kind_style(feature.kind).leaflet(layer_color(feature.kind, feature.actor))
    geom = feature.geometry
    if geom.geom_type in ("Point", "MultiPoint"):
        for pt in getattr(geom, "geoms", [geom]):
            ax.scatter(
                *fx(pt.x, pt.y),
                marker="D",
                s=40,
                color=opts["fillColor"],
                edgecolors="#111111",
                linewidths=1.0,
                zorder=10 + z,
            )
        return
    if geom.geom_type in ("Polygon", "MultiPolygon") and opts["fill"]:
        path = _polygon_path(geom, fx)
        if path is not None:
            rgba = _rgba(opts["fillColor"], opts["fillOpacity"])
            ax.add_patch(PathPatch(path, facecolor=rgba, edgecolor="none", zorder=4 + z))
    _plot_lines(
        ax,
        geom,
        fx,
        color=opts["color"],
        linewidth=opts["weight"] * 0.8,
        alpha=opts["opacity"],
        linestyle=_dash(opts.get("dashArray")),
        zorder=4 + z,
    )


def _draw_layers(ax: Axes, features: list[Feature], fx: _Projection) -> None:
    """The layers valid on the day, kind by kind in drawing order."""
    kinds = list(layer_kinds()) + sorted({f.kind for f in features} - set(layer_kinds()))
    for z, kind in enumerate(kinds):
        for feature in features:
            if feature.kind == kind:
                _draw_feature(ax, feature, z, fx)


def _layer_legend(features: list[Feature], day: str | None = None) -> Legend:
    """Legend entries of the layers: one per actor of the areas of control (labelled as on
    ``day``), one per other kind."""
    handles: list[Artist] = []
    labels: list[str] = []
    for kind, actors in legend_kinds(features).items():
        style = kind_style(kind)
        if kind == "control":
            for actor in actors:
                opts = style.leaflet(actor_style(actor).color if actor else None)
                handles.append(
                    Patch(
                        facecolor=_rgba(opts["fillColor"], opts["fillOpacity"]),
                        edgecolor=opts["color"],
                    )
                )
                labels.append(actor_style(actor, day).label if actor else "Control")
            continue
        opts = style.leaflet()
        if kind in LINE_KINDS:
            handle: Artist = Line2D(
                [],
                [],
                color=opts["color"],
                linewidth=opts["weight"] * 0.8,
                linestyle=_dash(opts.get("dashArray")),  # type: ignore[arg-type]
            )
        elif kind == "site":
            handle = Line2D(
                [], [], marker="D", linestyle="none", color="#888888", markeredgecolor="#111111"
            )
        else:
            handle = Patch(
                facecolor=_rgba(opts["fillColor"], max(opts["fillOpacity"], 0.1)),
                edgecolor=opts["color"],
                linestyle=(0, (4, 2)),
            )
        handles.append(handle)
        labels.append(style.label)
    return handles, labels


# --------------------------------------------------------------------------- places


def _draw_places(ax: Axes, places: list[Place], fx: _Projection) -> Legend:
    """One marker per place, styled by precision; returns the legend entries."""
    handles: list[Artist] = []
    labels: list[str] = []
    for precision in sorted({p.precision for p in places}):
        s = PLACE_STYLES[precision]
        xy = [fx(p.lon, p.lat) for p in places if p.precision == precision]
        ax.scatter(
            [a for a, _ in xy],
            [b for _, b in xy],
            s=(s["radius"] * 1.6) ** 2,
            facecolors=[_rgba(s["fillColor"], s["fillOpacity"])],
            edgecolors=s["color"],
            linewidths=1.2,
            zorder=30,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=7,
                markerfacecolor=s["fillColor"],
                markeredgecolor=s["color"],
            ),
        )
        labels.append(s["label"])
    return handles, labels


def _draw_place_labels(ax: Axes, places: list[Place], fx: _Projection) -> None:
    for place in places:
        _twice(
            ax.annotate,
            place.name,
            fx(place.lon, place.lat),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=8.5,
            fontweight="bold",
            color="#111111",
            zorder=31,
            parse_math=False,
            annotation_clip=True,
        )


# --------------------------------------------------------------------------- furniture


def _draw_scale(ax: Axes, fx: _Projection) -> None:
    """A scale bar (km) in the lower left corner."""
    k = fx.k
    bar = _nice_km(fx.width * _KM_PER_DEGREE / 5)
    x0 = fx.west * k + fx.width * 0.04
    y0 = fx.south + fx.height * 0.04
    ax.plot(
        [x0, x0 + bar / _KM_PER_DEGREE],
        [y0, y0],
        color="#111111",
        linewidth=3,
        solid_capstyle="butt",
        zorder=40,
    )
    _twice(ax.text, x0, y0 + fx.height * 0.012, f"{bar:g} km", fontsize=8, zorder=40)


def _draw_legend(ax: Axes, places: Legend, layers: Legend) -> None:
    handles = places[0] + layers[0]
    if handles:
        legend = ax.legend(
            handles, places[1] + layers[1], loc="lower right", fontsize=7.5, framealpha=0.92
        )
        legend.set_zorder(50)


def _credit_lines(features: list[Feature], width_in: float) -> list[str]:
    credit = (
        f"Base map: {NE_ATTRIBUTION}. Towns and places: {GEONAMES_ATTRIBUTION} "
        "and frontmap's curated gazetteer."
    )
    sources = sources_of(features)
    if sources:
        credit += " Layers: " + "; ".join(src.rstrip(". ") for src in sources) + "."
    return textwrap.wrap(credit, width=int(width_in * 17)) or [""]


@dataclass(frozen=True)
class _Layout:
    """The figure and the map's axes, with the heights (inches) of the bands around it."""

    fig: Figure
    ax: Axes
    height: float
    foot: float


def _layout(fx: _Projection, n_credit_lines: int, width_in: float, dpi: int) -> _Layout:
    """A figure with the heading band on top, the map, and the credits band below."""
    aspect = fx.height / fx.width
    map_w = width_in * 0.96
    map_h = min(max(map_w * aspect, 3.0), 14.0)
    head, foot = 0.85, 0.25 + 0.13 * n_credit_lines
    fig_h = map_h + head + foot
    fig = Figure(figsize=(width_in, fig_h), dpi=dpi)
    ax = fig.add_axes((0.02, foot / fig_h, 0.96, map_h / fig_h))
    ax.set_facecolor(SEA_COLOR)
    ax.set_xlim(fx.west * fx.k, fx.east * fx.k)
    ax.set_ylim(fx.south, fx.north)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return _Layout(fig, ax, fig_h, foot)


def _draw_texts(layout: _Layout, heading: str, subtitle: str, credits: list[str]) -> None:
    """Heading and subtitle above the map, credits below it."""
    fig, fig_h = layout.fig, layout.height
    fig.text(
        0.02,
        1 - 0.18 / fig_h,
        heading,
        fontsize=14,
        fontweight="bold",
        va="top",
        parse_math=False,
    )
    fig.text(
        0.02, 1 - 0.52 / fig_h, subtitle, fontsize=9.5, color="#444444", va="top", parse_math=False
    )
    fig.text(
        0.02,
        (layout.foot - 0.12) / fig_h,
        "\n".join(credits),
        fontsize=6.5,
        color="#555555",
        va="top",
        parse_math=False,
    )


def _subtitle(day: str | None, n_places: int, n_articles: int) -> str:
    sub = (f"As of {day}" if day else "Date not given") + f" · {n_places} place"
    sub += ("s" if n_places != 1 else "") + " named"
    if n_articles:
        sub += f" in {n_articles} article" + ("s" if n_articles != 1 else "")
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
    width_in: float = 10.0,
    dpi: int = 150,
    label_limit: int = 40,
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
    title, as_of, width_in, dpi
        As for :func:`maps.export_static`.
    label_limit : int
        At most this many places are labelled (the first named).

    Raises
    ------
    frontmap.errors.RenderError
        For an unknown format.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise RenderError(f"unknown static format {fmt!r} (use png, svg or pdf)")
    theatre_id = clean_text(theatre.id)
    places, articles = places_and_articles(rows, theatre_id)
    day = map_day(as_of, articles)
    features = _features_on(layer_features(layers, theatre_id), day)
    (south, west), (north, east) = theatre.bounds
    fx = _Projection(south, west, north, east)
    base = basemap(
        (float(south), float(west), float(north), float(east)),
        view_box(theatre.bounds),
        30,
        int(theatre.zoom),
    )
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        credits = _credit_lines(features, width_in)
        layout = _layout(fx, len(credits), width_in, dpi)
        ax = layout.ax
        _draw_land(ax, base, fx)
        _draw_borders(ax, base, fx)
        _draw_country_names(ax, base, fx)
        _draw_layers(ax, features, fx)
        _draw_towns(ax, base, places, fx)
        place_legend = _draw_places(ax, places, fx)
        _draw_place_labels(ax, places[:label_limit], fx)
        _draw_scale(ax, fx)
        _draw_legend(ax, place_legend, _layer_legend(features, day))
        heading = clean_text(title) if title is not None else clean_text(theatre.title)
        _draw_texts(layout, heading, _subtitle(day, len(places), len(articles)), credits)
        out = io.BytesIO()
        layout.fig.savefig(out, format=fmt, metadata=_METADATA[fmt], dpi=dpi)
    return out.getvalue()
