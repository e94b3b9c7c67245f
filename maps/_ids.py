"""Deterministic branca element ids.

branca gives every element a random id (``Element._generate_id`` returns
``urandom`` hex), and the ids end up in the HTML (``map_<id>``), so two renders
of the same input would differ. While :func:`deterministic_ids` is active,
ids are ``<prefix>_<n>`` with a counter, so the same build gives the same ids.
The prefix is derived from the map's content (see ``render.py``), which keeps
ids of different maps on one page apart.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from branca.element import Element

__all__ = ["deterministic_ids", "content_key"]

_LOCK = threading.RLock()
_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def content_key(*parts: str | bytes, length: int = 10) -> str:
    """A short id prefix (a letter then hex) hashed from ``parts``."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "replace") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return "f" + digest.hexdigest()[: length - 1]


@contextmanager
def deterministic_ids(prefix: str) -> Iterator[None]:
    """Give elements created inside the block the ids ``prefix_0``, ``prefix_1``...

    Parameters
    ----------
    prefix : str
        Letters and digits, starting with a letter (ids end up in JS names).
    """
    if not _PREFIX.match(prefix):
        raise ValueError(f"bad id prefix {prefix!r}")
    counter = itertools.count()
    with _LOCK:
        saved = Element.__dict__["_generate_id"]

        def _generate_id(_cls: type) -> str:
            return f"{prefix}_{next(counter)}"

        Element._generate_id = classmethod(_generate_id)  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Element._generate_id = saved  # type: ignore[method-assign]
