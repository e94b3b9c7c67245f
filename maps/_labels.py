"""What the labels of a map say: one spelling policy for the whole map.

* A place the articles name is labelled with the **press form the article
  used** (:func:`press_label`): "Khan Sheikhoun" stays as written, not the
  gazetteer's "Khān Shaykhūn"; when articles spell it differently, the most
  frequent spelling wins (the first met on a tie).
* Base-map labels (towns and villages the articles do not name) get the
  curated row's name where frontmap's curated gazetteer restates the town
  (its names are the press forms), and otherwise **one English
  transliteration** of the gazetteer name (:func:`english_name`): diacritics
  and the marks of ʿayn and hamza dropped; Azerbaijani letters as the English
  press writes them (``x`` → ``kh``, ``c`` → ``j``, ``ş`` → ``sh``, ``ə`` →
  ``a``...); Turkish letters without their marks; and, for Arabic place
  names, the article written ``al-`` and a final ``-ah`` as ``-a`` ("Ma‘arrat
  an Nu‘mān" → "Maarrat al-Numan", "Ḩamāh" → "Hama").

Both are plain text: the page inserts labels with ``textContent``.

>>> english_name("Zəngilan", "AZ"), english_name("Xankəndi", "AZ")
('Zangilan', 'Khankandi')
>>> english_name("Ma‘arrat an Nu‘mān", "SY"), english_name("Ḩamāh", "SY")
('Maarrat al-Numan', 'Hama')
>>> english_name("Kırıkhan", "TR"), press_label(["Shushi", "Shusha", "Shushi"], "Shusha")
('Kirikhan', 'Shushi')
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

__all__ = ["ARABIC_COUNTRIES", "english_name", "press_label"]

#: Countries whose GeoNames names are romanised Arabic (BGN/PCGN style).
ARABIC_COUNTRIES = frozenset("SY LY IQ LB JO EG TN DZ SA PS SD YE KW".split())

# Letters NFKD does not take apart, as English writes them. Azerbaijani first
# (its x, c, q and ə are sounds English spells otherwise), then the rest.
_AZERBAIJANI = str.maketrans(
    {
        "ə": "a",
        "Ə": "A",
        "x": "kh",
        "X": "Kh",
        "c": "j",
        "C": "J",
        "ç": "ch",
        "Ç": "Ch",
        "ş": "sh",
        "Ş": "Sh",
        "ğ": "gh",
        "Ğ": "Gh",
        "ı": "i",
        "I": "I",
        "İ": "I",
    }
)
_OTHER = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ə": "a",
        "Ə": "A",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "Oe",
    }
)
# ʿayn, hamza and the quotes GeoNames writes them with.
_MARKS = re.compile("[\u2018\u2019\u02bb\u02bc\u02bf\u02be'`\u00b4\u2032]")
_ARTICLE = re.compile(
    r"\b(?:al|el|ad|adh|ag|an|ar|as|ash|at|ath|az|ad|adh)[ -](?=\w)", re.IGNORECASE
)
_FINAL_AH = re.compile(r"(?<=[bcdfghjklmnpqrstvwxyz])(?<!ll)ah\b")
_SPACES = re.compile(r"\s+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _arabic(text: str) -> str:
    """The article as ``al-`` (``Al-`` first), a final ``-ah`` as ``-a``."""

    def article(match: re.Match[str]) -> str:
        return "Al-" if match.start() == 0 else "al-"

    text = _ARTICLE.sub(article, text)
    return _FINAL_AH.sub("a", text)


def english_name(name: str, country: str | None = None) -> str:
    """A gazetteer name in the English transliteration the base map uses.

    Parameters
    ----------
    name : str
        The name as the gazetteer writes it (GeoNames: "Khān Shaykhūn").
    country : str, optional
        ISO 3166-1 alpha-2 code of the place: Azerbaijani letters are read as
        Azerbaijani (``AZ``), Arabic names get the article and ending rules
        (:data:`ARABIC_COUNTRIES`).

    Returns
    -------
    str
        ASCII letters where the name was Latin with marks; a name in another
        script is returned with its marks only removed.
    """
    country = (country or "").upper()
    text = name.translate(_AZERBAIJANI) if country == "AZ" else name
    text = _MARKS.sub("", text.translate(_OTHER))
    text = _strip_marks(text)
    if country in ARABIC_COUNTRIES:
        text = _arabic(text)
    return _SPACES.sub(" ", text).strip()


def _display(surface: str) -> str:
    """A surface form as a label: the first letter up ("northwest Syria" → "Northwest Syria")."""
    text = _SPACES.sub(" ", surface).strip()
    if text.isupper() and len(text) > 3:  # "IDLIB" in a headline
        text = text.title()
    return text[:1].upper() + text[1:]


def press_label(surfaces: Iterable[str], name: str) -> str:
    """The label of a place the articles name: the spelling they used most.

    Parameters
    ----------
    surfaces : iterable of str
        The place's mentions as written, in order.
    name : str
        The gazetteer name, used when no mention has text.

    Returns
    -------
    str
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for surface in surfaces:
        text = _display(surface)
        if text:
            counts[text] += 1
            first.setdefault(text, len(first))
    if not counts:
        return name
    return min(counts, key=lambda s: (-counts[s], first[s]))
