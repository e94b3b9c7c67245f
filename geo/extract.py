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

:func:`extract` runs four steps: :func:`_candidate_spans` (the windows that
may name a place), :func:`_lookup` (exact, then loose), :func:`_choose_longest`
and :func:`_build_mentions`. Each context rule is a predicate over a
:class:`_Span` that returns why the span is no place (or None); ``_RULES``
lists them in the order they apply. The cues are functions of the span too.

Offsets are Python ``str`` indices: ``text[start:end] == surface``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from .directions import DIRECTIONS
from .gazetteer import Gazetteer, Place, is_curated, rank_score
from .names import ARTICLES, fold, fold_words, join_folded, loose

__all__ = ["Mention", "extract", "sentences", "DIRECTIONS"]

# A word: letters and digits, apostrophes inside, and hyphens between letters
# ("al-Bab", "Nagorno-Karabakh", "Turkey's"); or initials ("U.S.").
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_][\w'’ʼ]*(?:[-‐‑][^\W_][\w'’ʼ]*)*")
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
# Kinds of places that are no point: well known without context, and a title
# or a longer name around them does not make them a person's name.
_AREA_KINDS = frozenset({"country", "region", "water"})

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
    primary_ids: frozenset[str] = frozenset()  # candidates named so by their main name


class _Tok(NamedTuple):
    text: str
    start: int
    end: int
    low: str
    cap: bool
    upper: bool


def sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentences.

    A full stop after an abbreviation ("Gen.", "U.S.") or an initial ends no
    sentence; a blank line or a list item starts one.

    Parameters
    ----------
    text : str
        The article text.

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


_CAP = itemgetter(4)  # _Tok.cap, read in C
_new = tuple.__new__  # builds a _Tok without NamedTuple's Python-level __new__
_POSSESSIVE = re.compile(r"['’ʼ]s?$")
_HYPHEN = re.compile(r"[-‐‑]")


def _tokens(text: str, a: int, b: int) -> list[_Tok]:
    """The tokens of ``text[a:b]``."""
    return _tokens_glue(text, a, b)[0]


def _tokens_glue(text: str, a: int, b: int) -> tuple[list[_Tok], list[bool]]:
    """The tokens of ``text[a:b]`` and, for each, whether it is glued to the one
    before (:func:`_glued`; ``False`` for the first)."""
    toks: list[_Tok] = []
    glue: list[bool] = []
    append, glued = toks.append, glue.append
    end = -1  # end of the last token
    for m in _TOKEN.finditer(text, a, b):
        start, w = m.start(), m.group()
        if end < 0:
            glued(False)
        elif start - end == 1 and text[end] == " ":  # the usual gap
            glued(True)
        else:
            glued(text[end:start] in _GLUING)
        if w.isalpha() and w.islower():  # most words: nothing to split or fold
            end = start + len(w)
            append(_new(_Tok, (w, start, end, w, False, False)))
            continue
        for tok in _special(w, start):
            if tok.start > start:  # the second part of a split word, and on
                glued(text[end : tok.start] in _GLUING)
            append(tok)
            end = tok.end
    return toks, glue


# What may stand between glued tokens (:func:`_glued`): one or two spaces or
# tabs, or one hyphen.
_GLUING = frozenset({" ", "\t", "  ", " \t", "\t ", "\t\t", "-", "‐", "‑"})


def _special(w: str, start: int) -> list[_Tok]:
    """The token(s) of a word that is not all lower-case letters."""
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
        out = []
        st = start
        for part in _HYPHEN.split(w):
            if part:
                up = part[0].isupper()
                low = part.lower()
                out.append(_new(_Tok, (part, st, st + len(part), low, up, up and _upper(part))))
            st += len(part) + 1
        return out
    cap = first_upper or ("-" in w and _is_cap(w))
    return [_new(_Tok, (w, start, start + len(w), w.lower(), cap, first_upper and _upper(w)))]


def _upper(word: str) -> bool:
    """All capitals, at least two letters (US, UAE, BEIRUT; not "A" or "M4")."""
    return word.isupper() and sum(c.isalpha() for c in word) >= 2


def _glued(text: str, left: _Tok, right: _Tok) -> bool:
    """True when only spaces or one hyphen (no other punctuation, no line
    break) separate two tokens."""
    return text[left.end : right.start] in _GLUING


# ---------------------------------------------------------------------------
# the steps of extract

