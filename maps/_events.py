"""Events on a map: what happened where, as the page draws it.

Event rows (:func:`frontmap.geoparse_events`, or the dicts of
:func:`frontmap.pipeline.event_rows`; the columns of
:data:`frontmap.schema.EVENT_COLUMNS`) enter through :func:`events_data`, which
keeps a theatre's located events and turns them into compact data: each event
a row of numbers and indices into a table of strings, its kind
(:func:`maps.styles.event_kind`: strike, shelling, clash, capture,
agreement...) an index into the kinds present. Every text (quote, actors,
place, title) stays text: the page inserts it with ``textContent``. The kinds'
icons and the events' box (a legend that is also the filter by kind) are HTML
from ``templates/map.html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..dates import iso_date
from ..errors import InputError
from ._html import StringTable, clean_text, is_missing
from ._popups import MAX_SENTENCE
from ._resources import template_module
from ._rows import Article
from .styles import EVENT_STYLES, event_kind

__all__ = ["event_records", "events_data", "located_events"]


def event_records(events: Any) -> list[Mapping[str, Any]]:
    """Event rows as mappings: a DataFrame's records, or an iterable of mappings.

    Raises
    ------
    frontmap.errors.InputError
        When ``events`` is neither.
    """
    if events is None:
        return []
    if isinstance(events, pd.DataFrame):
        return events.to_dict("records")
    if isinstance(events, Iterable) and not isinstance(events, str | bytes | Mapping):
        rows = list(events)
        if all(isinstance(r, Mapping) for r in rows):
            return rows
    raise InputError("events: not a DataFrame or a list of event rows")


def _text(value: Any) -> str | None:
    if value is None or is_missing(value):
        return None
    return clean_text(value) or None


def _number(value: Any) -> float | None:
    if value is None or is_missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _quote(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_SENTENCE:
        return text
    return text[: MAX_SENTENCE - 1] + "…"


def _day(value: Any) -> str | None:
    try:
        return iso_date(value, "event_date")
    except InputError:
        return None


def _located(row: Mapping[str, Any], theatre_id: str) -> tuple[float, float] | None:
    lat, lon = _number(row.get("latitude")), _number(row.get("longitude"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if _text(row.get("theatre")) != theatre_id:
        return None
    return lat, lon


def located_events(
    events: Any, theatre_id: str, until: str | None = None
) -> list[tuple[float, float, str, str | None]]:
    """The located events of a theatre as (lat, lon, kind, date), in their order.

    ``kind`` is a key of :data:`maps.styles.EVENT_STYLES`. With ``until`` (an
    ISO date), events dated after it are left out, as the page's date control
    leaves them out; undated events stay.
    """
    out = []
    for row in event_records(events):
        where = _located(row, theatre_id)
        if where is None:
            continue
        day = _day(row.get("event_date"))
        if until and day and day > until:
            continue
        out.append((where[0], where[1], event_kind(_text(row.get("sub_event_type"))), day))
    return out


def _actor(row: Mapping[str, Any], n: int) -> str | None:
    """An actor's ACLED-style name, else its id."""
    return _text(row.get(f"actor{n}_name")) or _text(row.get(f"actor{n}"))


def _event_row(
    row: Mapping[str, Any],
    where: tuple[float, float],
    kind: int,
    strings: StringTable,
    by_id: dict[str, int],
) -> list[Any]:
    """One event as the page's data (see :func:`events_data`)."""

    def s(text: str | None) -> int | None:
        return None if text is None else strings(text)

    fatalities = _number(row.get("fatalities"))
    return [
        where[0],
        where[1],
        kind,
        _day(row.get("event_date")),
        s(_text(row.get("sub_event_type"))),
        s(_text(row.get("event_type"))),
        s(_actor(row, 1)),
        s(_actor(row, 2)),
        None if fatalities is None else int(fatalities),
        _quote(_text(row.get("quote"))),
        s(_text(row.get("location"))),
        by_id.get(_text(row.get("article_id")) or ""),
        _number(row.get("geo_precision")),
    ]


def events_data(events: Any, theatre_id: str, articles: list[Article]) -> dict[str, Any] | None:
    """The events of a theatre's map as the page's data, or None when it has none.

    Parameters
    ----------
    events : DataFrame or iterable of mappings
        Event rows; those of another theatre or without coordinates are left out.
    theatre_id : str
        The map's theatre.
    articles : list of Article
        The map's articles: an event links to its article by ``article_id``.

    Returns
    -------
    dict or None
        ``kinds``: ``[key, label, icon HTML]`` per kind present (in the order of
        :data:`maps.styles.EVENT_STYLES`); ``rows``: per event ``[lat, lon,
        kind, date, sub-event type, event type, actor 1, actor 2, fatalities,
        quote, place, article, geo-precision]`` (texts as indices into
        ``strings``, article an index into the map's articles or None);
        ``box``: the events' box (legend and filter by kind).
    """
    by_id = {a.id: a.index for a in articles}
    strings = StringTable()
    order = list(EVENT_STYLES)
    kept: list[tuple[int, list[Any]]] = []
    for row in event_records(events):
        where = _located(row, theatre_id)
        if where is not None:
            kind = order.index(event_kind(_text(row.get("sub_event_type"))))
            kept.append((kind, _event_row(row, where, kind, strings, by_id)))
    if not kept:
        return None
    present = sorted({k for k, _ in kept})
    position = {k: i for i, k in enumerate(present)}
    rows = []
    for kind, r in kept:
        r[2] = position[kind]
        rows.append(r)
    module = template_module("map.html")
    kinds = [
        {"style": EVENT_STYLES[order[k]], "n": sum(1 for kk, _ in kept if kk == k)} for k in present
    ]
    return {
        "kinds": [
            [order[k], EVENT_STYLES[order[k]].label, str(module.event_icon(EVENT_STYLES[order[k]]))]
            for k in present
        ],
        "strings": strings.items,
        "rows": rows,
        "box": str(module.events_box(kinds)),
    }
