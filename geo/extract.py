"""Toponym recognition: find the spans of an article that name places.

Candidates come from the gazetteer's names and variants: every run of up to
seven capitalised words (with the connectors that occur inside names: *of*,
*al-*, *bin*...) is folded and looked up, exactly and then loosely. The
longest match wins. Context rules then decide whether a match is a place:

* capitalisation: only capitalised words start a name; a sentence-initial
  word that is also a common English word ("Many", "Say") must be a
  well-known place; an all-capitals token ("US") must be a country or a
  curated row;
* names that are not places (people, organisations, armed groups, media,
  demonyms: ``data/gazetteer/not_places.txt``) and names of organisations
  built on a place ("Damascus University", "University of Aleppo",
  "Middle East Institute") are dropped;
* a weak candidate (a small place, a common word) glued to other capitalised
  words that are not places is part of some other name and is dropped;
* cue words before and after ("the town of", "village of", "near",
  "outskirts of", "air base", "province", "countryside") are recorded for
  resolution, and a direction word before a place makes one region span
  ("southern Idlib", "northwest Syria").

Offsets are Python ``str`` indices: ``text[start:end] == surface``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .directions import DIRECTIONS
from .gazetteer import Gazetteer, Place, rank_score
from .names import ARTICLES, fold, loose

__all__ = ["Mention", "extract", "sentences", "DIRECTIONS"]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_](?:[\w'’ʼ]|[-‐‑](?=[^\W_]))*")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-*•])")
_ABBREV = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt st no vs u.s u.n u.k jan feb mar apr jun jul aug sep"
    " sept oct nov dec fig approx e.g i.e".split()
)

# Lower-case words that may stand inside a multi-word name.
_CONNECTORS = frozenset(
    {
        "of",
        "and",
        "de",
        "la",
        "le",
        "du",
        "des",
        "del",
        "bin",
        "ibn",
        "bani",
        "bint",
        "abu",
        "the",
        "on",
        "upon",
        "am",
        "an",
        "der",
        "al",
    }
    | ARTICLES
)
# Lower-case heads that may close a gazetteer name ("Jufra air base") but are
# not part of the proper name's span.
_HEADS = (
    ("air", "base"),
    ("airbase",),
    ("air", "field"),
    ("airfield",),
    ("airport",),
    ("military", "airport"),
    ("base",),
    ("observation", "post"),
    ("border", "crossing"),
    ("crossing",),
    ("camp",),
    ("camps",),
    ("province",),
    ("governorate",),
    ("district",),
    ("region",),
    ("rayon",),
    ("oil", "field"),
    ("oilfield",),
    ("field",),
    ("port",),
    ("terminal",),
    ("refinery",),
    ("highway",),
    ("road",),
    ("corridor",),
    ("plain",),
    ("mountain",),
    ("mountains",),
    ("hill",),
    ("river",),
    ("dam",),
    ("lake",),
    ("reservoir",),
    ("city",),
    ("town",),
    ("village",),
    ("pocket",),
    ("enclave",),
    ("bridge",),
    ("bridges",),
)
_HEAD_KIND = {
    "air base": "military_site",
    "airbase": "military_site",
    "air field": "military_site",
    "airfield": "military_site",
    "base": "military_site",
    "military airport": "military_site",
    "airport": "airport",
    "observation post": "military_site",
    "border crossing": "crossing",
    "crossing": "crossing",
    "camp": "camp",
    "camps": "camp",
    "province": "admin_region",
    "governorate": "admin_region",
    "district": "admin_region",
    "region": "admin_region",
    "rayon": "admin_region",
    "countryside": "admin_region",
    "countrysides": "admin_region",
    "oil field": "facility",
    "oilfield": "facility",
    "field": "facility",
    "port": "facility",
    "terminal": "facility",
    "refinery": "facility",
    "highway": "road",
    "road": "road",
    "corridor": "road",
    "plain": "region",
    "mountain": "mountain",
    "mountains": "mountain",
    "hill": "mountain",
    "river": "water",
    "lake": "water",
    "reservoir": "water",
    "dam": "water",
    "city": "populated_place",
    "town": "populated_place",
    "village": "populated_place",
    "pocket": "region",
    "enclave": "region",
    "bridge": "crossing",
    "bridges": "crossing",
    "outskirts": "populated_place",
    "suburbs": "populated_place",
    "suburb": "populated_place",
}
# "the town of X", "X village" … : the kind a cue asks for.
_BEFORE_CUES = {
    "town": "populated_place",
    "city": "populated_place",
    "village": "populated_place",
    "villages": "populated_place",
    "towns": "populated_place",
    "hamlet": "populated_place",
    "province": "admin_region",
    "governorate": "admin_region",
    "district": "admin_region",
    "countryside": "admin_region",
    "region": "region",
    "area": "populated_place",
    "outskirts": "populated_place",
    "near": "populated_place",
    "suburb": "district",
    "neighbourhood": "district",
    "neighborhood": "district",
    "base": "military_site",
    "airbase": "military_site",
    "airport": "airport",
    "camp": "camp",
    "crossing": "crossing",
    "mount": "mountain",
    "hill": "mountain",
    "river": "water",
    "capital": "populated_place",
}
# "outskirts of X", "near X" …: the place itself is not the point; precision 2.
_NEAR_CUES = frozenset({"near", "outskirts", "around", "suburbs", "vicinity", "edge", "nearby"})

_DIRECTION_KINDS = frozenset({"country", "admin_region", "region", "populated_place"})

# Capitalised words that head the name of an organisation, unit or medium
# ("Damascus University", "Libya Observer", "Moscow Times").
_ORG_HEADS = frozenset(
    """institute institution university college school academy council agency army armed
    forces force brigade brigades division regiment battalion corps militia front party
    movement committee commission ministry ministries government authority authorities
    observer observatory times post news herald tribune daily weekly gazette monitor
    journal review today tv television radio channel network press media broadcasting
    agency airlines airways company corporation bank group foundation center centre
    forum club league federation union association organisation organization office
    police guard guards court parliament assembly chamber embassy consulate mission
    project initiative studies watch international defence defense command service
    services programme program directorate coordinators response""".split()
)
_ORG_OF_HEADS = frozenset(
    """institute university college school academy council ministry ministers minister
    government governor governorate-council embassy consulate bank league forces army
    navy police directorate""".split()
)


@dataclass
class Mention:
    """A span of text that names a place, with its gazetteer candidates.

    ``candidates`` pairs each place with its context-free score and match
    class; :mod:`geo.resolve` chooses among them.
    """

    start: int
    end: int
    surface: str
    sentence_start: int
    sentence_end: int
    candidates: list[tuple[Place, str, float]] = field(default_factory=list)
    kind_cue: str | None = None  # the kind a cue word asks for
    near: bool = False  # "near X", "outskirts of X"
    direction: str | None = None  # n, s, e, w, ne, nw, se, sw, c
    strong: bool = False  # a well-known place, trusted without context


class _Tok(NamedTuple):
    text: str
    start: int
    end: int
    low: str
    cap: bool
    upper: bool


def sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentences.

    Returns
    -------
    list of (start, end)
        Offsets of each sentence, stripped of surrounding white space.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        before = text[max(pos, m.start() - 6) : m.start()].rstrip(".!?\"'”’)] ").lower()
        last = before.split()[-1] if before.split() else ""
        if (
            m.group(0).strip() == ""
            and "\n" not in m.group(0)
            and (last in _ABBREV or (len(last) == 1 and last.isalpha()))
        ):
            continue
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    result = []
    for a, b in out:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if b - trail > a + lead:
            result.append((a + lead, b - trail))
    return result


def _title_case(toks: Sequence[_Tok]) -> bool:
    """A headline in Title Case: most words of four letters or more capitalised.

    There, a capital says nothing about a word ("After Karabakh: Can The South
    Caucasus..."), as at the start of a sentence.
    """
    words = [t for t in toks if len(t.text) >= 4 and t.text.isalpha()]
    return len(words) >= 3 and sum(t.cap for t in words) >= 0.8 * len(words)


def _is_cap(word: str) -> bool:
    if word[0].isupper():
        return True
    # al-Bab, el-Mina, ash-Shaddadi, ad-Dana: an article glued to a name.
    head, sep, rest = word.partition("-")
    return bool(sep and rest and head.lower() in ARTICLES and rest[0].isupper())


_new = tuple.__new__  # builds a _Tok without NamedTuple's Python-level __new__
_POSSESSIVE = re.compile(r"['’ʼ]s?$")
_HYPHEN = re.compile(r"[-‐‑]")


def _tokens(text: str, a: int, b: int) -> list[_Tok]:
    toks = []
    append = toks.append
    for m in _TOKEN.finditer(text, a, b):
        start, w = m.start(), m.group(0)
        if w.isalpha() and w.islower():  # most words: nothing to split or fold
            append(_new(_Tok, (w, start, start + len(w), w, False, False)))
            continue
        # "Turkey's", "Russia’s": the possessive is not part of the name.
        if "'" in w or "’" in w or "ʼ" in w:
            w = _POSSESSIVE.sub("", w) or w
        first_upper = w[0].isupper()
        # "Turkey-backed", "US-based": a capitalised word with a lower-case
        # tail is two words (but "al-Bab", "ad-Dana" stay whole).
        # "Sirte-Jufra", "Nagorno-Karabakh", "Russian-Turkish": the parts of a
        # capitalised compound are words of their own, joined by the hyphen,
        # so that the whole is found when it is a name and each part when not.
        # ("al-Bab", "ad-Dana" stay whole; "North-West" is one direction.)
        if (
            first_upper
            and ("-" in w or "‐" in w or "‑" in w)
            and w.lower() not in DIRECTIONS
            and _HYPHEN.split(w, maxsplit=1)[0].lower() not in ARTICLES
        ):
            st = start
            for part in _HYPHEN.split(w):
                if part:
                    up = part[0].isupper()
                    low = part.lower()
                    append(_new(_Tok, (part, st, st + len(part), low, up, up and _upper(part))))
                st += len(part) + 1
            continue
        cap = first_upper or ("-" in w and _is_cap(w))
        append(_new(_Tok, (w, start, start + len(w), w.lower(), cap, first_upper and _upper(w))))
    return toks


def _upper(word: str) -> bool:
    """All capitals, at least two letters (US, UAE, BEIRUT; not "A" or "M4")."""
    return word.isupper() and sum(c.isalpha() for c in word) >= 2


def _glued(text: str, left: _Tok, right: _Tok) -> bool:
    """True when only spaces or one hyphen (no other punctuation, no line
    break) separate two tokens."""
    gap = text[left.end : right.start]
    return (0 < len(gap) <= 2 and gap.strip(" \t") == "") or gap in ("-", "‐", "‑")


def extract(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Find the toponyms of a text.

    Parameters
    ----------
    text : str
        The article text.
    gazetteer : Gazetteer
        Where names are looked up.

    Returns
    -------
    list of Mention
        In text order, not overlapping; ``candidates`` sorted best first by
        context-free score.
    """
    sents = sentences(text)
    all_toks: list[tuple[list[_Tok], int, int]] = []
    keys: dict[str, list[tuple[int, int, int]]] = {}
    for si, (a, b) in enumerate(sents):
        toks = _tokens(text, a, b)
        all_toks.append((toks, a, b))
        for i, t in enumerate(toks):
            if not t.cap or t.low == "the":
                continue
            for j in range(i, min(i + 7, len(toks))):
                tj = toks[j]
                if j > i and not _glued(text, toks[j - 1], tj):
                    break
                if not tj.cap:
                    if tj.low in _CONNECTORS and j + 1 < len(toks):
                        continue
                    if not _head_at(toks, j):
                        break
                if j > i and tj.low in ARTICLES:
                    continue  # "Tripoli As Families Flee": an article ends no name
                key = fold(text[t.start : tj.end])
                if key:
                    keys.setdefault(key, []).append((si, i, j))
                if not tj.cap:
                    # a head word closes the name; one more for two-word heads
                    if j + 1 < len(toks) and _glued(text, tj, toks[j + 1]):
                        k2 = fold(text[t.start : toks[j + 1].end])
                        keys.setdefault(k2, []).append((si, i, j + 1))
                    break

    found = gazetteer.lookup(keys)
    stop = gazetteer.not_places
    # (sentence, i, j) → (candidates, match class)
    matches: dict[tuple[int, int, int], tuple[list[tuple[Place, bool]], str]] = {}
    stops: set[tuple[int, int, int]] = set()
    for key, where in keys.items():
        for w in where:
            if key in stop:
                stops.add(w)
            elif key in found:
                matches[w] = (found[key], "exact")
    # Loose matches for capitalised runs that matched nothing exactly.
    loose_keys: dict[str, list[tuple[int, int, int]]] = {}
    for key, where in keys.items():
        if key in found or key in stop:
            continue
        skel = None
        for w in where:
            toks = all_toks[w[0]][0]
            span = toks[w[1] : w[2] + 1]
            # Only runs of capitalised words; and ordinary English words
            # ("Patriarch", "City Court") are no transliteration of anything.
            if all(t.cap or t.low in _CONNECTORS for t in span) and not any(
                t.cap and gazetteer.common_word_zipf(t.low) >= 3.0 for t in span
            ):
                skel = skel or loose(key)
                if len(skel) >= 5:
                    loose_keys.setdefault(skel, []).append(w)
    if loose_keys:
        lfound = gazetteer.lookup(loose_keys, loose_keys=True)
        for skel, where in loose_keys.items():
            cands = [(p, prim) for p, prim in lfound.get(skel, ()) if _loose_ok(p)]
            for w in where:
                if cands and w not in matches:
                    matches[w] = (cands, "loose")

    # Longest first; at equal length, stop names beat places, exact beats loose.
    order = sorted(
        [(w, "stop") for w in stops] + [(w, "place") for w in matches],
        key=lambda x: (
            x[0][0],
            -(x[0][2] - x[0][1]),
            x[1] != "stop",
            matches.get(x[0], (None, "exact"))[1] != "exact",
            x[0][1],
        ),
    )
    taken: dict[int, set[int]] = {}
    placed: dict[int, set[int]] = {}  # tokens of place matches (not of stop names)
    chosen: list[tuple[tuple[int, int, int], str]] = []
    for w, what in order:
        used = taken.setdefault(w[0], set())
        if any(k in used for k in range(w[1], w[2] + 1)):
            continue
        used.update(range(w[1], w[2] + 1))
        if what == "place":
            placed.setdefault(w[0], set()).update(range(w[1], w[2] + 1))
        chosen.append((w, what))

    mentions: list[Mention] = []
    glued: set[str] = set()
    for (si, i, j), what in sorted(chosen):
        if what == "stop":
            continue
        toks, sa, sb = all_toks[si]
        cands, match = matches[(si, i, j)]
        mention = _make_mention(
            text, toks, i, j, sa, sb, cands, match, gazetteer, placed[si], glued
        )
        if mention is not None:
            mentions.append(mention)
    # A weak name seen inside a longer non-place name ("President Bush",
    # "George Bush") is that name everywhere in the article ("Bush said").
    return [
        m
        for m in mentions
        if fold(m.surface) not in glued
        or m.kind_cue is not None  # "Ararat province" after "Ararat Mirzoyan"
        or any(p.kind in ("country", "region", "water") for p, _, _ in m.candidates)
    ]


_HEAD_FIRST = {h[0]: [x for x in _HEADS if x[0] == h[0]] for h in _HEADS}


def _head_at(toks: Sequence[_Tok], j: int) -> bool:
    for head in _HEAD_FIRST.get(toks[j].low, ()):
        if tuple(t.low for t in toks[j : j + len(head)]) == head:
            return True
    return False


# Countries whose names reach English news in many transliterations (Arabic,
# Turkic, Persian, Caucasian): a loose (consonant-skeleton) match is trusted
# only for places there, for curated rows, and for large cities.
_LOOSE_COUNTRIES = frozenset(
    "SY LY AM AZ TR IQ IR LB JO GE EG TN DZ MA SD TD NE ML IL PS SA YE AE QA KW OM BH AF PK"
    " RU UA KZ UZ TM TJ KG".split()
)


def _loose_ok(place: Place) -> bool:
    return (
        not place.gazetteer_id.startswith("geonames:")
        or place.country in _LOOSE_COUNTRIES
        or place.population >= 100_000
    )


def _strong(place: Place, match: str, primary: bool) -> bool:
    """A candidate well known enough to stand without help from context."""
    if match != "exact":
        return False
    if place.kind in ("country", "region", "water"):
        return True
    if not place.gazetteer_id.startswith("geonames:"):
        return True  # curated for the theatres
    return place.population >= 100_000 or (place.kind == "admin_region" and primary)


# Words that stand before a person's name: in any case ("spokesman Valls"),
# or only capitalised, being also ordinary words ("Major", "General", "Chief").
_PERSON_TITLES = frozenset(
    """president presidents minister ministers senator secretary spokesman spokeswoman
    spokesperson ambassador envoy premier chancellor mayor analyst correspondent reporter
    journalist activist professor commander speaker lawmaker mp researcher fellow expert
    commentator editor""".split()
)
_PERSON_TITLES_CAPITALISED = frozenset(
    """general gen major maj captain capt colonel col lieutenant lt sergeant sgt chief mr
    mrs ms dr king queen prince princess emir sheikh judge pope rep sen governor gov
    deputy director prof chairman""".split()
)


def _initial_near(text: str, toks: Sequence[_Tok], i: int, j: int) -> bool:
    """True when a one-letter initial ("W.") stands right before or after the span."""
    if i > 0:
        t = toks[i - 1]
        if len(t.text) == 1 and t.text.isupper() and text[t.end : t.end + 1] == ".":
            return True
    if j + 1 < len(toks):
        t = toks[j + 1]
        if len(t.text) == 1 and t.text.isupper() and text[t.end : t.end + 1] == ".":
            return True
    return False


# Generic heads of Arabic (and Turkish) place names: "Kafr X" is a village
# of its own, not X.
_NAME_HEADS = frozenset(
    """kafr kfar kafar tal tell tall jabal jebel jbel ain ayn deir dayr khirbet khirbat
    kherbet bir ras wadi bab qasr umm beit bayt mazraat mazraa maarat marj sahl hayy tel
    qalaat qalat khan""".split()
)

_SITE_HEADS = frozenset(
    """airport airbase base bridge dam stadium square park street road highway crossing
    camp port station gate mosque church citadel castle palace museum tower""".split()
)


def _site_ahead(text: str, toks: Sequence[_Tok], j: int) -> bool:
    """True when a capitalised run after token ``j`` names a site ("Istanbul
    Atatürk International Airport"): then the place is part of the site's name."""
    k = j
    while (
        k + 1 < len(toks) and k - j < 4 and toks[k + 1].cap and _glued(text, toks[k], toks[k + 1])
    ):
        k += 1
        if toks[k].low in _SITE_HEADS:
            return True
    return False


_MAX_CANDIDATES = 20  # the best by context-free score; more never win


def _make_mention(
    text: str,
    toks: list[_Tok],
    i: int,
    j: int,
    sa: int,
    sb: int,
    cands: list[tuple[Place, bool]],
    match: str,
    gazetteer: Gazetteer,
    used: set[int],
    glued: set[str],
) -> Mention | None:
    # The span ends at the last capitalised token: a lower-case head ("air
    # base", "province") belongs to the matched name but not to the span.
    last = j
    while last > i and not toks[last].cap:
        last -= 1
    head = " ".join(t.low for t in toks[last + 1 : j + 1])
    name_toks = toks[i : last + 1]
    first = name_toks[0]
    surface = text[first.start : toks[last].end]
    scored = sorted(
        ((p, match, rank_score(p, match, prim)) for p, prim in cands),
        key=lambda c: (-c[2], c[0].gazetteer_id),
    )
    if not scored:
        return None
    scored = scored[:_MAX_CANDIDATES]

    strong = any(_strong(p, match, prim) for p, prim in cands)
    single = i == last

    # All-capitals tokens: short ones (US, UAE, HTS, GNA) only as countries
    # and curated rows; longer ones (datelines: BEIRUT, TBILISI) when well known.
    if all(t.upper for t in name_toks if t.text.isalpha() or t.upper):
        n_letters = sum(c.isalpha() for c in surface)
        scored = [
            c
            for c in scored
            if c[0].kind == "country"
            or not c[0].gazetteer_id.startswith("geonames:")
            or (n_letters >= 4 and strong)
        ]
        if not scored:
            return None

    prev = toks[i - 1] if i > 0 else None
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    # A direction word alone is no place ("South", "Western").
    if single and first.low in DIRECTIONS:
        return None
    # "Kafr Halab", "Tal Hamidiyah": a generic head of Arabic place names
    # before the match makes a longer name the gazetteer lacks; "Halab" there
    # is not Aleppo.
    if (
        prev is not None
        and prev.cap
        and prev.low in _NAME_HEADS
        and _glued(text, prev, first)
        and (i - 1) not in used
    ):
        return None
    # People: after a title ("President Bush", "spokesman Salman"), or next to
    # an initial ("George W. Bush").
    title = prev.low.rstrip(".") if prev is not None else ""
    if (
        title in _PERSON_TITLES
        or (prev is not None and prev.cap and title in _PERSON_TITLES_CAPITALISED)
        or _initial_near(text, toks, i, j)
    ):
        if not any(p.kind in ("country", "region", "water") for p, _, _ in scored):
            glued.add(fold(surface))
            # a person, not a place: neighbours may be weak places glued to it
            used.difference_update(range(i, j + 1))
            return None
    sentence_initial = (
        i == 0 or (prev is not None and not prev.text[0].isalnum()) or _title_case(toks)
    )

    # A common English word at the start of a sentence is capitalised by
    # position only: "Many", "Say", "Will".
    if single and sentence_initial:
        zipf = gazetteer.common_word_zipf(first.low)
        if (zipf >= 3.0 and not strong) or (
            zipf >= 5.5 and not any(p.kind in ("country", "region", "water") for p, _, _ in scored)
        ):
            return None
    # Organisation names built on a place: "Damascus University",
    # "Libya Observer", "University of Aleppo".
    # The head may come a few capitalised words later ("U.S. Africa Command",
    # "Syria Civil Defence", "Aleppo Media Center").
    # A site named in full is no organisation ("Tripoli International Airport").
    site = _site_ahead(text, toks, j)
    k = j
    while (
        not site
        and k + 1 < len(toks)
        and k - j < 3
        and toks[k + 1].cap
        and _glued(text, toks[k], toks[k + 1])
    ):
        k += 1
        if toks[k].low in _ORG_HEADS:
            return None
    if (
        i >= 2
        and prev is not None
        and prev.low == "of"
        and toks[i - 2].cap
        and toks[i - 2].low in _ORG_OF_HEADS
    ):
        return None
    # "Jordan Whitfield", "Ararat Mirzoyan": even a well-known place name is a
    # first name when a capitalised word that is no place and no English word
    # follows it.
    if (
        single
        and nxt is not None
        and nxt.cap
        and not nxt.upper
        and not first.upper
        and text[toks[j].end : nxt.start] == " "
        and not site
        and nxt.low not in _ORG_HEADS
        and nxt.low not in _HEAD_KIND
        and gazetteer.common_word_zipf(nxt.low) < 2.5
        and not any(p.kind in ("region", "water") for p, _, _ in scored)
    ):
        glued.add(fold(surface))
        # a person, not a place: neighbours may be weak places glued to it
        used.difference_update(range(i, j + 1))
        return None
    if not strong:
        # A common word mid-sentence ("Accord", "Liberty") is a place only with a cue.
        if single and gazetteer.common_word_zipf(first.low) >= 3.5 and not head:
            if not (prev is not None and prev.low in _BEFORE_CUES):
                return None
        # A weak candidate glued to capitalised words that are no place is
        # part of another name: a person ("Khalifa Haftar"), a unit.
        left_glued = (
            prev is not None
            and prev.cap
            and not sentence_initial
            and _glued(text, prev, first)
            and (i - 1) not in used
        )
        right_glued = (
            nxt is not None and nxt.cap and _glued(text, toks[j], nxt) and (j + 1) not in used
        )
        if left_glued or right_glued:
            glued.add(fold(surface))
            # a person, not a place: neighbours may be weak places glued to it
            used.difference_update(range(i, j + 1))
            return None

    mention = Mention(
        start=first.start,
        end=toks[last].end,
        surface=surface,
        sentence_start=sa,
        sentence_end=sb,
        candidates=scored,
        strong=strong,
    )
    if head:
        mention.kind_cue = _HEAD_KIND.get(head)
    elif nxt is not None and nxt.low in _HEAD_KIND and _glued(text, toks[j], nxt):
        mention.kind_cue = _HEAD_KIND[nxt.low]
    # Cues before: "the town of X", "village of X", "near X", "outskirts of X".
    back = [t.low for t in toks[max(0, i - 3) : i]]
    if back:
        if back[-1] in _NEAR_CUES or (
            len(back) >= 2 and back[-1] == "of" and back[-2] in _NEAR_CUES
        ):
            mention.near = True
        cue_word = back[-2] if len(back) >= 2 and back[-1] == "of" else back[-1]
        if mention.kind_cue is None and cue_word in _BEFORE_CUES and cue_word not in _NEAR_CUES:
            mention.kind_cue = _BEFORE_CUES[cue_word]
    # A direction word before the place makes one region span.
    if prev is not None and _glued(text, prev, first) and prev.low in DIRECTIONS:
        if any(p.kind in _DIRECTION_KINDS for p, _, _ in scored):
            mention.direction = DIRECTIONS[prev.low]
            mention.start = prev.start
            mention.surface = text[prev.start : mention.end]
    return mention
