"""The report: articles with their toponyms linked to the theatre maps, and a table.

:func:`report_html` builds one self-contained HTML page (``frontmap report``):

* each article's text, with every toponym the geoparser found wrapped in a
  ``<mark>`` inside a link: a toponym drawn on one of the maps links to its
  marker (a click scrolls to the map and opens the marker's popup), any other
  toponym (outside every theatre, or on no map) links to its row of the table;
* the theatre maps, inlined as fragments (:func:`maps.map_fragment`) that
  share one copy of the Leaflet assets;
* a table per article with one row per distinct place: name, kind,
  coordinates, theatre, zones, control, distance to the front line, and the
  mentions (links back to each one in the text);
* under each article, the events it reports when they are given
  (:func:`frontmap.pipeline.event_rows`): date, type, actors, place,
  fatalities and the clause that reports it (:func:`_events_of`).

The page (``templates/report.html``) needs no network and gives the same bytes
for the same input. Article text is untrusted: it is cut at the toponyms'
offsets and every piece is escaped by the template; only ids made here
(indices, map element ids) go into attributes.
The links in the text work without JavaScript (they jump to the map or the
row); the popups are opened by the maps' own guarded script
(``frontmap.show``, see ``static/client.js``).

The tables are written as compact JSON (strings shared by index) and built in
the page with ``textContent`` by ``static/report.js``: a 10,000-place report stays
under 6 MB. The same script gives each toponym in the text its id
(``fm-t<article>-<n>``), which the tables' mention links point to. Articles and
tables are drawn by the browser only when scrolled into view
(``content-visibility: auto``), so a long report is ready in about a second.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd

from .. import files
from ..errors import RenderError
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION
from ._html import StringTable, script_json
from ._resources import render_template, static_text
from ._rows import Article, Articles, NamedPlace, articles_of, mention_rows, named_places
from .export import map_fragment
from .render import MapInfo, map_info
from .styles import actor_style, place_kind_label

__all__ = ["report_html", "write_report"]

#: Height of each map in the report.
MAP_HEIGHT = "560px"

#: (theatre id or "", place key) → (map number in the report, marker index).
_Targets = dict[tuple[str, str], tuple[int, int]]


def _targets(infos: list[MapInfo]) -> _Targets:
    """Where each place is drawn: the first map that has it wins."""
    out: _Targets = {}
    for k, info in enumerate(infos):
        for i, key in enumerate(info.place_keys):
            out.setdefault((info.theatre_id, key), (k, i))
            out.setdefault(("", key), (k, i))
    return out


def _target(place: NamedPlace, targets: _Targets) -> tuple[int, int] | None:
    """The marker a place of the table links to, or None when it is on no map."""
    if place.key is None:
        return None
    return targets.get((place.theatre, place.key))


def _label(article: Article) -> str:
    return article.title or article.url or (f"Article {article.id}" if article.id else "Article")


# A piece of an article's text: (text, href, marker index); href None for plain text.
_Piece = tuple[str, str | None, int | None]


def _pieces(
    article: Article, places: list[NamedPlace], infos: list[MapInfo], targets: _Targets
) -> list[_Piece]:
    """The article text cut at its toponyms; numbers the mentions that are marked.

    A toponym links to its marker (``href`` the map's element, with the
    marker's index) or, on no map, to its row of the table. Of overlapping
    mentions only the one starting first (the longest of those) is marked.
    """
    text = article.text or ""
    spans = [(m.start, m.end, place, m) for place in places for m in place.mentions if m.start >= 0]
    spans.sort(key=lambda s: (s[0], -s[1]))
    pieces: list[_Piece] = []
    pos = n = 0
    for a, b, place, mention in spans:
        if a < pos:  # overlaps the previous toponym: left unmarked in the text
            continue
        mention.n = n
        n += 1
        target = _target(place, targets)
        pieces.append((text[pos:a], None, None))
        if target is None:
            pieces.append((text[a:b], f"#fm-p{article.index}-{place.number}", None))
        else:
            pieces.append((text[a:b], "#" + infos[target[0]].map_id, target[1]))
        pos = b
    pieces.append((text[pos:], None, None))
    return pieces


@dataclass
class _Shown:
    """An article as the template shows it."""

    index: int
    label: str
    url: str | None
    date: str | None
    n_named: int
    n_on_map: int
    pieces: list[_Piece] | None  # None: text not given
    events: list[dict[str, Any]] | None = None  # the article's events, as the template shows them


def _shown(
    articles: list[Article],
    places: dict[int, list[NamedPlace]],
    infos: list[MapInfo],
    targets: _Targets,
) -> list[_Shown]:
    out = []
    for a in articles:
        named = places.get(a.index, [])
        pieces = None if a.text is None else _pieces(a, named, infos, targets)
        out.append(
            _Shown(
                index=a.index,
                label=_label(a),
                url=a.url,
                date=a.date,
                n_named=len(named),
                n_on_map=sum(1 for p in named if _target(p, targets) is not None),
                pieces=pieces,
            )
        )
    return out


@dataclass
class _Tables:
    """What the rows of the table share: its strings, theatre titles and zone names."""

    strings: StringTable
    titles: Mapping[str, str]
    zone_names: Mapping[str, str]


def _table_row(
    article: Article, p: NamedPlace, target: tuple[int, int] | None, tables: _Tables
) -> list[Any]:
    """One row of the table (the layout is described in ``static/report.js``)."""
    strings = tables.strings
    theatre = strings(tables.titles.get(p.theatre, p.theatre)) if p.theatre else None
    return [
        article.index,
        p.name,
        strings(place_kind_label(p.kind)),
        None if p.lat is None else round(p.lat, 5),
        None if p.lon is None else round(p.lon, 5),
        strings(p.country) if p.country else None,
        theatre,
        [strings(tables.zone_names.get(z, z)) for z in p.zones],
        strings(actor_style(p.control, article.date).label) if p.control else None,
        None if p.front_km is None else round(p.front_km, 1),
        list(target) if target is not None else None,
        [m.n for m in p.mentions if m.n >= 0],
        len(p.mentions),
    ]


def _table_data(
    articles: list[Article],
    places: dict[int, list[NamedPlace]],
    infos: list[MapInfo],
    targets: _Targets,
    zone_names: Mapping[str, str],
) -> dict[str, Any]:
    """The table as compact data (see ``static/report.js`` for the layout)."""
    titles = {info.theatre_id: info.heading for info in infos if info.theatre_id}
    tables = _Tables(StringTable(), titles, zone_names)
    theatre_maps: dict[str, int] = {}
    for k, info in enumerate(infos):
        if info.theatre_id:
            theatre_maps.setdefault(str(tables.strings(titles[info.theatre_id])), k)
    rows: list[list[Any]] = []
    labels: dict[str, str] = {}
    for article in articles:
        named = places.get(article.index)
        if not named:
            continue
        label = _label(article)
        labels[str(article.index)] = f"{label} · {article.date}" if article.date else label
        rows.extend(_table_row(article, p, _target(p, targets), tables) for p in named)
    return {
        "maps": [info.map_id for info in infos],
        "theatre_maps": theatre_maps,
        "articles": labels,
        "strings": tables.strings.items,
        "rows": rows,
    }


def _map_infos(theatre_maps: Sequence[folium.Map]) -> list[MapInfo]:
    infos = [map_info(m) for m in theatre_maps]
    seen: set[str] = set()
    for info in infos:
        if info.map_id in seen:
            raise RenderError(
                f"two maps share the element id {info.map_id!r}: render one with map_id=..."
            )
        seen.add(info.map_id)
    return infos


def _maps_shown(
    theatre_maps: Sequence[folium.Map], infos: list[MapInfo], height: str
) -> list[dict[str, str]]:
    return [
        {
            "id": info.map_id,
            "heading": info.heading + (f" — as of {info.as_of}" if info.as_of else ""),
            "fragment": map_fragment(m, height=height, include_assets=k == 0),
        }
        for k, (m, info) in enumerate(zip(theatre_maps, infos, strict=True))
    ]


def _events_of(events: Any) -> dict[str, list[dict[str, Any]]]:
    """Event rows (a frame or mappings with the columns of ``frontmap.schema.EVENT_COLUMNS``)
    by article id, reduced to what the report shows (plain strings: the template escapes them)."""
    if events is None:
        return {}
    rows = events.to_dict("records") if hasattr(events, "to_dict") else list(events)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        deaths = r.get("fatalities")
        out.setdefault(str(r.get("article_id")), []).append(
            {
                "date": _text(r, "event_date"),
                "type": _text(r, "sub_event_type") or _text(r, "event_type"),
                "actor1": _text(r, "actor1_name") or _text(r, "actor1"),
                "actor2": _text(r, "actor2_name") or _text(r, "actor2"),
                "location": _text(r, "location"),
                "precision": _text(r, "geo_precision"),
                "fatalities": None if deaths is None or deaths != deaths else int(deaths),
                "quote": _text(r, "quote"),
            }
        )
    return out


def _text(row: Mapping[str, Any], key: str) -> str | None:
    """A cell as text; None (or NaN) stays None."""
    value = row.get(key)
    return None if value is None or value != value else str(value)


# --------------------------------------------------------------------------- public


def report_html(
    articles: Articles,
    places: pd.DataFrame | None,
    theatre_maps: Sequence[folium.Map],
    *,
    title: str = "frontmap report",
    map_height: str = MAP_HEIGHT,
    zone_names: Mapping[str, str] | None = None,
    events: Any = None,
) -> str:
    """One self-contained HTML report: linked article texts, the maps, a table of places.

    Parameters
    ----------
    articles : iterable of mappings or objects, or DataFrame
        The articles, in the order shown: ``id``, ``text``, ``title``,
        ``date``, ``url`` (missing fields are fine; see
        :func:`maps._rows.articles_of`). An object with a ``full_text()``
        method (``geo.articles.Article``) is read with it.
    places : DataFrame
        One row per toponym mention, all theatres and none: the mention rows of
        :mod:`frontmap.schema` (``article_id``, ``start``, ``end``,
        ``surface``, ``name``, ``lat``, ``lon``, ``country``, ``kind``,
        ``gazetteer_id``, ``theatre``, ``zones``, ``control``, ``front_km``...).
        ``start``/``end`` are offsets into the article's text; a mention whose
        offsets do not match its ``surface`` is listed in the table but not
        marked in the text.
    theatre_maps : sequence of folium.Map
        Maps made by :func:`maps.render_theatre`, in the order shown; their
        element ids must differ (they do unless two maps have the same content:
        then give one a ``map_id``). A place drawn on one of them is linked to
        its marker.
    title : str
        Title of the report.
    map_height : str
        CSS height of each map.
    zone_names : mapping, optional
        Zone id to name for the table; the maps' own layers are used first,
        then this, then the id itself.
    events : DataFrame or iterable of mappings, optional
        Event rows (:func:`frontmap.geoparse_events`), listed under their
        article (matched by ``article_id``).

    Returns
    -------
    str
        The HTML document (deterministic: the same input gives the same text).

    Raises
    ------
    frontmap.errors.InputError
        When ``places`` is not a frame of mention rows, or a date cannot be read.
    frontmap.errors.RenderError
        If a map was not made by :func:`maps.render_theatre`, or two maps
        share an element id.
    """
    infos = _map_infos(theatre_maps)
    rows = mention_rows(places)
    names: dict[str, str] = dict(zone_names or {})
    for info in infos:
        names.update(info.zone_names)
    targets = _targets(infos)
    article_list, named = named_places(rows, articles_of(articles))
    shown = _shown(article_list, named, infos, targets)  # numbers the marked mentions
    by_article = _events_of(events)
    for a, s in zip(article_list, shown, strict=True):
        s.events = by_article.get(str(a.id), []) if events is not None else None
    n_places = sum(len(p) for p in named.values())
    table = _table_data(article_list, named, infos, targets, names) if n_places else None
    return render_template(
        "report.html",
        title=title,
        css=static_text("report.css"),
        js=static_text("report.js"),
        geonames=GEONAMES_ATTRIBUTION,
        natural_earth=NE_ATTRIBUTION,
        articles=shown,
        maps=_maps_shown(theatre_maps, infos, map_height),
        n_places=n_places,
        table_json=None if table is None else script_json(table),
    )


def write_report(
    path: str | os.PathLike[str],
    articles: Articles,
    places: pd.DataFrame | None,
    theatre_maps: Sequence[folium.Map],
    **options: Any,
) -> None:
    """Write :func:`report_html` to ``path`` atomically (whole or not at all).

    Parameters
    ----------
    path : str or PathLike
        Output file; its folder must exist.
    articles, places, theatre_maps
        As for :func:`report_html`.
    **options
        ``title``, ``map_height``, ``zone_names``, ``events``: as for :func:`report_html`.

    Raises
    ------
    frontmap.errors.InputError, frontmap.errors.RenderError
        As for :func:`report_html`.
    frontmap.errors.OutputError
        When the file cannot be written.
    """
    files.write_text(path, report_html(articles, places, theatre_maps, **options))
