"""Events on the maps (maps/_events.py): the data the page draws them from."""

from __future__ import annotations

import pandas as pd
import pytest
from maps_testdata import HOSTILE, draw_data, make_events, make_places, make_theatre

from frontmap.errors import InputError
from frontmap.maps import map_html, render_theatre
from frontmap.maps._events import event_records, events_data
from frontmap.maps.styles import EVENT_STYLES, event_kind


def test_every_sub_event_type_has_a_kind_and_kinds_differ_without_colour() -> None:
    from frontmap.geo.events import SUB_EVENT_TYPES

    kinds = {event_kind(s) for s in SUB_EVENT_TYPES}
    assert {"strike", "shelling", "clash", "capture", "agreement", "other"} <= kinds
    assert kinds <= set(EVENT_STYLES)
    styles = list(EVENT_STYLES.values())
    assert len({(s.shape, s.glyph) for s in styles}) == len(styles)  # shape and glyph
    assert len({s.label for s in styles}) == len(styles)  # and a label, each its own


def test_a_map_draws_its_theatres_events_as_data() -> None:
    page = map_html(render_theatre(make_theatre(), make_places(), None, events=make_events()))
    data = draw_data(page)["events"]
    assert [k[0] for k in data["kinds"]] == ["strike", "shelling", "agreement"]
    rows = data["rows"]
    assert len(rows) == 3  # the Libyan event is not on the Idlib map
    strike = next(r for r in rows if data["kinds"][r[2]][0] == "strike")
    assert strike[9] == HOSTILE[0] + " struck Saraqib"  # as data, inserted as text
    assert data["strings"][strike[7]] == HOSTILE[1]
    assert [r[11] for r in rows] == [0, 0, 1]  # the articles of the map
    assert [r[8] for r in rows] == [2, None, 0]
    assert "<img" not in page and "</script><script>alert" not in page
    assert "Events (3)" in data["box"]
    # The same bytes every time, with a frame or a list of rows.
    again = map_html(
        render_theatre(make_theatre(), make_places(), None, events=pd.DataFrame(make_events()))
    )
    assert again == page


def test_events_input_is_checked() -> None:
    assert events_data(None, "idlib", []) is None
    assert event_records([]) == []
    with pytest.raises(InputError):
        event_records("not events")
    rows = make_events()
    rows[0]["latitude"] = None
    rows[1]["latitude"] = float("nan")
    rows[2]["theatre"] = None
    assert events_data(rows, "idlib", []) is None


def test_the_layers_of_an_events_day_are_on_the_map() -> None:
    """An event dated before every article: the date control steps to its day,
    so the areas of control of that day are on the map and make its first state."""
    from maps_testdata import snapshot_layers

    early = dict(make_events()[0], event_date="2020-01-05")
    page = map_html(
        render_theatre(make_theatre(), make_places(), snapshot_layers(), events=[early])
    )
    data = draw_data(page)
    spans = {(f["vf"], f["vt"]) for layer in data["layers"] for f in layer["features"]}
    assert ("2020-01-01", "2020-01-15") in spans  # c0, the government's area that day
    assert data["states"][0]["d"] == "2020-01-05"
    without = draw_data(map_html(render_theatre(make_theatre(), make_places(), snapshot_layers())))
    assert without["states"][0]["d"] == "2020-02-05"  # the first article's day
    assert ("2020-01-01", "2020-01-15") not in {
        (f["vf"], f["vt"]) for layer in without["layers"] for f in layer["features"]
    }
