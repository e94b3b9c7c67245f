"""The ``frontmap`` command: a thin shell over the library.

Commands::

    frontmap map ARTICLE... -o OUTDIR [--date D] [--theatre ID] [--online] [--title T]
                 [--embed fragment|iframe | --format png|svg|pdf [--paper a4|letter]
                  [--size WxH] [--dpi N] [--extent places|S,W,N,E]] [--jobs N]
    frontmap report ARTICLE... -o REPORT.html [--date D] [--title T] [--theatre ID]
    frontmap geoparse ARTICLE... [-o OUT.jsonl|.geojson|.csv|.parquet] [--date D] [--jobs N]
    frontmap events ARTICLE... -o OUT.csv|.geojson|.jsonl [--date D] [--jobs N]
    frontmap locate NAME... [--json] [--date D] [--point LAT,LON]...
    frontmap evaluate GOLD PRED [--json] [--events]
    frontmap layers check [FILE...]
    frontmap gazetteer build | import DUMP...

    map, report, geoparse and locate also take [--layers FILE]... [--only-layers]:
    your own GeoJSON layers, checked as ``layers check`` does, used with the
    shipped ones (yours win where areas of control overlap) or instead of them.

Exit status: 0 when everything was done; 1 when some inputs failed and the
others were processed (each failure is one line on stderr); 2 when nothing
could be done (bad usage, no usable input, an output that cannot be written).
Expected errors never print a traceback; outputs are written whole or not at
all, and an input file is never used as an output. Every message is one line:
line breaks and other control characters in it (a file name with a newline)
are shown escaped, and a message is cut at :data:`MESSAGE_CHARS` characters.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .errors import FrontmapError, InputError, OutputError, printable

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_PARTIAL, EXIT_FAIL = 0, 1, 2
#: A progress bar appears on a terminal once a run has lasted this many seconds.
PROGRESS_DELAY = 2.0
#: Longest message printed on stderr, in characters (the rest is cut).
MESSAGE_CHARS = 2000


def one_line(message: str) -> str:
    """``message`` as one printable line: unprintable characters escaped, cut if long.

    Examples
    --------
    >>> one_line("a\\nb.txt: no such file")
    'a\\\\nb.txt: no such file'
    """
    message = printable(message)
    if len(message) > MESSAGE_CHARS:
        rest = len(message) - MESSAGE_CHARS
        message = f"{message[:MESSAGE_CHARS]}… ({rest:,} more characters)"
    return message


def _say(message: str) -> None:
    """Print ``frontmap: MESSAGE`` on stderr, as one line."""
    print(f"frontmap: {one_line(message)}", file=sys.stderr)


# --------------------------------------------------------------------------- reporting


class _Run:
    """Counts what a command did and what failed, and prints failures (one line each)."""

    def __init__(self, label: str = "", total_bytes: int = 0) -> None:
        self.failed = 0
        self.done = 0
        self.noted: dict[tuple[str, str], int] = {}
        self.bar: Any = None
        if label and _is_terminal(sys.stderr):
            from tqdm import tqdm

            self.bar = tqdm(
                total=total_bytes or None,
                desc=label,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                delay=PROGRESS_DELAY,
                leave=False,
                file=sys.stderr,
                dynamic_ncols=True,
            )

    def notes(self, rows: Sequence[dict[str, Any]]) -> None:
        """Keep the coverage notes of joined rows (why a theatre had no control)."""
        for row in rows:
            note = row.get("control_note")
            if note:
                key = (str(row.get("theatre")), str(note))
                self.noted[key] = self.noted.get(key, 0) + 1

    def warn_notes(self) -> None:
        """One line on stderr per theatre and reason a place got no control."""
        for (theatre, note), n in sorted(self.noted.items()):
            what = "place" if n == 1 else "places"
            print(f"frontmap: warning: {theatre}: {note} ({n} {what})", file=sys.stderr)
        self.noted.clear()

    def error(self, message: str) -> None:
        self.failed += 1
        if self.bar is not None:
            self.bar.write(f"frontmap: {one_line(message)}", file=sys.stderr)
        else:
            _say(message)

    def read(self, n: int) -> None:
        """Bytes of input read (for the progress bar)."""
        if self.bar is not None:
            self.bar.update(n)

    def article(self) -> None:
        """One article done (for the progress bar)."""
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.done:,} articles", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def status(self) -> int:
        if self.failed and not self.done:
            return EXIT_FAIL
        return EXIT_PARTIAL if self.failed else EXIT_OK


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors: ``frontmap: PROBLEM (see frontmap CMD --help)``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        _say(f"{message} (see {self.prog} --help)")
        raise SystemExit(EXIT_FAIL)


def _date_arg(value: str) -> dt.date:
    from .dates import parse_date

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


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be at least 1")
    return n


def _theatre_arg(value: str | None) -> Any:
    """The theatre named by ``--theatre``, or None."""
    if value is None:
        return None
    from .theatres import get_theatre

    try:
        return get_theatre(value)
    except InputError as exc:
        raise InputError(f"--theatre: {exc}") from None


def _utf8_stdout() -> TextIO:
    """sys.stdout, made to write UTF-8 whatever the locale says."""
    out = sys.stdout
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(out, "reconfigure"):
        with contextlib.suppress(ValueError, OSError):
            out.reconfigure(encoding="utf-8")
    return out


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _refuse_inputs_as_outputs(inputs: Sequence[str], outputs: Sequence[Path]) -> None:
    """OutputError when an output would overwrite one of the inputs (before any work)."""
    from .files import check_not_inputs

    check_not_inputs(outputs, inputs)


# --------------------------------------------------------------------------- geoparsing


def _articles(paths: Sequence[str], date: dt.date | None, run: _Run) -> Iterator[Any]:
    from .geo.articles import read_articles

    for item in read_articles(paths, date, progress=run.read):
        if isinstance(item, InputError):
            run.error(str(item))
        else:
            yield item


def _layers(args: argparse.Namespace) -> Any:
    """The layers of ``--layers``/``--only-layers`` (None: the shipped ones)."""
    files = getattr(args, "layers", None) or []
    if not files:
        if getattr(args, "only_layers", False):
            raise InputError("--only-layers needs at least one --layers FILE")
        return None
    from .files import check_input_file
    from .layers import combine_layers
    from .layers.catalog import freeze

    for name in files:
        check_input_file(name, "a layer file")
    return freeze(combine_layers(files, only=args.only_layers))  # read, never changed


def _results(
    args: argparse.Namespace,
    run: _Run,
    *,
    sentences: bool,
    events: bool = True,
    layers: Any = None,
) -> Iterator[Any]:
    """Geoparse results of the ARTICLE arguments; failures reported on ``run``."""
    from .pipeline import gather_parts

    parts = _parts(args, run, layers, events=events, sentences=sentences)
    return gather_parts(parts, events=events)


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Any]:
    """A Dask cluster to geoparse on (``--dask``), or None for local processes."""
    address = getattr(args, "dask", None)
    if not address:
        yield None
        return
    from .distributed import DaskExecutor, dask_client

    client = dask_client(address, workers=args.jobs_given)
    try:
        yield DaskExecutor(client)
    finally:
        cluster = client.cluster if address == "local" else None
        client.close()
        if cluster is not None:
            cluster.close()


def _parts(
    args: argparse.Namespace,
    run: _Run,
    layers: Any = None,
    events: bool = True,
    sentences: bool = False,
) -> Iterator[Any]:
    """Geoparse results of the ARTICLE arguments, window by window; failures reported."""
    from .pipeline import iter_geoparse_parts

    articles = _articles(args.articles, args.date, run)
    with _executor(args) as executor:
        parts = iter_geoparse_parts(
            articles,
            jobs=args.jobs,
            join=True,
            sentences=sentences,
            events=events,
            executor=executor,
            layers=layers,
        )
        yield from _counted_parts(parts, run)


def _counted_parts(parts: Iterator[Any], run: _Run) -> Iterator[Any]:
    parsed = False
    for part in parts:
        _startup_over()
        run.notes(part.rows)
        if part.error is not None:
            run.error(part.error)
        parsed = parsed or part.error is None
        if part.last:
            if parsed:
                run.done += 1
                run.article()
            parsed = False
        yield part


def cmd_geoparse(args: argparse.Namespace) -> int:
    """``frontmap geoparse``: the toponyms of each article (JSON Lines, GeoJSON, CSV, Parquet)."""
    from .datafiles import GeoparseWriter

    target: Path | TextIO
    if args.output:
        target = Path(args.output)
        _refuse_inputs_as_outputs(args.articles, [target])
    else:
        _needs_stdout("write the toponyms to a file with -o FILE")
        target = _utf8_stdout()
    layers = _layers(args)
    run = _Run("geoparse", sum(_size(p) for p in args.articles))
    out = GeoparseWriter(target)
    # Standard output is written as it comes; a file only when every input was read.
    with _all_or_nothing(out, run, lambda: run.done or not args.output):
        # events go into JSON Lines records only: the other formats are one row a toponym
        for part in _parts(args, run, layers, events=out.format == "jsonl"):
            out.write_part(part)
    if args.output and run.done:
        print(args.output)
    run.warn_notes()
    return run.status()


@contextlib.contextmanager
def _all_or_nothing(out: Any, run: _Run, keep: Any) -> Iterator[None]:
    """Write into ``out`` in the block: closed (kept) when ``keep()`` holds at its
    end, else discarded, as on any error; the run is closed either way."""
    try:
        yield
        if keep():
            out.close()
        else:
            out.discard()
    except BaseException:
        out.discard()
        raise
    finally:
        run.close()


#: Most mentions one ``map`` or ``report`` run draws (they are held in memory,
#: about 2 kB each, and a map of more is no longer readable): beyond, the run stops.
MAX_MAP_MENTIONS = 100_000
#: Most characters of article text one ``report`` holds (it is one page).
MAX_REPORT_CHARS = 20_000_000


def cmd_events(args: argparse.Namespace) -> int:
    """``frontmap events``: each article's events as ACLED-compatible CSV (or GeoJSON, JSONL)."""
    from .datafiles import EventWriter
    from .pipeline import event_rows

    target = Path(args.output)
    _refuse_inputs_as_outputs(args.articles, [target])
    run = _Run("events", sum(_size(p) for p in args.articles))
    out = EventWriter(target)
    n = 0
    with _all_or_nothing(out, run, lambda: run.done):
        for result in _results(args, run, sentences=False):
            rows = event_rows(result)
            out.write(rows)
            n += len(rows)
    if run.done:
        print(f"{args.output}: {n} events")
    return run.status()


