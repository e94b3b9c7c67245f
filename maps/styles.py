"""How maps draw things: layer kinds in order, their styles, actor colours, markers.

Theatre facts (bounds, view, actors with their labels and colours) come from
``theatres.json`` through :mod:`frontmap.theatres`; this module only decides how
they are *drawn*. The actor colours there are chosen to stay apart for readers
with a colour-vision deficiency (``tests/maps/test_styles.py`` simulates
protanopia, deuteranopia and tritanopia on the fills as drawn); nothing else
on a map uses them: clusters are slate grey (:data:`CLUSTER_COLOR`), zones
without an actor take the outline colours of :data:`ZONE_PATTERNS`.

Every drawn thing has one style, used by the page, its legend, the static
image and its legend alike: :func:`feature_style` for a layer feature,
:data:`PLACE_STYLES` for the markers, :func:`site_symbol` for the shape of a
site (observation post, air base...).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import Any

from ..theatres import actor as actor_facts
from ..theatres import actor_label, known_actors

__all__ = [
    "AREA_LABEL_COLOR",
    "BORDER_COLOR",
    "CLUSTER_COLOR",
    "COAST_COLOR",
    "EVENT_STYLES",
    "EventStyle",
    "event_kind",
    "FRONT_CASING",
    "LAND_COLOR",
    "OUTLINE_STYLE",
    "SEA_COLOR",
    "SITE_SYMBOLS",
    "ZONE_PATTERNS",
    "ActorStyle",
    "KindStyle",
    "LAYER_KINDS",
    "PLACE_STYLES",
    "actor_style",
    "feature_style",
    "kind_style",
    "layer_color",
    "layer_kinds",
    "place_kind_label",
    "site_symbol",
    "zone_patterns",
]


#: Colours of the base map: sea, land, coastline and borders.
SEA_COLOR = "#c6dbe9"
LAND_COLOR = "#f4f1ea"
COAST_COLOR = "#9fb4c4"
BORDER_COLOR = "#7d7d7d"
#: Cluster bubbles: a slate grey that no actor uses.
CLUSTER_COLOR = "#455a64"
#: Labels of the areas (regions, countries) the articles name.
AREA_LABEL_COLOR = "#3c3c50"
#: The outline of a country the articles name.
OUTLINE_STYLE: dict[str, Any] = {
    "color": "#3c3c50",
    "weight": 3.0,
    "opacity": 0.75,
    "fill": True,
    "fillColor": "#3c3c50",
    "fillOpacity": 0.04,
    "dashArray": "1 5",
    "lineCap": "round",
}
#: The white line under a front line, so that it reads on any fill.
FRONT_CASING: dict[str, Any] = {"color": "#ffffff", "weight": 6.0, "opacity": 0.85}

#: Layer kinds in drawing order, bottom to top.
LAYER_KINDS: tuple[str, ...] = (
    "control",
    "zone",
    "corridor",
    "road",
    "line",
    "front_line",
    "site",
)

_KIND_LABELS = {
    "control": "Areas of control",
    "zone": "Zones",
    "corridor": "Corridors",
    "road": "Roads",
    "line": "Lines (ceasefire, demarcation)",
    "front_line": "Front lines",
    "site": "Sites",
}


@dataclass(frozen=True)
class ActorStyle:
    """How an actor is drawn: fill/stroke colour and legend label."""

    key: str
    label: str
    color: str


@dataclass(frozen=True)
class KindStyle:
    """Leaflet path options for one layer kind (colour may come from the actor)."""

    kind: str
    label: str
    color: str
    weight: float
    opacity: float
    fill_opacity: float
    dash_array: str | None = None
    fill: bool = True

    def leaflet(self, color: str | None = None) -> dict[str, Any]:
        """Leaflet path options, optionally with the actor's colour."""
        opts: dict[str, Any] = {
            "color": color or self.color,
            "weight": self.weight,
            "opacity": self.opacity,
            "fill": self.fill,
            "fillColor": color or self.color,
            "fillOpacity": self.fill_opacity,
        }
        if self.dash_array:
            opts["dashArray"] = self.dash_array
        return opts


