"""The ``frontmap`` command: wires geo → layers → maps together.

Commands::

    frontmap map ARTICLE... -o OUTDIR [--date D] [--online] [--embed fragment|iframe]
    frontmap geoparse ARTICLE... [-o OUT.jsonl] [--date D]
    frontmap locate NAME... [--json] [--date D] [--point LAT,LON]...
    frontmap evaluate GOLD PRED [--json]
    frontmap layers check [FILE...]
    frontmap gazetteer build | import DUMP...

Exit status: 0 when everything was done; 1 when some inputs failed and the
others were processed (each failure is one line on stderr); 2 when nothing
could be done (bad usage, no usable input, an output that cannot be written).
Expected errors never print a traceback; output files are written whole or
not at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from geo.errors import FrontmapError, InputError

__all__ = ["main"]

EXIT_OK, EXIT_PARTIAL, EXIT_FAIL = 0, 1, 2


class _Run:
    """Counts what a command did and what failed, and prints failures."""

    def __init__(self) -> None:
        self.failed = 0
        self.done = 0

    def error(self, message: str) -> None:
        self.failed += 1
        print(f"frontmap: {message}", file=sys.stderr)

    def status(self) -> int:
        if self.failed and not self.done:
            return EXIT_FAIL
        return EXIT_PARTIAL if self.failed else EXIT_OK


def _date_arg(value: str) -> dt.date:
    from geo.articles import parse_date

    try:
        parsed = parse_date(value, "--date")
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--date: ")) from None
    if parsed is None:
        raise argparse.ArgumentTypeError("empty date")
    return parsed


def _point_arg(value: str) -> tuple[float, float]:
    try:
        lat_s, lon_s = value.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not LAT,LON") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(f"{value!r} is out of range (lat ±90, lon ±180)")
    return lat, lon


def _atomic_write(path: Path, write: Any) -> None:
    """Call ``write(fh)`` on a temporary file beside ``path``, then move it in place."""
    folder = path.resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=".frontmap-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------
# geoparse and map share the pipeline


def _articles(paths: Sequence[str], date: dt.date | None, run: _Run) -> Iterable[Any]:
    from geo.articles import read_articles

    for item in read_articles(paths, date):
        if isinstance(item, InputError):
            run.error(str(item))
        else:
            yield item


def _mention_rows(article: Any, gazetteer: Any) -> list[dict[str, Any]]:
    from geo import geoparse

    rows = []
    for t in geoparse(article.text, gazetteer):
        row = t.as_dict()
        row.update(
            article_id=article.id,
            sentence=article.text[t.sentence_start : t.sentence_end],
            sentence_start=t.sentence_start,
            article_title=article.title,
            article_date=article.date.isoformat() if article.date else None,
            article_url=article.url,
            date=article.date,
        )
        rows.append(row)
    return rows


def _join(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    import layers

    frame = pd.DataFrame(rows)
    return layers.join(frame)


_JOIN_FIELDS = ("theatre", "zones", "control", "front_km")


def _json_value(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def cmd_geoparse(args: argparse.Namespace) -> int:
    """``frontmap geoparse``: one JSON object per article."""
    from geo import load_gazetteer

    run = _Run()
    gazetteer = load_gazetteer()
    out_path = Path(args.output) if args.output else None
    if out_path is not None and out_path.is_dir():
        print(f"frontmap: {out_path}: is a directory, not an output file", file=sys.stderr)
        return EXIT_FAIL

    def emit(fh: Any) -> None:
        for article in _articles(args.articles, args.date, run):
            rows = _mention_rows(article, gazetteer)
            joined = _join(rows) if rows else None
            toponyms = []
            for k, row in enumerate(rows):
                item = {
                    key: row[key]
                    for key in (
                        "start",
                        "end",
                        "surface",
                        "name",
                        "lat",
                        "lon",
                        "country",
                        "kind",
                        "gazetteer_id",
                        "score",
                        "precision",
                    )
                }
                for key in _JOIN_FIELDS:
                    item[key] = _json_value(joined.iloc[k][key]) if joined is not None else None
                toponyms.append(item)
            record = {
                "id": article.id,
                "date": article.date.isoformat() if article.date else None,
                "toponyms": toponyms,
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            run.done += 1

    if out_path is None:
        emit(sys.stdout)
    else:
        _atomic_write(out_path, emit)
        if run.done:
            print(out_path)
    return run.status()


def cmd_map(args: argparse.Namespace) -> int:
    """``frontmap map``: one map per theatre the articles touch, and an index."""
    import pandas as pd

    import layers
    from geo import load_gazetteer
    from maps import map_fragment, map_html, map_iframe, render_theatre, write_index
    from maps.export import write_text

    run = _Run()
    outdir = Path(args.output)
    if outdir.exists() and not outdir.is_dir():
        print(f"frontmap: {outdir}: exists and is not a directory", file=sys.stderr)
        return EXIT_FAIL
    gazetteer = load_gazetteer()
    rows: list[dict[str, Any]] = []
    articles = []
    for article in _articles(args.articles, args.date, run):
        articles.append(article)
        rows.extend(_mention_rows(article, gazetteer))
        run.done += 1
    if not articles:
        return run.status()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"frontmap: {outdir}: cannot create directory ({exc.strerror})", file=sys.stderr)
        return EXIT_FAIL
    if not os.access(outdir, os.W_OK):
        print(f"frontmap: {outdir}: directory is not writable", file=sys.stderr)
        return EXIT_FAIL
    joined = _join(rows) if rows else pd.DataFrame(columns=["theatre"])
    written = []
    for theatre in layers.theatres():
        mine = joined[joined["theatre"] == theatre.id]
        if mine.empty:
            continue
        dates = [d for d in mine["date"] if d is not None and d == d]
        as_of = max(dates) if dates else None
        theatre_layers = layers.layers_at(as_of, theatre=theatre.id)
        m = render_theatre(theatre, mine, theatre_layers, as_of=as_of, online=args.online)
        if args.embed == "fragment":
            name, html = f"{theatre.id}.fragment.html", map_fragment(m)
        elif args.embed == "iframe":
            name, html = f"{theatre.id}.iframe.html", map_iframe(m)
        else:
            name, html = f"{theatre.id}.html", map_html(m)
        write_text(outdir / name, html)
        written.append((theatre, name, len(mine)))
        print(outdir / name)
    outside = joined[joined["theatre"].isna()] if len(joined) else joined
    article_rows = pd.DataFrame(
        [
            {
                "article_id": a.id,
                "title": a.title,
                "date": a.date.isoformat() if a.date else None,
                "url": a.url,
            }
            for a in articles
        ]
    )
    write_index(outdir / "index.html", written, outside, article_rows)
    print(outdir / "index.html")
    return run.status()


# ---------------------------------------------------------------------------


def cmd_locate(args: argparse.Namespace) -> int:
    """``frontmap locate``: ranked candidates for names, and the situation at points."""
    import pandas as pd

    import layers
    from geo import load_gazetteer

    run = _Run()
    gazetteer = load_gazetteer()
    results: list[dict[str, Any]] = []
    for name in args.names:
        try:
            cands = gazetteer.search(name, limit=args.limit, country=args.country)
        except InputError as exc:
            run.error(f"{name!r}: {exc}")
            continue
        items = [
            {
                "name": c.place.name,
                "lat": c.place.lat,
                "lon": c.place.lon,
                "country": c.place.country,
                "kind": c.place.kind,
                "gazetteer_id": c.place.gazetteer_id,
                "score": c.score,
                "source": c.place.source,
                "match": c.match,
            }
            for c in cands
        ]
        results.append({"query": name, "candidates": items})
        run.done += 1
    for lat, lon in args.point or ():
        results.append(
            {"query": f"{lat},{lon}", "point": {"lat": lat, "lon": lon}, "candidates": []}
        )
        run.done += 1
    # The situation on the date at every candidate and point.
    flat = [
        (i, j, c)
        for i, r in enumerate(results)
        for j, c in enumerate(r["candidates"] or [r.get("point")])
        if c
    ]
    if flat:
        frame = pd.DataFrame(
            [
                {
                    "lat": c["lat"],
                    "lon": c["lon"],
                    "kind": c.get("kind"),
                    "country": c.get("country"),
                }
                for _, _, c in flat
            ]
        )
        joined = layers.join(frame, date=args.date)
        for k, (_i, _j, c) in enumerate(flat):
            for key in _JOIN_FIELDS:
                c[key] = _json_value(joined.iloc[k][key])
    for r in results:
        if args.json:
            out = {"query": r["query"]}
            if "point" in r:
                out.update(r["point"])
            else:
                out["candidates"] = r["candidates"]
            print(json.dumps(out, ensure_ascii=False))
            continue
        if "point" in r:
            p = r["point"]
            print(f"{r['query']}: {_situation(p)}")
            continue
        if not r["candidates"]:
            print(f"{r['query']}: no match")
            continue
        print(f"{r['query']}:")
        for c in r["candidates"]:
            print(
                f"  {c['score']:.3f}  {c['name']} ({c['kind']}, {c['country']})"
                f"  {c['lat']:.4f}, {c['lon']:.4f}  {c['gazetteer_id']}  [{c['source']}]"
                + (f"  {_situation(c)}" if c.get("theatre") else "")
            )
    if not results and not run.failed:
        print("frontmap: locate needs a NAME or --point", file=sys.stderr)
        return EXIT_FAIL
    return run.status()


def _situation(c: dict[str, Any]) -> str:
    if not c.get("theatre"):
        return "outside every theatre"
    parts = [f"theatre {c['theatre']}"]
    if c.get("control"):
        parts.append(f"control {c['control']}")
    if c.get("front_km") is not None:
        parts.append(f"{c['front_km']} km from the front")
    if c.get("zones"):
        parts.append("zones " + ", ".join(c["zones"]))
    return "; ".join(parts)


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``frontmap evaluate``: score predictions against gold toponyms."""
    import layers
    from geo.evaluate import evaluate, format_report, load_jsonl

    gold = load_jsonl(args.gold)
    pred = load_jsonl(args.pred)
    result = evaluate(gold, pred, theatre_of=layers.theatre_of)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_report(result))
    return EXIT_OK