def _collect(
    args: argparse.Namespace,
    label: str,
    events: list[dict[str, Any]] | None = None,
    layers: Any = None,
) -> tuple[_Run, Any, list[Any]]:
    """Geoparse for map and report: the run, the mention frame and the articles parsed
    (and their event rows, added to ``events`` when a list is given).

    A map keeps only the articles' ids, titles, dates and urls (its index page
    lists them); a report keeps their text too. Either stops with an InputError
    beyond :data:`MAX_MAP_MENTIONS` mentions or, for a report,
    :data:`MAX_REPORT_CHARS` characters of text, so that memory stays bounded.
    """
    import dataclasses

    from .pipeline import event_rows
    from .schema import mention_frame

    run = _Run(label, sum(_size(p) for p in args.articles))
    rows: list[dict[str, Any]] = []
    articles = []
    chars = 0
    try:
        for result in _results(args, run, sentences=True, events=events is not None, layers=layers):
            if not result.parsed:
                continue
            rows.extend(result.rows)
            article = result.article
            if label == "report":
                chars += _text_size(article)
            elif article.text or article.streamed:
                article = dataclasses.replace(article, text="", reader=None)
            articles.append(article)
            if events is not None:
                events.extend(event_rows(result))
            if len(rows) > MAX_MAP_MENTIONS or chars > MAX_REPORT_CHARS:
                what = (
                    f"{MAX_MAP_MENTIONS:,} places"
                    if len(rows) > MAX_MAP_MENTIONS
                    else f"{MAX_REPORT_CHARS:,} characters of text"
                )
                raise InputError(
                    f"{article.source or article.id}: more than {what} for one {label}; "
                    f"{label} fewer articles at a time (or use geoparse -o)"
                )
    finally:
        run.close()
    run.warn_notes()
    return run, mention_frame(rows), articles