_ACTORS: dict[str, ActorStyle] = {
    a.key: ActorStyle(a.key, a.label, a.color) for a in known_actors().values()
}

# Colours for actors not listed above: picked by a stable hash of the key.
_SPARE = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#b3b3b3", "#a6761d")

_KINDS: dict[str, KindStyle] = {
    "control": KindStyle("control", _KIND_LABELS["control"], "#999999", 1.0, 0.8, 0.35),
    "zone": KindStyle("zone", _KIND_LABELS["zone"], "#3d3d3d", 2.2, 0.9, 0.05, "10 6"),
    "corridor": KindStyle("corridor", _KIND_LABELS["corridor"], "#b8860b", 1.5, 0.9, 0.2, "3 4"),
    "road": KindStyle("road", _KIND_LABELS["road"], "#6b5b45", 3.0, 0.9, 0.0, None, False),
    "line": KindStyle("line", _KIND_LABELS["line"], "#5e3c99", 2.5, 0.9, 0.0, "10 6", False),
    "front_line": KindStyle(
        "front_line", _KIND_LABELS["front_line"], "#c00000", 3.5, 1.0, 0.0, None, False
    ),
    "site": KindStyle("site", _KIND_LABELS["site"], "#333333", 1.5, 1.0, 0.9),
}

#: Outline patterns of the zones of one map, given in turn to each zone (a
#: series of periods) in the order of their ids: (colour, dash pattern,
#: weight). A zone with an actor is drawn in the actor's colour with its pattern.
ZONE_PATTERNS: tuple[tuple[str, str, float], ...] = (
    ("#3d3d3d", "10 6", 2.2),
    ("#6a3d9a", "2 6", 3.0),
    ("#8c510a", "14 5 3 5", 2.2),
    ("#1f4e79", "5 4", 2.0),
    ("#5b5b5b", "1 4", 3.0),
)

#: Styles of the place markers, by ``precision`` (1 place itself, 2 part of or
#: near). ``radius`` in pixels. Precision 3 (a region) is not a marker but an
#: area: its entry describes the legend's area label.
PLACE_STYLES: dict[int, dict[str, Any]] = {
    1: {
        "label": "Place named in the text",
        "radius": 6,
        "color": "#ffffff",
        "weight": 2,
        "fillColor": "#111111",
        "fillOpacity": 1.0,
    },
    2: {
        "label": "Place near or part of the one named",
        "radius": 6,
        "color": "#111111",
        "weight": 2,
        "fillColor": "#9e9e9e",
        "fillOpacity": 1.0,
        "dashArray": "2 2",
    },
    3: {
        "label": "Region or country named (an area, no point)",
        "radius": 0,
        "color": AREA_LABEL_COLOR,
        "weight": 0,
        "fillColor": AREA_LABEL_COLOR,
        "fillOpacity": 0.0,
    },
}

#: The shape a site is drawn with, by its subkind (see
#: :func:`maps._rows.feature_subkind`), and its legend label.
SITE_SYMBOLS: dict[str, tuple[str, str]] = {
    "observation_post": ("triangle", "Observation posts"),
    "air_base": ("plane", "Air bases"),
    "airport": ("plane", "Airports"),
    "military_base": ("square", "Military bases"),
    "naval_base": ("square", "Naval bases"),
    "port": ("square", "Ports"),
    "crossing": ("diamond", "Crossings"),
    "": ("diamond", "Sites"),
}

#: A plane seen from above, nose up, in a unit box (-1..1; y up): the air base symbol.
PLANE: tuple[tuple[float, float], ...] = (
    (0.0, 1.0),
    (0.13, 0.78),
    (0.13, 0.28),
    (0.95, -0.14),
    (0.95, -0.34),
    (0.13, -0.1),
    (0.1, -0.6),
    (0.36, -0.8),
    (0.36, -0.95),
    (0.0, -0.84),
    (-0.36, -0.95),
    (-0.36, -0.8),
    (-0.1, -0.6),
    (-0.13, -0.1),
    (-0.95, -0.34),
    (-0.95, -0.14),
    (-0.13, 0.28),
    (-0.13, 0.78),
)


