"""Exports of a rendered map: standalone HTML, fragment, iframe, static image.

All output is deterministic (no timestamps, ids derived from the map's
content) and every file is written atomically by :mod:`frontmap.files` (a
temporary file in the target folder renamed into place), so a failure leaves
no partial output.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import os

import folium
import pandas as pd
from branca.element import Figure

from .. import files
from ..errors import RenderError
from ..theatres import Theatre
from ._html import esc
from ._ids import content_key, deterministic_ids
from ._rows import mention_rows

__all__ = [
    "export_static",
    "map_fragment",
    "map_html",
    "map_iframe",
    "write_map",
]

# Header entries that belong to a standalone page only, not to a fragment.
_PAGE_ONLY = ("meta_http", "frontmap_viewport", "frontmap_page")
_GUARDS = {
    "leaflet_js": "!window.L",
    "cluster_js": "!(window.L && L.MarkerClusterGroup)",
}


def export_static(
    theatre: Theatre,
    places: pd.DataFrame | None,
    layers: pd.DataFrame | None,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    title: str | None = None,
    as_of: dt.date | str | None = None,
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
    frontmap.errors.InputError
        When ``places`` is not a frame of mention rows, or a date (in the
        rows, the layers or ``as_of``) cannot be read.
    frontmap.errors.RenderError
        Unknown format.
    frontmap.errors.OutputError
        When the file cannot be written.
    """
    from ._static import static_bytes

    rows = mention_rows(places)
    if fmt is None:
        fmt = os.path.splitext(os.fspath(path))[1].lstrip(".") or "png"
    data = static_bytes(
        theatre, rows, layers, fmt, title=title, as_of=as_of, width_in=width_in, dpi=dpi
    )
    files.write_bytes(path, data)


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

    Raises
    ------
    frontmap.errors.OutputError
        When the file cannot be written.
    """
    files.write_text(path, map_html(m))


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
