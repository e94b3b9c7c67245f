"""Who's On First places → ``data/gazetteer/wof-places.tsv.gz``.

The Who's On First per-country repositories
(``whosonfirst-data/whosonfirst-data-admin-<cc>``) hold one GeoJSON file per
place: localities down to villages, neighbourhoods, counties and regions, most
of them GeoNames features with their GeoNames id and their names in many
languages and scripts. No package registry carries village-level places of
Syria, Libya, Azerbaijan or Armenia; these repositories do. This module turns
snapshots of them into one compact, committed file that
:func:`frontmap.geo.index.build_index` indexes, so the runtime stays offline.

Run it from the repository's root on snapshots brought with git::

    python -m frontmap.geo.sources.wof \\
        WOF/whosonfirst-data-admin-sy WOF/whosonfirst-data-admin-ly ... \\
        --near WOF/whosonfirst-data-admin-tr --near WOF/whosonfirst-data-admin-ir ...

Each PATH is a repository (a bare git directory, a clone, or a folder with the
``data/`` tree of GeoJSON files); a git repository is read at its ``HEAD``
commit without a work tree. Repositories given with ``--near`` keep only the
places inside a theatre's bounds widened by ``--margin`` degrees (the
neighbours' border towns, not their whole country). The output file and its
provenance page (``wof-places.md``, naming each repository, commit, licence
and the row counts) are written side by side.

Kept per place: the Who's On First id, the name (English where given), the
point (label point, else the geometry's centroid), the kind (from the
placetype and the GeoNames feature code), the country, the admin area and
the second-level area (from the hierarchy), the population, the GeoNames and
Wikidata ids, and the alternate names of :data:`NAME_LANGUAGES` in every
script, each tagged with its language (``ara:سراقب``, ``aze:Xocavənd``,
``hye:Մարտակերտ``), from which :mod:`frontmap.geo.translit` derives the
forms the English-language press writes. Places that are not current,
deprecated or superseded are left out.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ...errors import FrontmapError, GazetteerError, InputError
from ...files import write_bytes, write_text

__all__ = [
    "COLUMNS",
    "NAME_LANGUAGES",
    "WofPlace",
    "convert",
    "default_file",
    "main",
    "read_places",
    "read_repository",
    "write_places",
]

#: Columns of the committed file, in order.
COLUMNS = (
    "wof_id",
    "name",
    "lat",
    "lon",
    "kind",
    "placetype",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "population",
    "geonames_id",
    "wikidata_id",
    "names",
)

#: Languages whose names are kept (ISO 639-3, as Who's On First tags them):
#: the undetermined GeoNames alternates and English; the languages of the
#: theatres and their neighbours, whose forms the press transliterates
#: (Arabic and its dialects, Azerbaijani in Latin and Arabic script,
#: Armenian, Persian, Turkish, Kurdish, Georgian, Russian and Ukrainian); and
#: French, German, Italian and Spanish, whose older transliterations still
#: reach the news (Tarhouna, Zaouia).
NAME_LANGUAGES = frozenset(
    """und eng ara arz apc ajp acm ary aze azb hye hyw fas tur kur ckb kmr kat rus ukr
    fra deu ita spa""".split()
)
#: Name qualifiers kept (``name:ara_x_preferred``...): historical names too,
#: since villages of the Caucasus changed names more than once.
_QUALIFIERS = frozenset({"preferred", "variant", "colloquial", "historical", "unknown"})

#: Who's On First placetype → gazetteer kind; other placetypes are left out.
PLACETYPE_KIND = {
    "locality": "populated_place",
    "localadmin": "populated_place",  # a community: a village and its lands
    "county": "admin_region",
    "region": "admin_region",
    "macroregion": "admin_region",
    "neighbourhood": "district",
    "macrohood": "district",
    "microhood": "district",
    "borough": "district",
    "campus": "facility",
}
_SITE_CODES = {
    "AIRP": "airport",
    "AIRF": "airport",
    "AIRB": "military_site",
    "MILB": "military_site",
    "PPLX": "district",
}

_LICENCE = (
    "Who's On First's own data is CC0 (public domain dedication); the GeoNames "
    "features it carries (their names, points and ids) are CC BY 4.0."
)
ATTRIBUTION = "Places: GeoNames (CC BY 4.0) and Who's On First (CC0)"


@dataclass(frozen=True)
class WofPlace:
    """One place of the committed file (see :data:`COLUMNS`)."""

    wof_id: int
    name: str
    lat: float
    lon: float
    kind: str
    placetype: str
    country: str
    admin1: str
    admin1_code: str  # GeoNames admin1 code ("SY.10"), or ""
    admin2: str
    population: int
    geonames_id: int | None
    wikidata_id: str
    names: tuple[tuple[str, str], ...]  # (language, name), main name excluded

    def row(self) -> list[str]:
        """The place as a row of strings in :data:`COLUMNS` order."""
        return [
            str(self.wof_id),
            self.name,
            f"{self.lat:.5f}",
            f"{self.lon:.5f}",
            self.kind,
            self.placetype,
            self.country,
            self.admin1,
            self.admin1_code,
            self.admin2,
            str(self.population),
            "" if self.geonames_id is None else str(self.geonames_id),
            self.wikidata_id,
            "|".join(f"{lang}:{name}" for lang, name in self.names),
        ]


# ---------------------------------------------------------------------------
# reading a repository


@dataclass(frozen=True)
class Repository:
    """A Who's On First repository snapshot: its features and where they came from."""

    path: Path
    name: str  # whosonfirst-data-admin-sy
    commit: str  # 40 hex digits, or "" for a folder that is no git repository
    date: str  # the commit's date (ISO 8601), or ""
    features: list[dict]


