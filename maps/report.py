"""The report: articles with their toponyms linked to the theatre maps, and a table.

:func:`report_html` builds one self-contained HTML page (``frontmap report``):

* each article's text, with every toponym the geoparser found wrapped in a
  ``<mark>`` inside a link: a toponym drawn on one of the maps links to its
  marker (a click scrolls to the map and opens the marker's popup), any other
  toponym (outside every theatre, or on no map) links to its row of the table;
* the theatre maps, inlined as fragments (:func:`maps.map_fragment`) that
  share one copy of the Leaflet assets;
* a table with one row per distinct place per article: name, kind,
  coordinates, theatre, zones, control, distance to the front line, and the
  mentions (links back to each one in the text).

The page needs no network and gives the same bytes for the same input. Article
text is untrusted: it is cut at the toponyms' offsets and every piece is
HTML-escaped; only ids made here (indices, map element ids) go into attributes.
The links work without JavaScript too (they jump to the map or the row); the
popups are opened by the map's own guarded script (``frontmap.show``, see
``_client.py``), so nothing is added to the page's scripts for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import pandas as pd

from geo.errors import RenderError

from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION
from ._html import clean_text, esc, is_missing, link
from .export import _get, map_fragment, write_text
from .render import MapInfo, _coord, _date, _kind_label, _list, _num, map_info, row_place_key
from .theatres import actor_style

__all__ = ["report_html", "write_report"]

#: Height of each map in the report.
MAP_HEIGHT = "560px"

_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  margin: 0 auto; max-width: 70em; padding: 1em 1.2em 3em; color: #222; }
h1 { font-size: 1.6em; margin: .4em 0 .2em; }
h2 { font-size: 1.3em; margin: 1.6em 0 .5em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.1em; margin: 1.2em 0 .2em; }
.fm-sub, .fm-meta { color: #555; margin: 0 0 .4em; font-size: 13px; }
.fm-toc { font-size: 14px; }
.fm-text { white-space: pre-wrap; overflow-wrap: anywhere; background: #fafafa;
  border-left: 3px solid #ddd; padding: .6em .9em; margin: .4em 0 1em; }
.fm-text a { color: inherit; text-decoration: none; }
.fm-text mark { background: #ffe066; padding: 0 1px; border-radius: 2px;
  border-bottom: 2px solid #e0a800; }
.fm-text a.fm-out mark { background: #e6e6e6; border-bottom-color: #999; }
.fm-text a:hover mark, .fm-text a:focus mark { background: #ffc800; }
.fm-text a.fm-current mark { outline: 2px solid #c00; }
.fm-report-map { margin: .5em 0 1.5em; }
.fm-report-map .folium-map { scroll-margin: 1em; }
table.fm-places { border-collapse: collapse; width: 100%; font-size: 13.5px; }
.fm-places th, .fm-places td { text-align: left; padding: 3px 7px;
  border-bottom: 1px solid #ddd; vertical-align: top; }
.fm-places th { background: #f3f3f3; position: sticky; top: 0; }
.fm-places td.n { text-align: right; white-space: nowrap; }
.fm-places tr.fm-art td { background: #eef3f8; font-weight: 600; }
.fm-places tr:target td { background: #fff3bf; }
.fm-places .fm-back a { margin-right: .35em; }
footer { margin-top: 2em; color: #666; font-size: 13px; }
"""


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
    anchor: str  # id of the <a> in the text ("" when not shown in the text)


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
    target: tuple[str, int] | None  # (map element id, marker index)
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


