"""Name folding: the keys under which place names are indexed and looked up.

Two keys are made from every name:

``fold(name)``
    case, diacritics, apostrophes, hyphens and Arabic article forms folded:
    ``"Ma'arrat al-Nu'man"``, ``"Maarrat an-Numan"`` and ``"MAARRAT AL NUMAN"``
    all give ``"maarrat numan"``. Azerbaijani and Turkish letters are mapped to
    the transliteration the English-language press uses (``ş`` → ``sh``,
    ``ç`` → ``ch``, ``ı`` → ``i``, ``ə`` → ``a``).

``loose(name)``
    a consonant skeleton of ``fold(name)`` for a second, lower-scored match,
    merging the common transliteration alternations (vowels, q/k, kh/k,
    doubled letters, Kafr/Kfar/Kafar, final -ah/-eh): ``"Sheikhoun"`` and
    ``"Shaykhun"`` share it, as do ``"Maaret al-Numan"`` and
    ``"Maarat al-Nouman"``.

``fold`` is idempotent: ``fold(fold(s)) == fold(s)``. :func:`name_keys`
gives the index rows of one place's names, wherever places are indexed (the
base index, GeoNames dump imports, curated rows).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

__all__ = ["ARTICLES", "fold", "fold_words", "join_folded", "loose", "name_keys"]

# Arabic article forms as the press writes them before a name, including the
# assimilated ones (ash-Sham, ad-Dana, an-Numan, ar-Raqqa, as-Safira...).
ARTICLES = frozenset(
    "al el il ul ad ed ag ar er as es ash esh at et ath az ez an en adh dh".split()
)

# Letters that NFKD does not decompose into a base letter plus a mark, mapped
# to what English transliteration uses.
_SPECIAL = str.maketrans(
    {
        "ə": "a",
        "Ə": "a",
        "ı": "i",
        "İ": "i",
        "ş": "sh",
        "Ş": "sh",
        "ç": "ch",
        "Ç": "ch",
        "ğ": "gh",
        "Ğ": "gh",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "œ": "oe",
        "Œ": "oe",
        "ʻ": "",
        "ʼ": "",
        "ʿ": "",
        "ʾ": "",
        "’": "",
        "‘": "",
        "'": "",
        "`": "",
        "´": "",
        "′": "",
        "‐": " ",
        "‑": " ",
        "‒": " ",
        "–": " ",
        "—": " ",
        "-": " ",
        ".": "",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Compounds the press writes both ways.
_SPLIT = {"airbase": ("air", "base"), "airfield": ("air", "field"), "oilfield": ("oil", "field")}


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Fold a place name to its lookup key.

    Parameters
    ----------
    name : str
        A name as written.

    Returns
    -------
    str
        Lower-case ASCII words separated by single spaces, with Arabic
        article forms removed; empty when nothing is left.

    Examples
    --------
    >>> fold("Jisr ash-Shughur")
    'jisr shughur'
    >>> fold("Xankəndi")
    'xankandi'
    """
    return join_folded(fold_words(name))


@lru_cache(maxsize=200_000)
def fold_words(name: str) -> tuple[str, ...]:
    """The words of a name as :func:`fold` reads them, before articles are dropped.

    Every step works on each character, and spaces and hyphens separate words,
    so the words of names joined by them are the words of each:
    ``fold_words(a + " " + b) == fold_words(a) + fold_words(b)``. A key of
    several words can then be made from the words of each
    (``fold(s) == join_folded(fold_words(s))``).

    Examples
    --------
    >>> fold_words("Jisr ash-Shughur")
    ('jisr', 'ash', 'shughur')
    """
    s = name.translate(_SPECIAL)
    if s.isascii():
        s = s.lower()
    else:
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c)).lower()
        s = s.translate(_SPECIAL)
    words = _NON_ALNUM.sub(" ", s).split()
    return tuple(part for w in words for part in _SPLIT.get(w, (w,)))


def join_folded(words: Sequence[str]) -> str:
    """The key of folded words (:func:`fold_words`): articles dropped, then joined."""
    kept = [w for w in words if w not in ARTICLES]
    if len(kept) > 1 and kept[0] == "the":  # "the Gulf", "The Hague"
        kept = kept[1:]
    # A name that is only an article ("Al") keeps it rather than vanish.
    return " ".join(kept if kept else words)


_LOOSE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"(?<=[aeiouy])h\b", ""),  # final -ah/-eh/-ih: Tarhunah, Raqqah
        (r"dzh|dj", "j"),  # Russian and French forms of j: Dzhebrail, Djebel
        (r"kh", "k"),
        (r"q", "k"),
        (r"ck", "k"),
        (r"ph", "f"),
        (r"dh", "d"),
        (r"th", "t"),
        (r"gh", "g"),
        (r"x", "k"),
        (r"\b[aeiou]", "a"),  # a word-initial vowel is kept, as one letter
        (r"\B[aeiouyw]", ""),  # other vowels and glides are dropped
        (r" ", ""),
        (r"(\w)\1+", r"\1"),  # doubled letters
    )
)


@lru_cache(maxsize=200_000)
def loose(name: str) -> str:
    """Reduce a name to a consonant skeleton for a second, looser match.

    Vowels (and the glides w, y inside words) are dropped, word-initial vowels
    become ``a``, transliteration alternations are merged (q/k, kh/k, x/k,
    gh/g, th/t, dh/d, ph/f, dzh/dj/j), final -ah/-eh are dropped, doubled letters are
    collapsed and the words are joined. Kafr/Kfar/Kafar, Idlib/Idleb,
    Saraqib/Saraqeb and Shir Maghar/Sheir Mughar then share a key.

    Parameters
    ----------
    name : str
        A name as written, or an already folded key.

    Returns
    -------
    str
        The loose key (ASCII letters and digits, no spaces).

    Examples
    --------
    >>> loose("Khan Sheikhoun") == loose("Khan Shaykhun")
    True
    >>> loose("Kafranbel") == loose("Kfar Nabl")
    True
    """
    s = fold(name)
    for pattern, repl in _LOOSE_RULES:
        s = pattern.sub(repl, s)
    return s


def name_keys(names: Iterable[str]) -> Iterator[tuple[str, str, bool]]:
    """The index rows of one place's names: each distinct folded key once.

    Parameters
    ----------
    names : iterable of str
        The place's main name first, then its variants.

    Yields
    ------
    (str, str, bool)
        The :func:`fold` key, its :func:`loose` key, and whether it comes from
        the main name; names that fold to nothing, or to a key already
        yielded, are skipped.

    Examples
    --------
    >>> list(name_keys(["Idlib", "Idleb", "IDLIB"]))
    [('idlib', 'adlb', True), ('idleb', 'adlb', False)]
    """
    seen: set[str] = set()
    for i, name in enumerate(names):
        key = fold(name)
        if key and key not in seen:
            seen.add(key)
            yield key, loose(key), i == 0
