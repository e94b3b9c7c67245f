"""frontmap.geo.events: what happened where, who did it, how many died.

Every text here was written for these tests.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap

import pytest

from frontmap.geo import events as ev
from frontmap.geo import geoparse
from frontmap.geo.events import EVENT_TYPES, Event, event_date, extract_events, fatalities

DAY = dt.date(2020, 10, 27)  # a Tuesday


@pytest.fixture(scope="module")
def read(gazetteer):
    """Events of a text (geoparsed with the real gazetteer) at a date."""

    def run(text: str, day: dt.date | None = DAY) -> tuple[list[Event], list]:
        toponyms = geoparse(text, gazetteer)
        return extract_events(text, toponyms, day), toponyms

    return run


def _one(read, text: str, day: dt.date | None = DAY):
    found, toponyms = read(text, day)
    assert len(found) == 1, [(e.sub_event_type, text[e.start : e.end]) for e in found]
    e = found[0]
    place = toponyms[e.toponyms[0]].name if e.toponyms else None
    return e, place


# ----------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Russian jets struck the village of Kansafra on Monday.", "Air/drone strike"),
        ("A drone strike hit a car near Sarmada.", "Air/drone strike"),
        ("Government artillery shelled Ariha overnight.", "Shelling/artillery/missile attack"),
        ("Rockets landed in Ganja on Sunday.", "Shelling/artillery/missile attack"),
        ("A roadside bomb exploded near Afrin.", "Remote explosive/landmine/IED"),
        ("Rebels and government troops clashed near Saraqib.", "Armed clash"),
        ("Syrian troops captured the town of Kafr Nabl.", "Government regains territory"),
        ("HTS fighters seized the village of Kafr Halab.", "Non-state actor overtakes territory"),
        ("The LNA withdrew from Gharyan without a fight.", "Non-violent transfer of territory"),
        ("Gunmen abducted a teacher in Sabha on Friday.", "Abduction/forced disappearance"),
        ("Police arrested a journalist in Yerevan.", "Arrests"),
        ("Thousands of protesters marched in Yerevan.", "Peaceful protest"),
        ("Rioters torched a police station in Zawiya.", "Violent demonstration"),
        ("Russia and Turkey agreed a ceasefire in Moscow.", "Agreement"),
        ("Both sides exchanged prisoners at Ras Lanuf.", "Agreement"),
        ("Armenia and Azerbaijan agreed to mark the border in Tavush.", "Agreement"),
        ("Air defences shot down two drones over Hmeimim.", "Disrupted weapons use"),
        ("HTS fighters killed three soldiers near Kabani.", "Armed clash"),
        ("Gunmen killed two farmers in Sabha.", "Attack"),
    ],
)
def test_event_types(read, text: str, sub_event_type: str) -> None:
    e, _ = _one(read, text)
    assert e.sub_event_type == sub_event_type
    assert e.event_type == EVENT_TYPES[sub_event_type]


@pytest.mark.parametrize(
    "text",
    [
        "Turkey threatened to strike Syrian positions near Saraqib.",
        "Moscow called for a ceasefire in Karabakh.",
        "The army could capture Ariha within days.",
        "Ankara denied shelling Afrin.",
        "If the talks fail, fighting may resume near Sirte.",
        "Residents fear new air strikes on Idlib.",
        "Families fled weeks of shelling in Jabal al-Zawiya.",
        "Russian aircraft had not flown over Idlib, the ministry said.",
        "Will the truce in Idlib hold?",
        "The governor said prices of bread rose in Tripoli.",
    ],
)
def test_no_event_where_nothing_happened(read, text: str) -> None:
    found, _ = read(text)
    assert found == [], [(e.sub_event_type, text[e.start : e.end]) for e in found]


# ----------------------------------------------------------------------------- details


def test_actors_fatalities_date_and_place_of_a_strike(read) -> None:
    text = "Russian warplanes struck a market in Maarat Misrin on Monday, killing seven civilians."
    e, place = _one(read, text)
    assert (e.actor1, e.actor2, e.fatalities) == ("russia", "civilians", 7)
    assert (e.event_date, e.time_precision) == ("2020-10-26", 1)
    assert place == "Maarat Misrin" and e.geo_precision == 1 and e.theatre == "idlib"
    assert text[e.start : e.end].startswith("Russian warplanes struck")


def test_passive_voice_and_agent_after_by(read) -> None:
    text = (
        "Four Turkish soldiers were killed in an air strike by Syrian government forces "
        "near Taftanaz."
    )
    e, place = _one(read, text)
    assert (e.actor1, e.actor2, e.fatalities) == ("syria", "turkey", 4)
    assert place == "Taftanaz" and e.geo_precision == 2  # "near"


def test_generic_actors_depend_on_theatre_and_date(read) -> None:
    text = "Government forces retook the town of Gharyan."
    e, _ = _one(read, text, dt.date(2019, 6, 26))
    assert e.actor1 == "gna" and e.sub_event_type == "Government regains territory"
    e, _ = _one(read, text, dt.date(2022, 6, 26))
    assert e.actor1 == "gnu"
    e, _ = _one(read, "Government forces retook the town of Ariha.")
    assert e.actor1 == "syria"


def test_a_place_named_as_origin_or_speaker_is_not_where_it_happened(read) -> None:
    e, place = _one(read, "Drones launched from Misrata struck a convoy near Bani Walid.")
    assert place == "Bani Walid"
    e, place = _one(read, "Ankara said its drones had struck positions near Saraqib.")
    assert place == "Saraqib" and e.actor1 == "turkey"


def test_later_reports_of_the_same_event_are_merged(read) -> None:
    text = (
        "Jets Strike Militants Near Idlib, Killing Dozens\n\n"
        "Russian jets bombed a barracks in Idlib province on Monday, killing dozens of "
        "militants.\nMedics said the raid near Ariha had left at least 25 militants dead.\n"
        "Ankara condemned Monday's bombing."
    )
    found, toponyms = read(text)
    assert len(found) == 1
    e = found[0]
    assert e.fatalities == 25  # a figure beats "dozens"; the lowest number stated
    assert toponyms[e.toponyms[0]].name == "Ariha"  # the most specific place given
    assert len(e.mentions) == 3  # the headline, "the raid", "Monday's bombing"
    assert text[e.mentions[0][0] : e.mentions[0][1]].startswith("Jets Strike")


def test_separate_events_stay_separate(read) -> None:
    text = (
        "Explosions shook Stepanakert on Thursday, while shells landed in Ganja. "
        "Azerbaijani troops said they had taken Jabrayil."
    )
    found, toponyms = read(text, dt.date(2020, 10, 8))
    assert [text[toponyms[e.toponyms[0]].start : toponyms[e.toponyms[0]].end] for e in found] == [
        "Stepanakert",
        "Ganja",
        "Jabrayil",
    ]
    assert found[2].actor1 == "azerbaijan"
    assert found[2].sub_event_type == "Government regains territory"


def test_agreement_parties_and_place(read) -> None:
    e, place = _one(
        read, "Under a deal signed in Sochi in 2018, Turkey and Russia agreed to a buffer."
    )
    assert (e.actor1, e.actor2, place) == ("turkey", "russia", "Sochi")
    assert (e.event_date, e.time_precision) == ("2018-07-01", 3)


def test_coordinated_actors_and_reference_places(read) -> None:
    text = "Fighting broke out between Azerbaijani and ethnic Armenian forces near Talish."
    e, _ = _one(read, text, dt.date(2020, 9, 27))
    assert (e.actor1, e.actor2) == ("azerbaijan", "artsakh")
    text = "A hospital in Atarib, west of Aleppo, was shelled, killing six patients and a nurse."
    e, place = _one(read, text)
    assert (e.fatalities, e.actor2) == (7, "civilians")
    assert place != "Aleppo"  # Aleppo only situates the town
    e, _ = _one(read, "Shelling killed a family of five in Barda.", dt.date(2020, 9, 28))
    assert e.fatalities == 5


def test_protest_dispersed_by_force(read) -> None:
    text = "Protesters rallied in Idlib on Friday; HTS fighters dispersed them with tear gas."
    e, _ = _one(read, text)
    assert e.sub_event_type == "Protest with intervention"
    assert (e.actor1, e.actor2) == ("protesters", "hts")


def test_no_one_hurt_means_zero(read) -> None:
    found, _ = read(
        "A drone struck Mitiga airport on Monday. No one was hurt.", dt.date(2019, 4, 8)
    )
    assert [e.fatalities for e in found] == [0]


def test_offsets_and_indices_are_the_texts(read) -> None:
    text = "Clashes broke out in Ain Zara. Later, Haftar's forces shelled Tajoura, killing two."
    found, toponyms = read(text, dt.date(2019, 5, 2))
    assert len(found) == 2
    for e in found:
        assert 0 <= e.start < e.end <= len(text)
        assert all(0 <= i < len(toponyms) for i in e.toponyms)
    assert found[1].actor1 == "lna" and found[1].fatalities == 2
    moved = found[1].shifted(100, 5)
    assert (moved.start, moved.toponyms) == (found[1].start + 100, (found[1].toponyms[0] + 5,))


def test_no_trigger_costs_nothing_and_needs_no_toponyms() -> None:
    assert extract_events("The weather in Tripoli was mild.") == []
    assert [e.sub_event_type for e in extract_events("Rebels shelled the town on Monday.")] == [
        "Shelling/artillery/missile attack"
    ]


# ----------------------------------------------------------------------------- numbers, dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The strike killed at least 12 fighters and wounded 30.", (12, False)),
        ("Four civilians, including a child, were killed.", (4, False)),
        ("Three soldiers and two militants were killed in the fighting.", (5, False)),
        ("Between 20 and 30 people died.", (20, False)),
        ("The shelling killed dozens.", (12, True)),
        ("Hundreds were killed.", (100, True)),
        ("The raid killed a commander.", (1, False)),
        ("No one was hurt.", (0, False)),
        ("There were no reports of casualties.", (0, False)),
        ("Twenty people were wounded.", None),
        ("The town was shelled.", None),
        ("On June 5, 33 soldiers were killed.", (33, False)),
    ],
)
def test_fatalities(text: str, expected) -> None:
    assert fatalities(text) == expected


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("on Monday", DAY, ("2020-10-26", 1)),
        ("on Tuesday", DAY, ("2020-10-27", 1)),
        ("last Tuesday", DAY, ("2020-10-20", 1)),
        ("late on Thursday", dt.date(2020, 2, 28), ("2020-02-27", 1)),
        ("yesterday", DAY, ("2020-10-26", 1)),
        ("on June 5", DAY, ("2020-06-05", 1)),
        ("on December 30", DAY, ("2019-12-30", 1)),  # after the article: the year before
        ("on 9 November 2020", DAY, ("2020-11-09", 1)),
        ("in March 2020", DAY, ("2020-03-15", 3)),
        ("in 2017", DAY, ("2017-07-01", 3)),
        ("last week", DAY, ("2020-10-20", 2)),
        ("two days after", DAY, ("2020-10-25", 1)),
        ("since last year's war", DAY, None),
        ("at dawn", DAY, None),
    ],
)
def test_event_date(text: str, day, expected) -> None:
    got = event_date(text, 0, len(text), day)
    assert (None if got is None else (got[0].isoformat(), got[1])) == expected


# ----------------------------------------------------------------------------- the scanner

#: One phrase for every alternative of the trigger expression (written here).
TRIGGER_PHRASES = [
    "a suicide bomber", "sarin", "a chlorine attack", "a chemical attack", "nerve agents",
    "toxic gas", "a roadside bomb", "an improvised explosive device", "IEDs", "a landmine",
    "land mines", "a car bomb", "a bomb-laden truck", "booby-trapped", "explosive devices",
    "the bomb went off", "a motorcycle rigged with explosives", "an air strike", "airstrikes",
    "air raids", "a drone strike", "barrel bombs", "cluster munitions", "bombing raids",
    "aerial bombardment", "bombed", "bombing", "grenades", "shelled", "artillery fire",
    "mortar rounds", "rocket fire", "missile strikes", "bombardment", "pounded", "shot down",
    "Grad rockets", "signed a deal", "agreed a ceasefire", "the truce, which both agreed",
    "the accord was signed", "prisoner exchange", "exchange of prisoners", "swapped prisoners",
    "pushed them back", "drove the army out of", "driven out of", "forced them back",
    "captured", "took control of", "took", "taken", "seized", "retook", "retaken",
    "recaptured", "regained control", "overran", "pushed into", "entered",
    "advanced towards", "liberated", "fell to", "fall of", "stormed", "withdrew", "pulled out",
    "pull-out", "retreated", "redeployed", "handed over", "handover of", "abducted",
    "kidnapped", "forcibly disappeared", "executed", "massacre", "shot dead", "gunned down",
    "tortured", "arrested", "detained", "detention of", "taken into custody", "rounded up",
    "rioters", "broke into", "torched", "set fire to", "lynched", "protesters", "demonstration",
    "rallied", "sit-in", "marched", "blocked the road", "clashes", "fighting", "fought",
    "battle", "firefight", "gunfight", "gun battle", "skirmishes", "ambushed", "repelled",
    "repulsed", "infiltration attempt", "exchanged fire", "exchange of fire", "counter-attack",
    "explosions", "exploded", "blast", "blew up", "attacked", "assault", "raid", "struck",
    "strikes", "hit", "killed", "dead", "died", "slain", "lost their lives",
]  # fmt: skip


def test_the_word_scan_finds_what_the_expression_finds() -> None:
    text = ". ".join(TRIGGER_PHRASES) + "."
    fast = [(m.span(), m.lastgroup) for m in ev._trigger_matches(text)]
    slow = [(m.span(), m.lastgroup) for m in ev._TRIGGER_RE.finditer(text)]
    assert fast == slow and len(slow) >= len(TRIGGER_PHRASES) - 5
    for phrase in TRIGGER_PHRASES:
        assert ev._TRIGGER_RE.search(phrase) is not None, phrase
        assert ev._trigger_matches(phrase), phrase
    odd = "İstanbul: shelling hit Kilis"  # lower() changes the length: the slow path
    assert [m.span() for m in ev._trigger_matches(odd)] == [
        m.span() for m in ev._TRIGGER_RE.finditer(odd)
    ]


# ----------------------------------------------------------------------------- hostile input


def test_hostile_text_stays_linear_under_a_memory_cap() -> None:
    code = textwrap.dedent(
        """
        import resource, time, json
        resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))
        from frontmap.geo.events import extract_events
        texts = [
            "shelling attack clashes killed strike hit " * 2400,
            ("Regime forces shelled Saraqib and rebels attacked near Idlib, " * 1600),
            "(" * 50000 + "killed" + ")" * 50000,
            "\\u2013 " * 40000 + "fighting",
        ]
        t0 = time.process_time()
        n = [len(extract_events(t[:100000])) for t in texts]
        print(json.dumps({"seconds": time.process_time() - t0, "events": n}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["seconds"] < 60, out


def test_any_toponym_like_objects_do() -> None:
    from types import SimpleNamespace

    text = "Rebels shelled Ariha on Monday. Rebels shelled Ariha again on Monday."
    places = [
        SimpleNamespace(start=15, end=20, lat=35.81, lon=36.61, kind="populated_place"),
        SimpleNamespace(start=47, end=52, lat=35.81, lon=36.61, kind="populated_place"),
    ]
    found = extract_events(text, places, None)
    assert len(found) == 1 and found[0].toponyms == (0,) and found[0].theatre == "idlib"
    assert (found[0].event_date, found[0].time_precision) == (None, None)  # no article date
