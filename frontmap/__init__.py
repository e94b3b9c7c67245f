"""frontmap: conflict news → geocoded places → dated zones and front lines → maps.

The flow is three stages, each a subpackage:

* :mod:`frontmap.geo` — text → places (gazetteer, recognition, resolution);
* :mod:`frontmap.layers` — zones, areas of control and front lines in time,
  and spatial joins of places to them;
* :mod:`frontmap.maps` — folium maps, fragments, static images and reports.

The names below are the whole flow for a notebook; they are imported on first
use, so ``import frontmap`` stays cheap.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("frontmap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]

_WHERE: dict[str, str] = {}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'frontmap' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"frontmap.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