def _git(path: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(path), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise InputError(f"{path}: git {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _git_dir(path: Path) -> Path | None:
    """The git directory of ``path`` (bare or a clone's ``.git``), or None."""
    if (path / ".git").is_dir():
        return path / ".git"
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        return path
    return None


def _git_features(git_dir: Path) -> Iterator[tuple[str, bytes]]:
    """(path, content) of every ``.geojson`` file at ``HEAD``, read with one
    ``git cat-file --batch`` process (no work tree needed)."""
    listing = _git(git_dir, "ls-tree", "-r", "HEAD")
    blobs = []
    for line in listing.splitlines():
        meta, _, name = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and name.endswith(".geojson"):
            blobs.append((parts[2], name))
    proc = subprocess.Popen(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    request = "".join(f"{sha}\n" for sha, _ in blobs).encode()

    def feed() -> None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(request)
        finally:
            proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _sha, name in blobs:
            header = proc.stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                continue  # a file the snapshot lacks (Git LFS, or too large)
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)
            yield name, data
    finally:
        writer.join()
        proc.stdout.close()
        proc.wait()


def _folder_features(path: Path) -> Iterator[tuple[str, bytes]]:
    for f in sorted(path.rglob("*.geojson")):
        yield f.relative_to(path).as_posix(), f.read_bytes()


def read_repository(path: str | Path) -> Repository:
    """Read the features of a Who's On First repository snapshot.

    Parameters
    ----------
    path : str or Path
        A bare git directory, a clone, or a folder holding the ``data/`` tree.
        Git repositories are read at ``HEAD`` (``git`` must be on PATH).

    Returns
    -------
    Repository
        Its features (alternate geometries left out), name, commit and date.

    Raises
    ------
    InputError
        When the path is missing or a feature is not JSON.
    """
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"{path}: not a folder")
    git_dir = _git_dir(path)
    if git_dir is not None:
        commit, date = _git(git_dir, "log", "-1", "--format=%H %cI", "HEAD").split()
        items: Iterable[tuple[str, bytes]] = _git_features(git_dir)
    else:
        commit = date = ""
        items = _folder_features(path)
    features = []
    for name, data in items:
        if "-alt-" in name.rsplit("/", 1)[-1]:
            continue  # an alternate geometry of a place already read
        try:
            features.append(json.loads(data))
        except ValueError as exc:
            raise InputError(f"{path}: {name}: not JSON ({exc})") from None
    repo = path.name if path.name not in ("repo", ".git") else path.parent.name
    repo = repo.split("+")[-1].removesuffix(".git")
    return Repository(path, repo, commit, date, features)


# ---------------------------------------------------------------------------
# one feature → one place


def _current(props: dict) -> bool:
    """False for places Who's On First marks as gone, deprecated or superseded."""
    if props.get("mz:is_current") == 0 or props.get("wof:superseded_by"):
        return False
    deprecated = props.get("edtf:deprecated")
    return not deprecated or deprecated in ("uuuu", "")


def _names(props: dict) -> list[tuple[str, str]]:
    """The (language, name) pairs of :data:`NAME_LANGUAGES`, preferred first."""
    out: list[tuple[str, str, int]] = []
    for key, values in props.items():
        if not key.startswith("name:") or not isinstance(values, list):
            continue
        lang, _, qualifier = key[5:].partition("_x_")
        if lang not in NAME_LANGUAGES or qualifier not in _QUALIFIERS:
            continue
        rank = 0 if qualifier == "preferred" else 1
        out.extend((lang, str(v).strip(), rank) for v in values if str(v).strip())
    for key in ("gn:name", "gn:asciiname"):
        if props.get(key):
            out.append(("und", str(props[key]).strip(), 2))
    out.sort(key=lambda x: (x[2], x[0], x[1]))
    seen: set[tuple[str, str]] = set()
    pairs = []
    for lang, name, _ in out:
        if "|" in name or "\t" in name or "\n" in name:
            continue
        if (lang, name) not in seen:
            seen.add((lang, name))
            pairs.append((lang, name))
    return pairs


def _display_name(props: dict) -> str:
    eng = props.get("name:eng_x_preferred")
    if isinstance(eng, list) and eng and str(eng[0]).strip():
        return str(eng[0]).strip()
    return str(props.get("wof:name") or "").strip()


def _kind(props: dict) -> str | None:
    kind = PLACETYPE_KIND.get(str(props.get("wof:placetype")))
    code = str(props.get("gn:feature_code") or "")
    if kind in ("populated_place", "facility") and code in _SITE_CODES:
        return _SITE_CODES[code]
    return kind


def _point(props: dict) -> tuple[float, float] | None:
    for lat_key, lon_key in (
        ("lbl:latitude", "lbl:longitude"),
        ("geom:latitude", "geom:longitude"),
    ):
        lat, lon = props.get(lat_key), props.get(lon_key)
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0):
                return float(lat), float(lon)
    return None


