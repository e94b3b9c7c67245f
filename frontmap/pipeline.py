"""Geoparsing many articles: windows → batches → worker processes → mention rows.

This is the engine behind ``frontmap geoparse``, ``map`` and ``report``, and
the notebook functions :func:`frontmap.geoparse_articles` and
:func:`frontmap.iter_geoparse`:

* articles are taken one at a time from any iterable (a JSON Lines file is
  read line by line, a big text file in windows of about 100,000 characters:
  :meth:`frontmap.geo.articles.Article.windows`), so memory stays bounded
  whatever the input;
* windows are grouped into batches by count and size — the same batches
  whatever ``jobs`` is — and handed to ``jobs`` worker processes (never more
  than the cores and the work), each loading the gazetteer once;
* each batch is geoparsed (at most :data:`frontmap.geo.MAX_MENTIONS` mentions
  resolved together) and joined to the layers of each article's date in the
  worker, and results come back in input order, so the output does not depend
  on ``jobs``;
* the events each window reports (:func:`frontmap.geo.events.extract_events`)
  are read in the worker from the window's text and toponyms, with offsets into
  the whole article: an event never spans two windows.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import FrontmapError, InputError
from .geo.articles import Article
from .schema import JOIN_COLUMNS

__all__ = [
    "ArticlePart",
    "ArticleResult",
    "available_cores",
    "event_records",
    "event_rows",
    "geoparse",
    "geoparse_articles",
    "geoparse_events",
    "iter_geoparse",
    "gather_parts",
    "iter_geoparse_parts",
    "join_rows",
    "read_articles",
    "toponym_rows",
]

BATCH_ITEMS = 32  # windows handed to a worker at once
#: The layers a worker process joins against (None: the shipped ones); set when it starts.
_WORKER_LAYERS: Any = None
BATCH_CHARS = 200_000  # ... or this many characters, whichever comes first
#: Longest ``sentence`` of a mention row. A longer one (text without sentence
#: ends: a list of names, a table) is cut to the :data:`SENTENCE_CONTEXT`
#: characters either side of the mention, so that a row's size does not grow
#: with the text (a map quotes 480 characters around the mention anyway).
MAX_SENTENCE_CHARS = 2000
SENTENCE_CONTEXT = 1000


def available_cores() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class ArticleResult:
    """What geoparsing one article gave.

    Attributes
    ----------
    article : Article
        The article.
    rows : list of dict
        Its mention rows in text order (columns of :mod:`frontmap.schema`:
        the toponym fields, ``sentence`` and ``sentence_start`` when asked for,
        ``date``, the article's columns and, when joined, the layer columns).
    errors : list of str
        One message per window of the text that could not be geoparsed, naming
        the article's source (and the characters, for a long text).
    parsed : bool
        At least one window was geoparsed (an article whose every window failed
        has ``parsed`` false and no rows).
    events : list of dict or None
        The events it reports, in text order (the fields of
        :data:`frontmap.schema.EVENT_FIELDS`); None when they were not read.
    """

    article: Article
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    parsed: bool = False
    events: list[dict[str, Any]] | None = None


@dataclass
class ArticlePart:
    """What geoparsing one window of an article gave (:func:`iter_geoparse_parts`).

    Attributes
    ----------
    article : Article
        The article.
    rows : list of dict
        The mention rows of the window, in text order (offsets into the whole text).
    error : str or None
        The one-line message when the window could not be geoparsed.
    first, last : bool
        The first and the last window of the article (a short text is both).
    events : list of dict or None
        The events the window reports (None when they were not read).
    """

    article: Article
    rows: list[dict[str, Any]]
    error: str | None
    first: bool
    last: bool
    events: list[dict[str, Any]] | None = None


# --------------------------------------------------------------------------- batches


@dataclass
class _Window:
    """One window of one article's text."""

    article: Article
    offset: int
    text: str
    first: bool
    last: bool = False


def _windows(articles: Iterable[Article]) -> Iterator[_Window]:
    """The windows of every article, the first and last of each marked."""
    for article in articles:
        held: _Window | None = None
        for offset, text in article.windows():
            if held is not None:
                yield held
            held = _Window(article, offset, text, first=held is None)
        if held is not None:
            held.last = True
            yield held


def _batches(windows: Iterable[_Window]) -> Iterator[list[_Window]]:
    """Group windows by count and size (the same groups whatever ``jobs`` is)."""
    batch: list[_Window] = []
    chars = 0
    for window in windows:
        batch.append(window)
        chars += len(window.text)
        if len(batch) >= BATCH_ITEMS or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


# --------------------------------------------------------------------------- the work


def _json_value(value: Any) -> Any:
    """A layer value as plain JSON (numpy scalars and lists unwrapped, NaN as None)."""
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and value != value:
        return None
    return value


def toponym_rows(
    toponyms: Iterable[Any], text: str, offset: int = 0, *, sentences: bool = True
) -> list[dict[str, Any]]:
    """Mention rows of toponyms found in ``text`` (a window at ``offset`` of its article).

    Parameters
    ----------
    toponyms : iterable of Toponym
        As :func:`frontmap.geo.geoparse` returns them for ``text``.
    text : str
        The text they were found in.
    offset : int
        Where ``text`` starts in the article (the rows' offsets are the article's).
    sentences : bool
        Add ``sentence`` and ``sentence_start`` (a sentence longer than
        :data:`MAX_SENTENCE_CHARS` is cut around the mention).

    Returns
    -------
    list of dict
        The toponym fields of :data:`frontmap.schema.TOPONYM_FIELDS`, in order.
    """
    rows = []
    for t in toponyms:
        row = t.as_dict()
        row["start"] += offset
        row["end"] += offset
        if sentences:
            start, end = t.sentence_start, t.sentence_end
            if end - start > MAX_SENTENCE_CHARS:
                start = max(start, t.start - SENTENCE_CONTEXT)
                end = min(end, t.end + SENTENCE_CONTEXT)
            row["sentence"] = text[start:end]
            row["sentence_start"] = start + offset
        rows.append(row)
    return rows


def join_rows(rows: list[dict[str, Any]], layers: Any = None) -> None:
    """Add the layer columns to mention rows in place, each at its row's ``date``.

    One :func:`frontmap.layers.join` over all rows (against ``layers``, a frame
    from :func:`frontmap.layers.load_layers` or :func:`frontmap.layers.combine_layers`;
    None: the shipped layers); the values are plain JSON (``zones`` a list,
    ``front_km`` a float or None).
    """
    if not rows:
        return
    import pandas as pd

    from .layers import join

    frame = pd.DataFrame(
        {
            "lat": [r["lat"] for r in rows],
            "lon": [r["lon"] for r in rows],
            "kind": [r["kind"] for r in rows],
            "country": [r["country"] for r in rows],
            "precision": [r.get("precision") for r in rows],
            "date": pd.Series([r.get("date") for r in rows], dtype=object),
        }
    )
    joined = join(frame, layers=layers)
    columns = {key: joined[key].tolist() for key in JOIN_COLUMNS}
    for k, row in enumerate(rows):
        for key in JOIN_COLUMNS:
            row[key] = _json_value(columns[key][k])


def event_records(
    events: Iterable[Any], text: str, rows: list[dict[str, Any]], offset: int = 0
) -> list[dict[str, Any]]:
    """The JSON records of events found in ``text`` (a window at ``offset`` of its article).

    Parameters
    ----------
    events : iterable of Event
        As :func:`frontmap.geo.events.extract_events` returns them for ``text``.
    text : str
        The window's text.
    rows : list of dict
        The window's toponym rows (:func:`toponym_rows`), which the events' toponym
        indices point into; their offsets are the article's.
    offset : int
        Where ``text`` starts in the article.

    Returns
    -------
    list of dict
        The fields of :data:`frontmap.schema.EVENT_FIELDS`, in order; ``theatre`` and
        ``control`` are completed by :func:`_situate_events` once the rows are joined.
    """
    from .geo.actors import lexicon

    lex = lexicon()
    out = []
    for e in events:
        place = rows[e.toponyms[0]] if e.toponyms else {}
        theatre = e.theatre
        out.append(
            {
                "start": e.start + offset,
                "end": e.end + offset,
                "quote": text[e.start : e.end],
                "event_type": e.event_type,
                "sub_event_type": e.sub_event_type,
                "actor1": e.actor1,
                "actor1_side": lex.side(e.actor1, theatre),
                "actor2": e.actor2,
                "actor2_side": lex.side(e.actor2, theatre),
                "fatalities": e.fatalities,
                "event_date": e.event_date,
                "time_precision": e.time_precision,
                "location": place.get("name"),
                "latitude": place.get("lat"),
                "longitude": place.get("lon"),
                "country": place.get("country"),
                "geo_precision": e.geo_precision,
                "theatre": theatre,
                "control": None,
                "toponyms": [[rows[i]["start"], rows[i]["end"]] for i in e.toponyms],
                "mentions": [[a + offset, b + offset] for a, b in e.mentions],
            }
        )
    return out


def _situate_events(events: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    """Give each event the control its place had that day (from the joined rows)."""
    by_span = {(r["start"], r["end"]): r for r in rows}
    for e in events:
        if e["toponyms"]:
            row = by_span.get(tuple(e["toponyms"][0]))
            if row is not None:
                e["control"] = row.get("control")


def event_rows(result: ArticleResult) -> list[dict[str, Any]]:
    """One article's events as table rows (the columns of :data:`frontmap.schema.EVENT_COLUMNS`).

    The actors' ACLED-style names are added: a state's government for an agreement,
    civilians, protesters and rioters named after the country of the place.
    """
    from .geo.actors import lexicon
    from .schema import EVENT_COLUMNS

    lex = lexicon()
    extra = _article_columns(result.article)
    out = []
    for e in result.events or ():
        agreement = e["sub_event_type"] == "Agreement"
        row = {**extra, **e}
        row["actor1_name"] = lex.name(e["actor1"], e["country"], agreement=agreement) or None
        row["actor2_name"] = lex.name(e["actor2"], e["country"], agreement=agreement) or None
        out.append({k: row.get(k) for k in EVENT_COLUMNS})
    return out


_Work = tuple[str, int, Any]  # (window text, its offset in the article, the article's date)
_Parsed = tuple[list[dict[str, Any]], list[dict[str, Any]]]  # (toponym rows, event records)


def _parse_batch(
    work: list[_Work],
    *,
    sentences: bool,
    join: bool,
    events: bool = True,
    layers: Any = None,
) -> list[_Parsed | str]:
    """Geoparse a batch of windows (in a worker process, or in this one).

    Joins against ``layers`` (in a worker: the layers it was started with).
    Returns, per window, its rows and events, or a one-line message when it failed.
    """
    from .geo import geoparse, load_gazetteer
    from .geo.events import extract_events

    gazetteer = load_gazetteer()
    out: list[_Parsed | str] = []
    for text, offset, date in work:
        try:
            toponyms = geoparse(text, gazetteer)
            found = extract_events(text, toponyms, date) if events else []
        except FrontmapError as exc:
            out.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rest
            out.append(f"internal error while geoparsing ({type(exc).__name__}: {exc})")
            continue
        rows = toponym_rows(toponyms, text, offset, sentences=sentences)
        for row in rows:
            row["date"] = date
        out.append((rows, event_records(found, text, rows, offset)))
    if join:
        parsed = [x for x in out if not isinstance(x, str)]
        chosen = _WORKER_LAYERS if layers is None else layers
        join_rows([row for rows, _ in parsed for row in rows], chosen)
        for rows, records in parsed:
            _situate_events(records, rows)
    return out


def _init_worker(parent: int, layers: Any = None) -> None:
    """Start a worker: it dies with its parent, ignores Ctrl-C, opens its own gazetteer,
    and keeps the layers it joins against (inherited once, not sent with each batch)."""
    global _WORKER_LAYERS
    _WORKER_LAYERS = layers
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before we could ask
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A forked worker must not flush a copy of the parent's buffered stdout.
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from .geo import load_gazetteer

    load_gazetteer().reopen()  # never share an SQLite connection across fork


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):  # pragma: no cover
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


def _work_of(batch: list[_Window]) -> list[_Work]:
    return [(w.text, w.offset, w.article.date) for w in batch]


def _results(
    batches: Iterable[list[_Window]],
    jobs: int,
    *,
    sentences: bool,
    join: bool,
    events: bool = True,
    layers: Any = None,
) -> Iterator[tuple[_Window, _Parsed | str]]:
    """Results of every window, in input order; workers only when there is work for them.

    At most ``jobs`` workers, never more than the cores, and never more than the
    batches there are: the first batches are read ahead to count them.
    """
    it = iter(batches)
    jobs = max(1, min(jobs, available_cores()))
    ahead = list(itertools.islice(it, jobs))
    workers = min(jobs, len(ahead))
    if workers <= 1:
        for batch in itertools.chain(ahead, it):
            results = _parse_batch(
                _work_of(batch), sentences=sentences, join=join, events=events, layers=layers
            )
            yield from zip(batch, results, strict=True)
        return

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    sys.stdout.flush()
    sys.stderr.flush()
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(), layers)
    )
    try:
        yield from _in_order(pool, itertools.chain(ahead, it), workers, sentences, join, events)
    except BrokenProcessPool:
        raise FrontmapError(
            "a worker process stopped unexpectedly (out of memory?); try --jobs 1"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(
    executor: Any,
    batches: Iterable[list[_Window]],
    workers: int,
    sentences: bool,
    join: bool,
    events: bool = True,
    layers: Any = None,
) -> Iterator[tuple[_Window, _Parsed | str]]:
    """Hand batches to an executor, at most ``2 * workers`` in flight; results in input order.

    ``executor`` is anything with ``submit(fn, *args, **kwargs)`` returning a
    future with ``result()``: a ``ProcessPoolExecutor`` (whose workers hold their
    layers from start-up), or a Dask ``Client`` (``layers``: shared once with the
    cluster, then named in each task).
    """
    extra = {} if layers is None else {"layers": layers}
    pending: collections.deque = collections.deque()
    for batch in batches:
        while len(pending) >= 2 * workers:
            done_batch, future = pending.popleft()
            yield from zip(done_batch, future.result(), strict=True)
        future = executor.submit(
            _parse_batch, _work_of(batch), sentences=sentences, join=join, events=events, **extra
        )
        pending.append((batch, future))
    while pending:
        done_batch, future = pending.popleft()
        yield from zip(done_batch, future.result(), strict=True)


def _article_columns(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "article_title": article.title,
        "article_url": article.url,
        "article_date": article.date.isoformat() if article.date else None,
    }


def iter_geoparse_parts(
    articles: Iterable[Article],
    *,
    jobs: int = 1,
    join: bool = True,
    sentences: bool = True,
    events: bool = True,
    executor: Any = None,
    layers: Any = None,
) -> Iterator[ArticlePart]:
    """Geoparse articles, streaming one :class:`ArticlePart` per window of text.

    The same work as :func:`iter_geoparse` (same parameters), without
    gathering an article's rows: memory is bounded even for one text of any
    length (``frontmap geoparse`` writes each part as it comes).
    """
    batches = _batches(_windows(articles))
    if executor is not None:
        shared = None if layers is None else executor.share(layers)
        workers = max(1, executor.workers)
        results = _in_order(executor, batches, workers, sentences, join, events, shared)
    else:
        results = _results(
            batches, jobs, sentences=sentences, join=join, events=events, layers=layers
        )
    for window, result in results:
        article = window.article
        if isinstance(result, str):
            where = article.source or article.id
            if not (window.first and window.last):
                where += f": characters {window.offset}-{window.offset + len(window.text)}"
            yield ArticlePart(article, [], f"{where}: {result}", window.first, window.last)
            continue
        rows, found = result
        extra = _article_columns(article)
        for row in rows:
            row.update(extra)
        yield ArticlePart(article, rows, None, window.first, window.last, found if events else None)


def iter_geoparse(
    articles: Iterable[Article],
    *,
    jobs: int = 1,
    join: bool = True,
    sentences: bool = True,
    events: bool = True,
    executor: Any = None,
    layers: Any = None,
) -> Iterator[ArticleResult]:
    """Geoparse articles, streaming: one :class:`ArticleResult` per article, in order.

    Parameters
    ----------
    articles : iterable of Article
        For example from :func:`frontmap.read_articles` (skip or report the
        errors it yields first) or built in code: ``Article("id", text, date)``.
    jobs : int
        Worker processes (1: none). Capped at the cores and at the work.
    join : bool
        Add ``theatre``, ``zones``, ``control`` and ``front_km`` at each
        article's date (:func:`frontmap.layers.join`).
    sentences : bool
        Add ``sentence`` and ``sentence_start`` to each row (for maps).
    events : bool
        Read the events each article reports (:attr:`ArticleResult.events`).
    executor : optional
        Where to run the batches instead of local worker processes: anything
        with ``submit(fn, *args, **kwargs)``, ``share(value)`` and a ``workers``
        count, such as :class:`frontmap.distributed.DaskExecutor` (a Dask
        cluster). The output is the same.
    layers : GeoDataFrame, optional
        The layers to join against (:func:`frontmap.layers.combine_layers` for
        your own files); default: the shipped layers.

    Yields
    ------
    ArticleResult
        Memory stays bounded by the batches in flight and the rows of one
        article (for one text of unbounded length, :func:`iter_geoparse_parts`).
    """
    parts = iter_geoparse_parts(
        articles,
        jobs=jobs,
        join=join,
        sentences=sentences,
        events=events,
        executor=executor,
        layers=layers,
    )
    return gather_parts(parts, events=events)


def gather_parts(parts: Iterable[ArticlePart], *, events: bool = True) -> Iterator[ArticleResult]:
    """The :class:`ArticlePart` s of :func:`iter_geoparse_parts` gathered: one
    :class:`ArticleResult` per article, in order."""
    current: ArticleResult | None = None
    for part in parts:
        if part.first:
            current = ArticleResult(part.article, events=[] if events else None)
        assert current is not None
        if part.error is not None:
            current.errors.append(part.error)
        else:
            current.rows.extend(part.rows)
            if current.events is not None and part.events is not None:
                current.events.extend(part.events)
            current.parsed = True
        if part.last:
            yield current
            current = None


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    date: Any = None,
    on_error: str = "raise",
) -> list[Article]:
    """Read articles from ``.txt`` and ``.jsonl`` files (see :mod:`frontmap.geo.articles`).

    Parameters
    ----------
    paths : iterable of path
        Files to read.
    date : date or ISO string, optional
        Overrides every article's own date.
    on_error : {"raise", "warn", "skip"}
        What to do with an article that cannot be read: raise its InputError,
        warn (``warnings.warn``, one line naming the file and line) and go on,
        or skip it silently.

    Returns
    -------
    list of Article
        Use :func:`frontmap.geo.articles.read_articles` to stream instead.
    """
    from .dates import parse_date
    from .geo.articles import read_articles as stream

    _check_on_error(on_error)
    out = []
    for item in stream(paths, parse_date(date, "date")):
        if isinstance(item, Article):
            out.append(item)
        else:
            _fail(str(item), on_error, item)
    return out


