"""Mention rows as data files: JSON Lines, GeoJSON, CSV and GeoParquet, written as they come.

:class:`GeoparseWriter` takes :class:`frontmap.pipeline.ArticleResult` objects
one at a time and writes them in the format the file's extension names,
holding at most one row group in memory (GeoParquet) or nothing at all (the
others). The file appears whole or not at all (:class:`frontmap.files.AtomicFile`);
on standard output, records are written as they come.

=============  ================================================================
extension      content
=============  ================================================================
``.jsonl``     one JSON object per article: ``id``, ``date``, ``toponyms`` (the
               fields of :data:`frontmap.schema.GEOPARSE_FIELDS`, in order), then
               ``events`` (the fields of :data:`frontmap.schema.EVENT_FIELDS`)
               when they were read: a record of an earlier version is a prefix
``.geojson``   a FeatureCollection, one Point feature per toponym, with the
               article's id and date among its properties
``.csv``       one row per toponym (:data:`CSV_COLUMNS`), ``zones`` joined with
               ``;``; cells that a spreadsheet would run as a formula are quoted
               with a leading ``'``
``.parquet``   GeoParquet (EPSG:4326 points), the same columns as CSV, ``zones``
               a list; row groups of :data:`PARQUET_ROW_GROUP` rows
=============  ================================================================

The GeoJSON, CSV and GeoParquet outputs stay one row per toponym: an event is
not a toponym, and a reader of those tables expects one kind of row. Events as
a table go to their own files (:class:`EventWriter`, ``frontmap events``):
ACLED-compatible CSV (:data:`ACLED_COLUMNS`), GeoJSON (one point per event at
its place) or JSON Lines (:data:`frontmap.schema.EVENT_COLUMNS`).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TextIO

from .errors import InputError, OutputError
from .files import AtomicFile, check_output_file
from .geo.articles import Article
from .pipeline import ArticlePart, ArticleResult
from .schema import DATA_COLUMNS, EVENT_COLUMNS, EVENT_FIELDS, GEOPARSE_FIELDS, data_dtypes

__all__ = [
    "ACLED_COLUMNS",
    "EVENT_FORMATS",
    "EventWriter",
    "write_events",
    "CSV_COLUMNS",
    "FORMATS",
    "PARQUET_ROW_GROUP",
    "GeoparseWriter",
    "output_format",
    "write_mentions",
]

#: Output formats, by file extension.
FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".geojson": "geojson",
    ".csv": "csv",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
}
#: Columns of the CSV and GeoParquet outputs, in order.
CSV_COLUMNS: tuple[str, ...] = DATA_COLUMNS
#: Rows per GeoParquet row group (the most held in memory).
PARQUET_ROW_GROUP = 50_000

_PARQUET_TYPES = data_dtypes(CSV_COLUMNS)


def output_format(path: str | os.PathLike[str]) -> str:
    """The format an output file's extension names.

    Raises
    ------
    frontmap.errors.InputError
        For an unknown extension, or GeoParquet without pyarrow.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown output format {path.suffix or '(none)'!r} (use {known})")
    if fmt == "parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise InputError(f"{path}: writing GeoParquet needs pyarrow (pip install pyarrow)")
    return fmt


def _record(article: Article) -> dict[str, Any]:
    return {"id": article.id, "date": article.date.isoformat() if article.date else None}


def _toponym(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in GEOPARSE_FIELDS}


def _flat(article: Article, row: dict[str, Any]) -> dict[str, Any]:
    record = _record(article)
    return {"article_id": record["id"], "article_date": record["date"], **_toponym(row)}


class _Format:
    """How one format writes: a header, the articles (each begun, its rows, ended), a footer.

    An article's rows may come in several parts (the windows of a long text):
    the bytes are the same as when they come at once.
    """

    def __init__(self, fh: IO[Any]) -> None:
        self.fh = fh

    def begin(self, article: Article) -> None:
        """Start one parsed article."""

    def rows(self, article: Article, rows: list[dict[str, Any]]) -> None:
        """Write rows of the article begun."""

    def end(self, article: Article, events: list[dict[str, Any]] | None = None) -> None:
        """End the article begun (``events``: the events it reports, when read)."""

    def close(self) -> None:
        """Write what ends the file."""