def _targets(infos: list[MapInfo]) -> dict[tuple[str, str], tuple[str, int]]:
    """(theatre id, place key) → (map element id, marker index); first map wins."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for info in infos:
        for i, key in enumerate(info.place_keys):
            out.setdefault((info.theatre_id, key), (info.map_id, i))
            out.setdefault(("", key), (info.map_id, i))
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
        place.mentions.append(_Mention(start, end, ""))
    return articles, {i: list(p.values()) for i, p in per_article.items()}


def _link_attrs(place: _Row) -> str:
    if place.target is None:
        return f'class="fm-out" href="#{place.anchor}"'
    map_id, index = place.target
    return f'class="fm-tp" href="#{map_id}" data-fm-map="{map_id}" data-fm-i="{index}"'


def _text_html(article: _Article, places: list[_Row], titles: Mapping[str, str]) -> str:
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
        mention.anchor = f"fm-t{article.index}-{n}"
        n += 1
        where = (
            titles.get(place.theatre, place.theatre) if place.theatre else "outside every theatre"
        )
        title = f"{place.name} · {where}"
        parts.append(esc(text[pos:a]))
        parts.append(
            f'<a id="{mention.anchor}" {_link_attrs(place)} title="{esc(title)}">'
            f"<mark>{esc(text[a:b])}</mark></a>"
        )
        pos = b
    parts.append(esc(text[pos:]))
    return "".join(parts)


def _cite(article: _Article) -> str:
    label = article.title or article.url or (f"Article {article.id}" if article.id else "Article")
    return link(article.url, label)


def _table(
    articles: list[_Article],
    rows: dict[int, list[_Row]],
    zone_names: Mapping[str, str],
    titles: Mapping[str, str],
    map_ids: Mapping[str, str],
) -> str:
    out = [
        '<table class="fm-places"><thead><tr><th>Place</th><th>Kind</th>'
        "<th>Coordinates</th><th>Theatre</th><th>Zones</th><th>Control</th>"
        '<th class="n">Front (km)</th><th class="n">Mentions</th></tr></thead><tbody>'
    ]
    for article in articles:
        places = rows.get(article.index)
        if not places:
            continue
        out.append(
            f'<tr class="fm-art"><td colspan="8"><a href="#fm-a{article.index}">'
            f"{esc(_plain_cite(article))}</a></td></tr>"
        )
        for p in places:
            if p.target is not None:
                name = f"<a {_link_attrs(p)}>{esc(p.name)}</a>"
            else:
                name = esc(p.name)
            coords = _coord(p.lat, p.lon) if p.lat is not None and p.lon is not None else ""
            if p.country:
                coords = f"{coords} · {esc(p.country)}" if coords else esc(p.country)
            if p.theatre:
                theatre = esc(titles.get(p.theatre, p.theatre))
                if p.theatre in map_ids:
                    theatre = f'<a href="#fm-map-{map_ids[p.theatre]}">{theatre}</a>'
            else:
                theatre = "outside every theatre"
            zones = "<br>".join(esc(zone_names.get(z, z)) for z in p.zones)
            control = esc(actor_style(p.control).label) if p.control else ""
            front = f"{p.front_km:.1f}" if p.front_km is not None else ""
            back = "".join(
                f'<a href="#{m.anchor}">{k}</a>'
                for k, m in enumerate((m for m in p.mentions if m.anchor), 1)
            )
            count = len(p.mentions)
            mentions = f'{count} <span class="fm-back">{back}</span>' if back else str(count)
            out.append(
                f'<tr id="{p.anchor}"><td>{name}</td><td>{esc(_kind_label(p.kind))}</td>'
                f"<td>{coords}</td><td>{theatre}</td><td>{zones}</td><td>{control}</td>"
                f'<td class="n">{front}</td><td class="n">{mentions}</td></tr>'
            )
    out.append("</tbody></table>")
    return "".join(out)


def _plain_cite(article: _Article) -> str:
    label = article.title or article.url or (f"Article {article.id}" if article.id else "Article")
    return f"{label} · {article.date}" if article.date else label


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
    geo.errors.RenderError
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
    map_ids = {}
    for info in infos:
        map_ids.setdefault(info.theatre_id, info.map_id)

    article_list, rows = _build(_articles(articles), _records(places), infos)
    texts = {a.index: _text_html(a, rows.get(a.index, []), titles) for a in article_list}
    n_places = sum(len(r) for r in rows.values())

    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        '<body class="fm-report">',
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
            out.append(f'<div class="fm-text">{texts[a.index]}</div>')
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
        out.append(_table(article_list, rows, names, titles, map_ids))
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
    geo.errors.RenderError
        As for :func:`report_html`, or when the file cannot be written.
    """
    write_text(path, report_html(articles, places, theatre_maps, **options))
