"""Dates: the one reader of the dates frontmap meets (articles, layers, options, frames).

>>> parse_date("2020-03-01")
datetime.date(2020, 3, 1)
>>> parse_date("2020-03-01T18:30:00+03:00")
datetime.date(2020, 3, 1)
>>> parse_date("20200301")
datetime.date(2020, 3, 1)
>>> parse_date(None) is None
True
>>> parse_date("2020-03-01garbage")
Traceback (most recent call last):
...
frontmap.errors.InputError: date: '2020-03-01garbage' is not a date in the form YYYY-MM-DD
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .errors import InputError

__all__ = ["iso_date", "parse_date"]

#: Longest string read as a date (an ISO date-time with fractions and offset is ~35).
_MAX_CHARS = 64
_ISO = re.compile(r"(?P<day>(?P<y>\d{4})(-?)(?P<m>\d{2})\3(?P<d>\d{2}))(?:[T ](?P<time>\S+))?")


def parse_date(value: Any, where: str = "date") -> dt.date | None:
    """Read a date.

    Parameters
    ----------
    value : date, datetime, pandas.Timestamp, str or None
        A string is an ISO 8601 calendar date (``YYYY-MM-DD`` or ``YYYYMMDD``),
        or an ISO date-time whose day is taken (the day as written, whatever
        the offset). None, ``""``, NaN, NaT and pandas.NA give None.
    where : str
        What is being read (file and line, option, column), to begin the
        error message with.

    Returns
    -------
    datetime.date or None

    Raises
    ------
    frontmap.errors.InputError
        For anything else, including impossible dates such as 2020-02-30 and
        trailing text (``"2020-03-01garbage"``). It is a ``ValueError``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):  # pandas.Timestamp is one too
        return None if value != value else value.date()  # NaT != NaT
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, str):
        if _is_na(value):
            return None
        if type(value).__name__ == "datetime64":
            import pandas as pd

            return pd.Timestamp(value).date()
        raise InputError(f"{where}: {value!r} is not a date in the form YYYY-MM-DD")
    text = value.strip()
    m = _ISO.fullmatch(text) if len(text) <= _MAX_CHARS else None
    if m is None:
        shown = f"{text[:20]!r}..." if len(text) > 24 else repr(value)
        raise InputError(f"{where}: {shown} is not a date in the form YYYY-MM-DD")
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise InputError(f"{where}: {m['day']} is not a real date") from None
    if m["time"] is not None:
        try:
            dt.datetime.fromisoformat(f"{day.isoformat()}T{m['time']}")
        except ValueError:
            raise InputError(f"{where}: {value!r} is not a date in the form YYYY-MM-DD") from None
    return day


def iso_date(value: Any, where: str = "date") -> str | None:
    """:func:`parse_date` written as ``YYYY-MM-DD`` (None stays None)."""
    day = parse_date(value, where)
    return None if day is None else day.isoformat()


def _is_na(value: Any) -> bool:
    """True for pandas.NA and numpy/pandas missing scalars that are not floats."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return result is True or (type(result).__name__ == "bool_" and bool(result))
