"""Transliteration: from the forms in the data to the forms in the press.

Gazetteers write a place's name in the local script and system (GeoNames'
``Ma‘arrat Ḩarmah``, Azerbaijani ``Xocavənd``, Armenian ``Մարտակերտ``, Russian
``Джебраил``); English-language news writes it in one of a few English
systems (``Maarat Hurma``, ``Khojavend``, ``Martakert``, ``Jebrail``). This
module derives, from every name of the data, the forms those systems give,
so that they can be indexed beside the name itself. It is a method, not a
list: each script has one table and a few alternations.

* Azerbaijani Latin (:func:`azerbaijani_forms`): ``x`` → ``kh``, ``c`` →
  ``j``, ``ç`` → ``ch``, ``ş`` → ``sh``, ``ğ`` → ``gh``, ``j`` → ``zh``, with
  the English alternations ``ə`` → ``a``/``e``, ``ı`` → ``i``/``y`` and
  ``q`` → ``g``/``q``.
* Armenian (:func:`armenian_forms`), Russian and Ukrainian Cyrillic
  (:func:`cyrillic_forms`) and Georgian (:func:`georgian_forms`): alphabetic
  scripts, transliterated letter by letter in the BGN/PCGN manner the press
  follows (``Ղազանչեցոց`` → ``Ghazanchetsots``; ``Джебраил`` → ``Dzhebrail``
  and ``Jebrail``).
* Arabic and Persian script (:func:`arabic_skeletons`): unvocalised, so no
  single Latin form exists; the script is instead mapped straight onto the
  consonant skeleton of :func:`frontmap.geo.names.loose` (``سراقب`` →
  ``srkb``, the skeleton of ``Saraqib``, ``Saraqeb`` and ``Sarakib``), article
  removed, long vowels dropped as the skeleton drops vowels, ``ة`` read as
  ``-a`` at the end of a name and ``-at`` inside one.

:func:`index_names` applies them to a place's names; the index stores the
Latin forms under both keys (exact and loose) and the Arabic-script
skeletons under the loose key only.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

from .names import fold, loose

__all__ = [
    "arabic_skeletons",
    "armenian_forms",
    "azerbaijani_forms",
    "cyrillic_forms",
    "georgian_forms",
    "index_names",
    "script_of",
]

_MAX_FORMS = 8  # forms derived from one name, at most


def script_of(name: str) -> str:
    """The script of a name by its first letter: ``latin``, ``arabic``,
    ``armenian``, ``cyrillic``, ``georgian`` or ``other``.

    Examples
    --------
    >>> script_of("Saraqib"), script_of("سراقب"), script_of("Մարտակերտ")
    ('latin', 'arabic', 'armenian')
    """
    for c in name:
        if not c.isalpha():
            continue
        cp = ord(c)
        if cp < 0x0250 or 0x1E00 <= cp < 0x1F00:
            return "latin"
        if 0x0600 <= cp < 0x0700 or 0x0750 <= cp < 0x0780 or 0xFB50 <= cp < 0xFE00:
            return "arabic"
        if 0x0530 <= cp < 0x0590:
            return "armenian"
        if 0x0400 <= cp < 0x0530:
            return "cyrillic"
        if 0x10A0 <= cp < 0x1100 or 0x1C90 <= cp < 0x1CC0:
            return "georgian"
        return "other"
    return "other"


# ---------------------------------------------------------------------------
# Azerbaijani Latin

_AZ_FIXED = str.maketrans({"x": "kh", "X": "Kh", "c": "j", "C": "J", "j": "zh", "J": "Zh"})
_AZ_SIGNS = re.compile(r"[əƏıIİşŞçÇğĞöÖüÜ]|[xXqQ]|[cC](?!h)")
_AZ_ALTERNATIONS = (
    (("ə", "a", "e"), ("Ə", "A", "E")),
    (("ı", "i", "y"), ("\uffff", "", "")),  # capital I was read as ı above
    (("q", "g", "q"), ("Q", "G", "Q")),
)


def azerbaijani_forms(name: str) -> list[str]:
    """English press forms of an Azerbaijani (Latin-script) name.

    Parameters
    ----------
    name : str
        A name in the Azerbaijani alphabet.

    Returns
    -------
    list of str
        Distinct forms, the name itself excluded; empty when the name has
        none of the letters English transliterates differently.

    Examples
    --------
    >>> "Khojavend" in azerbaijani_forms("Xocavənd")
    True
    >>> "Gubadly" in azerbaijani_forms("Qubadlı")
    True
    """
    if not _AZ_SIGNS.search(name):
        return []
    # "I" is dotless in Azerbaijani (İ is the dotted capital).
    base = name.replace("I", "ı").replace("İ", "I") if "İ" in name or "ı" in name else name
    base = base.translate(_AZ_FIXED)
    present = [alt for alt in _AZ_ALTERNATIONS if alt[0][0] in base or alt[1][0] in base]
    forms: list[str] = []
    for choice in itertools.product((1, 2), repeat=len(present)):
        s = base
        for (low, up), k in zip(present, choice, strict=True):
            s = s.replace(low[0], low[k]).replace(up[0], up[k])
        if s != name and s not in forms:
            forms.append(s)
    return forms[:_MAX_FORMS]


# ---------------------------------------------------------------------------
# Armenian, Cyrillic, Georgian: alphabetic scripts, letter by letter

_ARMENIAN = {
    "ա": "a",
    "բ": "b",
    "գ": "g",
    "դ": "d",
    "ե": "e",
    "զ": "z",
    "է": "e",
    "ը": "y",
    "թ": "t",
    "ժ": "zh",
    "ի": "i",
    "լ": "l",
    "խ": "kh",
    "ծ": "ts",
    "կ": "k",
    "հ": "h",
    "ձ": "dz",
    "ղ": "gh",
    "ճ": "ch",
    "մ": "m",
    "յ": "y",
    "ն": "n",
    "շ": "sh",
    "ո": "o",
    "չ": "ch",
    "պ": "p",
    "ջ": "j",
    "ռ": "r",
    "ս": "s",
    "վ": "v",
    "տ": "t",
    "ր": "r",
    "ց": "ts",
    "ւ": "v",
    "փ": "p",
    "ք": "k",
    "և": "ev",
    "օ": "o",
    "ֆ": "f",
}


def _letters(name: str, table: dict[str, str], word_start: dict[str, str]) -> str:
    """Transliterate letter by letter, keeping case and non-letters."""
    out: list[str] = []
    prev_alpha = False
    for c in name:
        low = c.lower()
        latin = word_start.get(low) if not prev_alpha else None
        if latin is None:
            latin = table.get(low)
        if latin is None:
            out.append(c)
        else:
            out.append(latin.capitalize() if c != low else latin)
        prev_alpha = c.isalpha()
    return "".join(out)


def armenian_forms(name: str) -> list[str]:
    """Latin forms of an Armenian name (BGN/PCGN without apostrophes).

    Word-initial ``ե`` is ``ye`` (and ``e``), word-initial ``ո`` is ``vo``,
    ``ու`` is ``u``.

    Examples
    --------
    >>> armenian_forms("Մարտակերտ")
    ['Martakert']
    >>> armenian_forms("Երևան")[0]
    'Yerevan'
    """
    s = name.replace("ու", "u").replace("Ու", "U").replace("ՈՒ", "U")
    first = _letters(s, _ARMENIAN, {"ե": "ye", "ո": "vo", "և": "yev"})
    forms = [first]
    plain = _letters(s, _ARMENIAN, {"ո": "vo"})
    if plain != first:
        forms.append(plain)
    return [f for f in forms if f != name]


_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ye",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "yi",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


def cyrillic_forms(name: str) -> list[str]:
    """Latin forms of a Russian or Ukrainian name; ``дж`` also as ``j``.

    Examples
    --------
    >>> cyrillic_forms("Джебраил")
    ['Dzhebrail', 'Jebrail']
    """
    first = _letters(name, _CYRILLIC, {"е": "ye"})
    forms = [first]
    if "дж" in name.lower():
        forms.append(first.replace("dzh", "j").replace("Dzh", "J"))
    return [f for f in forms if f != name]


_GEORGIAN = dict(
    zip(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        "a b g d e v z t i k l m n o p zh r s t u p k gh q sh ch ts dz ts ch kh j h".split(),
        strict=True,
    )
)


def georgian_forms(name: str) -> list[str]:
    """The Latin form of a Georgian name (national system of 2002, no apostrophes).

    Examples
    --------
    >>> georgian_forms("ცხინვალი")
    ['Tskhinvali']
    """
    s = _letters(name, _GEORGIAN, {})
    return [s[:1].upper() + s[1:]] if s != name else []


# ---------------------------------------------------------------------------
# Arabic script: straight to the consonant skeleton

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "k",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "پ": "p",
    "چ": "ch",
    "ژ": "zh",
    "گ": "g",
    "ک": "k",
    "ڤ": "v",
    "ڨ": "g",
}
_AR_VOWEL_START = frozenset("اأإآعٱ")
_AR_SILENT = frozenset("اأإآٱعءئؤىوي" + "ی")
_AR_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")


def _arabic_word(word: str, last: bool) -> list[str]:
    """Skeletons of one Arabic-script word.

    A final ``ة`` is silent at the end of a name (Hama) and ``t`` inside one
    (Maarat al-Numan), read both ways there; a final ``ه`` both with and
    without its ``h``.
    """
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    tails = [""]
    if word.endswith("ة"):
        word, tails = word[:-1], ([""] if last else ["t", ""])
    elif word.endswith("ه") and len(word) > 2:
        word, tails = word[:-1], ["h", ""]
    out = []
    for i, c in enumerate(word):
        if i == 0 and c in _AR_VOWEL_START:
            out.append("a")
        elif i == 0 and c == "و":
            out.append("w")
        elif i == 0 and c in "يی":
            out.append("y")
        elif c in _AR_SILENT:
            continue
        else:
            out.append(_AR_CONSONANTS.get(c, ""))
    s = "".join(out)
    return [s + t for t in tails]


def arabic_skeletons(name: str) -> list[str]:
    """Consonant skeletons (keys of :func:`frontmap.geo.names.loose`) of an
    Arabic- or Persian-script name.

    Returns
    -------
    list of str
        Distinct skeletons of at least four letters, the likeliest first.

    Examples
    --------
    >>> arabic_skeletons("سراقب") == [loose("Saraqib")]
    True
    >>> loose("Maarat al-Numan") in arabic_skeletons("معرة النعمان")
    True
    """
    name = unicodedata.normalize("NFC", _AR_DIACRITICS.sub("", name))
    words = _AR_WORD.findall(name)
    if not words:
        return []
    per_word = [_arabic_word(w, k == len(words) - 1) for k, w in enumerate(words)]
    out: list[str] = []
    for combo in itertools.islice(itertools.product(*per_word), _MAX_FORMS):
        s = re.sub(r"(\w)\1+", r"\1", "".join(combo))
        if len(s) >= 4 and s not in out:
            out.append(s)
    return out


# ---------------------------------------------------------------------------
# a place's names → what the index holds

_BY_SCRIPT = {"armenian": armenian_forms, "cyrillic": cyrillic_forms, "georgian": georgian_forms}
#: Where a script's names are the place's own (or its neighbours'): elsewhere
#: they are exonyms with the script's grammar (Georgian adds a nominative -i:
#: ზინტანი is Zintan, not "Zintani").
_SCRIPT_COUNTRIES = {
    "armenian": frozenset({"AM", "AZ", "GE", "TR", "IR"}),
    "georgian": frozenset({"GE"}),
}


def _only_latin(form: str) -> bool:
    """Every letter of a transliterated form is a Latin one."""
    return all(script_of(c) == "latin" for c in form if c.isalpha())


def _latin_ok(name: str) -> bool:
    """A Latin name worth indexing: starts with a capital, is no code."""
    first = next((c for c in name if c.isalpha()), "")
    return first.isupper() and not name.isupper() and len(name) > 2


def index_names(
    names: Iterable[tuple[str, str]],
    country: str = "",
    *,
    first_is_primary: bool = True,
    every_latin: bool = False,
) -> Iterator[tuple[str, str, bool]]:
    """What the index holds for a place's names: (fold key, loose key, primary).

    Parameters
    ----------
    names : iterable of (language, name)
        The main name first. The language is an ISO 639-3 code (``aze``,
        ``hye``, ``ara``...) or ``""`` when unknown; the script decides the
        method, and an untagged Latin name of a place in Azerbaijan is read
        as Azerbaijani too.
    country : str
        ISO code of the place.
    first_is_primary : bool
        The first name is the place's main name (false when adding names to
        a place indexed before).
    every_latin : bool
        Index every Latin name (curated rows, written by hand: "al-Bab");
        otherwise only capitalised ones that are no codes ("sraqb", "SEA"
        are left out).

    Yields
    ------
    (str, str, bool)
        Latin names and forms under both keys; Arabic-script skeletons with
        an empty fold key (found by the loose look-up only). Each key once.
    """
    seen_keys: set[str] = set()
    seen_skels: set[str] = set()
    for i, (lang, name) in enumerate(names):
        primary = i == 0 and first_is_primary
        script = script_of(name)
        if script == "latin":
            forms = [name] if primary or every_latin or _latin_ok(name) else []
            if forms and (lang == "aze" or (not lang and country == "AZ")):
                forms += azerbaijani_forms(name)
        elif script == "arabic":
            for skel in arabic_skeletons(name):
                if skel not in seen_skels:
                    seen_skels.add(skel)
                    yield "", skel, False
            continue
        elif script in _BY_SCRIPT:
            where = _SCRIPT_COUNTRIES.get(script)
            if country and where is not None and country not in where:
                continue
            forms = _BY_SCRIPT[script](name)
        else:
            continue
        for form in forms:
            if script != "latin" and not _only_latin(form):
                continue  # a letter the table lacks (Abkhaz ҭ): no reliable form
            key = fold(form)
            if key and key not in seen_keys and (primary or len(key) >= 3):
                seen_keys.add(key)
                skel = loose(key)
                seen_skels.add(skel)
                yield key, skel, primary and form == name
