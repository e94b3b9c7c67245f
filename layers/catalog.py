"""Layer files: load, validate, and select features by theatre and date.

A layer file is a GeoJSON FeatureCollection in WGS84 (lon, lat). Each feature
carries the properties in :data:`REQUIRED`; see ``data/layers/README.md``.

Dates
-----
``valid_from`` and ``valid_to`` are both **inclusive**: a feature holds on day
``d`` when ``valid_from <= d`` and (``valid_to`` is null or ``d <= valid_to``).
A snapshot that is replaced on day ``D`` therefore ends on ``D - 1 day``.
``valid_to: null`` means "still valid" (the latest state).

Layers
------
A *layer* is a series of features that replace each other in time (the
snapshots of one actor's area of control, the successive front lines). Its key
is the optional ``layer`` property; without it, ``theatre/kind/actor/name``.
Features of one layer must not overlap in time.

Factions
--------
The optional ``faction`` property names a group within the feature's actor
(``hts`` or ``sna`` within ``opposition``, ``nk`` — the Nagorno-Karabakh
authorities — within ``armenia``): one of the keys ``theatres.json`` lists
under that actor's ``factions``. Joins report it beside the actor key, which
stays what it is.

Coverage
--------
:func:`coverage` gives, per theatre and kind, the first and last day some
feature holds; :func:`coverage_note` turns a day outside a theatre's areas of
control into the reason a join gives no control (``"no control data after
26 Nov 2024"``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from ..dates import parse_date
from ..errors import InputError, LayerError, printable
from ..files import MAX_JSON_BYTES, open_input, parse_json, read_limited
from ..theatres import actor as actor_facts
from ..theatres import all_theatres, theatre_by_id

__all__ = [
    "ACTORS",
    "COLUMNS",
    "GEOMETRY_TYPES",
    "KINDS",
    "REQUIRED",
    "check",
    "combine_layers",
    "control_spans",
    "coverage",
    "coverage_note",
    "layer_key",
    "layers_at",
    "layers_between",
    "load_layers",
    "note_for",
    "shipped_paths",
]

#: Kinds of feature, with the geometry types each allows.
GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {
    "zone": ("Polygon", "MultiPolygon"),
    "control": ("Polygon", "MultiPolygon"),
    "corridor": ("Polygon", "MultiPolygon"),
    "front_line": ("LineString", "MultiLineString"),
    "line": ("LineString", "MultiLineString"),
    "road": ("LineString", "MultiLineString"),
    "site": ("Point", "MultiPoint"),
}
KINDS: frozenset[str] = frozenset(GEOMETRY_TYPES)

#: Actor keys allowed for ``kind: control``, per theatre (other theatres: any string),
#: from ``theatres.json``.
ACTORS: dict[str, tuple[str, ...]] = {t.id: t.actors for t in all_theatres() if t.actors}

#: Required properties.
REQUIRED: tuple[str, ...] = (
    "id",
    "theatre",
    "kind",
    "name",
    "actor",
    "valid_from",
    "valid_to",
    "source",
    "precision_km",
)

#: Columns of the GeoDataFrame returned by :func:`load_layers` (``faction`` may be None).
COLUMNS: list[str] = [*REQUIRED, "layer", "faction", "geometry"]

_WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:4326",
    "epsg:4326",
    "crs84",
    "ogc:crs84",
    "wgs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "http://www.opengis.net/def/crs/epsg/0/4326",
}


def shipped_paths() -> list[Path]:
    """Return the layer files shipped in ``frontmap.data/layers``, sorted by name.

    Returns
    -------
    list of pathlib.Path
    """
    folder = files("frontmap.data") / "layers"
    return sorted(
        (Path(str(p)) for p in folder.iterdir() if p.name.endswith(".geojson")),
        key=lambda p: p.name,
    )


def layer_key(props: dict[str, Any]) -> str:
    """Return the key of the layer a feature belongs to.

    Parameters
    ----------
    props : dict
        The feature's properties.

    Returns
    -------
    str
        The ``layer`` property if set, else ``"theatre/kind/actor/name"``.
    """
    layer = props.get("layer")
    if isinstance(layer, str) and layer:
        return layer
    return "/".join(str(props.get(k)) for k in ("theatre", "kind", "actor", "name"))


def _display(path: Path, shipped: bool) -> str:
    return f"data/layers/{path.name}" if shipped else str(path)


def _read_json(path: Path, label: str) -> Any:
    """The JSON document of a layer file: at most :data:`frontmap.files.MAX_JSON_BYTES`."""
    try:
        fh, _ = open_input(path, "a layer file")
        with fh:
            data = read_limited(fh, path, MAX_JSON_BYTES, " (a layer file is read whole)")
    except InputError as exc:
        raise LayerError(str(exc).replace(str(path), label, 1)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LayerError(f"{label}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        return parse_json(text, label, lines=True)
    except InputError as exc:
        raise LayerError(str(exc)) from None


#: Nesting depth of the coordinates of each GeoJSON geometry type (1: a position).
_COORDINATE_DEPTH = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}


def _brief(value: Any, width: int = 60) -> str:
    """A short printable view of any JSON value, for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= width else text[: width - 1] + "…"


