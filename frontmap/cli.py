"""The ``frontmap`` command: wires geo → layers → maps together.

Commands::

    frontmap map ARTICLE... -o OUTDIR [--date D] [--theatre ID] [--online]
                 [--embed fragment|iframe] [--jobs N]
    frontmap geoparse ARTICLE... [-o OUT.jsonl|.geojson|.csv|.parquet] [--date D] [--jobs N]
    frontmap locate NAME... [--json] [--date D] [--point LAT,LON]...
    frontmap evaluate GOLD PRED [--json]
    frontmap layers check [FILE...]
    frontmap gazetteer build | import DUMP...

Exit status: 0 when everything was done; 1 when some inputs failed and the
others were processed (each failure is one line on stderr); 2 when nothing
could be done (bad usage, no usable input, an output that cannot be written).
Expected errors never print a traceback; output files are written to a
temporary name beside the target and moved into place whole, so a failed run
leaves an existing output as it was.

Geoparsing streams: articles are read one at a time (a JSON Lines file line
by line, a big text file in windows of about a megabyte), handed out in
batches to ``--jobs`` worker processes, and written out in input order as the
results come back. The output does not depend on ``--jobs``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import datetime as dt
import itertools
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from .errors import FrontmapError, InputError
from .theatres import all_theatres, theatre_of

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_PARTIAL, EXIT_FAIL = 0, 1, 2

#: Fields of one toponym in ``frontmap geoparse`` output, in order.
TOPONYM_FIELDS = (
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
_JOIN_FIELDS = ("theatre", "zones", "control", "front_km")
FIELDS = TOPONYM_FIELDS + _JOIN_FIELDS

#: Output formats of ``frontmap geoparse -o``, by file extension.
FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".geojson": "geojson",
    ".csv": "csv",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}

_BATCH_ITEMS = 32  # articles (or windows) handed to a worker at once
_BATCH_CHARS = 200_000  # ... or this many characters, whichever comes first
#: Most mentions resolved together: resolution compares every mention with every
#: other, so a window naming more places is split (at a sentence) and its
#: halves resolved apart.
MAX_MENTIONS = 1000
_PROGRESS_AFTER_ITEMS = 50  # a run is "long" after this many articles
_PROGRESS_AFTER_SECONDS = 2.0  # ... or this many seconds


# ---------------------------------------------------------------------------
# reporting


class _Progress:
    """A one-line progress bar on stderr, shown only on a terminal and for long runs."""

    def __init__(self, label: str, total_bytes: int, stream: TextIO | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        try:
            self.enabled = bool(self.stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.enabled = False
        self.label = label
        self.total = max(total_bytes, 0)
        self.bytes = 0
        self.items = 0
        self.failed = 0
        self.start = time.monotonic()
        self._drawn = 0.0
        self._visible = False

    def add_bytes(self, n: int) -> None:
        self.bytes += n

    def item(self, failed: bool = False) -> None:
        self.items += 1
        self.failed += failed
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        elapsed = now - self.start
        if not force and (
            now - self._drawn < 0.1
            or (self.items <= _PROGRESS_AFTER_ITEMS and elapsed < _PROGRESS_AFTER_SECONDS)
        ):
            return
        self._drawn = now
        rate = self.items / elapsed if elapsed > 0 else 0.0
        parts = [self.label]
        if self.total:
            frac = min(self.bytes / self.total, 1.0)
            filled = int(frac * 24)
            parts.append(f"[{'#' * filled}{'.' * (24 - filled)}] {frac * 100:3.0f}%")
        parts.append(f"{self.items:,} articles")
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        parts.append(f"{rate:,.0f}/s")
        self.stream.write("\r" + "  ".join(parts)[:79] + "\x1b[K")
        self.stream.flush()
        self._visible = True

    def clear(self) -> None:
        """Remove the bar from the terminal (before printing a message)."""
        if self._visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._visible = False


class _Run:
    """Counts what a command did and what failed, and prints failures."""

    def __init__(self) -> None:
        self.failed = 0
        self.done = 0
        self.progress: _Progress | None = None

    def error(self, message: str) -> None:
        self.failed += 1
        if self.progress is not None:
            self.progress.clear()
        print(f"frontmap: {message}", file=sys.stderr)

    def status(self) -> int:
        if self.failed and not self.done:
            return EXIT_FAIL
        return EXIT_PARTIAL if self.failed else EXIT_OK


class _ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors: ``frontmap: PROBLEM (see frontmap CMD --help)``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"frontmap: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_FAIL)


def _date_arg(value: str) -> dt.date:
    from .geo.articles import parse_date

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


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------
# output files: written whole or not at all


def _file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class _AtomicFile:
    """A temporary file beside ``path``, moved onto it by :meth:`commit`.

    Creating it checks at once that the folder is writable, before any work
    is done; :meth:`discard` (or an exception in a ``with`` block) removes it
    and leaves an existing ``path`` untouched.
    """

    def __init__(self, path: Path, newline: str | None = "\n") -> None:
        self.path = path
        folder = path.absolute().parent
        if not folder.is_dir():
            raise InputError(f"{path}: cannot write: folder {folder} does not exist")
        try:
            fd, tmp = tempfile.mkstemp(prefix=".frontmap-", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror})") from None
        self.tmp = Path(tmp)
        self.fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline=newline)

    def commit(self) -> None:
        """Close the file and move it into place, with the usual permissions."""
        try:
            self.fh.close()
            os.chmod(self.tmp, _file_mode())  # mkstemp makes 0600
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise InputError(f"{self.path}: cannot write ({exc.strerror})") from None

    def discard(self) -> None:
        """Close and remove the temporary file."""
        try:
            self.fh.close()
        except OSError:
            pass
        self.tmp.unlink(missing_ok=True)


def _check_output_file(path: Path) -> None:
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an output file")
    if path.exists() and not path.is_file():
        raise InputError(f"{path}: not a regular file")


def _check_input_file(path: Path, what: str) -> None:
    """Raise InputError unless ``path`` is a readable regular file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not {what}")
    if not path.is_file():
        return  # a pipe (`<(frontmap geoparse ...)`) can be read only once
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _utf8_stdout() -> TextIO:
    """sys.stdout, made to write UTF-8 whatever the locale says."""
    out = sys.stdout
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(out, "reconfigure"):
        try:
            out.reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # pragma: no cover - a stream that cannot change
            pass
    return out


