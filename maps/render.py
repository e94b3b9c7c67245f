"""Folium maps of a theatre: places named in articles against zones and front lines.

:func:`render_theatre` returns a :class:`folium.Map` that is

* offline: Leaflet and Leaflet.markercluster are inlined from the installed
  ``xstatic-*`` packages, there is no tile layer (the base map is Natural Earth
  land and borders drawn as vectors, with GeoNames town labels), and no
  jQuery/Bootstrap/icon fonts are used;
* deterministic: element ids are derived from the map's content, so rendering
  the same input twice gives byte-identical HTML;
* safe with hostile text: article strings go into the page as JSON data
  (:func:`maps._html.script_json`: no ``<`` and no Jinja opener in it, never
  parsed as a template) and the page inserts them with ``textContent``; the
  few HTML strings in the data (title, legend, filter, attribution, layer
  tooltips) come from ``templates/map.html``, which escapes every value;
* compact: a popup is built in the page when it is first opened, from a few
  numbers and indices into shared tables of strings and sentences (a sentence
  naming five places is stored once; a big map packs its quotes), so 10,000
  places make a ~1.3 MB page.

One marker is drawn per distinct place (same gazetteer id, or same name and
coordinates when there is none); its popup quotes every sentence that named it
(up to a limit), grouped by article. Use :func:`place_count` for the number of
markers a DataFrame gives.

:func:`render_theatre` checks its inputs, :func:`_map_data` computes what the
map shows as plain data, and :func:`_folium_map` wraps that data in a folium
map (see ``_elements.py`` for why folium is only the container).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ..errors import InputError, RenderError
from ..theatres import Theatre, theatre_extent
from . import _assets
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION, Basemap, Box, basemap, view_box
from ._elements import Draw, FrontFigure, FrontMap, Inline
from ._events import events_data
from ._html import StringTable, clean_text, esc, safe_url, script_data, script_json
from ._ids import content_key, deterministic_ids
from ._legend import legend_kinds, plane_points, sources_of, timed_legend_html
from ._popups import popup_data
from ._resources import static_text, template_module
from ._rows import (
    Article,
    Feature,
    Place,
    layer_features,
    map_day,
    mention_rows,
    places_and_articles,
)
from .styles import (
    BORDER_COLOR,
    COAST_COLOR,
    FRONT_CASING,
    LAND_COLOR,
    OUTLINE_STYLE,
    PLACE_STYLES,
    SEA_COLOR,
    actor_style,
    faction_label,
    feature_style,
    kind_style,
    site_symbol,
    zone_patterns,
)

__all__ = ["render_theatre", "place_count", "map_info", "MapInfo", "SEA_COLOR", "LAND_COLOR"]

#: Cluster markers automatically above this many places.
CLUSTER_ABOVE = 150

#: Above this many bytes of quotes (sentences and their per-article groups), a
#: map packs them: gzip, base64, unpacked by the page once it is drawn.
PACK_ABOVE = 256_000

_PRECISION_LABELS = {1: "the place itself", 2: "part of or near it", 3: "an area"}

_ONLINE = {
    "label": "OpenStreetMap tiles (online)",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "&copy; OpenStreetMap contributors",
}


@dataclass(frozen=True)
class MapInfo:
    """What a rendered map holds, for pages that link into it (the report).

    Attributes
    ----------
    map_id : str
        The id of the map's element (``map.get_name()``), also the key of the
        map in the page's ``frontmap.maps`` registry.
    theatre_id : str
        The theatre drawn ("" when the theatre has no id).
    heading : str
        The map's title (unescaped).
    as_of : str or None
        The date shown (ISO).
    place_keys : tuple of str
        One key per marker, in marker order (see :func:`maps._rows.place_key`).
    zone_names : dict
        Zone id to zone name, for the layers on the map.
    """

    map_id: str
    theatre_id: str
    heading: str
    as_of: str | None
    place_keys: tuple[str, ...]
    zone_names: dict[str, str]


def map_info(m: folium.Map) -> MapInfo:
    """The :class:`MapInfo` of a map made by :func:`render_theatre`.

    Parameters
    ----------
    m : folium.Map
        The map.

    Returns
    -------
    MapInfo

    Raises
    ------
    frontmap.errors.RenderError
        If ``m`` was not made by :func:`render_theatre`.
    """
    info = getattr(m, "_frontmap_info", None)
    if not isinstance(info, MapInfo):
        raise RenderError("not a map made by maps.render_theatre")
    return info


def place_count(places: pd.DataFrame | None, theatre: Theatre | str | None = None) -> int:
    """Number of markers :func:`render_theatre` draws for ``places``.

    Parameters
    ----------
    places : DataFrame
        One row per toponym mention (see :mod:`frontmap.schema`).
    theatre : Theatre or str, optional
        Rows whose ``theatre`` names another theatre are not counted.

    Returns
    -------
    int
        Distinct places with coordinates.

    Raises
    ------
    frontmap.errors.InputError
        When ``places`` is not a frame of mention rows.
    """
    theatre_id = theatre if isinstance(theatre, str) else getattr(theatre, "id", "")
    return len(places_and_articles(mention_rows(places), clean_text(theatre_id))[0])


# --------------------------------------------------------------------------- layers


def _round_geom(geom: BaseGeometry, digits: int = 5) -> BaseGeometry:
    return shapely.transform(geom, lambda c: np.round(c, digits))


def _layer_tip(feature: Feature, day: str | None = None) -> str:
    """The tooltip of a layer feature: name, kind and actor, validity, precision, source."""
    kind = feature.kind
    if kind == "site":
        what = site_symbol(feature.subkind)[1].rstrip("s")
    elif kind == "front_line":
        what = "Front line"
    else:
        what = kind_style(kind).label.rstrip("s")
    valid = (feature.valid_from, feature.valid_to)
    precision = feature.precision_km
    return str(
        template_module("map.html").layer_tip(
            feature.name or feature.id or kind,
            what,
            _actor_tip(feature, day),
            valid if any(valid) else None,
            None if precision is None else f"{precision:g}",
            feature.source,
        )
    )


def _actor_tip(feature: Feature, day: str | None) -> str | None:
    """Who holds a feature, as named on its day, and the faction within (if given)."""
    if not feature.actor:
        return None
    label = actor_style(feature.actor, day or feature.valid_from).label
    if feature.faction:
        label += f" — {faction_label(feature.actor, feature.faction)}"
    return label


def _layer_feature(
    feature: Feature, pattern: int | None, day: str | None, geoms: _Geometries
) -> dict[str, Any]:
    """One feature's properties for the page: its geometry (an index into the shared
    geometries), style, tooltip and validity. The page makes the GeoJSON feature."""
    style = feature_style(feature.kind, feature.actor, pattern, feature.faction)
    properties: dict[str, Any] = {
        "style": style,
        # Actors are named as they were then: on the map's day, or when the
        # feature held (a 2020 area on a 2022 map says GNA, not GNU).
        "tip": _layer_tip(feature, day if feature.valid_on(day) else feature.valid_from),
        "vf": feature.valid_from,
        "vt": feature.valid_to,
    }
    if feature.geometry.geom_type in ("Point", "MultiPoint"):
        shape, what = site_symbol(feature.subkind)
        properties["icon"] = str(
            template_module("map.html").site_icon(shape, style["fillColor"], plane_points(16))
        )
        properties["label"] = f"{feature.name or what.rstrip('s')} ({what.rstrip('s').lower()})"
    properties["g"] = geoms(feature.geometry)
    return properties


#: Geometries are also stored simplified, for zooms below this one, when that
#: saves at least :data:`_SIMPLER` of their points.
SIMPLE_BELOW = 10
#: The tolerance of the simplified geometries: about a pixel at zoom 9 (degrees).
SIMPLE_TOLERANCE = 0.0025
_SIMPLER = 0.4
_SIMPLE_MIN_POINTS = 40


class _Geometries:
    """The map's layer geometries, each distinct one stored once (snapshots share them).

    Calling the table with a geometry returns its index. ``full`` holds the
    geometries as GeoJSON (5 decimals); ``simple`` a simplified copy for zooms
    below :data:`SIMPLE_BELOW`, or None where simplifying saves little.
    """

    def __init__(self) -> None:
        self.index: dict[bytes, int] = {}
        self.full: list[dict[str, Any]] = []
        self.simple: list[dict[str, Any] | None] = []

    def __call__(self, geometry: BaseGeometry) -> int:
        geom = _round_geom(geometry)
        key = shapely.to_wkb(geom)
        at = self.index.get(key)
        if at is None:
            at = self.index[key] = len(self.full)
            self.full.append(mapping(geom))
            self.simple.append(_simplified(geom))
        return at

    def data(self) -> dict[str, Any]:
        return {"full": self.full, "simple": self.simple, "simple_below": SIMPLE_BELOW}


def _simplified(geom: BaseGeometry) -> dict[str, Any] | None:
    """``geom`` simplified for low zooms, when that saves enough points; else None."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return None
    n = shapely.get_num_coordinates(geom)
    if n < _SIMPLE_MIN_POINTS:
        return None
    simple = _round_geom(shapely.simplify(geom, SIMPLE_TOLERANCE, preserve_topology=True))
    if simple.is_empty or shapely.get_num_coordinates(simple) > (1 - _SIMPLER) * n:
        return None
    return dict(mapping(simple))


