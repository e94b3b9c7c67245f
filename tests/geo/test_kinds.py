"""geo.kinds: the one GeoNames feature-code table and its two views."""

from __future__ import annotations

import pytest

from frontmap.geo.evaluate import TOLERANCE_KM, kind_of_feature
from frontmap.geo.kinds import CLASSES, FEATURES, KINDS, gold_kind, import_kind


def test_every_kind_is_known_to_its_reader() -> None:
    for row in [*FEATURES.values(), *CLASSES.values()]:
        assert row.kind is None or row.kind in KINDS
        assert row.gold in TOLERANCE_KM


@pytest.mark.parametrize(
    ("fclass", "fcode", "imported", "gold"),
    [
        ("P", "PPLC", "populated_place", "populated_place"),
        ("P", "PPLX", "populated_place", "populated_place"),
        ("A", "PCLI", "country", "country"),
        ("A", "PCLS", None, "region"),
        ("A", "ADM2", "admin_region", "admin_region"),
        ("A", "ADM4", None, "admin_region"),
        ("T", "MT", "mountain", "mountain"),
        ("T", "PK", None, "mountain"),
        ("T", "PLN", "region", "region"),
        ("L", "RGN", "region", "region"),
        ("L", "PRK", None, "other"),
        ("S", "AIRB", "military_site", "military_site"),
        ("S", "CMPRF", "camp", "camp"),
        ("R", "RD", "road", "road"),
        ("H", "STM", "water", "water"),
        ("H", "STMI", None, "water"),
        ("S", "SCH", None, "other"),
        # The two views differ where the evaluation has no such kind, or
        # scores a bridge as the point site it is (see geo.kinds).
        ("S", "AIRP", "airport", "other"),
        ("S", "AIRF", "airport", "other"),
        ("S", "PSTB", "crossing", "other"),
        ("S", "OILF", "facility", "other"),
        ("S", "BDG", "road", "other"),
    ],
)
def test_views_of_the_table(fclass: str, fcode: str, imported: str | None, gold: str) -> None:
    assert import_kind(fclass, fcode) == imported
    assert gold_kind(fclass, fcode) == gold == kind_of_feature(fclass.lower(), fcode.lower())


def test_import_needs_the_code_with_its_class() -> None:
    assert import_kind("T", "AIRB") is None
    assert import_kind("s", "airb") is None  # dumps write them in capitals
    assert import_kind("X", "PPL") is None


def test_gold_kind_without_class_or_code() -> None:
    assert gold_kind(None, "MT") == "mountain"
    assert gold_kind(None, "PPLA2") == "populated_place"
    assert gold_kind("V", None) == "region"
    assert gold_kind(None, None) is None
    assert gold_kind("X", "NOPE") is None
