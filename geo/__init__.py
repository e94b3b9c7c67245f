"""Text → places: gazetteer, toponym recognition and resolution.

The modules ``geo.extract`` and ``geo.resolve`` keep their names; their main
functions are re-exported as :func:`extract_mentions` and
:func:`resolve_mentions` so that ``import geo.extract`` still gives the module.
"""

from __future__ import annotations

from ..errors import FrontmapError, GazetteerError, InputError
from .distance import haversine_km
from .extract import Mention, sentences
from .extract import extract as extract_mentions
from .gazetteer import Candidate, Gazetteer, Place, import_geonames, load_gazetteer
from .names import fold, loose
from .resolve import Toponym
from .resolve import resolve as resolve_mentions

__all__ = [
    "Candidate",
    "FrontmapError",
    "GazetteerError",
    "Gazetteer",
    "InputError",
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


def geoparse(text: str, gazetteer: Gazetteer | None = None) -> list[Toponym]:
    """Find and resolve the toponyms of a text.

    Parameters
    ----------
    text : str
        Article text.
    gazetteer : Gazetteer, optional
        Defaults to the shared one (:func:`load_gazetteer`).

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
    return resolve_mentions(extract_mentions(text, gazetteer), text, gazetteer)
