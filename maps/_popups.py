"""The data a marker's popup is built from in the page, when it is first opened.

A popup is a few numbers and indices into the map's shared tables of strings
(kinds, countries, control labels, zone names) and sentences (a sentence naming
five places is stored once); ``static/client.js`` (``popup``) turns them into
elements with ``textContent``, so the text of an article is never parsed as HTML.
"""

from __future__ import annotations

from typing import Any

from ._html import StringTable, clean_text
from ._rows import MentionRow, Place
from .styles import actor_style, place_kind_label

__all__ = ["MAX_QUOTES", "MAX_QUOTES_PER_ARTICLE", "MAX_SENTENCE", "popup_data"]

#: Quotes kept in one popup (per place / per article).
MAX_QUOTES = 8
MAX_QUOTES_PER_ARTICLE = 3
#: Sentences longer than this are cut around the mention.
MAX_SENTENCE = 480


def _spans(row: MentionRow, sentence: str) -> list[tuple[int, int]]:
    """Where the mention lies in its sentence (validated against ``surface``)."""
    surface = clean_text(row["surface"])
    start, end, s0 = row["start"], row["end"], row["sentence_start"]
    if start is not None and end is not None and s0 is not None:
        a, b = start - s0, end - s0
        if 0 <= a < b <= len(sentence) and (not surface or sentence[a:b] == surface):
            return [(a, b)]
    if surface:
        at = sentence.find(surface)
        if at >= 0:
            return [(at, at + len(surface))]
    return []


def _utf16(text: str, index: int) -> int:
    """A Python ``str`` index as a JavaScript (UTF-16) string index."""
    return len(text[:index].encode("utf-16-le")) // 2


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(set(spans)):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _quote(sentence: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """The sentence to quote, cut around the mention if very long, and its marks.

    Returns the text (with "…" where it was cut) and the marked spans as a flat
    list ``[start, end, start, end...]`` of JavaScript (UTF-16) indices into it,
    sorted and merged.
    """
    merged = _merged(spans)
    lo, hi = 0, len(sentence)
    if hi > MAX_SENTENCE:
        centre = merged[0][0] if merged else 0
        lo = max(0, centre - MAX_SENTENCE // 2)
        hi = min(len(sentence), lo + MAX_SENTENCE)
        lo = max(0, hi - MAX_SENTENCE)
    head = "…" if lo > 0 else ""
    text = head + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
    shift = len(head) - lo
    flat: list[int] = []
    for a, b in merged:
        a, b = max(a, lo), min(b, hi)
        if a < b:
            flat += [a + shift, b + shift]
    if text.isascii() or all(ord(c) <= 0xFFFF for c in text):
        return text, flat
    return text, [_utf16(text, i) for i in flat]


def _status(row: MentionRow, zone_names: dict[str, str], strings: StringTable) -> list[Any]:
    """``[control label, km to the front, [zone names]]`` of one mention (strings by index)."""
    control = clean_text(row["control"])
    label = strings(actor_style(control, row["date"]).label) if control else None
    front = row["front_km"]
    zones = [clean_text(z) for z in row["zones"]]
    return [
        label,
        None if front is None else round(front, 1),
        [strings(zone_names.get(z, z)) for z in zones],
    ]


_Quotes = dict[tuple[int | None, str], list[tuple[int, int]]]


def _by_article(
    place: Place, zone_names: dict[str, str], strings: StringTable
) -> tuple[dict[int, _Quotes], dict[int, list[Any]]]:
    """The place's sentences (with the spans naming it) and status, per article."""
    by_article: dict[int, _Quotes] = {}
    status: dict[int, list[Any]] = {}
    for article, row in place.mentions:
        sentence = clean_text(row["sentence"])
        quotes = by_article.setdefault(article, {})
        if article not in status:
            status[article] = _status(row, zone_names, strings)
        if not sentence:
            continue
        quotes.setdefault((row["sentence_start"], sentence), []).extend(_spans(row, sentence))
    return by_article, status


def popup_data(
    place: Place,
    zone_names: dict[str, str],
    strings: StringTable,
    sentences: StringTable,
) -> list[Any]:
    """The data ``frontmap`` builds a place's popup from, when it is opened.

    ``[kind, country, gazetteer id, score, mentions, groups, more]``: kind and
    country are indices into ``strings``; ``groups`` has one entry per article
    shown, ``[article, control, km, zones, quotes]``, each quote being
    ``[sentence, start, end, ...]`` (an index into ``sentences`` and the marked
    spans); ``more`` counts the sentences left out. Text stays text: the page
    inserts it with ``textContent``, never as HTML.
    """
    by_article, status = _by_article(place, zone_names, strings)
    groups: list[list[Any]] = []
    shown = 0
    total = sum(len(q) for q in by_article.values())
    for index in sorted(by_article):
        if shown >= MAX_QUOTES:
            break
        quoted = []
        for kept, ((_, sentence), spans) in enumerate(by_article[index].items()):
            if kept >= MAX_QUOTES_PER_ARTICLE or shown >= MAX_QUOTES:
                break
            text, marks = _quote(sentence, spans)
            quoted.append([sentences(text), *marks])
            shown += 1
        groups.append([index, *status[index], quoted])
    score = None if place.score is None else round(place.score, 4)
    return [
        strings(place_kind_label(place.kind)),
        strings(place.country) if place.country else None,
        place.gazetteer_id or None,
        score,
        len(place.mentions),
        groups,
        total - shown,
    ]
