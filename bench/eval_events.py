"""Score frontmap's events on the annotated articles (``bench/articles/*-events.jsonl``).

Runs ``frontmap geoparse`` on the articles of a set and ``frontmap evaluate
--events`` against its event gold, and prints the report; ``--errors`` lists
every missed event, false positive, duplicate and wrong label with its text.

Sets: ``own`` and ``own2`` (the articles written for frontmap in
``bench/articles``), ``seed`` (the two seed articles of ``../shared/eval``:
their text is read from there, the gold in ``bench/articles/seed-events.jsonl``
holds offsets and labels only), ``all`` (the three pooled; ``seed`` is left out
when ``../shared`` is absent). Usage::

    .venv/bin/python bench/eval_events.py                 # all sets, one report each and pooled
    .venv/bin/python bench/eval_events.py --set own2 --errors
    .venv/bin/python bench/eval_events.py --json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _command import run_frontmap

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "bench" / "articles"
SHARED_EVAL = REPO.parent / "shared" / "eval"
SETS = {
    "own": (ARTICLES / "own-articles.jsonl", ARTICLES / "own-events.jsonl"),
    "own2": (ARTICLES / "own2-articles.jsonl", ARTICLES / "own2-events.jsonl"),
    "own3": (ARTICLES / "own3-articles.jsonl", ARTICLES / "own3-events.jsonl"),
    "own4": (ARTICLES / "own4-articles.jsonl", ARTICLES / "own4-events.jsonl"),
    "seed": (SHARED_EVAL / "seed-articles.jsonl", ARTICLES / "seed-events.jsonl"),
}


def _run(args: list[str]) -> str:
    return run_frontmap(args, "eval_events")


def _load(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _write(path: Path, records: list[dict]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


def _short(text: str, a: int, b: int, width: int = 150) -> str:
    quote = " ".join(text[a:b].split())
    return quote if len(quote) <= width else quote[: width - 3] + "..."


def _print_errors(articles: list[dict], gold: list[dict], pred: list[dict]) -> None:
    sys.path.insert(0, str(REPO))
    from frontmap.geo.evaluate_events import evaluate_events

    texts = {a["id"]: a["text"] for a in articles}
    errors: list[dict] = []
    evaluate_events(gold, pred, errors=errors)
    for e in errors:
        text = texts[e["article"]]
        g, p = e.get("gold"), e.get("pred")
        head = f"- {e['article']} {e['type']}" + (
            f" ({', '.join(e['wrong'])})" if e.get("wrong") else ""
        )
        print(head)
        if g:
            loc = g["location"]
            where = text[loc["start"] : loc["end"]] if loc else None
            print(f"    gold: {_short(text, g['start'], g['end'])!r}")
            print(
                f"          {g['sub_event_type']} | {g['actor1']} -> {g['actor2']} | "
                f"fatal {g['fatalities']} | {g['event_date']} | at {where} gp{g['geo_precision']}"
            )
        if p:
            print(f"    pred: {_short(text, p['start'], p['end'])!r}")
            print(
                f"          {p['sub_event_type']} | {p['actor1']} -> {p['actor2']} | "
                f"fatal {p['fatalities']} | {p['event_date']} tp{p['time_precision']} | "
                f"at {p['location']} gp{p['geo_precision']}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list every error with its text")
    parser.add_argument("--json", action="store_true", help="print evaluate's JSON")
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    if not SETS["seed"][0].exists():
        if args.set == "seed":
            print("eval_events: ../shared/eval is absent", file=sys.stderr)
            return 2
        names = [n for n in names if n != "seed"]
    pooled_articles: list[dict] = []
    pooled_gold: list[dict] = []
    pooled_pred: list[dict] = []
    reports = {}
    with tempfile.TemporaryDirectory(prefix="frontmap-events-") as tmp:
        for name in names:
            articles_path, gold_path = SETS[name]
            pred_path = Path(tmp) / f"{name}.pred.jsonl"
            _run(["geoparse", str(articles_path), "-o", str(pred_path)])
            flag = ["--json"] if args.json else []
            reports[name] = _run(["evaluate", "--events", *flag, str(gold_path), str(pred_path)])
            pooled_articles += _load(articles_path)
            pooled_gold += _load(gold_path)
            pooled_pred += _load(pred_path)
        if len(names) > 1:
            g, p = Path(tmp) / "all.gold.jsonl", Path(tmp) / "all.pred.jsonl"
            _write(g, pooled_gold)
            _write(p, pooled_pred)
            flag = ["--json"] if args.json else []
            reports["all"] = _run(["evaluate", "--events", *flag, str(g), str(p)])
    if args.json:
        print(json.dumps({k: json.loads(v) for k, v in reports.items()}, indent=2))
        return 0
    for name, report in reports.items():
        print(f"== {name}")
        print(report)
    if args.errors:
        print("\nerrors:")
        _print_errors(pooled_articles, pooled_gold, pooled_pred)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
