"""Turn event annotations written with quotes into event gold with offsets.

An annotator writes, per article, the events it reports by the rules of
``bench/README.md`` ("Event annotation"), quoting the text rather than counting
characters::

    {"id": "own-idlib-1", "events": [
      {"clause": "At least 33 Turkish soldiers were killed in an air strike ...",
       "type": "air", "actor1": "syria", "actor2": "turkey", "fatalities": 33,
       "location": "Balyun", "also": ["Idlib"], "geo_precision": 2,
       "date": "2020-02-27", "time_precision": 1,
       "mentions": ["the soldiers were hit near Balyun"]}]}

``type`` is a short code (:data:`CODES`) or an ACLED sub-event type; ``date`` is
``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (the precision the text gives); a
``location`` or ``also`` entry is a toponym's surface, looked for in the clause,
then in the mentions, the clause's sentence, and the rest of the text (nearest
before the clause first), and must be a toponym of the article's toponym gold,
whose point and kind it takes — or, for articles without toponym gold,
``[surface, lat, lon, kind]`` with the annotator's own point. A quote that
occurs more than once may be given as ``[quote, n]`` (the n-th occurrence, from 0).

Usage::

    python bench/annotate_events.py ARTICLES.jsonl TOPONYM_GOLD.jsonl SOURCE.jsonl -o OUT.jsonl
        [--no-text]

(``-`` for TOPONYM_GOLD when the places carry their own points.)

``--no-text`` leaves every quote out of the output (offsets and labels only): use it
for articles whose text must not be copied, such as ``../shared/eval``'s.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

#: Short codes of the annotation source → ACLED sub-event types.
CODES = {
    "air": "Air/drone strike",
    "shell": "Shelling/artillery/missile attack",
    "ied": "Remote explosive/landmine/IED",
    "suicide": "Suicide bomb",
    "chem": "Chemical weapon",
    "grenade": "Grenade",
    "clash": "Armed clash",
    "gov": "Government regains territory",
    "nsa": "Non-state actor overtakes territory",
    "vac": "Attack",
    "abduct": "Abduction/forced disappearance",
    "sexual": "Sexual violence",
    "protest": "Peaceful protest",
    "protint": "Protest with intervention",
    "excess": "Excessive force against protesters",
    "riot": "Violent demonstration",
    "mob": "Mob violence",
    "agree": "Agreement",
    "arrest": "Arrests",
    "change": "Change to group/activity",
    "disrupt": "Disrupted weapons use",
    "hq": "Headquarters or base established",
    "loot": "Looting/property destruction",
    "transfer": "Non-violent transfer of territory",
    "other": "Other",
}


class AnnotationError(Exception):
    """A quote or place that cannot be found."""


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _find(text: str, quote: str | list[Any], where: str) -> tuple[int, int]:
    if isinstance(quote, list):
        quote, nth = str(quote[0]), int(quote[1])
    else:
        nth = -1
    hits = []
    pos = text.find(quote)
    while pos >= 0:
        hits.append(pos)
        pos = text.find(quote, pos + 1)
    if not hits:
        raise AnnotationError(f"{where}: quote not found: {quote!r}")
    if nth < 0 and len(hits) > 1:
        raise AnnotationError(
            f"{where}: quote occurs {len(hits)} times, give [quote, n]: {quote!r}"
        )
    start = hits[max(nth, 0)]
    return start, start + len(quote)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    from frontmap.geo import sentences

    for a, b in sentences(text):
        if a <= start < b:
            return a, max(b, end)
    return start, end


def _place(
    text: str, surface: Any, spans: list[tuple[int, int]], toponyms: list[dict], where: str
) -> dict[str, Any]:
    """The gold toponym named ``surface`` nearest the event's spans."""
    if isinstance(surface, list):  # [surface, lat, lon, kind]: the annotator's own point
        name, lat, lon, kind = surface
        toponyms = [
            {"start": m, "end": m + len(name), "lat": lat, "lon": lon, "kind": kind}
            for m in _occurrences(text, name)
        ]
        surface = name
    first = spans[0]
    windows = spans + [_sentence(text, *first)]
    found: list[int] = []
    for a, b in windows:
        pos = text.find(surface, a, b)
        if pos >= 0:
            found = [pos]
            break
    if not found:
        pos = text.find(surface)
        while pos >= 0:
            found.append(pos)
            pos = text.find(surface, pos + 1)
        found.sort(key=lambda p: (p > first[0], abs(p - first[0])))
    for pos in found:
        for t in toponyms:
            if t["start"] <= pos < t["end"] and pos + len(surface) <= t["end"]:
                out = {"start": t["start"], "end": t["end"]}
                out.update({k: t[k] for k in ("lat", "lon", "kind", "country") if k in t})
                return out
    raise AnnotationError(f"{where}: {surface!r} is not a toponym of the gold near the event")


def _occurrences(text: str, name: str) -> list[int]:
    out, pos = [], text.find(name)
    while pos >= 0:
        out.append(pos)
        pos = text.find(name, pos + 1)
    return out


def convert(article: dict, toponyms: list[dict], events: list[dict], text_too: bool) -> dict:
    """One article's events with offsets (see the module's docstring)."""
    from frontmap.geo.events import EVENT_TYPES

    text = article["text"]
    out = []
    for k, e in enumerate(events):
        where = f"{article['id']} event {k}"
        start, end = _find(text, e["clause"], where)
        mentions = [_find(text, q, f"{where} mention") for q in e.get("mentions", ())]
        sub = CODES.get(e["type"], e["type"])
        if sub not in EVENT_TYPES:
            raise AnnotationError(f"{where}: unknown type {e['type']!r}")
        spans = [(start, end), *mentions]
        location = e.get("location")
        places = []
        if location:
            for surface in [location, *e.get("also", ())]:
                places.append(_place(text, surface, spans, toponyms, where))
        record: dict[str, Any] = {
            "start": start,
            "end": end,
            "event_type": EVENT_TYPES[sub],
            "sub_event_type": sub,
            "actor1": e.get("actor1"),
            "actor2": e.get("actor2"),
            "fatalities": e.get("fatalities"),
            "event_date": e.get("date"),
            "time_precision": e.get("time_precision"),
            "geo_precision": e.get("geo_precision"),
            "location": places[0] if places else None,
            "locations": places,
            "mentions": [list(m) for m in mentions],
        }
        if text_too:
            record["quote"] = text[start:end]
            if places:
                record["location"]["surface"] = text[places[0]["start"] : places[0]["end"]]
        out.append(record)
    out.sort(key=lambda r: r["start"])
    return {"id": article["id"], "events": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("toponyms", type=Path, help="toponym gold of the same articles")
    parser.add_argument("source", type=Path, help="event annotations with quotes")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--no-text", action="store_true", help="offsets and labels only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    articles = {a["id"]: a for a in _load(args.articles)}
    toponyms = (
        {} if str(args.toponyms) == "-" else {g["id"]: g["toponyms"] for g in _load(args.toponyms)}
    )
    records = []
    try:
        for source in _load(args.source):
            aid = source["id"]
            records.append(
                convert(articles[aid], toponyms.get(aid, []), source["events"], not args.no_text)
            )
    except AnnotationError as exc:
        print(f"annotate_events: {exc}", file=sys.stderr)
        return 2
    args.output.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    n = sum(len(r["events"]) for r in records)
    print(f"{args.output}: {n} events in {len(records)} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
