"""The mention rows: the one table that flows from geo through layers to maps.

One row per toponym mention. :mod:`frontmap.geo` fills the place columns,
the pipeline adds the article's columns, :func:`frontmap.layers.join` adds
the situation on the day (and the point geometry), and :mod:`frontmap.maps`
draws them. :data:`MENTION_COLUMNS` is the contract; :func:`check_mentions`
checks and normalises a frame once, where it enters a stage that trusts it
(the maps), so nothing downstream re-coerces cells.

=================  ========  ======  =========================================
column             type      from    meaning
=================  ========  ======  =========================================
article_id         str       input   the article's id
start, end         int       geo     offsets of the mention in the article text
                                     (Python ``str`` indices)
surface            str       geo     the text as written
name               str       geo     the gazetteer name of the place chosen
lat, lon           float     geo     WGS84 degrees of the place (required)
country            str       geo     ISO 3166-1 alpha-2
kind               str       geo     gazetteer kind (``populated_place``...)
gazetteer_id       str       geo     ``geonames:<id>`` or a curated row's id
score              float     geo     how sure the choice is, 0-1
precision          int       geo     ACLED geo-precision: 1 the place, 2 part
                                     of or near it, 3 a region
sentence           str       geo     the sentence that names it
sentence_start     int       geo     offset of that sentence in the article
article_title      str       input   the article's title
article_url        str       input   the article's url
article_date       str       input   the article's date, ``YYYY-MM-DD``
date               date      input   the day the place is joined at (the
                                     article's date, or ``--date``)
theatre            str       layers  theatre id, or None outside every theatre
zones              list      layers  ids of the zones and corridors holding it
control            str       layers  actor key of the area of control
front_km           float     layers  km to the nearest front line that day
faction            str       layers  faction within the control actor (``hts``,
                                     ``sna``, ``nk``...), or None
control_note       str       layers  why there is no control that day ("no
                                     control data after 26 Nov 2024"), or None
=================  ========  ======  =========================================

Every column but ``lat`` and ``lon`` may be missing from a frame or hold
None: a notebook user may map a table of their own with only coordinates.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .dates import parse_date
from .errors import InputError

__all__ = [
    "ARTICLE_COLUMNS",
    "GEOPARSE_FIELDS",
    "JOIN_COLUMNS",
    "MENTION_COLUMNS",
    "TOPONYM_FIELDS",
    "EVENT_COLUMNS",
    "EVENT_FIELDS",
    "Column",
    "area_rows",
    "is_area",
    "check_mentions",
    "column_names",
    "data_dtypes",
    "DATA_COLUMNS",
    "mention_frame",
]


@dataclass(frozen=True)
class Column:
    """One column of the mention rows: its name, value type and the stage that sets it."""

    name: str
    type: str  # "str", "int", "float", "date", "iso_date" or "list"
    stage: str  # "input", "geo" or "layers"
    required: bool = False
    nullable: bool = False  # an "int" column that may hold None in data files


#: Fields of one toponym in ``frontmap geoparse`` output, in order (geo's part).
TOPONYM_FIELDS: tuple[str, ...] = (
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
#: Fields :func:`frontmap.layers.join` adds.
JOIN_COLUMNS: tuple[str, ...] = (
    "theatre",
    "zones",
    "control",
    "front_km",
    "faction",
    "control_note",
)
#: Fields of one toponym in a ``frontmap geoparse`` record.
GEOPARSE_FIELDS: tuple[str, ...] = TOPONYM_FIELDS + JOIN_COLUMNS
#: Kinds of place that are areas when a row gives no ``precision`` (see :func:`area_rows`).
AREA_KINDS: tuple[str, ...] = ("country", "region", "admin_region")
#: The geo-precision of a region (ACLED's 3).
REGION_PRECISION = 3


def is_area(kind: str | None, precision: float | None) -> bool:
    """Whether one mention names an area (a country or region): see :func:`area_rows`.

    Examples
    --------
    >>> is_area("region", 3), is_area("region", 2), is_area("admin_region", None)
    (True, False, True)
    """
    if kind == "country":
        return True
    if precision is None or precision != precision:  # None or NaN
        return kind in AREA_KINDS
    return precision >= REGION_PRECISION


def area_rows(frame: pd.DataFrame) -> Any:
    """Which mention rows name an area (a country or region) rather than a place.

    The one rule (:func:`is_area` is the same for one row).

    An area has no single point: its coordinates are only where its label goes,
    so the layers give it a theatre but no zones, control or distance to the
    front, and the maps draw it as an area, not as a town-sized marker. A row
    is an area when its kind is ``country``, when its ``precision`` is 3 (a
    region), or, when it has no precision, when its kind is ``region`` or
    ``admin_region``. A place near a town ("north of Saraqib", a region kind at
    precision 2) is not an area.

    Parameters
    ----------
    frame : DataFrame
        Rows with (optionally) ``kind`` and ``precision`` columns.

    Returns
    -------
    numpy.ndarray
        One bool per row.

    Examples
    --------
    >>> area_rows(pd.DataFrame({"kind": ["region", "region", "country"], "precision": [3, 2, 1]}))
    array([ True, False,  True])
    """
    import numpy as np

    n = len(frame)
    kinds = frame["kind"].to_numpy(dtype=object) if "kind" in frame.columns else np.full(n, None)
    if "precision" in frame.columns:
        precision = pd.to_numeric(frame["precision"], errors="coerce").to_numpy(dtype=float)
    else:
        precision = np.full(n, np.nan)
    by_kind = np.isin(kinds, AREA_KINDS[1:]) & np.isnan(precision)
    return (kinds == "country") | (precision >= REGION_PRECISION) | by_kind


#: The article's columns on each row.
ARTICLE_COLUMNS: tuple[str, ...] = ("article_id", "article_title", "article_url", "article_date")

MENTION_COLUMNS: tuple[Column, ...] = (
    Column("article_id", "str", "input"),
    Column("start", "int", "geo"),
    Column("end", "int", "geo"),
    Column("surface", "str", "geo"),
    Column("name", "str", "geo"),
    Column("lat", "float", "geo", required=True),
    Column("lon", "float", "geo", required=True),
    Column("country", "str", "geo"),
    Column("kind", "str", "geo"),
    Column("gazetteer_id", "str", "geo"),
    Column("score", "float", "geo"),
    Column("precision", "int", "geo", nullable=True),
    Column("sentence", "str", "geo"),
    Column("sentence_start", "int", "geo"),
    Column("article_title", "str", "input"),
    Column("article_url", "str", "input"),
    Column("article_date", "iso_date", "input"),
    Column("date", "date", "input"),
    Column("theatre", "str", "layers"),
    Column("zones", "list", "layers"),
    Column("control", "str", "layers"),
    Column("front_km", "float", "layers"),
    Column("faction", "str", "layers"),
    Column("control_note", "str", "layers"),
)

_BY_NAME = {c.name: c for c in MENTION_COLUMNS}


#: The pandas dtype a column of each value type has in data files (CSV, GeoParquet, Dask).
_DTYPES = {"str": "string", "iso_date": "string", "int": "int64", "float": "float64"}

#: Columns of the flat data files (CSV, GeoParquet, Dask frames), in order.
DATA_COLUMNS: tuple[str, ...] = ("article_id", "article_date", *GEOPARSE_FIELDS)


def data_dtypes(names: Iterable[str] = DATA_COLUMNS) -> dict[str, Any]:
    """The pandas dtype of each named column in data files (``object`` for lists).

    >>> data_dtypes(["article_id", "start", "precision", "zones"])
    {'article_id': 'string', 'start': 'int64', 'precision': 'Int64', 'zones': <class 'object'>}
    """
    out: dict[str, Any] = {}
    for name in names:
        col = _BY_NAME[name]
        if col.type == "list":
            out[name] = object
        elif col.type == "int" and col.nullable:
            out[name] = "Int64"
        else:
            out[name] = _DTYPES[col.type]
    return out


def column_names(stage: str | None = None) -> tuple[str, ...]:
    """Names of the mention columns (of one stage: ``input``, ``geo`` or ``layers``)."""
    return tuple(c.name for c in MENTION_COLUMNS if stage is None or c.stage == stage)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str | list | tuple | dict | set | frozenset):
        return False
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return result is True or (type(result).__name__ == "bool_" and bool(result))


def _float(value: Any) -> float | None:
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _int(value: Any) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def _str(value: Any) -> str | None:
    if _missing(value):
        return None
    return value if isinstance(value, str) else str(value)


def _list(value: Any) -> list[str]:
    if _missing(value):
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        return [v if isinstance(v, str) else str(v) for v in value if not _missing(v)]
    return [str(value)]


_NORMALISE = {"float": _float, "int": _int, "str": _str, "list": _list}


def check_mentions(frame: pd.DataFrame | None, where: str = "places") -> pd.DataFrame:
    """Check a frame of mention rows once, and give it every column in a plain form.

    Parameters
    ----------
    frame : DataFrame or None
        One row per mention, with at least ``lat`` and ``lon`` (any other
        column of :data:`MENTION_COLUMNS` may be absent). None is an empty frame.
    where : str
        What the frame is, to begin error messages with.

    Returns
    -------
    pandas.DataFrame
        A new frame (the same index and row order) with every column of
        :data:`MENTION_COLUMNS`, then any other column of the input, all of
        dtype object and holding plain Python values: ``str`` or None, ``int``
        or None, finite ``float`` or None (a value that is not a finite number,
        such as a latitude of ``"abc"``, becomes None), a ``list`` of ``str``
        for ``zones``, a ``datetime.date`` or None for ``date`` and an ISO
        string or None for ``article_date``.

    Raises
    ------
    frontmap.errors.InputError
        When ``frame`` is not a DataFrame, has rows but no ``lat`` or ``lon``, or holds a
        date that cannot be read (the message names the column and row).
    """
    if frame is None:
        frame = pd.DataFrame({"lat": [], "lon": []})
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"{where}: expected a DataFrame of mention rows, not {type(frame).__name__}"
        )
    if len(frame) == 0:  # no rows: nothing to check, whatever the columns
        frame = frame.assign(
            **{c.name: pd.Series([], dtype=object) for c in MENTION_COLUMNS if c.required}
        )
    if not frame.columns.is_unique:
        raise InputError(f"{where}: duplicate column names")
    missing = [c.name for c in MENTION_COLUMNS if c.required and c.name not in frame.columns]
    if missing:
        raise InputError(f"{where}: no {' or '.join(repr(m) for m in missing)} column")
    n = len(frame)
    out: dict[Any, Any] = {}
    for col in MENTION_COLUMNS:
        if col.name not in frame.columns:
            out[col.name] = [[] for _ in range(n)] if col.type == "list" else [None] * n
            continue
        values = frame[col.name].tolist()
        if col.type in _NORMALISE:
            fn = _NORMALISE[col.type]
            out[col.name] = [fn(v) for v in values]
        else:
            out[col.name] = [_date_cell(v, col, i, where) for i, v in enumerate(values)]
    for name in frame.columns:
        if name not in _BY_NAME and name != getattr(frame, "_geometry_column_name", None):
            out[name] = frame[name].tolist()
    return pd.DataFrame(
        {k: pd.Series(v, index=frame.index, dtype=object) for k, v in out.items()},
        index=frame.index,
    )


def _date_cell(value: Any, col: Column, row: int, where: str) -> dt.date | str | None:
    day = parse_date(value, f"{where}: column {col.name!r}, row {row}")
    if day is None:
        return None
    return day.isoformat() if col.type == "iso_date" else day


def mention_frame(rows: Iterable[Mapping[str, Any]]) -> Any:
    """A GeoDataFrame of mention rows: the columns of the rows, points from ``lon``/``lat``.

    Parameters
    ----------
    rows : iterable of mappings
        Mention rows (as :class:`frontmap.pipeline.ArticleResult` holds them).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per mention; a row without coordinates has an empty
        geometry. With no rows, the frame has the columns of
        :data:`MENTION_COLUMNS` and no rows.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    rows = list(rows)
    if not rows:
        frame = pd.DataFrame({c.name: pd.Series([], dtype=object) for c in MENTION_COLUMNS})
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    frame = pd.DataFrame(rows)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    points = np.full(len(frame), None, dtype=object)
    points[ok] = shapely.points(lon[ok], lat[ok])
    for name in ("date", "zones", "theatre", "control", "front_km", "faction", "control_note"):
        if name in frame.columns:  # keep None as None (pandas would infer NaN)
            values = [r.get(name) for r in rows]
            frame[name] = pd.Series(values, index=frame.index, dtype=object)
    order = [c.name for c in MENTION_COLUMNS if c.name in frame.columns]
    frame = frame[order + [c for c in frame.columns if c not in _BY_NAME]]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))


