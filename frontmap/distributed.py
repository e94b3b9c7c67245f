"""Geoparsing beyond one machine, on Dask (``pip install 'frontmap[dask]'``).

Two ways in, one result:

* **A Dask cluster as the worker pool** — :class:`DaskExecutor` runs the
  batches of :func:`frontmap.iter_geoparse` on a cluster instead of local
  processes (``frontmap geoparse --dask ADDRESS|local``). Articles are read and
  results written on the client, in input order, with at most two batches per
  worker in flight; the output has the same bytes as a run on one machine.
* **A Dask DataFrame of articles** — :func:`geoparse_dataframe` maps a
  DataFrame with ``id``, ``text`` and optional ``date``, ``title``, ``url``
  columns (:func:`read_articles_dataframe` reads JSON Lines or Parquet files
  into one) to a partitioned dask-geopandas GeoDataFrame of toponyms, one
  partition per input partition; :func:`write_geoparquet` writes it as a
  folder of GeoParquet files. Nothing passes through the client: this is the
  way for archives of millions of articles.

Each worker process loads the gazetteer once (:func:`frontmap.geo.load_gazetteer`
is a per-process singleton) and keeps it between tasks. frontmap must be
installed on the workers (the same version as on the client).

To use a real cluster, start a scheduler and workers where frontmap is
installed (``dask scheduler``; ``dask worker tcp://SCHEDULER:8786 --nthreads 1``
on each machine: geoparsing is pure Python, so one thread per worker process
and as many worker processes as cores), then pass the scheduler's address.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from .errors import FrontmapError, InputError
from .schema import data_dtypes

__all__ = [
    "DaskExecutor",
    "dask_client",
    "geoparse_dataframe",
    "read_articles_dataframe",
    "write_geoparquet",
]

#: Columns of the toponym frames :func:`geoparse_dataframe` returns, with their dtypes
#: (those of the data files: :func:`frontmap.schema.data_dtypes`).
TOPONYM_DTYPES: dict[str, Any] = data_dtypes()


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError(
            "Dask is not installed: pip install 'frontmap[dask]' (dask, distributed, "
            "dask-geopandas)"
        ) from None
    return distributed


def dask_client(address: str = "local", workers: int | None = None) -> Any:
    """A Dask client: a local cluster of worker processes, or a running scheduler's.

    Parameters
    ----------
    address : str
        ``"local"`` for a cluster on this machine, else a scheduler address
        (``tcp://host:8786``).
    workers : int, optional
        Worker processes of a local cluster (default: the cores); one thread each.

    Returns
    -------
    distributed.Client
    """
    distributed = _dask()
    if address == "local":
        from .pipeline import available_cores

        n = max(1, min(workers or available_cores(), available_cores()))
        cluster = distributed.LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=50,
        )
        return distributed.Client(cluster)
    try:
        return distributed.Client(address, timeout="30s")
    except OSError as exc:
        raise InputError(f"--dask: cannot reach the scheduler at {address} ({exc})") from None


class DaskExecutor:
    """A Dask client seen as the executor :func:`frontmap.iter_geoparse` submits to.

    Parameters
    ----------
    client : distributed.Client
        The cluster's client.
    warm : bool
        Load the gazetteer on every worker at once.

    Attributes
    ----------
    workers : int
        The cluster's worker processes (two batches each are kept in flight).
    """

    def __init__(self, client: Any, *, warm: bool = True) -> None:
        self.client = client
        info = client.scheduler_info()
        self.workers = max(1, len(info.get("workers", {})))
        if warm:  # each worker loads the gazetteer now, once, not inside the first batch
            client.run(_load_gazetteer)

    def share(self, value: Any) -> Any:
        """Send ``value`` to every worker once; a future to name in tasks instead of it."""
        return self.client.scatter(value, broadcast=True)

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` on a worker; a future with ``result()``."""
        return self.client.submit(fn, *args, pure=False, **kwargs)


def _load_gazetteer() -> None:
    from .geo import load_gazetteer

    load_gazetteer()


# --------------------------------------------------------------------------- DataFrames


def read_articles_dataframe(
    paths: str | Iterable[str | os.PathLike[str]], blocksize: str | int = "64MB"
) -> Any:
    """Read JSON Lines or Parquet files of articles into a Dask DataFrame.

    Parameters
    ----------
    paths : path or paths (globs allowed)
        ``.jsonl`` files (one article a line, as ``frontmap geoparse`` reads
        them) or ``.parquet`` files with the same columns.
    blocksize : str or int
        Bytes of JSON Lines per partition.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``id``, ``text``, ``date``, ``title``, ``url`` (the last three
        None where absent). A JSON line that cannot be read fails its
        partition: clean an archive with ``frontmap geoparse`` first, which
        reports bad lines one by one.
    """
    _dask()
    import dask.dataframe as dd

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    names = [str(os.fspath(p)) for p in paths]
    if not names:
        raise InputError("no article files given")
    if all(n.endswith((".parquet", ".geoparquet")) for n in names):
        frame = dd.read_parquet(names)
    elif all(n.endswith((".jsonl", ".ndjson")) for n in names):
        frame = dd.read_json(names, lines=True, blocksize=blocksize, dtype=False)
    else:
        raise InputError("article files must all be .jsonl or all .parquet")
    return _article_frame(frame)


def _article_frame(frame: Any) -> Any:
    """The article columns of a Dask DataFrame (``id``, ``date``, ``title``, ``url`` added
    as None where absent)."""
    if "text" not in frame.columns:
        raise InputError("the articles have no 'text' column")
    for column in ("id", "date", "title", "url"):
        if column not in frame.columns:
            frame = frame.assign(**{column: None})
    return frame[["id", "text", "date", "title", "url"]]


def _partition_toponyms(part: Any, join: bool, partition_info: Any = None) -> Any:
    """Geoparse one partition of articles (in a worker): a GeoDataFrame of toponyms."""
    import geopandas as gpd
    import pandas as pd

    from .dates import parse_date
    from .geo.articles import Article
    from .pipeline import iter_geoparse

    number = partition_info["number"] if partition_info else 0
    articles = []
    for k, rec in enumerate(part.itertuples(index=False)):
        where = f"partition {number}, row {k}"
        aid = rec.id if rec.id is not None and rec.id == rec.id else f"p{number}-{k}"
        articles.append(
            Article(
                str(aid),
                str(rec.text),
                parse_date(rec.date, f"{where}: date"),
                None if rec.title is None or rec.title != rec.title else str(rec.title),
                None if rec.url is None or rec.url != rec.url else str(rec.url),
                where,
            )
        )
    rows = []
    for result in iter_geoparse(articles, jobs=1, join=join, sentences=False, events=False):
        if result.errors:
            raise FrontmapError("; ".join(result.errors))
        for row in result.rows:
            rows.append({c: row.get(c) for c in TOPONYM_DTYPES})
    frame = pd.DataFrame(rows, columns=list(TOPONYM_DTYPES))
    for column, dtype in TOPONYM_DTYPES.items():
        if dtype is object or dtype == "string":
            frame[column] = frame[column].astype(dtype)
        else:
            frame[column] = pd.to_numeric(frame[column]).astype(dtype)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry)


