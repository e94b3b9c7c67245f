"""frontmap.schema: the mention-row contract, checked once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from frontmap.errors import InputError
from frontmap.schema import (
    GEOPARSE_FIELDS,
    MENTION_COLUMNS,
    area_rows,
    check_mentions,
    column_names,
    mention_frame,
)


def test_columns_by_stage() -> None:
    assert column_names("layers") == (
        "theatre",
        "zones",
        "control",
        "front_km",
        "faction",
        "control_note",
    )
    assert set(GEOPARSE_FIELDS) <= set(column_names())
    assert [c.name for c in MENTION_COLUMNS if c.required] == ["lat", "lon"]


def test_check_gives_every_column_in_plain_values() -> None:
    frame = pd.DataFrame(
        {
            "lat": [35.9, "abc", np.nan],
            "lon": [36.6, 36.0, 36.0],
            "precision": [2.0, None, 1],
            "zones": [["a", None], "b", None],
            "article_date": ["2020-03-01T10:00", None, pd.Timestamp("2020-03-02")],
            "date": [dt.date(2020, 3, 1), None, "2020-03-02"],
            "mine": [1, 2, 3],
        },
        index=[10, 11, 12],
    )
    out = check_mentions(frame)
    assert list(out.columns) == [*column_names(), "mine"]
    assert all(str(t) == "object" for t in out.dtypes) and list(out.index) == [10, 11, 12]
    assert out["lat"].tolist() == [35.9, None, None]  # not a finite number: None
    assert out["precision"].tolist() == [2, None, 1]
    assert out["zones"].tolist() == [["a"], ["b"], []]
    assert out["article_date"].tolist() == ["2020-03-01", None, "2020-03-02"]
    assert out["date"].tolist() == [dt.date(2020, 3, 1), None, dt.date(2020, 3, 2)]
    assert out["name"].tolist() == [None] * 3  # absent columns are added


def test_check_refuses_what_it_cannot_read() -> None:
    with pytest.raises(InputError, match="places: no 'lon' column"):
        check_mentions(pd.DataFrame({"lat": [1.0]}))
    with pytest.raises(InputError, match="expected a DataFrame of mention rows, not list"):
        check_mentions([{"lat": 1, "lon": 2}])  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"column 'date', row 1: 2020-02-30 is not a real date"):
        check_mentions(pd.DataFrame({"lat": [1, 2], "lon": [1, 2], "date": [None, "2020-02-30"]}))
    assert len(check_mentions(pd.DataFrame({"x": []}))) == 0  # no rows: nothing to check
    assert len(check_mentions(None)) == 0


def test_mention_frame() -> None:
    rows = [
        {"lat": 35.9, "lon": 36.6, "name": "A", "zones": [], "theatre": None, "front_km": None},
        {
            "lat": None,
            "lon": None,
            "name": "B",
            "zones": ["z"],
            "theatre": "idlib",
            "front_km": 2.5,
        },
    ]
    frame = mention_frame(rows)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].x == 36.6 and frame.geometry.iloc[1] is None
    assert frame["theatre"].tolist() == [None, "idlib"]  # None stays None
    assert frame["front_km"].tolist() == [None, 2.5]
    empty = mention_frame([])
    assert len(empty) == 0 and set(column_names()) <= set(empty.columns)


def test_a_toponym_gives_the_geoparse_fields_in_order() -> None:
    from frontmap.geo import geoparse
    from frontmap.schema import TOPONYM_FIELDS

    (toponym,) = geoparse("Shelling hit Saraqib.")
    assert tuple(toponym.as_dict()) == TOPONYM_FIELDS


def test_area_rows() -> None:
    """Countries, regions (precision 3) and, without a precision, region kinds are areas."""
    places = pd.DataFrame({"kind": ["country", "region", "admin_region", "road", None]})
    assert list(area_rows(places)) == [True, True, True, False, False]
    assert list(area_rows(pd.DataFrame({"lat": [1.0]}))) == [False]
    with_precision = pd.DataFrame(
        {
            "kind": ["region", "region", "admin_region", "water", "country"],
            "precision": [3, 2, 3, 3, 1],
        }
    )
    assert list(area_rows(with_precision)) == [True, False, True, True, True]
