"""frontmap.geo.actors: the actor lexicon of data/actors.json, consistent with theatres.json."""

from __future__ import annotations

import copy
import json
from importlib.resources import files

import pytest

from frontmap.errors import InputError
from frontmap.geo.actors import ActorLexicon, lexicon
from frontmap.theatres import all_theatres, known_actors

RAW = json.loads((files("frontmap.data") / "actors.json").read_text(encoding="utf-8"))


def test_every_side_is_an_actor_key_of_theatres_json() -> None:
    keys = set(known_actors())
    theatres = {t.id for t in all_theatres()}
    assert set(RAW["theatres"]) == theatres
    for theatre, sides in RAW["theatres"].items():
        for actor, side in sides.items():
            assert actor in RAW["actors"], (theatre, actor)
            assert side is None or side in keys, (theatre, actor, side)
    # The actors of a theatre's areas of control all have someone on their side.
    for t in all_theatres():
        taken = set(RAW["theatres"][t.id].values())
        assert set(t.actors) <= taken, t.id


def test_every_actor_is_well_formed_and_used() -> None:
    used = {a for sides in RAW["theatres"].values() for a in sides}
    for key, actor in RAW["actors"].items():
        assert actor["kind"] in ("state", "group", "people"), key
        assert actor["name"] and isinstance(actor["aliases"], list), key
        assert key in used, f"{key} takes no side in any theatre"
        if actor["kind"] == "people":
            assert "{country}" in actor["name"]


def test_no_phrase_names_two_actors() -> None:
    seen: dict[str, str] = {}
    for key, actor in RAW["actors"].items():
        for how in ("aliases", "metonyms", "leaders"):
            for phrase in actor[how]:
                folded = phrase if phrase.isupper() and len(phrase) <= 5 else phrase.lower()
                assert seen.setdefault(folded, key) == key, (phrase, seen[folded], key)


def test_generic_phrases_resolve_per_theatre_and_date() -> None:
    import datetime as dt

    lex = lexicon()
    [m] = lex.mentions("Government forces advanced.")
    assert m.how == "generic" and m.actor is None
    assert lex.resolve(m, "idlib", None) == "syria"
    assert lex.resolve(m, "libya", dt.date(2020, 5, 1)) == "gna"
    assert lex.resolve(m, "libya", dt.date(2021, 6, 1)) == "gnu"
    assert lex.resolve(m, None, None) is None


def test_mentions_names_and_sides() -> None:
    lex = lexicon()
    text = "Turkish-backed rebels of the National Front for Liberation fought Russian jets and SAA."
    found = [(m.text, m.actor, m.how) for m in lex.mentions(text)]
    assert found == [
        ("Turkish-backed rebels", "syria_opposition", "alias"),
        ("National Front for Liberation", "nfl", "alias"),
        ("Russian jets", "russia", "demonym"),
        ("SAA", "syria", "alias"),
    ]
    assert lex.mentions("a saa") == []  # acronyms match in capitals only
    assert [m.actor for m in lex.mentions("Russian and Syrian jets")] == ["russia"]
    assert lex.side("wagner", "libya") == "lna" and lex.side("turkey", "caucasus") == "azerbaijan"
    assert lex.name("civilians", "LY") == "Civilians (Libya)"
    assert lex.name("turkey", agreement=True) == "Government of Turkey"
    assert lex.name(None) == "" and lex.kind("lna") == "group"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("theatres", "idlib", "syria"), "nobody", "not an actor key of theatres.json"),
        (("theatres", "idlib", "ghost"), "government", "unknown actor"),
        (("theatres", "atlantis"), {}, "unknown theatre"),
        (("generic", "idlib", "the army"), "ghost", "unknown actor"),
    ],
)
def test_an_inconsistent_lexicon_is_refused(path, value, message) -> None:
    raw = copy.deepcopy(RAW)
    node = raw
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(InputError, match=message):
        ActorLexicon(raw)