_Where = tuple[int, int, int]  # (sentence, first token, last token) of a window
_Sentence = tuple[list[_Tok], int, int]  # a sentence's tokens, its start and end
_Found = tuple[list[tuple[Place, bool]], str]  # (place, primary) candidates, match class
_Scored = tuple[Place, str, float]  # place, match class, context-free score


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
        context-free score. Names that look like places by their context
        but match no gazetteer name (:func:`_unknown_places`) come with no
        candidates; :func:`geo.resolve.resolve` places them from their context.
    """
    sents, keys = _candidate_spans(text)
    matches, stops = _lookup(keys, sents, gazetteer)
    chosen = _choose_longest(matches, stops)
    built = _build_mentions(text, sents, chosen, matches, gazetteer)
    mentions = [m for m in built.mentions if not _named_otherwise(m, built.other_names)]
    covered = built.covered
    for si, i, j in stops:
        covered.setdefault(si, set()).update(range(i, j + 1))
    unknown = _unknown_places(text, sents, covered, mentions, gazetteer, built.other_names)
    if unknown:
        mentions = sorted(mentions + unknown, key=lambda m: m.start)
    return mentions


def _candidate_spans(text: str) -> tuple[list[_Sentence], dict[str, list[_Where]]]:
    """Every window of the text that may name a place, by folded key.

    Returns
    -------
    sentences : list of (tokens, start, end)
        Each sentence's tokens and offsets; windows index them.
    keys : dict
        Folded text of a window → the windows with that text, in text order.
    """
    sents: list[_Sentence] = []
    keys: dict[str, list[_Where]] = {}
    for si, (a, b) in enumerate(sentences(text)):
        toks, glue = _tokens_glue(text, a, b)
        sents.append((toks, a, b))
        for i in compress(range(len(toks)), map(_CAP, toks)):
            if toks[i].low == "the" or _stutter(text, toks, i):
                continue
            for j, key in _windows_from(text, toks, i, glue):
                keys.setdefault(key, []).append((si, i, j))
    return sents, keys


def _glue(text: str, toks: Sequence[_Tok]) -> list[bool]:
    """``glue[j]``: token ``j`` is glued to token ``j - 1`` (:func:`_glued`), once per pair.

    A window is extended over up to seven tokens from every capitalised one, so
    each pair would otherwise be looked at up to seven times.
    """
    return [False] + [_glued(text, toks[j - 1], toks[j]) for j in range(1, len(toks))]


def _stutter(text: str, toks: Sequence[_Tok], i: int) -> bool:
    """Token ``i`` is the third (or later) of one word repeated, glued: "I I I", "US US US".

    No name repeats a word three times in a row ("Walla Walla", "Baden-Baden"
    repeat it twice), and a text made of one word repeated would otherwise
    start seven windows at every word, each looked up and judged by the rules
    (800 kB of "I I I ..." took two minutes). Windows still start at the first
    two, so nothing a name needs is lost.
    """
    return (
        i >= 2
        and toks[i].text == toks[i - 1].text == toks[i - 2].text
        and _glued(text, toks[i - 1], toks[i])
        and _glued(text, toks[i - 2], toks[i - 1])
    )


def _windows_from(
    text: str, toks: Sequence[_Tok], i: int, glue: Sequence[bool] | None = None
) -> Iterator[tuple[int, str]]:
    """The windows that start at capitalised token ``i``: (last token, folded key).

    A window runs over glued words, up to seven: capitalised ones, the
    connectors that occur inside names ("of", "al-", "bin") and a closing
    lower-case head ("air base", "province"); an article ends no window.

    The key of a window is ``fold(text[start:end])``, made from the folded
    words of its tokens (glued tokens are parted by spaces or a hyphen only,
    so the two are the same: :func:`geo.names.fold_words`); ``glue`` is
    :func:`_glue` of the tokens, computed here when not given.
    """
    if glue is None:
        glue = _glue(text, toks)
    # join_folded(words), kept up word by word: the words, and those not articles
    words: list[str] = []
    kept: list[str] = []
    n = len(toks)
    for j in range(i, min(i + 7, n)):
        tj = toks[j]
        if j > i and not glue[j]:
            return
        if not tj.cap:
            if tj.low in _CONNECTORS and j + 1 < n:
                _add_words(fold_words(tj.text), words, kept)
                continue
            if not _head_at(toks, j):
                return
        _add_words(fold_words(tj.text), words, kept)
        if j > i and tj.low in ARTICLES:
            continue  # "Tripoli As Families Flee": an article ends no name
        if not kept:
            key = " ".join(words)
        elif len(kept) > 1 and kept[0] == "the":
            key = " ".join(kept[1:])
        else:
            key = " ".join(kept)
        if key:
            yield j, key
        if not tj.cap:
            # a head word closes the name; one more for two-word heads
            if j + 1 < len(toks) and glue[j + 1]:
                yield j + 1, join_folded(words + list(fold_words(toks[j + 1].text)))
            return


def _add_words(folded: tuple[str, ...], words: list[str], kept: list[str]) -> None:
    """Add a token's folded words to a window's words, and to those of them not articles."""
    for w in folded:
        words.append(w)
        if w not in ARTICLES:
            kept.append(w)


def _lookup(
    keys: dict[str, list[_Where]], sents: Sequence[_Sentence], gazetteer: Gazetteer
) -> tuple[dict[_Where, _Found], set[_Where]]:
    """Look the windows up: exactly, then loosely those that matched nothing.

    Returns
    -------
    matches : dict
        Window → (candidates, ``"exact"`` or ``"loose"``).
    stops : set
        Windows that name a known non-place (``not_places.txt``).
    """
    found = gazetteer.lookup(keys)
    stop = gazetteer.not_places
    matches: dict[_Where, _Found] = {}
    stops: set[_Where] = set()
    for key, where in keys.items():
        for w in where:
            if key in stop:
                stops.add(w)
            elif key in found:
                matches[w] = (found[key], "exact")
    loose_keys = _loose_keys(keys, found, stop, sents, gazetteer.common_word_zipf)
    if loose_keys:
        lfound = gazetteer.lookup(loose_keys, loose_keys=True)
        for skel, where in loose_keys.items():
            cands = [(p, prim) for p, prim in lfound.get(skel, ()) if _loose_ok(p)]
            for w in where:
                if cands and w not in matches:
                    matches[w] = (cands, "loose")
    return matches, stops


def _loose_keys(
    keys: dict[str, list[_Where]],
    found: dict[str, list[tuple[Place, bool]]],
    stop: Container[str],
    sents: Sequence[_Sentence],
    zipf: Callable[[str], float],
) -> dict[str, list[_Where]]:
    """Consonant skeletons of the windows that matched nothing exactly.

    Only runs of capitalised words qualify, and ordinary English words
    ("Patriarch", "City Court") are no transliteration of anything.
    """
    loose_keys: dict[str, list[_Where]] = {}
    unfit: dict[int, list[int]] = {}  # per sentence: running count of tokens no name has
    for key, where in keys.items():
        if key in found or key in stop:
            continue
        skel = None
        for si, i, j in where:
            counts = unfit.get(si)
            if counts is None:
                counts = unfit[si] = _unfit_counts(sents[si][0], zipf)
            if counts[j + 1] == counts[i]:
                skel = skel or loose(key)
                if len(skel) >= 5:
                    loose_keys.setdefault(skel, []).append((si, i, j))
    return loose_keys


def _unfit_counts(toks: Sequence[_Tok], zipf: Callable[[str], float]) -> list[int]:
    """Running count of the tokens a loosely matched name cannot hold.

    A token is unfit when it is neither capitalised nor a connector, or when it
    is a capitalised common English word: window ``toks[i..j]`` holds none
    when ``counts[j + 1] == counts[i]``. Counted once per sentence, so that
    checking a window costs the same whatever its length (a text of nothing
    but capitalised words has seven windows per word).
    """
    counts = [0]
    for t in toks:
        bad = not (t.cap or t.low in _CONNECTORS) or (t.cap and zipf(t.low) >= 3.0)
        counts.append(counts[-1] + bad)
    return counts


def _choose_longest(matches: dict[_Where, _Found], stops: set[_Where]) -> list[_Where]:
    """The windows that win, so that no two overlap.

    Longest first; at equal length, stop names beat places, exact beats
    loose. A stop name takes its words from places but is no mention.

    Returns
    -------
    list of (sentence, i, j)
        The place windows chosen, in text order.
    """
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
    chosen: list[_Where] = []
    for w, what in order:
        used = taken.setdefault(w[0], set())
        if any(k in used for k in range(w[1], w[2] + 1)):
            continue
        used.update(range(w[1], w[2] + 1))
        if what == "place":
            chosen.append(w)
    return sorted(chosen)


@dataclass
class _Built:
    """What :func:`_build_mentions` found."""

    mentions: list[Mention]
    other_names: set[str]  # folded names found to be part of another name
    covered: dict[int, set[int]]  # tokens of each sentence held by a mention


def _build_mentions(
    text: str,
    sents: Sequence[_Sentence],
    chosen: Sequence[_Where],
    matches: dict[_Where, _Found],
    gazetteer: Gazetteer,
) -> _Built:
    """Judge each chosen window by the rules (:data:`_RULES`), in text order.

    When a rule rejects a window for a reason that does not make it some
    other name (a person, a unit), the shorter windows inside it are judged
    in its place, longest first ("the Aleppo-Latakia highway" names Aleppo
    and Latakia).
    """
    # Tokens of each sentence held by a place window. A span found to be part
    # of another name gives its tokens back, so that weak places glued to it
    # later in the sentence count as glued to a non-place.
    placed: dict[int, set[int]] = {}
    for si, i, j in chosen:
        placed.setdefault(si, set()).update(range(i, j + 1))
    inner: dict[int, list[tuple[int, int]]] = {}
    for si, i, j in matches:
        inner.setdefault(si, []).append((i, j))
    judge = _Judge(text, sents, matches, gazetteer.common_word_zipf, placed, inner)
    for w in chosen:
        if w[1] == w[2] and not judge.strong(w):
            judge.weak.setdefault(w[0], set()).add(w[1])
    for w in chosen:
        judge.window(w)
    covered = {si: set(toks) for si, toks in judge.covered.items()}
    return _Built(judge.mentions, judge.other_names, covered)


_NONE: frozenset[int] = frozenset()
_NO_IDS: frozenset[str] = frozenset()


class _Judge:
    """Applies the rules to windows, retrying shorter ones inside a rejected window."""

    def __init__(
        self,
        text: str,
        sents: Sequence[_Sentence],
        matches: dict[_Where, _Found],
        zipf: Callable[[str], float],
        placed: dict[int, set[int]],
        inner: dict[int, list[tuple[int, int]]],
    ) -> None:
        self.text, self.sents, self.matches, self.zipf = text, sents, matches, zipf
        self.placed, self.inner = placed, inner
        self.headline: dict[int, bool] = {}
        self.mentions: list[Mention] = []
        self.other_names: set[str] = set()
        self.covered: dict[int, set[int]] = {}
        self.weak: dict[int, set[int]] = {}  # tokens held by one-word weak windows
        self._strong: dict[_Where, bool] = {}

    def strong(self, w: _Where) -> bool:
        """A candidate of window ``w`` is well known enough to stand alone."""
        found = self._strong.get(w)
        if found is None:
            cands, match = self.matches[w]
            found = self._strong[w] = any(_strong(p, match, prim) for p, prim in cands)
        return found

    def window(self, w: _Where) -> None:
        """Judge window ``w``; on a rejection that names no other thing, its inner windows."""
        si, i, j = w
        toks, sa, sb = self.sents[si]
        cands, match = self.matches[w]
        if si not in self.headline:
            self.headline[si] = _title_case(toks)
        parts = tuple(self._parts(si, i, j)) if j > i else ()
        span = _make_span(
            self.text, toks, i, j, cands, match,
            placed=self.placed[si], zipf=self.zipf, headline=self.headline[si], parts=parts,
            weak_placed=self.weak.get(si, _NONE),
            strong=self.strong(w),
        )  # fmt: skip
        rejection = _rejection(span)
        if rejection is None:
            # Words of a rejected window stay free: "Deir Hama" or "Tal Zawiyeh"
            # may be a place of its own that _unknown_places finds.
            self.covered.setdefault(si, set()).update(range(i, j + 1))
            self.mentions.append(_mention(span, sa, sb))
        elif rejection[1]:
            self.other_names.add(fold(span.surface))
            self.placed[si].difference_update(range(i, j + 1))
        elif j > i:
            for a, b in _longest_first(self.inner.get(si, ()), i, j, self.matches, si):
                self.window((si, a, b))

    def _parts(self, si: int, i: int, j: int) -> Iterator[tuple[int, int, bool]]:
        """The exact matches strictly inside window (i, j): (first, last, strong)."""
        for a, b in self.inner.get(si, ()):
            if i <= a <= b <= j and (a, b) != (i, j) and self.matches[(si, a, b)][1] == "exact":
                yield a, b, self.strong((si, a, b))


def _longest_first(
    windows: Iterable[tuple[int, int]], i: int, j: int, matches: dict[_Where, _Found], si: int
) -> list[tuple[int, int]]:
    """The windows strictly inside (i, j) that win, longest and exact first, in text order."""
    inside = [(a, b) for a, b in windows if i <= a <= b <= j and (a, b) != (i, j)]
    inside.sort(key=lambda w: (-(w[1] - w[0]), matches[(si, *w)][1] != "exact", w[0]))
    taken: set[int] = set()
    out = []
    for a, b in inside:
        if taken.isdisjoint(range(a, b + 1)):
            taken.update(range(a, b + 1))
            out.append((a, b))
    return sorted(out)


def _named_otherwise(mention: Mention, other_names: Container[str]) -> bool:
    """True for a weak name seen inside a longer non-place name elsewhere.

    "Bush" after "President Bush" or "George W. Bush" is that name everywhere
    in the article ("Bush said"), unless a cue ("Ararat province" after
    "Ararat Mirzoyan") or a country, region or water candidate says otherwise.
    """
    return (
        fold(mention.surface) in other_names
        and mention.kind_cue is None
        and not any(p.kind in _AREA_KINDS for p, _, _ in mention.candidates)
    )


# ---------------------------------------------------------------------------
# names in no gazetteer that look like places by their context

# "the village of X", "villages of X and Y", "X village": words that say a
# name is a village or a quarter.
_VILLAGE_CUES = frozenset(
    """village villages town towns hamlet hamlets neighbourhood neighbourhoods neighborhood
    neighborhoods suburb suburbs quarter quarters""".split()
)
_VILLAGE_AFTER = frozenset("village town hamlet neighbourhood neighborhood suburb quarter".split())
# First words of Arabic, Azerbaijani and Armenian village names (Kafr X, Tal X,
# Yukhari X, Verin X): a name that starts so is a place's.
_UNKNOWN_HEADS = frozenset(
    """kafr kfar kafar tal tell tall deir dayr ain ayn khirbet khirbat kherbet jabal jebel
    jbel bir ras wadi qasr marj mazraat mazraa maarat maaret hayy qalaat qalat yukhari
    yukhary ashaghi ashagi boyuk kichik verin nerkin""".split()
)
_TRIGGERS = _VILLAGE_CUES | _VILLAGE_AFTER | _UNKNOWN_HEADS | _NEAR_CUES
_SPEECH = frozenset("said says told added stated wrote argued warned".split())
_MAX_UNKNOWN_WORDS = 4


def _cap_runs(
    text: str, toks: Sequence[_Tok], covered: AbstractSet[int]
) -> Iterator[tuple[int, int]]:
    """Runs of glued capitalised words (with connectors inside) no window judged."""
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if not t.cap or t.low == "the" or i in covered:
            i += 1
            continue
        j = i
        while j + 1 < n and j + 1 not in covered and _glued(text, toks[j], toks[j + 1]):
            nxt = toks[j + 1]
            if nxt.cap or (
                nxt.low in _CONNECTORS
                and nxt.low not in ("and", "of", "the", "on", "upon")
                and j + 2 < n
                and toks[j + 2].cap
                and j + 2 not in covered
            ):
                j += 1
            else:
                break
        while j > i and not toks[j].cap:
            j -= 1
        if j - i < _MAX_UNKNOWN_WORDS:
            yield i, j
        i = j + 1


def _looks_like_name(span: Sequence[_Tok], zipf: Callable[[str], float]) -> bool:
    """A run that can be a place's name: no acronym, no common English word
    (but a village name's head), at least four letters."""
    caps = [t for t in span if t.cap]
    if any(t.upper for t in caps) or sum(len(t.text) for t in caps) < 4:
        return False
    return all(
        zipf(t.low) < 3.5 or (k == 0 and t.low in _UNKNOWN_HEADS) for k, t in enumerate(caps)
    )


def _village_cue_before(toks: Sequence[_Tok], i: int) -> bool:
    """ "village of X", "the villages of X", "town X"."""
    back = [t.low for t in toks[max(0, i - 2) : i]]
    if back and back[-1] == "of":
        back = back[:-1]
    return bool(back) and back[-1] in _VILLAGE_CUES


def _unknown_places(
    text: str,
    sents: Sequence[_Sentence],
    covered: dict[int, set[int]],
    mentions: Sequence[Mention],
    gazetteer: Gazetteer,
    other_names: Container[str],
) -> list[Mention]:
    """Names in no gazetteer that look like places by their context.

    A run of capitalised words no gazetteer name matched is a place when
    its context says so: a cue word ("the village of X", "X village", "near
    X"), the head of an Arabic or Caucasian village name ("Kafr X", "Tal X",
    "Yukhari X"), or a list it stands in with two or more villages or towns the
    gazetteer knows ("Kansafra, Fleifel and X"; a list after a cue word
    counts whole). Acronyms, common English words, known non-places, names
    after a title or before "said", organisations and names found to be a
    person's elsewhere are not. They come back without candidates: the
    resolver places them from their context, or drops them.
    """
    villages: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.candidates and _village_like(m):
            villages.setdefault(m.sentence_start, []).append(m)
    zipf = gazetteer.common_word_zipf
    out: list[Mention] = []
    for si, (toks, sa, sb) in enumerate(sents):
        known = villages.get(sa, [])
        if len(known) < 2 and _TRIGGERS.isdisjoint(t.low for t in toks):
            continue  # no cue, no head, no list of villages: nothing to find
        flagged = []
        for i, j in _cap_runs(text, toks, covered.get(si, set())):
            cue = _village_cue_before(toks, i) or (
                j + 1 < len(toks) and toks[j + 1].low in _VILLAGE_AFTER
            )
            near = i > 0 and toks[i - 1].low in _NEAR_CUES
            headed = j > i and toks[i].low in _UNKNOWN_HEADS
            flagged.append((i, j, cue, near or cue or headed))
        # Without a cue or a head, only a list can tell: of known villages,
        # or after a cue word.
        lists = len(known) >= 2 or any(f[2] for f in flagged)
        runs = [
            f for f in flagged if (f[3] or lists) and _looks_like_name(toks[f[0] : f[1] + 1], zipf)
        ]
        if not runs or _title_case(toks):
            continue
        items = sorted(
            [(m.start, m.end, True) for m in known]
            + [(toks[i].start, toks[j].end, False) for i, j, _, _ in runs]
        )
        for i, j, cue, said in runs:
            surface = text[toks[i].start : toks[j].end]
            key = fold(surface)
            if key in gazetteer.not_places or key in other_names or _not_a_place(text, toks, i, j):
                continue
            k = items.index((toks[i].start, toks[j].end, False))
            if said or _listed_with(text, items, k):
                out.append(
                    Mention(
                        start=toks[i].start,
                        end=toks[j].end,
                        surface=surface,
                        sentence_start=sa,
                        sentence_end=sb,
                        kind_cue="populated_place" if cue else None,
                        near=i > 0 and toks[i - 1].low in _NEAR_CUES,
                    )
                )
    return out


def _village_like(m: Mention) -> bool:
    return m.candidates[0][0].kind in ("populated_place", "district")


def _not_a_place(text: str, toks: Sequence[_Tok], i: int, j: int) -> bool:
    """A person or an organisation by the words around: a title before, "said"
    or an organisation's head after."""
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and (
        prev.low.rstrip(".") in _PERSON_TITLES
        or (prev.cap and prev.low.rstrip(".") in _PERSON_TITLES_CAPITALISED)
    ):
        return True
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return nxt is not None and (nxt.low in _SPEECH or (nxt.cap and nxt.low in _ORG_HEADS))


_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or)\s*", re.IGNORECASE)


