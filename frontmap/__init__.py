"""frontmap: conflict news → geocoded places → dated zones and front lines → maps.

The flow is three stages, each a subpackage:

* :mod:`frontmap.geo` — text → places (gazetteer, recognition, resolution);
* :mod:`frontmap.layers` — zones, areas of control and front lines in time,
  and spatial joins of places to them;
* :mod:`frontmap.maps` — folium maps, fragments, static images and reports.

The names below are the whole flow for a notebook::

    import frontmap

    articles = frontmap.read_articles(["news.jsonl"])
    mentions = frontmap.geoparse_articles(articles, jobs=2)   # a GeoDataFrame
    frontmap.write_maps(mentions, "out/", articles=articles)
    frontmap.write_report(mentions, "report.html", articles=articles)
    frontmap.write_mentions(mentions, "places.parquet", articles=articles)
    events = frontmap.geoparse_events(articles)            # what happened where (ACLED)
    frontmap.write_events(events, "events.csv")

They are imported on first use, so ``import frontmap`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Article",
    "ArticleResult",
    "FrontmapError",
    "GeoparseWriter",
    "InputError",
    "OutputError",
    "Theatre",
    "__version__",
    "all_theatres",
    "check_mentions",
    "geoparse",
    "geoparse_articles",
    "geoparse_events",
    "get_theatre",
    "iter_geoparse",
    "join",
    "mention_frame",
    "read_articles",
    "render_maps",
    "write_events",
    "write_maps",
    "write_mentions",
    "write_report",
]

_WHERE = {
    "Article": "geo.articles",
    "ArticleResult": "pipeline",
    "FrontmapError": "errors",
    "GeoparseWriter": "datafiles",
    "InputError": "errors",
    "OutputError": "errors",
    "Theatre": "theatres",
    "all_theatres": "theatres",
    "check_mentions": "schema",
    "geoparse": "pipeline",
    "geoparse_articles": "pipeline",
    "geoparse_events": "pipeline",
    "get_theatre": "theatres",
    "iter_geoparse": "pipeline",
    "join": "layers",
    "mention_frame": "schema",
    "read_articles": "pipeline",
    "render_maps": "mapping",
    "write_events": "datafiles",
    "write_maps": "mapping",
    "write_mentions": "datafiles",
    "write_report": "mapping",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("frontmap")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    else:
        module = _WHERE.get(name)
        if module is None:
            raise AttributeError(f"module 'frontmap' has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
