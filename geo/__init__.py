"""Text → places: gazetteer, toponym recognition and resolution.

The modules ``frontmap.geo.extract`` and ``frontmap.geo.resolve`` keep their
names; their main functions are re-exported as :func:`extract_mentions` and
:func:`resolve_mentions` so that they do not shadow the modules.
"""

from __future__ import annotations

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
        sentence end, until each part names few enough; the
        parts are found from the text alone, so the result does not depend on
        how a caller spreads the work.

    Returns
    -------
    list of Toponym
        In text order; ``text[t.start:t.end] == t.surface``.

    Examples
    --------
    >>> [t.name for t in geoparse("Shelling hit Saraqib, east of Idlib.")]
    ['Saraqib', 'Idlib']
    """
    gazetteer = gazetteer or load_gazetteer()
    if max_mentions is None:
        max_mentions = MAX_MENTIONS
    mentions = extract_mentions(text, gazetteer)
    if len(mentions) <= max_mentions or len(text) < 2:
        return resolve_mentions(mentions, text, gazetteer)
    del mentions
    out: list[Toponym] = []
    for offset, part in text_windows([text], len(text) // 2 + 1):
        for t in geoparse(part, gazetteer, max_mentions=max_mentions):
            out.append(t.shifted(offset) if offset else t)
    return out