# ---------------------------------------------------------------------------
# the geoparse pipeline: articles → windows → batches → (workers) → rows


@dataclass
class _Piece:
    """One window of one article's text, as handed to a worker."""

    article: Any  # geo.articles.Article
    offset: int
    text: str
    first: bool
    last: bool = False


def _articles(
    paths: Sequence[str], date: dt.date | None, run: _Run, progress: _Progress | None = None
) -> Iterator[Any]:
    from .geo.articles import read_articles

    report = progress.add_bytes if progress is not None else None
    for item in read_articles(paths, date, progress=report):
        if isinstance(item, InputError):
            run.error(str(item))
            if progress is not None:
                progress.item(failed=True)
        else:
            yield item


def _pieces(articles: Iterable[Any]) -> Iterator[_Piece]:
    """The windows of every article, the last of each marked."""
    for article in articles:
        held: _Piece | None = None
        for offset, text in article.windows():
            if held is not None:
                yield held
            held = _Piece(article, offset, text, first=held is None)
        if held is not None:
            held.last = True
            yield held


def _batches(pieces: Iterable[_Piece]) -> Iterator[list[_Piece]]:
    """Group pieces by count and size (the same groups whatever ``--jobs`` is)."""
    batch: list[_Piece] = []
    chars = 0
    for piece in pieces:
        batch.append(piece)
        chars += len(piece.text)
        if len(batch) >= _BATCH_ITEMS or chars >= _BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _json_value(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


Work = tuple[str, int, "dt.date | None"]


def _geoparse_bounded(text: str, gazetteer: Any) -> list[Any]:
    """:func:`geo.geoparse`, resolving at most :data:`MAX_MENTIONS` mentions together.

    Returns the toponyms with offsets into ``text``. A text naming more places
    is cut in two near its middle (at a paragraph or sentence end) until each
    part is small enough; the parts are found from the text alone, so the
    result does not depend on how the work was spread.
    """
    from dataclasses import replace

    from .geo import extract_mentions, resolve_mentions
    from .geo.articles import text_windows

    mentions = extract_mentions(text, gazetteer)
    if len(mentions) <= MAX_MENTIONS or len(text) < 2:
        return resolve_mentions(mentions, text, gazetteer)
    del mentions
    out: list[Any] = []
    for offset, part in text_windows([text], len(text) // 2 + 1):
        for t in _geoparse_bounded(part, gazetteer):
            if offset:
                t = replace(
                    t,
                    start=t.start + offset,
                    end=t.end + offset,
                    sentence_start=t.sentence_start + offset,
                    sentence_end=t.sentence_end + offset,
                )
            out.append(t)
    return out


def _parse_batch(
    work: list[Work], *, sentences: bool, join: bool
) -> list[list[dict[str, Any]] | str]:
    """Geoparse a batch of texts (in a worker process, or in-process).

    Parameters
    ----------
    work : list of (text, offset, date)
        Windows of article text, the offset of each in its article, and the
        article's date.
    sentences : bool
        Add ``sentence`` and ``sentence_start`` to each row (for maps).
    join : bool
        Add the layer fields (``theatre``, ``zones``, ``control``,
        ``front_km``) with one :func:`layers.join` over the whole batch.

    Returns
    -------
    list
        Per text, its toponym rows (offsets into the whole article), or a
        one-line message when geoparsing that text failed.
    """
    from .geo import load_gazetteer

    gazetteer = load_gazetteer()
    out: list[list[dict[str, Any]] | str] = []
    for text, offset, date in work:
        try:
            toponyms = _geoparse_bounded(text, gazetteer)
        except FrontmapError as exc:
            out.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
            out.append(f"internal error while geoparsing ({type(exc).__name__}: {exc})")
            continue
        rows = []
        for t in toponyms:
            row = t.as_dict()
            row["start"] += offset
            row["end"] += offset
            if sentences:
                row["sentence"] = text[t.sentence_start : t.sentence_end]
                row["sentence_start"] = t.sentence_start + offset
            row["date"] = date
            rows.append(row)
        out.append(rows)
    if join:
        flat = [row for rows in out if not isinstance(rows, str) for row in rows]
        if flat:
            import pandas as pd

            from . import layers

            frame = pd.DataFrame(
                {
                    "lat": [r["lat"] for r in flat],
                    "lon": [r["lon"] for r in flat],
                    "kind": [r["kind"] for r in flat],
                    "country": [r["country"] for r in flat],
                    "date": pd.Series([r["date"] for r in flat], dtype=object),
                }
            )
            joined = layers.join(frame)
            columns = {key: joined[key].tolist() for key in _JOIN_FIELDS}
            for k, row in enumerate(flat):
                for key in _JOIN_FIELDS:
                    row[key] = _json_value(columns[key][k])
        if not sentences:  # the geoparse record: exactly FIELDS, in order
            out = [
                rows if isinstance(rows, str) else [{k: row[k] for k in FIELDS} for row in rows]
                for rows in out
            ]
    return out


def _init_worker() -> None:
    """Start a worker: no Ctrl-C (the parent handles it), its own gazetteer connection."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A forked worker must not flush a copy of the parent's buffered stdout.
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from .geo import load_gazetteer

    load_gazetteer().reopen()  # never share an SQLite connection across fork


def _work_of(batch: list[_Piece]) -> list[Work]:
    return [(p.text, p.offset, p.article.date) for p in batch]


def _parsed(
    batches: Iterable[list[_Piece]], jobs: int, *, sentences: bool, join: bool
) -> Iterator[tuple[_Piece, list[dict[str, Any]] | str]]:
    """Results of every piece, in input order; workers only when there is work for them."""
    it = iter(batches)
    first = next(it, None)
    if first is None:
        return
    second = next(it, None) if jobs > 1 else None
    if second is None:  # one batch, or --jobs 1: in this process
        for batch in itertools.chain([first], () if jobs > 1 else it):
            results = _parse_batch(_work_of(batch), sentences=sentences, join=join)
            yield from zip(batch, results, strict=True)
        return

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    sys.stdout.flush()
    sys.stderr.flush()
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker)
    pending: collections.deque = collections.deque()

    def submit(batch: list[_Piece]) -> None:
        future = pool.submit(_parse_batch, _work_of(batch), sentences=sentences, join=join)
        pending.append((batch, future))

    try:
        submit(first)
        submit(second)
        for batch in it:
            while len(pending) >= 2 * jobs:
                done_batch, future = pending.popleft()
                yield from zip(done_batch, future.result(), strict=True)
            submit(batch)
        while pending:
            done_batch, future = pending.popleft()
            yield from zip(done_batch, future.result(), strict=True)
    except BrokenProcessPool:
        raise FrontmapError(
            "a worker process stopped unexpectedly (out of memory?); try --jobs 1"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------
# geoparse output formats


def _article_date(article: Any) -> str | None:
    return article.date.isoformat() if article.date else None


class _Sink:
    """Where geoparse results go: one object per format."""

    def start(self, article: Any) -> None:
        """An article begins."""

    def add(self, article: Any, toponyms: list[dict[str, Any]]) -> None:
        """Toponyms of the article (called once per window)."""

    def end(self, article: Any) -> None:
        """The article is complete."""

    def close(self) -> None:
        """All articles are done."""


class _JsonlSink(_Sink):
    """One JSON object per article, written as it comes (byte for byte ``json.dumps``)."""

    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self._sep = ""

    def start(self, article: Any) -> None:
        self.fh.write(
            f'{{"id": {json.dumps(article.id, ensure_ascii=False)}, '
            f'"date": {json.dumps(_article_date(article))}, "toponyms": ['
        )
        self._sep = ""

    def add(self, article: Any, toponyms: list[dict[str, Any]]) -> None:
        for t in toponyms:
            self.fh.write(self._sep + json.dumps(t, ensure_ascii=False))
            self._sep = ", "

    def end(self, article: Any) -> None:
        self.fh.write("]}\n")


def _flat(article: Any, t: dict[str, Any]) -> dict[str, Any]:
    return {"article_id": article.id, "article_date": _article_date(article), **t}


class _GeoJsonSink(_Sink):
    """A FeatureCollection: one Point feature per toponym."""

    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.fh.write('{"type": "FeatureCollection", "features": [\n')
        self._sep = ""

    def add(self, article: Any, toponyms: list[dict[str, Any]]) -> None:
        for t in toponyms:
            geometry = (
                {"type": "Point", "coordinates": [t["lon"], t["lat"]]}
                if t["lat"] is not None and t["lon"] is not None
                else None
            )
            feature = {"type": "Feature", "geometry": geometry, "properties": _flat(article, t)}
            self.fh.write(self._sep + json.dumps(feature, ensure_ascii=False))
            self._sep = ",\n"

    def close(self) -> None:
        self.fh.write("\n]}\n" if self._sep else "]}\n")


CSV_COLUMNS = ("article_id", "article_date", *FIELDS)


class _CsvSink(_Sink):
    """One row per toponym; ``zones`` joined with ``;``."""

    def __init__(self, fh: TextIO) -> None:
        self.writer = csv.writer(fh, lineterminator="\n")
        self.writer.writerow(CSV_COLUMNS)

    def add(self, article: Any, toponyms: list[dict[str, Any]]) -> None:
        for t in toponyms:
            row = _flat(article, t)
            row["zones"] = ";".join(row["zones"] or ())
            self.writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])


class _ParquetSink(_Sink):
    """GeoParquet (EPSG:4326 points), written once all toponyms are in."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: list[dict[str, Any]] = []

    def add(self, article: Any, toponyms: list[dict[str, Any]]) -> None:
        self.rows.extend(_flat(article, t) for t in toponyms)

    def close(self) -> None:
        import geopandas as gpd
        import pandas as pd

        rows = self.rows
        dtypes = {
            "article_id": "string",
            "article_date": "string",
            "start": "int64",
            "end": "int64",
            "surface": "string",
            "name": "string",
            "lat": "float64",
            "lon": "float64",
            "country": "string",
            "kind": "string",
            "gazetteer_id": "string",
            "score": "float64",
            "precision": "Int64",
            "theatre": "string",
            "zones": object,
            "control": "string",
            "front_km": "float64",
        }
        data = {
            c: pd.Series([r[c] for r in rows], dtype=object).astype(d) for c, d in dtypes.items()
        }
        data["zones"] = pd.Series([list(r["zones"] or ()) for r in rows], dtype=object)
        frame = gpd.GeoDataFrame(
            data,
            geometry=gpd.points_from_xy(data["lon"], data["lat"]),
            crs="EPSG:4326",
        )
        frame.to_parquet(self.path, index=False)


def _output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown output format {path.suffix or '(none)'!r} (use {known})")
    if fmt == "parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise InputError(f"{path}: writing GeoParquet needs pyarrow (pip install pyarrow)")
    return fmt


def _drive(
    pieces: Iterator[tuple[_Piece, list[dict[str, Any]] | str]],
    sink: _Sink,
    run: _Run,
    progress: _Progress | None,
) -> None:
    """Feed results to a sink, article by article; report the pieces that failed."""
    started = failed = False
    for piece, result in pieces:
        article = piece.article
        if piece.first:
            started = failed = False
        if isinstance(result, str):
            where = article.source
            if not (piece.first and piece.last):
                where += f": characters {piece.offset}-{piece.offset + len(piece.text)}"
            run.error(f"{where}: {result}")
            failed = True
        else:
            if not started:
                sink.start(article)
                started = True
            sink.add(article, result)
        if piece.last:
            if started:
                sink.end(article)
                run.done += 1
            if progress is not None:
                progress.item(failed=failed)


def cmd_geoparse(args: argparse.Namespace) -> int:
    """``frontmap geoparse``: the toponyms of each article (JSON Lines, GeoJSON, CSV, Parquet)."""
    run = _Run()
    out_path = Path(args.output) if args.output else None
    fmt = "jsonl"
    target: _AtomicFile | None = None
    if out_path is not None:
        _check_output_file(out_path)
        fmt = _output_format(out_path)
        target = _AtomicFile(out_path, newline="" if fmt == "csv" else "\n")
    try:
        total = sum(_size(p) for p in args.articles)
        progress = _Progress("geoparse", total)
        run.progress = progress
        fh: TextIO = target.fh if target is not None else _utf8_stdout()  # type: ignore[assignment]
        sink: _Sink
        if fmt == "geojson":
            sink = _GeoJsonSink(fh)
        elif fmt == "csv":
            sink = _CsvSink(fh)
        elif fmt == "parquet":
            assert target is not None
            sink = _ParquetSink(target.tmp)
        else:
            sink = _JsonlSink(fh)
        batches = _batches(_pieces(_articles(args.articles, args.date, run, progress)))
        try:
            _drive(_parsed(batches, args.jobs, sentences=False, join=True), sink, run, progress)
            if run.done or target is None:
                sink.close()
        except OSError as exc:
            where = out_path if out_path is not None else "standard output"
            if isinstance(exc, BrokenPipeError):
                raise
            raise InputError(f"{where}: cannot write ({exc.strerror})") from None
        finally:
            progress.clear()
        if target is not None:
            if run.done:
                target.commit()
                print(out_path)
            else:
                target.discard()
    except BaseException:
        if target is not None:
            target.discard()
        raise
    return run.status()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# ---------------------------------------------------------------------------
# map


def _theatre_arg(value: str | None) -> Any:
    """The theatre named by ``--theatre``, or None; InputError with the known ids."""
    if value is None:
        return None
    known = all_theatres()
    for theatre in known:
        if theatre.id == value:
            return theatre
    ids = ", ".join(t.id for t in known)
    raise InputError(f"--theatre: unknown theatre {value!r} (known: {ids})")


class _Collector(_Sink):
    """Mention rows and articles, kept for map and report."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.articles: list[Any] = []

    def add(self, article: Any, toponyms: list[dict[str, Any]]) -> None:
        for row in toponyms:
            row.update(
                article_id=article.id,
                article_title=article.title,
                article_date=_article_date(article),
                article_url=article.url,
                date=article.date,
            )
        self.rows.extend(toponyms)

    def end(self, article: Any) -> None:
        self.articles.append(article)


def _collect(
    args: argparse.Namespace, command: str
) -> tuple[_Run, list[dict[str, Any]], list[Any]]:
    """Geoparse the ARTICLE arguments for map and report: mention rows and articles.

    Failures are reported on the run, one line each; the rows carry the
    article's id, title, date and url, and the sentence of each mention.
    """
    run = _Run()
    progress = _Progress(command, sum(_size(p) for p in args.articles))
    run.progress = progress
    results = _parsed(
        _batches(_pieces(_articles(args.articles, args.date, run, progress))),
        args.jobs,
        sentences=True,
        join=False,
    )
    collector = _Collector()
    try:
        _drive(results, collector, run, progress)
    finally:
        progress.clear()
    return run, collector.rows, collector.articles


def _theatre_views(joined: Any, only: Any) -> Iterator[tuple[Any, Any, Any, Any]]:
    """(theatre, its mentions, its layers on the date, the date) per theatre to map."""
    from . import layers

    for theatre in all_theatres():
        if only is not None and theatre.id != only.id:
            continue
        mine = joined[joined["theatre"] == theatre.id]
        if mine.empty and only is None:
            continue
        dates = [d for d in mine["date"] if d is not None and d == d] if len(mine) else []
        as_of = max(dates) if dates else None
        yield theatre, mine, layers.layers_at(as_of, theatre=theatre.id), as_of


def _joined(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    from . import layers

    return layers.join(pd.DataFrame(rows)) if rows else pd.DataFrame(columns=["theatre", "date"])


def cmd_map(args: argparse.Namespace) -> int:
    """``frontmap map``: one map per theatre the articles touch, and an index."""
    import pandas as pd

    from .maps import (
        export_static,
        map_fragment,
        map_html,
        map_iframe,
        place_count,
        render_theatre,
        write_index,
    )
    from .maps.export import write_text

    only = _theatre_arg(args.theatre)
    outdir = Path(args.output)
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"{outdir}: exists and is not a directory")
    run, rows, articles = _collect(args, "map")
    if not articles:
        return run.status()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{outdir}: cannot create directory ({exc.strerror})") from None
    if not os.access(outdir, os.W_OK):
        raise InputError(f"{outdir}: directory is not writable")
    joined = _joined(rows)
    written: list[tuple[Any, str, int]] = []
    # Everything is rendered before anything is written: a failure leaves no
    # half-written set of maps.
    pages: list[tuple[Any, str, Any]] = []
    for theatre, mine, theatre_layers, as_of in _theatre_views(joined, only):
        if args.format:
            name = f"{theatre.id}.{args.format}"
            pages.append((theatre, name, (mine, theatre_layers, as_of)))
        else:
            m = render_theatre(theatre, mine, theatre_layers, as_of=as_of, online=args.online)
            if args.embed == "fragment":
                name, html = f"{theatre.id}.fragment.html", map_fragment(m)
            elif args.embed == "iframe":
                name, html = f"{theatre.id}.iframe.html", map_iframe(m)
            else:
                name, html = f"{theatre.id}.html", map_html(m)
            pages.append((theatre, name, html))
        written.append((theatre, name, place_count(mine, theatre)))
    for theatre, name, content in pages:
        if isinstance(content, str):
            write_text(outdir / name, content)
        else:
            mine, theatre_layers, as_of = content
            export_static(theatre, mine, theatre_layers, outdir / name, args.format, as_of=as_of)
        print(outdir / name)
    outside = joined[joined["theatre"].isna()] if len(joined) else joined
    index_articles = pd.DataFrame(
        [
            {"article_id": a.id, "title": a.title, "date": _article_date(a), "url": a.url}
            for a in articles
        ]
    )
    write_index(outdir / "index.html", written, outside, index_articles)
    print(outdir / "index.html")
    return run.status()


def cmd_report(args: argparse.Namespace) -> int:
    """``frontmap report``: the articles, their theatre maps and a table, in one page."""
    from . import layers
    from .maps import render_theatre, write_report

    only = _theatre_arg(args.theatre)
    output = Path(args.output)
    if output.is_dir():
        raise InputError(f"{output}: is a directory, not an output file")
    _check_output_file(output)
    run, rows, articles = _collect(args, "report")
    if not articles:
        return run.status()
    joined = _joined(rows)
    maps_ = [
        render_theatre(theatre, mine, theatre_layers, as_of=as_of, online=args.online)
        for theatre, mine, theatre_layers, as_of in _theatre_views(joined, only)
    ]
    every = layers.load_layers()  # zone names of every date, for the table
    zone_names = {
        str(i): str(n) for i, n in zip(every["id"], every["name"], strict=True) if i and n
    }
    write_report(
        output,
        articles,
        joined,
        maps_,
        title=args.title or "frontmap report",
        zone_names=zone_names,
    )
    print(output)
    return run.status()


# ---------------------------------------------------------------------------


def cmd_locate(args: argparse.Namespace) -> int:
    """``frontmap locate``: ranked candidates for names, and the situation at points."""
    import pandas as pd

    from . import layers
    from .geo import load_gazetteer

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
    from .geo.evaluate import evaluate, format_report, load_jsonl

    for path in (args.gold, args.pred):
        _check_input_file(path, "a JSON Lines file")
    gold = load_jsonl(args.gold)
    pred = load_jsonl(args.pred)
    if not gold:
        raise InputError(f"{args.gold}: no records")
    result = evaluate(gold, pred, theatre_of=theatre_of)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_report(result))
    return EXIT_OK


def cmd_layers_check(args: argparse.Namespace) -> int:
    """``frontmap layers check``: validate layer files.

    Every problem is one line on stderr, ``frontmap: FILE: feature ID: problem``.
    With FILEs, the status is 0 when all are valid, 1 when some are, 2 when none
    is; the shipped files (no FILE) give 0 or 2.
    """
    from . import layers

    run = _Run()
    files: list[str] = []
    for name in args.files:
        try:
            _check_input_file(Path(name), "a layer file")
        except InputError as exc:
            run.error(str(exc))
        else:
            files.append(name)
    if args.files and not files:
        return run.status()
    problems = layers.check(files or None)
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
    parser = _ArgumentParser(
        prog="frontmap",
        description="Turn conflict news into maps: geoparse articles, join them to the zones "
        "and front lines of their date, and map them per theatre.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    jobs_help = "worker processes for geoparsing (default: one per core; 1 = no workers)"

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
    p.add_argument(
        "--format",
        choices=("png", "svg", "pdf"),
        help="write static images (matplotlib, print quality) instead of interactive maps",
    )
    p.add_argument("--theatre", metavar="ID", help="only this theatre's map (e.g. idlib)")
    p.add_argument("--jobs", type=_positive_int, default=_default_jobs(), help=jobs_help)
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("report", help="write one self-contained report: texts, maps, table")
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help=".txt or .jsonl file")
    p.add_argument("-o", "--output", required=True, metavar="REPORT.html", help="output file")
    p.add_argument("--date", type=_date_arg, help="date of the articles (YYYY-MM-DD)")
    p.add_argument("--title", help="title of the report")
    p.add_argument("--online", action="store_true", help="offer online tiles as an extra layer")
    p.add_argument("--theatre", metavar="ID", help="only this theatre's map (e.g. idlib)")
    p.add_argument("--jobs", type=_positive_int, default=_default_jobs(), help=jobs_help)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "geoparse", help="toponyms of each article as JSON Lines, GeoJSON, CSV or GeoParquet"
    )
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help=".txt or .jsonl file")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file; its extension gives the format: .jsonl (the default, on stdout "
        "without -o), .geojson, .csv or .parquet",
    )
    p.add_argument("--date", type=_date_arg, help="date for the joins (YYYY-MM-DD)")
    p.add_argument("--jobs", type=_positive_int, default=_default_jobs(), help=jobs_help)
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
    p.add_argument("--limit", type=_positive_int, default=5, help="candidates per name (default 5)")
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
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage error (one line already printed) or --help
        return exc.code if isinstance(exc.code, int) else EXIT_FAIL
    with _terminate_cleanly():
        return _run(args)


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
        print(f"frontmap: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("frontmap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except MemoryError:
        print("frontmap: out of memory", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"frontmap: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:  # noqa: BLE001 - a bug: one line unless debugging
        if os.environ.get("FRONTMAP_DEBUG"):
            raise
        print(
            f"frontmap: internal error: {type(exc).__name__}: {exc} "
            "(run with FRONTMAP_DEBUG=1 for the traceback)",
            file=sys.stderr,
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
