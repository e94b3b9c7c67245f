"""The legend: what a map's legend lists, for the page and the static image alike.

:func:`legend_entries` decides the entries — one per marker style and area
style in use, per actor of the areas of control, per zone, per other layer
kind, per sort of site and its actor, and the base map's towns — each with the
very style the map draws it with (:mod:`maps.styles`), so that a legend symbol
is always the symbol on the map. :func:`legend_html` draws them as the page's
collapsible legend (``templates/map.html``); :mod:`maps._static` draws the
same entries with matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..theatres import actor as actor_facts
from ._resources import template_module
from ._rows import Feature, Place
from .styles import (
    FRONT_CASING,
    OUTLINE_STYLE,
    PLACE_STYLES,
    PLANE,
    actor_style,
    faction_label,
    feature_style,
    kind_style,
    layer_kinds,
    site_symbol,
    zone_patterns,
)

__all__ = [
    "LegendEntry",
    "legend_entries",
    "legend_html",
    "legend_kinds",
    "sources_of",
    "timed_legend_html",
]

#: Layer kinds drawn as lines (the others are areas, or sites drawn as symbols).
LINE_KINDS = ("road", "line", "front_line")


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: what it says and how its symbol is drawn.

    ``shape`` is one of ``circle`` (a place marker), ``area_label`` (a region
    named), ``outline`` (a country named), ``box`` (an area), ``line``,
    ``front`` (a line over a white casing), ``triangle``, ``plane``,
    ``square``, ``diamond`` (sites) and ``town`` (a base-map town); ``style``
    holds the Leaflet path options the map draws it with.
    """

    label: str
    shape: str
    style: dict[str, Any] = field(default_factory=dict)


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
    """The distinct sources of the features, in order of first use.

    A source that another one begins with and goes on from is left out (a
    front line's source is its zones' source and how the line was derived
    from them: the credits say it once).
    """
    sources: list[str] = []
    for feature in features:
        if feature.source and feature.source not in sources:
            sources.append(feature.source)
    return [s for s in sources if not any(t != s and t.startswith(s.rstrip(". ")) for t in sources)]


def _zone_entries(
    features: list[Feature], kind: str, patterns: dict[str, int] | None = None
) -> list[LegendEntry]:
    """One entry per zone (series), named after its first feature, in pattern order
    (``patterns``: those the map draws with, by default those of ``features``)."""
    zones = [f for f in features if f.kind == kind]
    if patterns is None:
        patterns = zone_patterns([f.series for f in zones])
    first: dict[str, Feature] = {}
    for f in zones:
        first.setdefault(f.series, f)
    return [
        LegendEntry(
            first[s].name or kind_style(kind).label,
            "box",
            feature_style(kind, first[s].actor, patterns[s]),
        )
        for s in sorted(first, key=lambda s: patterns[s])
    ]


def _site_entries(features: list[Feature], day: Any = None) -> list[LegendEntry]:
    """One entry per sort of site and actor, in order of first use."""
    seen: dict[tuple[str, str], None] = {}
    for f in features:
        if f.kind == "site":
            seen.setdefault((f.subkind, f.actor), None)
    out = []
    for subkind, actor in seen:
        shape, label = site_symbol(subkind)
        if actor:
            label += f" ({actor_style(actor, day).label})"
        out.append(LegendEntry(label, shape, feature_style("site", actor)))
    return out


def _layer_entries(
    features: list[Feature], day: Any = None, patterns: dict[str, int] | None = None
) -> list[LegendEntry]:
    out: list[LegendEntry] = []
    for kind, actors in legend_kinds(features).items():
        if kind == "control":
            out += _control_entries(features, actors, day)
        elif kind == "zone":
            out += _zone_entries(features, kind, patterns)
        elif kind == "site":
            out += _site_entries(features, day)
        elif kind == "front_line":
            style = dict(feature_style(kind, ""), casing=FRONT_CASING)
            out.append(LegendEntry(kind_style(kind).label, "front", style))
        else:
            shape = "line" if kind in LINE_KINDS else "box"
            out.append(LegendEntry(kind_style(kind).label, shape, feature_style(kind, "")))
    return out


def _control_entries(features: list[Feature], actors: list[str], day: Any) -> list[LegendEntry]:
    """Each actor's areas, then the factions within them that the features name
    (the actor's colour with the faction's outline), in the order of theatres.json."""
    factions: dict[str, set[str]] = {}
    for f in features:
        if f.kind == "control" and f.faction:
            factions.setdefault(f.actor, set()).add(f.faction)
    out = []
    for a in actors:
        label = actor_style(a, day).label if a else "Control (actor not given)"
        out.append(LegendEntry(label, "box", feature_style("control", a)))
        facts = actor_facts(a) if a else None
        listed = list(facts.factions) if facts is not None else []
        found = factions.get(a, set())
        for faction in [x for x in listed if x in found] + sorted(found - set(listed)):
            style = feature_style("control", a, faction=faction)
            out.append(LegendEntry(f"… {faction_label(a, faction)}", "box", style))
    return out


