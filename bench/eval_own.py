"""Score frontmap on the articles written for it (``bench/articles/``).

Runs ``frontmap geoparse`` on ``bench/articles/<set>-articles.jsonl`` and
``frontmap evaluate`` against ``bench/articles/<set>-gold.jsonl``, and prints
the evaluate report (per-theatre rows there go by each gold toponym's point).
Then prints the same report per article theatre (the ``own-<theatre>-N`` ids),
and, with ``--errors``, every missed toponym, false positive and toponym placed
outside its kind's tolerance, with context. Usage::

    .venv/bin/python bench/eval_own.py            # report
    .venv/bin/python bench/eval_own.py --errors   # report + error list
    .venv/bin/python bench/eval_own.py --json     # evaluate's JSON (+ "by_article_theatre")
    .venv/bin/python bench/eval_own.py --set own2 # only the second set
    .venv/bin/python bench/eval_own.py --set all  # both sets pooled

Sets: ``own`` (the first nine articles, the default), ``own2`` (nine more, in
other styles) and ``all`` (both, pooled into one evaluation).

The gold was annotated by hand by the rules of ``../shared/eval/README.md``
(see ``bench/articles/README.md``); coordinates are the annotator's, not
frontmap's.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path

from _command import run_frontmap

REPO = Path(__file__).resolve().parents[1]
ARTICLES_DIR = REPO / "bench" / "articles"
ARTICLES = ARTICLES_DIR / "own-articles.jsonl"
GOLD = ARTICLES_DIR / "own-gold.jsonl"
#: Article sets: name -> prefixes of ``<prefix>-articles.jsonl`` / ``<prefix>-gold.jsonl``.
SETS = {"own": ["own"], "own2": ["own2"], "all": ["own", "own2"]}


def _tolerance(kind: str) -> float:
    """Per-kind tolerance in km, as ``frontmap evaluate`` scores it."""
    from frontmap.geo.evaluate import TOLERANCE_KM

    return TOLERANCE_KM.get(kind, TOLERANCE_KM["other"])


def _run(args: list[str]) -> str:
    return run_frontmap(args, "eval_own")


def _load(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _theatre(article_id: str) -> str:
    parts = article_id.split("-")  # own-<theatre>-N, own2-<theatre>-N
    return parts[1] if len(parts) > 2 else "?"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _match(golds: list[dict], preds: list[dict]) -> dict[int, int]:
    """Greedy one-to-one matching by largest overlap (as geo.evaluate): pred → gold."""
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            ov = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if ov > 0:
                exact = g["start"] == p["start"] and g["end"] == p["end"]
                skew = abs(g["start"] - p["start"]) + abs(g["end"] - p["end"])
                pairs.append((-ov, not exact, skew, gi, pi))
    pairs.sort()
    used, by_pred = set(), {}
    for _, _, _, gi, pi in pairs:
        if gi not in used and pi not in by_pred:
            used.add(gi)
            by_pred[pi] = gi
    return by_pred


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"...{left}[{text[start:end]}]{right}..."


def _errors(articles: list[dict], gold: list[dict], pred: list[dict]) -> list[dict]:
    texts = {a["id"]: a["text"] for a in articles}
    preds = {p["id"]: p.get("toponyms", []) for p in pred}
    out = []
    for g in gold:
        aid, text = g["id"], texts[g["id"]]
        gs, ps = g["toponyms"], preds.get(g["id"], [])
        by_pred = _match(gs, ps)
        by_gold = {gi: pi for pi, gi in by_pred.items()}
        for gi, t in enumerate(gs):
            if gi not in by_gold:
                out.append(
                    {
                        "article": aid,
                        "type": "missed",
                        "gold": t,
                        "context": _context(text, t["start"], t["end"]),
                    }
                )
                continue
            p = ps[by_gold[gi]]
            if p.get("lat") is None or p.get("lon") is None:
                out.append(
                    {
                        "article": aid,
                        "type": "unresolved",
                        "gold": t,
                        "pred": p,
                        "context": _context(text, t["start"], t["end"]),
                    }
                )
                continue
            d = _km(t["lat"], t["lon"], p["lat"], p["lon"])
            if t["kind"] == "country":
                ok = t["country"] == p.get("country") or d <= _tolerance("country")
            else:
                ok = d <= _tolerance(t["kind"])
            if not ok:
                out.append(
                    {
                        "article": aid,
                        "type": "misplaced",
                        "gold": t,
                        "pred": p,
                        "km": round(d, 1),
                        "context": _context(text, t["start"], t["end"]),
                    }
                )
            elif (p["start"], p["end"]) != (t["start"], t["end"]):
                out.append(
                    {
                        "article": aid,
                        "type": "span",
                        "gold": t,
                        "pred": p,
                        "km": round(d, 1),
                        "context": _context(text, p["start"], p["end"]),
                    }
                )
        for pi, p in enumerate(ps):
            if pi not in by_pred:
                out.append(
                    {
                        "article": aid,
                        "type": "false_positive",
                        "pred": p,
                        "context": _context(text, p["start"], p["end"]),
                    }
                )
    return out


def _print_errors(errors: list[dict]) -> None:
    order = {"missed": 0, "false_positive": 1, "misplaced": 2, "unresolved": 3, "span": 4}
    for kind in sorted({e["type"] for e in errors}, key=order.get):
        rows = [e for e in errors if e["type"] == kind]
        print(f"\n{kind} ({len(rows)})")
        for e in rows:
            print(f"- {e['article']}: {e['context']}")
            g, p = e.get("gold"), e.get("pred")
            if g:
                print(
                    f"    gold: {g['surface']!r} = {g['canonical']} [{g['kind']}, {g['country']}]"
                    f" {g['lat']:.4f},{g['lon']:.4f}"
                )
            if p:
                lat = "-" if p.get("lat") is None else f"{p['lat']:.4f},{p['lon']:.4f}"
                print(
                    f"    pred: {p['surface']!r} -> {p.get('name')} ({p.get('gazetteer_id')})"
                    f" [{p.get('kind')}, {p.get('country')}] {lat}"
                    + (f"  error {e['km']} km" if "km" in e else "")
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print evaluate's JSON")
    parser.add_argument("--errors", action="store_true", help="list every error with context")
    parser.add_argument("--pred", type=Path, help="keep the predictions in this file")
    parser.add_argument(
        "--set",
        choices=sorted(SETS),
        default="own",
        help="which articles: own (first set, default), own2 (second set) or all (both)",
    )
    args = parser.parse_args(argv)

    prefixes = SETS[args.set]
    articles, gold = [], []
    for prefix in prefixes:
        articles += _load(ARTICLES_DIR / f"{prefix}-articles.jsonl")
        gold += _load(ARTICLES_DIR / f"{prefix}-gold.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if len(prefixes) == 1:
            articles_path = ARTICLES_DIR / f"{prefixes[0]}-articles.jsonl"
            gold_path = ARTICLES_DIR / f"{prefixes[0]}-gold.jsonl"
        else:
            articles_path = tmpdir / f"{args.set}-articles.jsonl"
            gold_path = tmpdir / f"{args.set}-gold.jsonl"
            articles_path.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in articles),
                encoding="utf-8",
            )
            gold_path.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold), encoding="utf-8"
            )
        pred_path = args.pred or tmpdir / f"{args.set}.pred.jsonl"
        _run(["geoparse", str(articles_path), "-o", str(pred_path)])
        pred = _load(pred_path)

        flag = ["--json"] if args.json else []
        overall = _run(["evaluate", *flag, str(gold_path), str(pred_path)])

        by_theatre = {}
        for theatre in sorted({_theatre(a["id"]) for a in articles}):
            ids = {a["id"] for a in articles if _theatre(a["id"]) == theatre}
            g_path, p_path = tmpdir / f"{theatre}.gold.jsonl", tmpdir / f"{theatre}.pred.jsonl"
            g_path.write_text("".join(json.dumps(r) + "\n" for r in gold if r["id"] in ids))
            p_path.write_text("".join(json.dumps(r) + "\n" for r in pred if r["id"] in ids))
            by_theatre[theatre] = _run(["evaluate", *flag, str(g_path), str(p_path)])

    errors = _errors(articles, gold, pred)
    if args.json:
        result = json.loads(overall)
        result["by_article_theatre"] = {k: json.loads(v)["overall"] for k, v in by_theatre.items()}
        if args.errors:
            result["errors"] = errors
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0

    gold_names = ", ".join(f"bench/articles/{p}-gold.jsonl" for p in prefixes)
    print(
        f"gold: {gold_names}  ({sum(len(g['toponyms']) for g in gold)} toponyms, "
        f"{len(gold)} articles)\n"
    )
    print(overall, end="")
    print("\nby article theatre (articles own-<theatre>-N, all their toponyms):")
    for theatre, report in by_theatre.items():
        row = next(line for line in report.splitlines() if line.startswith("overall"))
        print(f"{theatre:<18}{row[len('overall') :].lstrip(' ').rjust(len(row) - 18)}")
    if args.errors:
        _print_errors(errors)
    else:
        counts = {}
        for e in errors:
            counts[e["type"]] = counts.get(e["type"], 0) + 1
        print(
            "\nerrors: "
            + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
            + " (--errors lists them)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
