"""frontmap.geo.evaluate_events: scoring events against gold events (made-up records)."""

from __future__ import annotations

import pytest

from frontmap.geo.evaluate_events import evaluate_events, format_events_report
from frontmap.theatres import theatre_of

SARAQIB = {"start": 20, "end": 27, "lat": 35.86, "lon": 36.80, "kind": "populated_place"}
IDLIB = {"start": 40, "end": 45, "lat": 35.93, "lon": 36.63, "kind": "admin_region"}


def gold_event(**kw):
    event = {
        "start": 0,
        "end": 50,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "russia",
        "actor2": None,
        "fatalities": 4,
        "event_date": "2020-03",
        "time_precision": 3,
        "geo_precision": 1,
        "location": SARAQIB,
        "locations": [SARAQIB, IDLIB],
        "mentions": [[200, 230]],
    }
    event.update(kw)
    return event


def pred_event(**kw):
    event = {
        "start": 5,
        "end": 48,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "russia",
        "actor2": None,
        "fatalities": 4,
        "event_date": "2020-03-02",
        "geo_precision": 1,
        "toponyms": [[20, 27]],
        "latitude": 35.86,
        "longitude": 36.80,
        "theatre": "idlib",
        "mentions": [],
    }
    event.update(kw)
    return event


def test_a_perfect_prediction() -> None:
    r = evaluate_events(
        [{"id": "a", "events": [gold_event()]}], [{"id": "a", "events": [pred_event()]}]
    )
    o = r["overall"]
    assert (o["precision"], o["recall"], o["f1"]) == (1.0, 1.0, 1.0)
    assert o["type"] == o["sub_type"] == o["actors"] == o["fatalities"] == o["date"] == 1.0
    assert o["location"] == o["location_exact"] == 1.0 and r["n_articles"] == 1


def test_matching_through_mentions_and_duplicates() -> None:
    gold = [{"id": "a", "events": [gold_event()]}]
    # The prediction reports it where the gold has a later mention: a match.
    r = evaluate_events(gold, [{"id": "a", "events": [pred_event(start=205, end=225)]}])
    assert r["overall"]["matched"] == 1
    # Two predictions of one event: one matches, the other is a duplicate (a false positive).
    two = [pred_event(), pred_event(start=201, end=228)]
    r = evaluate_events(gold, [{"id": "a", "events": two}])
    o = r["overall"]
    assert (o["matched"], o["duplicates"], o["precision"], o["recall"]) == (1, 1, 0.5, 1.0)
    # Nothing predicted: every gold event missed; a gold article without a record too.
    r = evaluate_events(gold + [{"id": "b", "events": [gold_event()]}], [])
    assert (r["overall"]["recall"], r["overall"]["n_gold"]) == (0.0, 2)


def test_labels_are_scored_on_matched_pairs() -> None:
    gold = [{"id": "a", "events": [gold_event()]}]
    wrong = pred_event(
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1=None,
        fatalities=None,
        event_date="2020-04-01",
        geo_precision=2,
    )
    errors: list = []
    o = evaluate_events(gold, [{"id": "a", "events": [wrong]}], errors=errors)["overall"]
    assert o["type"] == o["sub_type"] == o["actor1"] == o["fatalities"] == o["date"] == 0.0
    assert o["actor2"] == 1.0 and o["location"] == 1.0
    assert errors[0]["type"] == "labels" and "fatalities" in errors[0]["wrong"]


@pytest.mark.parametrize(
    ("toponyms", "lat", "lon", "any_ok", "exact_ok"),
    [
        ([[20, 27]], 35.86, 36.80, True, True),  # the same span
        ([[60, 67]], 35.87, 36.81, True, True),  # another mention of Saraqib, within 10 km
        (
            [[40, 45]],
            35.93,
            36.63,
            True,
            False,
        ),  # the province: a place of the event, not the most specific
        ([[70, 75]], 36.20, 37.16, False, False),  # Aleppo: wrong
        ([], None, None, False, False),  # no place
    ],
)
def test_location_link(toponyms, lat, lon, any_ok, exact_ok) -> None:
    gold = [{"id": "a", "events": [gold_event()]}]
    pred = pred_event(toponyms=toponyms, latitude=lat, longitude=lon)
    o = evaluate_events(gold, [{"id": "a", "events": [pred]}])["overall"]
    assert (o["location"], o["location_exact"]) == (float(any_ok), float(exact_ok))


def test_per_theatre_rows_and_report() -> None:
    gold = [
        {
            "id": "a",
            "events": [gold_event(), gold_event(start=100, end=140, location=None, locations=[])],
        }
    ]
    pred = [{"id": "a", "events": [pred_event(), pred_event(start=300, end=320, theatre="libya")]}]
    r = evaluate_events(gold, pred, theatre_of=theatre_of)
    assert set(r["by_theatre"]) == {"idlib", "(none)", "libya"}
    assert r["by_theatre"]["libya"]["n_pred"] == 1 and r["by_theatre"]["libya"]["matched"] == 0
    assert r["overall"]["n_located"] == 1
    text = format_events_report(r)
    assert text.splitlines()[0] == "events: 1 articles" and "overall" in text