def _concordance(props: dict, *keys: str) -> str:
    conc = props.get("wof:concordances") or {}
    for key in keys:
        value = conc.get(key) if isinstance(conc, dict) else None
        if value not in (None, "", 0, -1):
            return str(value)
    return ""


def _admin(props: dict, areas: dict[int, str]) -> tuple[str, str]:
    """The names of the region and county holding a place (first hierarchy that has them)."""
    for h in props.get("wof:hierarchy") or []:
        region = areas.get(h.get("region_id") or -1, "")
        county = areas.get(h.get("county_id") or -1, "")
        if region or county:
            return region, county
    return "", ""


def _admin1_code(value: object) -> str:
    """A GeoNames admin1 code as GeoNames writes it ("09"; Who's On First has
    "9.0" for some countries); "" when unknown ("00")."""
    code = str(value or "").strip()
    try:
        number = float(code)
    except ValueError:
        return code
    if number != int(number) or int(number) == 0:
        return ""
    return f"{int(number):02d}"


def _place(props: dict, areas: dict[int, str]) -> WofPlace | None:
    """The place of one feature's properties, or None when it is left out."""
    kind = _kind(props)
    point = _point(props)
    name = _display_name(props)
    country = str(props.get("wof:country") or props.get("iso:country") or "").upper()
    if kind is None or point is None or not name or not _current(props) or len(country) != 2:
        return None
    admin1, admin2 = _admin(props, areas)
    if props.get("wof:placetype") in ("region", "macroregion"):
        admin1, admin2 = name, ""
    elif props.get("wof:placetype") == "county":
        admin2 = name
    gn = _concordance(props, "gn:id", "gn:geonameid") or str(props.get("gn:geonameid") or "")
    population = props.get("wof:population") or props.get("gn:population") or 0
    code = _admin1_code(props.get("gn:admin1_code"))
    names = tuple(n for n in _names(props) if n[1] != name)
    return WofPlace(
        wof_id=int(props["wof:id"]),
        name=name,
        lat=round(point[0], 5),
        lon=round(point[1], 5),
        kind=kind,
        placetype=str(props["wof:placetype"]),
        country=country,
        admin1=admin1,
        admin1_code=f"{country}.{code}" if code else "",
        admin2=admin2,
        population=int(population) if isinstance(population, int | float) else 0,
        geonames_id=int(gn) if gn.isdigit() else None,
        wikidata_id=_concordance(props, "wd:id"),
        names=names,
    )


