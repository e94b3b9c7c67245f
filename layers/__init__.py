"""Zones, areas of control and front lines in time, and joins of places to them.

Public surface::

    from layers import load_layers, layers_at, join, control_at, check
    from layers import Theatre, theatres, theatre_of

See ``data/layers/README.md`` for the layer files and how each was drawn.
"""

from layers.catalog import check, layers_at, load_layers
from layers.join import control_at, join, metric_crs
from layers.theatres import Theatre, theatre_of, theatres

__all__ = [
    "Theatre",
    "check",
    "control_at",
    "join",
    "layers_at",
    "load_layers",
    "metric_crs",
    "theatre_of",
    "theatres",
]
