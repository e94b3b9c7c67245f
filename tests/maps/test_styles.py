"""maps.styles: actor and kind styles, drawing order; base map labels."""

from __future__ import annotations

import re

from frontmap.maps import actor_style, kind_style, layer_kinds
from frontmap.maps._basemap import _pixels, towns


def test_known_and_unknown_actor_styles():
    assert actor_style("government").label == "Syrian government and allies"
    assert actor_style("LNA").key == "lna"
    unknown = actor_style("Wagner")
    assert unknown == actor_style("Wagner")  # stable
    assert unknown.label == "Wagner" and re.fullmatch(r"#[0-9a-f]{6}", unknown.color)
    assert actor_style(None).label == "No actor"


def test_kind_styles_and_drawing_order():
    kinds = layer_kinds()
    assert kinds.index("control") < kinds.index("front_line") < kinds.index("site")
    assert kind_style("front_line").leaflet()["fill"] is False
    assert kind_style("control").leaflet("#123456")["fillColor"] == "#123456"
    assert kind_style("buffer").label == "Buffer"  # unknown kinds drawn like zones


def test_town_labels_do_not_overlap():
    chosen = towns((38.3, 43.4, 41.95, 50.7), 30, zoom=8)
    names = [t[0] for t in chosen]
    assert "Yerevan" in names and "Baku" in names
    points = [_pixels(lat, lon, 8) for _, lat, lon, _ in chosen]
    for i, (x, y) in enumerate(points):
        for x2, y2 in points[i + 1 :]:
            assert abs(x - x2) >= 80 or abs(y - y2) >= 16