def _place_entries(places: Iterable[Place]) -> list[LegendEntry]:
    points = {p.precision for p in places if not p.area}
    out = [
        LegendEntry(PLACE_STYLES[k]["label"], "circle", PLACE_STYLES[k])
        for k in sorted(points)
        if k in (1, 2)
    ]
    areas = [p for p in places if p.area]
    if any(p.kind != "country" for p in areas):
        out.append(LegendEntry("Region named (an area, no point)", "area_label", PLACE_STYLES[3]))
    if any(p.kind == "country" for p in areas):
        out.append(LegendEntry("Country named (its outline)", "outline", OUTLINE_STYLE))
    return out


def legend_entries(
    places: Iterable[Place],
    features: list[Feature],
    *,
    towns: bool = True,
    day: Any = None,
    patterns: dict[str, int] | None = None,
) -> list[LegendEntry]:
    """The entries of a map's legend, in order: the places, the layers, the base map.

    Parameters
    ----------
    places : iterable of Place
        The places on the map (their precisions and areas decide the entries).
    features : list of Feature
        The layer features on the map.
    towns : bool
        List the base map's town symbol.
    day : date or ISO string, optional
        The day the map shows: actors are labelled as they were called then.
    patterns : dict, optional
        The outline pattern of each zone series as the map draws it
        (:func:`maps.styles.zone_patterns` of every zone the map carries); by
        default those of ``features``.

    Returns
    -------
    list of LegendEntry
    """
    entries = _place_entries(list(places)) + _layer_entries(features, day, patterns)
    if towns:
        entries.append(LegendEntry("Town or village (base map)", "town", {"color": "#555555"}))
    return entries


def plane_points(size: float) -> str:
    """The points of the air-base plane for an SVG ``<polygon>`` of ``size`` px."""
    half = size / 2
    return " ".join(f"{half + x * half * 0.62:.1f},{half - y * half * 0.62:.1f}" for x, y in PLANE)


def legend_html(places: Iterable[Place], features: list[Feature], day: Any = None) -> str:
    """The page legend: :func:`legend_entries` as swatches, and the layers' sources.

    Parameters
    ----------
    places : iterable of Place
        The places on the map.
    features : list of Feature
        The layer features on the map.
    day : date or ISO string, optional
        The day the map shows: actors are labelled as they were called then.

    Returns
    -------
    str
        HTML, every text escaped.
    """
    entries = legend_entries(places, features, day=day)
    module = template_module("map.html")
    return str(module.legend(entries, sources_of(features), plane_points(16)))


def _entry_key(entry: LegendEntry) -> tuple[str, str, str]:
    return (entry.label, entry.shape, repr(sorted(entry.style.items())))


def timed_legend_html(
    places: Iterable[Place], features: list[Feature], days: list[str | None], shown: int
) -> str:
    """The legend of a map that carries several dates: only what is on screen.

    Each state of the map (``days[k]``: the first day of the k-th state, the
    features valid then) has its :func:`legend_entries`; the legend holds
    every entry of some state, in order of first appearance, each marked with
    the states it belongs to (``data-fm-s="0 2 3"``), in the order of each
    state's legend (an entry new in a state follows the entry before it there).
    The page shows the
    entries of the state on screen; here those of state ``shown`` are shown
    and the others ``hidden``, so that the page is right before any script.

    Parameters
    ----------
    places : iterable of Place
        The places on the map.
    features : list of Feature
        Every layer feature the map carries.
    days : list of str or None
        The first day of each state, in order (ISO; one None: a map without dates).
    shown : int
        The state the page opens on.

    Returns
    -------
    str
        HTML, every text escaped.
    """
    places = list(places)
    patterns = zone_patterns([f.series for f in features if f.kind == "zone"])
    entries: dict[tuple[str, str, str], LegendEntry] = {}
    states: dict[tuple[str, str, str], list[int]] = {}
    order: list[tuple[str, str, str]] = []  # each state's order kept: a new entry follows
    for k, day in enumerate(days):  # the entry before it in its state
        active = [f for f in features if f.valid_on(day)]
        at = -1
        for entry in legend_entries(places, active, day=day, patterns=patterns):
            key = _entry_key(entry)
            if key in entries:
                at = order.index(key)
            else:
                entries[key] = entry
                at += 1
                order.insert(at, key)
            if k not in states.setdefault(key, []):
                states[key].append(k)
    marks = [" ".join(map(str, states[key])) for key in order]
    hidden = [shown not in states[key] for key in order]
    module = template_module("map.html")
    listed = [entries[key] for key in order]
    return str(module.legend(listed, sources_of(features), plane_points(16), marks, hidden))
