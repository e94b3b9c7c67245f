"""The page of a static map: paper sizes, page sizes and extents, read from text.

Light on purpose (no matplotlib): the ``frontmap`` command checks its
``--paper``, ``--size`` and ``--extent`` with these before it parses a single
article.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError

__all__ = ["PAPERS", "PrintSpec", "parse_extent", "parse_size"]

#: Paper sizes in inches, landscape (the page turns to portrait for a tall map).
PAPERS = {"a4": (297 / 25.4, 210 / 25.4), "letter": (11.0, 8.5)}
_UNITS = {"mm": 1 / 25.4, "cm": 1 / 2.54, "in": 1.0}


@dataclass(frozen=True)
class PrintSpec:
    """How a static map is laid out.

    Attributes
    ----------
    paper : {"a4", "letter"} or None
        A paper size; the page is landscape unless the map is taller than wide.
    size : (width, height) in inches, or None
        A page size (wins over ``paper``).
    width_in : float or None
        Without paper or size: the page's width, its height following the map.
        With neither, the page is A4.
    dpi : int
        Resolution of PNG output (SVG and PDF are vector).
    extent : "places", (south, west, north, east) or None
        What the map shows: the theatre (None), the places named, or a box.
    """

    paper: str | None = None
    size: tuple[float, float] | None = None
    width_in: float | None = None
    dpi: int = 150
    extent: str | tuple[float, float, float, float] | None = None


def parse_size(text: str, dpi: int = 150) -> tuple[float, float]:
    """A page size ``WxH`` with a unit (``mm`` by default, ``cm``, ``in`` or ``px``), in inches.

    Parameters
    ----------
    text : str
        Such as ``"180x120"``, ``"18x12cm"``, ``"7x5in"`` or ``"1600x1000px"``.
    dpi : int
        Pixels per inch, for ``px``.

    Returns
    -------
    (float, float)
        Width and height in inches.

    Raises
    ------
    frontmap.errors.InputError
        When the text is not such a size, or a side is not between 1 and 100 inches.

    Examples
    --------
    >>> parse_size("7x5in")
    (7.0, 5.0)
    >>> parse_size("254x127")
    (10.0, 5.0)
    """
    raw = text.strip().lower().replace(" ", "")
    unit = next((u for u in ("mm", "cm", "in", "px") if raw.endswith(u)), "mm")
    body = raw[: -len(unit)] if raw.endswith(unit) else raw
    try:
        w_text, h_text = body.split("x")
        w, h = float(w_text), float(h_text)
    except ValueError:
        raise InputError(
            f"size: {text!r} is not WxH (e.g. 180x120mm, 7x5in, 1600x1000px)"
        ) from None
    factor = 1.0 / dpi if unit == "px" else _UNITS[unit]
    w, h = w * factor, h * factor
    if not (1 <= w <= 100 and 1 <= h <= 100):
        raise InputError(f"size: {text!r} must be between 1 and 100 inches a side")
    return (round(w, 4), round(h, 4))


def parse_extent(text: str) -> str | tuple[float, float, float, float]:
    """An extent: ``places`` (fit the named places) or ``SOUTH,WEST,NORTH,EAST`` in degrees.

    Raises
    ------
    frontmap.errors.InputError
        For anything else, or a box that is empty or out of range.

    Examples
    --------
    >>> parse_extent("places"), parse_extent("35,36,36.5,37.2")
    ('places', (35.0, 36.0, 36.5, 37.2))
    """
    raw = text.strip().lower()
    if raw in ("places", "fit"):
        return "places"
    try:
        south, west, north, east = (float(x) for x in raw.split(","))
    except ValueError:
        raise InputError(f"extent: {text!r} is not 'places' or SOUTH,WEST,NORTH,EAST") from None
    if not (-85 <= south < north <= 85 and -180 <= west < east <= 180):
        raise InputError(f"extent: {text!r} is not a box (south < north, west < east, degrees)")
    return (south, west, north, east)