def actor_style(actor: str | None, day: Any = None) -> ActorStyle:
    """Style of an actor key (``government``, ``sdf``, ``lna``...).

    Parameters
    ----------
    actor : str or None
        Actor key as found in the layers' ``actor`` column.
    day : date or ISO string, optional
        The label is the actor's on that day (``gna``: the GNU from 15 March 2021,
        ``government``: the transitional government from 8 December 2024).

    Returns
    -------
    ActorStyle
        A known actor's style, or a stable colour picked from a spare palette
        for an unknown key (the label is then the key itself).
    """
    if not actor:
        return ActorStyle("", "No actor", "#999999")
    key = str(actor).strip().lower()
    if key in _ACTORS:
        if day is None:
            return _ACTORS[key]
        return dataclasses.replace(_ACTORS[key], label=actor_label(key, day))
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return ActorStyle(key, str(actor), _SPARE[digest[0] % len(_SPARE)])


def kind_style(kind: str) -> KindStyle:
    """Style of a layer kind (``control``, ``zone``, ``front_line``...).

    Parameters
    ----------
    kind : str
        A layer kind; unknown kinds are drawn like zones.

    Returns
    -------
    KindStyle
    """
    if kind in _KINDS:
        return _KINDS[kind]
    base = _KINDS["zone"]
    return KindStyle(
        kind,
        str(kind).replace("_", " ").capitalize(),
        base.color,
        base.weight,
        base.opacity,
        base.fill_opacity,
        base.dash_array,
    )


def layer_color(kind: str, actor: str) -> str | None:
    """The colour a layer feature is drawn in: its actor's, or None for its kind's.

    Roads and front lines keep their kind's colour whoever holds them.
    """
    return actor_style(actor).color if actor and kind not in ("road", "front_line") else None


def zone_patterns(series: list[str]) -> dict[str, int]:
    """The pattern (an index into :data:`ZONE_PATTERNS`) of each zone series of a map.

    Parameters
    ----------
    series : list of str
        The series (``layer``, else id) of the map's zones, in any order.

    Returns
    -------
    dict
        Series → pattern, given in turn in sorted order, so that the same zones
        are drawn the same way whatever the order of the features.
    """
    return {s: k % len(ZONE_PATTERNS) for k, s in enumerate(sorted(set(series)))}


def feature_style(
    kind: str, actor: str, pattern: int | None = None, faction: str = ""
) -> dict[str, Any]:
    """Leaflet path options of one layer feature: its kind's style in its actor's colour.

    Parameters
    ----------
    kind : str
        The feature's kind.
    actor : str
        Its actor key ("" for none).
    pattern : int, optional
        For a zone, its pattern (:func:`zone_patterns`): the zone's outline
        colour (unless it has an actor), dashes and weight.
    faction : str, optional
        For an area of control, the faction within the actor that holds it: the
        area keeps the actor's colour, with the faction's outline
        (:func:`faction_outline`).

    Returns
    -------
    dict
        Leaflet path options (``color``, ``weight``, ``dashArray``...).
    """
    opts = kind_style(kind).leaflet(layer_color(kind, actor))
    if kind == "zone" and pattern is not None:
        color, dash, weight = ZONE_PATTERNS[pattern % len(ZONE_PATTERNS)]
        if not actor:
            opts["color"] = opts["fillColor"] = color
        opts["dashArray"] = dash
        opts["weight"] = weight
        opts["lineCap"] = "round" if dash.startswith(("1 ", "2 ")) else "butt"
    if kind == "control" and faction:
        opts.update(faction_outline(actor, faction))
    return opts


#: Outlines of the factions within an actor's areas (data/theatres.json lists each
#: actor's factions; the n-th takes the n-th pattern): the fill stays the actor's
#: colour, so the actor keys and colours do not change, and the outline tells the
#: factions apart in any colour vision and in black-and-white print.
FACTION_DASHES = ("8 4", "2 4", "12 4 2 4", "1 7")
FACTION_WEIGHT = 2.2


