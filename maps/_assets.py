"""Leaflet assets read from the installed ``xstatic-*`` packages, for inlining.

Nothing here is copied into the repository: the files are read at run time
from ``xstatic.pkg.leaflet`` (Leaflet 1.9.3) and
``xstatic.pkg.leaflet_markercluster`` (Leaflet.markercluster 1.4.1), through
:mod:`importlib.resources` (no assumption of an unzipped install), so a map
written by frontmap carries its own JavaScript and CSS and opens with no
network. Images the CSS refers to are inlined as ``data:`` URIs and source map
comments are dropped, so the browser has nothing to fetch.
"""

from __future__ import annotations

import base64
import functools
import re
from importlib.resources import files
from importlib.resources.abc import Traversable

from ..errors import RenderError

__all__ = ["leaflet_js", "leaflet_css", "cluster_js", "cluster_css"]

_PACKAGES = {"leaflet": "xstatic.pkg.leaflet", "markercluster": "xstatic.pkg.leaflet_markercluster"}
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[A-Za-z0-9_.-]+\.png)\1\)")


def _file(package: str, name: str) -> Traversable:
    """A file of an xstatic package's ``data`` folder."""
    try:
        return files(_PACKAGES[package]).joinpath("data").joinpath(name)
    except ModuleNotFoundError as exc:  # pragma: no cover - declared dependency
        raise RenderError(f"the xstatic package for {package} is not installed: {exc}") from None


def _read(package: str, name: str) -> str:
    try:
        text = _file(package, name).read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - broken install
        raise RenderError(f"cannot read the {package} asset {name}: {exc}") from None
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

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode(_file("leaflet", match.group(2)).read_bytes()).decode("ascii")
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
