"""Factions within an actor (issue 13 item 4): the actor's colour, the faction's outline,
a legend line per faction on screen, the faction in the tooltip; actor keys unchanged."""

from __future__ import annotations

import shapely

from frontmap.maps._legend import legend_entries
from frontmap.maps._rows import Feature
from frontmap.maps.styles import FACTION_DASHES, faction_label, feature_style
from frontmap.theatres import actor


def _area(fid: str, actor_key: str, faction: str) -> Feature:
    return Feature(
        id=fid,
        kind="control",
        name=fid,
        actor=actor_key,
        valid_from="2020-01-01",
        valid_to=None,
        source="test",
        precision_km=2.0,
        geometry=shapely.box(36.0, 35.0, 36.5, 35.5),
        faction=faction,
    )


def test_a_faction_keeps_its_actors_colour_with_an_outline_of_its_own() -> None:
    plain = feature_style("control", "opposition")
    styles = {f: feature_style("control", "opposition", faction=f) for f in ("hts", "sna")}
    for style in styles.values():
        assert style["fillColor"] == plain["fillColor"] and style["color"] == plain["color"]
        assert style["dashArray"] in FACTION_DASHES and style["weight"] > plain["weight"]
    assert styles["hts"]["dashArray"] != styles["sna"]["dashArray"]
    assert "dashArray" not in plain
    # the n-th faction of theatres.json takes the n-th outline
    order = list(actor("opposition").factions)
    assert styles["hts"]["dashArray"] == FACTION_DASHES[order.index("hts")]
    # a faction no file lists still gets an outline, and its key as a label
    assert feature_style("control", "opposition", faction="zz")["dashArray"] in FACTION_DASHES
    assert faction_label("opposition", "zz") == "zz"


def test_the_legend_lists_the_factions_on_screen_under_their_actor() -> None:
    features = [
        _area("a", "opposition", "sna"),
        _area("b", "opposition", "hts"),
        _area("c", "government", ""),
    ]
    labels = [e.label for e in legend_entries([], features, towns=False)]
    opp = labels.index(next(x for x in labels if x.startswith("Opposition")))
    hts, sna = faction_label("opposition", "hts"), faction_label("opposition", "sna")
    assert labels[opp + 1 : opp + 3] == [f"… {hts}", f"… {sna}"]  # theatres.json order
    assert not any("Nagorno" in x for x in labels)  # factions not on the map: not listed
    only = [e.label for e in legend_entries([], features[2:], towns=False)]
    assert not any(x.startswith("…") for x in only)