def _layers_data(
    features: list[Feature], day: str | None, geoms: _Geometries
) -> list[dict[str, Any]]:
    """One layer per kind, in drawing order (front lines over a white casing); each
    feature's geometry is an index into ``geoms``."""
    patterns = zone_patterns([f.series for f in features if f.kind == "zone"])
    out = []
    for kind in legend_kinds(features):
        layer: dict[str, Any] = {
            "kind": kind,
            "label": esc(kind_style(kind).label),
            "features": [
                _layer_feature(f, patterns.get(f.series), day, geoms)
                for f in features
                if f.kind == kind
            ],
        }
        if kind == "front_line":
            layer["casing"] = FRONT_CASING
        out.append(layer)
    return out


# --------------------------------------------------------------------------- time


def _span(
    articles: list[Article], day: str | None, more: Iterable[str] = ()
) -> tuple[str, str] | None:
    """The first and last day of a map: its articles' dates, the day it shows and
    ``more`` days its date control steps through (its events')."""
    dates = sorted({a.date for a in articles if a.date} | ({day} if day else set()) | set(more))
    return (dates[0], dates[-1]) if dates else None


def _in_span(feature: Feature, span: tuple[str, str] | None) -> bool:
    """Whether a feature holds on some day of the span (every feature: no span)."""
    if span is None:
        return True
    first, last = span
    return (feature.valid_from is None or feature.valid_from <= last) and (
        feature.valid_to is None or feature.valid_to >= first
    )


