"""_legend.py: which entries a legend lists, and the page's legend."""

from __future__ import annotations

from maps_testdata import HOSTILE, make_layers

from frontmap.maps._legend import legend_html, legend_kinds, sources_of
from frontmap.maps._rows import layer_features


def features(changes=None):
    layers = make_layers()
    for (row, column), value in (changes or {}).items():
        layers.loc[row, column] = value
    return layer_features(layers, "idlib")


def test_kinds_in_drawing_order_with_actors_in_order_of_use():
    kinds = legend_kinds(features({(5, "kind"): "pipeline", (0, "kind"): "border"}))
    assert list(kinds) == ["control", "corridor", "front_line", "site", "border", "pipeline"]
    assert kinds["control"] == ["government", "opposition"]
    assert kinds["front_line"] == [""]


def test_sources_once_in_order_of_use():
    assert sources_of(features()) == [
        "Test source A",
        "Test source B",
        "Test source C",
        "Test source D",
        "Test source E",
    ]


def test_legend_lists_markers_layers_and_sources():
    html = legend_html({1, 3}, features({(1, "source"): "https://example.org/s"}))
    assert html.startswith('<b>Legend</b><div><svg width="20" height="20"><circle')
    assert "Place named in the text" in html and "Region named (approximate)" in html
    assert "Place near or part of the one named" not in html
    assert "Syrian government and allies" in html and "Front lines" in html
    assert "<summary>Sources of the layers (6)</summary>" in html
    assert '<a href="https://example.org/s" target="_blank"' in html


def test_legend_escapes_hostile_actors_and_sources():
    html = legend_html(set(), features({(1, "actor"): HOSTILE[1], (2, "source"): HOSTILE[0]}))
    assert "<img" not in html and "<script" not in html
    assert HOSTILE[1].replace("<", "&lt;").replace(">", "&gt;") in html
