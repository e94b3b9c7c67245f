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
               fields of :data:`frontmap.schema.GEOPARSE_FIELDS`, in order)
``.geojson``   a FeatureCollection, one Point feature per toponym, with the
               article's id and date among its properties
``.csv``       one row per toponym (:data:`CSV_COLUMNS`), ``zones`` joined with
               ``;``; cells that a spreadsheet would run as a formula are quoted
               with a leading ``'``
``.parquet``   GeoParquet (EPSG:4326 points), the same columns as CSV, ``zones``
               a list; row groups of :data:`PARQUET_ROW_GROUP` rows
=============  ================================================================
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
from .schema import DATA_COLUMNS, GEOPARSE_FIELDS, data_dtypes

__all__ = [
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

    def end(self, article: Article) -> None:
        """End the article begun."""

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

    def end(self, article: Article) -> None:
        self.fh.write("]}\n")


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
            self._out.end(result.article)
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
                self._out.rows(part.article, part.rows)
            if part.last and self._open is not None:
                self._out.end(part.article)
                self._open = None
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


def _results_of(mentions: Any, articles: Any) -> list[ArticleResult]:
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
    out = []
    for article in articles:
        rows = [
            {k: (None if _nan(r[k]) else r[k]) for k in GEOPARSE_FIELDS}
            for r in by_id.get(article.id, [])
        ]
        out.append(ArticleResult(article, rows, [], True))
    return out


def _nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def write_mentions(mentions: Any, path: str | os.PathLike[str], *, articles: Any = None) -> Path:
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

    Returns
    -------
    Path
    """
    from .files import check_not_inputs

    sources = [s for a in articles or () if isinstance(s := getattr(a, "source", None), str)]
    check_not_inputs([path], sources)
    with GeoparseWriter(path) as out:
        for result in _results_of(mentions, articles):
            out.write(result)
    return Path(path)