def _list_of(
    text: str, items: Sequence[tuple[int, int, bool]], k: int
) -> tuple[int, list[tuple[int, int, bool]]]:
    """The list item ``k`` stands in: (offset where it starts, its items).

    ``items`` are (start, end, known village) in text order; two items are in
    one list when only a separator (",", "and", ", and", "or") lies between,
    and a list ends at the item after its "and" ("..., New York and Detroit,
    Smith & Co. said": Smith is no member).
    """
    group, first = 0, [0]
    groups = [0]
    for a in range(1, len(items)):
        gap = text[items[a - 1][1] : items[a][0]]
        prev_gap = (
            text[items[a - 2][1] : items[a - 1][0]]
            if a >= 2 and groups[a - 1] == groups[a - 2]
            else ""
        )
        closed = bool(re.search(r"\b(?:and|or)\b", prev_gap, re.IGNORECASE))
        if not _LIST_SEP.fullmatch(gap) or closed:
            group += 1
            first.append(a)
        groups.append(group)
    members = [it for it, g in zip(items, groups, strict=True) if g == groups[k]]
    return items[first[groups[k]]][0], members


def _listed_with(
    text: str,
    items: Sequence[tuple[int, int, bool]],
    k: int,
    *,
    villages_needed: int = 2,
) -> bool:
    """True when item ``k`` stands in a list with ``villages_needed`` known
    villages or towns, or in a list right after a village cue word ("the
    villages of A, B and C")."""
    start, members = _list_of(text, items, k)
    if len(members) < 2:
        return False
    before = text[max(0, start - 24) : start].lower().split()
    if before and before[-1] == "of":
        before = before[:-1]
    if before and before[-1] in _VILLAGE_CUES:
        return True
    return sum(known for _, _, known in members) >= villages_needed


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
    return is_curated(place) or place.country in _LOOSE_COUNTRIES or place.population >= 100_000