def _text_size(article: Any) -> int:
    """Characters of an article's text (a streamed one: its file's size in bytes)."""
    if article.streamed:
        return _size(article.source)
    return len(article.text)


def _map_names(theatres: Sequence[Any]) -> list[str]:
    names = ["index.html", "frontmap-assets.html"]
    for t in theatres:
        names += [f"{t.id}.{ext}" for ext in ("html", "fragment.html", "iframe.html")]
        names += [f"{t.id}.{ext}" for ext in ("png", "svg", "pdf")]
    return names


def _static_options(args: argparse.Namespace) -> Any:
    """The ``--paper``, ``--size``, ``--dpi`` and ``--extent`` of ``map``, checked (or None)."""
    names = ("paper", "size", "dpi", "extent")
    given = [f"--{name}" for name in names if getattr(args, name) is not None]
    if not given:
        return None
    if not args.format:
        raise InputError(f"{', '.join(given)}: options of static images (add --format)")
    from .mapping import StaticOptions
    from .maps._paper import parse_extent, parse_size

    dpi = 150 if args.dpi is None else args.dpi
    if not 20 <= dpi <= 1200:
        raise InputError(f"--dpi: {dpi} must be between 20 and 1200")
    try:
        size = None if args.size is None else parse_size(args.size, dpi)
        extent = None if args.extent is None else parse_extent(args.extent)
    except InputError as exc:
        raise InputError(f"--{exc}") from None
    return StaticOptions(paper=args.paper, size=size, dpi=dpi, extent=extent)