def _coordinates_problem(gj: Any) -> str | None:
    """What is wrong with the coordinates of a GeoJSON geometry, or None.

    Checked before shapely reads them: positions of two or three finite
    numbers (no NaN, no infinity), nested as the type says.
    """
    if not isinstance(gj, dict):
        return "geometry must be a GeoJSON object"
    kind = gj.get("type")
    if kind == "GeometryCollection":
        parts = gj.get("geometries")
        if not isinstance(parts, list):
            return "'geometries' must be a list"
        for part in parts:
            if isinstance(part, dict) and part.get("type") == "GeometryCollection":
                return "a GeometryCollection inside a GeometryCollection"
            problem = _coordinates_problem(part)
            if problem is not None:
                return problem
        return None
    if not isinstance(kind, str) or kind not in _COORDINATE_DEPTH:
        return f"unknown geometry type {_brief(kind)}"
    stack = [(gj.get("coordinates"), _COORDINATE_DEPTH[kind])]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, list):
            return f"{kind} coordinates must be nested lists of numbers"
        if depth > 1:
            stack.extend((v, depth - 1) for v in value)
            continue
        problem = _position_problem(value)
        if problem is not None:
            return problem
    return None


def _position_problem(position: list) -> str | None:
    """What is wrong with one GeoJSON position (a list), or None."""
    if not 2 <= len(position) <= 3:
        return "a position must have two or three numbers"
    for x in position:
        if isinstance(x, bool) or not isinstance(x, int | float):
            return "coordinates must be numbers"
        if isinstance(x, int) and abs(x) > 1_000_000:
            return "coordinates outside lon -180..180 / lat -90..90"
        if not math.isfinite(x):
            return "coordinates must be finite numbers (not NaN or infinity)"
    return None


def _crs_problem(doc: dict[str, Any]) -> str | None:
    crs = doc.get("crs")
    if crs is None:
        return None
    name = None
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict):
            name = props.get("name") or props.get("href") or props.get("code")
    elif isinstance(crs, str):
        name = crs
    if isinstance(name, int):
        name = f"EPSG:{name}"
    if isinstance(name, str) and name.strip().lower() in _WGS84_NAMES:
        return None
    shown = name[:60] if isinstance(name, str) else _brief(crs)
    return f"CRS {shown} is not WGS84 (EPSG:4326/CRS84)"


def _date_property(props: dict, name: str, problems: list[str], or_null: str) -> dt.date | None:
    """The ISO date of property ``name`` (absent or null: None); problems appended."""
    if name not in props or (or_null and props[name] is None):
        return None
    raw = props[name]
    if not isinstance(raw, str):
        problems.append(f"{name} must be an ISO date (YYYY-MM-DD){or_null}")
        return None
    try:
        return parse_date(raw, name)
    except InputError:
        problems.append(f"{name} {raw!r} is not an ISO date (YYYY-MM-DD)")
        return None