def _strong(place: Place, match: str, primary: bool) -> bool:
    """A candidate well known enough to stand without help from context."""
    if match != "exact":
        return False
    if place.kind in _AREA_KINDS:
        return True
    if is_curated(place):
        return True  # curated for the theatres
    if not primary:
        # An alternate name makes a place well known only for a metropolis
        # ("Kiev"); GeoNames gives some towns people's names ("Harper").
        return place.population >= 500_000
    return place.population >= 100_000 or place.kind == "admin_region"


# ---------------------------------------------------------------------------
# word lists and helpers of the rules

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


# ---------------------------------------------------------------------------
# the span the rules see


@dataclass(eq=False, slots=True)
class _Span:
    """A window that matched the gazetteer, with the context the rules read.

    Build one with :func:`_make_span`.
    """

    text: str
    toks: Sequence[_Tok]  # the sentence's tokens
    i: int  # first token
    j: int  # last token of the match, a lower-case head ("air base") included
    last: int  # last capitalised token: the span ends there
    first: _Tok  # toks[i]
    prev: _Tok | None  # the token before, if any
    nxt: _Tok | None  # the token after the match, if any
    head: str  # the lower-case head after the name ("air base"), or ""
    surface: str  # text[toks[i].start : toks[last].end]
    scored: list[_Scored]  # candidates, best first by context-free score
    strong: bool  # a candidate well known enough to stand without context
    placed: AbstractSet[int]  # tokens of the sentence held by place windows
    headline: bool  # the sentence is in Title Case, where capitals say nothing
    zipf: Callable[[str], float]  # Zipf frequency of a common English word, else 0
    parts: tuple[tuple[int, int, bool], ...] = ()  # exact matches inside: (i, j, strong)
    weak_placed: AbstractSet[int] = frozenset()  # tokens of one-word weak windows
    cands: Sequence[tuple[Place, bool]] = ()  # every candidate, and "named so by its main name"

    @property
    def single(self) -> bool:
        """The name is one word."""
        return self.i == self.last

    @property
    def sentence_initial(self) -> bool:
        """Capitalised by position: first in a sentence, after punctuation, or in a headline."""
        prev = self.prev
        return prev is None or not prev.text[0].isalnum() or self.headline

    @property
    def site_ahead(self) -> bool:
        """The place begins a site's name ("Istanbul Atatürk International Airport")."""
        return _site_ahead(self.text, self.toks, self.j)

    def has_kind(self, kinds: Container[str]) -> bool:
        """A candidate is of one of ``kinds``."""
        return any(p.kind in kinds for p, _, _ in self.scored)


