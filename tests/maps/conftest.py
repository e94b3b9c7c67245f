"""Fixtures of the maps tests (data builders live in maps_testdata.py)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from maps_testdata import make_layers, make_places, make_theatre


@pytest.fixture
def theatre() -> Any:
    return make_theatre()


@pytest.fixture
def places() -> pd.DataFrame:
    return make_places()


@pytest.fixture
def layers_gdf() -> gpd.GeoDataFrame:
    return make_layers()