def _property_problems(props: dict[str, Any]) -> list[str]:
    """Problems of a feature's properties other than its dates."""
    problems = [f"missing property '{key}'" for key in REQUIRED if key not in props]
    for key in ("id", "theatre", "kind", "name", "source"):
        if key in props and not (isinstance(props[key], str) and props[key].strip()):
            problems.append(f"property '{key}' must be a non-empty string")
    actor = props.get("actor")
    if "actor" in props and actor is not None and not (isinstance(actor, str) and actor):
        problems.append("property 'actor' must be a string or null")
    kind = props.get("kind")
    if isinstance(kind, str) and kind not in KINDS:
        problems.append(f"kind '{kind}' is not one of {', '.join(sorted(KINDS))}")
    theatre = props.get("theatre")
    if isinstance(theatre, str) and theatre and theatre_by_id(theatre) is None:
        problems.append(f"unknown theatre '{theatre}'")
    if kind == "control":
        allowed = ACTORS.get(str(theatre))
        if actor is None:
            problems.append("a control feature needs an actor")
        elif allowed is not None and actor not in allowed:
            problems.append(
                f"actor '{actor}' is not one of {', '.join(allowed)} for theatre {theatre}"
            )
    problems += _faction_problems(props)
    if "precision_km" in props and not _positive(props["precision_km"]):
        problems.append("property 'precision_km' must be a positive number")
    return problems


def _positive(value: Any) -> bool:
    """A finite positive number (an int too big for a float is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value) and value > 0
    except OverflowError:
        return False


def _faction_problems(props: dict[str, Any]) -> list[str]:
    """Problems of the optional ``faction`` property (one of its actor's factions)."""
    faction = props.get("faction")
    if faction is None:
        return []
    if not (isinstance(faction, str) and faction.strip()):
        return ["property 'faction' must be a non-empty string or null"]
    actor = props.get("actor")
    if not isinstance(actor, str) or not actor:
        return ["a faction needs an actor"]
    facts = actor_facts(actor)
    if facts is None:
        return []  # a free actor key (sites, zones): its factions are free too
    if faction not in facts.factions:
        known = ", ".join(sorted(facts.factions)) or "none listed"
        return [f"faction '{faction}' is not one of actor {actor}'s factions ({known})"]
    return []


def _geometry_problems(gj: Any, kind: Any, theatre: Any) -> tuple[Any, list[str]]:
    """The feature's geometry (or None) and its problems."""
    if gj is None:
        return None, ["has no geometry"]
    problem = _coordinates_problem(gj)
    if problem is not None:
        return None, [problem]
    try:
        geom = shape(gj)
    except Exception as exc:  # noqa: BLE001 - any malformed geometry
        return None, [f"geometry cannot be read: {exc}"]
    if geom.is_empty:
        return geom, ["geometry is empty"]
    problems = []
    if isinstance(kind, str) and kind in KINDS and geom.geom_type not in GEOMETRY_TYPES[kind]:
        problems.append(
            f"geometry {geom.geom_type} not allowed for kind {kind} "
            f"(expected {' or '.join(GEOMETRY_TYPES[kind])})"
        )
    if not shapely.is_valid(geom):
        problems.append(f"invalid geometry: {shapely.is_valid_reason(geom)}")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        problems.append("coordinates outside lon -180..180 / lat -90..90")
        return geom, problems
    t = theatre_by_id(theatre) if isinstance(theatre, str) else None
    if t is not None:
        (s, w), (n, e) = t.bounds
        margin = 10.0
        if maxx < w - margin or minx > e + margin or maxy < s - margin or miny > n + margin:
            problems.append(
                f"geometry lies far outside theatre {theatre} "
                "(coordinates in lat, lon order instead of lon, lat?)"
            )
    return geom, problems


def _feature_problems(feat: Any, index: int) -> tuple[str, list[str], dict[str, Any] | None]:
    """Check one feature. Return (label, problems, parsed record or None)."""
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        return f"feature #{index}", ["not a GeoJSON Feature"], None
    props = feat.get("properties")
    if not isinstance(props, dict):
        return f"feature #{index}", ["has no properties object"], None
    fid = props.get("id", feat.get("id"))
    label = f"feature {fid}" if isinstance(fid, str) and fid else f"feature #{index}"
    problems = _property_problems(props)
    valid_from = _date_property(props, "valid_from", problems, "")
    valid_to = _date_property(props, "valid_to", problems, " or null")
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(f"valid_to {valid_to} is before valid_from {valid_from}")
    geom, geom_problems = _geometry_problems(
        feat.get("geometry"), props.get("kind"), props.get("theatre")
    )
    problems += geom_problems
    if problems:
        return label, problems, None
    record = {k: props[k] for k in REQUIRED}
    record["valid_from"] = valid_from
    record["valid_to"] = valid_to
    record["precision_km"] = float(props["precision_km"])
    record["layer"] = layer_key(props)
    record["faction"] = props.get("faction")
    record["geometry"] = geom
    return label, problems, record


def _read_file(path: Path, label: str) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    """Read one file. Return (file problems, records, per-feature problem lines)."""
    doc = _read_json(path, label)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return ["not a GeoJSON FeatureCollection"], [], []
    file_problems = []
    crs = _crs_problem(doc)
    if crs:
        file_problems.append(crs)
    feats = doc.get("features")
    if not isinstance(feats, list):
        return [*file_problems, "'features' is not a list"], [], []
    records: list[dict[str, Any]] = []
    lines: list[str] = []
    for i, feat in enumerate(feats):
        flabel, problems, record = _feature_problems(feat, i)
        lines.extend(f"{label}: {flabel}: {p}" for p in problems)
        if record is not None:
            records.append(record)
    return file_problems, records, lines


def _frame(records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    if not records:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in COLUMNS if c != "geometry"},
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
            crs="EPSG:4326",
        )
    data = {c: [r[c] for r in records] for c in COLUMNS if c != "geometry"}
    frame = pd.DataFrame(data, dtype=object)
    frame["precision_km"] = frame["precision_km"].astype(float)
    return gpd.GeoDataFrame(frame, geometry=[r["geometry"] for r in records], crs="EPSG:4326")


