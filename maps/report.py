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
  mentions (links back to each one in the text).

The page needs no network and gives the same bytes for the same input. Article
text is untrusted: it is cut at the toponyms' offsets and every piece is
HTML-escaped; only ids made here (indices, map element ids) go into attributes.
The links in the text work without JavaScript (they jump to the map or the
row); the popups are opened by the maps' own guarded script
(``frontmap.show``, see ``_client.py``).

The tables are written as compact JSON (strings shared by index) and built in
the page with ``textContent`` by a small script: a 10,000-place report stays
under 6 MB. The same script gives each toponym in the text its id
(``fm-t<article>-<n>``), which the tables' mention links point to. Articles and
tables are drawn by the browser only when scrolled into view
(``content-visibility: auto``), so a long report is ready in about a second.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import pandas as pd

from ..errors import RenderError
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION
from ._html import clean_text, esc, is_missing, link, page_head, script_json
from ._resources import static_text
from .export import _get, map_fragment, write_text
from .render import (
    MapInfo,
    _date,
    _kind_label,
    _list,
    _num,
    _Strings,
    map_info,
    row_place_key,
)
from .styles import actor_style

__all__ = ["report_html", "write_report"]

#: Height of each map in the report.
MAP_HEIGHT = "560px"


# --------------------------------------------------------------------------- inputs


@dataclass
class _Article:
    index: int
    id: str
    text: str | None
    title: str
    date: str | None
    url: str | None


@dataclass
class _Mention:
    start: int
    end: int
    n: int = -1  # its number among the toponyms of the text (-1: not marked there)


@dataclass
class _Row:
    """One distinct place named in one article."""

    anchor: str
    name: str
    kind: str
    lat: float | None
    lon: float | None
    country: str
    theatre: str
    zones: list[str]
    control: str
    front_km: float | None
    target: tuple[int, int] | None  # (map number in the report, marker index)
    mentions: list[_Mention] = field(default_factory=list)


def _text_of(item: Any) -> str | None:
    full = getattr(item, "full_text", None)
    if callable(full):
        value = full()
    else:
        value = _get(item, "text")
    return None if value is None or is_missing(value) else str(value)


def _articles(articles: Any) -> list[_Article]:
    if articles is None:
        return []
    items: Iterable[Any] = (
        articles.to_dict("records") if isinstance(articles, pd.DataFrame) else articles
    )
    out: list[_Article] = []
    for item in items:
        out.append(
            _Article(
                index=len(out),
                id=clean_text(_get(item, "id", "article_id")),
                text=_text_of(item),
                title=clean_text(_get(item, "title", "article_title")),
                date=_date(_get(item, "date", "article_date")),
                url=clean_text(_get(item, "url", "article_url")) or None,
            )
        )
    return out


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False)]


def _offsets(row: dict[str, Any], text: str | None) -> tuple[int, int] | None:
    """Where the mention is in the article text, checked against ``surface``."""
    if not text:
        return None
    surface = clean_text(row.get("surface"))
    start, end = _num(row.get("start")), _num(row.get("end"))
    if start is not None and end is not None:
        a, b = int(start), int(end)
        if 0 <= a < b <= len(text) and (not surface or text[a:b] == surface):
            return a, b
    return None


# --------------------------------------------------------------------------- building


def _targets(infos: list[MapInfo]) -> dict[tuple[str, str], tuple[int, int]]:
    """(theatre id, place key) → (map number, marker index); the first map wins."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for k, info in enumerate(infos):
        for i, key in enumerate(info.place_keys):
            out.setdefault((info.theatre_id, key), (k, i))
            out.setdefault(("", key), (k, i))
    return out


def _build(
    articles: list[_Article], rows: list[dict[str, Any]], infos: list[MapInfo]
) -> tuple[list[_Article], dict[int, list[_Row]]]:
    """Group the mention rows by article and place; link each place to its marker."""
    by_id = {a.id: a for a in articles}
    targets = _targets(infos)
    per_article: dict[int, dict[str, _Row]] = {}
    for row in rows:
        aid = clean_text(row.get("article_id"))
        article = by_id.get(aid)
        if article is None:  # named in the places only: listed, without text
            article = _Article(
                index=len(articles),
                id=aid,
                text=None,
                title=clean_text(row.get("article_title")),
                date=_date(row.get("article_date")),
                url=clean_text(row.get("article_url")) or None,
            )
            articles.append(article)
            by_id[aid] = article
        key = row_place_key(row)
        name = clean_text(row.get("name")) or clean_text(row.get("surface")) or "?"
        group_key = key or "s:" + name
        places = per_article.setdefault(article.index, {})
        place = places.get(group_key)
        if place is None:
            theatre = clean_text(row.get("theatre"))
            target = None
            if key is not None:
                target = targets.get((theatre, key)) if theatre else targets.get(("", key))
            place = places[group_key] = _Row(
                anchor=f"fm-p{article.index}-{len(places)}",
                name=name,
                kind=clean_text(row.get("kind")),
                lat=_num(row.get("lat")) if key else None,
                lon=_num(row.get("lon")) if key else None,
                country=clean_text(row.get("country")),
                theatre=theatre,
                zones=[clean_text(z) for z in _list(row.get("zones"))],
                control=clean_text(row.get("control")),
                front_km=_num(row.get("front_km")),
                target=target,
            )
        start, end = _offsets(row, article.text) or (-1, -1)
        place.mentions.append(_Mention(start, end))
    return articles, {i: list(p.values()) for i, p in per_article.items()}


def _href(place: _Row, infos: list[MapInfo]) -> str:
    """Attributes of a link to the place's marker, or to its row of the table."""
    if place.target is None:
        return f'href="#{place.anchor}"'
    k, index = place.target
    return f'href="#{infos[k].map_id}" data-fm-i="{index}"'


