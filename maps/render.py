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
  few HTML strings in the data (title, legend, layer tooltips) are escaped here;
* compact: a popup is built in the page when it is first opened, from a few
  numbers and indices into shared tables of strings and sentences (a sentence
  naming five places is stored once), so 10,000 places make a ~2.6 MB page.

One marker is drawn per distinct place (same gazetteer id, or same name and
coordinates when there is none); its popup quotes every sentence that named it
(up to a limit), grouped by article. Use :func:`place_count` for the number of
markers a DataFrame gives.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from shapely.geometry import mapping

from ..errors import RenderError
from ..theatres import Theatre
from . import _assets
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION, basemap, view_box
from ._html import clean_text, esc, is_missing, link, safe_url, script_json
from ._ids import content_key, deterministic_ids
from ._resources import static_text
from .styles import PLACE_STYLES, actor_style, kind_style, layer_kinds

__all__ = ["render_theatre", "place_count", "map_info", "MapInfo", "SEA_COLOR", "LAND_COLOR"]

SEA_COLOR = "#c6dbe9"
LAND_COLOR = "#f4f1ea"
BORDER_COLOR = "#7d7d7d"
COAST_COLOR = "#9fb4c4"

#: Cluster markers automatically above this many places.
CLUSTER_ABOVE = 150
#: Quotes kept in one popup (per place / per article).
MAX_QUOTES = 8
MAX_QUOTES_PER_ARTICLE = 3
#: Sentences longer than this are cut around the mention.
MAX_SENTENCE = 480

_PRECISION_LABELS = {1: "the place itself", 2: "part of or near it", 3: "a region"}

_ONLINE = {
    "label": "OpenStreetMap tiles (online)",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "&copy; OpenStreetMap contributors",
}


# --------------------------------------------------------------------------- elements


class _Inline(Element):
    """An inline <script> or <style> in the page header (content already safe)."""

    def __init__(self, tag: str, code: str):
        super().__init__()
        self._name = "FrontmapInline"
        self.tag = tag
        self.code = code

    def render(self, **kwargs: Any) -> str:
        return f"<{self.tag}>{self.code}</{self.tag}>"


class _FrontMap(folium.Map):
    """A folium Map whose page parts are scoped to the map (fragment-safe)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.scoped_css }}</style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map frontmap" id={{ this.get_name()|tojson }}></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
            {%- if this.control_scale %}
            L.control.scale({metric: true, imperial: false}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    scoped_css: str = ""


class _Raw(Element):
    """Text that goes into the page as it is: never parsed as a Jinja template."""

    def __init__(self, code: str):
        super().__init__()
        self._name = "FrontmapRaw"
        self.code = code

    def render(self, **kwargs: Any) -> str:
        return self.code


class _Draw(MacroElement):
    """Calls ``frontmap.draw`` with the map's data.

    branca's ``MacroElement.render`` wraps each rendered macro in a new
    ``Element``, which parses it as a Jinja template a second time: article text
    such as ``{{ 7*7 }}`` in the data would then be evaluated (template
    injection). :meth:`render` adds the rendered script as :class:`_Raw`
    instead, so the data is rendered exactly once, as a value.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = frontmap.draw(
                {{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str):
        super().__init__()
        self._name = "FrontmapDraw"
        self.data_json = data_json

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):  # pragma: no cover - always inside a map
            raise RenderError("the map is not inside a figure")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Raw(script(self, kwargs)), name=self.get_name())


def _map_css(map_id: str, sea: str) -> str:
    """The map's CSS (``static/map.css``) scoped to the element ``#map_id``."""
    return "\n" + static_text("map.css").replace("#ID", "#" + map_id).replace("SEA", sea)


# --------------------------------------------------------------------------- helpers


def _date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date, datetime, Timestamp or ISO string."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value).strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", text)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            pass
    return None


def _num(value: Any) -> float | None:
    if is_missing(value):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None


