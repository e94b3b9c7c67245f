"""_legend.py: which entries a legend lists, and the page's legend."""

from __future__ import annotations

import pandas as pd
from maps_testdata import ARTICLE_A, HOSTILE, make_layers, make_places, mention

from frontmap.maps._legend import legend_entries, legend_html, legend_kinds, sources_of
from frontmap.maps._rows import layer_features, mention_rows, places_and_articles
from frontmap.maps.styles import feature_style, zone_patterns


def places(extra=()):
    frame = pd.concat([make_places(), pd.DataFrame(list(extra))], ignore_index=True)
    return places_and_articles(mention_rows(frame), "idlib")[0]


def region_and_country():
    return [
        mention(ARTICLE_A, "Saraqib", "northwest Syria", 36.2, 36.7, kind="region", precision=3),
        mention(ARTICLE_A, "Binnish", "Syria", 35.0, 38.0, kind="country", precision=1),
    ]


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


def test_a_source_another_goes_on_from_is_credited_once():
    """A front line's source is its zones' and how it was derived: said once."""
    zones = "Wikipedia: an offensive, positions as of 5 March."
    line = zones + " Derived: where two actors' areas of control meet."
    got = sources_of(features({(0, "source"): zones, (1, "source"): line, (2, "source"): zones}))
    assert got[0] == line and zones not in got
    assert len(got) == len(set(got)) and "Test source D" in got


def test_legend_lists_markers_layers_and_sources():
    html = legend_html(places(), features({(1, "source"): "https://example.org/s"}))
    assert html.startswith('<details class="fm-legend-d" open><summary>Legend</summary>')
    assert "Place named in the text" in html and "Place near or part of the one named" in html
    assert "Region named" not in html  # no area on this map
    assert "Syrian government and allies" in html and "Front lines" in html
    assert "<summary>Sources of the layers (6)</summary>" in html
    assert '<a href="https://example.org/s" target="_blank"' in html


def test_areas_have_entries_of_their_own():
    labels = [e.label for e in legend_entries(places(region_and_country()), [])]
    assert "Region named (an area, no point)" in labels
    assert "Country named (its outline)" in labels


def test_each_zone_and_each_sort_of_site_has_its_own_symbol():
    feats = features(
        {(4, "kind"): "zone", (4, "name"): "Sochi demilitarised zone", (4, "id"): "z-sochi"}
    )
    entries = legend_entries([], feats)
    zones = [e for e in entries if e.label in ("De-escalation zone", "Sochi demilitarised zone")]
    assert len(zones) == 2 and zones[0].style != zones[1].style
    # the legend draws a zone exactly as the map does
    patterns = zone_patterns([f.series for f in feats if f.kind == "zone"])
    sochi = next(f for f in feats if f.id == "z-sochi")
    assert zones[1].style == feature_style("zone", "", patterns[sochi.series])
    (site,) = [e for e in entries if e.shape in ("triangle", "plane", "diamond", "square")]
    assert (site.shape, site.label) == ("triangle", "Observation posts (Turkey)")
    bases = features({(6, "name"): "al-Watiya air base", (6, "actor"): "lna"})
    (site,) = [e for e in legend_entries([], bases) if e.shape == "plane"]
    assert site.label == "Air bases (Libyan National Army)"
    assert site.style["fillColor"] == feature_style("site", "lna")["fillColor"]


def test_legend_escapes_hostile_actors_and_sources():
    html = legend_html([], features({(1, "actor"): HOSTILE[1], (2, "source"): HOSTILE[0]}))
    assert "<img" not in html and "<script" not in html
    assert HOSTILE[1].replace("<", "&lt;").replace(">", "&gt;") in html
