"""Toponym resolution (:mod:`frontmap.geo.resolve`).

First on mentions built here from invented places, then through
:func:`frontmap.geo.geoparse` on the real gazetteer, on texts written for
these tests.
"""

from __future__ import annotations

from frontmap.geo import geoparse
from frontmap.geo.distance import haversine_km
from frontmap.geo.extract import Mention
from frontmap.geo.gazetteer import Place, rank_score
from frontmap.geo.resolve import resolve


def _place(gazetteer_id, name, kind, population, country, lat, lon) -> Place:
    return Place(gazetteer_id, name, lat, lon, country, kind, "", population, "test")


VILLAGE = _place("test-qarqur", "Qarqur", "populated_place", 0, "SY", 35.8, 36.6)
BASE = _place("test-qarqur-ab", "Qarqur Air Base", "military_site", 0, "SY", 35.7, 36.7)
TRIPOLI_LY = _place("test-tripoli-ly", "Tripoli", "populated_place", 1_000_000, "LY", 32.9, 13.2)
TRIPOLI_LB = _place("test-tripoli-lb", "Tripoli", "populated_place", 1_000_000, "LB", 34.4, 35.8)
MISRATA = _place("test-misrata", "Misrata", "populated_place", 400_000, "LY", 32.4, 15.1)
BEIRUT = _place("test-beirut", "Beirut", "populated_place", 1_500_000, "LB", 33.9, 35.5)


def mention(surface: str, start: int, *places: Place, **cues) -> Mention:
    candidates = [(p, "exact", rank_score(p, "exact", True)) for p in places]
    return Mention(start, start + len(surface), surface, 0, 200, candidates, **cues)


def test_no_mentions_no_toponyms() -> None:
    assert resolve([], "") == []


def test_a_cue_chooses_the_kind_it_asks_for() -> None:
    text = "Drones hit Qarqur."
    plain = resolve([mention("Qarqur", 11, VILLAGE, BASE)], text)
    assert [t.name for t in plain] == ["Qarqur"]
    cued = resolve([mention("Qarqur", 11, VILLAGE, BASE, kind_cue="military_site")], text)
    assert [(t.name, t.kind) for t in cued] == [("Qarqur Air Base", "military_site")]


def test_the_other_mentions_choose_the_country() -> None:
    libya = resolve(
        [mention("Tripoli", 0, TRIPOLI_LY, TRIPOLI_LB), mention("Misrata", 20, MISRATA)]
    )
    lebanon = resolve(
        [mention("Tripoli", 0, TRIPOLI_LY, TRIPOLI_LB), mention("Beirut", 20, BEIRUT)]
    )
    assert [t.country for t in libya] == ["LY", "LY"]
    assert [t.country for t in lebanon] == ["LB", "LB"]


def test_near_and_directions_lower_the_precision() -> None:
    at = resolve([mention("Qarqur", 0, VILLAGE)])[0]
    near = resolve([mention("Qarqur", 5, VILLAGE, near=True)])[0]
    south = resolve([mention("south Qarqur", 0, VILLAGE, direction="s")])[0]
    assert (at.precision, near.precision) == (1, 2)
    assert south.kind == "region" and south.precision == 2 and south.lat < VILLAGE.lat


# ---------------------------------------------------------------------------
# whole texts


def spans(text, gazetteer):
    return [(t.surface, t.country) for t in geoparse(text, gazetteer)]


def test_direction_word_makes_one_region_span(gazetteer) -> None:
    text = "Air strikes hit northwest Syria and southern Idlib again."
    found = geoparse(text, gazetteer)
    assert [t.surface for t in found] == ["northwest Syria", "southern Idlib"]
    assert all(t.kind == "region" and t.precision >= 2 for t in found)
    nw = found[0]
    # A point in the northwest of Syria, not the country's centre.
    assert nw.lat > 35.5 and nw.lon < 38.5


def test_tripoli_follows_the_article(gazetteer) -> None:
    libya = "Fighting in Tripoli spread as forces from Misrata moved west towards Zawiya in Libya."
    lebanon = "In Lebanon, protesters in Tripoli and Beirut blocked roads near Byblos."
    assert spans(libya, gazetteer)[0] == ("Tripoli", "LY")
    assert dict(spans(lebanon, gazetteer))["Tripoli"] == "LB"


def test_cue_words_choose_the_kind(gazetteer) -> None:
    text = "Drones struck the Jufra airbase and the town of Sirte in Libya."
    found = {t.surface: t for t in geoparse(text, gazetteer)}
    assert found["Jufra"].kind in ("military_site", "airport")
    assert found["Sirte"].kind == "populated_place"