def cmd_layers_check(args: argparse.Namespace) -> int:
    """``frontmap layers check``: validate layer files."""
    import layers

    problems = layers.check(args.files or None)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        return EXIT_FAIL
    print("layers: all files valid")
    return EXIT_OK


def cmd_gazetteer(args: argparse.Namespace) -> int:
    """``frontmap gazetteer build|import``."""
    from geo.gazetteer import build_index, import_geonames, load_gazetteer

    if args.action == "build":
        print(build_index())
        return EXIT_OK
    run = _Run()
    for dump in args.files:
        try:
            n = import_geonames(Path(dump))
        except InputError as exc:
            run.error(str(exc))
            continue
        print(f"{dump}: imported {n} places")
        run.done += 1
    load_gazetteer().reopen()
    return run.status()


# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``frontmap`` command."""
    parser = argparse.ArgumentParser(
        prog="frontmap",
        description="Turn conflict news into maps: geoparse articles, join them to the zones "
        "and front lines of their date, and map them per theatre.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("map", help="write one interactive map per theatre, and an index")
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help=".txt or .jsonl file")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    p.add_argument("--date", type=_date_arg, help="date of the articles (YYYY-MM-DD)")
    p.add_argument(
        "--online",
        action="store_true",
        help="offer online tiles as an extra layer (the default map needs no network)",
    )
    p.add_argument(
        "--embed",
        choices=("fragment", "iframe"),
        help="write HTML fragments or iframe snippets instead of pages",
    )
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("geoparse", help="toponyms of each article as JSON Lines")
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help=".txt or .jsonl file")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="output file (default stdout)")
    p.add_argument("--date", type=_date_arg, help="date for the joins (YYYY-MM-DD)")
    p.set_defaults(func=cmd_geoparse)

    p = sub.add_parser("locate", help="look names up in the gazetteer")
    p.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--json", action="store_true", help="one JSON object per name")
    p.add_argument("--date", type=_date_arg, help="date for control and front distance")
    p.add_argument(
        "--point",
        type=_point_arg,
        action="append",
        metavar="LAT,LON",
        help="a point to situate (repeatable)",
    )
    p.add_argument("--limit", type=int, default=5, help="candidates per name (default 5)")
    p.add_argument("--country", help="only candidates in this ISO country code")
    p.set_defaults(func=cmd_locate)

    p = sub.add_parser("evaluate", help="score geoparse output against gold toponyms")
    p.add_argument("gold", type=Path, metavar="GOLD")
    p.add_argument("pred", type=Path, metavar="PRED")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("layers", help="zone and front-line layers")
    lsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = lsub.add_parser("check", help="validate the shipped layer files, or yours")
    c.add_argument("files", nargs="*", metavar="FILE")
    c.set_defaults(func=cmd_layers_check)

    p = sub.add_parser("gazetteer", help="build the index, or import a GeoNames dump")
    gsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    b = gsub.add_parser("build", help="(re)build the base index")
    b.set_defaults(func=cmd_gazetteer)
    i = gsub.add_parser("import", help="add a GeoNames dump (e.g. SY.txt) to the index")
    i.add_argument("files", nargs="+", metavar="DUMP")
    i.set_defaults(func=cmd_gazetteer)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``frontmap`` command; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except FrontmapError as exc:
        print(f"frontmap: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("frontmap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
