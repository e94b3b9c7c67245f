"""Toponym recognition (:mod:`frontmap.geo.extract`).

Each context rule is tested twice: as a predicate, on a span built here from
invented places (so that the test says exactly which fact the rule reads),
and through :func:`extract` on the real gazetteer, on sentences written for
these tests. Then the steps of ``extract``, the cues, and whole texts.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontmap.geo import geoparse, sentences
from frontmap.geo.distance import haversine_km
from frontmap.geo.extract import (
    _RULES,
    Mention,
    _candidate_spans,
    _choose_longest,
    _cue_after,
    _cue_before,
    _direction_cue,
    _has_no_candidate,
    _is_arabic_head_compound,
    _is_bare_direction,
    _is_common_word,
    _is_first_name,
    _is_organisation,
    _is_organisation_of,
    _is_part_of_other_name,
    _is_person,
    _is_sentence_initial_common_word,
    _lookup,
    _loose_keys,
    _make_span,
    _named_otherwise,
    _near_cue,
    _Span,
    _tokens,
    extract,
)
from frontmap.geo.gazetteer import Place
from frontmap.geo.names import fold, loose

# ---------------------------------------------------------------------------
# spans built by hand


def _place(
    kind: str = "populated_place",
    population: int = 400,
    gazetteer_id: str = "geonames:990001",
    country: str = "SY",
) -> Place:
    return Place(gazetteer_id, "Qarqur", 35.8, 36.3, country, kind, "SY.07", population, "test")


VILLAGE = _place()  # a GeoNames hamlet: weak
CITY = _place(population=400_000, gazetteer_id="geonames:990002")  # strong
CURATED = _place(gazetteer_id="test-qarqur")  # a curated row: strong
COUNTRY = _place(kind="country", gazetteer_id="geonames:990003")
REGION = _place(kind="region", gazetteer_id="geonames:990004")
MOUNTAIN = _place(kind="mountain", gazetteer_id="geonames:990005")


def span(
    text: str,
    name: str,
    *places: Place,
    placed: Iterable[int] | None = None,
    zipf: dict[str, float] | None = None,
    match: str = "exact",
) -> _Span:
    """The span of the first ``name`` in ``text`` (one sentence), as extract builds it.

    ``placed`` are the indices of tokens held by place windows (by default the
    span's own); ``zipf`` the common English words and their frequencies.
    """
    toks = _tokens(text, 0, len(text))
    start = text.index(name)
    i = next(k for k, t in enumerate(toks) if t.start == start)
    j = next(k for k, t in enumerate(toks) if t.end == start + len(name))
    words = zipf or {}
    return _make_span(
        text,
        toks,
        i,
        j,
        [(p, True) for p in places or (VILLAGE,)],
        match,
        placed=set(range(i, j + 1)) if placed is None else set(placed),
        zipf=lambda w: words.get(w, 0.0),
    )


def surfaces(text: str, gazetteer) -> list[str]:
    return [m.surface for m in extract(text, gazetteer)]


def test_a_span_ends_at_its_last_capitalised_word() -> None:
    s = span("Drones hit the Qarqur air base.", "Qarqur air base")
    assert (s.surface, s.head, s.single) == ("Qarqur", "air base", True)
    assert s.prev is not None and s.prev.text == "the" and s.nxt is None
    assert span("Shells fell on Jisr Qarqur today.", "Jisr Qarqur").single is False


def test_the_rules_apply_in_a_fixed_order() -> None:
    names = [rule.__name__ for rule, _ in _RULES]
    assert names[0] == "_has_no_candidate"
    # A person is recognised before the common-word rules can say "a word".
    assert names.index("_is_person") < names.index("_is_sentence_initial_common_word")
    assert names[-1] == "_is_part_of_other_name"
    other_names = {rule.__name__ for rule, other_name in _RULES if other_name}
    assert other_names == {"_is_person", "_is_first_name", "_is_part_of_other_name"}


# ---------------------------------------------------------------------------
# one rule at a time


def test_capitals_keep_countries_curated_rows_and_long_well_known_names(gazetteer) -> None:
    text = "SAA units advanced."
    assert _has_no_candidate(span(text, "SAA", VILLAGE)) is not None
    assert _has_no_candidate(span(text, "SAA", COUNTRY)) is None
    assert _has_no_candidate(span(text, "SAA", CURATED)) is None
    # A dateline of four letters or more may be a well-known place.
    assert _has_no_candidate(span("QARQUR (wires) - Talks began.", "QARQUR", CITY)) is None
    assert _has_no_candidate(span("The QQ said so.", "QQ", CITY)) is not None
    # In ordinary case the same hamlet stays a candidate.
    assert _has_no_candidate(span("Qarqur units advanced.", "Qarqur", VILLAGE)) is None
    assert surfaces("SAA units advanced on the town.", gazetteer) == []


def test_a_direction_word_alone_is_no_place(gazetteer) -> None:
    assert _is_bare_direction(span("Convoys moved South.", "South")) is not None
    assert _is_bare_direction(span("Convoys moved to Qarqur.", "Qarqur")) is None
    assert surfaces("Convoys moved South. Western diplomats left.", gazetteer) == []


def test_a_generic_arabic_head_makes_a_longer_name(gazetteer) -> None:
    text = "Shells hit Kafr Qarqur overnight."
    assert _is_arabic_head_compound(span(text, "Qarqur")) is not None
    # Not when the head is itself part of a place found (it is no new name then)...
    kafr = text.split().index("Kafr")
    assert _is_arabic_head_compound(span(text, "Qarqur", placed=[kafr, kafr + 1])) is None
    # ...nor when it is a lower-case word or stands apart.
    assert _is_arabic_head_compound(span("Shells hit tal Qarqur.", "Qarqur")) is None
    assert _is_arabic_head_compound(span("Near Tal, Qarqur was hit.", "Qarqur")) is None
    # The longer names are places of their own (a village of Who's On First, a
    # name in no gazetteer that its head marks as a place), never Aleppo or Hama.
    found = extract("Shells struck Kafr Halab and Deir Hama overnight.", gazetteer)
    assert [m.surface for m in found] == ["Kafr Halab", "Deir Hama"]
    assert all(p.population < 100_000 for m in found for p, _, _ in m.candidates)


def test_a_title_or_an_initial_makes_a_person(gazetteer) -> None:
    assert _is_person(span("It quoted spokesman Qarqur at length.", "Qarqur")) is not None
    assert _is_person(span("It quoted General Qarqur at length.", "Qarqur")) is not None
    assert _is_person(span("It quoted Samir K. Qarqur at length.", "Qarqur")) is not None
    # "general" in lower case is an ordinary word; a country is never a person.
    assert _is_person(span("The general Qarqur truce held.", "Qarqur")) is None
    assert _is_person(span("It quoted President Qarqur.", "Qarqur", COUNTRY)) is None
    assert surfaces("The report quoted spokesman Valls at length.", gazetteer) == []
    assert surfaces("President Bush spoke. Bush left for Ankara.", gazetteer) == ["Ankara"]


def test_a_common_word_capitalised_by_position(gazetteer) -> None:
    words = {"defiance": 3.48, "name": 5.61}
    assert _is_sentence_initial_common_word(span("Defiance spread.", "Defiance", zipf=words))
    # mid-sentence the capital means something
    text = "The Defiance spread."
    assert _is_sentence_initial_common_word(span(text, "Defiance", zipf=words)) is None
    # a well-known place must be a very common word to be dropped, and then no area
    assert (
        _is_sentence_initial_common_word(span("Defiance fell.", "Defiance", CITY, zipf=words))
        is None
    )
    assert _is_sentence_initial_common_word(span("Name them.", "Name", CITY, zipf=words))
    assert _is_sentence_initial_common_word(span("Name them.", "Name", COUNTRY, zipf=words)) is None
    # In a Title Case headline every word is capitalised by position.
    headline = "Shelling Near Defiance Spreads Across Region"
    assert _is_sentence_initial_common_word(span(headline, "Defiance", zipf=words))
    text = "Defiance spread through the camps. Name the towns that fell."
    assert surfaces(text, gazetteer) == []


def test_an_organisation_named_after_a_place(gazetteer) -> None:
    assert _is_organisation(span("He teaches at Qarqur University.", "Qarqur")) is not None
    assert _is_organisation(span("The Qarqur Media Center said so.", "Qarqur")) is not None
    # A site named in full is no organisation; a comma ends the name.
    assert _is_organisation(span("Qarqur International Airport reopened.", "Qarqur")) is None
    assert _is_organisation(span("In Qarqur, University staff left.", "Qarqur")) is None
    text = "The Tartus Provincial Council met at Aleppo University."
    assert surfaces(text, gazetteer) == []


def test_an_organisation_of_a_place(gazetteer) -> None:
    assert _is_organisation_of(span("The University of Qarqur closed.", "Qarqur")) is not None
    assert _is_organisation_of(span("The Governor of Qarqur spoke.", "Qarqur")) is not None
    assert _is_organisation_of(span("The people of Qarqur fled.", "Qarqur")) is None
    assert _is_organisation_of(span("A university of Qarqur closed.", "Qarqur")) is None
    text = "The Governor of Homs spoke at the University of Aleppo."
    assert surfaces(text, gazetteer) == []


def test_a_first_name_before_a_surname(gazetteer) -> None:
    text = "Then Qarqur Karimova, a nurse, spoke."
    assert _is_first_name(span(text, "Qarqur", COUNTRY)) is not None
    # not a region, and not before an English word, a head or an organisation
    assert _is_first_name(span(text, "Qarqur", REGION)) is None
    common = {"residents": 4.5}
    assert _is_first_name(span("Then Qarqur Residents spoke.", "Qarqur", zipf=common)) is None
    assert _is_first_name(span("Then Qarqur Province was shelled.", "Qarqur")) is None
    assert _is_first_name(span("Then Qarqur Police spoke.", "Qarqur")) is None
    assert _is_first_name(span("Then Qarqur, Karimova spoke.", "Qarqur")) is None
    assert surfaces("Georgia Karimova, a nurse, said so.", gazetteer) == []


def test_a_weak_common_word_needs_a_cue(gazetteer) -> None:
    words = {"accord": 4.1}
    assert _is_common_word(span("They signed an Accord there.", "Accord", zipf=words))
    assert _is_common_word(span("They met near Accord.", "Accord", zipf=words)) is None
    assert _is_common_word(span("They signed an Accord.", "Accord", CITY, zipf=words)) is None
    assert _is_common_word(span("They signed an Accord.", "Accord")) is None  # not a word
    text = "They signed an Accord and a Liberty pledge in Hama."
    assert surfaces(text, gazetteer) == ["Hama"]


def test_a_weak_name_glued_to_another_name(gazetteer) -> None:
    text = "Reporters asked Samir Qarqur about it."
    assert _is_part_of_other_name(span(text, "Qarqur")) is not None
    assert _is_part_of_other_name(span("Reporters asked Qarqur Samir.", "Qarqur")) is not None
    # Not when the neighbour is a place too, nor for a well-known place.
    samir = text.split().index("Samir")
    assert _is_part_of_other_name(span(text, "Qarqur", placed=[samir, samir + 1])) is None
    assert _is_part_of_other_name(span(text, "Qarqur", CITY)) is None
    # ...and then the same word alone is that name too.
    text = "Reporters asked Omar Whitfield about it. Whitfield said no."
    assert surfaces(text, gazetteer) == []


def test_a_name_found_to_be_a_person_frees_its_neighbour(gazetteer) -> None:
    # "Jordan" is a first name; then "Whitfield", a hamlet, is glued to no place.
    assert surfaces("Jordan Whitfield said so.", gazetteer) == []


def test_a_name_seen_as_a_person_is_that_person_everywhere() -> None:
    bush = Mention(0, 4, "Bush", 0, 10, [(VILLAGE, "exact", 0.5)])
    assert _named_otherwise(bush, {"bush"})
    assert not _named_otherwise(bush, {"ankara"})
    cued = Mention(0, 4, "Bush", 0, 10, [(VILLAGE, "exact", 0.5)], kind_cue="admin_region")
    assert not _named_otherwise(cued, {"bush"})
    area = Mention(0, 4, "Bush", 0, 10, [(REGION, "exact", 0.5)])
    assert not _named_otherwise(area, {"bush"})


def test_people_by_title_and_initial_are_not_places(gazetteer) -> None:
    text = (
        "President George W. Bush met senator Rubio. Later Bush said the talks in Ankara "
        "had gone well, spokesman Valls added."
    )
    assert [t.surface for t in geoparse(text, gazetteer)] == ["Ankara"]


def test_ordinary_words_that_are_also_titles_do_not_hide_places(gazetteer) -> None:
    text = "The first major Idlib deal was signed in Sochi; the general Idlib truce held."
    assert [t.surface for t in geoparse(text, gazetteer)] == ["Idlib", "Sochi", "Idlib"]


# ---------------------------------------------------------------------------
# cues


def test_a_head_after_the_name_asks_for_a_kind(gazetteer) -> None:
    assert _cue_after(span("Drones hit the Qarqur air base.", "Qarqur air base")) == (
        "military_site"
    )
    assert _cue_after(span("Rockets hit Qarqur countryside.", "Qarqur")) == "admin_region"
    assert _cue_after(span("Rockets hit Qarqur, countryside too.", "Qarqur")) is None
    text = "Shelling hit the Jufra air base, Hama countryside and Idlib province."
    cues = {m.surface: m.kind_cue for m in extract(text, gazetteer)}
    assert cues == {"Jufra": "military_site", "Hama": "admin_region", "Idlib": "admin_region"}


def test_a_word_before_the_name_asks_for_a_kind(gazetteer) -> None:
    assert _cue_before(span("Troops entered the town of Qarqur.", "Qarqur")) == "populated_place"
    assert _cue_before(span("Troops took Qarqur airport.", "Qarqur")) is None
    assert _cue_before(span("Troops entered the outskirts of Qarqur.", "Qarqur")) is None
    # A head after the name wins over a word before it.
    m = extract("Troops reached the village of Jufra air base.", gazetteer)[0]
    assert (m.surface, m.kind_cue) == ("Jufra", "military_site")
    m = extract("Troops entered the town of Sirte.", gazetteer)[0]
    assert (m.surface, m.kind_cue) == ("Sirte", "populated_place")


def test_near_and_outskirts_put_the_place_near(gazetteer) -> None:
    assert _near_cue(span("Rockets fell near Qarqur.", "Qarqur")) == "near"
    assert _near_cue(span("Rockets fell on the outskirts of Qarqur.", "Qarqur")) == "outskirts"
    assert _near_cue(span("Rockets fell on the town of Qarqur.", "Qarqur")) is None
    text = "Troops entered the town of Sirte and the outskirts of Saraqib, near Ariha."
    near = {m.surface: m.near for m in extract(text, gazetteer)}
    assert near == {"Sirte": False, "Saraqib": True, "Ariha": True}


def test_a_direction_word_makes_one_region_span(gazetteer) -> None:
    assert _direction_cue(span("Jets hit southern Qarqur.", "Qarqur")) == "s"
    assert _direction_cue(span("Jets hit northwest Qarqur.", "Qarqur", COUNTRY)) == "nw"
    assert _direction_cue(span("Jets hit southern Qarqur.", "Qarqur", MOUNTAIN)) is None
    assert _direction_cue(span("Jets hit the south, Qarqur too.", "Qarqur")) is None
    text = "Air strikes hit northwest Syria and southern Idlib again."
    found = extract(text, gazetteer)
    assert [(m.surface, m.direction) for m in found] == [
        ("northwest Syria", "nw"),
        ("southern Idlib", "s"),
    ]
    assert all(text[m.start : m.end] == m.surface for m in found)


# ---------------------------------------------------------------------------
# the steps of extract


def test_candidate_spans_run_over_glued_capitalised_words_and_heads() -> None:
    text = "Drones struck the Jufra air base. Fighting near Ras al-Ain, then Tal Abyad."
    sents, keys = _candidate_spans(text)
    assert len(sents) == 2
    assert {"jufra", "jufra air base", "ras", "tal abyad"} <= set(keys)
    # A comma ends a window; "the" and lower-case words start none.
    assert not any(k.startswith(("ain tal", "the", "struck", "near")) for k in keys)
    (si, i, j) = keys["jufra air base"][0]
    toks = sents[si][0]
    assert text[toks[i].start : toks[j].end] == "Jufra air base"


def test_exact_then_loose_lookup(gazetteer) -> None:
    text = "Relief reached Maarat Misrin, then Maarrat Misreen and Stepanakeart."
    sents, keys = _candidate_spans(text)
    matches, _ = _lookup(keys, sents, gazetteer)
    toks = sents[0][0]
    by_text = {text[toks[i].start : toks[j].end]: m for (_, i, j), (_, m) in matches.items()}
    assert by_text["Maarat Misrin"] == "exact"
    assert by_text["Maarrat Misreen"] == "loose" and by_text["Stepanakeart"] == "loose"


def test_an_english_word_is_no_transliteration() -> None:
    sents, keys = _candidate_spans("Aid reached Stepanakeart.")
    assert loose(fold("Stepanakeart")) in _loose_keys(keys, {}, set(), sents, lambda w: 0.0)
    assert _loose_keys(keys, {}, set(), sents, lambda w: 3.0) == {}


def test_the_longest_window_wins() -> None:
    matches = {
        (0, 1, 3): ([(VILLAGE, True)], "exact"),
        (0, 2, 2): ([(CITY, True)], "exact"),
        (0, 5, 6): ([(VILLAGE, True)], "loose"),
        (0, 6, 7): ([(VILLAGE, True)], "exact"),
        (0, 9, 10): ([(CITY, True)], "exact"),
        (1, 0, 0): ([(CITY, True)], "exact"),
    }
    # At equal length exact beats loose, and a stop name beats a place.
    stops = {(0, 10, 11)}
    assert _choose_longest(matches, stops) == [(0, 1, 3), (0, 6, 7), (1, 0, 0)]


# ---------------------------------------------------------------------------
# whole texts


def spans(text, gazetteer):
    return [(t.surface, t.country) for t in geoparse(text, gazetteer)]


def test_offsets_index_the_text(gazetteer) -> None:
    text = "Clashes near Saraqib, east of Idlib, and in Turkey’s Hatay.\nMoscow said nothing."
    for t in geoparse(text, gazetteer):
        assert text[t.start : t.end] == t.surface


def test_possessives_and_hyphenated_tails(gazetteer) -> None:
    text = "It tested Turkey's patience. Russia-backed forces and a US-based think tank weighed in."
    assert [s for s, _ in spans(text, gazetteer)] == ["Turkey", "Russia", "US"]


def test_demonyms_people_organisations_and_media_are_not_places(gazetteer) -> None:
    text = (
        "Syrian and Turkish officials met. Khalifa Haftar spoke to Al Jazeera, and a fellow at "
        "the Middle East Institute said Hay'et Tahrir al-Sham still held the Free Syrian Army "
        "positions. President Erdogan called Assad."
    )
    assert spans(text, gazetteer) == []


def test_sentence_initial_common_words_are_not_places(gazetteer) -> None:
    text = "As the talks went on, nothing moved. But the sea was calm. The day ended. Many left."
    assert spans(text, gazetteer) == []


def test_sentences_skip_abbreviations() -> None:
    text = "The U.S. envoy left. Gen. Smith stayed in Ankara. Talks ended!\n\nNew paragraph here."
    parts = [text[a:b] for a, b in sentences(text)]
    assert parts == [
        "The U.S. envoy left.",
        "Gen. Smith stayed in Ankara.",
        "Talks ended!",
        "New paragraph here.",
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Idlib",
                "Saraqib",
                "near",
                "the",
                "Turkey's",
                "US-based",
                "al-Bab",
                "Ras al-Ain",
                ",",
                ".",
                "\n",
                "Şuşa",
                "northern",
                "Syria",
                "ﬁ",
                "İ",
                "x",
                "’s",
                "Jabal",
                "M4",
                "  ",
            ]
        ),
        max_size=30,
    ),
    st.text(max_size=20),
)
def test_every_offset_indexes_arbitrary_text(gazetteer, words, noise) -> None:
    text = " ".join(words) + noise
    for t in geoparse(text, gazetteer):
        assert text[t.start : t.end] == t.surface


def test_module_names_stay_importable() -> None:
    import frontmap.geo.extract
    import frontmap.geo.resolve

    assert callable(frontmap.geo.extract.extract) and callable(frontmap.geo.resolve.resolve)


def test_unknown_arabic_names_and_given_names_are_not_other_places(gazetteer) -> None:
    text = (
        "Shells fell on Kafr Halab and Tal Zawiyeh near Aleppo; Hassan and Salem, two "
        "residents, fled to Idlib."
    )
    found = {t.surface: t for t in geoparse(text, gazetteer)}
    assert "Hassan" not in found and "Salem" not in found
    aleppo = found["Aleppo"]
    # Kafr Halab is a village of its own near Aleppo (Who's On First), never Aleppo;
    # Tal Zawiyeh is in no gazetteer: reported near Aleppo, as its context says.
    assert found["Kafr Halab"].gazetteer_id != aleppo.gazetteer_id
    assert haversine_km(found["Kafr Halab"].lat, found["Kafr Halab"].lon, 36.2, 37.15) < 60
    tal = found["Tal Zawiyeh"]
    assert (tal.gazetteer_id, tal.precision, (tal.lat, tal.lon)) == (
        "",
        2,
        (aleppo.lat, aleppo.lon),
    )
    assert tal.score < 0.3


def test_capitalised_hyphen_compounds(gazetteer) -> None:
    text = "Fighting along the Sirte-Jufra line spread to Nagorno-Karabakh and North-West Syria."
    found = [(t.surface, t.kind) for t in geoparse(text, gazetteer)]
    assert found == [
        ("Sirte", "populated_place"),
        ("Jufra", "admin_region"),
        ("Nagorno-Karabakh", "region"),
        ("North-West Syria", "region"),
    ]


def test_first_names_surnames_units_and_sites(gazetteer) -> None:
    text = (
        "Jordan Whitfield, who studies the region, said U.S. Africa Command and the Syria "
        "Civil Defence had both been warned; speaker Ararat Mirzoyan later visited schools in "
        "Ararat province. Flights from Istanbul Atatürk International Airport resumed."
    )
    found = [(t.surface, t.kind) for t in geoparse(text, gazetteer)]
    assert found == [("Ararat", "admin_region"), ("Istanbul", "populated_place")]


def test_title_case_headlines_and_trailing_articles(gazetteer) -> None:
    text = "After Karabakh: Can The South Caucasus Hold? Shelling South Of Tripoli As Families Flee"
    found = [t.surface for t in geoparse(text, gazetteer)]
    assert "Can" not in found and "Tripoli" in found and "Tripoli As" not in found


def test_bridges_units_and_programmes(gazetteer) -> None:
    text = (
        "Crowds crossed the Hakari bridge to Goris. Units of the Armed Forces of Armenia fired, "
        "a fellow of the Levant Programme said, citing the Idlib Health Directorate."
    )
    found = {t.surface: t for t in geoparse(text, gazetteer)}
    assert set(found) == {"Hakari", "Goris"}
    assert found["Hakari"].kind == "crossing"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "no capitals here at all.", "Then, nothing."],
)
def test_texts_without_places(gazetteer, text) -> None:
    assert extract(text, gazetteer) == []
