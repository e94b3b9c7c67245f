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
from typing import Any

import folium
import pandas as pd
from branca.element import Figure

from .. import files
from ..errors import InputError, RenderError
from ..theatres import Theatre
from ._html import esc, script_json
from ._ids import content_key, deterministic_ids
from ._resources import static_text
from ._rows import mention_rows

__all__ = [
    "export_static",
    "fragment_assets",
    "map_fragment",
    "map_html",
    "map_iframe",
    "write_map",
]

_GUARDS = {
    "leaflet": "!window.L",
    "cluster": "!(window.L && L.MarkerClusterGroup)",
    "frontmap": "!window.frontmap",
}

#: The default height of a fragment: a map that fits a phone and a desktop.
FRAGMENT_HEIGHT = "clamp(380px, 75vh, 640px)"
#: The style of an iframe: full width, 4:3, at least 360 px and at most 85 % of the window.
IFRAME_STYLE = "width:100%;aspect-ratio:4/3;height:auto;min-height:360px;max-height:85vh;border:0"


def export_static(
    theatre: Theatre,
    places: pd.DataFrame | None,
    layers: pd.DataFrame | None,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    title: str | None = None,
    as_of: dt.date | str | None = None,
    paper: str | None = None,
    size: tuple[float, float] | str | None = None,
    width_in: float | None = None,
    dpi: int = 150,
    extent: str | tuple[float, float, float, float] | None = None,
    events: Any = None,
) -> None:
    """Write a print-ready static map (PNG, SVG or PDF) with matplotlib; no browser needed.

    The page holds the title and date, the map, a panel with an inset locator
    map and the legend (the same entries, drawn the same way, as the page's
    legend), and the credits of every source. Labels never overlap.

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
    paper : {"a4", "letter"}, optional
        Paper size; landscape unless the map is taller than wide. With no
        paper, size or width the page is A4.
    size : (width, height) in inches, or a ``WxH`` string, optional
        Page size (``"180x120mm"``, ``"7x5in"``, ``"1600x1000px"`` at ``dpi``;
        see :func:`maps._paper.parse_size`); wins over ``paper``.
    width_in : float, optional
        Page width in inches, the height following the map (without paper or size).
    dpi : int
        Resolution of PNG output.
    extent : "places" or (south, west, north, east), optional
        What the map shows: by default the theatre; ``"places"`` fits the
        places named; a box in degrees.
    events : DataFrame or list of dict, optional
        Event rows (:func:`frontmap.geoparse_events`): the theatre's events
        dated up to the map's day (or undated) are drawn with the page's icons,
        one per kind at each point with the number of events, and counted in
        the legend.

    Raises
    ------
    frontmap.errors.InputError
        When ``places`` is not a frame of mention rows, a date (in the rows,
        the layers or ``as_of``) cannot be read, or an option is not valid.
    frontmap.errors.RenderError
        Unknown format.
    frontmap.errors.OutputError
        When the file cannot be written.
    """
    from ._paper import PAPERS, PrintSpec, parse_extent, parse_size
    from ._static import static_bytes

    rows = mention_rows(places)
    if fmt is None:
        fmt = os.path.splitext(os.fspath(path))[1].lstrip(".") or "png"
    if paper is not None and paper not in PAPERS:
        raise InputError(f"paper: {paper!r} is not one of {', '.join(PAPERS)}")
    if isinstance(size, str):
        size = parse_size(size, dpi)
    if isinstance(extent, str):
        extent = parse_extent(extent)
    if not 20 <= int(dpi) <= 1200:
        raise InputError(f"dpi: {dpi!r} must be between 20 and 1200")
    spec = PrintSpec(paper=paper, size=size, width_in=width_in, dpi=int(dpi), extent=extent)
    data = static_bytes(
        theatre, rows, layers, fmt, title=title, as_of=as_of, spec=spec, events=events
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


def _guarded(kind: str, tag: str, code: str) -> str:
    return f"<{tag}>if ({_GUARDS[kind]}) {{\n{code}\n}}</{tag}>"


def fragment_assets() -> str:
    """The scripts every fragment of a page shares: paste them once per page, anywhere.

    Leaflet, Leaflet.markercluster and frontmap's script, each guarded so that
    it runs only when the page has no copy yet, and the maps' CSS, which each
    map's shadow root adopts (one stylesheet a page; nothing is added to the
    host page's own styles).

    Returns
    -------
    str
        Three ``<script>`` elements (~240 kB).
    """
    from . import _assets
    from .render import map_css

    css = _assets.leaflet_css() + "\n" + _assets.cluster_css() + map_css()
    # The CSS first: fragments queued before this script mount as soon as it runs.
    client = f"window.frontmapCSS = window.frontmapCSS || {script_json(css)};\n" + static_text(
        "client.js"
    )
    return "\n".join(
        [
            _guarded("leaflet", "script", _assets.leaflet_js()),
            _guarded("cluster", "script", _assets.cluster_js()),
            # frontmap's own guard is inside client.js; the first CSS of the page stays.
            f"<script>\n{client}\n</script>",
        ]
    )


def _mount_script(m: folium.Map) -> tuple[str, str]:
    """The host element's id and the script that mounts the map into it."""
    mount = getattr(m, "_frontmap_mount", None)
    if mount is None:
        raise RenderError("not a map made by maps.render_theatre")
    options, data_json = mount
    host = m.get_name()
    script = (
        "<script>(window.frontmapQueue = window.frontmapQueue || []).push(function () {\n"
        f"frontmap.mount({script_json(host)}, {script_json(options)}, {data_json});\n"
        "});</script>"
    )
    return host, script


def map_fragment(
    m: folium.Map, *, height: str = FRAGMENT_HEIGHT, include_assets: bool = True
) -> str:
    """An HTML fragment holding the map, to paste into any page (a CMS block, a report).

    The map is drawn inside the shadow root of its host ``<div>``: the host
    page's stylesheet cannot reach it (``svg{max-width:100%}``,
    ``*{box-sizing:content-box}``, a global ``div{...}`` change nothing), and
    it adds nothing to the host page's styles. Several fragments share one
    page: the assets (:func:`fragment_assets`) run once, wherever they are,
    even after the fragments (each map waits in ``window.frontmapQueue``).

    Parameters
    ----------
    m : folium.Map
        A map from :func:`maps.render_theatre`.
    height : str
        CSS height of the map box (by default at least 380 px, 75 % of the
        window, at most 640 px).
    include_assets : bool
        Include :func:`fragment_assets` (~240 kB). Leave it out of every
        fragment but one on a page, or paste the assets once on their own.

    Returns
    -------
    str
    """
    host, script = _mount_script(m)
    label = getattr(m, "_frontmap_title", "Map")
    # The host's own box is guarded inline (!important beats the page's rules);
    # what it holds before the map is mounted says why a map may be missing.
    style = (
        "display:block !important;position:relative !important;width:100%;"
        f"height:{esc(height)} !important;padding:0 !important;border:0 !important;"
        "box-sizing:border-box !important;overflow:hidden !important"
    )
    parts = [fragment_assets()] if include_assets else []
    parts.append(
        f'<div class="frontmap-embed" id="{esc(host)}" role="figure" '
        f'aria-label="{esc(label)}" style="{style}">'
        f"Map: {esc(label)} (it needs JavaScript and the frontmap assets on this page)</div>"
    )
    parts.append(script)
    return "\n".join(parts)


def map_iframe(
    m: folium.Map,
    *,
    src: str | None = None,
    width: str = "100%",
    height: str | None = None,
    title: str | None = None,
) -> str:
    """An ``<iframe>`` holding the map: ``src`` pointing at its page, or the page inline.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`maps.render_theatre`.
    src : str, optional
        The URL of the map's standalone page (:func:`write_map`): the snippet
        is then a few hundred bytes. Without it the whole page goes into
        ``srcdoc``, escaped.
    width : str
        CSS width of the frame.
    height : str, optional
        CSS height; by default the frame is responsive: 4:3, at least 360 px,
        at most 85 % of the window.
    title : str, optional
        Accessible title of the frame; defaults to the map's title.

    Returns
    -------
    str
    """
    label = title if title is not None else getattr(m, "_frontmap_title", "Map")
    style = IFRAME_STYLE.replace("width:100%", f"width:{esc(width)}")
    if height is not None:
        style = f"width:{esc(width)};height:{esc(height)};border:0"
    attributes = (
        f'title="{esc(label)}" style="{style}" loading="lazy" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"'
    )
    if src is not None:
        return f'<iframe src="{esc(src)}" {attributes}></iframe>'
    return f'<iframe {attributes} srcdoc="{_html.escape(map_html(m), quote=True)}"></iframe>'