def _check_on_error(on_error: str) -> None:
    if on_error not in ("raise", "warn", "skip"):
        raise InputError(f"on_error: {on_error!r} is not one of raise, warn, skip")


def _fail(message: str, on_error: str, exc: BaseException | None = None) -> None:
    if on_error == "raise":
        raise exc if exc is not None else FrontmapError(message)
    if on_error == "warn":
        import warnings

        warnings.warn(message, stacklevel=3)


def geoparse_articles(
    articles: Iterable[Article],
    *,
    jobs: int = 1,
    join: bool = True,
    on_error: str = "raise",
    layers: Any = None,
) -> Any:
    """Geoparse articles into one GeoDataFrame of mention rows.

    Parameters
    ----------
    articles : iterable of Article
        From :func:`read_articles`, or built in code:
        ``Article("a1", text, datetime.date(2020, 3, 1))``.
    jobs : int
        Worker processes (capped at the cores and the work); the result does
        not depend on it.
    join : bool
        Join each place to the zones, control and front lines of its article's
        date (:func:`frontmap.layers.join`).
    on_error : {"raise", "warn", "skip"}
        What to do when (part of) an article cannot be geoparsed.
    layers : GeoDataFrame, optional
        The layers to join against (default: the shipped ones).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per toponym mention with the columns of :mod:`frontmap.schema`
        (EPSG:4326 points), in article and text order. Pass it to
        :func:`frontmap.write_maps`, :func:`frontmap.write_report` or
        :func:`frontmap.write_mentions`, or use it as any GeoDataFrame.
    """
    from .schema import mention_frame

    _check_on_error(on_error)
    rows: list[dict[str, Any]] = []
    for result in iter_geoparse(articles, jobs=jobs, join=join, sentences=True, layers=layers):
        for message in result.errors:
            _fail(message, on_error)
        rows.extend(result.rows)
    return mention_frame(rows)


