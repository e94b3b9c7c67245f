"""The legend: which entries a map's legend has, and the HTML legend of the page.

:func:`legend_kinds` decides which layer kinds (and, for areas of control,
which actors) a legend lists, for the page and the static image alike;
:func:`legend_html` draws the page's legend (``templates/map.html``): a
swatch per marker style and layer, and the sources of the layers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._resources import template_module
from ._rows import Feature
from .styles import PLACE_STYLES, actor_style, kind_style, layer_kinds

__all__ = ["legend_html", "legend_kinds", "sources_of"]

#: Layer kinds drawn as lines (the others are areas, or sites drawn as diamonds).
LINE_KINDS = ("road", "line", "front_line")


def legend_kinds(features: Iterable[Feature]) -> dict[str, list[str]]:
    """The layer kinds present, in drawing order, each with its actors in order of first use.

    Kinds of :func:`maps.styles.layer_kinds` come first in that order, then any
    other kind in alphabetical order. An actor is ``""`` when a feature names none.
    """
    seen: dict[str, list[str]] = {}
    for feature in features:
        actors = seen.setdefault(feature.kind, [])
        if feature.actor not in actors:
            actors.append(feature.actor)
    kinds = list(layer_kinds()) + sorted(k for k in seen if k not in layer_kinds())
    return {kind: seen[kind] for kind in kinds if kind in seen}


def sources_of(features: Iterable[Feature]) -> list[str]:
    """The distinct sources of the features, in order of first use."""
    sources: list[str] = []
    for feature in features:
        if feature.source and feature.source not in sources:
            sources.append(feature.source)
    return sources


def _swatch(shape: str, opts: dict[str, Any], label: str) -> dict[str, Any]:
    """What the legend's SVG swatch of one entry is drawn with (Leaflet path options)."""
    fill_opacity = opts.get("fillOpacity", 1)
    return {
        "shape": shape,
        "label": label,
        "stroke": opts.get("color", "#000"),
        "fill": opts.get("fillColor", "none") if opts.get("fill", True) else "none",
        "fill_opacity": max(fill_opacity, 0.15) if shape == "box" else fill_opacity,
        "width": opts.get("weight", 1),
        "dash": opts.get("dashArray"),
        "radius": min(opts.get("radius", 6), 8),
    }


def _layer_swatches(kind: str, actors: list[str], day: Any = None) -> list[dict[str, Any]]:
    style = kind_style(kind)
    if kind == "control":
        return [
            _swatch(
                "box",
                style.leaflet(actor_style(a).color if a else None),
                actor_style(a, day).label if a else "Control (actor not given)",
            )
            for a in actors
        ]
    if kind == "site":
        colors = {actor_style(a).color if a else style.color for a in actors}
        return [_swatch("diamond", style.leaflet(sorted(colors)[0]), style.label)]
    shape = "line" if kind in LINE_KINDS else "box"
    return [_swatch(shape, style.leaflet(), style.label)]


def legend_html(precisions: set[int], features: list[Feature], day: Any = None) -> str:
    """The page legend: marker styles in use, layer kinds and actors, and the layers' sources.

    Parameters
    ----------
    precisions : set of int
        The ``precision`` of the places on the map (1, 2, 3).
    features : list of Feature
        The layer features on the map.
    day : date or ISO string, optional
        The day the map shows: actors are labelled as they were called then.

    Returns
    -------
    str
        HTML, every text escaped.
    """
    entries = [
        _swatch("circle", PLACE_STYLES[p], PLACE_STYLES[p]["label"]) for p in sorted(precisions)
    ]
    for kind, actors in legend_kinds(features).items():
        entries += _layer_swatches(kind, actors, day)
    return str(template_module("map.html").legend(entries, sources_of(features)))