def _state_days(features: list[Feature], span: tuple[str, str] | None) -> list[str | None]:
    """The first day of each state of the map within its span: the span's first
    day, and every day a feature starts or the day after one ends ([None]: no span)."""
    if span is None:
        return [None]
    first, last = span
    days = {first}
    for f in features:
        if f.valid_from and first < f.valid_from <= last:
            days.add(f.valid_from)
        if f.valid_to:
            after = (dt.date.fromisoformat(f.valid_to) + dt.timedelta(days=1)).isoformat()
            if first < after <= last:
                days.add(after)
    return [*sorted(days)]


def _state_of(days: list[str | None], day: str | None) -> int:
    """The index of the state in force on ``day`` (the last one starting by then)."""
    k = 0
    for i, d in enumerate(days):
        if d is not None and day is not None and d <= day:
            k = i
    return k


def _notes(theatre_id: str, days: list[str | None], coverage: Any) -> list[str | None]:
    """Why the theatre has no areas of control in each state, or None (the layers of
    ``coverage`` tell; no notes without them)."""
    needed = {"theatre", "kind", "valid_from", "valid_to"}
    if coverage is None or not needed <= set(getattr(coverage, "columns", ())):
        return [None] * len(days)
    from ..dates import parse_date
    from ..layers.catalog import control_spans, note_for

    def day(value: Any) -> dt.date | None:
        try:
            return parse_date(value)
        except InputError:
            return None

    frame = coverage[["theatre", "kind", "valid_from", "valid_to"]].copy()
    frame["valid_from"] = frame["valid_from"].map(day)
    frame["valid_to"] = frame["valid_to"].map(day)
    frame.loc[frame["valid_from"].isna(), "valid_from"] = dt.date.min  # no start: always
    spans = control_spans(frame)
    out = []
    for d in days:
        note = note_for(theatre_id, None if d is None else dt.date.fromisoformat(d), spans)
        out.append(note[:1].upper() + note[1:] if note else None)
    return out