def cmd_map(args: argparse.Namespace) -> int:
    """``frontmap map``: one map per theatre the articles touch, and an index."""
    from .mapping import check_outdir, write_maps
    from .theatres import all_theatres

    if args.embed and args.format:
        raise InputError("--embed and --format cannot be used together (an image is not HTML)")
    static = _static_options(args)
    only = _theatre_arg(args.theatre)
    outdir = Path(args.output)
    check_outdir(outdir)
    _refuse_inputs_as_outputs(args.articles, [outdir / n for n in _map_names(all_theatres())])
    layers = _layers(args)
    events: list[dict[str, Any]] = []  # drawn on the interactive maps
    run, mentions, articles = _collect(args, "map", events, layers)
    if not articles:
        return run.status()
    for path in write_maps(
        mentions,
        outdir,
        articles=articles,
        theatre=only,
        online=args.online,
        embed=args.embed,
        format=args.format,
        layers=layers,
        title=args.title,
        static=static,
        events=events,
    ):
        print(path)
    return run.status()


def cmd_report(args: argparse.Namespace) -> int:
    """``frontmap report``: the articles, their theatre maps and a table, in one page."""
    from .files import check_output_file
    from .mapping import write_report

    only = _theatre_arg(args.theatre)
    output = Path(args.output)
    check_output_file(output)
    _refuse_inputs_as_outputs(args.articles, [output])
    events: list[dict[str, Any]] = []
    layers = _layers(args)
    run, mentions, articles = _collect(args, "report", events, layers)
    if not articles:
        return run.status()
    write_report(
        mentions,
        output,
        articles=articles,
        title=args.title or "frontmap report",
        theatre=only,
        online=args.online,
        events=events,
        layers=layers,
    )
    print(output)
    return run.status()


# --------------------------------------------------------------------------- the rest


