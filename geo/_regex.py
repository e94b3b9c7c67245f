"""Regular expressions compiled once per installation, not once per process.

The event extraction (:mod:`.events`, :mod:`.actors`) matches with some
seventy expressions, a few of them thousands of characters long. Python
compiles an expression in pure Python (``re._parser`` then ``re._compiler``)
and keeps the result only for the life of the process: ~0.06 s of every
``frontmap map`` (issue 16: start-up), for the same expressions each time.

:func:`compile` keeps what the compiler makes of each expression (its code: a
list of integers, and its groups) in frontmap's cache folder, and builds the
pattern from it with ``_sre.compile``, the step :func:`re.compile` ends with,
in well under a millisecond. The cache is one pickle per Python build (its
version string and the ``_sre`` format), so another interpreter never reads
code it did not make. A pattern is kept only if the one built from the kept
code is equal to :func:`re.compile`'s (``Pattern.__eq__`` compares the flags,
the source and the code word by word); ``_sre.compile`` validates the code it
is given as well. Anything unexpected (another Python implementation, an
unreadable cache) falls back to :func:`re.compile`: same patterns, slower
start.

New patterns are written by :func:`save` (called by the event extraction after
each text, a no-op when nothing is new) and by ``frontmap gazetteer build``
(:func:`frontmap.geo.events.prepare`).
"""

from __future__ import annotations

import importlib
import re
import sys
import threading
from pathlib import Path
from typing import Any

try:  # CPython's regular expression engine and compiler (internal modules)
    import _sre

    _compiler: Any = importlib.import_module("re._compiler")
    _parser: Any = importlib.import_module("re._parser")
    _ENGINE = True
except ImportError:  # pragma: no cover - another Python implementation
    _ENGINE = False

__all__ = ["compile", "save"]

_VERSION = 1
#: (pattern, flags) -> the arguments of ``_sre.compile`` after the pattern.
_Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]

_LOCK = threading.Lock()
_table: dict[tuple[str, int], _Entry] | None = None
_dirty = False


def _path() -> Path | None:
    if not _ENGINE:
        return None
    import hashlib

    from ..files import cache_dir

    build = f"{_VERSION}|{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}"
    return cache_dir() / f"regex-{hashlib.sha1(build.encode()).hexdigest()[:16]}.pickle"


def _load() -> dict[tuple[str, int], _Entry]:
    global _table
    if _table is None:
        _table = {}
        path = _path()
        if path is not None:
            import pickle

            try:
                with path.open("rb") as fh:
                    table = pickle.load(fh)  # noqa: S301 - our own cache file (see save)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                table = None
            if isinstance(table, dict):
                _table = table
    return _table


def _entry(pattern: str, flags: int) -> _Entry:
    """What :func:`re._compiler.compile` hands to ``_sre.compile`` (plain ints and dicts)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (
        int(flags | parsed.state.flags),
        [int(c) for c in code],
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - re.compile's name
    """:func:`re.compile`, from the compiled code kept in the cache folder when there is some.

    Parameters
    ----------
    pattern : str
        The regular expression.
    flags : int
        :mod:`re` flags.

    Returns
    -------
    re.Pattern
        Equal to ``re.compile(pattern, flags)``.
    """
    global _dirty
    flags = int(flags)
    if not _ENGINE:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    with _LOCK:
        entry = _load().get(key)
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:  # noqa: BLE001, S110 - a damaged entry: compile afresh below
            pass
    compiled = re.compile(pattern, flags)
    try:
        made = _entry(pattern, flags)
        same = _sre.compile(pattern, *made) == compiled
    except Exception:  # noqa: BLE001 - internals not as expected: keep nothing
        same = False
    with _LOCK:
        table = _load()
        if same:
            table[key] = made
            _dirty = True
        else:
            table.pop(key, None)
    return compiled


def save() -> None:
    """Write the patterns compiled since the cache was read (nothing when none are new)."""
    global _dirty
    if not _dirty:
        return
    import pickle

    from ..files import write_bytes

    with _LOCK:
        _dirty = False
        data = pickle.dumps(dict(_load()), protocol=pickle.HIGHEST_PROTOCOL)
    path = _path()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, data)
    except OSError:
        pass  # a cache only
