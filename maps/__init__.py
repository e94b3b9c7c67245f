"""Maps of conflict news: folium maps per theatre, and their exports.

The public names are imported on first use (PEP 562), so ``import
frontmap.maps`` — and the ``frontmap`` command — does not pay for folium,
matplotlib or geopandas until a map is drawn.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "actor_style",
    "export_static",
    "fragment_assets",
    "kind_style",
    "layer_kinds",
    "map_fragment",
    "map_html",
    "map_iframe",
    "place_count",
    "render_theatre",
    "report_html",
    "write_index",
    "write_map",
    "write_report",
]

_WHERE = {
    "export_static": "export",
    "fragment_assets": "export",
    "map_fragment": "export",
    "map_html": "export",
    "map_iframe": "export",
    "write_index": "index",
    "write_map": "export",
    "place_count": "render",
    "render_theatre": "render",
    "report_html": "report",
    "write_report": "report",
    "actor_style": "styles",
    "kind_style": "styles",
    "layer_kinds": "styles",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'maps' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