class _Jsonl(_Format):
    def begin(self, article: Article) -> None:
        record = _record(article)
        self.fh.write(
            f'{{"id": {json.dumps(record["id"], ensure_ascii=False)}, '
            f'"date": {json.dumps(record["date"])}, "toponyms": ['
        )
        self.sep = ""

    def rows(self, article: Article, rows: list[dict[str, Any]]) -> None:
        if rows:
            toponyms = ", ".join(json.dumps(_toponym(r), ensure_ascii=False) for r in rows)
            self.fh.write(self.sep + toponyms)
            self.sep = ", "

    def end(self, article: Article, events: list[dict[str, Any]] | None = None) -> None:
        if events is None:
            self.fh.write("]}\n")
            return
        items = ", ".join(
            json.dumps({k: e.get(k) for k in EVENT_FIELDS}, ensure_ascii=False) for e in events
        )
        self.fh.write(f'], "events": [{items}]}}\n')


class _GeoJson(_Format):
    def __init__(self, fh: IO[Any]) -> None:
        super().__init__(fh)
        self.fh.write('{"type": "FeatureCollection", "features": [\n')
        self.sep = ""

    def rows(self, article: Article, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            t = _flat(article, row)
            geometry = (
                {"type": "Point", "coordinates": [t["lon"], t["lat"]]}
                if t["lat"] is not None and t["lon"] is not None
                else None
            )
            feature = {"type": "Feature", "geometry": geometry, "properties": t}
            self.fh.write(self.sep + json.dumps(feature, ensure_ascii=False))
            self.sep = ",\n"

    def close(self) -> None:
        self.fh.write("\n]}\n" if self.sep else "]}\n")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula (OWASP: a leading ``'``)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Csv(_Format):
    def __init__(self, fh: IO[Any]) -> None:
        super().__init__(fh)
        self.writer = csv.writer(fh, lineterminator="\n")
        self.writer.writerow(CSV_COLUMNS)

    def rows(self, article: Article, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            t = _flat(article, row)
            t["zones"] = ";".join(t["zones"] or ())
            self.writer.writerow([csv_cell(t[c]) for c in CSV_COLUMNS])


class _Parquet(_Format):
    """GeoParquet written a row group at a time (pyarrow's ParquetWriter).

    Every row group but the last holds exactly :data:`PARQUET_ROW_GROUP` rows,
    however the rows came (whole articles or parts of them).
    """

    def __init__(self, fh: IO[Any]) -> None:
        super().__init__(fh)
        self.pending: list[dict[str, Any]] = []
        self.writer: Any = None
        self.schema: Any = None

    def rows(self, article: Article, rows: list[dict[str, Any]]) -> None:
        self.pending.extend(_flat(article, r) for r in rows)
        while len(self.pending) >= PARQUET_ROW_GROUP:
            group = self.pending[:PARQUET_ROW_GROUP]
            del self.pending[:PARQUET_ROW_GROUP]
            self._flush(group)

    def _table(self, rows: list[dict[str, Any]]) -> Any:
        import pandas as pd
        import pyarrow as pa
        import shapely

        data = {
            c: pd.Series([r[c] for r in rows], dtype=object).astype(d)
            for c, d in _PARQUET_TYPES.items()
        }
        zones = pa.array([list(r["zones"] or ()) for r in rows], type=pa.list_(pa.string()))
        del data["zones"]
        points = shapely.points(data["lon"].to_numpy(), data["lat"].to_numpy())
        data["geometry"] = pd.Series(shapely.to_wkb(points), dtype=object)
        table = pa.Table.from_pandas(pd.DataFrame(data), preserve_index=False)
        table = table.add_column(list(_PARQUET_TYPES).index("zones"), "zones", zones)
        if self.schema is None:
            metadata = dict(table.schema.metadata or {})
            metadata[b"geo"] = json.dumps(_geo_metadata()).encode("utf-8")
            self.schema = table.schema.with_metadata(metadata)
        return table.cast(self.schema)

    def _flush(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow.parquet as pq

        table = self._table(rows)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.fh, table.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.pending or self.writer is None:
            self._flush(self.pending)
            self.pending = []
        self.writer.close()


def _geo_metadata() -> dict[str, Any]:
    """GeoParquet 1.0 metadata of the point column (no bbox: rows are streamed)."""
    from pyproj import CRS

    from . import __version__

    return {
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Point"],
                "crs": CRS.from_epsg(4326).to_json_dict(),
            }
        },
        "version": "1.0.0",
        "creator": {"library": "frontmap", "version": __version__},
    }


_FORMATS = {"jsonl": _Jsonl, "geojson": _GeoJson, "csv": _Csv, "parquet": _Parquet}


class GeoparseWriter:
    """Write geoparse results to a file (whole or not at all) or to a text stream.

    Parameters
    ----------
    target : path or text stream
        A file whose extension names the format (see :data:`FORMATS`), or an
        open text stream (``sys.stdout``), which gets JSON Lines.
    fmt : str, optional
        Overrides the format the extension names.

    Examples
    --------
    >>> with GeoparseWriter("out.geojson") as out:  # doctest: +SKIP
    ...     for result in iter_geoparse(articles):
    ...         out.write(result)

    Leaving the ``with`` block normally moves the file into place; an
    exception, or :meth:`discard`, leaves no file.
    """

    def __init__(self, target: str | os.PathLike[str] | TextIO, fmt: str | None = None) -> None:
        self.path: Path | None = None
        self._file: AtomicFile | None = None
        self._open: Article | None = None  # the article write_part has begun
        self._events: list[dict[str, Any]] | None = None  # its events so far
        self.written = 0
        if isinstance(target, str | os.PathLike):
            self.path = Path(target)
            check_output_file(self.path)
            self.format = fmt or output_format(self.path)
            binary = self.format == "parquet"
            self._file = AtomicFile(
                self.path, binary=binary, newline="" if self.format == "csv" else "\n"
            )
            fh: IO[Any] = self._file.fh
        else:
            self.format = fmt or "jsonl"
            fh = target
        try:
            self._out = _FORMATS[self.format](fh)
        except BaseException:
            self.discard()
            raise

    def write(self, result: ArticleResult) -> bool:
        """Write one article's toponyms; False (nothing written) when it was not parsed."""
        if not result.parsed:
            return False
        try:
            self._out.begin(result.article)
            self._out.rows(result.article, result.rows)
            self._out.end(result.article, result.events)
        except OSError as exc:
            raise self._error(exc) from None
        self.written += 1
        return True

    def write_part(self, part: ArticlePart) -> None:
        """Write the toponyms of one window of an article, as it comes.

        The parts of one article, in order (:func:`frontmap.pipeline.iter_geoparse_parts`),
        give the same bytes as :meth:`write` of the whole article, without
        holding its rows: memory does not grow with the length of one text.
        An article none of whose windows was parsed writes nothing.
        """
        try:
            if part.error is None:
                if self._open is None:
                    self._out.begin(part.article)
                    self._open = part.article
                    self._events = None
                self._out.rows(part.article, part.rows)
                if part.events is not None:
                    self._events = [*(self._events or []), *part.events]
            if part.last and self._open is not None:
                self._out.end(part.article, self._events)
                self._open = None
                self._events = None
                self.written += 1
        except OSError as exc:
            raise self._error(exc) from None

    def close(self) -> None:
        """End the output and, for a file, move it into place."""
        try:
            self._out.close()
        except OSError as exc:
            raise self._error(exc) from None
        if self._file is not None:
            self._file.commit()

    def discard(self) -> None:
        """Give up: a file is removed (an existing target stays as it was)."""
        if self._file is not None:
            self._file.discard()

    def _error(self, exc: OSError) -> BaseException:
        if isinstance(exc, BrokenPipeError | OutputError):
            return exc
        where = self.path if self.path is not None else "standard output"
        return OutputError(f"{where}: cannot write ({exc.strerror or exc})")

    def __enter__(self) -> GeoparseWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.discard()


def _events_of(events: Any) -> dict[str, list[dict[str, Any]]] | None:
    """Event rows (a frame or an iterable of mappings) by article id; None for None."""
    if events is None:
        return None
    records = events.to_dict("records") if hasattr(events, "to_dict") else list(events)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        event: dict[str, Any] = {k: (None if _nan(r.get(k)) else r.get(k)) for k in EVENT_FIELDS}
        for k in ("start", "end", "fatalities", "time_precision", "geo_precision"):
            value = event[k]
            if value is not None:
                event[k] = int(value)
        for k in ("toponyms", "mentions"):
            pairs: Any = event[k] if event[k] is not None else []
            event[k] = [[int(a), int(b)] for a, b in pairs]
        out.setdefault(str(r["article_id"]), []).append(event)
    return out


def _results_of(mentions: Any, articles: Any, events: Any = None) -> list[ArticleResult]:
    """Per-article results from a mention frame, in the order of ``articles`` (or of the rows)."""
    from .dates import parse_date

    frame = mentions if mentions is not None else None
    records: list[dict[str, Any]] = []
    if frame is not None and len(frame):
        missing = [c for c in ("article_id", *GEOPARSE_FIELDS) if c not in frame.columns]
        if missing:
            raise InputError(f"mentions: missing columns {', '.join(missing)}")
        cols = ["article_id", *GEOPARSE_FIELDS] + (
            ["article_date"] if "article_date" in frame.columns else []
        )
        records = frame[cols].to_dict("records")
    by_id: dict[str, list[dict[str, Any]]] = {}
    dates: dict[str, Any] = {}
    for r in records:
        aid = str(r["article_id"])
        by_id.setdefault(aid, []).append(r)
        dates.setdefault(aid, r.get("article_date"))
    if articles is None:
        articles = [Article(aid, "", parse_date(dates[aid])) for aid in by_id]
    by_article = _events_of(events)
    out = []
    for article in articles:
        rows = [
            {k: (None if _nan(r[k]) else r[k]) for k in GEOPARSE_FIELDS}
            for r in by_id.get(article.id, [])
        ]
        found = None if by_article is None else by_article.get(article.id, [])
        out.append(ArticleResult(article, rows, [], True, found))
    return out


def _nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def write_mentions(
    mentions: Any, path: str | os.PathLike[str], *, articles: Any = None, events: Any = None
) -> Path:
    """Write a mention frame as a data file, the bytes ``frontmap geoparse -o`` writes.

    Parameters
    ----------
    mentions : DataFrame
        Mention rows (:func:`frontmap.geoparse_articles`).
    path : path
        The file; its extension names the format (:data:`FORMATS`).
    articles : sequence of Article, optional
        The articles, in order: an article without toponyms still gets its
        JSON Lines record. By default, the articles of the rows, in row order.
    events : DataFrame, optional
        Event rows (:func:`frontmap.geoparse_events`): JSON Lines records then
        carry ``events`` (as ``frontmap geoparse`` writes them). Other formats
        ignore them.

    Returns
    -------
    Path
    """
    from .files import check_not_inputs

    sources = [s for a in articles or () if isinstance(s := getattr(a, "source", None), str)]
    check_not_inputs([path], sources)
    with GeoparseWriter(path) as out:
        for result in _results_of(mentions, articles, events):
            out.write(result)
    return Path(path)


# --------------------------------------------------------------------------- events

#: The columns of ACLED's data that ``frontmap events`` writes first, in ACLED's names
#: (event_date as ``YYYY-MM-DD``, as ACLED's API gives it; fatalities empty when the
#: text does not say, where ACLED writes 0), then frontmap's own.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "source",
    "notes",
    "time_precision",
    "country_code",
    "theatre",
    "article_id",
    "start",
    "end",
)
#: Output formats of events, by file extension.
EVENT_FORMATS = {".csv": "csv", ".geojson": "geojson", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def _acled_row(row: dict[str, Any]) -> dict[str, Any]:
    source = row.get("article_url") or row.get("article_title") or row.get("article_id")
    return {
        "event_date": row.get("event_date"),
        "event_type": row.get("event_type"),
        "sub_event_type": row.get("sub_event_type"),
        "actor1": row.get("actor1_name"),
        "actor2": row.get("actor2_name"),
        "location": row.get("location"),
        "latitude": row.get("latitude"),
        "longitude": row.get("longitude"),
        "geo_precision": row.get("geo_precision"),
        "fatalities": row.get("fatalities"),
        "source": source,
        "notes": " ".join(str(row.get("quote") or "").split()),
        "time_precision": row.get("time_precision"),
        "country_code": row.get("country"),
        "theatre": row.get("theatre"),
        "article_id": row.get("article_id"),
        "start": row.get("start"),
        "end": row.get("end"),
    }


class EventWriter:
    """Write event rows (:data:`frontmap.schema.EVENT_COLUMNS`) to a file, whole or not at all.

    Parameters
    ----------
    target : path
        ``.csv`` (ACLED-compatible columns, :data:`ACLED_COLUMNS`), ``.geojson``
        (one Point feature per event with a place, the event's columns as
        properties; events without a place have no geometry) or ``.jsonl``
        (one event row a line).
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.path = Path(target)
        check_output_file(self.path)
        fmt = EVENT_FORMATS.get(self.path.suffix.lower())
        if fmt is None:
            known = ", ".join(sorted(EVENT_FORMATS))
            raise InputError(
                f"{self.path}: unknown events format {self.path.suffix or '(none)'!r} (use {known})"
            )
        self.format = fmt
        self.written = 0
        self._file = AtomicFile(self.path, newline="" if fmt == "csv" else "\n")
        self._sep = ""
        fh = self._file.fh
        try:
            if fmt == "csv":
                self._csv = csv.writer(fh, lineterminator="\n")
                self._csv.writerow(ACLED_COLUMNS)
            elif fmt == "geojson":
                fh.write('{"type": "FeatureCollection", "features": [\n')
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None

    def write(self, rows: Any) -> None:
        """Write event rows (dicts with the columns of :data:`frontmap.schema.EVENT_COLUMNS`)."""
        fh = self._file.fh
        try:
            for row in rows:
                self._write(fh, row)
                self.written += 1
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None

    def _write(self, fh: IO[Any], row: dict[str, Any]) -> None:
        if self.format == "csv":
            acled = _acled_row(row)
            self._csv.writerow([csv_cell(acled[c]) for c in ACLED_COLUMNS])
        elif self.format == "jsonl":
            fh.write(json.dumps({k: row.get(k) for k in EVENT_COLUMNS}, ensure_ascii=False) + "\n")
        else:
            lat, lon = row.get("latitude"), row.get("longitude")
            geometry = (
                {"type": "Point", "coordinates": [lon, lat]}
                if lat is not None and lon is not None
                else None
            )
            properties = {k: row.get(k) for k in EVENT_COLUMNS}
            feature = {"type": "Feature", "geometry": geometry, "properties": properties}
            fh.write(self._sep + json.dumps(feature, ensure_ascii=False))
            self._sep = ",\n"

    def close(self) -> None:
        """End the file and move it into place."""
        try:
            if self.format == "geojson":
                self._file.fh.write("\n]}\n" if self._sep else "]}\n")
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None
        self._file.commit()

    def discard(self) -> None:
        """Give up: no file is left (an existing target stays as it was)."""
        self._file.discard()

    def __enter__(self) -> EventWriter:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is None:
            self.close()
        else:
            self.discard()


def write_events(events: Any, path: str | os.PathLike[str]) -> Path:
    """Write event rows as ACLED-compatible CSV, GeoJSON or JSON Lines (by extension).

    Parameters
    ----------
    events : DataFrame or iterable of dict
        Event rows (:func:`frontmap.geoparse_events`).
    path : path
        ``.csv``, ``.geojson`` or ``.jsonl``.

    Returns
    -------
    Path
        The bytes ``frontmap events ARTICLE... -o PATH`` writes for the same rows.
    """
    rows = events.to_dict("records") if hasattr(events, "to_dict") else list(events)
    clean = [{k: (None if _nan(v) else v) for k, v in r.items()} for r in rows]
    with EventWriter(path) as out:
        out.write(clean)
    return Path(path)
