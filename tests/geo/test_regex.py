"""geo/_regex.py: expressions compiled once per installation (issue 16: start-up)."""

from __future__ import annotations

import re

import pytest

from frontmap.geo import _regex, events


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache folder and no table read yet."""
    monkeypatch.setenv("FRONTMAP_CACHE", str(tmp_path))
    monkeypatch.setattr(_regex, "_table", None)
    monkeypatch.setattr(_regex, "_dirty", False)
    return tmp_path


def _event_patterns() -> list[tuple[str, int]]:
    return [p._source for p in vars(events).values() if isinstance(p, events._LazyPattern)]


def test_cached_patterns_equal_re_compile(fresh, monkeypatch) -> None:
    sources = [*_event_patterns(), (r"(?P<a>x)(?P<b>y)?|\d{2,}", re.IGNORECASE | re.MULTILINE)]
    made = [_regex.compile(p, f) for p, f in sources]
    assert all(m == re.compile(p, f) for m, (p, f) in zip(made, sources, strict=True))
    _regex.save()
    assert len(list(fresh.glob("regex-*.pickle"))) == 1
    # another process: the table is read from the file, the patterns built from it
    monkeypatch.setattr(_regex, "_table", None)
    calls = []
    real = re.compile
    monkeypatch.setattr(_regex.re, "compile", lambda *a: calls.append(a) or real(*a))
    again = [_regex.compile(p, f) for p, f in sources]
    assert calls == []  # nothing compiled by re
    for a, (p, f) in zip(again, sources, strict=True):
        b = real(p, f)
        assert a == b and a.groupindex == b.groupindex and a.groups == b.groups
        assert a.flags == b.flags and a.pattern == b.pattern
    m = again[-1].match("XY")
    assert m is not None and m.lastgroup == "b" and m.group("a") == "X"


def test_a_damaged_cache_is_not_trusted(fresh, monkeypatch) -> None:
    _regex.compile(r"ab+c")
    _regex.save()
    (path,) = fresh.glob("regex-*.pickle")
    path.write_bytes(b"not a pickle")
    monkeypatch.setattr(_regex, "_table", None)
    assert _regex.compile(r"ab+c").fullmatch("abbc")
    # an entry whose code the engine refuses is compiled afresh
    monkeypatch.setattr(_regex, "_table", {(r"a|b", 0): (0, [1, 2, 3], 0, {}, (None,))})
    assert _regex.compile(r"a|b") == re.compile(r"a|b")


def test_save_writes_nothing_when_nothing_is_new(fresh) -> None:
    _regex.save()
    assert not list(fresh.glob("regex-*.pickle"))


def test_prepare_compiles_every_event_expression(fresh) -> None:
    n = events.prepare()
    assert n == len(_event_patterns()) + 1
    assert len(_regex._load()) >= len(_event_patterns())
    assert len(list(fresh.glob("regex-*.pickle"))) == 1