# --------------------------------------------------------------------------- events

#: Fields of one event in a ``frontmap geoparse`` record (``"events"``), in order.
#:
#: ==============  =======  ================================================================
#: field           type     meaning
#: ==============  =======  ================================================================
#: start, end      int      the clause that first reports the event (offsets in the article)
#: quote           str      that clause
#: event_type      str      ACLED event type (``Battles``, ``Explosions/Remote violence``...)
#: sub_event_type  str      ACLED sub-event type (``Air/drone strike``...)
#: actor1, actor2  str      actor ids of ``data/actors.json`` (None when not named)
#: actor1_side,    str      the side each takes in the event's theatre: an actor key of
#: actor2_side              ``theatres.json`` (for colours), or None
#: fatalities      int      reported deaths: the lowest number stated, 0 when the text says
#:                          none, None when it does not say
#: event_date      str      ``YYYY-MM-DD`` ("on Monday" resolved from the article's date)
#: time_precision  int      ACLED's: 1 the day, 2 the week, 3 the month or coarser
#: location        str      gazetteer name of the most specific place where it happened
#: latitude,       float    its point (None without a place)
#: longitude
#: country         str      its ISO 3166-1 alpha-2 code
#: geo_precision   int      ACLED's: 1 the place, 2 near or part of it, 3 a region
#: theatre         str      theatre id of the place (or of the article without one)
#: control         str      actor key of the area of control holding the place that day
#: toponyms        list     ``[start, end]`` of the toponyms where it happened, most
#:                          specific first (they are among the record's toponyms)
#: mentions        list     ``[start, end]`` of later clauses reporting the same event
#: ==============  =======  ================================================================
EVENT_FIELDS: tuple[str, ...] = (
    "start",
    "end",
    "quote",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor1_side",
    "actor2",
    "actor2_side",
    "fatalities",
    "event_date",
    "time_precision",
    "location",
    "latitude",
    "longitude",
    "country",
    "geo_precision",
    "theatre",
    "control",
    "toponyms",
    "mentions",
)
#: Columns of an event row (:func:`frontmap.pipeline.event_rows`): the article's columns,
#: the event's fields, and the actors' ACLED-style names. The stable schema of events as
#: a table (``frontmap events``, maps).
EVENT_COLUMNS: tuple[str, ...] = (
    "article_id",
    "article_title",
    "article_url",
    "article_date",
    *EVENT_FIELDS,
    "actor1_name",
    "actor2_name",
)