def cmd_locate(args: argparse.Namespace) -> int:
    """``frontmap locate``: ranked candidates for names, and the situation at points."""
    from .geo import load_gazetteer
    from .pipeline import join_rows

    _needs_stdout("locate has nothing else to write to")
    layers = _layers(args)
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
        point = {"lat": lat, "lon": lon, "kind": None, "country": None}
        results.append({"query": f"{lat},{lon}", "point": point, "candidates": []})
        run.done += 1
    # The situation on the date at every candidate and point.
    situated = [c for r in results for c in (r["candidates"] or [r.get("point")]) if c]
    for c in situated:
        c["date"] = args.date
    join_rows(situated, layers)
    for c in situated:
        del c["date"]
    run.notes(situated)
    for r in results:
        _print_located(r, args.json)
    run.warn_notes()
    if not results and not run.failed:
        _say("locate needs a NAME or --point")
        return EXIT_FAIL
    return run.status()


def _print_located(r: dict[str, Any], as_json: bool) -> None:
    if as_json:
        out: dict[str, Any] = {"query": r["query"]}
        if "point" in r:
            out.update({k: v for k, v in r["point"].items() if k not in ("kind", "country")})
        else:
            out["candidates"] = r["candidates"]
        print(json.dumps(out, ensure_ascii=False))
        return
    if "point" in r:
        print(f"{r['query']}: {_situation(r['point'])}")
        return
    if not r["candidates"]:
        print(f"{r['query']}: no match")
        return
    print(f"{r['query']}:")
    for c in r["candidates"]:
        print(
            f"  {c['score']:.3f}  {c['name']} ({c['kind']}, {c['country']})"
            f"  {c['lat']:.4f}, {c['lon']:.4f}  {c['gazetteer_id']}  [{c['source']}]"
            + (f"  {_situation(c)}" if c.get("theatre") else "")
        )


