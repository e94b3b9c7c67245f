"""Toponym resolution: choose one gazetteer place for each mention.

A mention's candidates start from their context-free score (kind, size,
match quality: :func:`frontmap.geo.gazetteer.rank_score`). The document then speaks:

* **country focus**: the countries the other mentions resolve to. Tripoli is
  Libya's in an article about Libya and Lebanon's in one about Lebanon;
* **proximity**: a candidate near the places the other mentions resolve to
  gains ("Benin" among Jabal al-Zawiya villages is the village, not the
  country);
* **containment**: "Sarmin, Idlib", "Sarmin in the Idlib countryside", "X,
  south of Tripoli", "X and Y in the Idlib countryside" pull the places
  towards the place that holds them (within 60 km; for an admin area within
  100 km or in the same admin area by name);
* **the kind a cue asks for**: "the village of X", "X air base", "X province";
* **names that are another place's main name**: a small place that has the
  name only as an alternate loses to the larger place named so, and any
  place does to a curated row named so (unless a cue or a holder says
  otherwise).

Two rounds of rescoring let these settle. Villages known only from Who's On
First need local evidence to stay (a cue, a place holding them, another
place within 50 km); names in no gazetteer that look like places by their
context are matched to a known place's name nearby, or placed from their
context (see :func:`_place_unknown`). Each toponym gets a score (how
sure the choice is, 0–1) and a precision code in the spirit of ACLED's
``geo_precision``: 1 the place itself, 2 a part of or a place near it (a
district, a road, "near X", "southern Aleppo city"), 3 a region (an admin
area, a country, a region, "northwest Syria").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .directions import direction_point
from .distance import haversine_km, haversine_matrix_km
from .extract import Mention
from .gazetteer import Gazetteer, Place, is_curated
from .names import fold, loose

__all__ = ["Toponym", "resolve"]

_REGION_KINDS = frozenset({"country", "admin_region", "region", "water"})
_CUE_COMPATIBLE = {
    "military_site": {"military_site", "airport"},
    "airport": {"airport", "military_site"},
    "admin_region": {"admin_region"},
    "populated_place": {"populated_place", "district"},
    "district": {"district", "populated_place"},
    "region": {"region", "admin_region", "mountain"},
}


@dataclass(frozen=True)
class Toponym:
    """A resolved toponym: where the text names a place, and which place."""

    start: int
    end: int
    surface: str
    name: str
    lat: float
    lon: float
    country: str
    kind: str
    gazetteer_id: str
    score: float
    precision: int
    sentence_start: int
    sentence_end: int

    def shifted(self, offset: int) -> Toponym:
        """The same toponym with its offsets moved by ``offset`` (into a longer text)."""
        return replace(
            self,
            start=self.start + offset,
            end=self.end + offset,
            sentence_start=self.sentence_start + offset,
            sentence_end=self.sentence_end + offset,
        )

    def as_dict(self) -> dict:
        """The JSON view of ``frontmap geoparse`` (no sentence offsets), fields in order."""
        # Not dataclasses.asdict: it deep-copies every value, a tenth of a batch's time.
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "kind": self.kind,
            "gazetteer_id": self.gazetteer_id,
            "score": self.score,
            "precision": self.precision,
        }


_BLOCK = 1_000_000  # distance-matrix cells computed at once (bounded memory)


def _nearest_other(
    lat: np.ndarray,
    lon: np.ndarray,
    is_point: np.ndarray,
    surface: np.ndarray,
    choice: Sequence[Place],
    choice_surface: np.ndarray,
) -> tuple[list[float], list[float]]:
    """Km from each candidate to the nearest place chosen for another name,
    and the proximity bonus that gives (:func:`_proximity_bonus`).

    Repeats of the same name do not vouch for themselves; only point-like
    chosen places count, not countries and regions; candidates that are no
    point get ``inf``. Repeated candidates and chosen places are computed
    once, and the distance matrix in blocks, so memory stays bounded on long,
    place-dense texts.
    """
    # Chosen point-like places: the one surface that chose each, or -1 if several.
    chosen: dict[tuple[float, float], int] = {}
    for c, sid in zip(choice, choice_surface.tolist(), strict=True):
        if c.kind not in _REGION_KINDS:
            key = (c.lat, c.lon)
            chosen[key] = sid if chosen.get(key, sid) == sid else -1
    n = len(lat)
    if not chosen:
        return [math.inf] * n, [0.0] * n
    pts = sorted(chosen)
    p_lat = np.radians([p[0] for p in pts])
    p_lon = np.radians([p[1] for p in pts])
    only = np.array([chosen[p] for p in pts])
    cands = list(zip(lat.tolist(), lon.tolist(), surface.tolist(), strict=True))
    points = is_point.tolist()
    uniq = sorted({c for c, ok in zip(cands, points, strict=True) if ok})
    if not uniq:
        return [math.inf] * n, [0.0] * n
    u_lat = np.radians([u[0] for u in uniq])
    u_lon = np.radians([u[1] for u in uniq])
    u_sid = np.array([u[2] for u in uniq])[:, None]
    best = np.empty(len(uniq))
    step = max(1, _BLOCK // len(pts))
    for a in range(0, len(uniq), step):
        b = a + step
        dist = haversine_matrix_km(u_lat[a:b], u_lon[a:b], p_lat, p_lon)
        usable = (only[None, :] == -1) | (only[None, :] != u_sid[a:b])
        best[a:b] = np.where(usable, dist, np.inf).min(axis=1)
    value = {u: (km, _proximity_bonus(km)) for u, km in zip(uniq, best.tolist(), strict=True)}
    near = [value[c] if ok else (math.inf, 0.0) for c, ok in zip(cands, points, strict=True)]
    return [v[0] for v in near], [v[1] for v in near]


def _proximity_bonus(km: float) -> float:
    """The bonus for lying ``km`` from the nearest other place named.

    Steps (0.3 within 30 km, 0.15 within 80, 0.05 within 150), and within
    them up to 0.1 more the nearer it is: of two namesakes in the same
    valley, the nearer one wins.
    """
    if km >= 150:
        return 0.0
    step = 0.3 if km < 30 else 0.15 if km < 80 else 0.05
    return step + 0.1 * math.exp(-km / 20.0)


# ---------------------------------------------------------------------------
# containment cues: "X in Y", "X, south of Y", "X and Z in the Y countryside"

# Words that may stand between a place and the place that holds it.
_GAP_WORDS = frozenset(
    """in the of near outside around at countryside outskirts suburbs rural province
    governorate district region area areas part north south east west northern southern
    eastern western northeast northwest southeast southwest northeastern northwestern
    southeastern southwestern central km kilometres kilometers miles some about""".split()
)
# ... and at least one of these (or a comma) for the gap to say "held by".
_GAP_ANCHORS = frozenset(
    """in of near outside around north south east west northeast northwest southeast
    southwest""".split()
)
_GAP_TOKEN = re.compile(r"[a-z]+|\d+|[,(]|\S")
_LIST_GAPS = frozenset({",", "and", ", and", "or", ", or", "&"})


@lru_cache(maxsize=4096)
def _holds(gap: str) -> bool:
    """True when the words between two places say the second holds the first.

    >>> _holds(", south of"), _holds("in the"), _holds("and"), _holds("said in")
    (True, True, False, False)
    """
    words = _GAP_TOKEN.findall(gap.strip().lower())
    if not words or len(words) > 8:
        return False
    if any(w not in _GAP_WORDS and w not in ",(" and not w.isdigit() for w in words):
        return False
    return "," in words or any(w in _GAP_ANCHORS for w in words)


def _containers(text: str, mentions: Sequence[Mention], k: int) -> list[int]:
    """Mentions that a containment cue makes hold mention ``k``.

    "X, Y", "X in Y", "X in the Y countryside", "X, 10 km south of Y": the
    mention right after X in the same sentence. In a list ("X, Z and W in
    the Y countryside"), the place after the list holds each of its members;
    the commas of a list that a conjunction ends join its members ("Ganja,
    Barda and Terter" does not put Ganja in Barda).
    """
    out: list[int] = []
    listed = _in_listing(text, mentions, k)
    j = k
    while j + 1 < len(mentions):
        m, n = mentions[j], mentions[j + 1]
        if n.sentence_start != m.sentence_start:
            break
        gap = text[m.end : n.start]
        if _holds(gap):
            # In a listing ("Ganja, Barda and Terter") a comma joins members.
            if n.candidates and not (listed and gap.strip() == ","):
                out.append(j + 1)
            if gap.strip() != ",":
                break
        if gap.strip().lower() not in _LIST_GAPS:
            break
        j += 1
    return sorted(set(out))


_CONJUNCTIONS = frozenset({"and", ", and", "or", ", or", "&"})


def _in_listing(text: str, mentions: Sequence[Mention], k: int) -> bool:
    """True when mention ``k`` starts a run of places joined by commas that a
    conjunction ends ("X, Y and Z"): a listing, not "X, Y" as X in Y."""
    j = k
    while j + 1 < len(mentions):
        m, n = mentions[j], mentions[j + 1]
        gap = text[m.end : n.start].strip().lower()
        if n.sentence_start != m.sentence_start or gap not in _LIST_GAPS:
            return False
        if gap in _CONJUNCTIONS:
            return True
        j += 1
    return False


_LEVEL_WORDS = frozenset(
    """governorate province district region rayon marz shabiya muhafazat muhafazah
    countryside mintaqa mantiqa nahiya nahiyah subdistrict""".split()
)


@lru_cache(maxsize=4096)
def _admin_key(name: str) -> str:
    """The loose key of an admin area's name without its level word."""
    return loose(" ".join(w for w in fold(name).split() if w not in _LEVEL_WORDS))


def _inside(place: Place, holder: Place) -> bool:
    """True when ``holder`` plausibly holds ``place``: within 60 km; for an
    admin area, within 100 km or in the same admin area by name; for a
    country, in that country."""
    if place.kind in _REGION_KINDS:
        return False
    if holder.kind == "country":
        return place.country == holder.country
    km = haversine_km(place.lat, place.lon, holder.lat, holder.lon)
    if holder.kind != "admin_region":
        return km < 60
    if km < 100:
        return True
    keys = {_admin_key(holder.admin1), _admin_key(holder.name)} - {""}
    return (
        bool(place.admin1) and place.country == holder.country and _admin_key(place.admin1) in keys
    )


# ---------------------------------------------------------------------------
# the document's evidence for one candidate


@dataclass
class _Evidence:
    """What the article says, in one round: the choices of the other mentions."""

    choice: list[Place]
    countries: Counter
    named: set[str]
    near_km: list[float]  # per flattened candidate: km to the nearest other place named
    bonus: list[float]  # per flattened candidate: the proximity bonus
    containers: list[list[int]]
    n: int


def _cue_fits(m: Mention, place: Place) -> bool:
    return m.kind_cue is not None and place.kind in _CUE_COMPATIBLE.get(m.kind_cue, {m.kind_cue})


def _alias_of_bigger(m: Mention) -> float:
    """The population of the largest candidate named so by its main name (exactly).

    A small place that only has the name as an alternate ("Gəncə" among the
    names GeoNames gives Yevlakh) is then probably an error or an old name.
    """
    best = -1.0
    for place, match, _ in m.candidates:
        if match == "exact" and place.gazetteer_id in m.primary_ids:
            best = max(best, float(_weight(place)))
    return best


def _curated_named(m: Mention) -> bool:
    """A curated row is named so by its main name: the name is that row's."""
    return any(
        match == "exact" and place.gazetteer_id in m.primary_ids and is_curated(place)
        for place, match, _ in m.candidates
    )


def _weight(place: Place) -> int:
    return max(place.population, 20_000 if is_curated(place) else 0)


@dataclass(frozen=True)
class _Static:
    """What a mention's own words say of each candidate, the same every round."""

    base: list[float]  # context-free score, kind cue and alias penalty
    cue: list[bool]  # a cue word asks for its kind
    curated_alias: list[bool]  # an alternate name when a curated row has it as its main name
    overshadowed: list[bool]  # a famous namesake overshadows it without local evidence


def _static(m: Mention) -> _Static:
    famous = _famous(m)
    # Alternate names matter only when some candidate is named otherwise.
    aliases = len(m.primary_ids) < len(m.candidates)
    bigger = _alias_of_bigger(m) if aliases else -1.0
    curated_named = aliases and _curated_named(m)
    base, cues, curated_alias, shadow = [], [], [], []
    for place, match, prior in m.candidates:
        cue = _cue_fits(m, place)
        alias = place.gazetteer_id not in m.primary_ids and place.kind in (
            "populated_place",
            "district",
        )
        penalty = (
            0.3 if alias and match == "exact" and bigger > 0 and _weight(place) < bigger else 0.0
        )
        base.append(prior + (0.25 if cue else 0.0) - penalty)
        cues.append(cue)
        curated_alias.append(alias and curated_named)
        shadow.append(famous is not None and place is not famous and _overshadowed(place, famous))
    return _Static(base, cues, curated_alias, shadow)


#: :func:`_static` of the mentions seen, by what it reads of them (their kind
#: cue, main-name ids and candidates): a name comes back article after article
#: with the same candidates. Forgotten at once when full.
_STATIC_MEMO: dict[tuple[object, ...], _Static] = {}
_STATIC_MEMO_SIZE = 20_000


def _static_of(m: Mention) -> _Static:
    """:func:`_static` of a mention, remembered (it reads nothing else of it;
    its lists are only read)."""
    key = (m.kind_cue, m.primary_ids, tuple(m.candidates))
    found = _STATIC_MEMO.get(key)
    if found is None:
        if len(_STATIC_MEMO) >= _STATIC_MEMO_SIZE:
            _STATIC_MEMO.clear()
        found = _STATIC_MEMO[key] = _static(m)
    return found


def _score(
    k: int, m: Mention, st: _Static, ev: _Evidence, offset: int
) -> list[tuple[float, Place, str]]:
    """Each candidate of mention ``k`` with its score in the article, best first."""
    scored = []
    holders = [ev.choice[c] for c in ev.containers[k]]
    # A country holds all its places alike: it says nothing about which.
    local_holders = [h for h in holders if h.kind != "country"]
    own_country = ev.choice[k].country
    share = 0.35 / (ev.n - 1) if ev.n > 1 else 0.0
    for i, (place, match, _prior) in enumerate(m.candidates):
        bonus = ev.bonus[offset + i]
        s = st.base[i] + bonus
        s += share * (ev.countries[place.country] - (own_country == place.country))
        if place.country in ev.named and place.kind != "country":
            s += 0.1
        held = False
        if holders:
            if any(_inside(place, h) for h in holders):
                s += 0.3
            held = any(_inside(place, h) for h in local_holders)
        if st.curated_alias[i] and not (held or st.cue[i]):
            s -= 1.0  # the name of a curated row is that row's ("Ganja", not Yevlakh)
        # Country focus alone never turns a famous place into an obscure
        # namesake (Lebanon the country, not Lebanon, Ohio; Damascus, not
        # Damascus, Oregon): that takes local evidence.
        if st.overshadowed[i] and not (bonus >= 0.3 or st.cue[i] or held):
            s -= 1.0
        scored.append((s, place, match))
    scored.sort(key=lambda x: (-x[0], x[1].gazetteer_id))
    return scored


def resolve(
    mentions: Sequence[Mention], text: str = "", gazetteer: Gazetteer | None = None
) -> list[Toponym]:
    """Choose a place for every mention, using the whole document.

    Parameters
    ----------
    mentions : sequence of Mention
        From :func:`geo.extract.extract`, in text order. Mentions without
        candidates (names that look like places by their context but are in
        no gazetteer) are placed from their context
        (:func:`_place_from_context`).
    text : str
        The article text (for containment cues).
    gazetteer : Gazetteer, optional
        For the points of country parts ("northwest Syria") and for names
        close to a known place's near the places the article names; without
        it, country parts are offsets from the country's label point and
        unknown names are placed from their context only.

    Returns
    -------
    list of Toponym
        One per mention that has a candidate, or a context to place it by,
        in text order.
    """
    known = [m for m in mentions if m.candidates]
    toponyms = _resolve_known(known, text, gazetteer)
    if len(known) < len(mentions):
        toponyms = _place_unknown(mentions, toponyms, text, gazetteer)
    return toponyms


def _resolve_known(
    mentions: Sequence[Mention], text: str, gazetteer: Gazetteer | None
) -> list[Toponym]:
    n = len(mentions)
    if n == 0:
        return []
    choice = [_initial(m) for m in mentions]
    containers = [_containers(text, mentions, k) for k in range(n)]
    totals: list[list[tuple[float, Place, str]]] = [[] for _ in range(n)]
    # Every candidate of every mention, flattened, for the proximity matrix.
    # (by folded name: "FLORIDA" in a dateline is a repeat of "Florida")
    folded = [fold(m.surface) for m in mentions]
    surface_ids = {s: i for i, s in enumerate(sorted(set(folded)))}
    mention_surface = np.array([surface_ids[f] for f in folded])
    flat = [c[0] for m in mentions for c in m.candidates]
    owner = np.array([k for k, m in enumerate(mentions) for _ in m.candidates])
    cand_lat = np.array([p.lat for p in flat])
    cand_lon = np.array([p.lon for p in flat])
    cand_point = np.array([p.kind not in ("country", "region", "water") for p in flat])
    # Repeats of a name with the same candidates and cues score alike: once a round.
    signature = [
        (m.surface, m.kind_cue, tuple(c[0].gazetteer_id for c in m.candidates))
        if not containers[k]
        else None
        for k, m in enumerate(mentions)
    ]
    near_km: list[float] = [math.inf] * len(flat)
    by_signature: dict[tuple, _Static] = {}
    static: list[_Static] = []
    for k, m in enumerate(mentions):
        sig = signature[k]
        if sig is None:
            static.append(_static_of(m))
        else:
            if sig not in by_signature:
                by_signature[sig] = _static_of(m)
            static.append(by_signature[sig])
    for _round in range(2):
        near_km, bonus = _nearest_other(
            cand_lat, cand_lon, cand_point, mention_surface[owner], choice, mention_surface
        )
        ev = _Evidence(
            choice=choice,
            countries=Counter(p.country for p in choice),
            named={p.country for p in choice if p.kind == "country"},
            near_km=near_km,
            bonus=bonus,
            containers=containers,
            n=n,
        )
        done: dict[tuple, list[tuple[float, Place, str]]] = {}
        offset = 0
        for k, m in enumerate(mentions):
            sig = signature[k]
            scored = done.get(sig) if sig is not None else None
            if scored is None:
                scored = _score(k, m, static[k], ev, offset)
                if sig is not None:
                    done[sig] = scored
            totals[k] = scored
            choice[k] = scored[0][1]
            offset += len(m.candidates)
    # Distance of each mention's chosen place to the others, from the last round.
    chosen_km, offset = [], 0
    for k, m in enumerate(mentions):
        i = next(i for i, c in enumerate(m.candidates) if c[0] is choice[k])
        chosen_km.append(float(near_km[offset + i]))
        offset += len(m.candidates)
    held = [any(_inside(choice[k], choice[c]) for c in containers[k]) for k in range(n)]
    keep = _supported(mentions, choice, chosen_km, held)
    parts = gazetteer.country_part if gazetteer is not None else None
    return [_toponym(m, totals[k], parts) for k, m in enumerate(mentions) if keep[k]]


#: A village of Who's On First counts as vouched for within this distance of
#: another place the article names.
_MINOR_NEAR_KM = 50.0


def _minor(place: Place) -> bool:
    """A small place the base index holds only from Who's On First: thousands
    of villages, many named like people or words, kept only with local
    evidence."""
    return (
        place.source.startswith("wof:")
        and place.population < 1_000
        and place.kind in ("populated_place", "district")
    )


def _supported(
    mentions: Sequence[Mention], choice: list[Place], near_km: list[float], held: list[bool]
) -> list[bool]:
    """Drop small places nothing in the article vouches for.

    A village of GeoNames abroad, in a country no other mention points to and
    more than 150 km from every other place named, is far more often a person
    or a word that happens to be a place name somewhere ("Rubio", "Valls",
    "Bolton") than the place. Curated rows, larger places, and places with a
    cue, a neighbour or a country in the article stay.

    A village known only from Who's On First (:func:`_minor`) needs more: a
    cue ("the village of X", "near X"), a place that holds it ("X in the
    Idlib countryside"), or another place named within 50 km.
    """
    # How many mentions of other names point into each country.
    by_country = Counter(p.country for p in choice)
    own = Counter((m.surface, p.country) for m, p in zip(mentions, choice, strict=True))
    keep = []
    for k, m in enumerate(mentions):
        place = choice[k]
        if _minor(place):
            keep.append(m.kind_cue is not None or m.near or held[k] or near_km[k] <= _MINOR_NEAR_KM)
            continue
        if (
            place.kind != "populated_place"
            or is_curated(place)
            or place.population >= 20_000
            or m.kind_cue is not None
            or len(m.surface.split()) > 1
        ):
            keep.append(True)
            continue
        same_country = by_country[place.country] - own[(m.surface, place.country)] > 0
        keep.append(same_country or near_km[k] < 150)
    return keep


def _famous(m: Mention) -> Place | None:
    """The candidate that overshadows the others, if one does."""
    best = None
    for place, match, _prior in m.candidates:
        if match != "exact":
            continue
        if place.kind == "country":
            return place
        if place.kind in ("region", "water") or place.population >= 200_000:
            if best is None or place.population > best.population:
                best = place
    if best is None:
        # A first-level admin area named exactly (Florida, Rajasthan) outranks
        # small towns of the same name.
        admin = [p for p, match, _ in m.candidates if p.kind == "admin_region" and match == "exact"]
        if len(admin) == 1:
            best = admin[0]
    return best


def _overshadowed(place: Place, famous: Place) -> bool:
    if famous.kind == "country":
        return place.kind != "country"
    if famous.kind in ("region", "water"):
        return place.kind not in ("country",) and place.population < 1_000_000
    if famous.kind == "admin_region":
        return place.kind == "populated_place" and place.population < 100_000
    return place.population * 10 <= famous.population and place.kind == "populated_place"


def _initial(m: Mention) -> Place:
    best = max(
        m.candidates,
        key=lambda c: (
            c[2] + (0.25 if m.kind_cue and c[0].kind in _CUE_COMPATIBLE.get(m.kind_cue, ()) else 0)
        ),
    )
    return best[0]


def _confidence(top: float, second: float | None) -> float:
    """How sure the choice is, in [0, 1]: the winner's total (capped at 1),
    halved as the runner-up's total comes level with it.

    A runner-up pushed below zero (an obscure namesake overshadowed by a
    famous place) counts as zero, not as a bonus.

    >>> _confidence(1.2, None), _confidence(0.8, 0.8), _confidence(0.9, -0.4)
    (1.0, 0.4, 0.9)
    """
    if top <= 0:
        return 0.0
    ratio = 0.0 if second is None else min(1.0, max(0.0, second) / top)
    return max(0.0, min(1.0, top) * (1.0 - 0.5 * ratio))


def _toponym(
    m: Mention,
    scored: list[tuple[float, Place, str]],
    country_parts: Callable[[str, str], tuple[float, float] | None] | None,
) -> Toponym:
    top, place, _match = scored[0]
    score = _confidence(top, scored[1][0] if len(scored) > 1 else None)
    lat, lon, kind = place.lat, place.lon, place.kind
    if m.direction:
        lat, lon = direction_point(
            place.lat, place.lon, place.kind, place.country, m.direction, country_parts
        )
        precision = 2 if place.kind == "populated_place" else 3
        kind = "region"
    elif m.near or place.kind in ("district", "road"):
        precision = 2
    elif place.kind in _REGION_KINDS:
        precision = 3
    else:
        precision = 1
    return Toponym(
        start=m.start,
        end=m.end,
        surface=m.surface,
        name=place.name,
        lat=round(lat, 5),
        lon=round(lon, 5),
        country=place.country,
        kind=kind,
        gazetteer_id=place.gazetteer_id,
        score=round(score, 3),
        precision=precision,
        sentence_start=m.sentence_start,
        sentence_end=m.sentence_end,
    )


# ---------------------------------------------------------------------------
# names in no gazetteer, placed from their context

#: Score of a name placed from its context alone, and the most a near match
#: to a known place's name gets.
_CONTEXT_SCORE = 0.15
_NEAR_MATCH_SCORE = 0.4
#: How far from the article's places a near match is looked for (km).
_NEAR_MATCH_KM = 20.0
#: ... of the places named nearest to it in the text.
_NEAR_MATCH_ANCHORS = 4
_POINT_KINDS = frozenset({"populated_place", "district", "military_site", "camp", "crossing",
                          "airport", "facility", "mountain", "road"})  # fmt: skip


def _place_unknown(
    mentions: Sequence[Mention], toponyms: list[Toponym], text: str, gazetteer: Gazetteer | None
) -> list[Toponym]:
    """Add the mentions without candidates that the article's places can place.

    Such a mention names a place by its context ("the village of X", "Kafr X",
    a member of a list of villages) but matched no gazetteer name. It is

    1. the place whose name is closest to it among the gazetteer places
       within 20 km of the four places named nearest to it in the text (a spelling the folding
       and the loose key do not reach: "Kafr Uwaid" for "Kafr ʿUwayd"),
       when the names are close enough; or else
    2. reported at the place its context puts it in or near: the place that
       holds it ("X in the Y countryside", "X, south of Y"), else a member
       of its list, else the nearest place named in its sentence, with
       precision 2 (near a point) or 3 (in an area), a low score and no
       gazetteer id; or else
    3. left out, when nothing in its sentence places it.
    """
    by_span = {(t.start, t.end): t for t in toponyms}
    resolved: list[Toponym | None] = [by_span.get((m.start, m.end)) for m in mentions]
    anchors = [t for t in toponyms if t.kind in _POINT_KINDS and t.precision == 1]
    out = list(toponyms)
    for k, m in enumerate(mentions):
        if m.candidates:
            continue
        found = None
        if gazetteer is not None and anchors:
            # the places named nearest to it in the text
            nearest = sorted(anchors, key=lambda t: (abs(t.start - m.start), t.start))
            points = sorted({(t.lat, t.lon) for t in nearest[:_NEAR_MATCH_ANCHORS]})
            found = _near_match(m, points, gazetteer)
        if found is None:
            anchor = _context_anchor(k, mentions, resolved, text)
            found = None if anchor is None else _placed_near(m, anchor)
        if found is not None:
            out.append(found)
            resolved[k] = found
    out.sort(key=lambda t: (t.start, t.end))
    return out


def _near_match(
    m: Mention, points: list[tuple[float, float]], gazetteer: Gazetteer
) -> Toponym | None:
    """The gazetteer place near the article's places whose name is closest to ``m``'s."""
    best = gazetteer.closest_name(m.surface, points, km=_NEAR_MATCH_KM)
    if best is None:
        return None
    place, similarity = best
    return Toponym(
        start=m.start,
        end=m.end,
        surface=m.surface,
        name=place.name,
        lat=round(place.lat, 5),
        lon=round(place.lon, 5),
        country=place.country,
        kind=place.kind,
        gazetteer_id=place.gazetteer_id,
        score=round(_NEAR_MATCH_SCORE * similarity, 3),
        precision=2 if m.near else 1,
        sentence_start=m.sentence_start,
        sentence_end=m.sentence_end,
    )


def _context_anchor(
    k: int, mentions: Sequence[Mention], resolved: list[Toponym | None], text: str
) -> Toponym | None:
    """The resolved place that the context of mention ``k`` puts it in or near."""
    for c in _containers(text, mentions, k):
        if resolved[c] is not None:
            return resolved[c]
    m = mentions[k]
    same = [
        (abs(j - k), j)
        for j, t in enumerate(resolved)
        if t is not None and j != k and mentions[j].sentence_start == m.sentence_start
    ]
    listed = [(d, j) for d, j in same if _in_one_list(text, mentions, min(j, k), max(j, k))]
    for pool in (listed, same):
        for _, j in sorted(pool):
            t = resolved[j]
            if t is not None and t.kind not in ("country", "water"):
                return t
    return None


def _in_one_list(text: str, mentions: Sequence[Mention], a: int, b: int) -> bool:
    """True when mentions ``a`` to ``b`` are joined by list separators only."""
    return all(
        text[mentions[i].end : mentions[i + 1].start].strip().lower() in _LIST_GAPS
        for i in range(a, b)
    )


def _placed_near(m: Mention, anchor: Toponym) -> Toponym:
    """Mention ``m`` reported at ``anchor``'s point: near it (precision 2) or
    somewhere in it (3, for an area)."""
    area = anchor.kind in _REGION_KINDS or anchor.precision == 3
    kind = m.kind_cue if m.kind_cue in ("district", "populated_place") else "populated_place"
    return Toponym(
        start=m.start,
        end=m.end,
        surface=m.surface,
        name=m.surface,
        lat=anchor.lat,
        lon=anchor.lon,
        country=anchor.country,
        kind=kind,
        gazetteer_id="",
        score=_CONTEXT_SCORE,
        precision=3 if area else 2,
        sentence_start=m.sentence_start,
        sentence_end=m.sentence_end,
    )