def _make_span(
    text: str,
    toks: Sequence[_Tok],
    i: int,
    j: int,
    cands: Sequence[tuple[Place, bool]],
    match: str,
    *,
    placed: AbstractSet[int],
    zipf: Callable[[str], float],
    headline: bool | None = None,
    parts: tuple[tuple[int, int, bool], ...] = (),
    weak_placed: AbstractSet[int] = frozenset(),
    strong: bool | None = None,
) -> _Span:
    """The span of window ``toks[i..j]`` and its ranked candidates.

    The span ends at the last capitalised token: a lower-case head ("air
    base", "province") belongs to the matched name but not to the span.
    ``headline`` is computed from ``toks`` when not given.
    """
    last = j
    while last > i and not toks[last].cap:
        last -= 1
    surface = text[toks[i].start : toks[last].end]
    if strong is None:
        strong = any(_strong(p, match, prim) for p, prim in cands)
    return _Span(
        text=text,
        toks=toks,
        i=i,
        j=j,
        last=last,
        first=toks[i],
        prev=toks[i - 1] if i > 0 else None,
        nxt=toks[j + 1] if j + 1 < len(toks) else None,
        head=" ".join(t.low for t in toks[last + 1 : j + 1]),
        surface=surface,
        scored=_ranked(cands, match, toks[i : last + 1], surface, strong),
        strong=strong,
        placed=placed,
        headline=_title_case(toks) if headline is None else headline,
        zipf=zipf,
        parts=parts,
        cands=cands,
        weak_placed=weak_placed,
    )


