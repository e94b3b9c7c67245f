"""Exports of a rendered map: standalone HTML, fragment, iframe, index page.

All HTML produced here is deterministic (no timestamps, ids derived from the
map's content) and every file is written atomically: a temporary file in the
target folder renamed into place, so a failure leaves no partial output.
"""

from __future__ import annotations

import html as _html
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import folium
import pandas as pd
from branca.element import Figure

from ..errors import RenderError
from ._basemap import GEONAMES_ATTRIBUTION, NE_ATTRIBUTION
from ._html import clean_text, esc, is_missing, link, page_head
from ._ids import content_key, deterministic_ids
from ._resources import static_text

__all__ = [
    "export_static",
    "map_fragment",
    "map_html",
    "map_iframe",
    "write_bytes",
    "write_index",
    "write_map",
    "write_text",
]

# Header entries that belong to a standalone page only, not to a fragment.
_PAGE_ONLY = ("meta_http", "frontmap_viewport", "frontmap_page")
_GUARDS = {
    "leaflet_js": "!window.L",
    "cluster_js": "!(window.L && L.MarkerClusterGroup)",
}


def _file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename).

    Parameters
    ----------
    path : str or PathLike
        Target file; its folder must exist.
    data : bytes
        Content.

    Raises
    ------
    frontmap.errors.RenderError
        If the file cannot be written.
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".frontmap-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _file_mode())  # mkstemp makes 0600; give the usual umask mode
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from None


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes`).

    Parameters
    ----------
    path : str or PathLike
        Target file; its folder must exist.
    text : str
        Content.
    """
    write_bytes(path, text.encode("utf-8"))


def export_static(
    theatre: Any,
    places: pd.DataFrame | None,
    layers: pd.DataFrame | None,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    title: str | None = None,
    as_of: Any = None,
    width_in: float = 10.0,
    dpi: int = 150,
) -> None:
    """Write a static map (PNG, SVG or PDF) with matplotlib; no browser needed.

    Parameters
    ----------
    theatre : layers.Theatre
        The theatre.
    places : DataFrame
        One row per mention, as for :func:`maps.render_theatre`.
    layers : GeoDataFrame
        Layers; features not valid on ``as_of`` are left out.
    path : str or PathLike
        Output file (written atomically).
    fmt : {"png", "svg", "pdf"}, optional
        Format; by default taken from the file's suffix.
    title : str, optional
        Title; defaults to the theatre's title.
    as_of : date or ISO string, optional
        Date shown; defaults to the latest article date.
    width_in : float
        Figure width in inches.
    dpi : int
        Resolution of PNG output.

    Raises
    ------
    frontmap.errors.RenderError
        Unknown format, bad date, or a file that cannot be written.
    """
    from ._static import static_bytes

    if fmt is None:
        fmt = os.path.splitext(os.fspath(path))[1].lstrip(".") or "png"
    data = static_bytes(
        theatre, places, layers, fmt, title=title, as_of=as_of, width_in=width_in, dpi=dpi
    )
    write_bytes(path, data)


def _key(m: folium.Map) -> str:
    key = getattr(m, "_frontmap_key", None)
    return key or content_key(m.get_name())


def _render(m: folium.Map) -> Figure:
    figure = m.get_root()
    if not isinstance(figure, Figure):
        raise RenderError("the map is not inside a figure")
    return figure


def map_html(m: folium.Map) -> str:
    """The standalone HTML page of a map (byte-identical for identical input).

    Parameters
    ----------
    m : folium.Map
        A map from :func:`maps.render_theatre`.

    Returns
    -------
    str
        A complete HTML document with every asset inlined.
    """
    figure = _render(m)
    with deterministic_ids(_key(m) + "r"):
        return figure.render()


def write_map(m: folium.Map, path: str | os.PathLike[str]) -> None:
    """Write the standalone HTML page of a map to ``path``.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`maps.render_theatre`.
    path : str or PathLike
        Output file (written atomically).
    """
    write_text(path, map_html(m))


def map_fragment(m: folium.Map, *, height: str = "600px", include_assets: bool = True) -> str:
    """An HTML fragment holding the map, to paste into a larger page.

    Styles are scoped to the map's element, element ids and script variables
    are unique per map content, and the inlined Leaflet scripts only run when
    the page has no Leaflet yet, so several fragments can share one page.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`maps.render_theatre`.
    height : str
        CSS height of the map box.
    include_assets : bool
        Include the inlined Leaflet/markercluster/frontmap assets. Set False
        for the second and later fragments of a page to save ~200 kB.

    Returns
    -------
    str
    """
    figure = _render(m)
    with deterministic_ids(_key(m) + "r"):
        figure.render()  # lets every element register its header/html/script parts
        parts = [
            f'<div class="frontmap-embed" style="position:relative;width:100%;'
            f'height:{esc(height)}">'
        ]
        for name, child in figure.header._children.items():
            if name in _PAGE_ONLY:
                continue
            is_asset = name in (
                "leaflet_css",
                "cluster_css",
                "leaflet_js",
                "cluster_js",
                "frontmap_js",
            )
            if is_asset and not include_assets:
                continue
            code = child.render()
            if name in _GUARDS:
                inner = code[len("<script>") : -len("</script>")]
                code = f"<script>if ({_GUARDS[name]}) {{\n{inner}\n}}</script>"
            parts.append(code)
        parts.append(figure.html.render())
        parts.append("<script>\n" + figure.script.render() + "\n</script>")
        parts.append("</div>")
    return "\n".join(parts)


def map_iframe(
    m: folium.Map, *, width: str = "100%", height: str = "600px", title: str | None = None
) -> str:
    """An ``<iframe srcdoc=...>`` holding the whole map page, escaped.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`maps.render_theatre`.
    width, height : str
        CSS size of the frame.
    title : str, optional
        Accessible title of the frame; defaults to the map's title.

    Returns
    -------
    str
    """
    page = map_html(m)
    label = title if title is not None else getattr(m, "_frontmap_title", "Map")
    return (
        f'<iframe title="{esc(label)}" style="width:{esc(width)};height:{esc(height)};'
        f'border:0" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        f'srcdoc="{_html.escape(page, quote=True)}"></iframe>'
    )


# --------------------------------------------------------------------------- index


def _get(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, Mapping):
            if name in item and not is_missing(item[name]):
                return item[name]
        elif hasattr(item, name) and not is_missing(getattr(item, name)):
            return getattr(item, name)
    return None


def _article_rows(articles: Any) -> list[dict[str, str]]:
    if articles is None:
        return []
    if isinstance(articles, pd.DataFrame):
        items: Iterable[Any] = articles.to_dict("records")
    else:
        items = articles
    out = []
    for item in items:
        out.append(
            {
                "id": clean_text(_get(item, "article_id", "id")),
                "title": clean_text(_get(item, "article_title", "title")),
                "date": clean_text(_get(item, "article_date", "date"))[:10],
                "url": clean_text(_get(item, "article_url", "url")),
            }
        )
    return out


def index_html(
    theatre_files: Sequence[tuple[Any, str, int]],
    outside: pd.DataFrame | None,
    articles: Any = None,
    *,
    title: str = "frontmap",
) -> str:
    """The HTML of the index page (see :func:`write_index`)."""
    out = [
        *page_head(title, "\n" + static_text("index.css")),
        f"<h1>{esc(title)}</h1>",
        "<h2>Theatre maps</h2>",
    ]
    if theatre_files:
        out.append("<ul>")
        for theatre, filename, n_places in theatre_files:
            name = clean_text(getattr(theatre, "title", "") or getattr(theatre, "id", ""))
            href = quote(clean_text(filename).replace(os.sep, "/"), safe="/")
            count = int(n_places)
            out.append(
                f'<li><a href="{esc(href)}">{esc(name)}</a> — '
                f"{count} place{'s' if count != 1 else ''}</li>"
            )
        out.append("</ul>")
    else:
        out.append("<p>No place named in the articles lies in a theatre.</p>")

    rows = _article_rows(articles)
    titles = {r["id"]: r["title"] or r["url"] or r["id"] for r in rows}
    if rows:
        out.append("<h2>Articles</h2><ol>")
        for r in rows:
            text = link(r["url"], r["title"] or r["url"] or r["id"] or "untitled")
            if r["date"]:
                text += " · " + esc(r["date"])
            out.append(f"<li>{text}</li>")
        out.append("</ol>")

    out.append("<h2>Places outside every theatre</h2>")
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for item in [] if outside is None else outside.to_dict("records"):
        name = clean_text(_get(item, "name", "surface")) or "?"
        key = (
            clean_text(_get(item, "gazetteer_id")) or name,
            clean_text(_get(item, "country")),
            clean_text(_get(item, "kind")),
        )
        group = groups.setdefault(key, {"name": name, "count": 0, "articles": []})
        group["count"] += 1
        aid = clean_text(_get(item, "article_id"))
        label = titles.get(aid) or clean_text(_get(item, "article_title")) or aid
        if label and label not in group["articles"]:
            group["articles"].append(label)
    if groups:
        out.append(
            "<table><thead><tr><th>Name</th><th>Country</th><th>Kind</th>"
            "<th>Mentions</th><th>Articles</th></tr></thead><tbody>"
        )
        for (_, country, kind), g in groups.items():
            out.append(
                f"<tr><td>{esc(g['name'])}</td><td>{esc(country)}</td>"
                f'<td>{esc(kind.replace("_", " "))}</td><td class="n">{g["count"]}</td>'
                f"<td>{'<br>'.join(esc(a) for a in g['articles'])}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>None.</p>")
    out.append(
        f"<footer>Places: {esc(GEONAMES_ATTRIBUTION)} and frontmap's curated gazetteer. "
        f"Base maps: {esc(NE_ATTRIBUTION)}. Layer sources are credited on each map.</footer>"
    )
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def write_index(
    path: str | os.PathLike[str],
    theatre_files: Sequence[tuple[Any, str, int]],
    outside: pd.DataFrame | None,
    articles: Any = None,
) -> None:
    """Write index.html: links to the theatre maps and the places outside them.

    Parameters
    ----------
    path : str or PathLike
        Output file (written atomically).
    theatre_files : list of (Theatre, filename, n_places)
        One entry per map written; ``filename`` relative to the index.
    outside : DataFrame
        Places (one row per mention) outside every theatre; listed grouped by
        place with name, country, kind, count and the articles naming them.
    articles : DataFrame or iterable of mappings/objects, optional
        Articles (``article_id``/``id``, ``title``, ``date``, ``url``) listed
        on the page; article titles in ``outside`` are used when absent.
    """
    write_text(path, index_html(theatre_files, outside, articles))
