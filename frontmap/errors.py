"""The one exception hierarchy of frontmap.

Every error a user can cause (bad input, bad layer file, unknown theatre...)
is a :class:`FrontmapError`; the CLI prints its message as one line on stderr
and exits with status 2. Anything else is a bug: the CLI still prints one line
("internal error"), and ``FRONTMAP_DEBUG=1`` shows the traceback.
"""

from __future__ import annotations

__all__ = ["FrontmapError", "InputError", "GazetteerError", "LayerError", "RenderError"]


class FrontmapError(Exception):
    """Base class of every expected frontmap error."""


class InputError(FrontmapError):
    """An article, query or option that cannot be used as given."""


class GazetteerError(FrontmapError):
    """The gazetteer index or a gazetteer file cannot be built or read."""


class LayerError(FrontmapError):
    """A zone or front-line layer file is invalid."""


class RenderError(FrontmapError):
    """A map or export cannot be produced."""
