"""Static maps (PNG, SVG, PDF) drawn with matplotlib: no browser, no network.

The same data as the HTML map: Natural Earth land and borders, GeoNames town
labels, layers valid on the date styled by kind and actor, one marker per place
labelled with its name, a legend, a scale bar, the date and the attribution of
every source. Output is deterministic (no creation dates, fixed SVG ids).
Strings from articles are drawn with ``parse_math=False`` (no mathtext) and the
SVG backend escapes text as XML.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import Any

import matplotlib
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import shape

from ..errors import RenderError
from ..theatres import Theatre
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION, basemap, view_box
from ._html import clean_text
from .render import (
    BORDER_COLOR,
    COAST_COLOR,
    LAND_COLOR,
    SEA_COLOR,
    _as_of,
    _date,
    _group,
    _layer_rows,
    _usable,
)
from .styles import PLACE_STYLES, actor_style, kind_style, layer_kinds

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


def _twice(draw: Any, *args: Any, **kwargs: Any) -> None:
    """Draw a label with a white halo: the halo as a path, the text as text.

    (A path effect turns SVG/PDF text into paths; drawing the halo separately
    keeps the label itself searchable and selectable.)
    """
    draw(*args, path_effects=_HALO, **kwargs)
    draw(*args, **kwargs)


def _dash(dash: str | None) -> Any:
    if not dash:
        return "solid"
    numbers = [float(x) for x in dash.split()]
    return (0, tuple(n / 2 for n in numbers))


def _polygon_path(geom: Any, fx: Any) -> MplPath | None:
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
                [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
            )
    return MplPath(verts, codes) if verts else None


def _lines(geom: Any) -> list[Any]:
    kind = geom.geom_type
    if kind == "LineString":
        return [geom]
    if kind in ("MultiLineString", "GeometryCollection"):
        return [g for part in geom.geoms for g in _lines(part)]
    if kind in ("Polygon", "MultiPolygon"):
        return _lines(geom.boundary)
    return []


def _valid_on(row: dict[str, Any], day: str | None) -> bool:
    if day is None:
        return True
    start, end = _date(row.get("valid_from")), _date(row.get("valid_to"))
    return (start is None or start <= day) and (end is None or day <= end)


def _nice_km(max_km: float) -> float:
    for step in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1):
        if step <= max_km:
            return float(step)
    return 0.5


def static_bytes(
    theatre: Theatre,
    places: pd.DataFrame | None,
    layers: pd.DataFrame | None,
    fmt: str,
    *,
    title: str | None = None,
    as_of: Any = None,
    width_in: float = 10.0,
    dpi: int = 150,
    label_limit: int = 40,
) -> bytes:
    """Draw the theatre map with matplotlib and return the file's bytes."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise RenderError(f"unknown static format {fmt!r} (use png, svg or pdf)")
    theatre_id = clean_text(theatre.id)
    place_list, articles = _group(_usable(places, theatre_id))
    day = _as_of(as_of, articles)
    rows = [r for r in _layer_rows(layers, theatre_id) if _valid_on(r, day)]
    (south, west), (north, east) = theatre.bounds
    base = basemap(
        (float(south), float(west), float(north), float(east)),
        view_box(theatre.bounds),
        30,
        int(theatre.zoom),
    )
    # Equirectangular, x scaled by cos(mid latitude): close to true shape at these sizes.
    k = math.cos(math.radians((south + north) / 2))

    def fx(lon: float, lat: float) -> tuple[float, float]:
        return (lon * k, lat)

    with matplotlib.rc_context(_RC):
        sources = []
        for row in rows:
            source = clean_text(row.get("source"))
            if source and source not in sources:
                sources.append(source)
        credit = (
            f"Base map: {NE_ATTRIBUTION}. Towns and places: {GEONAMES_ATTRIBUTION} "
            "and frontmap's curated gazetteer."
        )
        if sources:
            credit += " Layers: " + "; ".join(src.rstrip(". ") for src in sources) + "."
        credit_lines = textwrap.wrap(credit, width=int(width_in * 17)) or [""]
        aspect = (north - south) / ((east - west) * k)
        map_w = width_in * 0.96
        map_h = min(max(map_w * aspect, 3.0), 14.0)
        head, foot = 0.85, 0.25 + 0.13 * len(credit_lines)
        fig_h = map_h + head + foot
        fig = Figure(figsize=(width_in, fig_h), dpi=dpi)
        ax = fig.add_axes((0.02, foot / fig_h, 0.96, map_h / fig_h))
        ax.set_facecolor(SEA_COLOR)
        ax.set_xlim(west * k, east * k)
        ax.set_ylim(south, north)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])

        for feature in base.land["features"]:
            path = _polygon_path(shape(feature["geometry"]), fx)
            if path is not None:
                ax.add_patch(
                    PathPatch(
                        path, facecolor=LAND_COLOR, edgecolor=COAST_COLOR, linewidth=0.6, zorder=1
                    )
                )
        for feature in base.borders["features"]:
            for line in _lines(shape(feature["geometry"])):
                xs, ys = zip(*(fx(x, y) for x, y in line.coords), strict=True)
                ax.plot(xs, ys, color=BORDER_COLOR, linewidth=0.9, linestyle=(0, (4, 2)), zorder=2)
        for name, lat, lon in base.countries:
            if south <= lat <= north and west <= lon <= east:
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

        handles: list[Any] = []
        labels: list[str] = []
        kinds = list(layer_kinds())
        kinds += sorted({clean_text(r.get("kind")) for r in rows} - set(kinds))
        seen_actor: set[str] = set()
        for z, kind in enumerate(kinds):
            style = kind_style(kind)
            mine = [r for r in rows if (clean_text(r.get("kind")) or "zone") == kind]
            if not mine:
                continue
            for row in mine:
                actor = clean_text(row.get("actor"))
                color = (
                    actor_style(actor).color
                    if actor and kind not in ("road", "front_line")
                    else None
                )
                opts = style.leaflet(color)
                geom = row["geometry"]
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
                    continue
                if geom.geom_type in ("Polygon", "MultiPolygon") and opts["fill"]:
                    path = _polygon_path(geom, fx)
                    if path is not None:
                        rgba = (*matplotlib.colors.to_rgb(opts["fillColor"]), opts["fillOpacity"])
                        ax.add_patch(
                            PathPatch(path, facecolor=rgba, edgecolor="none", zorder=4 + z)
                        )
                for line in _lines(geom):
                    xs, ys = zip(*(fx(x, y) for x, y in line.coords), strict=True)
                    ax.plot(
                        xs,
                        ys,
                        color=opts["color"],
                        linewidth=opts["weight"] * 0.8,
                        alpha=opts["opacity"],
                        linestyle=_dash(opts.get("dashArray")),
                        zorder=4 + z,
                    )
                if kind == "control" and actor not in seen_actor:
                    seen_actor.add(actor)
                    handles.append(
                        Patch(
                            facecolor=(
                                *matplotlib.colors.to_rgb(opts["fillColor"]),
                                opts["fillOpacity"],
                            ),
                            edgecolor=opts["color"],
                        )
                    )
                    labels.append(actor_style(actor).label if actor else "Control")
            if kind == "control":
                continue
            opts = style.leaflet()
            if kind in ("road", "line", "front_line"):
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=opts["color"],
                        linewidth=opts["weight"] * 0.8,
                        linestyle=_dash(opts.get("dashArray")),
                    )
                )
            elif kind == "site":
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="D",
                        linestyle="none",
                        color="#888888",
                        markeredgecolor="#111111",
                    )
                )
            else:
                handles.append(
                    Patch(
                        facecolor=(
                            *matplotlib.colors.to_rgb(opts["fillColor"]),
                            max(opts["fillOpacity"], 0.1),
                        ),
                        edgecolor=opts["color"],
                        linestyle=(0, (4, 2)),
                    )
                )
            labels.append(style.label)

        near = (east - west) * k * 0.02
        marked = [fx(p.lon, p.lat) for p in place_list]
        for name, lat, lon, _ in base.towns:
            x, y = fx(lon, lat)
            if any(abs(x - px) < near and abs(y - py) < near for px, py in marked):
                continue  # a place marker (with its own label) is there
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

        place_handles: list[Any] = []
        place_labels: list[str] = []
        for precision in sorted({p.precision for p in place_list}):
            s = PLACE_STYLES[precision]
            mine = [p for p in place_list if p.precision == precision]
            xy = [fx(p.lon, p.lat) for p in mine]
            ax.scatter(
                [a for a, _ in xy],
                [b for _, b in xy],
                s=(s["radius"] * 1.6) ** 2,
                facecolors=[(*matplotlib.colors.to_rgb(s["fillColor"]), s["fillOpacity"])],
                edgecolors=s["color"],
                linewidths=1.2,
                zorder=30,
            )
            place_handles.append(
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
            place_labels.append(s["label"])
        for place in place_list[:label_limit]:
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

        # Scale bar (km) in the lower left corner.
        km_per_deg = 111.32
        span_km = (east - west) * k * km_per_deg
        bar = _nice_km(span_km / 5)
        x0 = west * k + (east - west) * k * 0.04
        y0 = south + (north - south) * 0.04
        ax.plot(
            [x0, x0 + bar / km_per_deg],
            [y0, y0],
            color="#111111",
            linewidth=3,
            solid_capstyle="butt",
            zorder=40,
        )
        _twice(
            ax.text,
            x0,
            y0 + (north - south) * 0.012,
            f"{bar:g} km",
            fontsize=8,
            zorder=40,
        )

        if handles or place_handles:
            legend = ax.legend(
                place_handles + handles,
                place_labels + labels,
                loc="lower right",
                fontsize=7.5,
                framealpha=0.92,
            )
            legend.set_zorder(50)

        heading = clean_text(title) if title is not None else clean_text(theatre.title)
        fig.text(
            0.02,
            1 - 0.18 / fig_h,
            heading,
            fontsize=14,
            fontweight="bold",
            va="top",
            parse_math=False,
        )
        n = len(place_list)
        sub = (f"As of {day}" if day else "Date not given") + f" · {n} place"
        sub += ("s" if n != 1 else "") + " named"
        if articles:
            sub += f" in {len(articles)} article" + ("s" if len(articles) != 1 else "")
        fig.text(
            0.02, 1 - 0.52 / fig_h, sub, fontsize=9.5, color="#444444", va="top", parse_math=False
        )
        fig.text(
            0.02,
            (foot - 0.12) / fig_h,
            "\n".join(credit_lines),
            fontsize=6.5,
            color="#555555",
            va="top",
            parse_math=False,
        )

        out = io.BytesIO()
        fig.savefig(out, format=fmt, metadata=_METADATA[fmt], dpi=dpi)
    return out.getvalue()