def _ranked(
    cands: Sequence[tuple[Place, bool]],
    match: str,
    name_toks: Sequence[_Tok],
    surface: str,
    strong: bool,
) -> list[_Scored]:
    """The best candidates by context-free score, best first.

    A name in capitals keeps only countries and curated rows when short (US,
    UAE; HTS and GNA are no villages), and well-known places too from four
    letters on (datelines: BEIRUT, TBILISI).
    """
    scored = sorted(
        ((p, match, rank_score(p, match, prim)) for p, prim in cands),
        key=lambda c: (-c[2], c[0].gazetteer_id),
    )[:_MAX_CANDIDATES]
    if all(t.upper for t in name_toks if t.text.isalpha() or t.upper):
        n_letters = sum(c.isalpha() for c in surface)
        scored = [
            c
            for c in scored
            if c[0].kind == "country" or is_curated(c[0]) or (n_letters >= 4 and strong)
        ]
    return scored


# ---------------------------------------------------------------------------
# the rules: each returns why the span is no place, or None


def _has_no_candidate(span: _Span) -> str | None:
    """No candidate is left (in capitals, only countries and curated rows)."""
    return None if span.scored else "no candidate left"


def _is_bare_direction(span: _Span) -> str | None:
    """A direction word alone is no place ("South", "Western")."""
    if span.single and span.first.low in DIRECTIONS:
        return "a direction word alone"
    return None


