"""Maps of conflict news: folium maps per theatre, and their exports.

The CLI lives in :mod:`maps.cli` and is not imported here, to keep
``import maps`` light.
"""

from .export import export_static, map_fragment, map_html, map_iframe, write_index, write_map
from .render import place_count, render_theatre
from .report import report_html, write_report
from .theatres import actor_style, get_theatre, kind_style, layer_kinds

__all__ = [
    "actor_style",
    "export_static",
    "get_theatre",
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