# --------------------------------------------------------------------------- map data


def _article_label(article: Article) -> str:
    return article.title or article.url or "article " + article.id


def _filter_html(articles: list[Article], day: str | None, states: list[str | None]) -> str | None:
    """The article and date filter, for a map of two articles or more."""
    if len(articles) < 2:
        return None
    options = []
    for a in articles:
        label = _article_label(a)
        if len(label) > 70:
            label = label[:69] + "…"
        options.append((a.index, f"{a.date} {label}" if a.date else label))
    days = {a.date for a in articles if a.date} | ({day} if day else set())
    days |= {d for d in states if d}
    return str(template_module("map.html").filter(options, len(days) > 1))


def _attribution_html(sources: list[str], online: bool) -> str:
    parts = [
        "Leaflet",
        f"Base map: {NE_ATTRIBUTION}",
        f"Towns and places: {GEONAMES_ATTRIBUTION} and frontmap's curated gazetteer",
    ]
    if sources:
        n = len(sources)
        parts.append(f"Layers: {n} source{'s' if n != 1 else ''}, listed in the legend")
    if online:
        parts.append("Tiles, when switched on: © OpenStreetMap contributors")
    return str(template_module("map.html").attribution(parts))


#: A base label is left out when a place the articles name, of the same loose
#: name, lies this close (km): the article's spelling is shown instead.
_SAME_PLACE_KM = 5.0


#: Most town x place distances computed at once to find the towns near a named place.
_NEAR_MATRIX_MAX = 2_000_000


def _base_towns(base: Basemap, places: list[Place]) -> dict[str, Any]:
    """The base labels not standing for a place the articles name, as compact arrays."""
    import numpy as np

    from ..geo.distance import haversine_km, haversine_matrix_km
    from ..geo.names import loose

    named: dict[str, list[tuple[float, float]]] = {}
    for p in places:
        if not p.area:
            for key in {loose(p.name), loose(p.label)}:
                named.setdefault(key, []).append((p.lat, p.lon))
    # Only a town near some named place can stand for one: those are found at
    # once (numpy, with a margin), and only their names keyed and compared as
    # before (loose() for thousands of towns was 0.01-0.02 s of a small map).
    # With many places (a large matrix) every town is compared, as before.
    towns = base.towns
    points = np.radians([pt for pts in named.values() for pt in pts]).reshape(-1, 2)
    near = np.full(len(towns), len(points) > 0)
    if len(towns) and len(points) and len(towns) * len(points) <= _NEAR_MATRIX_MAX:
        at = np.radians([(t.lat, t.lon) for t in towns])
        dist = haversine_matrix_km(at[:, 0], at[:, 1], points[:, 0], points[:, 1])
        near = dist.min(axis=1) <= _SAME_PLACE_KM * 1.01
    names: list[str] = []
    coords: list[float] = []
    zooms: list[int] = []
    for town, maybe in zip(towns, near.tolist(), strict=True):
        if maybe and any(
            haversine_km(town.lat, town.lon, lat, lon) <= _SAME_PLACE_KM
            for lat, lon in named.get(loose(town.name), ())
        ):
            continue
        names.append(town.name)
        coords += [town.lat, town.lon]
        zooms.append(town.zoom)
    return {"n": names, "p": coords, "z": zooms}