def geoparse_events(
    articles: Iterable[Article],
    *,
    jobs: int = 1,
    join: bool = True,
    on_error: str = "raise",
) -> Any:
    """The events the articles report, as one table.

    Parameters
    ----------
    articles : iterable of Article
        As for :func:`geoparse_articles`.
    jobs : int
        Worker processes (capped at the cores and the work); the result does
        not depend on it.
    join : bool
        Give each event the control its place had on the article's date.
    on_error : {"raise", "warn", "skip"}
        What to do when (part of) an article cannot be read.

    Returns
    -------
    pandas.DataFrame
        One row per event, the columns of :data:`frontmap.schema.EVENT_COLUMNS`
        (dtype object: None stays None), in article and text order. Pass it to
        :func:`frontmap.write_events` or as ``events=`` to
        :func:`frontmap.write_mentions` and :func:`frontmap.write_report`.

    Examples
    --------
    >>> import datetime
    >>> text = "Russian jets struck Saraqib on Monday, killing four civilians."
    >>> frame = geoparse_events([Article("a", text, datetime.date(2020, 3, 3))])
    >>> frame[["sub_event_type", "actor1", "location", "fatalities", "event_date"]].values.tolist()
    [['Air/drone strike', 'russia', 'Saraqib', 4, '2020-03-02']]
    """
    import pandas as pd

    from .schema import EVENT_COLUMNS

    _check_on_error(on_error)
    rows: list[dict[str, Any]] = []
    for result in iter_geoparse(articles, jobs=jobs, join=join, sentences=False, events=True):
        for message in result.errors:
            _fail(message, on_error)
        rows.extend(event_rows(result))
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in EVENT_COLUMNS})


def geoparse(
    text: str,
    date: Any = None,
    *,
    join: bool = True,
    article_id: str = "text",
    title: str | None = None,
    url: str | None = None,
    layers: Any = None,
) -> Any:
    """The toponyms of one text as a GeoDataFrame, joined to the layers of ``date``.

    Parameters
    ----------
    text : str
        The article's text.
    date : date or ISO string, optional
        The day of the article: zones, control and front lines are those that
        held then (None: the latest state).
    join : bool
        Add the layer columns.
    article_id, title, url : str, optional
        The article's id (``"text"``), title and url, carried on every row.
    layers : GeoDataFrame, optional
        The layers to join against (default: the shipped ones).

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`geoparse_articles` returns for one article.

    Examples
    --------
    >>> frame = geoparse("Shelling hit Saraqib, east of Idlib.", "2020-03-01")
    >>> frame[["name", "control"]].values.tolist()
    [['Saraqib', 'opposition'], ['Idlib', 'opposition']]
    """
    from .dates import parse_date

    article = Article(str(article_id), text, parse_date(date, "date"), title, url, str(article_id))
    return geoparse_articles([article], jobs=1, join=join, layers=layers)
