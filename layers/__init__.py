"""Zones, areas of control and front lines in time, and joins of places to them.

For analysts in a notebook::

    import pandas as pd
    from frontmap.layers import load_layers, layers_at, join, control_at, check

    frame = load_layers()                       # every shipped feature (GeoDataFrame, EPSG:4326)
    march = layers_at("2020-03-10", "idlib")    # what held in Idlib on that day
    winter = layers_between("2024-11-27", "2024-12-08", "idlib")  # every snapshot of a range
    places = pd.DataFrame({"lat": [35.8645], "lon": [36.8059]})
    join(places, date="2020-01-15")             # + theatre, zones, control, front_km, ...
    control_at(32.435, 13.633, "2020-03-01")    # 'lna'
    coverage()["libya"]["control"]              # first and last day of Libya's control areas
    check(["my_lines.geojson"])                 # [] when the file is clean
    mine = combine_layers(["my_lines.geojson"]) # yours with the shipped ones, checked

Validity dates are inclusive at both ends; ``date=None`` means the latest state
(features whose ``valid_to`` is null). See ``data/layers/README.md`` for the layer
files, their properties and how each was drawn.
"""

from .catalog import (
    check,
    combine_layers,
    coverage,
    coverage_note,
    layers_at,
    layers_between,
    load_layers,
)
from .spatial_join import control_at, join, metric_crs

__all__ = [
    "check",
    "combine_layers",
    "control_at",
    "coverage",
    "coverage_note",
    "join",
    "layers_at",
    "layers_between",
    "load_layers",
    "metric_crs",
]
