"""Toponym resolution: choose one gazetteer place for each mention.

A mention's candidates start from their context-free score (kind, size,
match quality: :func:`frontmap.geo.gazetteer.rank_score`). The document then speaks:

* **country focus**: the countries the other mentions resolve to. Tripoli is
  Libya's in an article about Libya and Lebanon's in one about Lebanon;
* **proximity**: a candidate near the places the other mentions resolve to
  gains ("Benin" among Jabal al-Zawiya villages is the village, not the
  country);
* **containment**: "Sarmin, Idlib" or "Sarmin in the Idlib countryside"
  pulls Sarmin towards Idlib;
* **the kind a cue asks for**: "the village of X", "X air base", "X province".

Two rounds of rescoring let these settle. Each toponym gets a score (how
sure the choice is, 0–1) and a precision code in the spirit of ACLED's
``geo_precision``: 1 the place itself, 2 a part of or a place near it (a
district, a road, "near X", "southern Aleppo city"), 3 a region (an admin
area, a country, a region, "northwest Syria").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .directions import direction_point
from .distance import haversine_km, haversine_matrix_km
from .extract import Mention
from .gazetteer import Gazetteer, Place

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


def _proximity(
    lat: np.ndarray,
    lon: np.ndarray,
    is_point: np.ndarray,
    surface: np.ndarray,
    choice: Sequence[Place],
    choice_surface: np.ndarray,
) -> list[float]:
    """Bonus of each candidate for lying near the other mentions' places.

    The distance is to the nearest place chosen for a mention of another name
    (repeats of the same name do not vouch for themselves), counting only
    point-like places, not countries and regions. Repeated candidates and
    repeated chosen places are computed once, and the distance matrix in
    blocks, so memory stays bounded on long, place-dense texts.
    """
    # Chosen point-like places: the one surface that chose each, or -1 if several.
    chosen: dict[tuple[float, float], int] = {}
    for c, sid in zip(choice, choice_surface.tolist(), strict=True):
        if c.kind not in _REGION_KINDS:
            key = (c.lat, c.lon)
            chosen[key] = sid if chosen.get(key, sid) == sid else -1
    out = [0.0] * len(lat)
    if not chosen:
        return out
    pts = sorted(chosen)
    p_lat = np.radians([p[0] for p in pts])
    p_lon = np.radians([p[1] for p in pts])
    only = np.array([chosen[p] for p in pts])
    cands = list(zip(lat.tolist(), lon.tolist(), surface.tolist(), strict=True))
    uniq = sorted({c for c, ok in zip(cands, is_point.tolist(), strict=True) if ok})
    if not uniq:
        return out
    u_lat = np.radians([u[0] for u in uniq])[:, None]
    u_lon = np.radians([u[1] for u in uniq])[:, None]
    u_sid = np.array([u[2] for u in uniq])[:, None]
    best = np.empty(len(uniq))
    step = max(1, _BLOCK // len(pts))
    for a in range(0, len(uniq), step):
        b = a + step
        dist = haversine_matrix_km(u_lat[a:b, 0], u_lon[a:b, 0], p_lat, p_lon)
        usable = (only[None, :] == -1) | (only[None, :] != u_sid[a:b])
        best[a:b] = np.where(usable, dist, np.inf).min(axis=1)
    bonus = np.select([best < 30, best < 80, best < 150], [0.3, 0.15, 0.05], 0.0).tolist()
    value = dict(zip(uniq, bonus, strict=True))
    return [value[c] if ok else 0.0 for c, ok in zip(cands, is_point.tolist(), strict=True)]


def _containers(text: str, mentions: Sequence[Mention], k: int) -> list[int]:
    """Mentions that a containment cue makes hold mention ``k``.

    "X, Y", "X in Y", "X in the Y countryside", "X in Y province": the
    mention right after X in the same sentence.
    """
    if k + 1 >= len(mentions):
        return []
    m, n = mentions[k], mentions[k + 1]
    if n.sentence_start != m.sentence_start:
        return []
    gap = text[m.end : n.start].strip().lower()
    if gap in (
        ",",
        "in",
        "in the",
        "of",
        "of the",
        "in northern",
        "in southern",
        "in eastern",
        "in western",
        "in the north of",
        "in the south of",
        ", in",
        ", in the",
        "in the countryside of",
        "countryside of",
        "in rural",
    ):
        return [k + 1]
    return []


def resolve(
    mentions: Sequence[Mention], text: str = "", gazetteer: Gazetteer | None = None
) -> list[Toponym]:
    """Choose a place for every mention, using the whole document.

    Parameters
    ----------
    mentions : sequence of Mention
        From :func:`geo.extract.extract`, in text order.
    text : str
        The article text (for containment cues).
    gazetteer : Gazetteer, optional
        For the points of country parts ("northwest Syria"); without it they
        are offsets from the country's label point.

    Returns
    -------
    list of Toponym
        One per mention that has a candidate, in text order.
    """
    n = len(mentions)
    if n == 0:
        return []
    choice = [_initial(m) for m in mentions]
    containers = [_containers(text, mentions, k) for k in range(n)]
    totals: list[list[tuple[float, Place, str]]] = [[] for _ in range(n)]
    # Every candidate of every mention, flattened, for the proximity matrix.
    surface_ids = {s: i for i, s in enumerate(sorted({m.surface for m in mentions}))}
    mention_surface = np.array([surface_ids[m.surface] for m in mentions])
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
    for _round in range(2):
        done: dict[tuple, list[tuple[float, Place, str]]] = {}
        countries = Counter(p.country for p in choice)
        named = {p.country for p in choice if p.kind == "country"}
        proximity = _proximity(
            cand_lat, cand_lon, cand_point, mention_surface[owner], choice, mention_surface
        )
        offset = 0
        for k, m in enumerate(mentions):
            sig = signature[k]
            if sig is not None and sig in done:
                totals[k] = done[sig]
                choice[k] = totals[k][0][1]
                offset += len(m.candidates)
                continue
            others_total = n - 1
            scored = []
            famous = _famous(m)
            for i, (place, match, prior) in enumerate(m.candidates):
                s = prior
                if others_total:
                    own = 1 if choice[k].country == place.country else 0
                    share = (countries[place.country] - own) / others_total
                    s += 0.35 * share
                if place.country in named and place.kind != "country":
                    s += 0.1
                s += proximity[offset + i]
                if m.kind_cue and place.kind in _CUE_COMPATIBLE.get(m.kind_cue, {m.kind_cue}):
                    s += 0.25
                local = proximity[offset + i] >= 0.3 or (
                    m.kind_cue is not None
                    and place.kind in _CUE_COMPATIBLE.get(m.kind_cue, {m.kind_cue})
                )
                for c in containers[k]:
                    holder = choice[c]
                    if (
                        place.kind not in _REGION_KINDS
                        and haversine_km(place.lat, place.lon, holder.lat, holder.lon) < 60
                    ):
                        s += 0.3
                        local = True
                # Country focus alone never turns a famous place into an
                # obscure namesake (Lebanon the country, not Lebanon, Ohio;
                # Damascus, not Damascus, Oregon): that takes local evidence.
                if famous is not None and place is not famous and not local:
                    if _overshadowed(place, famous):
                        s -= 1.0
                scored.append((s, place, match))
            offset += len(m.candidates)
            scored.sort(key=lambda x: (-x[0], x[1].gazetteer_id))
            totals[k] = scored
            choice[k] = scored[0][1]
            if sig is not None:
                done[sig] = scored
    # Proximity of each mention's chosen place, from the last round.
    chosen_near, offset = [], 0
    for k, m in enumerate(mentions):
        i = next(i for i, c in enumerate(m.candidates) if c[0] is choice[k])
        chosen_near.append(proximity[offset + i] > 0)
        offset += len(m.candidates)
    keep = _supported(mentions, choice, chosen_near)
    parts = gazetteer.country_part if gazetteer is not None else None
    return [_toponym(m, totals[k], parts) for k, m in enumerate(mentions) if keep[k]]


def _supported(mentions: Sequence[Mention], choice: list[Place], near: list[bool]) -> list[bool]:
    """Drop small places nothing in the article vouches for.

    A village of GeoNames abroad, in a country no other mention points to and
    more than 150 km from every other place named, is far more often a person
    or a word that happens to be a place name somewhere ("Rubio", "Valls",
    "Bolton") than the place. Curated rows, larger places, and places with a
    cue, a neighbour or a country in the article stay.
    """
    # How many mentions of other names point into each country.
    by_country = Counter(p.country for p in choice)
    own = Counter((m.surface, p.country) for m, p in zip(mentions, choice, strict=True))
    keep = []
    for k, m in enumerate(mentions):
        place = choice[k]
        if (
            place.kind != "populated_place"
            or not place.gazetteer_id.startswith("geonames:")
            or place.population >= 20_000
            or m.kind_cue is not None
            or len(m.surface.split()) > 1
        ):
            keep.append(True)
            continue
        same_country = by_country[place.country] - own[(m.surface, place.country)] > 0
        keep.append(same_country or near[k])
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


def _toponym(
    m: Mention,
    scored: list[tuple[float, Place, str]],
    country_parts: Callable[[str, str], tuple[float, float] | None] | None,
) -> Toponym:
    top, place, _match = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    score = min(1.0, top) * (1.0 - 0.5 * (second / top if top > 0 else 1.0))
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
