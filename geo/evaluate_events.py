"""Scoring event extraction against gold events (``frontmap evaluate --events GOLD PRED``).

Gold is one record per article, ``{"id", "events": [...]}`` (the format
``bench/annotate_events.py`` writes; the rules are in ``bench/README.md``); each
gold event has the clause that first reports it (``start``, ``end``), later
clauses reporting it again (``mentions``: ``[start, end]`` pairs), its labels
(``event_type``, ``sub_event_type``, ``actor1``, ``actor2``, ``fatalities``,
``event_date``, ``time_precision``, ``geo_precision``) and its places:
``location`` (the most specific) and ``locations`` (every place the text gives
it, the most specific first), each ``{"start", "end", "lat", "lon", "kind"}``,
or None and ``[]``. Predictions are ``frontmap geoparse`` records: ``{"id",
"toponyms", "events"}`` with the fields of :data:`frontmap.schema.EVENT_FIELDS`.

Scoring rules
-------------
Detection
    A prediction and a gold event *match* when a span of one (its clause or a
    mention) shares a character with a span of the other. Matching is
    one-to-one and greedy: pairs whose first clauses overlap come first, then by
    decreasing overlap, then in text order. An unmatched prediction is a false
    positive (``duplicates`` counts those that overlap a gold event already
    matched: the same event reported twice); precision, recall and F1 are
    micro-averaged over the articles.
Labels, over the matched pairs
    ``type`` and ``sub_type``: the same ACLED type; ``actor1``, ``actor2``: the
    same actor id (None for None counts); ``actors``: both; ``fatalities``: the
    same number, or both None; ``date``: the prediction's day agrees with the
    gold date at the gold's granularity (``YYYY-MM-DD``, ``YYYY-MM`` or
    ``YYYY``); ``geo_precision``: the same code.
Location link, over the matched pairs whose gold has a place
    ``location``: the prediction's first toponym overlaps one of the gold
    ``locations`` or lies within the tolerance of its gold kind
    (:data:`frontmap.geo.evaluate.TOLERANCE_KM`) of one; ``location_exact``:
    the same with the gold ``location`` alone (the most specific place). A
    prediction without a place is wrong.
Theatres
    With a ``theatre_of(lat, lon, kind, country)`` callable, each gold event
    counts in the theatre of its gold place (:data:`NO_THEATRE` without one),
    an unmatched prediction in its own ``theatre`` field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .distance import haversine_km
from .evaluate import NO_THEATRE, TOLERANCE_KM

__all__ = ["LABELS", "evaluate_events", "format_events_report"]

TheatreOf = Callable[[float, float, str | None, str | None], str | None]

#: The label accuracies reported, in order.
LABELS = (
    "type",
    "sub_type",
    "actor1",
    "actor2",
    "actors",
    "fatalities",
    "date",
    "geo_precision",
)

Span = tuple[int, int]


def _spans(event: Mapping[str, Any]) -> list[Span]:
    out = [(int(event["start"]), int(event["end"]))]
    out += [(int(a), int(b)) for a, b in event.get("mentions") or ()]
    return out


def _overlap(x: Span, y: Span) -> int:
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def _match(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    """Greedy one-to-one matching: prediction index → gold index."""
    pairs = []
    for gi, g in enumerate(gold):
        gs = _spans(g)
        for pi, p in enumerate(pred):
            ps = _spans(p)
            best = max(_overlap(a, b) for a in gs for b in ps)
            if best > 0:
                first = _overlap(gs[0], ps[0]) > 0
                pairs.append((not first, -best, gs[0][0], ps[0][0], gi, pi))
    pairs.sort()
    used: set[int] = set()
    out: dict[int, int] = {}
    for *_, gi, pi in pairs:
        if gi not in used and pi not in out:
            used.add(gi)
            out[pi] = gi
    return out


def _date_ok(gold: str | None, pred: str | None) -> bool:
    if gold is None:
        return True
    if pred is None:
        return False
    return str(pred).startswith(str(gold))


def _place_ok(place: Mapping[str, Any], p_span: Span | None, lat: Any, lon: Any) -> bool:
    if p_span is not None and _overlap((int(place["start"]), int(place["end"])), p_span) > 0:
        return True
    if lat is None or lon is None or place.get("lat") is None:
        return False
    tolerance = TOLERANCE_KM.get(place.get("kind") or "other", TOLERANCE_KM["other"])
    return haversine_km(place["lat"], place["lon"], float(lat), float(lon)) <= tolerance


def _pred_place(p: Mapping[str, Any]) -> tuple[Span | None, Any, Any]:
    topos = p.get("toponyms") or []
    span = (int(topos[0][0]), int(topos[0][1])) if topos else None
    return span, p.get("latitude"), p.get("longitude")


def _labels(g: Mapping[str, Any], p: Mapping[str, Any]) -> dict[str, bool]:
    return {
        "type": g.get("event_type") == p.get("event_type"),
        "sub_type": g.get("sub_event_type") == p.get("sub_event_type"),
        "actor1": g.get("actor1") == p.get("actor1"),
        "actor2": g.get("actor2") == p.get("actor2"),
        "actors": g.get("actor1") == p.get("actor1") and g.get("actor2") == p.get("actor2"),
        "fatalities": g.get("fatalities") == p.get("fatalities"),
        "date": _date_ok(g.get("event_date"), p.get("event_date")),
        "geo_precision": g.get("geo_precision") == p.get("geo_precision"),
    }


class _Tally:
    """Counts of one group of articles (overall, or a theatre)."""

    def __init__(self) -> None:
        self.gold = self.pred = self.matched = self.duplicates = 0
        self.labels = dict.fromkeys(LABELS, 0)
        self.located = self.location = self.location_exact = 0

    def result(self) -> dict[str, Any]:
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out: dict[str, Any] = {
            "n_gold": self.gold,
            "n_pred": self.pred,
            "matched": self.matched,
            "duplicates": self.duplicates,
            "precision": p,
            "recall": r,
            "f1": f1,
        }
        for key in LABELS:
            out[key] = self.labels[key] / self.matched if self.matched else None
        out["n_located"] = self.located
        out["location"] = self.location / self.located if self.located else None
        out["location_exact"] = self.location_exact / self.located if self.located else None
        return out


def _gold_theatre(g: Mapping[str, Any], theatre_of: TheatreOf | None) -> str:
    place = g.get("location")
    if theatre_of is None or not place or place.get("lat") is None:
        return NO_THEATRE
    return theatre_of(place["lat"], place["lon"], place.get("kind"), place.get("country")) or (
        NO_THEATRE
    )


def _score_article(
    gold: list[dict],
    pred: list[dict],
    tallies: Callable[[str], list[_Tally]],
    theatre_of: TheatreOf | None,
    errors: list[dict] | None,
    article: str,
) -> None:
    by_pred = _match(gold, pred)
    matched_gold = set(by_pred.values())
    for k, g in enumerate(gold):
        for t in tallies(_gold_theatre(g, theatre_of)):
            t.gold += 1
        if k not in matched_gold and errors is not None:
            errors.append({"article": article, "type": "missed", "gold": g})
    for pi, p in enumerate(pred):
        gi = by_pred.get(pi)
        theatre = (
            _gold_theatre(gold[gi], theatre_of)
            if gi is not None
            else (p.get("theatre") or NO_THEATRE)
        )
        groups = tallies(theatre)
        for t in groups:
            t.pred += 1
        if gi is None:
            dup = any(
                _overlap(a, b) > 0
                for g in (gold[j] for j in matched_gold)
                for a in _spans(g)
                for b in _spans(p)
            )
            for t in groups:
                t.duplicates += dup
            if errors is not None:
                kind = "duplicate" if dup else "false_positive"
                errors.append({"article": article, "type": kind, "pred": p})
            continue
        g = gold[gi]
        labels = _labels(g, p)
        span, lat, lon = _pred_place(p)
        for t in groups:
            t.matched += 1
            for key, ok in labels.items():
                t.labels[key] += ok
        wrong = [k for k, ok in labels.items() if not ok]
        if g.get("location"):
            ok_any = any(
                _place_ok(x, span, lat, lon) for x in g.get("locations") or [g["location"]]
            )
            ok_exact = _place_ok(g["location"], span, lat, lon)
            for t in groups:
                t.located += 1
                t.location += ok_any
                t.location_exact += ok_exact
            if not ok_any:
                wrong.append("location")
        if wrong and errors is not None:
            errors.append(
                {"article": article, "type": "labels", "wrong": wrong, "gold": g, "pred": p}
            )


def evaluate_events(
    gold: Iterable[Mapping[str, Any]],
    pred: Iterable[Mapping[str, Any]],
    *,
    theatre_of: TheatreOf | None = None,
    errors: list[dict] | None = None,
) -> dict[str, Any]:
    """Score predicted events against gold events (see the module's docstring).

    Parameters
    ----------
    gold, pred : iterable of dict
        Records ``{"id", "events"}``; articles are matched by ``id`` and only
        the gold's articles are scored (a gold article without a prediction
        counts every gold event as missed).
    theatre_of : callable, optional
        ``theatre_of(lat, lon, kind, country) -> str | None`` for the per-theatre rows.
    errors : list, optional
        Filled with one dict per missed event, false positive, duplicate and
        matched pair with a wrong label or place.

    Returns
    -------
    dict
        ``{"overall": {...}, "by_theatre": {theatre: {...}}, "n_articles": int}``;
        each group has ``n_gold``, ``n_pred``, ``matched``, ``duplicates``,
        ``precision``, ``recall``, ``f1``, the accuracies of :data:`LABELS`, and
        ``n_located``, ``location``, ``location_exact`` (None when nothing to score).
    """
    preds = {str(r.get("id")): list(r.get("events") or []) for r in pred}
    overall = _Tally()
    by_theatre: dict[str, _Tally] = {}

    def tallies(theatre: str) -> list[_Tally]:
        return [overall, by_theatre.setdefault(theatre, _Tally())]

    n = 0
    for record in gold:
        n += 1
        aid = str(record.get("id"))
        g_events = sorted(record.get("events") or [], key=lambda e: e["start"])
        _score_article(g_events, preds.get(aid, []), tallies, theatre_of, errors, aid)
    return {
        "overall": overall.result(),
        "by_theatre": {k: by_theatre[k].result() for k in sorted(by_theatre)},
        "n_articles": n,
    }


def _cell(value: Any) -> str:
    return "   -" if value is None else f"{value:.3f}"


def format_events_report(result: Mapping[str, Any]) -> str:
    """A plain-text table of :func:`evaluate_events`' result."""
    head = (
        f"{'':<12}{'gold':>5}{'pred':>5}{'P':>7}{'R':>7}{'F1':>7}{'type':>7}{'sub':>7}"
        f"{'act1':>7}{'act2':>7}{'fatal':>7}{'date':>7}{'loc':>7}{'loc1':>7}"
    )
    lines = [f"events: {result['n_articles']} articles", head]
    rows = [("overall", result["overall"]), *result["by_theatre"].items()]
    for name, r in rows:
        lines.append(
            f"{name:<12}{r['n_gold']:>5}{r['n_pred']:>5}{_cell(r['precision']):>7}"
            f"{_cell(r['recall']):>7}{_cell(r['f1']):>7}{_cell(r['type']):>7}"
            f"{_cell(r['sub_type']):>7}{_cell(r['actor1']):>7}{_cell(r['actor2']):>7}"
            f"{_cell(r['fatalities']):>7}{_cell(r['date']):>7}{_cell(r['location']):>7}"
            f"{_cell(r['location_exact']):>7}"
        )
    o = result["overall"]
    lines.append(
        f"matched {o['matched']}, duplicates {o['duplicates']} (counted as false positives); "
        f"located gold {o['n_located']}; actors both right {_cell(o['actors']).strip()}, "
        f"geo-precision {_cell(o['geo_precision']).strip()}"
    )
    lines.append(
        "loc: the place overlaps or lies within the kind's tolerance of any gold place of "
        "the event; loc1: of its most specific one"
    )
    return "\n".join(lines)