def _int(value: Any, default: int) -> int:
    number = _num(value)
    return default if number is None else int(number)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [v for v in value if not is_missing(v)]
    return [] if is_missing(value) else [value]


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False)]


def _kind_label(kind: Any) -> str:
    return clean_text(kind).replace("_", " ") or "place"


def _coord(lat: float, lon: float) -> str:
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.4f}°{ns} {abs(lon):.4f}°{ew}"


def _spans(row: dict[str, Any], sentence: str) -> list[tuple[int, int]]:
    """Where the mention lies in its sentence (validated against ``surface``)."""
    surface = clean_text(row.get("surface"))
    start, end, s0 = _num(row.get("start")), _num(row.get("end")), _num(row.get("sentence_start"))
    if start is not None and end is not None and s0 is not None:
        a, b = int(start - s0), int(end - s0)
        if 0 <= a < b <= len(sentence) and (not surface or sentence[a:b] == surface):
            return [(a, b)]
    if surface:
        at = sentence.find(surface)
        if at >= 0:
            return [(at, at + len(surface))]
    return []


def _utf16(text: str, index: int) -> int:
    """A Python ``str`` index as a JavaScript (UTF-16) string index."""
    return len(text[:index].encode("utf-16-le")) // 2


def _quote(sentence: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """The sentence to quote, cut around the mention if very long, and its marks.

    Returns the text (with "…" where it was cut) and the marked spans as a flat
    list ``[start, end, start, end...]`` of JavaScript (UTF-16) indices into it,
    sorted and merged.
    """
    spans = sorted(set(spans))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    lo, hi = 0, len(sentence)
    if hi > MAX_SENTENCE:
        centre = merged[0][0] if merged else 0
        lo = max(0, centre - MAX_SENTENCE // 2)
        hi = min(len(sentence), lo + MAX_SENTENCE)
        lo = max(0, hi - MAX_SENTENCE)
    head = "…" if lo > 0 else ""
    text = head + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
    shift = len(head) - lo
    flat: list[int] = []
    for a, b in merged:
        a, b = max(a, lo), min(b, hi)
        if a < b:
            flat += [a + shift, b + shift]
    if text.isascii() or all(ord(c) <= 0xFFFF for c in text):
        return text, flat
    return text, [_utf16(text, i) for i in flat]


class _Strings:
    """Distinct strings stored once in the page; the data refers to them by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.items: list[str] = []

    def __call__(self, text: str) -> int:
        at = self.index.get(text)
        if at is None:
            at = self.index[text] = len(self.items)
            self.items.append(text)
        return at


@dataclass
class _Article:
    index: int
    key: str
    title: str
    date: str | None
    url: str | None


@dataclass
class _Place:
    key: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str
    gazetteer_id: str
    precision: int
    score: float | None
    rows: list[dict[str, Any]] = field(default_factory=list)


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
        One key per marker, in marker order (see :func:`row_place_key`).
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

    Raises
    ------
    frontmap.errors.RenderError
        If ``m`` was not made by :func:`render_theatre`.
    """
    info = getattr(m, "_frontmap_info", None)
    if not isinstance(info, MapInfo):
        raise RenderError("not a map made by maps.render_theatre")
    return info


def row_place_key(row: dict[str, Any]) -> str | None:
    """The marker key of one mention row, or None when it has no usable coordinates."""
    lat, lon = _num(row.get("lat")), _num(row.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return _place_key(row, lat, lon)


def _place_key(row: dict[str, Any], lat: float, lon: float) -> str:
    gid = row.get("gazetteer_id")
    if not is_missing(gid) and clean_text(gid):
        return "g:" + clean_text(gid)
    return f"n:{clean_text(row.get('name'))}|{lat:.5f}|{lon:.5f}"


def _usable(places: pd.DataFrame | None, theatre_id: str) -> list[dict[str, Any]]:
    """Rows with valid coordinates, not assigned to a theatre other than ``theatre_id``."""
    rows = []
    for row in _records(places):
        lat, lon = _num(row.get("lat")), _num(row.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        theatre = clean_text(row.get("theatre"))
        if theatre_id and theatre and theatre != theatre_id:
            continue
        row["lat"], row["lon"] = lat, lon
        rows.append(row)
    return rows


def _group(rows: list[dict[str, Any]]) -> tuple[list[_Place], list[_Article]]:
    places: dict[str, _Place] = {}
    articles: dict[str, _Article] = {}
    for row in rows:
        akey = clean_text(row.get("article_id")) or clean_text(row.get("article_title"))
        if akey not in articles:
            articles[akey] = _Article(
                index=len(articles),
                key=akey,
                title=clean_text(row.get("article_title")),
                date=_date(row.get("article_date")),
                url=clean_text(row.get("article_url")) or None,
            )
        row["_article"] = articles[akey].index
        key = _place_key(row, row["lat"], row["lon"])
        place = places.get(key)
        if place is None:
            precision = min(max(_int(row.get("precision"), 1), 1), 3)
            place = places[key] = _Place(
                key=key,
                name=clean_text(row.get("name")) or clean_text(row.get("surface")) or "?",
                lat=round(row["lat"], 5),
                lon=round(row["lon"], 5),
                kind=clean_text(row.get("kind")),
                country=clean_text(row.get("country")),
                gazetteer_id=clean_text(row.get("gazetteer_id")),
                precision=precision,
                score=_num(row.get("score")),
            )
        place.rows.append(row)
    return list(places.values()), list(articles.values())


def place_count(places: pd.DataFrame | None, theatre: Theatre | str | None = None) -> int:
    """Number of markers :func:`render_theatre` draws for ``places``.

    Parameters
    ----------
    places : DataFrame
        One row per toponym mention.
    theatre : Theatre or str, optional
        Rows whose ``theatre`` names another theatre are not counted.

    Returns
    -------
    int
        Distinct places with coordinates.
    """
    theatre_id = theatre if isinstance(theatre, str) else getattr(theatre, "id", "")
    return len(_group(_usable(places, clean_text(theatre_id)))[0])


def _status(row: dict[str, Any], zone_names: dict[str, str], strings: _Strings) -> list[Any]:
    """``[control label, km to the front, [zone names]]`` of one mention (strings by index)."""
    control = clean_text(row.get("control"))
    label = strings(actor_style(control).label) if control else None
    front = _num(row.get("front_km"))
    zones = [clean_text(z) for z in _list(row.get("zones"))]
    return [
        label,
        None if front is None else round(front, 1),
        [strings(zone_names.get(z, z)) for z in zones],
    ]


def _popup(
    place: _Place,
    zone_names: dict[str, str],
    strings: _Strings,
    sentences: _Strings,
) -> list[Any]:
    """The data ``frontmap`` builds a place's popup from, when it is opened.

    ``[kind, country, gazetteer id, score, mentions, groups, more]``: kind and
    country are indices into ``strings``; ``groups`` has one entry per article
    shown, ``[article, control, km, zones, quotes]``, each quote being
    ``[sentence, start, end, ...]`` (an index into ``sentences`` and the marked
    spans); ``more`` counts the sentences left out. Text stays text: the page
    inserts it with ``textContent``, never as HTML.
    """
    by_article: dict[int, dict[tuple[Any, str], list[tuple[int, int]]]] = {}
    status: dict[int, list[Any]] = {}
    for row in place.rows:
        sentence = clean_text(row.get("sentence"))
        quotes = by_article.setdefault(row["_article"], {})
        if row["_article"] not in status:
            status[row["_article"]] = _status(row, zone_names, strings)
        if not sentence:
            continue
        skey = (_num(row.get("sentence_start")), sentence)
        quotes.setdefault(skey, []).extend(_spans(row, sentence))

    groups: list[list[Any]] = []
    shown = 0
    total = sum(len(q) for q in by_article.values())
    for index in sorted(by_article):
        if shown >= MAX_QUOTES:
            break
        quoted = []
        for kept, ((_, sentence), spans) in enumerate(by_article[index].items()):
            if kept >= MAX_QUOTES_PER_ARTICLE or shown >= MAX_QUOTES:
                break
            text, marks = _quote(sentence, spans)
            quoted.append([sentences(text), *marks])
            shown += 1
        groups.append([index, *status[index], quoted])
    score = None if place.score is None else round(place.score, 4)
    return [
        strings(_kind_label(place.kind)),
        strings(place.country) if place.country else None,
        place.gazetteer_id or None,
        score,
        len(place.rows),
        groups,
        total - shown,
    ]


def _round_geom(geom: Any, digits: int = 5) -> Any:
    return shapely.transform(geom, lambda c: np.round(c, digits))


def _layer_rows(layers: pd.DataFrame | None, theatre_id: str) -> list[dict[str, Any]]:
    out = []
    if layers is None or len(layers) == 0:
        return out
    if "geometry" not in layers.columns:
        raise RenderError("layers have no geometry column")
    crs = getattr(layers, "crs", None)
    if crs is not None and not crs.equals("EPSG:4326"):
        layers = layers.to_crs("EPSG:4326")
    for row in _records(layers):
        geom = row.get("geometry")
        if geom is None or getattr(geom, "is_empty", True):
            continue
        theatre = row.get("theatre")
        if not is_missing(theatre) and clean_text(theatre) and clean_text(theatre) != theatre_id:
            continue
        out.append(row)
    return out


def _layer_tip(row: dict[str, Any], kind: str) -> str:
    name = clean_text(row.get("name")) or clean_text(row.get("id")) or kind
    lines = [f"<b>{esc(name)}</b>"]
    what = kind_style(kind).label.rstrip("s") if kind != "front_line" else "Front line"
    actor = clean_text(row.get("actor"))
    if actor:
        what += " · " + esc(actor_style(actor).label)
    lines.append(esc(what) if not actor else what)
    start, end = _date(row.get("valid_from")), _date(row.get("valid_to"))
    if start or end:
        lines.append(f"valid {esc(start or '…')} to {esc(end or 'now')}")
    precision = _num(row.get("precision_km"))
    if precision is not None:
        lines.append(f"precision ±{precision:g} km")
    source = clean_text(row.get("source"))
    if source:
        lines.append("Source: " + esc(source))
    return "<br>".join(lines)


def _layers_data(rows: list[dict[str, Any]], kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kind.setdefault(clean_text(row.get("kind")) or "zone", []).append(row)
    order = list(kinds) + sorted(k for k in by_kind if k not in kinds)
    out = []
    for kind in order:
        if kind not in by_kind:
            continue
        style = kind_style(kind)
        features = []
        for row in by_kind[kind]:
            actor = clean_text(row.get("actor"))
            color = actor_style(actor).color if actor and kind != "road" else None
            if kind == "front_line":
                color = None
            props = {}
            if row["geometry"].geom_type in ("Point", "MultiPoint"):
                fill = style.leaflet(color)["fillColor"]
                props["icon"] = f'<span style="background:{fill}"></span>'
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "style": style.leaflet(color),
                        "tip": _layer_tip(row, kind),
                        "vf": _date(row.get("valid_from")),
                        "vt": _date(row.get("valid_to")),
                        **props,
                    },
                    "geometry": mapping(_round_geom(row["geometry"])),
                }
            )
        out.append(
            {
                "kind": kind,
                "label": esc(style.label),
                "data": {"type": "FeatureCollection", "features": features},
            }
        )
    return out


def _svg(shape: str, opts: dict[str, Any]) -> str:
    stroke = opts.get("color", "#000")
    fill = opts.get("fillColor", "none") if opts.get("fill", True) else "none"
    fo = opts.get("fillOpacity", 1)
    width = opts.get("weight", 1)
    dash = f' stroke-dasharray="{opts["dashArray"]}"' if opts.get("dashArray") else ""
    common = f'stroke="{stroke}" stroke-width="{width}"{dash}'
    if shape == "circle":
        r = min(opts.get("radius", 6), 8)
        return (
            f'<svg width="20" height="20"><circle cx="10" cy="10" r="{r}" fill="{fill}" '
            f'fill-opacity="{fo}" {common}/></svg>'
        )
    if shape == "line":
        return f'<svg width="24" height="12"><line x1="1" y1="6" x2="23" y2="6" {common}/></svg>'
    if shape == "diamond":
        return (
            f'<svg width="20" height="20"><rect x="5" y="5" width="10" height="10" '
            f'transform="rotate(45 10 10)" fill="{fill}" stroke="#111" stroke-width="1.5"/>'
            f"</svg>"
        )
    return (
        f'<svg width="24" height="16"><rect x="2" y="2" width="20" height="12" fill="{fill}" '
        f'fill-opacity="{max(fo, 0.15)}" {common}/></svg>'
    )


def _legend(precisions: set[int], layer_rows: list[dict[str, Any]]) -> str:
    parts = ["<b>Legend</b>"]
    for p in sorted(precisions):
        style = PLACE_STYLES[p]
        parts.append(f"<div>{_svg('circle', style)}<span>{esc(style['label'])}</span></div>")
    seen: dict[str, list[str]] = {}
    for row in layer_rows:
        kind = clean_text(row.get("kind")) or "zone"
        actor = clean_text(row.get("actor"))
        actors = seen.setdefault(kind, [])
        if actor not in actors:
            actors.append(actor)
    kinds = list(layer_kinds()) + sorted(k for k in seen if k not in layer_kinds())
    for kind in kinds:
        if kind not in seen:
            continue
        style = kind_style(kind)
        if kind == "control":
            for actor in seen[kind]:
                a = actor_style(actor)
                opts = style.leaflet(a.color if actor else None)
                text = a.label if actor else "Control (actor not given)"
                parts.append(f"<div>{_svg('box', opts)}<span>{esc(text)}</span></div>")
            continue
        if kind == "site":
            colors = {actor_style(a).color if a else style.color for a in seen[kind]}
            opts = style.leaflet(sorted(colors)[0])
            parts.append(f"<div>{_svg('diamond', opts)}<span>{esc(style.label)}</span></div>")
            continue
        shape = "line" if kind in ("road", "line", "front_line") else "box"
        parts.append(f"<div>{_svg(shape, style.leaflet())}<span>{esc(style.label)}</span></div>")
    return "".join(parts)


def _as_of(as_of: Any, articles: list[_Article]) -> str | None:
    if as_of is not None:
        value = _date(as_of)
        if value is None:
            raise RenderError(f"as_of is not a date: {clean_text(as_of)!r}")
        return value
    dates = sorted(a.date for a in articles if a.date)
    return dates[-1] if dates else None


def _filter_html(articles: list[_Article], day: str | None) -> str | None:
    if len(articles) < 2:
        return None
    options = ['<option value="all">All articles</option>']
    for a in articles:
        label = a.title or a.url or "article " + a.key
        if len(label) > 70:
            label = label[:69] + "…"
        if a.date:
            label = f"{a.date} {label}"
        options.append(f'<option value="{a.index}">{esc(label)}</option>')
    html = ["<label>Article <select>" + "".join(options) + "</select></label>"]
    if len({a.date for a in articles if a.date} | ({day} if day else set())) > 1:
        html.append(
            "<label>Date (layers valid then; articles published by then) "
            '<input type="range" step="1"> <output></output></label>'
        )
    return "".join(html)


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
    n_towns: int = 30,
    map_id: str | None = None,
) -> folium.Map:
    """Map one theatre: the places named in articles, zones and front lines.

    Parameters
    ----------
    theatre : layers.Theatre
        The theatre (``id``, ``title``, ``bounds``, ``center``, ``zoom``).
    places : DataFrame
        One row per toponym mention (columns as produced by ``layers.join``:
        ``name``, ``lat``, ``lon``, ``kind``, ``sentence``... see the module
        docstring). Rows without coordinates, or whose ``theatre`` names another
        theatre, are left out. May be empty or None.
    layers : GeoDataFrame
        Layers valid on the date (``kind``, ``name``, ``actor``, ``source``,
        ``geometry``...), EPSG:4326. Rows of another theatre are left out.
    title : str, optional
        Map title; defaults to the theatre's title.
    as_of : date or ISO string, optional
        Date the map shows; defaults to the latest article date.
    cluster : bool, optional
        Cluster markers; by default only above ``CLUSTER_ABOVE`` places.
    online : bool
        Also offer OpenStreetMap tiles as an overlay (off by default; the page
        then makes network requests when that overlay is switched on).
    n_towns : int
        Number of GeoNames town labels on the base map.
    map_id : str, optional
        Prefix of the element ids (letters and digits, starting with a
        letter); defaults to a hash of the content. Give distinct values to put
        two maps of the same content on one page.

    Returns
    -------
    folium.Map
        Render it with :func:`maps.map_html` or :func:`maps.write_map`.

    Raises
    ------
    frontmap.errors.RenderError
        If the inputs cannot be drawn (bad ``as_of``, layers without geometry).
    """
    theatre_id = clean_text(getattr(theatre, "id", ""))
    try:
        (south, west), (north, east) = theatre.bounds
        center = [float(theatre.center[0]), float(theatre.center[1])]
        zoom = int(theatre.zoom)
    except (AttributeError, TypeError, ValueError) as exc:
        raise RenderError(f"not a theatre: {exc}") from None

    place_list, articles = _group(_usable(places, theatre_id))
    layer_rows = _layer_rows(layers, theatre_id)
    zone_names = {
        clean_text(r.get("id")): clean_text(r.get("name")) or clean_text(r.get("id"))
        for r in layer_rows
        if clean_text(r.get("id"))
    }
    day = _as_of(as_of, articles)
    heading = clean_text(title) if title is not None else clean_text(theatre.title)

    view = view_box(theatre.bounds)
    base = basemap((float(south), float(west), float(north), float(east)), view, n_towns, zoom)

    if cluster is None:
        cluster = len(place_list) > CLUSTER_ABOVE
    strings, sentences = _Strings(), _Strings()
    rows = [
        [
            p.lat,
            p.lon,
            p.precision,
            p.name,
            _popup(p, zone_names, strings, sentences),
            sorted({r["_article"] for r in p.rows}),
        ]
        for p in place_list
    ]
    n_articles = len(articles)
    sub = [f'<span class="fm-asof">As of {esc(day)}</span>' if day else "Date not given"]
    named = f"{len(place_list)} place{'s' if len(place_list) != 1 else ''} named"
    if n_articles:
        named += f" in {n_articles} article{'s' if n_articles != 1 else ''}"
    sub.append(named)
    title_html = f'<div class="fm-t">{esc(heading)}</div><p>{" · ".join(sub)}</p>'

    sources = []
    for row in layer_rows:
        source = clean_text(row.get("source"))
        if source and source not in sources:
            sources.append(source)
    attribution = [
        f"Base map: {NE_ATTRIBUTION}",
        f"Towns and places: {GEONAMES_ATTRIBUTION} and frontmap's curated gazetteer",
    ]
    if sources:
        n = len(sources)
        attribution.append(f"Layers: {n} source{'s' if n != 1 else ''}, listed in the legend")
    attribution_html = " | ".join(esc(a) for a in attribution)
    legend_html = _legend({p.precision for p in place_list}, layer_rows)
    if sources:
        items = "".join(
            f"<li>{link(src, src) if safe_url(src) else esc(src)}</li>" for src in sources
        )
        legend_html += (
            f'<details class="fm-src"><summary>Sources of the layers ({len(sources)})'
            f"</summary><ol>{items}</ol></details>"
        )

    data = {
        "base": {
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
            "countries": [[esc(n), lat, lon] for n, lat, lon in base.countries],
            "towns": [[esc(n), lat, lon] for n, lat, lon, _ in base.towns],
            "towns_label": "Town labels",
        },
        "layers": _layers_data(layer_rows, layer_kinds()),
        "places": {
            "label": f"Places named ({len(place_list)})",
            "cluster": bool(cluster),
            "styles": {
                str(k): {k2: v for k2, v in s.items() if k2 != "label"}
                for k, s in PLACE_STYLES.items()
            },
            "precision_labels": {str(k): v for k, v in _PRECISION_LABELS.items()},
            "strings": strings.items,
            "sentences": sentences.items,
            "rows": rows,
        },
        "articles": [
            {
                "date": a.date,
                "label": a.title or a.url or "article " + a.key,
                "url": safe_url(a.url),
            }
            for a in articles
        ],
        "as_of": day,
        "title_html": title_html,
        "legend_html": legend_html,
        "filter_html": _filter_html(articles, day),
        "attribution_html": attribution_html,
        "online": _ONLINE if online else None,
    }
    data_json = script_json(data)
    key = map_id or content_key(data_json, theatre_id, repr(center), str(zoom), repr(view), "v1")

    with deterministic_ids(key):
        m = _FrontMap(
            location=center,
            zoom_start=zoom,
            tiles=None,
            control_scale=True,
            min_zoom=None,
            prefer_canvas=False,
            max_bounds=False,
        )
        m.options["max_zoom"] = 14
        m.options["min_zoom"] = max(2, zoom - 4)
        m.options["max_bounds"] = [[view[0], view[1]], [view[2], view[3]]]
        m.options["max_bounds_viscosity"] = 0.7
        # Repoint the per-instance asset lists: nothing is linked, all is inlined below.
        m.default_js = []
        m.default_css = []
        m.scoped_css = _map_css(m.get_name(), SEA_COLOR)
        figure = m.get_root()
        assert isinstance(figure, Figure)
        page_title = heading + (f" — as of {day}" if day else "")
        figure.title = esc(page_title)
        figure.header.add_child(
            Element('<meta name="viewport" content="width=device-width, initial-scale=1.0">'),
            name="frontmap_viewport",
        )
        figure.header.add_child(
            Element("<style>" + static_text("page.css").rstrip("\n") + "</style>"),
            name="frontmap_page",
        )
        figure.header.add_child(_Inline("style", _assets.leaflet_css()), name="leaflet_css")
        figure.header.add_child(_Inline("style", _assets.cluster_css()), name="cluster_css")
        figure.header.add_child(_Inline("script", _assets.leaflet_js()), name="leaflet_js")
        figure.header.add_child(_Inline("script", _assets.cluster_js()), name="cluster_js")
        figure.header.add_child(
            _Inline("script", "\n" + static_text("client.js")), name="frontmap_js"
        )
        m.add_child(_Draw(data_json), name="frontmap_draw")
        m._frontmap_key = key  # type: ignore[attr-defined]
        m._frontmap_title = page_title  # type: ignore[attr-defined]
        m._frontmap_n_places = len(place_list)  # type: ignore[attr-defined]
        m._frontmap_info = MapInfo(  # type: ignore[attr-defined]
            map_id=m.get_name(),
            theatre_id=theatre_id,
            heading=heading,
            as_of=day,
            place_keys=tuple(p.key for p in place_list),
            zone_names=zone_names,
        )
    return m
