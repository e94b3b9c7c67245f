"""Direction words before a place: "northwest Syria", "southern Idlib".

A direction word and a place make one region span. Its point is, for a
country, a representative point of the part of the country the direction
names (computed once, when the gazetteer index is built, from the Natural
Earth polygon); for anything smaller, a point offset from the place towards
the direction, by a distance that grows with the kind of place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .distance import destination

__all__ = ["DIRECTIONS", "country_part", "direction_point", "split_direction"]

DIRECTIONS = {
    "north": "n", "northern": "n", "south": "s", "southern": "s", "east": "e",
    "eastern": "e", "west": "w", "western": "w", "northwest": "nw", "northwestern": "nw",
    "north-west": "nw", "north-western": "nw", "northeast": "ne", "northeastern": "ne",
    "north-east": "ne", "north-eastern": "ne", "southwest": "sw", "southwestern": "sw",
    "south-west": "sw", "south-western": "sw", "southeast": "se", "southeastern": "se",
    "south-east": "se", "south-eastern": "se", "central": "c", "greater": "c",
}  # fmt: skip
CODES = ("n", "ne", "e", "se", "s", "sw", "w", "nw")
_BEARING = {"n": 0, "ne": 45, "e": 90, "se": 135, "s": 180, "sw": 225, "w": 270, "nw": 315}
_OFFSET_KM = {"admin_region": 30.0, "region": 80.0, "populated_place": 8.0}


def split_direction(query: str) -> tuple[str | None, str]:
    """("nw", "Syria") for "northwest Syria"; (None, query) without a direction word."""
    head, _, rest = query.strip().partition(" ")
    code = DIRECTIONS.get(head.lower())
    if code is None or not rest.strip():
        return None, query
    return code, rest.strip()


def country_part(shape: Any, direction: str, places: Any = None) -> tuple[float, float] | None:
    """A representative point of the part of a country a direction names.

    The country's polygon is cut by the third of its bounding box that the
    direction names (the eastern third for "e", the north-west ninth for
    "nw"). The point is where the people of that part live: the
    population-weighted mean of ``places`` inside it ("eastern Libya" is
    Benghazi's coast, not the empty Sahara below it), moved onto the part if
    it falls outside; without places, the representative point of the part's
    largest piece.

    Parameters
    ----------
    shape : shapely geometry
        The country, in (lon, lat).
    direction : str
        A direction code (``"nw"``...).
    places : array of shape (n, 3), optional
        (lat, lon, population) of the country's populated places.

    Returns
    -------
    (lat, lon) or None
        None when the cut is empty.
    """
    import numpy as np
    import shapely
    from shapely.geometry import Point, box
    from shapely.ops import nearest_points

    minx, miny, maxx, maxy = shape.bounds
    w, h = (maxx - minx) / 3, (maxy - miny) / 3
    # "east": the eastern third (all of its height); "north-east": the ninth.
    cols = {"w": (0, 1), "e": (2, 3)}.get(direction[-1], (0, 3))
    rows = {"s": (0, 1), "n": (2, 3)}.get(direction[0], (0, 3))
    cell = box(minx + cols[0] * w, miny + rows[0] * h, minx + cols[1] * w, miny + rows[1] * h)
    part = shape.intersection(cell)
    if part.is_empty:
        return None
    if places is not None and len(places):
        lat, lon, pop = places[:, 0], places[:, 1], places[:, 2]
        # Coastal towns may sit just off a 1:10m coastline: 0.05° of slack.
        shapely.prepare(part)  # thousands of points against one polygon
        inside = shapely.dwithin(part, shapely.points(lon, lat), 0.05) & (pop > 0)
        if inside.any():
            weight = pop[inside]
            pt = Point(
                float(np.average(lon[inside], weights=weight)),
                float(np.average(lat[inside], weights=weight)),
            )
            if not part.contains(pt):
                pt = nearest_points(part, pt)[0]
            return round(pt.y, 5), round(pt.x, 5)
    if part.geom_type in ("MultiPolygon", "GeometryCollection"):
        part = max(part.geoms, key=lambda g: g.area)
    pt = part.representative_point()
    return round(pt.y, 5), round(pt.x, 5)


def direction_point(
    lat: float,
    lon: float,
    kind: str,
    country: str,
    direction: str,
    country_parts: Callable[[str, str], tuple[float, float] | None] | None = None,
) -> tuple[float, float]:
    """The point of "<direction> <place>".

    Parameters
    ----------
    lat, lon : float
        The place.
    kind, country : str
        Its kind and ISO country code.
    direction : str
        A code of :data:`DIRECTIONS` (``"nw"``, ``"c"``...).
    country_parts : callable, optional
        ``(iso2, direction) -> (lat, lon) or None`` for countries (the
        gazetteer's precomputed parts).
    """
    if direction == "c":
        return lat, lon
    if kind == "country" and country_parts is not None:
        pt = country_parts(country, direction)
        if pt is not None:
            return pt
    return destination(lat, lon, _BEARING[direction], _OFFSET_KM.get(kind, 30.0))
