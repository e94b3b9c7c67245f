"""frontmap.dates: one reader for the dates of articles, layers, options and frames."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from frontmap.dates import iso_date, parse_date
from frontmap.errors import InputError

DAY = dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    "value",
    [
        "2020-02-29",
        " 2020-02-29 ",
        "20200229",  # ISO 8601 basic format
        "2020-02-29T23:59:00+03:00",  # the day as written, whatever the offset
        "2020-02-29 23:59",
        "2020-02-29T23:59:59.123Z",
        dt.date(2020, 2, 29),
        dt.datetime(2020, 2, 29, 12, 0),
        pd.Timestamp("2020-02-29 08:00"),
        np.datetime64("2020-02-29"),
    ],
)
def test_accepts(value) -> None:
    assert parse_date(value) == DAY


@pytest.mark.parametrize(
    "value", [None, "", "  ", float("nan"), pd.NaT, pd.NA, np.datetime64("NaT")]
)
def test_missing_is_none(value) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-02-30", "date: 2020-02-30 is not a real date"),
        ("2019-02-29", "date: 2019-02-29 is not a real date"),
        ("2020-13-01", "date: 2020-13-01 is not a real date"),
        ("2020-03-01garbage", "date: '2020-03-01garbage' is not a date in the form YYYY-MM-DD"),
        ("2020-03-01Tjunk", "is not a date in the form YYYY-MM-DD"),
        ("29.02.2020", "is not a date in the form YYYY-MM-DD"),
        ("Feb 29", "is not a date in the form YYYY-MM-DD"),
        ("2020-3-1", "is not a date in the form YYYY-MM-DD"),
        ("2020-W09-6", "is not a date in the form YYYY-MM-DD"),  # ISO week dates: no
        (5, "date: 5 is not a date in the form YYYY-MM-DD"),
        ("9" * 5000, "is not a date in the form YYYY-MM-DD"),
    ],
)
def test_refuses_with_one_message(value, message) -> None:
    with pytest.raises(InputError, match=message[:20].replace("(", r"\(")) as info:
        parse_date(value)
    assert message in str(info.value)
    assert len(str(info.value)) < 120 and "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)  # callers that know no frontmap catch it


def test_where_begins_the_message() -> None:
    with pytest.raises(InputError, match=r"^a.jsonl:3: date: 2020-02-30 is not a real date$"):
        parse_date("2020-02-30", "a.jsonl:3: date")


def test_iso_date() -> None:
    assert iso_date(pd.Timestamp("2020-02-29")) == "2020-02-29"
    assert iso_date(None) is None