def _situation(c: dict[str, Any]) -> str:
    if not c.get("theatre"):
        return "outside every theatre"
    parts = [f"theatre {c['theatre']}"]
    if c.get("control"):
        parts.append(f"control {c['control']}" + (f" ({c['faction']})" if c.get("faction") else ""))
    if c.get("front_km") is not None:
        parts.append(f"{c['front_km']} km from the front")
    if c.get("zones"):
        parts.append("zones " + ", ".join(c["zones"]))
    if c.get("control_note"):
        parts.append(str(c["control_note"]))
    return "; ".join(parts)


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``frontmap evaluate``: score predictions against gold toponyms.

    Gold articles without a prediction count as predicting nothing, and
    predicted articles without gold are not scored: either is said on stderr
    (status 1); no article id in common at all is an error (status 2).
    """
    from .files import check_input_file
    from .geo.evaluate import evaluate, format_report, load_jsonl
    from .theatres import theatre_of

    _needs_stdout("evaluate has nothing else to write to")
    for path in (args.gold, args.pred):
        check_input_file(path, "a JSON Lines file")
    gold = load_jsonl(args.gold)
    pred = load_jsonl(args.pred)
    for path, records in ((args.gold, gold), (args.pred, pred)):
        if not records:
            raise InputError(f"{path}: no records")
    if getattr(args, "events", False):
        return _evaluate_events(args, gold, pred)
    result = evaluate(gold, pred, theatre_of=theatre_of)
    run = _Run()
    _check_ids(args, gold, pred, run)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_report(result))
    run.done = 1
    return run.status()


def _check_ids(args: argparse.Namespace, gold: list[dict], pred: list[dict], run: _Run) -> None:
    """Say which article ids of gold and predictions do not match (InputError: none does)."""
    gold_ids = [str(r["id"]) for r in gold]
    pred_ids = [str(r["id"]) for r in pred]
    gold_set, pred_set = set(gold_ids), set(pred_ids)
    unpredicted = [i for i in gold_ids if i not in pred_set]
    ungolded = [i for i in pred_ids if i not in gold_set]

    def some(ids: list[str]) -> str:
        shown = ", ".join(repr(i) for i in ids[:3])
        return shown + (", ..." if len(ids) > 3 else "")

    if len(unpredicted) == len(gold_ids):
        raise InputError(
            f"{args.gold} and {args.pred} have no article id in common "
            f"(gold: {some(gold_ids)}; predictions: {some(pred_ids)})"
        )
    if unpredicted:
        run.error(
            f"{args.pred}: no prediction for {len(unpredicted)} of {len(gold_ids)} gold "
            f"articles ({some(unpredicted)}); scored as predicting nothing"
        )
    if ungolded:
        run.error(
            f"{args.pred}: {len(ungolded)} predicted articles are not in {args.gold} "
            f"({some(ungolded)}); not scored"
        )


def _evaluate_events(args: argparse.Namespace, gold: list[Any], pred: list[Any]) -> int:
    """``frontmap evaluate --events``: score predicted events against gold events."""
    from .geo.evaluate_events import evaluate_events, format_events_report
    from .theatres import theatre_of

    missing = [i for i, r in enumerate(gold, 1) if "events" not in r]
    if missing:
        raise InputError(f"{args.gold}: record {missing[0]} has no 'events' (not event gold?)")
    result = evaluate_events(gold, pred, theatre_of=theatre_of)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_events_report(result))
    return EXIT_OK


def cmd_layers_check(args: argparse.Namespace) -> int:
    """``frontmap layers check``: validate layer files.

    Every problem is one line on stderr, ``frontmap: FILE: feature ID: problem``.
    With FILEs, the status is 0 when all are valid, 1 when some are, 2 when none
    is; the shipped files (no FILE) give 0 or 2.
    """
    from .files import check_input_file
    from .layers import check

    run = _Run()
    files: list[str] = []
    for name in args.files:
        try:
            check_input_file(name, "a layer file")
        except InputError as exc:
            run.error(str(exc))
        else:
            files.append(name)
    if args.files and not files:
        return run.status()
    problems = check(files or None)
    bad: set[str] = set()
    for line in problems:
        run.error(line)
        bad.update(f for f in files if line.startswith(f"{f}:"))
    if not args.files:
        if problems:
            return EXIT_FAIL
        print("layers: all files valid")
        return EXIT_OK
    run.failed = len(args.files) - len(files) + len(bad)
    if problems and not bad:  # a problem not tied to one file
        run.failed += 1
    good = [f for f in files if f not in bad]
    run.done = len(good)
    for name in good:
        print(f"{name}: valid")
    return run.status()


def cmd_gazetteer(args: argparse.Namespace) -> int:
    """``frontmap gazetteer build|import``."""
    from .geo.gazetteer import build_index, import_geonames, load_gazetteer

    if args.action == "build":
        print(build_index())
        _prepare_caches()
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


def _prepare_caches() -> None:
    """What every command would otherwise make on its first start, made at build time
    (issue 16): the curated index of the gazetteer, the shipped layers frame and the
    compiled expressions of the event extraction, all in the cache folder."""
    from .geo.events import prepare
    from .geo.gazetteer import load_gazetteer
    from .layers import load_layers

    load_gazetteer()
    load_layers()
    prepare()


# --------------------------------------------------------------------------- parser


def _version() -> str:
    from . import __version__

    return f"frontmap {__version__}"


class _Version(argparse.Action):
    """``--version``, computed only when asked for (it reads the package metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(_version())
        parser.exit()


def _add_articles(p: argparse.ArgumentParser, date_help: str) -> None:
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help=".txt or .jsonl file")
    p.add_argument("--date", type=_date_arg, help=date_help)
    p.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        help="worker processes for geoparsing (default: one per core; 1 = no workers; "
        "never more than the cores)",
    )


def _add_layer_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--layers",
        action="append",
        metavar="FILE",
        help="your own layer file (GeoJSON, as data/layers/*.geojson; checked as 'layers "
        "check' does), used with the shipped layers: your areas of control win where they "
        "overlap (repeat for several files)",
    )
    p.add_argument(
        "--only-layers",
        action="store_true",
        help="use the --layers files instead of the shipped layers",
    )