def _text_html(article: _Article, places: list[_Row], infos: list[MapInfo]) -> str:
    """The escaped article text with every toponym as ``<a ...><mark>…</mark></a>``."""
    text = article.text or ""
    spans: list[tuple[int, int, _Row, _Mention]] = []
    for place in places:
        for mention in place.mentions:
            if mention.start >= 0:
                spans.append((mention.start, mention.end, place, mention))
    spans.sort(key=lambda s: (s[0], -s[1]))
    parts: list[str] = []
    pos = 0
    n = 0
    for a, b, place, mention in spans:
        if a < pos:  # overlaps the previous toponym: left unmarked in the text
            continue
        mention.n = n
        n += 1
        parts.append(esc(text[pos:a]))
        parts.append(f"<a {_href(place, infos)}><mark>{esc(text[a:b])}</mark></a>")
        pos = b
    parts.append(esc(text[pos:]))
    return "".join(parts)


def _cite(article: _Article) -> str:
    return link(article.url, _label(article))


def _label(article: _Article) -> str:
    return article.title or article.url or (f"Article {article.id}" if article.id else "Article")


def _table_data(
    articles: list[_Article],
    rows: dict[int, list[_Row]],
    infos: list[MapInfo],
    zone_names: Mapping[str, str],
    titles: Mapping[str, str],
) -> dict[str, Any]:
    """The table as compact data (see ``_REPORT_JS`` for the layout)."""
    strings = _Strings()
    theatre_maps: dict[str, int] = {}
    for k, info in enumerate(infos):
        if info.theatre_id:
            theatre_maps.setdefault(str(strings(titles[info.theatre_id])), k)
    out_rows: list[list[Any]] = []
    labels: dict[str, str] = {}
    for article in articles:
        places = rows.get(article.index)
        if not places:
            continue
        label = _label(article)
        labels[str(article.index)] = f"{label} · {article.date}" if article.date else label
        for p in places:
            theatre = strings(titles.get(p.theatre, p.theatre)) if p.theatre else None
            out_rows.append(
                [
                    article.index,
                    p.name,
                    strings(_kind_label(p.kind)),
                    None if p.lat is None else round(p.lat, 5),
                    None if p.lon is None else round(p.lon, 5),
                    strings(p.country) if p.country else None,
                    theatre,
                    [strings(zone_names.get(z, z)) for z in p.zones],
                    strings(actor_style(p.control).label) if p.control else None,
                    None if p.front_km is None else round(p.front_km, 1),
                    list(p.target) if p.target is not None else None,
                    [m.n for m in p.mentions if m.n >= 0],
                    len(p.mentions),
                ]
            )
    return {
        "maps": [info.map_id for info in infos],
        "theatre_maps": theatre_maps,
        "articles": labels,
        "strings": strings.items,
        "rows": out_rows,
    }


# --------------------------------------------------------------------------- public


