"""The actor lexicon of event extraction: who is named in a sentence, and on which side.

The facts live in ``frontmap/data/actors.json`` (see the comment at its top): each actor
once, with an ACLED-style name, its kind (``state``, ``group`` or ``people``), the
phrases that name it, and per theatre the side it takes there — a key of the
``actors`` table of ``theatres.json``, so that an event's actors take the colours of
the areas of control. :func:`lexicon` reads the file once.

>>> lex = lexicon()
>>> [(m.text, m.actor) for m in lex.mentions("Regime forces shelled the town; HTS fighters fled.")]
[('Regime forces', 'syria'), ('HTS', 'hts')]
>>> lex.side("wagner", "libya")
'lna'
>>> lex.name("civilians", "SY")
'Civilians (Syria)'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from ..errors import InputError
from . import _regex

__all__ = ["ActorLexicon", "ActorMention", "lexicon"]

#: Nouns after a demonym that make it an actor ("Turkish troops", "Russian jets").
MILITARY_NOUNS = (
    "forces", "force", "troops", "army", "military", "soldiers", "soldier", "servicemen",
    "jets", "warplanes", "aircraft", "planes", "helicopters", "helicopter", "drones", "drone",
    "artillery", "navy", "air force", "officers", "units", "positions", "posts", "post",
    "convoy", "convoys", "tanks", "patrols", "patrol", "border guards", "guards",
    "peacekeepers", "missiles", "missile", "shells", "rockets", "air strike", "air strikes",
    "airstrike", "airstrikes", "strike", "strikes", "shelling", "attack", "attacks",
    "bombardment", "raid", "raids", "armed forces", "special forces", "marines", "base",
    "bases", "observation post", "observation posts", "government", "regime",
)  # fmt: skip
#: Words between a demonym and its military noun ("Turkish military convoy").
_DEMONYM_FILLERS = (
    r"(?:(?:military|army|armed|air|naval|border|government|regime|state|special|"
    r"ground|elite|troop|supply|reconnaissance|attack|combat)\s+){0,2}"
)

_COUNTRY_NAMES = {
    "SY": "Syria", "LY": "Libya", "AM": "Armenia", "AZ": "Azerbaijan", "TR": "Turkey",
    "RU": "Russia", "IQ": "Iraq", "LB": "Lebanon", "EG": "Egypt", "TN": "Tunisia",
    "SD": "Sudan", "TD": "Chad", "NE": "Niger", "DZ": "Algeria", "GE": "Georgia", "IR": "Iran",
    "IL": "Israel", "JO": "Jordan",
}  # fmt: skip


@dataclass(frozen=True)
class ActorMention:
    """A phrase of a text that names an actor.

    Attributes
    ----------
    start, end : int
        Offsets of the phrase.
    text : str
        The phrase.
    actor : str or None
        The actor id; None for a generic phrase (``"government forces"``) until it is
        resolved in a theatre (:meth:`ActorLexicon.resolve`).
    how : str
        ``alias``, ``demonym``, ``metonym`` (a place standing for a state: "Ankara
        said"), ``leader`` (a person: "forces loyal to Haftar") or ``generic``.
    key : str
        The generic phrase's key in the lexicon (``how == "generic"``), else the actor id.
    """

    start: int
    end: int
    text: str
    actor: str | None
    how: str
    key: str


#: A capitalised word followed by "and" (a candidate coordinated demonym).
_BARE_DEMONYM = re.compile(r"(?<![\w-])([A-Z][\w'’]+)\s+and\s+")
#: UTF-8 bytes other than ASCII lower-case letters and digits, mapped to spaces.
_PLAIN = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))
#: A word as phrases begin (letters, digits, and the apostrophes and hyphens inside names).
_WORD = re.compile(r"[^\W_][\w'’.-]*")


def _key(word: str) -> str:
    """A word up to its first apostrophe, hyphen, full stop or slash ("russia's" → "russia")."""
    return (
        word.partition("'")[0]
        .partition("’")[0]
        .partition("-")[0]
        .partition(".")[0]
        .partition("/")[0]
    )


def _words(phrases: list[str]) -> str:
    """One alternation of phrases, longest first, spaces matching any white space."""
    parts = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


class ActorLexicon:
    """The actors of ``actors.json``, their names, sides and the phrases that name them.

    Parameters
    ----------
    data : dict
        The parsed JSON (see the file's ``_comment``).

    Raises
    ------
    frontmap.errors.InputError
        When the data is inconsistent: a side that is not an actor key of
        ``theatres.json``, a theatre or an actor that does not exist.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.actors: dict[str, dict[str, Any]] = dict(data["actors"])
        self.sides: dict[str, dict[str, str | None]] = {
            t: dict(v) for t, v in data.get("theatres", {}).items()
        }
        self.generic: dict[str, dict[str, Any]] = {
            t: {k.lower(): x for k, x in v.items()} for t, v in data.get("generic", {}).items()
        }
        self._check()
        by_phrase: dict[str, tuple[str, str]] = {}
        exact: dict[str, tuple[str, str]] = {}
        demonyms: dict[str, str] = {}
        for key, a in self.actors.items():
            for how in ("aliases", "metonyms", "leaders"):
                label = {"aliases": "alias", "metonyms": "metonym", "leaders": "leader"}[how]
                for phrase in a.get(how, ()):
                    if len(phrase) <= 5 and phrase.isupper():
                        exact.setdefault(phrase, (key, label))
                    else:
                        by_phrase.setdefault(" ".join(phrase.lower().split()), (key, label))
            for d in a.get("demonyms", ()):
                demonyms.setdefault(d.lower(), key)
        for theatre_generic in self.generic.values():
            for phrase in theatre_generic:
                by_phrase.setdefault(" ".join(phrase.lower().split()), ("", "generic"))
        self._demonyms = demonyms
        # Phrases by the key of their first word (lower case), longest first: a text's words
        # are looked up there and the phrases compared as strings (no expression to compile).
        self._phrases: dict[str, list[tuple[str, str, str, bool]]] = {}
        for phrase, (key, how) in by_phrase.items():
            self._add(phrase, key, how, False)
        for phrase, (key, how) in exact.items():
            self._add(phrase, key, how, True)
        for group in self._phrases.values():
            group.sort(key=lambda x: (-len(x[0]), x[0]))
        self._firsts = frozenset(self._phrases) | frozenset(_key(d) for d in demonyms)
        self._ascii_firsts = frozenset(
            k.encode("ascii") for k in self._firsts if k.isascii() and k.isalnum()
        )
        self._other_firsts = tuple(sorted(k for k in self._firsts if not k.isascii()))
        self._demonym_source = (_words(list(demonyms)), _words(list(MILITARY_NOUNS)))
        self._demonym_compiled: re.Pattern[str] | None = None

    def _add(self, phrase: str, key: str, how: str, exact: bool) -> None:
        first = _key(phrase.split()[0].lower())
        self._phrases.setdefault(first, []).append((phrase, key, how, exact))

    @property
    def _demonym_re(self) -> re.Pattern[str]:
        """ "Turkish troops"; "Russian and Syrian jets": Russian (compiled when first used)."""
        if self._demonym_compiled is None:
            self._demonym_compiled = _regex.compile(*self.demonym_expression())
        return self._demonym_compiled

    def demonym_expression(self) -> tuple[str, int]:
        """The expression (and flags) that finds demonyms before a military noun."""
        dem, nouns = self._demonym_source
        return (
            rf"(?<![\w-])({dem})(?:\s+and\s+(?:{dem}))?\s+{_DEMONYM_FILLERS}(?:{nouns})"
            r"(?![\w-])",
            re.IGNORECASE,
        )

    def _check(self) -> None:
        from ..theatres import known_actors, theatre_by_id

        keys = set(known_actors())
        for theatre, sides in self.sides.items():
            if theatre_by_id(theatre) is None:
                raise InputError(f"actors.json: unknown theatre {theatre!r}")
            for actor, side in sides.items():
                if actor not in self.actors:
                    raise InputError(f"actors.json: theatre {theatre}: unknown actor {actor!r}")
                if side is not None and side not in keys:
                    raise InputError(
                        f"actors.json: theatre {theatre}: side {side!r} of {actor} is not an "
                        "actor key of theatres.json"
                    )
        for theatre, table in self.generic.items():
            for phrase, value in table.items():
                for entry in value if isinstance(value, list) else [{"actor": value}]:
                    if entry["actor"] not in self.actors:
                        raise InputError(
                            f"actors.json: generic {phrase!r} in {theatre}: unknown actor "
                            f"{entry['actor']!r}"
                        )

    # ------------------------------------------------------------------ lookups

    def kind(self, actor: str | None) -> str | None:
        """``state``, ``group`` or ``people`` (None for an unknown actor)."""
        return None if actor is None else self.actors.get(actor, {}).get("kind")

    def side(self, actor: str | None, theatre: str | None) -> str | None:
        """The side (a ``theatres.json`` actor key) the actor takes in a theatre, or None."""
        if actor is None or theatre is None:
            return None
        return self.sides.get(theatre, {}).get(actor)

    def name(
        self, actor: str | None, country: str | None = None, *, agreement: bool = False
    ) -> str:
        """The actor's ACLED-style name ("" for None).

        ``country`` (ISO code) names civilians, protesters and rioters; ``agreement``
        gives a state's government rather than its forces.
        """
        if actor is None:
            return ""
        a = self.actors.get(actor)
        if a is None:
            return actor
        name = str(a.get("government") if agreement and a.get("government") else a["name"])
        if "{country}" in name:
            place = _COUNTRY_NAMES.get((country or "").upper(), country or "unknown")
            name = name.replace("{country}", place)
        return name

    def resolve(
        self, mention: ActorMention, theatre: str | None, day: dt.date | None
    ) -> str | None:
        """The actor a mention names: its own, or what a generic phrase means in a theatre."""
        if mention.how != "generic":
            return mention.actor
        if theatre is None:
            return None
        value = self.generic.get(theatre, {}).get(mention.key)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        for entry in value:
            until = entry.get("until")
            if until is None or day is None or day < dt.date.fromisoformat(until):
                return str(entry["actor"])
        return None

    # ------------------------------------------------------------------ matching

    def _coordinated(
        self, text: str, start: int, end: int, found: list[ActorMention]
    ) -> list[ActorMention]:
        """A bare demonym joined to an actor: "between Azerbaijani and ethnic Armenian forces"
        names Azerbaijani forces too."""
        starts = {m.start for m in found}
        out = []
        for m in _BARE_DEMONYM.finditer(text, start, end):
            word = m.group(1).lower()
            key = self._demonyms.get(word)
            if key is None:
                continue
            after = m.end()
            if after in starts or after + len("ethnic ") in starts:
                out.append(ActorMention(m.start(1), m.end(1), m.group(1), key, "demonym", key))
        return out

    def _starts(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        """Where a word that begins a phrase or a demonym stands in ``text[start:end]``.

        The words of the span are intersected with the phrases' first words in C (bytes
        translated to lower-case letters and digits, split, set intersection); only the
        words with a letter outside ASCII ("Türkiye") are looked for one by one.
        """
        chunk = text[start:end].lower()
        if len(chunk) != end - start:  # lower() changed the length: word by word
            found = (self._begins(w) for w in _WORD.finditer(text, start, end))
            return [x for x in found if x is not None]
        words = self._ascii_firsts.intersection(chunk.encode("utf-8").translate(_PLAIN).split())
        keys = [w.decode("ascii") for w in words]
        if not chunk.isascii():
            keys += [k for k in self._other_firsts if k in chunk]
        out = set()
        for key in keys:
            pos = chunk.find(key)
            while pos >= 0:
                if pos == 0 or not (chunk[pos - 1].isalnum() or chunk[pos - 1] in "_'’-"):
                    out.add(start + pos)
                pos = chunk.find(key, pos + 1)
        begun = (self._begins(_WORD.match(text, p)) for p in sorted(out))
        return [x for x in begun if x is not None]

    def _begins(self, w: re.Match[str] | None) -> tuple[int, str] | None:
        """(position, key of the first word) when the word ``w`` may begin a phrase."""
        if w is None:
            return None
        first = _key(w.group(0).lower())
        return (w.start(), first) if first in self._firsts else None

    def _phrase_at(self, text: str, pos: int, end: int, first: str) -> ActorMention | None:
        """The longest phrase starting at ``pos`` (its first word's key is ``first``)."""
        for phrase, key, how, exact in self._phrases.get(first, ()):
            stop = pos + len(phrase)
            if stop > end:
                continue
            seen = text[pos:stop]
            same = seen == phrase if exact else seen.lower().replace("\n", " ") == phrase
            if same and _ends_word(text, stop):
                actor = None if how == "generic" else key
                return ActorMention(pos, stop, seen, actor, how, key or phrase)
        return None

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        """The actor phrases of ``text[start:end]``, in text order, longest first at a place.

        Offsets are ``text``'s. Overlapping phrases keep the earliest, then the longest.
        """
        end = len(text) if end is None else end
        found: list[ActorMention] = []
        for pos, first in self._starts(text, start, end):
            phrase = self._phrase_at(text, pos, end, first)
            if phrase is not None:
                found.append(phrase)
            m = self._demonym_re.match(text, pos, end)
            if m is not None:
                key = self._demonyms[m.group(1).lower()]
                found.append(ActorMention(m.start(), m.end(), m.group(0), key, "demonym", key))
        found += self._coordinated(text, start, end, found)
        found.sort(key=lambda x: (x.start, -(x.end - x.start)))
        out: list[ActorMention] = []
        for mention in found:
            if out and mention.start < out[-1].end:
                continue
            out.append(mention)
        return out


def _ends_word(text: str, pos: int) -> bool:
    """Nothing of a word goes on at ``pos`` (a possessive "'s" may)."""
    if pos >= len(text):
        return True
    c = text[pos]
    if c.isalnum() or c in "_’-":
        return False
    return not (c == "'" and pos + 1 < len(text) and text[pos + 1].isalnum())


@cache
def lexicon() -> ActorLexicon:
    """The actor lexicon of ``frontmap/data/actors.json``, read once."""
    raw = json.loads((files("frontmap.data") / "actors.json").read_text(encoding="utf-8"))
    return ActorLexicon(raw)