def _base_data(base: Basemap, places: list[Place]) -> dict[str, Any]:
    """The base map: land, borders, country labels, town and village labels (plain text)."""
    return {
        "land": base.land,
        "borders": base.borders,
        "land_style": {
            "stroke": True,
            "color": COAST_COLOR,
            "weight": 0.8,
            "fillColor": LAND_COLOR,
            "fillOpacity": 1,
        },
        "border_style": {
            "color": BORDER_COLOR,
            "weight": 1.2,
            "dashArray": "5 3",
            "fill": False,
        },
        "countries": [[n, lat, lon] for n, lat, lon in base.countries],
        "towns": _base_towns(base, places),
        "towns_label": "Towns and villages",
    }


def _shape(place: Place, base: Basemap, outlines: list[dict[str, Any]]) -> int:
    """How a place is drawn: 0 a marker, 1 an area label, 2 + k the outline ``outlines[k]``."""
    if not place.area:
        return 0
    if place.kind == "country":
        outline = base.outline(place.country)
        if outline is not None:
            outlines.append(outline)
            return 1 + len(outlines)
    return 1


def _places_data(
    places: list[Place],
    base: Basemap,
    cluster: bool,
    zone_names: dict[str, str],
) -> dict[str, Any]:
    """The places: one row each, popups as indices into shared strings and sentences."""
    strings, sentences = StringTable(), StringTable()
    outlines: list[dict[str, Any]] = []
    rows = []
    for p in places:
        label = p.label
        x = popup_data(p, zone_names, strings, sentences)
        x.append(p.name if p.name != label else None)
        articles = sorted({article for article, _ in p.mentions})
        rows.append([p.lat, p.lon, p.precision, label, x, articles, _shape(p, base, outlines)])
    n_points = sum(1 for p in places if not p.area)
    packed = _pack_popups(rows, sentences.items, PACK_ABOVE)
    return {
        "label": f"Places named ({len(places)})",
        "cluster": cluster and n_points > 0,
        "styles": {
            str(k): {k2: v for k2, v in s.items() if k2 != "label"}
            for k, s in PLACE_STYLES.items()
            if k != 3
        },
        "precision_labels": {str(k): v for k, v in _PRECISION_LABELS.items()},
        "outlines": outlines,
        "outline_style": OUTLINE_STYLE,
        "strings": strings.items,
        "sentences": [] if packed else sentences.items,
        "packed": packed,
        "rows": rows,
    }


