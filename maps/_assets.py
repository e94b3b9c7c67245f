"""Leaflet assets read from the installed ``xstatic-*`` packages, for inlining.

Nothing here is copied into the repository: the files are read at run time
from ``xstatic.pkg.leaflet`` (Leaflet 1.9.3) and
``xstatic.pkg.leaflet_markercluster`` (Leaflet.markercluster 1.4.1), so a map
written by frontmap carries its own JavaScript and CSS and opens with no
network. Images the CSS refers to are inlined as ``data:`` URIs and source map
comments are dropped, so the browser has nothing to fetch.
"""

from __future__ import annotations

import base64
import functools
import os
import re

from ..errors import RenderError

__all__ = ["leaflet_js", "leaflet_css", "cluster_js", "cluster_css", "ASSET_VERSIONS"]

#: Versions of the inlined libraries, for the page's credits.
ASSET_VERSIONS = {"leaflet": "1.9.3", "leaflet.markercluster": "1.4.1"}

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")


def _dir(package: str) -> str:
    try:
        if package == "leaflet":
            from xstatic.pkg import leaflet as pkg
        else:
            from xstatic.pkg import leaflet_markercluster as pkg
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise RenderError(f"the xstatic package for {package} is not installed: {exc}") from None
    return pkg.BASE_DIR


def _read(package: str, name: str) -> str:
    path = os.path.join(_dir(package), name)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:  # pragma: no cover - broken install
        raise RenderError(f"cannot read Leaflet asset {path}: {exc}") from None
    return _SOURCE_MAP.sub("", text)


def _safe_for(tag: str, text: str) -> str:
    # An inlined asset must not be able to close its own element.
    if f"</{tag}" in text.lower():  # pragma: no cover - checked on the shipped files
        raise RenderError(f"asset contains a closing </{tag}> and cannot be inlined")
    return text


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, ready to go inside ``<script>``."""
    return _safe_for("script", _read("leaflet", "leaflet.js"))


@functools.cache
def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined as ``data:`` URIs."""
    base = _dir("leaflet")

    def inline(match: re.Match[str]) -> str:
        with open(os.path.join(base, match.group(2)), "rb") as fh:
            data = base64.b64encode(fh.read()).decode("ascii")
        return f'url("data:image/png;base64,{data}")'

    return _safe_for("style", _CSS_URL.sub(inline, _read("leaflet", "leaflet.css")))


@functools.cache
def cluster_js() -> str:
    """Leaflet.markercluster's minified JavaScript."""
    return _safe_for("script", _read("markercluster", "leaflet.markercluster.js"))


@functools.cache
def cluster_css() -> str:
    """Leaflet.markercluster's two stylesheets, concatenated."""
    return _safe_for(
        "style",
        _read("markercluster", "MarkerCluster.css")
        + "\n"
        + _read("markercluster", "MarkerCluster.Default.css"),
    )
