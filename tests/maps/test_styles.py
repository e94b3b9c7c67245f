"""styles.py: actor and kind styles, drawing order, labels of place kinds."""

from __future__ import annotations

import re

from frontmap.maps import actor_style, kind_style, layer_kinds
from frontmap.maps.styles import layer_color, place_kind_label


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


def test_layer_colour_is_the_actors_except_for_roads_and_front_lines():
    assert layer_color("control", "government") == actor_style("government").color
    assert layer_color("control", "") is None
    assert layer_color("road", "government") is None
    assert layer_color("front_line", "government") is None


def test_place_kind_labels():
    assert place_kind_label("populated_place") == "populated place"
    assert place_kind_label("") == "place"