def _within(place: WofPlace, boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    return any(s <= place.lat <= n and w <= place.lon <= e for s, w, n, e in boxes)


def theatre_boxes(margin: float) -> list[tuple[float, float, float, float]]:
    """(south, west, north, east) of each theatre's bounds widened by ``margin`` degrees."""
    from ...theatres import all_theatres

    return [
        (s - margin, w - margin, n + margin, e + margin)
        for (s, w), (n, e) in (t.bounds for t in all_theatres())
    ]


def convert(
    repositories: Sequence[Repository],
    near: Sequence[Repository] = (),
    *,
    margin: float = 0.5,
) -> list[WofPlace]:
    """The places of Who's On First repositories, in a stable order.

    Parameters
    ----------
    repositories : sequence of Repository
        Kept whole (the theatres' countries).
    near : sequence of Repository
        Kept only inside a theatre's bounds widened by ``margin`` degrees.
    margin : float
        Degrees added on every side of each theatre's bounds for ``near``.

    Returns
    -------
    list of WofPlace
        Sorted by country, then Who's On First id; a place found in two
        repositories is kept once.
    """
    boxes = theatre_boxes(margin)
    out: dict[int, WofPlace] = {}
    for repo, whole in [(r, True) for r in repositories] + [(r, False) for r in near]:
        props_list = [f.get("properties") or {} for f in repo.features]
        areas = {
            int(p["wof:id"]): _display_name(p)
            for p in props_list
            if p.get("wof:placetype") in ("region", "county") and "wof:id" in p
        }
        for props in props_list:
            if "wof:id" not in props:
                continue
            place = _place(props, areas)
            if place is None or place.wof_id in out:
                continue
            if whole or _within(place, boxes):
                out[place.wof_id] = place
    return sorted(_merge_communities(list(out.values())), key=lambda p: (p.country, p.wof_id))


def _merge_communities(places: list[WofPlace]) -> list[WofPlace]:
    """Fold each community (placetype ``localadmin``, Armenia's *hamaynk*) into
    the village of the same name within 10 km: the village gains the
    community's names; a community with no such village stays a place."""
    from ..distance import haversine_km
    from ..names import fold

    villages: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(places):
        if p.placetype == "locality":
            villages.setdefault((p.country, fold(p.name)), []).append(i)
    merged = list(places)
    dropped: set[int] = set()
    for i, p in enumerate(places):
        if p.placetype != "localadmin":
            continue
        for v in villages.get((p.country, fold(p.name)), ()):
            if haversine_km(p.lat, p.lon, places[v].lat, places[v].lon) <= 10:
                village = merged[v]
                extra = tuple(n for n in p.names if n not in village.names)
                merged[v] = replace(village, names=village.names + extra)
                dropped.add(i)
                break
    return [p for i, p in enumerate(merged) if i not in dropped]


# ---------------------------------------------------------------------------
# the committed file


def default_file() -> Traversable:
    """The file shipped in ``frontmap.data.gazetteer``."""
    return files("frontmap.data").joinpath("gazetteer", "wof-places.tsv.gz")


def write_places(places: Iterable[WofPlace], path: str | Path) -> int:
    """Write places as gzipped tab-separated text (header :data:`COLUMNS`).

    The gzip header carries no time stamp or file name, so the same places
    give the same bytes. Returns the number of rows.
    """
    lines = ["\t".join(COLUMNS)]
    lines.extend("\t".join(p.row()) for p in places)
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    write_bytes(path, buf.getvalue())
    return len(lines) - 1


def _parse_row(fields: list[str], where: str) -> WofPlace:
    try:
        names = tuple(
            (lang, name)
            for lang, _, name in (item.partition(":") for item in fields[13].split("|") if item)
        )
        return WofPlace(
            wof_id=int(fields[0]),
            name=fields[1],
            lat=float(fields[2]),
            lon=float(fields[3]),
            kind=fields[4],
            placetype=fields[5],
            country=fields[6],
            admin1=fields[7],
            admin1_code=fields[8],
            admin2=fields[9],
            population=int(fields[10] or 0),
            geonames_id=int(fields[11]) if fields[11] else None,
            wikidata_id=fields[12],
            names=names,
        )
    except (ValueError, IndexError) as exc:
        raise GazetteerError(f"{where}: not a Who's On First places row ({exc})") from None


def read_places(path: str | Path | Traversable | None = None) -> list[WofPlace]:
    """Read a file written by :func:`write_places` (by default the shipped one).

    Raises
    ------
    GazetteerError
        When the file is missing or a row is malformed.
    """
    source = default_file() if path is None else path
    if isinstance(source, str):
        source = Path(source)
    try:
        with source.open("rb") as fh:
            raw = gzip.decompress(fh.read()).decode("utf-8")
    except (OSError, EOFError) as exc:
        raise GazetteerError(f"cannot read {source}: {exc}") from None
    lines = raw.splitlines()
    if not lines or lines[0].split("\t") != list(COLUMNS):
        raise GazetteerError(f"{source}: not a Who's On First places file (bad header)")
    return [_parse_row(line.split("\t"), f"{source}:{i}") for i, line in enumerate(lines[1:], 2)]


# ---------------------------------------------------------------------------
# provenance


def provenance(
    places: Sequence[WofPlace],
    repositories: Sequence[Repository],
    near: Sequence[Repository],
    margin: float,
    output: str,
) -> str:
    """The Markdown page written beside the file: sources, licence, counts."""
    lines = [
        f"# {output}: places from Who's On First",
        "",
        "Written by `python -m frontmap.geo.sources.wof` (module `geo/sources/wof.py`); "
        "do not edit by hand. `frontmap gazetteer build` indexes it.",
        "",
        "## Upstream snapshots",
        "",
        "| repository | commit | date | kept |",
        "|---|---|---|---|",
    ]
    for repo, whole in [(r, True) for r in repositories] + [(r, False) for r in near]:
        scope = "whole" if whole else f"inside the theatres' bounds widened by {margin}°"
        lines.append(
            f"| [whosonfirst-data/{repo.name}](https://github.com/whosonfirst-data/{repo.name}) "
            f"| `{repo.commit or 'n/a'}` | {repo.date[:10] or 'n/a'} | {scope} |"
        )
    by_country = Counter(p.country for p in places)
    by_kind = Counter(p.kind for p in places)
    with_gn = sum(p.geonames_id is not None for p in places)
    with_wd = sum(bool(p.wikidata_id) for p in places)
    n_names = sum(len(p.names) + 1 for p in places)
    lines += [
        "",
        "## Licence and attribution",
        "",
        _LICENCE,
        f"Attribution line: \u201c{ATTRIBUTION}\u201d. frontmap's maps and reports credit "
        "\u201cGeoNames (CC BY 4.0)\u201d, which covers the GeoNames part; CC0 asks for no credit.",
        "",
        "## Rows",
        "",
        f"{len(places)} places, {n_names} names; {with_gn} with a GeoNames id, "
        f"{with_wd} with a Wikidata id.",
        "",
        "| country | places |",
        "|---|---|",
        *(f"| {c} | {n} |" for c, n in sorted(by_country.items())),
        "",
        "| kind | places |",
        "|---|---|",
        *(f"| {k} | {n} |" for k, n in sorted(by_kind.items())),
        "",
        "Columns: " + ", ".join(f"`{c}`" for c in COLUMNS) + " (tab-separated, gzipped). "
        "`names` holds `language:name` pairs separated by `|`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Convert Who's On First snapshots into the committed gazetteer file."""
    parser = argparse.ArgumentParser(
        prog="python -m frontmap.geo.sources.wof", description=__doc__.splitlines()[0]
    )
    parser.add_argument("paths", nargs="+", type=Path, help="repositories kept whole")
    parser.add_argument(
        "--near", action="append", type=Path, default=[], help="repositories kept near theatres"
    )
    parser.add_argument("--margin", type=float, default=0.5, help="degrees around theatres")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("data/gazetteer/wof-places.tsv.gz"),
        help="output file (default data/gazetteer/wof-places.tsv.gz)",
    )
    args = parser.parse_args(argv)
    try:
        repos = [read_repository(p) for p in args.paths]
        near = [read_repository(p) for p in args.near]
        places = convert(repos, near, margin=args.margin)
        n = write_places(places, args.output)
        page = provenance(places, repos, near, args.margin, args.output.name)
        write_text(args.output.with_name(args.output.name.split(".")[0] + ".md"), page)
    except FrontmapError as exc:
        print(f"wof: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {n} places to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