def _pack_popups(rows: list[list[Any]], sentences: list[str], pack_above: int) -> str | None:
    """Pack the quotes of big maps; None when they are small enough to stay plain JSON.

    The quotes (each row's groups, ``x[5]``, and the sentence table) are what
    makes a big map big, and are needed only when a popup opens. Packed, they
    are ``base64(gzip(JSON {"g": [groups per row], "s": sentences}))`` (no
    ``<`` can occur in base64), the rows' groups are set to None, and the page
    unpacks them with ``DecompressionStream`` once the map is drawn. gzip with
    ``mtime=0`` keeps the bytes the same from run to run.
    """
    size = sum(len(s) for s in sentences) + 24 * len(rows)
    if size <= pack_above:
        return None
    groups = []
    for row in rows:
        groups.append(row[4][5])
        row[4][5] = None
    text = json.dumps({"g": groups, "s": sentences}, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(gzip.compress(text.encode("utf-8"), 9, mtime=0)).decode("ascii")


class MapData(TypedDict):
    """Everything a map shows, as plain data (see :func:`_map_data`)."""

    draw: dict[str, Any]  # the object the page passes to frontmap.draw
    theatre_id: str
    heading: str
    as_of: str | None
    center: list[float]
    zoom: int
    view: Box
    place_keys: tuple[str, ...]
    zone_names: dict[str, str]


@dataclass(frozen=True)
class _Frame:
    """Where a theatre is: its id, bounds, centre and zoom, read once."""

    id: str
    title: str
    bounds: Box  # south, west, north, east
    center: list[float]
    zoom: int


def _frame(theatre: Theatre) -> _Frame:
    try:
        (south, west), (north, east) = theatre.bounds
        bounds = (float(south), float(west), float(north), float(east))
        center = [float(theatre.center[0]), float(theatre.center[1])]
        zoom = int(theatre.zoom)
        title = clean_text(theatre.title)
    except (AttributeError, TypeError, ValueError) as exc:
        raise RenderError(f"not a theatre: {exc}") from None
    return _Frame(clean_text(getattr(theatre, "id", "")), title, bounds, center, zoom)


def _reach(frame: _Frame) -> tuple[tuple[float, float], tuple[float, float]]:
    """What the map may be panned over: the theatre's bounds and its countries (a place of
    northeast Syria belongs to the Syrian theatre, whose view is Idlib's)."""
    south, west, north, east = frame.bounds
    try:
        (s, w), (n, e) = theatre_extent(frame.id)
    except InputError:  # not a theatre of theatres.json: its bounds only
        return (south, west), (north, east)
    return (min(s, south), min(w, west)), (max(n, north), max(e, east))


def _title_html(
    heading: str, day: str | None, n_places: int, n_articles: int, note: str | None = None
) -> str:
    return str(template_module("map.html").title(heading, day, n_places, n_articles, note))


def _aria_label(heading: str, day: str | None, n_places: int) -> str:
    return f"Map: {heading}" + (f", as of {day}" if day else "") + f", {n_places} places named"


def _map_data(
    frame: _Frame,
    places: list[Place],
    articles: list[Article],
    features: list[Feature],
    *,
    title: str | None,
    day: str | None,
    cluster: bool | None,
    online: bool,
    n_towns: int | None,
    coverage: Any = None,
    events: Any = None,
) -> MapData:
    """What a theatre's map shows, as plain data: no folium, no page.

    ``features`` are every feature the map may show: those holding on some
    day of its span (its articles' and events' dates and ``day``) are kept, with the
    states they make (:func:`_state_days`) and a note for each state without
    areas of control (from the layers of ``coverage``).
    """
    drawn_events = events_data(events, frame.id, articles)
    event_days = sorted({r[3] for r in drawn_events["rows"] if r[3]}) if drawn_events else []
    # The date control steps through the events' days too: the layers of those
    # days are the map's as well (an event before the first article's date).
    span = _span(articles, day, event_days)
    features = [f for f in features if _in_span(f, span)]
    days = _state_days(features, span)
    notes = _notes(frame.id, days, coverage)
    shown = _state_of(days, day)
    geoms = _Geometries()
    zone_names = {f.id: f.name or f.id for f in features if f.id}
    heading = clean_text(title) if title is not None else frame.title
    view = view_box(_reach(frame))
    if cluster is None:
        cluster = len(places) > CLUSTER_ABOVE
    sources = sources_of(features)
    base = basemap(frame.bounds, view, n_towns)
    draw = {
        "base": _base_data(base, places),
        "layers": _layers_data(features, day, geoms),
        "geoms": geoms.data(),
        "states": [{"d": d, "n": n} for d, n in zip(days, notes, strict=True)],
        "places": _places_data(places, base, bool(cluster), zone_names),
        "articles": [
            {"date": a.date, "label": _article_label(a), "url": safe_url(a.url)} for a in articles
        ],
        "as_of": day,
        "title_html": _title_html(heading, day, len(places), len(articles), notes[shown]),
        "aria_label": _aria_label(heading, day, len(places)),
        "legend_html": timed_legend_html(places, features, days, shown),
        "filter_html": _filter_html(articles, day, [*days, *event_days]),
        "events": drawn_events,
        "attribution_html": _attribution_html(sources, online),
        "online": _ONLINE if online else None,
    }
    return MapData(
        draw=draw,
        theatre_id=frame.id,
        heading=heading,
        as_of=day,
        center=frame.center,
        zoom=frame.zoom,
        view=view,
        place_keys=tuple(p.key for p in places),
        zone_names=zone_names,
    )


# --------------------------------------------------------------------------- folium


def map_css() -> str:
    """The map's CSS (``static/map.css``, scoped to the class ``frontmap``)."""
    return "\n" + static_text("map.css").replace("SEA", SEA_COLOR)


def _add_page_parts(m: folium.Map, page_title: str) -> None:
    """The page's title, viewport and styles, and the inlined libraries and script."""
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.title = esc(page_title)
    header = figure.header
    header.add_child(
        Element('<meta name="viewport" content="width=device-width, initial-scale=1.0">'),
        name="frontmap_viewport",
    )
    header.add_child(
        Element("<style>" + static_text("page.css").rstrip("\n") + "</style>"),
        name="frontmap_page",
    )
    header.add_child(Inline("style", _assets.leaflet_css()), name="leaflet_css")
    header.add_child(Inline("style", _assets.cluster_css()), name="cluster_css")
    header.add_child(Inline("script", _assets.leaflet_js()), name="leaflet_js")
    header.add_child(Inline("script", _assets.cluster_js()), name="cluster_js")
    header.add_child(Inline("script", "\n" + static_text("client.js")), name="frontmap_js")


def _leaflet_options(data: MapData) -> dict[str, Any]:
    """The map's Leaflet options: the same for the page and a fragment's mount."""
    zoom, view = data["zoom"], data["view"]
    return {
        "center": data["center"],
        "zoom": zoom,
        "minZoom": max(2, zoom - 4),
        "maxZoom": 14,  # needed by MarkerCluster without a tile layer
        "maxBounds": [[view[0], view[1]], [view[2], view[3]]],
        "maxBoundsViscosity": 0.7,
        "zoomControl": True,
        "preferCanvas": False,
    }


def _folium_map(data: MapData, map_id: str | None = None) -> folium.Map:
    """The folium map of :func:`_map_data`: a container for the page's script and data.

    Element ids are ``<key>_<n>``, with the key ``map_id`` or a hash of the data.
    """
    data_json = script_json(data["draw"])
    options = _leaflet_options(data)
    key = map_id or content_key(data_json, data["theatre_id"], script_json(options), "v2")
    page_title = data["heading"] + (f" — as of {data['as_of']}" if data["as_of"] else "")
    with deterministic_ids(key):
        m = FrontMap(
            location=data["center"],
            zoom_start=data["zoom"],
            tiles=None,
            control_scale=True,
            min_zoom=None,
            prefer_canvas=False,
            max_bounds=False,
        )
        FrontFigure().add_child(m)
        m.options["max_zoom"] = options["maxZoom"]
        m.leaflet_options = script_json(options)
        # Repoint the per-instance asset lists: nothing is linked, all is inlined.
        m.default_js = []
        m.default_css = []
        m.scoped_css = map_css()
        _add_page_parts(m, page_title)
        data_expr = script_data(data_json)  # JSON.parse('...'): fast to load
        m.add_child(Draw(data_expr), name="frontmap_draw")
        m._frontmap_key = key  # type: ignore[attr-defined]
        m._frontmap_title = page_title  # type: ignore[attr-defined]
        m._frontmap_mount = (options, data_expr)  # type: ignore[attr-defined]
        m._frontmap_info = MapInfo(  # type: ignore[attr-defined]
            map_id=m.get_name(),
            theatre_id=data["theatre_id"],
            heading=data["heading"],
            as_of=data["as_of"],
            place_keys=data["place_keys"],
            zone_names=data["zone_names"],
        )
    return m


# --------------------------------------------------------------------------- public


def render_theatre(
    theatre: Theatre,
    places: pd.DataFrame | None,
    layers: pd.DataFrame | None,
    *,
    title: str | None = None,
    as_of: dt.date | str | None = None,
    cluster: bool | None = None,
    online: bool = False,
    n_towns: int | None = None,
    map_id: str | None = None,
    coverage: pd.DataFrame | None = None,
    events: Any = None,
) -> folium.Map:
    """Map one theatre: the places named in articles, zones and front lines.

    Parameters
    ----------
    theatre : frontmap.theatres.Theatre
        The theatre (``id``, ``title``, ``bounds``, ``center``, ``zoom``).
    places : DataFrame
        One row per toponym mention: the mention rows of :mod:`frontmap.schema`
        (``name``, ``lat``, ``lon``, ``kind``, ``sentence``..., as
        ``layers.join`` gives them), checked once here. Rows without
        coordinates, or whose ``theatre`` names another theatre, are left out.
        May be empty or None.
    layers : GeoDataFrame
        Layers (``kind``, ``name``, ``actor``, ``valid_from``, ``valid_to``,
        ``source``, ``geometry``...), EPSG:4326: the snapshots of any dates.
        The map carries those holding on some day of its span (its articles'
        dates and ``as_of``; all of them when there is no date), each distinct
        geometry once; its date control switches between them. Rows of another
        theatre are left out.
    title : str, optional
        Map title; defaults to the theatre's title.
    as_of : date or ISO string, optional
        Date the map shows; defaults to the latest article date.
    cluster : bool, optional
        Cluster markers; by default only above ``CLUSTER_ABOVE`` places.
    online : bool
        Also offer OpenStreetMap tiles as an overlay (off by default; the page
        then makes network requests when that overlay is switched on).
    n_towns : int, optional
        At most this many town and village labels in the base map's data (the
        largest places); by default every populated place of the gazetteer
        in the theatre. Which are drawn depends on the zoom and the room left
        by the labels of the places named.
    map_id : str, optional
        Prefix of the element ids (letters and digits, starting with a
        letter); defaults to a hash of the content. Give distinct values to put
        two maps of the same content on one page.
    coverage : GeoDataFrame, optional
        The layers whose coverage the map's notes tell ("No control data after
        26 Nov 2024" where a day of the map has no areas of control); by
        default ``layers``. Give every layer of the theatre when ``layers`` is
        a selection.
    events : DataFrame or list of dict, optional
        Event rows (:func:`frontmap.geoparse_events`): those of this theatre
        with coordinates are drawn, with an icon per kind (strike, shelling,
        clash, capture, agreement...), a popup (date, type, actors,
        fatalities, the quote) and a box that lists and filters the kinds.

    Returns
    -------
    folium.Map
        Render it with :func:`maps.map_html` or :func:`maps.write_map`.

    Raises
    ------
    frontmap.errors.InputError
        When ``places`` is not a frame of mention rows, or a date (in the rows,
        the layers or ``as_of``) cannot be read.
    frontmap.errors.RenderError
        When ``theatre`` is not a theatre or the layers have no geometry.
    """
    frame = _frame(theatre)
    place_list, articles = places_and_articles(mention_rows(places), frame.id)
    features = layer_features(layers, frame.id)
    data = _map_data(
        frame,
        place_list,
        articles,
        features,
        title=title,
        day=map_day(as_of, articles),
        cluster=cluster,
        online=online,
        n_towns=n_towns,
        coverage=layers if coverage is None else coverage,
        events=events,
    )
    return _folium_map(data, map_id)