def faction_label(actor: str, faction: str) -> str:
    """The legend label of a faction of an actor (the key itself when not listed)."""
    facts = actor_facts(actor) if actor else None
    return facts.factions.get(faction, faction) if facts is not None else faction


def faction_outline(actor: str, faction: str) -> dict[str, Any]:
    """The outline options of a faction's areas within its actor's (empty for none)."""
    if not faction:
        return {}
    facts = actor_facts(actor) if actor else None
    keys = list(facts.factions) if facts is not None else []
    n = keys.index(faction) if faction in keys else len(keys)
    return {
        "dashArray": FACTION_DASHES[n % len(FACTION_DASHES)],
        "weight": FACTION_WEIGHT,
        "opacity": 1.0,
        "lineCap": "butt",
    }


def site_symbol(subkind: str) -> tuple[str, str]:
    """The shape of a site (``triangle``, ``plane``, ``square``, ``diamond``) and its label."""
    return SITE_SYMBOLS.get(subkind, SITE_SYMBOLS[""])


def layer_kinds() -> tuple[str, ...]:
    """Layer kinds drawn on a map, bottom to top."""
    return LAYER_KINDS


def place_kind_label(kind: str) -> str:
    """How a place's gazetteer kind is shown (``populated_place`` → ``populated place``)."""
    return kind.replace("_", " ") or "place"


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class EventStyle:
    """How events of one kind are drawn: a label, a colour, a shape and a glyph.

    The colours are the Okabe–Ito palette (told apart with every common colour
    vision deficiency); the shape and the glyph in it tell the kinds apart
    without colour, and the events' box names each kind in words.
    """

    label: str
    color: str
    shape: str  # tri_down, burst, hexagon, diamond, flag, circle, square, pill, dot
    glyph: str
    ink: str  # the glyph's colour: white on dark fills, black on light ones


#: The kinds of event drawn, in the order of the events' box, each with its style.
EVENT_STYLES: dict[str, EventStyle] = {
    "strike": EventStyle("Air or drone strike", "#D55E00", "tri_down", "A", "#ffffff"),
    "shelling": EventStyle("Shelling, artillery, missiles", "#E69F00", "burst", "S", "#000000"),
    "explosion": EventStyle("Bomb, mine or chemical attack", "#CC79A7", "hexagon", "B", "#000000"),
    "clash": EventStyle("Armed clash", "#0072B2", "diamond", "C", "#ffffff"),
    "capture": EventStyle("Territory taken or handed over", "#009E73", "flag", "T", "#ffffff"),
    "agreement": EventStyle("Agreement", "#56B4E9", "circle", "=", "#000000"),
    "civilians": EventStyle("Violence against civilians", "#000000", "square", "V", "#ffffff"),
    "protest": EventStyle("Protest or riot", "#F0E442", "pill", "P", "#000000"),
    "other": EventStyle("Other development", "#9a9a9a", "dot", "•", "#000000"),
}

_EVENT_KINDS = {
    "Air/drone strike": "strike",
    "Shelling/artillery/missile attack": "shelling",
    "Grenade": "shelling",
    "Remote explosive/landmine/IED": "explosion",
    "Suicide bomb": "explosion",
    "Chemical weapon": "explosion",
    "Armed clash": "clash",
    "Government regains territory": "capture",
    "Non-state actor overtakes territory": "capture",
    "Non-violent transfer of territory": "capture",
    "Agreement": "agreement",
    "Attack": "civilians",
    "Abduction/forced disappearance": "civilians",
    "Sexual violence": "civilians",
    "Peaceful protest": "protest",
    "Protest with intervention": "protest",
    "Excessive force against protesters": "protest",
    "Violent demonstration": "protest",
    "Mob violence": "protest",
}


def event_kind(sub_event_type: str | None) -> str:
    """The kind of event drawn (a key of :data:`EVENT_STYLES`) for an ACLED sub-event type.

    >>> event_kind("Air/drone strike"), event_kind("Arrests")
    ('strike', 'other')
    """
    return _EVENT_KINDS.get(sub_event_type or "", "other")