def _is_arabic_head_compound(span: _Span) -> str | None:
    """A generic head of Arabic place names before the match makes a longer name.

    "Kafr Halab", "Tal Hamidiyah": a village the gazetteer lacks; "Halab"
    there is not Aleppo.
    """
    prev = span.prev
    if (
        prev is not None
        and prev.cap
        and prev.low in _NAME_HEADS
        and _glued(span.text, prev, span.first)
        and (span.i - 1) not in span.placed
    ):
        return "inside a longer Arabic name"
    return None


def _is_person(span: _Span) -> str | None:
    """A person: after a title ("President Bush", "spokesman Salman") or next to
    an initial ("George W. Bush"), unless a country, region or water."""
    prev = span.prev
    title = prev.low.rstrip(".") if prev is not None else ""
    if (
        title in _PERSON_TITLES
        or (prev is not None and prev.cap and title in _PERSON_TITLES_CAPITALISED)
        or _initial_near(span.text, span.toks, span.i, span.j)
    ) and not span.has_kind(_AREA_KINDS):
        return "a person: after a title or next to an initial"
    return None


def _is_sentence_initial_common_word(span: _Span) -> str | None:
    """A common English word capitalised by position only ("Many", "Say", "Will").

    It must be a well-known place, and a very common one ("The", "As") a
    country, region or water.
    """
    if not (span.single and span.sentence_initial):
        return None
    zipf = span.zipf(span.first.low)
    if (zipf >= 3.0 and not span.strong) or (zipf >= 5.5 and not span.has_kind(_AREA_KINDS)):
        return "a common word capitalised by position"
    return None


def _is_organisation(span: _Span) -> str | None:
    """An organisation named after the place: "Damascus University", "Libya Observer".

    The head may come a few capitalised words later ("U.S. Africa Command",
    "Syria Civil Defence", "Aleppo Media Center"); a site named in full is no
    organisation ("Tripoli International Airport").
    """
    if span.site_ahead:
        return None
    toks, j = span.toks, span.j
    k = j
    while (
        k + 1 < len(toks)
        and k - j < 3
        and toks[k + 1].cap
        and _glued(span.text, toks[k], toks[k + 1])
    ):
        k += 1
        if toks[k].low in _ORG_HEADS:
            return "names an organisation (X University)"
    return None


def _is_organisation_of(span: _Span) -> str | None:
    """An organisation of the place: "University of Aleppo", "Governor of Hama"."""
    prev = span.prev
    if (
        span.i >= 2
        and prev is not None
        and prev.low == "of"
        and span.toks[span.i - 2].cap
        and span.toks[span.i - 2].low in _ORG_OF_HEADS
    ):
        return "names an organisation (University of X)"
    return None


def _is_first_name(span: _Span) -> str | None:
    """A first name: "Jordan Whitfield", "Ararat Mirzoyan".

    Even a well-known place name (a country too) is a first name when a
    capitalised word follows it that is no place and no English word; not so
    a region or water.
    """
    nxt = span.nxt
    if (
        span.single
        and nxt is not None
        and nxt.cap
        and not nxt.upper
        and not span.first.upper
        and span.text[span.toks[span.j].end : nxt.start] == " "
        and not span.site_ahead
        and nxt.low not in _ORG_HEADS
        and nxt.low not in _HEAD_KIND
        and span.zipf(nxt.low) < 2.5
        and not span.has_kind(("region", "water"))
    ):
        return "a first name: a surname follows"
    return None


def _is_common_word(span: _Span) -> str | None:
    """A weak candidate that is a common word mid-sentence ("Accord", "Liberty").

    It is a place only with a cue word right before it ("near Liberty") or
    when the gazetteer's name runs on into a head ("Liberty bridge").
    """
    if span.strong or not span.single or span.head or span.zipf(span.first.low) < 3.5:
        return None
    prev = span.prev
    if prev is not None and prev.low in _BEFORE_CUES:
        return None
    return "a common English word without a cue"


def _is_part_of_other_name(span: _Span) -> str | None:
    """A weak candidate glued to capitalised words that are no place.

    It is part of another name: a person ("Khalifa Haftar"), a unit. Two
    weak one-word names side by side are one person's ("George Bush",
    "Philip Issa"): villages named in a row stand apart by commas.
    """
    if span.strong:
        return None
    prev, nxt, text = span.prev, span.nxt, span.text
    pair = span.single and not span.head and span.first.low not in _LANDMARK_WORDS
    if pair and (
        (prev is not None and prev.low in _LANDMARK_WORDS)
        or (nxt is not None and nxt.low in _LANDMARK_WORDS)
    ):
        pair = False  # "City Hall", "Lake Manassas", "Cavan Town": a landmark, no person
    left = (
        prev is not None
        and prev.cap
        and not span.sentence_initial
        and _glued(text, prev, span.first)
        and ((span.i - 1) not in span.placed or (pair and (span.i - 1) in span.weak_placed))
    )
    right = (
        nxt is not None
        and nxt.cap
        and _glued(text, span.toks[span.j], nxt)
        and ((span.j + 1) not in span.placed or (pair and (span.j + 1) in span.weak_placed))
    )
    if left or right:
        return "part of another name"
    return None


_ROAD_HEADS = frozenset({"highway", "road", "motorway", "route"})
# Words that make a landmark of the name they stand in ("Town Hall", "Hill
# Bend", "Lake X"), not a person's.
_LANDMARK_WORDS = (
    frozenset(
        """hall town city lake park hill hills bend road street avenue square bridge river
        valley bay island islands beach county church mosque cathedral centre center port
        station mount mountain falls springs harbour harbor castle fort gate market""".split()
    )
    | _SITE_HEADS
)