def _add_map_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--online",
        action="store_true",
        help="offer online tiles as an extra layer (the default map needs no network)",
    )
    p.add_argument("--theatre", metavar="ID", help="only this theatre's map (e.g. idlib)")


def _add_print_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("static images (with --format)")
    g.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="paper size; landscape unless the map is taller than wide (default: A4)",
    )
    g.add_argument(
        "--size",
        metavar="WxH",
        help="page size instead of a paper: 180x120 (mm), 18x12cm, 7x5in or 1600x1000px",
    )
    g.add_argument("--dpi", type=_positive_int, help="resolution of PNG images (default 150)")
    g.add_argument(
        "--extent",
        metavar="places|S,W,N,E",
        help="what the map shows: 'places' fits the places named; or a box in degrees "
        "(default: the theatre)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``frontmap`` command."""
    parser = _ArgumentParser(
        prog="frontmap",
        description="Turn conflict news into maps: geoparse articles, join them to the zones "
        "and front lines of their date, and map them per theatre.",
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("map", help="write one interactive map per theatre, and an index")
    _add_articles(p, "date of the articles (YYYY-MM-DD)")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    _add_map_options(p)
    p.add_argument(
        "--embed",
        choices=("fragment", "iframe"),
        help="write HTML to paste into a page: fragments (and frontmap-assets.html, to paste "
        "once per page), or each map's page and a short <iframe src> snippet",
    )
    p.add_argument(
        "--format",
        choices=("png", "svg", "pdf"),
        help="write static images (matplotlib, print quality) instead of interactive maps",
    )
    p.add_argument("--title", help="title of the maps (then the theatre's, when several)")
    _add_print_options(p)
    _add_layer_options(p)
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("report", help="write one self-contained report: texts, maps, table")
    _add_articles(p, "date of the articles (YYYY-MM-DD)")
    p.add_argument("-o", "--output", required=True, metavar="REPORT.html", help="output file")
    p.add_argument("--title", help="title of the report")
    _add_map_options(p)
    _add_layer_options(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "geoparse", help="toponyms of each article as JSON Lines, GeoJSON, CSV or GeoParquet"
    )
    _add_articles(p, "date for the joins (YYYY-MM-DD)")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file; its extension gives the format: .jsonl (the default, on stdout "
        "without -o), .geojson, .csv or .parquet",
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="geoparse on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' "
        "for a cluster of --jobs worker processes here (needs pip install 'frontmap[dask]')",
    )
    _add_layer_options(p)
    p.set_defaults(func=cmd_geoparse)

    p = sub.add_parser(
        "events", help="events of each article (what, who, where, how many died) as ACLED CSV"
    )
    _add_articles(p, "date of the articles (YYYY-MM-DD): 'on Monday' is read from it")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="output file; its extension gives the format: .csv (ACLED-compatible columns), "
        ".geojson or .jsonl",
    )
    p.set_defaults(func=cmd_events)

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
    p.add_argument("--limit", type=_positive_int, default=5, help="candidates per name (default 5)")
    p.add_argument("--country", help="only candidates in this ISO country code")
    _add_layer_options(p)
    p.set_defaults(func=cmd_locate)

    p = sub.add_parser("evaluate", help="score geoparse output against gold toponyms")
    p.add_argument("gold", type=Path, metavar="GOLD")
    p.add_argument("pred", type=Path, metavar="PRED")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--events",
        action="store_true",
        help="score the events of PRED against gold events (detection P/R/F1, types, actors, "
        "places, fatalities)",
    )
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


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``frontmap`` command; return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 all done, 1 some inputs failed, 2 nothing could be done.
    """
    _reserve_standard_fds()
    # pyarrow's default allocator reserves 1 GiB of address space up front: a
    # memory cap (ulimit -v) should apply to what frontmap uses instead.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage error (one line already printed), --help, --version
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    if argv is None and getattr(args, "articles", None) is not None:
        _pause_gc_for_startup()
    args.jobs_given = getattr(args, "jobs", None)
    if getattr(args, "jobs", 0) is None:
        from .pipeline import available_cores

        args.jobs = available_cores()
    real_stdout = sys.stdout
    if real_stdout is not None:
        sys.stdout = _Stdout(real_stdout)
    try:
        with _terminate_cleanly(), warnings.catch_warnings():
            warnings.showwarning = _show_warning
            status = _run(args)
        return _finish_stdout(status)
    finally:
        sys.stdout = real_stdout
        _startup_over()


#: Whether :func:`_pause_gc_for_startup` paused the garbage collector.
_GC_PAUSED = False


def _pause_gc_for_startup() -> None:
    """Run the start-up of a command that geoparses without the cyclic garbage collector.

    The imports (pandas, geopandas, folium) and the caches loaded (gazetteer,
    layers) make hundreds of thousands of long-lived objects and next to no
    garbage, yet set off collections that walk all of them again and again:
    ~0.1-0.2 s of a one-article ``frontmap map`` (issue 16). :func:`_startup_over`
    ends the pause when the first results come (or the command ends). Only in a
    ``frontmap`` process of its own (``main()`` without ``argv``), never in a
    program that calls :func:`main`.
    """
    global _GC_PAUSED
    if gc.isenabled():
        gc.disable()
        _GC_PAUSED = True


def _startup_over() -> None:
    """End :func:`_pause_gc_for_startup`: what start-up made is kept out of later
    collections (:func:`gc.freeze`: it lives as long as the process), and the
    collector runs again over what the work makes."""
    global _GC_PAUSED
    if _GC_PAUSED:
        _GC_PAUSED = False
        gc.freeze()
        gc.enable()


class _Stdout:
    """Standard output whose write errors say where they happened.

    A write that fails (a full disk: ``frontmap locate X > /dev/full``) raises
    OutputError("standard output: cannot write (...)") instead of a bare
    OSError; a closed pipe stays a BrokenPipeError (a quiet end).
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def _fail(self, exc: OSError) -> OutputError:
        return OutputError(f"standard output: cannot write ({exc.strerror or exc})")

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _reserve_standard_fds() -> None:
    """Open /dev/null on a closed standard file descriptor (``frontmap ... >&-``).

    Otherwise the next file frontmap opens (an output, the gazetteer) would get
    that number, and anything written to "standard output" would land in it.
    Python has then set ``sys.stdout`` to None, which the commands check.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A Python warning as one line on stderr, without the library's file and line."""
    _say(f"warning: {message}")