def _as_paths(paths: str | PathLike[str] | Iterable[str | PathLike[str]]) -> list[Path]:
    if isinstance(paths, str | PathLike):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _load(paths: Sequence[Path], shipped: bool) -> gpd.GeoDataFrame:
    records: list[dict[str, Any]] = []
    for path in paths:
        label = _display(path, shipped)
        file_problems, recs, lines = _read_file(path, label)
        if file_problems:
            raise LayerError(f"{label}: {file_problems[0]}")
        if lines:
            more = f" (and {len(lines) - 1} more problems)" if len(lines) > 1 else ""
            raise LayerError(lines[0] + more)
        records.extend(recs)
    seen: dict[str, int] = {}
    for r in records:
        seen[r["id"]] = seen.get(r["id"], 0) + 1
    dups = sorted(k for k, n in seen.items() if n > 1)
    if dups:
        raise LayerError(f"duplicate feature id {dups[0]} in {', '.join(str(p) for p in paths)}")
    return _frame(records)


#: Bump when the frame :func:`_load` makes changes shape (columns, types).
_CACHE_VERSION = 1


def _shipped_key(paths: Sequence[Path]) -> str:
    """What the shipped frame depends on: the files (name, size, time) and this code."""
    import hashlib

    digest = hashlib.sha1(f"{_CACHE_VERSION}|{COLUMNS}".encode())
    for path in paths:
        stat = path.stat()
        digest.update(f"|{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _shipped() -> gpd.GeoDataFrame:
    """The shipped layers, checked and built once, then kept in frontmap's cache folder.

    Checking and building the frame from GeoJSON takes ~0.5 s (shapely objects
    for every ring); the cached frame loads in a few milliseconds. The cache is
    keyed by the files' names, sizes and times, so edited layers are read again.
    """
    import pickle

    from ..files import cache_dir, paused_gc, write_bytes

    paths = shipped_paths()
    path = cache_dir() / f"layers-{_shipped_key(paths)}.pickle"
    try:
        with path.open("rb") as fh, paused_gc():
            frame = pickle.load(fh)  # noqa: S301 - our own cache file, written below
        if isinstance(frame, gpd.GeoDataFrame) and list(frame.columns) == list(COLUMNS):
            return freeze(frame)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass  # no cache yet, or one this version cannot read: build it
    frame = _load(paths, shipped=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a cache only: a read-only home still gets its layers
    return freeze(frame)


def _frame_or_shipped(layers: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """``layers``, or the shipped frame itself (not a copy: callers only read it)."""
    return _shipped() if layers is None else layers


def load_layers(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]] | None = None,
) -> gpd.GeoDataFrame:
    """Load layer files into one GeoDataFrame.

    Parameters
    ----------
    paths : path or iterable of paths, optional
        GeoJSON files to read; by default the files shipped in ``data/layers/``
        (read once per process, then cached).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per feature, columns ``id, theatre, kind, name, actor,
        valid_from, valid_to, source, precision_km, layer, geometry``; ``valid_from``
        is a :class:`datetime.date`, ``valid_to`` a date or None.

    Raises
    ------
    frontmap.errors.LayerError
        When a file cannot be read or a feature lacks what a join needs
        (one line naming the file).
    """
    if paths is None:
        return _shipped().copy()
    return _load(_as_paths(paths), shipped=False)


def layers_at(
    date: Any = None,
    theatre: str | None = None,
    layers: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Select the features valid on a date.

    Parameters
    ----------
    date : date, datetime, ISO string or None
        The day. Both ends of a feature's validity are inclusive
        (``valid_from <= date <= valid_to``, ``valid_to`` null = open).
        None selects the latest state: features whose ``valid_to`` is null.
    theatre : str, optional
        Keep only this theatre's features.
    layers : GeoDataFrame, optional
        Features to select from (default: :func:`load_layers`).

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame (yours to change).
    """
    frame = _frame_or_shipped(layers)
    return frame.iloc[selected_rows(frame, parse_date(date), theatre)]


#: Frames whose selections are remembered: id -> (the frame, its day ordinals, memo).
#: Only frames that nobody changes in place are registered: the shipped layers and
#: those :func:`combine_layers` returns (see :func:`freeze`).
_FROZEN: dict[int, tuple[gpd.GeoDataFrame, Any, dict[Any, Any]]] = {}
_FROZEN_MAX = 8


def freeze(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Remember selections of ``frame`` from now on (it must not change in place)."""
    if id(frame) not in _FROZEN:
        while len(_FROZEN) >= _FROZEN_MAX:
            del _FROZEN[next(iter(_FROZEN))]
        _FROZEN[id(frame)] = (frame, _ordinals(frame), {})
    return frame


def memo_of(frame: gpd.GeoDataFrame) -> dict[Any, Any] | None:
    """The memo of a frozen frame (a dict to keep what is derived from it), or None."""
    entry = _FROZEN.get(id(frame))
    return entry[2] if entry is not None and entry[0] is frame else None


def _ordinals(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per feature: first and last valid day as ordinals (open end: a huge number), theatre."""
    vf = np.fromiter((d.toordinal() for d in frame["valid_from"]), dtype=np.int64, count=len(frame))
    vt = np.fromiter(
        (
            np.iinfo(np.int64).max if d is None or pd.isna(d) else d.toordinal()
            for d in frame["valid_to"]
        ),
        dtype=np.int64,
        count=len(frame),
    )
    return vf, vt, frame["theatre"].to_numpy(dtype=object)


def selected_rows(frame: gpd.GeoDataFrame, day: dt.date | None, theatre: str | None) -> np.ndarray:
    """Positions of the features of ``frame`` valid on ``day`` (None: the latest state)
    in ``theatre`` (None: all); remembered for frozen frames."""
    entry = _FROZEN.get(id(frame))
    frozen = entry is not None and entry[0] is frame
    if frozen:
        assert entry is not None
        found = entry[2].get(("rows", day, theatre))
        if found is not None:
            return found
        vf, vt, th = entry[1]
    else:
        vf, vt, th = _ordinals(frame)
    if day is None:
        mask = vt == np.iinfo(np.int64).max
    else:
        o = day.toordinal()
        mask = (vf <= o) & (o <= vt)
    if theatre is not None:
        mask &= th == theatre
    rows = np.flatnonzero(mask)
    rows.setflags(write=False)
    if frozen:
        assert entry is not None
        entry[2][("rows", day, theatre)] = rows
    return rows


def check(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]] | None = None,
) -> list[str]:
    """Validate layer files.

    Checks that each file parses as JSON and is a FeatureCollection in WGS84; that
    every feature has the required properties with the right types, a known kind
    and theatre (and, for control, one of the theatre's actor keys), a valid
    geometry of a type its kind allows, ISO dates with ``valid_from <= valid_to``;
    that ids are unique; and that the features of one layer (see
    :func:`layer_key`) do not overlap in time.

    Parameters
    ----------
    paths : path or iterable of paths, optional
        Files to check (default: the shipped files).

    Returns
    -------
    list of str
        One line per problem, ``"FILE: feature ID: problem"`` (or ``"FILE: problem"``);
        an empty list when everything is clean.
    """
    shipped = paths is None
    plist = shipped_paths() if shipped else _as_paths(paths)  # type: ignore[arg-type]
    out: list[str] = []
    all_records: list[tuple[str, dict[str, Any]]] = []
    ids: dict[str, str] = {}
    for path in plist:
        label = _display(path, shipped)
        try:
            file_problems, records, lines = _read_file(path, label)
        except LayerError as exc:
            out.append(str(exc))
            continue
        out.extend(f"{label}: {p}" for p in file_problems)
        out.extend(lines)
        for r in records:
            if r["id"] in ids:
                out.append(f"{label}: feature {r['id']}: duplicate id (also in {ids[r['id']]})")
            else:
                ids[r["id"]] = label
            all_records.append((label, r))
    by_layer: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for label, r in all_records:
        by_layer.setdefault(r["layer"], []).append((label, r))
    far = dt.date.max
    for key, items in by_layer.items():
        items.sort(key=lambda x: (x[1]["valid_from"], x[1]["id"]))
        latest: dict[str, Any] | None = None  # the earlier feature that ends last
        for label_b, b in items:
            if latest is not None and b["valid_from"] <= (latest["valid_to"] or far):
                out.append(
                    f"{label_b}: feature {b['id']}: overlaps {latest['id']} in time in layer "
                    f"{key} ({b['valid_from']} <= {latest['valid_to'] or 'open end'})"
                )
            if latest is None or (b["valid_to"] or far) > (latest["valid_to"] or far):
                latest = b
    return [printable(line) for line in out]  # one line each, whatever the files hold


def layers_between(
    start: Any,
    end: Any,
    theatre: str | None = None,
    layers: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Select every feature valid on some day of a range.

    A map spanning several dates carries these: the snapshots in force at the
    range's start and every one that begins within it.

    Parameters
    ----------
    start, end : date, datetime or ISO string
        The first and last day of the range, both inclusive (``start <= end``).
    theatre : str, optional
        Keep only this theatre's features.
    layers : GeoDataFrame, optional
        Features to select from (default: :func:`load_layers`).

    Returns
    -------
    geopandas.GeoDataFrame
        In the order of ``layers``; a feature with ``valid_from <= end`` and
        (``valid_to`` null or ``valid_to >= start``).

    Raises
    ------
    frontmap.errors.InputError
        When a day is missing or unreadable, or ``end`` is before ``start``.

    Examples
    --------
    >>> picked = layers_between("2020-02-20", "2020-03-03", "idlib")
    >>> sorted(set(picked.query("kind == 'front_line'")["valid_from"].astype(str)))
    ['2020-02-16', '2020-02-25', '2020-02-27', '2020-03-02']
    """
    first = parse_date(start, "start")
    last = parse_date(end, "end")
    if first is None or last is None:
        raise InputError("layers_between needs a start and an end day")
    if last < first:
        raise InputError(f"end {last} is before start {first}")
    frame = _frame_or_shipped(layers)
    starts = frame["valid_from"].map(lambda d: d <= last)
    ends = frame["valid_to"].map(lambda d: d is None or pd.isna(d) or d >= first)
    mask = starts.astype(bool) & ends.astype(bool)
    if theatre is not None:
        mask = mask & (frame["theatre"] == theatre)
    return frame[mask.to_numpy(dtype=bool)]


Span = tuple[dt.date, dt.date | None]


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Day ranges (inclusive; None: open end) merged where they touch or overlap."""
    out: list[list[Any]] = []
    for a, b in sorted(spans, key=lambda s: s[0]):
        if out and (out[-1][1] is None or a <= out[-1][1] + dt.timedelta(days=1)):
            if out[-1][1] is not None and (b is None or b > out[-1][1]):
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def control_spans(layers: gpd.GeoDataFrame | None = None) -> dict[str, list[Span]]:
    """The days each theatre has areas of control, as merged ranges.

    Parameters
    ----------
    layers : GeoDataFrame, optional
        Default: :func:`load_layers`.

    Returns
    -------
    dict
        Theatre id to a sorted list of ``(first, last)`` days (both inclusive;
        ``last`` None: still valid). A theatre without areas of control is absent.
    """
    frame = _frame_or_shipped(layers)
    ctl = frame[(frame["kind"] == "control").to_numpy(dtype=bool)]
    out: dict[str, list[Span]] = {}
    for theatre, vf, vt in zip(ctl["theatre"], ctl["valid_from"], ctl["valid_to"], strict=True):
        end = None if vt is None or pd.isna(vt) else vt
        out.setdefault(str(theatre), []).append((vf, end))
    return {t: _merged(spans) for t, spans in sorted(out.items())}


def coverage(layers: gpd.GeoDataFrame | None = None) -> dict[str, dict[str, Span]]:
    """The first and last day covered, per theatre and kind of feature.

    Parameters
    ----------
    layers : GeoDataFrame, optional
        Default: :func:`load_layers` (the shipped layers).

    Returns
    -------
    dict
        ``{theatre: {kind: (first, last)}}`` with :class:`datetime.date` values;
        ``last`` is None when some feature of that kind is still valid. Reference
        features (roads since 1980) count like the others.

    Examples
    --------
    >>> coverage()["idlib"]["control"][0]
    datetime.date(2018, 9, 17)
    """
    frame = _frame_or_shipped(layers)
    out: dict[str, dict[str, Span]] = {}
    for (theatre, kind), rows in frame.groupby(["theatre", "kind"], sort=True):
        ends = [None if v is None or pd.isna(v) else v for v in rows["valid_to"]]
        last = None if any(e is None for e in ends) else max(ends)  # type: ignore[type-var]
        out.setdefault(str(theatre), {})[str(kind)] = (min(rows["valid_from"]), last)
    return out


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def note_for(theatre: str, day: dt.date | None, spans: dict[str, list[Span]]) -> str | None:
    """The reason a theatre has no control on a day, from :func:`control_spans`; else None."""
    mine = spans.get(theatre)
    if not mine:
        t = theatre_by_id(theatre)
        return f"no control data for {t.title if t else theatre}"
    if day is None:
        last = mine[-1][1]
        return None if last is None else f"no control data after {_day(last)} (the latest state)"
    if day < mine[0][0]:
        return f"no control data before {_day(mine[0][0])}"
    for (_, end), (nxt, _) in zip(mine[:-1], mine[1:], strict=True):
        if end is not None and end < day < nxt:
            return f"no control data between {_day(end)} and {_day(nxt)}"
    last = mine[-1][1]
    if last is not None and day > last:
        return f"no control data after {_day(last)}"
    return None


def coverage_note(
    theatre: str, date: Any = None, layers: gpd.GeoDataFrame | None = None
) -> str | None:
    """Why a theatre has no areas of control on a day, or None when it has some.

    Parameters
    ----------
    theatre : str
        Theatre id.
    date : date, datetime, ISO string or None
        The day; None means the latest state.
    layers : GeoDataFrame, optional
        Default: :func:`load_layers`.

    Returns
    -------
    str or None
        ``"no control data after 26 Nov 2024"``, ``"no control data before 17 Sep
        2018"``, ``"no control data between ... and ..."`` or ``"no control data for
        <theatre title>"``.

    Examples
    --------
    >>> coverage_note("libya", "2018-01-01")
    'no control data before 4 Apr 2019'
    >>> coverage_note("libya", "2025-06-01") is None
    True
    """
    return note_for(theatre, parse_date(date), control_spans(layers))


def combine_layers(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]], *, only: bool = False
) -> gpd.GeoDataFrame:
    """Your layer files, checked, with the shipped layers (or instead of them).

    Parameters
    ----------
    paths : path or iterable of paths
        GeoJSON files in the form of ``data/layers/*.geojson`` (see :func:`check`).
    only : bool
        Use these files instead of the shipped layers.

    Returns
    -------
    geopandas.GeoDataFrame
        Your features first, then the shipped ones: where your areas of control
        overlap the shipped ones on a day, yours give the control of a point.

    Raises
    ------
    frontmap.errors.LayerError
        When a file fails :func:`check` (the first problem, and how many more), or
        a feature's id is also a shipped feature's id.
    """
    plist = _as_paths(paths)
    problems = check(plist)
    if problems:
        n = len(problems) - 1
        more = f" (and {n} more problem{'s' if n > 1 else ''})" if n else ""
        raise LayerError(problems[0] + more)
    mine = _load(plist, shipped=False)
    if only:
        return mine
    shipped = _shipped()
    clash = sorted(set(mine["id"]) & set(shipped["id"]))
    if clash:
        raise LayerError(
            f"feature id {clash[0]} is also the id of a shipped feature; give yours another id "
            "(or use them instead of the shipped layers)"
        )
    frame = pd.concat([mine, shipped], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
