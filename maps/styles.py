"""How maps draw things: layer kinds in order, their styles, actor colours, markers.

Theatre facts (bounds, view, actors with their labels and colours) come from
``theatres.json`` through :mod:`frontmap.theatres`; this module only decides how
they are *drawn*.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import Any

from ..theatres import actor_label, known_actors

__all__ = [
    "BORDER_COLOR",
    "COAST_COLOR",
    "LAND_COLOR",
    "SEA_COLOR",
    "ActorStyle",
    "KindStyle",
    "LAYER_KINDS",
    "PLACE_STYLES",
    "actor_style",
    "kind_style",
    "layer_color",
    "layer_kinds",
    "place_kind_label",
]


#: Colours of the base map: sea, land, coastline and borders.
SEA_COLOR = "#c6dbe9"
LAND_COLOR = "#f4f1ea"
COAST_COLOR = "#9fb4c4"
BORDER_COLOR = "#7d7d7d"

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
    "control": KindStyle("control", _KIND_LABELS["control"], "#999999", 1.0, 0.8, 0.3),
    "zone": KindStyle("zone", _KIND_LABELS["zone"], "#4d4d4d", 2.0, 0.9, 0.05, "8 5"),
    "corridor": KindStyle("corridor", _KIND_LABELS["corridor"], "#b8860b", 1.5, 0.9, 0.2, "3 4"),
    "road": KindStyle("road", _KIND_LABELS["road"], "#6b5b45", 3.0, 0.9, 0.0, None, False),
    "line": KindStyle("line", _KIND_LABELS["line"], "#5e3c99", 2.5, 0.9, 0.0, "10 6", False),
    "front_line": KindStyle(
        "front_line", _KIND_LABELS["front_line"], "#c00000", 3.5, 1.0, 0.0, None, False
    ),
    "site": KindStyle("site", _KIND_LABELS["site"], "#333333", 1.5, 1.0, 0.9),
}

#: Styles of the place markers, by ``precision`` (1 place itself, 2 part of or
#: near, 3 region). ``radius`` in pixels.
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
        "label": "Region named (approximate)",
        "radius": 10,
        "color": "#111111",
        "weight": 2,
        "fillColor": "#111111",
        "fillOpacity": 0.15,
        "dashArray": "4 3",
    },
}


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


def layer_kinds() -> tuple[str, ...]:
    """Layer kinds drawn on a map, bottom to top."""
    return LAYER_KINDS


def place_kind_label(kind: str) -> str:
    """How a place's gazetteer kind is shown (``populated_place`` → ``populated place``)."""
    return kind.replace("_", " ") or "place"