def test_azerbaijani_and_armenian_names(gazetteer) -> None:
    text = "Shelling hit Xankəndi and Şuşa, while Armenian units left Karvachar and Berdzor."
    found = geoparse(text, gazetteer)
    assert [t.name for t in found][:2] == ["Stepanakert", "Shusha"]
    assert all(t.country == "AZ" for t in found)


def test_precision_codes(gazetteer) -> None:
    text = "Rockets fell near Ariha. Saraqib was hit. Syria and Idlib province were quiet."
    by = {t.surface: t.precision for t in geoparse(text, gazetteer)}
    assert by["Ariha"] == 2 and by["Saraqib"] == 1 and by["Syria"] == 3


def test_scores_are_in_range_and_output_is_deterministic(gazetteer) -> None:
    text = "Talks in Sochi and Ankara failed; fighting went on around Saraqib and Ariha."
    a, b = geoparse(text, gazetteer), geoparse(text, gazetteer)
    assert a == b
    assert all(0 <= t.score <= 1 for t in a)


def test_proximity_pulls_a_village_towards_its_neighbours(gazetteer) -> None:
    text = "Shells hit Kafr Nabl, Hass and Maarat al-Numan in southern Idlib overnight."
    found = geoparse(text, gazetteer)
    mnumān = [t for t in found if t.surface == "Maarat al-Numan"][0]
    assert haversine_km(mnumān.lat, mnumān.lon, 35.64, 36.67) < 5


def test_famous_places_beat_obscure_namesakes_without_local_evidence(gazetteer) -> None:
    text = (
        "Officials in Washington and New York said aid to Lebanon, Egypt and Poland would "
        "continue, and a convoy left Damascus for Cairo."
    )
    by = {t.surface: t for t in geoparse(text, gazetteer)}
    assert by["Lebanon"].kind == "country" and by["Lebanon"].country == "LB"
    assert by["Poland"].country == "PL"
    assert by["Damascus"].country == "SY" and by["Cairo"].country == "EG"


def test_benin_among_jabal_al_zawiya_villages_is_the_village(gazetteer) -> None:
    text = "Shelling hit Benin, al-Bara and Kansafra in Jabal al-Zawiya, south of Ariha."
    benin = next(t for t in geoparse(text, gazetteer) if t.surface == "Benin")
    assert benin.country == "SY" and benin.kind == "populated_place"
    other = "Benin and Togo signed a trade deal in Lagos."
    assert next(t for t in geoparse(other, gazetteer) if t.surface == "Benin").kind == "country"


def test_admin_areas_by_their_press_forms(gazetteer) -> None:
    text = "Shelling hit Hama province and Ariha district; the LNA pulled back to al-Jufra."
    found = {t.surface: t for t in geoparse(text, gazetteer)}
    assert found["Hama"].kind == "admin_region" and found["Hama"].name == "Hama Governorate"
    assert found["Ariha"].name == "Ariha District"
    assert found["al-Jufra"].kind == "admin_region" and found["al-Jufra"].country == "LY"


def test_a_far_larger_namesake_wins_without_local_evidence(gazetteer) -> None:
    text = "Britain and France said so in London, and Washington agreed."
    by = {t.surface: t for t in geoparse(text, gazetteer)}
    assert by["Washington"].country == "US" and by["Washington"].lon < -70


def test_a_comma_in_a_listing_joins_members_not_a_place_and_its_holder() -> None:
    from frontmap.geo.resolve import _containers

    def mentions_of(text: str, *names: str) -> list[Mention]:
        return [mention(n, text.index(n), VILLAGE) for n in names]

    # "X, Y" says X is in Y...
    text = "Shells fell on Qarqur, Tripoli, on Monday."
    assert _containers(text, mentions_of(text, "Qarqur", "Tripoli"), 0) == [1]
    # ...and so does a chain of holders with no conjunction...
    text = "Shells fell on Qarqur, Misrata, Beirut."
    assert _containers(text, mentions_of(text, "Qarqur", "Misrata", "Beirut"), 0) == [1, 2]
    # ...but in a listing that a conjunction ends, the commas join its members.
    text = "Shells fell on Qarqur, Misrata and Beirut."
    assert _containers(text, mentions_of(text, "Qarqur", "Misrata", "Beirut"), 0) == []
    text = "Shells fell on Qarqur, Misrata, and Beirut in the Tripoli countryside."
    found = _containers(text, mentions_of(text, "Qarqur", "Misrata", "Beirut", "Tripoli"), 0)
    assert found == [3]
