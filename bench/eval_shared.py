"""Score frontmap against the shared evaluation data (not part of the test run).

The gold files live outside the repository, in ``../shared/eval/`` (research
use only: never copy their texts into the repository). Usage::

    # score an existing predictions file against the seed gold
    .venv/bin/python bench/eval_shared.py --pred out/eval/seed-gold.pred.jsonl

    # run `frontmap geoparse` first, then score (seed gold by default)
    .venv/bin/python bench/eval_shared.py --run
    .venv/bin/python bench/eval_shared.py ../shared/eval/gwn-conflict-subset.jsonl --run

With ``--run``, the articles are ``seed-articles.jsonl`` for the seed gold and
the gold file itself for the GeoWebNews-style files (their records carry the
text); predictions go to ``out/eval/<gold name>.pred.jsonl`` unless ``--pred``
says otherwise. The geoparse command line is a template (``--cmd``) with
``{frontmap}``, ``{articles}`` and ``{pred}`` placeholders.

Per-theatre rows use ``layers.theatre_of`` when it can be imported.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
DEFAULT_GOLD = EVAL / "seed-gold.jsonl"
DEFAULT_CMD = "{frontmap} geoparse {articles} -o {pred}"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from frontmap.errors import FrontmapError  # noqa: E402
from frontmap.geo.evaluate import evaluate, format_report, load_jsonl  # noqa: E402


def _fail(message: str) -> None:
    print(f"eval_shared: {message}", file=sys.stderr)
    raise SystemExit(2)


def _frontmap_command() -> list[str]:
    """The `frontmap` console script beside this Python, on PATH, or the module."""
    beside = Path(sys.executable).with_name("frontmap")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("frontmap")
    if found:
        return [found]
    return [sys.executable, "-m", "frontmap.cli"]


def _default_articles(gold: Path) -> Path:
    if gold.name == "seed-gold.jsonl":
        return gold.with_name("seed-articles.jsonl")
    return gold  # GeoWebNews-style gold records carry their text


def _run_geoparse(template: str, articles: Path, pred: Path) -> float:
    pred.parent.mkdir(parents=True, exist_ok=True)
    frontmap = " ".join(shlex.quote(part) for part in _frontmap_command())
    line = template.format(
        frontmap=frontmap, articles=shlex.quote(str(articles)), pred=shlex.quote(str(pred))
    )
    print(f"running: {line}", file=sys.stderr)
    start = time.perf_counter()
    try:
        done = subprocess.run(shlex.split(line), cwd=REPO, capture_output=True, text=True)
    except OSError as exc:
        _fail(f"cannot run geoparse: {exc}")
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        _fail(f"geoparse exited with status {done.returncode}:\n  " + "\n  ".join(tail))
    if not pred.exists():
        if not done.stdout.strip():
            _fail(f"geoparse wrote neither {pred} nor anything on stdout")
        pred.write_text(done.stdout, encoding="utf-8")  # a CLI that writes JSONL to stdout
    return elapsed


def _theatre_of():
    try:
        from frontmap.theatres import theatre_of
    except ImportError as exc:
        print(f"note: no per-theatre rows (layers.theatre_of unavailable: {exc})", file=sys.stderr)
        return None
    return theatre_of


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, optionally run geoparse, score and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "gold", nargs="?", type=Path, default=DEFAULT_GOLD, help="gold JSONL (seed gold)"
    )
    parser.add_argument("--pred", type=Path, help="predictions JSONL (frontmap geoparse output)")
    parser.add_argument("--run", action="store_true", help="run `frontmap geoparse` first")
    parser.add_argument("--articles", type=Path, help="articles JSONL for --run")
    parser.add_argument("--cmd", default=DEFAULT_CMD, help=f"geoparse template ({DEFAULT_CMD!r})")
    parser.add_argument("--no-theatres", action="store_true", help="overall figures only")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    if not SHARED.is_dir() and not args.gold.exists():
        _fail(
            f"{SHARED} is absent: the shared evaluation data sits beside the repository "
            "(../shared/eval), not in it; give a gold file path explicitly"
        )
    if not args.gold.exists():
        _fail(f"gold file not found: {args.gold}")

    pred = args.pred
    if args.run:
        pred = pred or REPO / "out" / "eval" / f"{args.gold.stem}.pred.jsonl"
        if pred.exists():
            pred.unlink()
        articles = args.articles or _default_articles(args.gold)
        if not articles.exists():
            _fail(f"articles file not found: {articles}")
        elapsed = _run_geoparse(args.cmd, articles, pred)
        print(f"geoparse: {elapsed:.2f} s", file=sys.stderr)
    elif pred is None:
        _fail("give --pred PREDICTIONS or --run")
    if not pred.exists():
        _fail(f"predictions file not found: {pred}")

    theatre_of = None if args.no_theatres else _theatre_of()
    try:
        result = evaluate(load_jsonl(args.gold), load_jsonl(pred), theatre_of=theatre_of)
    except FrontmapError as exc:
        _fail(str(exc))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"gold: {args.gold}\npred: {pred}\n")
        print(format_report(result), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