def _needs_stdout(what: str) -> None:
    """InputError when standard output is closed and ``what`` would be lost."""
    if sys.stdout is None:
        raise InputError(f"standard output is closed; {what}")


def _finish_stdout(status: int) -> int:
    """Flush standard output; a failure (a full disk) is one line and status 2."""
    out = sys.stdout
    if out is None:
        return status
    try:
        out.flush()
    except BrokenPipeError:
        _quiet_stdout()
    except (OSError, ValueError) as exc:
        _quiet_stdout()
        if status != EXIT_FAIL:  # else the failure was reported already
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            _say(f"standard output: cannot write ({why})")
        return EXIT_FAIL
    return status


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """On SIGTERM, unwind like Ctrl-C does, so temporary files are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except FrontmapError as exc:
        _say(str(exc))
        if str(exc).startswith("standard output:"):
            _quiet_stdout()  # what it still holds would fail again at exit
        return EXIT_FAIL
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except MemoryError:
        _say("out of memory")
        return EXIT_FAIL
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"{where}{exc.strerror or exc}")
        return EXIT_FAIL
    except Exception as exc:  # noqa: BLE001 - a bug: one line unless debugging
        if os.environ.get("FRONTMAP_DEBUG"):
            raise
        _say(
            f"internal error: {type(exc).__name__}: {exc} "
            "(run with FRONTMAP_DEBUG=1 for the traceback)"
        )
        return EXIT_FAIL


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
