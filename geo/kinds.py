"""Place kinds: frontmap's vocabulary, and what GeoNames feature codes mean in it.

:data:`KINDS` are the kinds a gazetteer place can have. :data:`FEATURES` is
the one table of the GeoNames feature codes frontmap knows, with
:data:`CLASSES` for the rest of each feature class. A row gives the code's
class and two kinds, one for each reader of the table:

``kind``
    what :func:`geo.index.import_geonames` files a place of that code under,
    or ``None`` when a dump import skips it (:func:`import_kind`).
``gold``
    how :mod:`geo.evaluate` scores a gold toponym of that code: one of the
    kinds of the evaluation README, which are the keys of
    ``geo.evaluate.TOLERANCE_KM`` (:func:`gold_kind`).

The two columns agree except where the evaluation has no such kind, and the
difference is on purpose: airports, border crossings and oil facilities are
kinds of their own in the gazetteer (they rank and draw differently) but
"other" sites (10 km) for scoring; a bridge is filed with roads in the
gazetteer, so that "the bridge on the M4" ranks like the road, but scored as
the point site it is (10 km, not a road's 25 km).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CLASSES", "FEATURES", "KINDS", "Feature", "gold_kind", "import_kind"]

KINDS = (
    "populated_place",
    "admin_region",
    "country",
    "region",
    "water",
    "road",
    "military_site",
    "camp",
    "mountain",
    "crossing",
    "airport",
    "district",
    "facility",
)


class Feature(NamedTuple):
    """What a GeoNames feature code (or a feature class) means to frontmap."""

    fclass: str  # the GeoNames feature class the code belongs to
    kind: str | None  # gazetteer kind of an imported place; None: not imported
    gold: str  # evaluation kind of a gold toponym


def _rows(fclass: str, kind: str | None, gold: str, codes: str) -> dict[str, Feature]:
    return dict.fromkeys(codes.split(), Feature(fclass, kind, gold))


#: GeoNames feature code → :class:`Feature`. Each code belongs to one class.
FEATURES: dict[str, Feature] = {
    # A: countries, other polities, admin areas
    **_rows("A", "country", "country", "PCLI"),
    **_rows("A", None, "country", "PCL PCLIX"),
    **_rows("A", None, "region", "PCLD PCLF PCLH PCLS TERR ZN ZNB"),
    **_rows("A", "admin_region", "admin_region", "ADM1 ADM2 ADM3 ADMD"),
    # L: regions, and sites filed as areas
    **_rows("L", "region", "region", "RGN AREA"),
    **_rows("L", None, "other", "PRK PRT CMN RES RESN RESV LCTY QUAY"),
    # T: hills and mountains, plains and valleys
    **_rows("T", "mountain", "mountain", "MT MTS HLL HLLS"),
    **_rows("T", None, "mountain", "PK PKS RDGE SPUR CLF"),
    **_rows("T", "region", "region", "PLN VAL"),
    # S: sites
    **_rows("S", "military_site", "military_site", "AIRB MILB INSM"),
    **_rows("S", "airport", "other", "AIRP AIRF"),
    **_rows("S", "road", "other", "BDG"),
    **_rows("S", "camp", "camp", "CMPRF"),
    **_rows("S", None, "camp", "CMP"),
    **_rows("S", "crossing", "other", "PSTB"),
    **_rows("S", "facility", "other", "OILF OILT"),
    # R: roads
    **_rows("R", "road", "road", "RD"),
    # H: water
    **_rows("H", "water", "water", "STM LK RSV SEA GULF"),
}

#: GeoNames feature class → :class:`Feature`, for the codes :data:`FEATURES` lacks.
CLASSES: dict[str, Feature] = {
    "P": Feature("P", "populated_place", "populated_place"),
    "A": Feature("A", None, "admin_region"),
    "H": Feature("H", None, "water"),
    "U": Feature("U", None, "water"),
    "R": Feature("R", None, "road"),
    "S": Feature("S", None, "other"),
    "L": Feature("L", None, "region"),
    "T": Feature("T", None, "region"),
    "V": Feature("V", None, "region"),
}


def import_kind(fclass: str, fcode: str) -> str | None:
    """Gazetteer kind of a place in a GeoNames dump, or None to skip it.

    Parameters
    ----------
    fclass, fcode : str
        The dump's feature class and code columns, as written (``"P"``,
        ``"PPLA"``; ``"S"``, ``"AIRB"``).

    Returns
    -------
    str or None
        Populated places of every code, and the codes of :data:`FEATURES`
        with a ``kind``; None for anything else.
    """
    row = FEATURES.get(fcode)
    if row is None or row.fclass != fclass:
        row = CLASSES.get(fclass)
    return None if row is None else row.kind


def gold_kind(fclass: str | None, fcode: str | None) -> str | None:
    """Evaluation kind of a gold toponym with a GeoNames feature class and code.

    The code decides when :data:`FEATURES` has it, whatever the class given
    (a GeoNames code names one class); then codes starting ``ADM`` or
    ``PRSH`` are admin areas and ``PPL`` populated places; then the class
    decides, by :data:`CLASSES`.

    Parameters
    ----------
    fclass, fcode : str or None
        Feature class (``A``, ``H``, ``L``, ``P``, ``R``, ``S``, ``T``,
        ``U``, ``V``) and code, in any case.

    Returns
    -------
    str or None
        An evaluation kind; None when neither says anything.
    """
    fcode = (fcode or "").upper()
    fclass = (fclass or "").upper()
    row = FEATURES.get(fcode)
    if row is not None:
        return row.gold
    if fcode.startswith(("ADM", "PRSH")):
        return "admin_region"
    if fcode.startswith("PPL"):
        return "populated_place"
    row = CLASSES.get(fclass)
    return None if row is None else row.gold
