"""Text → places: gazetteer, toponym recognition and resolution.

The modules ``frontmap.geo.extract`` and ``frontmap.geo.resolve`` keep their
names; their main functions are re-exported as :func:`extract_mentions` and
:func:`resolve_mentions` so that they do not shadow the modules.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator, Sequence

from .articles import text_windows
from .distance import haversine_km
from .extract import Mention, sentences
from .extract import extract as extract_mentions
from .gazetteer import Candidate, Gazetteer, Place, import_geonames, load_gazetteer
from .names import fold, loose
from .resolve import Toponym
from .resolve import resolve as resolve_mentions

__all__ = [
    "Candidate",
    "Gazetteer",
    "MAX_MENTIONS",
    "Mention",
    "Place",
    "Toponym",
    "extract_mentions",
    "fold",
    "geoparse",
    "haversine_km",
    "import_geonames",
    "load_gazetteer",
    "loose",
    "resolve_mentions",
    "sentences",
]


#: Most mentions resolved together. Resolution weighs every mention against every
#: other one, so a text naming more places is cut in two (at a paragraph or
#: sentence end near its middle) until each part is small enough, and the parts
#: are resolved apart.
MAX_MENTIONS = 1000

#: Invisible format characters: soft hyphen, zero-width space, non-joiner and
#: joiner, direction marks and embeddings, word joiner, byte-order mark. Inside a
#: name ("Sar\u00adaqib") they would cut it in two; geoparsing reads the text
#: without them and gives offsets into the text as it was.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def geoparse(
    text: str, gazetteer: Gazetteer | None = None, *, max_mentions: int | None = None
) -> list[Toponym]:
    """Find and resolve the toponyms of a text.

    Parameters
    ----------
    text : str
        Article text.
    gazetteer : Gazetteer, optional
        Defaults to the shared one (:func:`load_gazetteer`).
    max_mentions : int, optional
        Resolve at most this many mentions together (default
        :data:`MAX_MENTIONS`; memory and time grow with the square of it). A
        text naming more places is split near its middle, at a paragraph or
        sentence end, until each part names few enough, and the parts are
        resolved apart; the parts are found from the text alone, so the result
        does not depend on how a caller spreads the work. Mentions are found
        once, in the whole text (time stays linear in its length).

    Returns
    -------
    list of Toponym
        In text order; ``text[t.start:t.end] == t.surface``. Invisible format
        characters (:data:`INVISIBLE`) do not cut a name: "Sar\u00adaqib" is
        Saraqib, and its surface keeps the soft hyphen.

    Examples
    --------
    >>> [t.name for t in geoparse("Shelling hit Saraqib, east of Idlib.")]
    ['Saraqib', 'Idlib']
    """
    gazetteer = gazetteer or load_gazetteer()
    if max_mentions is None:
        max_mentions = MAX_MENTIONS
    visible, shift = _visible(text)
    mentions = extract_mentions(visible, gazetteer)
    starts = [m.start for m in mentions]
    out: list[Toponym] = []
    for lo, hi in _parts(visible, starts, max_mentions, 0, len(visible)):
        part = mentions[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
        out.extend(resolve_mentions(part, visible, gazetteer))
    if shift is None:
        return out
    return [_in_original(t, text, shift) for t in out]


def _parts(
    text: str, starts: Sequence[int], limit: int, lo: int, hi: int
) -> Iterator[tuple[int, int]]:
    """Ranges of ``text[lo:hi]`` with at most ``limit`` mention starts each.

    A range with more is cut near its middle by :func:`text_windows` (at a
    paragraph or sentence end), and each piece is cut again as needed.
    """
    count = bisect.bisect_left(starts, hi) - bisect.bisect_left(starts, lo)
    if count <= limit or hi - lo < 2:
        yield lo, hi
        return
    for offset, piece in text_windows([text[lo:hi]], (hi - lo) // 2 + 1):
        yield from _parts(text, starts, limit, lo + offset, lo + offset + len(piece))


def _visible(text: str) -> tuple[str, list[int] | None]:
    """The text without its invisible format characters, and how to map offsets back.

    Returns
    -------
    (str, list of int or None)
        The visible text, and for the k-th removed character its position in
        the visible text (sorted; None when nothing was removed): an offset
        ``i`` of the visible text is ``i + bisect_right(shift, i)`` in ``text``.
    """
    removed = [m.start() for m in INVISIBLE.finditer(text)]
    if not removed:
        return text, None
    return INVISIBLE.sub("", text), [r - k for k, r in enumerate(removed)]


def _in_original(t: Toponym, text: str, shift: list[int]) -> Toponym:
    """A toponym found in the visible text, with offsets and surface of ``text``."""

    def start(i: int) -> int:
        return i + bisect.bisect_right(shift, i)

    def end(i: int) -> int:  # just after the last character
        return start(i - 1) + 1 if i > 0 else 0

    begin, stop = start(t.start), end(t.end)
    return dataclasses.replace(
        t,
        start=begin,
        end=stop,
        surface=text[begin:stop],
        sentence_start=start(t.sentence_start),
        sentence_end=end(t.sentence_end),
    )
