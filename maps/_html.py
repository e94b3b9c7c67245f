"""Escaping: every string that reaches the HTML goes through here.

Two boundaries matter:

* text → HTML: :func:`esc` (``html.escape`` with quotes), after
  :func:`clean_text` has removed control characters and lone surrogates. The
  page templates apply it to every value (see ``_resources.py``); the few
  HTML strings built in Python (town labels, layer names for the layer
  control) call it directly;
* data → inline ``<script>``: :func:`script_json` writes JSON in which ``<``
  never occurs, so no value can close the script element or open an HTML
  comment, whatever the article says. :class:`StringTable` keeps repeated
  strings of that data once.

Links from articles are kept only when their scheme is ``http`` or ``https``
(:func:`safe_url`); anything else (``javascript:``, ``data:``...) is shown as
plain text.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "StringTable",
    "clean_text",
    "esc",
    "is_missing",
    "safe_url",
    "script_data",
    "script_json",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas.NA (False for lists and other containers)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str | list | tuple | dict):
        return False
    import numpy as np
    import pandas as pd

    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return isinstance(result, bool | np.bool_) and bool(result)


def clean_text(value: Any) -> str:
    """Text with lone surrogates replaced and C0 controls (but tab/newline) removed."""
    if is_missing(value):
        return ""
    text = str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)


def esc(value: Any) -> str:
    """Escape text for HTML element content or a quoted attribute."""
    return html.escape(clean_text(value), quote=True)


def safe_url(value: Any) -> str | None:
    """The URL if it is a plain http(s) URL, else None."""
    text = clean_text(value).strip()
    if not text or any(c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def _finite(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def script_json(obj: Any) -> str:
    """JSON that is safe inside an inline ``<script>`` element.

    The HTML tokenizer can only leave script data at ``</`` (an end tag) or be
    confused by ``<!`` (``<!--`` starts the escaped states). The output has no
    ``<`` at all: every ``<`` is written ``\\u003c``. Structural JSON has no
    ``<``, so the replacement only ever touches string contents and decodes to
    the same text. (Article text now travels as data, not as escaped HTML, so
    ``<`` is rare in it and this costs next to nothing.) U+2028/U+2029 are
    escaped for older JavaScript engines.

    Nor does the output contain ``{{``, ``{%`` or ``{#``, the openers of Jinja
    (folium/branca templates): such a ``{`` is written ``\\u007b``. In compact
    JSON a structural ``{`` is always followed by ``"`` or ``}``, so again only
    string contents change. The maps never parse their data as a template
    (see ``_elements.Draw``); this keeps it so if one day they did.
    """
    try:  # most data has no NaN or infinity: no need to walk it first (0.02 s a map)
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JINJA_OPEN.sub(r"\\u007b", text)


def script_data(data_json: str) -> str:
    """A JavaScript expression giving the value of ``data_json`` (from :func:`script_json`).

    ``JSON.parse('...')``: a big object literal in a script costs the browser
    far more to parse and compile than the same text handed to ``JSON.parse``
    (a 10 MB map: 30 s against well under one). The JSON becomes a
    single-quoted string literal: ``\\`` and ``'`` are escaped, nothing else
    changes, so the text still has no ``<`` and no Jinja opener, and
    JSON.parse gives back exactly the data.
    """
    return "JSON.parse('" + data_json.replace("\\", "\\\\").replace("'", "\\'") + "')"


class StringTable:
    """Distinct strings stored once in a page's data; the data refers to them by index.

    Calling the table with a string returns its index, adding it on first use,
    so indices follow the order in which strings are first met.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.items: list[str] = []

    def __call__(self, text: str) -> int:
        at = self.index.get(text)
        if at is None:
            at = self.index[text] = len(self.items)
            self.items.append(text)
        return at
