"""_static.py through export_static: PNG, SVG and PDF drawn with matplotlib."""

from __future__ import annotations

import pytest
from maps_testdata import HOSTILE, hostile_places

from frontmap.errors import RenderError
from frontmap.maps import export_static


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_static_export_is_deterministic(tmp_path, theatre, places, layers_gdf, fmt, magic):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export_static(theatre, places, layers_gdf, first, dpi=40, width_in=5)
    export_static(theatre, places, layers_gdf, second, fmt, dpi=40, width_in=5)
    data = first.read_bytes()
    assert data.startswith(magic)
    assert data == second.read_bytes()


def test_static_svg_has_legend_attribution_and_escaped_text(tmp_path, theatre, layers_gdf):
    import xml.etree.ElementTree as ET

    frame = hostile_places()
    frame.loc[0, "surface"] = "Price $5 and $x^2$ <b>"  # labels are the press form
    target = tmp_path / "map.svg"
    export_static(theatre, frame, layers_gdf, target, title=HOSTILE[0], as_of="2020-02-05")
    text = target.read_text(encoding="utf-8")
    root = ET.fromstring(text)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{ns}script")) and not list(root.iter(f"{ns}foreignObject"))
    words = " ".join("".join(t.itertext()) for t in root.iter(f"{ns}text"))
    assert HOSTILE[0] in words and "Price $5 and $x^2$ <b>" in words
    for needle in (
        "As of 2020-02-05",
        "GeoNames (CC BY 4.0)",
        "Natural Earth",
        "Test source B",
        "Front lines",
        "Syrian government and allies",
        "km",
    ):
        assert needle in words, needle


def test_static_export_rejects_unknown_format(tmp_path, theatre, places):
    with pytest.raises(RenderError):
        export_static(theatre, places, None, tmp_path / "map.gif")
    assert list(tmp_path.iterdir()) == []


def test_static_export_refuses_a_bad_as_of_and_unwritable_targets(tmp_path, theatre, places):
    from frontmap.errors import InputError, OutputError

    with pytest.raises(InputError, match="as_of"):
        export_static(theatre, places, None, tmp_path / "m.svg", as_of="soon")
    with pytest.raises(OutputError):
        export_static(theatre, places, None, tmp_path / "missing" / "m.svg", dpi=20, width_in=3)
    assert list(tmp_path.iterdir()) == []
