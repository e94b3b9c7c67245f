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


# --------------------------------------------------------------------------- colour vision

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
}  # fmt: skip


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def _seen(color: str, alpha: float, deficiency: str) -> tuple[float, float, float]:
    """How a fill of ``color`` at ``alpha`` over the land looks with a deficiency (Lab)."""
    from frontmap.maps.styles import LAND_COLOR

    def rgb(h: str) -> list[float]:
        return [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]

    mixed = [
        _linear(alpha * c + (1 - alpha) * land)
        for c, land in zip(rgb(color), rgb(LAND_COLOR), strict=True)
    ]
    m = CVD[deficiency]
    seen = [max(0.0, min(1.0, sum(m[i][j] * mixed[j] for j in range(3)))) for i in range(3)]
    return _lab((seen[0], seen[1], seen[2]))


def _distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


def test_actors_of_a_theatre_stay_apart_for_colour_blind_readers():
    """Every pair of a theatre's actors differs by ΔE ≥ 12 as drawn, with any common deficiency.

    (The red-green pair of government and opposition was ΔE 4 for deuteranopes.)
    """
    from frontmap.theatres import all_theatres

    alpha = kind_style("control").fill_opacity
    for theatre in all_theatres():
        colours = [actor_style(a).color for a in theatre.actors]
        for i, a in enumerate(colours):
            for b in colours[i + 1 :]:
                for deficiency in CVD:
                    d = _distance(_seen(a, alpha, deficiency), _seen(b, alpha, deficiency))
                    assert d >= 12, (theatre.id, a, b, deficiency, round(d, 1))


def test_clusters_and_zones_use_no_actor_colour():
    from frontmap.maps.styles import CLUSTER_COLOR, ZONE_PATTERNS
    from frontmap.theatres import known_actors

    actors = [a.color for a in known_actors().values()]
    for colour in [CLUSTER_COLOR] + [p[0] for p in ZONE_PATTERNS]:
        for actor in actors:
            assert _distance(_seen(colour, 1, "normal"), _seen(actor, 1, "normal")) > 10, (
                colour,
                actor,
            )
    # the cluster bubbles of the page's CSS are that colour
    from frontmap.maps._resources import static_text

    r, g, b = (int(CLUSTER_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    assert f"rgba({r},{g},{b},.92)" in static_text("map.css")


def test_each_zone_gets_its_own_pattern_whatever_the_order():
    from frontmap.maps.styles import feature_style, zone_patterns

    patterns = zone_patterns(["idlib/zone/sochi", "idlib/zone/astana", "idlib/zone/astana"])
    assert patterns == zone_patterns(["idlib/zone/astana", "idlib/zone/sochi"])
    astana, sochi = (feature_style("zone", "", patterns[s]) for s in sorted(patterns))
    assert astana["dashArray"] != sochi["dashArray"] and astana["color"] != sochi["color"]
    # a zone with an actor keeps the actor's colour, with its zone's pattern
    held = feature_style("zone", "russia", patterns["idlib/zone/sochi"])
    assert held["color"] == actor_style("russia").color and held["dashArray"] == sochi["dashArray"]


def test_site_symbols_by_sort():
    from frontmap.maps.styles import site_symbol

    assert site_symbol("observation_post") == ("triangle", "Observation posts")
    assert site_symbol("air_base") == ("plane", "Air bases")
    assert site_symbol("") == site_symbol("unheard of") == ("diamond", "Sites")