def _is_road_between_places(span: _Span) -> str | None:
    """ "The Aleppo-Latakia highway": a road named by the two places it joins.

    The places are what the text names; the road is not a place of its own
    here (a road of that name keeps its own mention when a place of the
    compound is unknown).
    """
    nxt = span.nxt
    head = span.head or (nxt.low if nxt is not None else "")
    if head not in _ROAD_HEADS or len(span.parts) < 2:
        return None
    toks = span.toks
    for a, b, _ in span.parts:
        for c, d, _ in span.parts:
            joined = span.text[toks[b].end : toks[c].start]
            if (
                a == span.i
                and d == span.last
                and c == b + 1
                and joined in ("-", "‐", "‑", "–", "—", "/")
            ):
                return "a road named by the two places it joins"
    return None


def _is_loose_over_known(span: _Span) -> str | None:
    """A loose (transliteration) match over words that hold a well-known place exactly.

    Two names side by side ("Tripoli Gharyan" in a headline) may share a
    skeleton with some village; the well-known place inside is what the text
    names.
    """
    if span.scored and span.scored[0][1] == "loose" and any(strong for _, _, strong in span.parts):
        return "a loose match over a well-known place"
    return None


_Rule = Callable[[_Span], str | None]

#: The rules in the order they apply; the first that gives a reason rejects
#: the span. The flag marks rules that find the span to be part of another
#: name (a person, a unit): then the name is no place elsewhere in the article
#: either (:func:`_named_otherwise`), and its tokens no longer hold a place
#: for the rules that look at neighbours (:func:`_is_part_of_other_name`).
_RULES: tuple[tuple[_Rule, bool], ...] = (
    (_has_no_candidate, False),
    (_is_road_between_places, False),
    (_is_loose_over_known, False),
    (_is_bare_direction, False),
    (_is_arabic_head_compound, False),
    (_is_person, True),
    (_is_sentence_initial_common_word, False),
    (_is_organisation, False),
    (_is_organisation_of, False),
    (_is_first_name, True),
    (_is_common_word, False),
    (_is_part_of_other_name, True),
)


def _rejection(span: _Span) -> tuple[str, bool] | None:
    """Why the span is no place and whether it is part of another name, or None."""
    for rule, other_name in _RULES:
        reason = rule(span)
        if reason is not None:
            return reason, other_name
    return None


# ---------------------------------------------------------------------------
# cues: what the words around a place say about it


def _cue_after(span: _Span) -> str | None:
    """The kind a head after the name asks for: "Jufra air base", "Idlib province"."""
    if span.head:
        return _HEAD_KIND.get(span.head)
    nxt = span.nxt
    if nxt is not None and nxt.low in _HEAD_KIND and _glued(span.text, span.toks[span.j], nxt):
        return _HEAD_KIND[nxt.low]
    return None


def _cue_before(span: _Span) -> str | None:
    """The kind a word before asks for: "the town of X", "village of X", "capital X"."""
    back = [t.low for t in span.toks[max(0, span.i - 2) : span.i]]
    if not back:
        return None
    word = back[-2] if len(back) >= 2 and back[-1] == "of" else back[-1]
    if word in _BEFORE_CUES and word not in _NEAR_CUES:
        return _BEFORE_CUES[word]
    return None


#: Kind cues in the order they are tried: the first that gives a kind wins.
_KIND_CUES: tuple[_Rule, ...] = (_cue_after, _cue_before)


def _near_cue(span: _Span) -> str | None:
    """The word that puts the place near, not at, the point: "near X", "outskirts of X"."""
    back = [t.low for t in span.toks[max(0, span.i - 2) : span.i]]
    if back and back[-1] in _NEAR_CUES:
        return back[-1]
    if len(back) >= 2 and back[-1] == "of" and back[-2] in _NEAR_CUES:
        return back[-2]
    return None


def _direction_cue(span: _Span) -> str | None:
    """The direction of a word glued before an area: "southern Idlib" → ``"s"``."""
    prev = span.prev
    if (
        prev is not None
        and _glued(span.text, prev, span.first)
        and prev.low in DIRECTIONS
        and span.has_kind(_DIRECTION_KINDS)
    ):
        return DIRECTIONS[prev.low]
    return None


def _primary_ids(span: _Span) -> frozenset[str]:
    """The candidates kept that the span names by their main name (with one
    candidate, nothing to tell apart: empty)."""
    if len(span.scored) < 2:
        return _NO_IDS
    kept = {p.gazetteer_id for p, _, _ in span.scored}
    return frozenset(p.gazetteer_id for p, prim in span.cands if prim and p.gazetteer_id in kept)


def _mention(span: _Span, sentence_start: int, sentence_end: int) -> Mention:
    """The mention of a span no rule rejected, with its cues.

    A direction word before the place makes one region span ("northwest Syria").
    """
    mention = Mention(
        start=span.first.start,
        end=span.toks[span.last].end,
        surface=span.surface,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        candidates=span.scored,
        strong=span.strong,
        primary_ids=_primary_ids(span),
    )
    mention.kind_cue = next((k for cue in _KIND_CUES if (k := cue(span)) is not None), None)
    mention.near = _near_cue(span) is not None
    direction = _direction_cue(span)
    if direction is not None:
        start = span.toks[span.i - 1].start
        mention.direction = direction
        mention.start = start
        mention.surface = span.text[start : mention.end]
    return mention
