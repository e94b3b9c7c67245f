"""_html.py: escaping, safe URLs, JSON for inline scripts, shared strings."""

from __future__ import annotations

import pandas as pd
import pytest

from frontmap.maps._html import StringTable, clean_text, esc, is_missing, safe_url


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script> x",
        "</SCRIPT >",
        "a\\</b",
        "<\\/already",
        "\u2028\u2029",
        {"</k": ["<!x", 1.5, None]},
    ],
)
def test_script_json_cannot_leave_the_script(value):
    import json

    from frontmap.maps._html import script_json

    text = script_json(value)
    assert "<" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_clean_text_drops_controls_and_lone_surrogates():
    assert clean_text("a\x00b\x1fc\td\ne") == "abc\td\ne"
    assert clean_text("x\ud800y") == "x?y"
    assert clean_text(None) == "" and clean_text(float("nan")) == ""
    assert clean_text(pd.NA) == "" and clean_text(pd.NaT) == ""


def test_esc_escapes_markup_and_quotes():
    assert esc("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("https://exa mple.org", False),
        ("//example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url_keeps_only_http(url, safe):
    assert (safe_url(url) is not None) is safe


def test_is_missing():
    assert all(is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT))
    assert not any(is_missing(v) for v in ("", 0, [], [None]))


def test_string_table_numbers_strings_in_order_of_first_use():
    table = StringTable()
    assert [table(s) for s in ("b", "a", "b", "c")] == [0, 1, 0, 2]
    assert table.items == ["b", "a", "c"]


def test_script_json_writes_nan_and_infinity_as_null():
    """The direct path (no NaN) and the walked one (NaN somewhere) agree."""
    from frontmap.maps._html import script_json

    clean = {"a": [1.5, (2.0, "x")], "b": {"c": -0.0}}
    assert script_json(clean) == '{"a":[1.5,[2.0,"x"]],"b":{"c":-0.0}}'
    dirty = {"a": [1.5, (float("nan"), "x")], "b": {"c": float("inf")}}
    assert script_json(dirty) == '{"a":[1.5,[null,"x"]],"b":{"c":null}}'