def report_html(
    articles: Any,
    places: pd.DataFrame | None,
    theatre_maps: Sequence[folium.Map],
    *,
    title: str = "frontmap report",
    map_height: str = MAP_HEIGHT,
    zone_names: Mapping[str, str] | None = None,
) -> str:
    """One self-contained HTML report: linked article texts, the maps, a table of places.

    Parameters
    ----------
    articles : iterable of mappings or objects, or DataFrame
        The articles, in the order shown: ``id`` (or ``article_id``), ``text``,
        ``title``, ``date``, ``url`` (missing fields are fine). An object with
        a ``full_text()`` method (``geo.articles.Article``) is read with it.
    places : DataFrame
        One row per toponym mention, all theatres and none (the DataFrame the
        CLI builds with ``layers.join``: ``article_id``, ``start``, ``end``,
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

    Returns
    -------
    str
        The HTML document (deterministic: the same input gives the same text).

    Raises
    ------
    frontmap.errors.RenderError
        If a map was not made by :func:`maps.render_theatre`, or two maps
        share an element id.
    """
    infos = [map_info(m) for m in theatre_maps]
    seen: set[str] = set()
    for info in infos:
        if info.map_id in seen:
            raise RenderError(
                f"two maps share the element id {info.map_id!r}: render one with map_id=..."
            )
        seen.add(info.map_id)
    names: dict[str, str] = dict(zone_names or {})
    for info in infos:
        names.update(info.zone_names)
    titles = {info.theatre_id: info.heading for info in infos if info.theatre_id}

    article_list, rows = _build(_articles(articles), _records(places), infos)
    texts = {a.index: _text_html(a, rows.get(a.index, []), infos) for a in article_list}
    n_places = sum(len(r) for r in rows.values())

    out = [
        *page_head(title, "\n" + static_text("report.css"), '<body class="fm-report">'),
        f"<h1>{esc(title)}</h1>",
    ]
    bits = [
        _count(len(article_list), "article"),
        _count(len(infos), "map"),
        _count(n_places, "place") + " (distinct per article)",
    ]
    out.append(f'<p class="fm-sub">{" · ".join(bits)}</p>')
    toc = ['<a href="#fm-articles">Articles</a>']
    if infos:
        toc.append('<a href="#fm-maps">Maps</a>')
    toc.append('<a href="#fm-places">Places</a>')
    out.append(f'<p class="fm-toc">{" · ".join(toc)}</p>')

    out.append('<section id="fm-articles"><h2>Articles</h2>')
    if n_places:
        out.append(
            '<p class="fm-key">Names of places: <mark>on a map</mark> (a click opens its '
            'marker), <mark class="fm-off">on no map</mark> (a click goes to its row of the '
            "table of places).</p>"
        )
    if not article_list:
        out.append("<p>No article.</p>")
    for a in article_list:
        out.append(f'<article id="fm-a{a.index}"><h3>{_cite(a)}</h3>')
        meta = [esc(a.date)] if a.date else []
        named = rows.get(a.index, [])
        meta.append(_count(len(named), "place") + " named")
        on_map = sum(1 for p in named if p.target is not None)
        if named:
            meta.append(f"{on_map} on the maps")
        out.append(f'<p class="fm-meta">{" · ".join(meta)}</p>')
        if a.text is None:
            out.append('<p class="fm-meta">(text not given)</p>')
        else:
            out.append(f'<div class="fm-text" data-fm-a="{a.index}">{texts[a.index]}</div>')
        out.append("</article>")
    out.append("</section>")

    if infos:
        out.append('<section id="fm-maps"><h2>Maps</h2>')
        for k, (m, info) in enumerate(zip(theatre_maps, infos, strict=True)):
            heading = info.heading + (f" — as of {info.as_of}" if info.as_of else "")
            out.append(
                f'<figure class="fm-report-map" id="fm-map-{info.map_id}" style="margin:0">'
                f"<h3>{esc(heading)}</h3>"
            )
            out.append(map_fragment(m, height=map_height, include_assets=k == 0))
            out.append("</figure>")
        out.append("</section>")

    out.append('<section id="fm-places"><h2>Places</h2>')
    if n_places:
        out.append(
            '<div id="fm-tables"></div>'
            "<noscript><p>The table of places is built by JavaScript.</p></noscript>"
        )
        data = script_json(_table_data(article_list, rows, infos, names, titles))
        out.append(f'<script type="application/json" id="fm-report-data">{data}</script>')
        out.append(f"<script>\n{static_text('report.js')}</script>")
    else:
        out.append("<p>No place was named.</p>")
    out.append("</section>")
    out.append(
        f"<footer>Places: {esc(GEONAMES_ATTRIBUTION)} and frontmap's curated gazetteer. "
        f"Base maps: {esc(NE_ATTRIBUTION)}. Layer sources are credited on each map.</footer>"
    )
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def write_report(
    path: str | os.PathLike[str],
    articles: Any,
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
        ``title``, ``map_height``, ``zone_names``: as for :func:`report_html`.

    Raises
    ------
    frontmap.errors.RenderError
        As for :func:`report_html`, or when the file cannot be written.
    """
    write_text(path, report_html(articles, places, theatre_maps, **options))