def _meta() -> Any:
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series([], dtype=d) for c, d in TOPONYM_DTYPES.items()})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))


def geoparse_dataframe(articles: Any, *, join: bool = True) -> Any:
    """Geoparse a Dask DataFrame of articles, partition by partition, on the cluster.

    Parameters
    ----------
    articles : dask.dataframe.DataFrame or path(s)
        Columns ``id``, ``text`` and optional ``date``, ``title``, ``url``; or
        files for :func:`read_articles_dataframe`.
    join : bool
        Join each toponym to the layers of its article's date.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        One row per toponym: ``article_id``, ``article_date`` and the fields of
        a ``frontmap geoparse`` record (:data:`TOPONYM_DTYPES`), EPSG:4326
        points; lazy until computed or written (:func:`write_geoparquet`). The
        rows of each partition are those of a run on one machine.
    """
    _dask()
    import dask.dataframe as dd
    import dask_geopandas

    if not isinstance(articles, dd.DataFrame):
        articles = read_articles_dataframe(articles)
    articles = _article_frame(articles)
    toponyms = articles.map_partitions(_partition_toponyms, join, meta=_meta())
    return dask_geopandas.from_dask_dataframe(toponyms, geometry="geometry")


def write_geoparquet(toponyms: Any, path: str | os.PathLike[str]) -> None:
    """Write a partitioned toponym frame as a folder of GeoParquet files (one per partition)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "Int64": pa.int64()}
    fields = [
        pa.field(c, pa.list_(pa.string()) if d is object else types.get(d, pa.float64()))
        for c, d in TOPONYM_DTYPES.items()
    ]
    schema = pa.schema([*fields, pa.field("geometry", pa.binary())])
    toponyms.to_parquet(os.fspath(path), write_index=False, schema=schema)
