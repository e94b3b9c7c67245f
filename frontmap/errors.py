"""The one exception hierarchy of frontmap.

Every error a user can cause (bad input, bad layer file, unknown theatre, an
output that cannot be written...) is a :class:`FrontmapError`; the CLI prints
its message as one line on stderr and exits with status 2. Anything else is a
bug: the CLI still prints one line ("internal error"), and ``FRONTMAP_DEBUG=1``
shows the traceback.

As in geopy, the errors also derive from the built-in exception a caller would
catch without knowing frontmap: an :class:`InputError` is a ``ValueError``, an
:class:`OutputError` an ``OSError``.
"""

from __future__ import annotations

import re

__all__ = [
    "FrontmapError",
    "GazetteerError",
    "InputError",
    "LayerError",
    "OutputError",
    "RenderError",
]


class FrontmapError(Exception):
    """Base class of every expected frontmap error."""


class InputError(FrontmapError, ValueError):
    """An article, query, value or option that cannot be used as given."""


class OutputError(FrontmapError, OSError):
    """An output file or folder that cannot be written."""

    def __str__(self) -> str:
        # OSError formats (errno, strerror) pairs; ours carry one message.
        return str(self.args[0]) if self.args else ""


class GazetteerError(FrontmapError):
    """The gazetteer index or a gazetteer file cannot be built or read."""


class LayerError(FrontmapError):
    """A zone or front-line layer file is invalid."""


class RenderError(FrontmapError):
    """A map or export cannot be produced from the data given."""


# Characters that would break a message's one line or hide part of it: control
# characters, line and paragraph separators, bidirectional overrides, zero-width
# characters, lone surrogates (a file name that is not UTF-8).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)


def printable(message: str) -> str:
    """``message`` with every character that would break its line or hide text escaped.

    Examples
    --------
    >>> printable("unknown theatre '\\n'")
    "unknown theatre '\\\\n'"
    """
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], message)
