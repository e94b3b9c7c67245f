"""Events: what happened where, who did it, how many died.

:func:`extract_events` reads a text and its resolved toponyms and returns the
events it reports, coded by ACLED's public codebook
(https://acleddata.com/knowledge-base/codebook): an event type and sub-type,
two actors from the actor lexicon (:mod:`frontmap.geo.actors`), the reported
fatalities, a date with its time precision, the toponyms where it happened
(most specific first) and a geo-precision. It works with rules and lexicons,
offline, in a fraction of the time geoparsing takes.

How a text is read
------------------
1. **Triggers.** Words that report an event — "air strike", "shelled", "clashes",
   "retook", "withdrew", "abducted", "protesters", "a ceasefire signed" — are
   found with one pass of a regular expression; a text without one costs
   nothing more.
2. **Clauses.** Each trigger belongs to the clause around it (a sentence cut at
   semicolons, dashes and conjunctions such as ", while", ", which", " after ");
   one clause reports at most one event, whose type is that of its first
   trigger (a generic "strike", "attack" or "hit" takes the weapon the clause
   names: drones and jets make an air strike, artillery, rockets and missiles
   shelling).
3. **Realis.** A trigger is dropped when the clause makes it unreal or not a
   single occurrence: a modal or negation shortly before it ("would strike",
   "had not flown"), a condition, threat, plan or call ("threatened to",
   "called for a ceasefire"), a habit ("often", "regularly"), a duration
   ("weeks of shelling"), an infinitive ("to strike"), a question; a plural
   noun ("attacks", "air strikes") needs a place in its clause.
4. **Same event again.** A definite noun ("the attack", "Monday's deadly
   strike", "its fall") or a definite victim that "was hit" refers back to an
   earlier event of its kind and is merged into it, as is a later report of
   the same sub-type at the same place and date, an agreement between the same
   parties, and a headline's event (the first line of a text in Title Case)
   with the first event of its kind in the body. A merged mention adds its
   clause to ``mentions``, and a place more specific, fatalities or actors the
   first report lacked.
5. **Details**, each from the clause, then its sentence:
   actors (an agent after "by" is ``actor1``; otherwise the first actor before
   the trigger, the victims of a passive "were killed", "was hit" or the first
   actor after the trigger ``actor2``; a pronoun — "its troops", "they" — is the
   sentence's first actor; civilians killed or wounded are ``actor2`` of strikes,
   shelling, explosions and attacks); fatalities (:func:`fatalities`); the date
   (:func:`event_date`); and the place (:func:`locate`).

Fatalities follow the codebook: the lowest number stated (a figure beats a vague
"dozens" = 12, "tens" = 10, "hundreds" = 100), 0 when the text says no one was
killed or hurt, None when it says nothing.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from . import _regex
from .actors import ActorLexicon, ActorMention, lexicon
from .extract import sentences


class _LazyPattern:
    """A regular expression compiled when first used (so importing this module stays cheap);
    its methods then become the compiled pattern's own."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = _regex.compile(*self._source)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            setattr(self, method, getattr(compiled, method))
        self.pattern = compiled.pattern
        return getattr(compiled, name)


def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """:func:`re.compile`, compiled when first used (from :mod:`._regex`'s cache)."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))


def prepare() -> int:
    """Compile every expression of the event extraction into :mod:`._regex`'s cache.

    Run by ``frontmap gazetteer build``, so that no ``frontmap`` command spends
    its start compiling them. Returns how many expressions there are.
    """
    sources = [p._source for p in globals().values() if isinstance(p, _LazyPattern)]
    sources.append(lexicon().demonym_expression())
    for pattern, flags in sources:
        _regex.compile(pattern, flags)
    _regex.save()
    return len(sources)


__all__ = [
    "EVENT_TYPES",
    "SUB_EVENT_TYPES",
    "Event",
    "event_date",
    "extract_events",
    "fatalities",
    "locate",
]

#: ACLED event type of each sub-event type (codebook, 2023 edition).
EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
#: The sub-event types, in codebook order.
SUB_EVENT_TYPES: tuple[str, ...] = tuple(EVENT_TYPES)


@dataclass(frozen=True)
class Event:
    """One event a text reports.

    Attributes
    ----------
    start, end : int
        The clause that first reports it (offsets into the text).
    event_type, sub_event_type : str
        ACLED's types (:data:`EVENT_TYPES`).
    actor1, actor2 : str or None
        Actor ids of the lexicon (:mod:`frontmap.geo.actors`); None when not named.
    fatalities : int or None
        Reported deaths: the lowest number stated, 0 when the text says none,
        None when it does not say.
    event_date : str or None
        ISO date; None when neither the text nor the article gives one.
    time_precision : int or None
        ACLED's: 1 the day, 2 the week (or a day the text does not give), 3 the
        month or a coarser period.
    toponyms : tuple of int
        Indices into the toponyms given to :func:`extract_events` of the places
        where it happened, most specific first.
    geo_precision : int or None
        ACLED's: 1 the place itself, 2 near or part of it or a small area, 3 a
        province, region or country; None without a place.
    mentions : tuple of (int, int)
        Later clauses that report the same event (a headline's comes first).
    theatre : str or None
        The theatre of its place (or of the text, without one).
    """

    start: int
    end: int
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = None
    event_date: str | None = None
    time_precision: int | None = None
    toponyms: tuple[int, ...] = ()
    geo_precision: int | None = None
    mentions: tuple[tuple[int, int], ...] = ()
    theatre: str | None = None

    def shifted(self, offset: int, toponym_offset: int = 0) -> Event:
        """The same event in a longer text: offsets moved by ``offset``, toponym indices
        by ``toponym_offset``."""
        return replace(
            self,
            start=self.start + offset,
            end=self.end + offset,
            mentions=tuple((a + offset, b + offset) for a, b in self.mentions),
            toponyms=tuple(i + toponym_offset for i in self.toponyms),
        )


# --------------------------------------------------------------------------- triggers

# Categories of trigger words; each maps to a sub-event type (some after refinement).
_AIR, _SHELL, _IED, _SUICIDE, _CHEM, _GRENADE = "AIR", "SHELL", "IED", "SUICIDE", "CHEM", "GRENADE"
_STRIKE, _EXPLODE, _ATTACK, _CLASH, _TAKE, _PUSH = (
    "STRIKE",
    "EXPLODE",
    "ATTACK",
    "CLASH",
    "TAKE",
    "PUSH",
)
_TRANSFER, _VAC, _ABDUCT, _PROTEST, _RIOT = "TRANSFER", "VAC", "ABDUCT", "PROTEST", "RIOT"
_DISRUPT = "DISRUPT"
_PROTEST_FORCE = "PROTEST_FORCE"
_ARREST, _KILL, _AGREE = "ARREST", "KILL", "AGREE"

_SUB = {
    _AIR: "Air/drone strike",
    _SHELL: "Shelling/artillery/missile attack",
    _IED: "Remote explosive/landmine/IED",
    _SUICIDE: "Suicide bomb",
    _CHEM: "Chemical weapon",
    _GRENADE: "Grenade",
    _CLASH: "Armed clash",
    _TRANSFER: "Non-violent transfer of territory",
    _VAC: "Attack",
    _ABDUCT: "Abduction/forced disappearance",
    _PROTEST: "Peaceful protest",
    _PROTEST_FORCE: "Protest with intervention",
    _RIOT: "Violent demonstration",
    _ARREST: "Arrests",
    _AGREE: "Agreement",
    _DISRUPT: "Disrupted weapons use",
}
_AGREEMENT_NOUN = (
    r"(?:cease-?fires?|truces?|deals?|agreements?|accords?|memorandums?|memoranda|protocols?"
    r"|armistices?|pacts?|treat(?:y|ies)|roadmaps?|road\s+maps?|plans?|understandings?"
    r"|arrangements?|settlements?)"
)
_WEAPONS = (_CHEM, _SUICIDE, _IED, _AIR, _SHELL, _GRENADE)
_FAMILY = {
    _AIR: "remote", _SHELL: "remote", _IED: "remote", _SUICIDE: "remote", _CHEM: "remote",
    _GRENADE: "remote", _STRIKE: "remote", _EXPLODE: "remote", _CLASH: "battle",
    _TAKE: "battle", _PUSH: "battle", _TRANSFER: "transfer", _VAC: "civilians",
    _ABDUCT: "civilians", _PROTEST: "demonstration", _RIOT: "demonstration",
    _PROTEST_FORCE: "demonstration",
    _ARREST: "arrest", _AGREE: "agreement", _ATTACK: "violence", _DISRUPT: "disrupt",
}  # fmt: skip
_VIOLENT = frozenset({"remote", "battle", "civilians", "violence"})

#: Trigger words by category: alternatives of a regular expression, matched as whole
#: words, case-insensitively. The category of a clause is that of its first trigger.
_TRIGGERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (_SUICIDE, (r"suicide[\s-](?:bomb(?:er|ers|ing|ings|s)?|attacks?|car[\s-]bombs?)",)),
    (_CHEM, (
        r"sarin", r"chlorine(?:\s+gas)?\s+attacks?",
        r"chemical(?:\s+weapons?)?\s+(?:attacks?|strikes?)", r"nerve\s+agents?", r"toxic\s+gas",
    )),
    (_IED, (
        r"roadside\s+bombs?", r"improvised\s+explosive\s+devices?", r"IEDs?", r"land\s*mines?",
        r"car\s+bombs?", r"bomb[\s-](?:laden|rigged)\s+(?:vehicles?|cars?|trucks?|motorcycles?)",
        r"booby[\s-]trap(?:ped|s)?", r"explosive\s+devices?",
        r"bombs?\s+(?:exploded|went\s+off|blew\s+up)",
        r"(?:vehicles?|cars?|motorcycles?|motorbikes?|trucks?)\s+(?:rigged|packed|laden|loaded)\s+"
        r"with\s+explosives",
    )),
    (_AIR, (
        r"air[\s-]?strikes?", r"air[\s-]?raids?", r"drone\s+(?:strikes?|attacks?)",
        r"barrel\s+bombs?", r"cluster\s+(?:bombs?|munitions)", r"bombing\s+raids?",
        r"aerial\s+(?:bombardment|attacks?)", r"bombed", r"bombing",
    )),
    (_GRENADE, (r"grenades?",)),
    (_DISRUPT, (
        r"intercepted\s+(?:\w+\s+){0,3}?(?:drones?|UAVs?|missiles?|rockets?|shells?)",
        r"(?:shot|brought)\s+down\s+(?:\S+\s+){0,3}?(?:drones?|UAVs?|missiles?|rockets?)",
        r"downed\s+(?:\S+\s+){0,3}?(?:drones?|UAVs?)",
    )),
    (_SHELL, (
        r"shell(?:s|ed|ing)", r"artillery(?:\s+(?:fire|shells?|strikes?))?",
        r"mortars?(?:\s+(?:fire|shells?|rounds?|bombs?))?", r"rockets?(?:\s+(?:fire|attacks?))?",
        r"missiles?(?:\s+(?:strikes?|attacks?))?", r"bombard(?:ed|ment|ments)", r"pounded",
        r"shot\s+down", r"Grad\s+rockets?",
    )),
    (_AGREE, (
        r"(?:signed|agreed|reached|brokered|negotiated|concluded|sealed|struck)\s+"
        r"(?:\w+\s+){0,4}?(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?" + _AGREEMENT_NOUN,
        _AGREEMENT_NOUN + r"(?:,?\s+(?:which|that)\s+(?:[\w-]+\s+){1,5}?(?:agreed|signed)\b|\s+"
        r"(?:\w+\s+){0,2}?(?:was\s+|were\s+|had\s+been\s+|has\s+been\s+)?"
        r"(?:signed|agreed|reached|brokered|negotiated|concluded|sealed|took\s+effect"
        r"|went\s+into\s+(?:force|effect)|came\s+into\s+(?:force|effect)|entered\s+into\s+force))",
        r"(?:prisoner|detainee|captive)s?\s+(?:exchanges?|swaps?)",
        r"exchanges?\s+of\s+(?:prisoners|detainees|captives|bodies)",
        r"(?:exchanged|swapped)\s+(?:\w+\s+)?(?:prisoners|detainees|captives)",
        r"agreed\s+(?:\S+\s+){0,3}?to\s+(?:begin|start|end|stop|exchange|withdraw|hand|open|reopen"
        r"|cease|halt|return|release|form|hold|establish|demarcate|delimit|mark|set\s+up|pull\s+back)",
    )),
    (_PUSH, (
        r"pushed\s+(?:\S+\s+){0,5}?back", r"pushed\s+(?:\S+\s+){0,5}?out\s+of",
        r"drove\s+(?:\S+\s+){0,5}?out\s+of", r"driven\s+out\s+of",
        r"forced\s+(?:\S+\s+){0,5}?(?:back|out\s+of)",
    )),
    (_TAKE, (
        r"captur(?:ed|es|e|ing)", r"took\s+(?:control\s+of|over)", r"took", r"taken",
        r"seiz(?:ed|es|e|ing)", r"retook", r"retaken", r"recaptur(?:ed|es|e|ing)",
        r"regain(?:ed|s)?\s+control", r"overr(?:an|un)", r"pushed\s+into", r"push\s+into",
        r"entered", r"advanced\s+(?:into|on|along|to|towards)", r"liberat(?:ed|ion\s+of)",
        r"fell\s+to", r"fall\s+of", r"stormed",
    )),
    (_TRANSFER, (
        r"withdr(?:ew|awn|awal|awing)", r"pulled\s+out", r"pull-?out", r"retreated",
        r"redeployed", r"handed\s+over", r"hand-?over\s+of",
    )),
    (_ABDUCT, (r"abduct(?:ed|ion|ions|s)?", r"kidnapp?(?:ed|ing|ings)", r"forcibly\s+disappeared")),
    (_VAC, (
        r"executed", r"executions?", r"massacred?", r"massacres", r"shot\s+dead",
        r"gunned\s+down", r"tortured",
    )),
    (_ARREST, (
        r"arrest(?:ed|s)?", r"detained", r"detention\s+of", r"taken\s+into\s+custody",
        r"rounded\s+up",
    )),
    (_RIOT, (
        r"riot(?:s|ers|ed|ing)?", r"broke\s+into", r"torched", r"set\s+fire\s+to", r"lynched",
    )),
    (_PROTEST, (
        r"protest(?:s|ed|ers|ors)?", r"demonstrat(?:ors|ions?|ed)", r"rall(?:y|ies|ied)",
        r"sit-ins?", r"marched", r"blocked\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}?(?:roads?|highway"
        r"|streets?|crossing|bridge)",
    )),
    (_CLASH, (
        r"clash(?:es|ed)?", r"fighting", r"fought", r"battles?", r"firefights?", r"gun\s?fights?",
        r"gun\s?battles?", r"skirmish(?:es|ed)?", r"ambush(?:ed|es)?", r"repell?ed", r"repulsed",
        r"infiltration\s+attempts?", r"exchanged\s+fire", r"exchanges?\s+of\s+fire",
        r"counter-?attack(?:s|ed)?",
    )),
    (_EXPLODE, (r"explosions?", r"exploded", r"blasts?", r"blew\s+up")),
    (_ATTACK, (r"attack(?:s|ed|ing)?", r"assault(?:s|ed)?", r"raid(?:s|ed)?")),
    (_STRIKE, (r"struck", r"strik(?:e|es|ing)", r"hit", r"hits", r"destroyed")),
    (_KILL, (r"killed", r"killing", r"dead", r"died", r"slain", r"lost\s+their\s+lives")),
)  # fmt: skip
_TRIGGER_RE = _re(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<{cat}>{'|'.join(alts)})" for cat, alts in _TRIGGERS)
    + r")(?![\w-])",
    re.IGNORECASE,
)

# Words that cut a sentence into clauses.
_CLAUSE_SEP = _re(
    r"[;:]\s|\s[–—-]\s|,\s+(?=(?:while|but|whereas|although|though|which|where|when|after|before|as"
    r"|and|leaving|a\s+day|two\s+days|hours|days)\b)|\s(?=(?:while|whereas|after|when)\s)"
    r"|\s(?=and\s+(?:were|was|had|have|has|then|later|also|is|are)\s)",
    re.IGNORECASE,
)
#: Words that, shortly before a trigger, make it unreal, habitual or generic.
_IRREALIS_WORDS = frozenset(
    """would could might may will shall should must can cannot won't 'll threaten threatens
    threatened threatening threat threats warn warns warned warning vow vows vowed plan plans
    planned planning intend intends intended aims aimed ready prepared preparing expect expects
    expected expecting fear fears feared risk risks avoid avoided prevent prevented urge urged
    urges demand demands demanded propose proposed proposes proposal want wants wanted seek
    seeks sought tried try trying not no never neither nor without deny denies denied denying
    any possible potential likely unlikely often usually regularly routinely repeatedly
    sometimes capable previous past next future upcoming only various numerous such
    intermittent sporadic occasional frequent repeated daily nightly constant hypothetical
    further""".split()
)
_NEGATED = _re(r"n['’]t$", re.IGNORECASE)
_DURATION = _re(
    r"(?:\b(?:weeks|months|years|decades)|(?<!\w\s)\bdays)\s+of\s+(?:\w+\s+)?$", re.IGNORECASE
)
_CONDITION = _re(r"\b(?:if|unless|whether|in\s+case)\b", re.IGNORECASE)
_DETERMINERS = frozenset("the this that these those its their his her".split())
#: Trigger words that are nouns ("the attack" may refer back; "the LNA withdrew" may not).
_NOUNS = frozenset(
    """attack attacks strike strikes airstrike airstrikes raid raids assault assaults clash
    clashes battle battles fighting shelling bombing bombings bombardment bombardments
    explosion explosions blast blasts skirmish skirmishes ambush ambushes firefight firefights
    gunfight gunfights counterattack counter-attack counterattacks counter-attacks fire
    rockets missiles shells mortars artillery bomb bombs ied ieds landmine landmines mines
    devices of withdrawal pullout pull-out handover protest protests demonstration
    demonstrations rally rallies riot riots massacre massacres execution executions abduction
    abductions kidnapping kidnappings arrest arrests detention attempt attempts exchange
    exchanges protesters protestors demonstrators rioters""".split()
)
_PASSIVE_BEFORE = _re(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", re.IGNORECASE)
_PASSIVE_VICTIM = _re(
    r"\b(?:was|were|been|being)\s+(?:\w+\s+)?(?:killed|wounded|injured|hurt|hit|struck|targeted"
    r"|attacked|shelled|bombed|ambushed|detained|arrested|abducted|kidnapped|beaten|executed)\b",
    re.IGNORECASE,
)
_WEAPON_WORDS = (
    (_AIR, _re(
        r"\b(?:jets?|warplanes?|aircraft|planes?|helicopters?|drones?|UAVs?|Bayraktars?|TB2s?"
        r"|SIHA|air\s+force|aviation|air\s+strikes?|airstrikes?|sorties)\b",
        re.IGNORECASE,
    )),
    (_SHELL, _re(
        r"\b(?:artillery|mortars?|rockets?|missiles?|shells?|shelling|Grad|MLRS)\b", re.IGNORECASE
    )),
    (_IED, _re(r"\b(?:IEDs?|bombs?|explosives?|mines?|booby)\b", re.IGNORECASE)),
)  # fmt: skip
#: A place or target after a "strike", "hit" or "attack" that makes it an event.
_TARGET_WORDS = _re(
    r"\b(?:positions?|targets?|posts?|bases?|convoys?|hangars?|depots?|airports?|airfields?"
    r"|hospitals?|villages?|towns?|city|cities|cathedral|church|mosque|markets?|schools?|camps?"
    r"|tanks?|vehicles?|checkpoints?|headquarters|barracks|houses?|homes?|neighbourhoods?"
    r"|districts?|buildings?|troops|soldiers|fighters|forces|units|militants|patrols?)\b",
    re.IGNORECASE,
)
_TERRITORY_WORDS = _re(
    r"\b(?:villages?|towns?|city|cities|heights|hills?|hilltops?|base|airport|positions|control"
    r"|district|areas?|territory|suburbs?|neighbourhoods?|outskirts|compound|crossing|road|highway"
    r"|enclave|region|the\s+part|part\s+of)\b",
    re.IGNORECASE,
)
_NOT_TAKE = _re(
    r"^(?:took|taken)\s+(?:part|place|effect|office|hours|days|weeks|months|years|a\s+share|steps"
    r"|into|to|up|care|power|refuge|shelter|cover|advantage|note|over\s+as)\b|^entered\s+(?:into"
    r"|office|talks|the\s+war|service|force)\b|^captur\w+\s+(?:on|the\s+attention|footage)",
    re.IGNORECASE,
)
_ADJECTIVAL = _re(
    r"\s+(?:formations?|force|forces|units?|age|men|season|spirit|capabilit\w+|strength|groups?"
    r"|vehicles?|chance|positions|power|machine|words|fund)\b",
    re.IGNORECASE,
)
_INTERVENTION = _re(
    r"\b(?:dispersed|broke\s+up|tear\s*gas|rubber\s+bullets|water\s+cannon|fired\s+(?:shots\s+)?"
    r"(?:in|into)\s+the\s+air|beat\s+(?:the\s+)?(?:protesters|demonstrators)|arrested\s+(?:\w+\s+)?"
    r"(?:protesters|demonstrators)|gunfire\s+in\s+the\s+air)",
    re.IGNORECASE,
)
_NOT_VERB_BEFORE = _re(r"\b(?:of|the|a|an|and|with|two|three|several|many|\d+)\s+$", re.I)
_NOT_PROTEST = _re(
    r"\s+(?:movement|leaders?|organi[sz]ers?|groups?|songs?|votes?|notes?|letters?|camp\s+was"
    r"|(?:\w+\s+)?(?:would|will|could|might|may|plan(?:ned)?\s+to|threatened\s+to|vowed\s+to))\b",
    re.IGNORECASE,
)
_CROWD = _re(
    r"\b(?:activists|protesters|protestors|demonstrators|residents|villagers|families|youths"
    r"|people|crowds?|students|workers|farmers|drivers|truckers)\b",
    re.IGNORECASE,
)
_ARMED_WORDS = _re(
    r"\b(?:troops|forces|fighters|units|militants|rebels|army|soldiers|militias?|gunmen|jihadists"
    r"|insurgents|commanders|peacekeepers|mercenaries|contractors)\b",
    re.IGNORECASE,
)
_PLACE_PREP = _re(
    r"\b(?:in|at|on|near|around|across|along|outside|inside|into|over|for|beyond|toward|towards)"
    r"\s+(?:the\s+)?\w",
    re.IGNORECASE,
)
_PRONOUN_AGENT = _re(
    r"\b(?:it|they|its|their|his|her)\b(?:\s+(?:own\s+)?(?:troops|forces|fighters|units|men|aircraft"
    r"|jets|drones|artillery|army|militants|members|push|advance))?",
    re.IGNORECASE,
)
_BY_AGENT = _re(r"\b(?:by|(?:fired|launched)\s+from)\s+", re.IGNORECASE)
_UNIDENTIFIED = _re(r"(?:the\s+)?(?:unidentified|unknown|unnamed)\b", re.IGNORECASE)
_PEOPLE = (
    r"(?:civilians?|residents|villagers|children|child|women|woman|families|family|people|passers?-by"
    r"|worshippers|patients|nurses?|doctors?|medics|migrants|refugees|shepherds?|farmers?|boys?"
    r"|girls?|sons?|daughters?|grandchild(?:ren)?|journalists?|teachers?|students?|workers?"
    r"|passengers|displaced)"
)
_CIVILIAN_VICTIMS = _re(
    rf"\b{_PEOPLE}\b[^.;]{{0,60}}?\b(?:killed|wounded|injured|hurt|dead|died)\b|\b(?:killed"
    rf"|wounded|injured|killing|wounding|bodies\s+of)\b[^.;]{{0,40}}?\b{_PEOPLE}\b",
    re.IGNORECASE,
)
_LOCATIVE_BEFORE = _re(
    r"\b(?:in|at|near|from|to|into|towards|toward|outside|around|across|over|inside|via|through"
    r"|on|beyond|between|within|of\s+the\s+\w+\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ORIGIN_BEFORE = _re(
    r"\b(?:from|via|to|towards|toward)\s+(?:the\s+)?(?:direction\s+of\s+)?$", re.IGNORECASE
)
_AT_BEFORE = _re(
    r"\b(?:in|at|near|around|outside|inside|on|over|across|into|onto|along|within|beyond|out\s+of"
    r"|(?:north|south|east|west|northwest|northeast|southwest|southeast)(?:ern)?\s+of"
    r"|outskirts\s+of|countryside\s+of|directions?\s+of|heights\s+(?:below|above|near)"
    r"|approaches\s+to|km\s+\w+\s+of|close\s+to|towns?\s+of|villages?\s+of|city\s+of"
    r"|suburbs?\s+of|province\s+of|region\s+of|edges?\s+of|hitting|targeting|striking"
    r"|pounding|shelling|bombing|between)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_NEAR_BEFORE = _re(
    r"\b(?:near|outside|around|close\s+to|(?:north|south|east|west|northwest|northeast|southwest"
    r"|southeast)(?:ern)?\s+of|outskirts\s+of|direction\s+of|countryside\s+of|directions\s+of"
    r"|heights\s+(?:below|above|near)|approaches\s+to|km\s+\w+\s+of|edges?\s+of|between)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: "Atarib, west of Aleppo": Aleppo only situates Atarib.
_REFERENCE_BEFORE = _re(
    r",\s*(?:some\s+|about\s+)?(?:\d+\s*(?:km|kilometres|kilometers|miles)\s+)?(?:north|south|east|west"
    r"|northwest|northeast|southwest|southeast)(?:ern)?\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_MODIFIER_AFTER = _re(r"(?:['’]s\b|-(?:based|backed|born|led|brokered|supported|aligned))")
_NEAR_AFTER = _re(r"^\s+(?:area|countryside|outskirts|region|directions?|plain|hills)\b")


# ------------------------------------------------------------------------ numbers, dates

_NUMBER_WORDS = {
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12,
    "dozen": 12, "a hundred": 100, "one hundred": 100,
}  # fmt: skip
#: Vague quantities and the codebook's figure for them.
_VAGUE = {"dozens": 12, "tens": 10, "hundreds": 100, "scores": 20, "thousands": 1000}
_MONTH_WORDS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|a\s+dozen|dozens|tens|hundreds|thousands|a\s+hundred|one\s+hundred"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five"
    r"|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_QUAL = (
    r"(?:at\s+least|more\s+than|over|some|about|around|nearly|almost|up\s+to|as\s+many\s+as"
    r"|an\s+estimated|roughly|approximately|a\s+total\s+of|between)\s+"
)
_KILL_RIGHT = _re(
    r"\b(?:killed|killing|kills|took\s+out|claimed\s+the\s+lives\s+of|death\s+toll\s+(?:rose\s+to"
    r"|of|reached|climbed\s+to)|bodies\s+of|leaving)\s+",
    re.IGNORECASE,
)
#: A count of people: "at least 12 fighters", "four soldiers", "a commander" (= 1).
_COUNT = _re(
    rf"(?:{_QUAL})?(?P<n>{_NUM}|an?)\b(?!\s*(?:km|kilometres|miles|per\s*cent|%|years?|days?|hours?"
    rf"|weeks?|months?|number|total|few|handful|dozen|hundred|bid|day|time)\b)",
    re.IGNORECASE,
)
_AND_COUNT = _re(
    rf"\s+(?:[\w-]+\s+){{0,3}}?and\s+(?:{_QUAL})?(?P<n>{_NUM}|an?)\s+(?!number|few|total)\w", re.I
)
_FAMILY_OF = _re(rf"\s*(?:an?\s+|the\s+)?famil(?:y|ies)\s+of\s+(?P<n>{_NUM})\b", re.I)
_BETWEEN_BEFORE = _re(r"\bbetween\s+$", re.IGNORECASE)
_INCLUDING = _re(r"\b(?:including|among\s+them|among\s+whom|of\s+whom)\s+$", re.I)
_DATE_BEFORE = _re(rf"(?:{_MONTH_WORDS})\.?\s+$|\b(?:on|in|at|since|by|of)\s+$", re.I)
_KILL_LEFT = _re(
    r"\b(?:were|was|have\s+been|had\s+been|has\s+been|are|being)\s+(?:\w+\s+)?(?:killed|slain"
    r"|executed|shot\s+dead)\b|\b(?:dead|died|lost\s+their\s+lives|deaths)\b",
    re.IGNORECASE,
)
_NUM_LEFT = _re(
    rf"(?:^|[\s(])(?:{_QUAL})?(?P<n>{_NUM})\b(?!\s*(?:km|kilometres|miles|%|years?|days?|hours?"
    rf"|weeks?|months?)\b)",
    re.IGNORECASE,
)
_LEFT_STOP = _re(
    r".*\b(?:said|says|that|wounded|injured|hurt|after|while|when)\b", re.IGNORECASE | re.DOTALL
)
_ZERO = _re(
    r"\b(?:no\s+one|nobody|no-one)\s+(?:was|were|had\s+been|has\s+been|is)\s+(?:\w+\s+)?(?:hurt"
    r"|injured|killed|wounded|harmed)|\bno\s+(?:reported\s+)?(?:casualties|deaths|fatalities"
    r"|injuries|one\s+was\s+hurt)|\bwithout\s+(?:casualties|loss\s+of\s+life|causing\s+casualties)"
    r"|\bcaus\w+\s+no\s+casualties|\bno\s+reports?\s+of\s+(?:casualties|deaths|injuries|fatalities)",
    re.IGNORECASE,
)

#: Something of every statement :func:`fatalities` reads (a quick test first).
_DEATH_HINT = _re(
    r"kill|dead|died|death|bodies|slain|lives|no\s+one|nobody|no-one|casualt|took\s+out"
    r"|executed|fatalit|hurt|injur|wounded|harmed",
    re.IGNORECASE,
)
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_TIME = _re(
    rf"(?P<relative>\b(?P<rn>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    rf"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|\d+)\s+(?P<ru>days?|weeks?|months?"
    rf"|years?)\s+(?P<rd>after|before|earlier|later|ago)\b)"
    rf"|(?P<weekday>\b(?:(?P<last>last)\s+)?(?:(?:late|early)\s+(?:on\s+)?)?(?P<wd>Monday|Tuesday"
    rf"|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?\b)"
    rf"|(?P<md>\b(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}}))?)"
    rf"|(?P<dm>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\b(?:,?\s+(?P<y2>\d{{4}}))?)"
    rf"|(?P<my>\b(?:in|since|by|during|until|from|of)\s+(?:(?:early|late|mid)[\s-]+)?(?P<m3>{_MONTH})"
    rf"\b(?:\s+(?P<y3>\d{{4}}))?)"
    rf"|(?P<bare>\b(?P<m6>{_MONTH})\s+(?P<y6>(?:19|20)\d\d)\b)"
    rf"|(?P<year>\b(?:in|during|of)\s+(?:(?:early|late|mid)[\s-]+)?(?P<y4>(?:19|20)\d\d)\b)"
    rf"|(?P<early>\b(?:early|late|mid)[\s-](?P<y5>(?:19|20)\d\d)\b)"
    rf"|(?P<word>\b(?:yesterday|today|tonight|overnight|last\s+night|this\s+morning|last\s+week"
    rf"|this\s+week|earlier\s+this\s+week|last\s+month|this\s+month|earlier\s+this\s+month"
    rf"|earlier\s+this\s+year|this\s+year|last\s+year|a\s+year\s+ago|in\s+recent\s+(?:days|weeks)"
    rf"|recent\s+days|recent\s+weeks|now)\b)",
    re.IGNORECASE,
)
_UNITS = {"day": 1, "week": 7}
#: Something of every time expression (a quick test before the full expression).
_TIME_HINT = _re(
    r"\d|day|night|week|month|year|now|ago|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|morning",
    re.IGNORECASE,
)


def _number(word: str) -> tuple[int, bool] | None:
    """A number word or figure, and whether it is vague ("dozens")."""
    w = " ".join(word.lower().replace("-", " ").split())
    if w in _VAGUE:
        return _VAGUE[w], True
    if w.replace(",", "").isdigit():
        return int(w.replace(",", "")), False
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w], False
    parts = w.split()
    if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _NUMBER_WORDS:
        return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]], False
    return None


def fatalities(text: str, start: int = 0, end: int | None = None) -> tuple[int, bool] | None:
    """Reported deaths in ``text[start:end]``.

    Returns
    -------
    (int, bool) or None
        The lowest number stated as killed (a figure is preferred to a vague
        word: "dozens" = 12, "tens" = 10, "hundreds" = 100), with True when only
        a vague word was found; ``(0, False)`` when the text says no one was
        killed or hurt; None when it says nothing of deaths.

    Examples
    --------
    >>> fatalities("The strike killed at least 12 fighters and wounded 30.")
    (12, False)
    >>> fatalities("Four civilians, including a child, were killed.")
    (4, False)
    >>> fatalities("No one was hurt.")
    (0, False)
    """
    end = len(text) if end is None else end
    chunk = text[start:end]
    if _DEATH_HINT.search(chunk) is None:
        return None
    found: list[tuple[int, bool]] = []
    for m in _KILL_RIGHT.finditer(chunk):
        value = _right_count(chunk, m.end())
        if value is not None:
            found.append(value)
    for m in _KILL_LEFT.finditer(chunk):
        value = _left_count(chunk[max(0, m.start() - 90) : m.start()])
        if value is not None:
            found.append(value)
    if not found:
        return (0, False) if _ZERO.search(chunk) else None
    exact = [v for v, vague in found if not vague]
    return (min(exact), False) if exact else (min(v for v, _ in found), True)


def _right_count(chunk: str, pos: int) -> tuple[int, bool] | None:
    """The people counted after "killed": "at least 35 fighters", "a commander", "five
    soldiers and two civilians" (summed)."""
    family = _FAMILY_OF.match(chunk, pos)
    if family is not None:  # "killed a family of five"
        return _number(family.group("n"))
    m = _COUNT.match(chunk, pos)
    if m is None:
        return None
    word = m.group("n").lower()
    value = (1, False) if word in ("a", "an") else _number(m.group("n"))
    if value is None:
        return None
    more = _AND_COUNT.match(chunk, m.end())
    ranged = m.group(0).lower().startswith("between")  # "between 20 and 30": the lowest
    extra = None
    if more is not None:
        extra = (1, False) if more.group("n").lower() in ("a", "an") else _number(more.group("n"))
    if more is not None and not ranged and extra is not None:
        value = (value[0] + extra[0], value[1] and extra[1])
    return value


def _left_count(left: str) -> tuple[int, bool] | None:
    """The people counted before "were killed" or "died": "Four soldiers and two militants"
    (summed), "five civilians, including two children" (five)."""
    cut = _LEFT_STOP.match(left)
    if cut is not None:
        left = left[cut.end() :]
    total: tuple[int, bool] | None = None
    total_end = 0
    ranged = False
    for n in _NUM_LEFT.finditer(left):
        before = left[: n.start() + 1]
        if _INCLUDING.search(before) or _DATE_BEFORE.search(before):
            continue
        value = _number(n.group("n"))
        if value is None:
            continue
        if total is not None and not _AND.search(left, total_end, n.start()):
            break
        if total is not None and ranged:
            break  # "between 20 and 30 people": a range, the lowest counts
        if total is None:
            ranged = "between" in n.group(0).lower() or bool(_BETWEEN_BEFORE.search(before))
        total = value if total is None else (total[0] + value[0], total[1] and value[1])
        total_end = n.end()
    return total


def _minus_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def _month_day(
    month: str, day: str, year: str | None, ref: dt.date | None
) -> tuple[dt.date, int] | None:
    m = _MONTHS.get(month.lower().rstrip("."))
    if m is None:
        return None
    if year is None and ref is None:
        return None
    y = int(year) if year else ref.year  # type: ignore[union-attr]
    try:
        out = dt.date(y, m, int(day))
    except ValueError:
        return None
    if not year and ref is not None and out > ref:
        out = out.replace(year=y - 1) if not (m == 2 and int(day) == 29) else out
    return out, 1


def _month(month: str, year: str | None, ref: dt.date | None) -> tuple[dt.date, int] | None:
    m = _MONTHS.get(month.lower())
    if m is None or (year is None and ref is None):
        return None
    y = int(year) if year else ref.year  # type: ignore[union-attr]
    if not year and ref is not None and m > ref.month:
        y -= 1
    return dt.date(y, m, 15), 3


def _weekday(name: str, last: bool, ref: dt.date | None) -> tuple[dt.date, int] | None:
    if ref is None:
        return None
    back = (ref.weekday() - _WEEKDAYS[name.lower()]) % 7
    if last and back == 0:
        back = 7
    return ref - dt.timedelta(days=back), 1


def _relative(m: re.Match[str], ref: dt.date | None) -> tuple[dt.date, int] | None:
    if ref is None:
        return None
    n_word = m.group("rn").lower()
    n = int(n_word) if n_word.isdigit() else _NUMBER_WORDS.get(n_word, 1)
    unit = m.group("ru").lower().rstrip("s")
    sign = 1 if m.group("rd").lower() == "later" else -1
    if unit in _UNITS:
        day = ref + dt.timedelta(days=sign * n * _UNITS[unit])
        return day, 1 if unit == "day" else 2
    months = n * (12 if unit == "year" else 1)
    day = _minus_months(ref, -sign * months if sign > 0 else months)
    return day, 3


_WORD_DAYS = {
    "yesterday": (-1, 1), "today": (0, 1), "tonight": (0, 1), "overnight": (0, 1),
    "last night": (-1, 1), "this morning": (0, 1), "now": (0, 2), "last week": (-7, 2),
    "this week": (0, 2), "earlier this week": (0, 2), "recent days": (0, 2),
    "in recent days": (0, 2), "recent weeks": (0, 2), "in recent weeks": (0, 2),
}  # fmt: skip


def _word(word: str, ref: dt.date | None) -> tuple[dt.date, int] | None:
    if ref is None:
        return None
    w = " ".join(word.lower().split())
    if w in _WORD_DAYS:
        days, precision = _WORD_DAYS[w]
        return ref + dt.timedelta(days=days), precision
    if w in ("last month",):
        return _minus_months(ref, 1).replace(day=15), 3
    if w in ("this month", "earlier this month"):
        return ref.replace(day=15) if ref.day >= 15 else ref, 3
    if w in ("earlier this year", "this year"):
        return dt.date(ref.year, 7, 1) if ref.month > 7 else ref, 3
    if w == "last year":
        return dt.date(ref.year - 1, 7, 1), 3
    if w == "a year ago":
        return _minus_months(ref, 12).replace(day=15), 3
    return None


def _time_of(m: re.Match[str], ref: dt.date | None) -> tuple[dt.date, int] | None:
    kind = m.lastgroup
    if kind == "relative":
        return _relative(m, ref)
    if kind == "weekday":
        return _weekday(m.group("wd"), bool(m.group("last")), ref)
    if kind == "md":
        return _month_day(m.group("m1"), m.group("d1"), m.group("y1"), ref)
    if kind == "dm":
        return _month_day(m.group("m2"), m.group("d2"), m.group("y2"), ref)
    if kind == "my":
        return _month(m.group("m3"), m.group("y3"), ref)
    if kind == "bare":
        return _month(m.group("m6"), m.group("y6"), ref)
    if kind in ("year", "early"):
        return dt.date(int(m.group("y4") or m.group("y5")), 7, 1), 3
    if kind == "word":
        return _word(m.group("word"), ref)
    return None


def event_date(
    text: str, start: int, end: int, article_date: dt.date | None, near: int | None = None
) -> tuple[dt.date, int] | None:
    """The date ``text[start:end]`` gives an event, resolved from the article's date.

    "on Monday" is the latest Monday on or before the article's date ("last Monday"
    the one before), "yesterday" the day before, "on June 5" that day of the
    article's year (of the year before when it would fall after the article), "in
    June" or "in 2017" the month or year (time precision 3), "last week", "in
    recent days" the article's week (precision 2). The expression nearest
    ``near`` wins; "since ..." gives no date.

    Returns
    -------
    (datetime.date, int) or None
        The day and ACLED's time precision (1 day, 2 week, 3 month or coarser),
        or None when the span gives no time.

    Examples
    --------
    >>> event_date("Shells hit the town on Monday.", 0, 30, dt.date(2020, 10, 27))
    (datetime.date(2020, 10, 26), 1)
    """
    if _TIME_HINT.search(text, start, end) is None:
        return None
    best: tuple[int, tuple[dt.date, int]] | None = None
    for m in _TIME.finditer(text, start, end):
        if text.startswith(("'s", "’s"), m.end()):
            continue  # "last year's war" names a war, not the event's time
        got = _time_of(m, article_date)
        if got is None:
            continue
        distance = 0 if near is None else abs(m.start() - near)
        if best is None or distance < best[0]:
            best = (distance, got)
    return None if best is None else best[1]


# ----------------------------------------------------------------------------- places

#: Specificity of a place kind: lower is more specific.
_KIND_RANK = {
    "populated_place": 0, "military_site": 0, "airport": 0, "camp": 0, "district": 0,
    "site": 0, "other": 0, "mountain": 1, "road": 1, "water": 2, "admin_region": 2,
    "region": 2, "country": 3,
}  # fmt: skip
_KIND_PRECISION = {0: 1, 1: 2, 2: 3, 3: 3}


def _rank(toponym: Any) -> int:
    rank = _KIND_RANK.get(getattr(toponym, "kind", None) or "other", 0)
    if getattr(toponym, "precision", 1) == 3:
        rank = max(rank, 2)
    return rank


def _attached(text: str, t: Any, trigger_end: int, previous: bool) -> bool:
    """The place is tied to the event: after a locative preposition ("in", "near", "south
    of"), right after the trigger ("shelled Ganja"), or listed after such a place."""
    before = text[max(0, t.start - 40) : t.start]
    if _AT_BEFORE.search(before):
        return True
    if trigger_end <= t.start and len(text[trigger_end : t.start].split()) <= 2:
        return "," not in text[trigger_end : t.start]
    return previous and bool(_LIST_BEFORE.search(before))


def locate(
    text: str,
    toponyms: Sequence[Any],
    candidates: Iterable[int],
    trigger: int,
    trigger_end: int | None = None,
    *,
    origins: bool = False,
) -> tuple[list[int], int | None]:
    """The places of an event among ``candidates`` (indices into ``toponyms``).

    A place named as an origin ("from", "via", "to") is left out (unless
    ``origins``), as is a name in parentheses after another ("Sirte (Sirt)").
    The others are ranked: places tied to the event (after a locative
    preposition — "in", "near", "south of" —, right after the trigger, or in a
    list after such a place) before the rest ("the governor of Hatay"), then by
    how specific their kind is (a village before a district, a province, a
    country), then by distance to the trigger.

    Returns
    -------
    (list of int, int or None)
        The indices, best first, and ACLED's geo-precision of the best: 1 the
        place itself, 2 near it or part of it ("near", "outskirts of", "25 km
        west of", "the X area"), a mountain, road or small area, 3 a province,
        region or country.
    """
    end = trigger if trigger_end is None else trigger_end
    keyed = []
    previous = False
    candidates_seen: list[int] = []
    for i in candidates:
        candidates_seen.append(i)
        t = toponyms[i]
        before = text[max(0, t.start - 40) : t.start]
        if (not origins and _ORIGIN_BEFORE.search(before)) or before.endswith("("):
            previous = False
            continue
        if _MODIFIER_AFTER.match(text, t.end):
            continue  # "Tripoli-based", "Armenia's defence ministry": modifiers, not places
        previous = _attached(text, t, end, previous)
        reference = bool(_REFERENCE_BEFORE.search(before)) and any(
            0 <= t.start - toponyms[j].end <= 40 for j in candidates_seen
        )
        keyed.append((not previous or reference, _rank(t), abs(t.start - trigger), i))
    if not keyed:
        return [], None
    keyed.sort()
    order = [k[-1] for k in keyed]
    best = toponyms[order[0]]
    precision = _KIND_PRECISION[_rank(best)]
    if int(getattr(best, "precision", 1) or 1) == 3:
        precision = 3
    before = text[max(0, best.start - 40) : best.start]
    if precision < 2 and (
        _NEAR_BEFORE.search(before) or _NEAR_AFTER.match(text[best.end : best.end + 20])
    ):
        precision = 2
    return order, min(precision, 3)


# ----------------------------------------------------------------------------- drafting


@dataclass
class _Draft:
    """An event being built (mutable until :func:`_freeze`)."""

    start: int
    end: int
    cat: str
    trigger: int
    trigger_end: int
    sentence: int
    paragraph: int
    anaphoric: bool = False
    headline: bool = False
    sub_event_type: str = ""
    actor1: str | None = None
    actor2: str | None = None
    deaths: tuple[int, bool] | None = None
    day: dt.date | None = None
    time_precision: int | None = None
    places: list[int] = field(default_factory=list)
    geo_precision: int | None = None
    place_from: int = 9  # 0 its clause, 1 its sentence, 2 the previous sentence
    mentions: list[tuple[int, int]] = field(default_factory=list)
    theatre: str | None = None
    last: int = 0  # sentence of the latest mention

    @property
    def family(self) -> str:
        return _FAMILY.get(self.cat, "violence")


class _Text:
    """One text being read: sentences, paragraphs, clauses, toponyms, actors."""

    def __init__(
        self,
        text: str,
        toponyms: Sequence[Any],
        day: dt.date | None,
        lex: ActorLexicon,
    ) -> None:
        self.text = text
        self.toponyms = toponyms
        self.day = day
        self.lex = lex
        self.sents = _bounded_sentences(text)
        self.starts = [a for a, _ in self.sents]
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.topo_starts = [t.start for t in toponyms]
        self._actors: dict[int, list[ActorMention]] = {}
        self._clauses: dict[int, list[tuple[int, int]]] = {}
        self._asides: dict[int, list[tuple[int, int]]] = {}
        self._theatre: list[str | None] = []
        self.headline = self._headline()
        self.event_clauses: set[tuple[int, int]] = set()

    def _headline(self) -> int:
        """End of a Title Case first line without final punctuation (0 when none)."""
        if not self.sents:
            return 0
        a, b = self.sents[0]
        line_end = self.text.find("\n", a)
        if line_end < 0 or line_end > b or self.text[a:line_end].rstrip()[-1:] in '.!?"”':
            return 0
        words = [w for w in self.text[a:line_end].split() if len(w) >= 4 and w[0].isalpha()]
        if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.7 * len(words):
            return 0
        return line_end

    @property
    def theatre(self) -> str | None:
        """The theatre most of the text's toponyms belong to (computed once, when asked)."""
        if not self._theatre:
            self._theatre.append(_main_theatre(self.toponyms))
        return self._theatre[0]

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.newlines, pos)

    def asides(self, si: int) -> list[tuple[int, int]]:
        """Spans between paired dashes or in parentheses: they hold no actor of the clause."""
        if si not in self._asides:
            a, b = self.sents[si]
            self._asides[si] = [
                (a + m.start(), a + m.end()) for m in _ASIDE.finditer(self.text[a:b])
            ]
        return self._asides[si]

    def clauses(self, si: int) -> list[tuple[int, int]]:
        if si not in self._clauses:
            a, b = self.sents[si]
            asides = self.asides(si)
            out, pos = [], a
            for m in _CLAUSE_SEP.finditer(self.text, a, b):
                if any(x <= m.start() < y for x, y in asides):
                    continue
                if m.start() > pos:
                    out.append((pos, m.start()))
                pos = m.end()
            out.append((pos, b))
            self._clauses[si] = out
        return self._clauses[si]

    def clause_of(self, si: int, pos: int) -> tuple[int, int]:
        for a, b in self.clauses(si):
            if a <= pos < b:
                return a, b
        return self.sents[si]

    def actors(self, si: int) -> list[ActorMention]:
        """The actor mentions of a sentence, less those in asides and places named as places."""
        if si not in self._actors:
            a, b = self.sents[si]
            asides = self.asides(si)
            kept = []
            place_end = -1  # end of the last metonym read as a place
            for m in self.lex.mentions(self.text, a, b):
                if any(x <= m.start < y for x, y in asides):
                    continue
                if m.how == "metonym" and (
                    _LOCATIVE_BEFORE.search(self.text[max(a, m.start - 40) : m.start])
                    or _NAMING_AFTER.match(self.text, m.end)
                    or (place_end >= 0 and _LIST_JOIN.fullmatch(self.text, place_end, m.start))
                ):
                    place_end = m.end  # "in Ankara and Moscow": both places
                    continue
                if m.how == "metonym" and self.text.startswith(("'s", "’s"), m.end):
                    m = replace(m, how="possessive")  # "Azerbaijan's defence ministry said"
                kept.append(m)
            self._actors[si] = kept
        return self._actors[si]

    def toponyms_in(self, a: int, b: int) -> range:
        return range(
            bisect.bisect_left(self.topo_starts, a), bisect.bisect_left(self.topo_starts, b)
        )

    def in_other_event(self, pos: int, clause: tuple[int, int]) -> bool:
        """``pos`` lies in another clause that reports an event."""
        return any(a <= pos < b for a, b in self.event_clauses if (a, b) != clause)


_ASIDE = _re(r"\s[–—]\s[^–—]{1,120}?\s[–—]\s|\([^()]{1,120}\)")
_LIST_JOIN = _re(r"\s*(?:,|and|or|,\s+and)\s+", re.IGNORECASE)
_NAMING_AFTER = _re(r"\s+(?:calls?|called|renamed|has\s+renamed|names?|named)\b")


#: Longest "sentence" read at once: a longer run of text without a sentence end (a list, a
#: table, hostile input) is cut at white space, so the work per trigger stays bounded.
MAX_SENTENCE = 1000
#: Earlier events a new report is compared with (news refers back to recent events).
LOOKBACK = 40
#: Characters before a trigger that its tests (modals, negation, passives...) look at.
REACH = 250


def _bounded_sentences(text: str) -> list[tuple[int, int]]:
    """:func:`frontmap.geo.sentences`, with sentences longer than :data:`MAX_SENTENCE` cut."""
    out = []
    for a, b in sentences(text):
        while b - a > MAX_SENTENCE:
            cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
            cut = cut if cut > a else a + MAX_SENTENCE
            out.append((a, cut))
            a = cut + 1 if text[cut : cut + 1] == " " else cut
        if b > a:
            out.append((a, b))
    return out


def _main_theatre(toponyms: Sequence[Any]) -> str | None:
    """The theatre most of the toponyms belong to (None when none does)."""
    counts: dict[str, int] = {}
    for t in toponyms:
        theatre = _theatre(t)
        if theatre is not None:
            counts[theatre] = counts.get(theatre, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda k: (-counts[k], k))


def _theatre(toponym: Any) -> str | None:
    """The theatre of a toponym (the rule of :func:`frontmap.theatres.theatre_of`)."""
    lat, lon = getattr(toponym, "lat", None), getattr(toponym, "lon", None)
    if lat is None or lon is None:
        return None
    return _theatre_at(lat, lon, getattr(toponym, "kind", None), getattr(toponym, "country", None))


@functools.lru_cache(maxsize=4096)
def _theatre_at(lat: float, lon: float, kind: str | None, country: str | None) -> str | None:
    from ..theatres import theatre_of

    return theatre_of(lat, lon, kind, country)


def _realis(doc: _Text, clause: tuple[int, int], m: re.Match[str], cat: str) -> bool:
    """False when the clause makes the trigger unreal, habitual, a duration or a plan."""
    text = doc.text
    a, _ = clause
    before = text[max(a, m.start() - REACH) : m.start()]
    raw = [w.strip("\"'“”‘’(),") for w in before.split()[-6:]]
    words = [w.lower() for w in raw if w != "May"]  # the month, not the modal
    if any(w in _IRREALIS_WORDS or _NEGATED.search(w) for w in words):
        return False
    if words and words[-1] == "to" and cat != _AGREE:
        return False
    if _CONDITION.search(before) or _DURATION.search(before[-40:]):
        return False
    sentence_end = doc.sents[doc.sentence_of(m.start())][1]
    return not text[sentence_end - 1 : sentence_end] == "?"


def _gate(doc: _Text, clause: tuple[int, int], m: re.Match[str], cat: str) -> bool:
    """Trigger-specific conditions: a "took" needs territory, a "hit" a target..."""
    text, (a, b) = doc.text, clause
    word = m.group(0)
    rest = text[m.end() : min(b, m.end() + REACH)]
    if cat == _TAKE:
        if _NOT_TAKE.match(text[m.start() : m.start() + 40]):
            return False
        has_place = any(doc.toponyms[i].start >= m.end() for i in doc.toponyms_in(m.end(), b))
        if has_place or _TERRITORY_WORDS.search(rest[:80]) or word.lower() == "fall of":
            return True
        # "X, which government forces had captured", "X, taken by the regime in 2019"
        relative = _RELATIVE.match(text, a, m.start())
        passive = _BY_AFTER.match(rest) or _PASSIVE_BEFORE.search(
            text, max(a, m.start() - REACH), m.start()
        )
        s_start = doc.sents[doc.sentence_of(m.start())][0]
        place_before = any(
            m.start() - doc.toponyms[i].end < 80 for i in doc.toponyms_in(s_start, m.start())
        )
        return bool((relative or passive) and place_before)
    if cat == _PROTEST and _NOT_PROTEST.match(rest):
        return False  # "the protest movement", "demonstrators would march"
    if cat == _PROTEST and word.lower().startswith("blocked"):
        return bool(_CROWD.search(text, a, m.start()))  # activists, not an army, block a road
    if cat == _TRANSFER:
        pool = [
            x
            for x in doc.actors(doc.sentence_of(m.start()))
            if x.start < m.start() and x.how not in ("leader", "possessive")
        ]
        return bool(pool or _ARMED_WORDS.search(text[a : m.start()]))
    if cat == _STRIKE and word.lower() == "destroyed":  # "its aircraft destroyed ... posts"
        if _NOT_VERB_BEFORE.search(text, max(a, m.start() - 20), m.start()):
            return False  # "footage of destroyed tanks": an adjective
        return _weapon(text, max(a, m.start() - REACH), m.start()) is not None
    if cat in (_STRIKE, _ATTACK):
        window = text[max(a, m.start() - 60) : min(b, m.end() + 80)]
        near = (max(a, m.start() - REACH), min(b, m.end() + REACH))
        return bool(_TARGET_WORDS.search(window) or doc.toponyms_in(a, b) or _weapon(text, *near))
    if cat == _EXPLODE:
        return bool(_SHOOK.match(rest)) or bool(_WEAPON_WORDS[2][1].search(text[a:b]))
    if cat in (_CLASH,) and word.lower() in ("fighting", "fought", "battle", "battles"):
        if _ADJECTIVAL.match(rest):
            return False
        return bool(_PLACE_PREP.search(rest[:60]) or doc.toponyms_in(a, b))
    return True


def _active_kill(doc: _Text, clause: tuple[int, int], m: re.Match[str]) -> bool:
    """ "X killed ..." with an armed actor X named shortly before, in the active voice."""
    word = m.group(0).lower()
    if word not in ("killed", "killing"):
        return False
    a = max(clause[0], m.start() - 80)
    if _PASSIVE_BEFORE.search(doc.text, a, m.start()):
        return False
    frame = _REPORTING.match(doc.text, a, m.start())
    start = frame.end() if frame else a
    if _ARMED_WORDS.search(doc.text, start, m.start()):
        return True  # "gunmen killed", "militants killed"
    for x in doc.actors(doc.sentence_of(m.start())):
        if start <= x.start < m.start() and x.how not in ("metonym", "possessive", "leader"):
            kind = doc.lex.kind(x.actor) if x.actor else "group"
            if kind in ("state", "group"):
                return True
    return False


def _weapon(text: str, a: int, b: int) -> str | None:
    """The first weapon a clause names (air, shelling or explosive), by position."""
    best: tuple[int, str] | None = None
    for cat, pattern in _WEAPON_WORDS:
        m = pattern.search(text, a, b)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), cat)
    return None if best is None else best[1]


def _plural_noun(word: str, cat: str) -> bool:
    w = word.lower()
    if cat in (_CLASH, _PROTEST, _RIOT, _AGREE, _KILL) or " " in w and not w.endswith("s"):
        return False
    return w.endswith(_PLURAL_NOUNS)


_PLURAL_NOUNS = (
    "strikes", "raids", "attacks", "bombs", "shells", "rockets", "missiles", "explosions",
    "blasts", "mines", "bombardments", "assaults", "mortars",
)  # fmt: skip


_LIST_BEFORE = _re(r"(?:,|\band|\bor)\s+(?:the\s+)?$", re.IGNORECASE)
_RELATIVE = _re(r"\s*(?:which|that|where)\b", re.IGNORECASE)
_BY_AFTER = _re(r"\s+by\b", re.IGNORECASE)
_SHOOK = _re(r"\s+(?:shook|rocked|hit|struck|tore)\b", re.IGNORECASE)
_DEFINITE_SUBJECT = _re(r"\s*(?:the|they|it)\b", re.IGNORECASE)
_THE_NOUN_BEFORE = _re(r"\bthe\s+\w+\s+$", re.IGNORECASE)
_BETWEEN = _re(r"\bbetween\s", re.IGNORECASE)
_AND = _re(r"\band\b", re.IGNORECASE)
_COORDINATED = _re(r"\s*(?:and|but|or|while)\s", re.IGNORECASE)
_COORDINATED_VERB = _re(r"\s*(?:and|but|or)\s", re.IGNORECASE)
_AFTER_BEFORE = _re(r"(?:after|before)\b", re.IGNORECASE)
_SUBJECT_NOUN = _re(r"\s*(?:the|its|their)\s+(?:\w+\s+)?([a-z]+)")
_DEFINITE_PLACE = _re(
    r"\s+(?:\S+\s+){0,5}?(?:the|its)\s+(?:\w+\s+){0,2}?(?:town|city|village|base|airport|area"
    r"|district|enclave|hill|heights|post)\b(?!\s+of\s+(?:the\s+)?[A-Z])(?!\s+[A-Z])",
    re.IGNORECASE,
)
_SAID_AFTER = _re(
    r",\s+(?:[^,;]{0,60}?\s)?(?:said|says|reported|told|added|announced)\b|,\s+according\s+to\b",
    re.IGNORECASE,
)
_DESCRIBED_BY = _re(
    r"\b(?:held|controlled|run|backed|supported|loyal|allied|aligned|led|claimed|recruited|"
    r"trained|armed|funded)\s+(?:by|to|with)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_REPELLED = _re(r"repell?ed|repulsed", re.IGNORECASE)
_CAME_UNDER = _re(r"\b(?:came|come|comes|coming)\s+under\b", re.IGNORECASE)
_POSSESSIVE_PRONOUN = _re(r"\b(?:its|their)\b", re.IGNORECASE)
_POSSESSIVE_TARGET = _re(
    r"\s+(?:\w+\s+)?(?:its|their)\s+(?:\w+\s+)?(?:positions?|troops|soldiers|forces|posts?|bases?"
    r"|units|convoys?|patrols?|observation\s+posts?)\b",
    re.IGNORECASE,
)
_REPORTING = _re(
    r".*\b(?:said|says|reported|reports|told\s+\w+|added|stated|claimed|announced)\s+(?:that\s+)?",
    re.IGNORECASE | re.DOTALL,
)


def _determined(words: list[str]) -> bool:
    """The words right before a noun are a definite determiner and at most two modifiers
    ("the worst fighting", "Sunday's heavy strike"); punctuation ends the phrase."""
    for k, w in enumerate(reversed(words)):
        if w[-1:] in ',;:.)”"' or k > 2:
            return False
        low = w.strip("\"'“”‘’(").lower()
        if low in ("a", "an"):
            return False
        if low in _DETERMINERS or low.endswith(("'s", "’s")):
            return True
    return False


def _anaphoric(doc: _Text, clause: tuple[int, int], m: re.Match[str], cat: str) -> bool:
    """A definite noun ("the attack", "Monday's strike") or a definite victim "was hit"."""
    text = doc.text
    a, _ = clause
    before = text[max(a, m.start() - REACH) : m.start()]
    word = m.group(0).lower()
    words = word.split()
    noun = words[-1] in _NOUNS or (cat == _AGREE and words[0] in _AGREE_NOUNS)
    verbish = not noun
    if noun and _determined(before.split()[-3:]):
        return True
    if (
        cat in (_TAKE, _PUSH)
        and not doc.toponyms_in(*clause)
        and _DEFINITE_PLACE.match(text, m.end())
    ):
        return True  # "troops had entered the northwestern part of the town"
    if cat in (_STRIKE, _ATTACK, _SHELL, _AIR) and (verbish or word.endswith("ing")):
        cut = _REPORTING.match(before)
        subject = before[cut.end() :] if cut else before
        if _PASSIVE_BEFORE.search(subject) and _DEFINITE_SUBJECT.match(subject):
            return True
        if word in ("hit", "struck") and _THE_NOUN_BEFORE.search(subject):
            return True
    return False


def _category(doc: _Text, clause: tuple[int, int], hits: list[tuple[re.Match[str], str]]) -> str:
    """The clause's event category: its first trigger, refined by the weapons it names."""
    cats = [c for _, c in hits]
    first = cats[0]
    if first in (_CLASH, _ATTACK, _STRIKE, _EXPLODE) and (_TAKE in cats or _PUSH in cats):
        first = _TAKE if _TAKE in cats else _PUSH
    if first == _PROTEST and _RIOT in cats:
        return _RIOT
    if first == _ATTACK and _CLASH in cats:
        first = _CLASH  # "attacks around Hadrut had been repelled"
    if first in (_STRIKE, _ATTACK, _EXPLODE):
        weapon = _weapon(doc.text, *clause)
        if first == _EXPLODE:
            return weapon if weapon == _IED else _SHELL
        if weapon is not None:
            return weapon
    return first


def _sub_event(d: _Draft, doc: _Text) -> str:
    """The sub-event type of a draft, once its actors are known."""
    cat = d.cat
    if cat in _SUB:
        if cat == _PROTEST and d.deaths and d.deaths[0] > 0:
            return "Excessive force against protesters"
        return _SUB[cat]
    if cat in (_TAKE, _PUSH):
        if (
            cat == _PUSH
            and not re.match(
                r"\s+(?:from|out\s+of)\b",
                doc.text[d.trigger_end : d.trigger_end + 12],
                re.IGNORECASE,
            )
            and not doc.text[d.trigger : d.trigger_end].lower().endswith("out of")
        ):
            return "Armed clash"
        kind = doc.lex.kind(d.actor1)
        if kind == "group":
            return "Non-state actor overtakes territory"
        return "Government regains territory"
    if cat == _STRIKE:
        air = d.actor1 in _AIR_POWERS and doc.lex.kind(d.actor1) == "state" or d.actor1 == "lna"
        return _SUB[_AIR] if air else _SUB[_SHELL]
    if cat == _ATTACK and d.actor2 == "civilians":
        return "Attack"
    return "Armed clash"


#: Actors whose unspecified "strikes" are air strikes (they have air forces in these theatres).
_AIR_POWERS = frozenset(
    {"russia", "usa", "israel", "turkey", "syria", "lna", "gna", "egypt", "uae"}
)


def _pick_actor(mentions: list[ActorMention]) -> ActorMention | None:
    """A named actor before a generic one."""
    if not mentions:
        return None
    strong = [m for m in mentions if m.how != "generic" or " " in m.key]
    return (strong or mentions)[0]


def _subject(before: list[ActorMention], text: str) -> ActorMention | None:
    """The acting actor among the mentions before a trigger ("rebels of the NFL" → the NFL)."""
    first = _pick_actor(before)
    if first is None:
        return None
    i = before.index(first)
    if i + 1 < len(before) and re.fullmatch(
        r"\s+of\s+(?:the\s+)?", text[first.end : before[i + 1].start]
    ):
        return before[i + 1]
    return first


def _resolved(doc: _Text, d: _Draft, m: ActorMention | None) -> str | None:
    if m is None:
        return None
    if m.how != "generic":
        return m.actor
    return doc.lex.resolve(m, d.theatre or doc.theatre, d.day)


def _parties(doc: _Text, d: _Draft, ms: list[ActorMention]) -> list[str]:
    """The parties to an agreement: after "by" or "between", else before the verb."""
    text = doc.text
    clause = [m for m in ms if d.start <= m.start < d.end and m.how != "generic"]
    by = _PARTIES_BY.search(text, d.trigger_end, min(d.end, d.trigger_end + 40))
    if by is not None and "," in text[d.trigger_end : by.start()]:
        by = None
    between = _BETWEEN.search(text, d.trigger, d.trigger_end + 12)
    by = between or by
    noun_first = text[d.trigger : d.trigger_end].split()[0].lower() in _AGREE_NOUNS
    if by is not None:
        pool = [m for m in clause if m.start >= by.end()]
    elif noun_first:
        # "Under a deal reached in Sochi, Turkey and Russia agreed to ...": the later verb's
        # subjects; "the agreement signed in Sochi" alone names no parties.
        verb = _AGREE_VERB.search(text, d.trigger_end, d.end)
        pool = [m for m in clause if verb and d.trigger_end <= m.start < verb.start()]
        if _WHICH.search(text, d.trigger, d.trigger_end):  # "the truce, which X and Y agreed"
            pool = [m for m in ms if d.trigger <= m.start < d.trigger_end]
    else:
        cut = _REPORTING.match(text, d.start, d.trigger) or _RELATIVE_CUT.match(
            text, d.start, d.trigger
        )
        start = cut.end() if cut else d.start
        pool = [m for m in clause if start <= m.start < d.trigger]
    out: list[str] = []
    for m in pool:
        actor = _resolved(doc, d, m)
        if actor is not None and doc.lex.kind(actor) != "people" and actor not in out:
            out.append(actor)
    if not out and by is None and not noun_first:
        out = _pronoun_actors(doc, d, ms)
    return out


_RELATIVE_CUT = _re(r".*\b(?:where|which|who|whom)\s", re.IGNORECASE | re.DOTALL)
_WHICH = _re(r"\b(?:which|that)\s", re.IGNORECASE)
_PARTIES_BY = _re(r"\bby\s", re.IGNORECASE)
_AGREE_VERB = _re(r"\b(?:agreed|signed|reached|negotiated|brokered|concluded)\b", re.I)


_AGREE_NOUNS = frozenset(
    "ceasefire cease-fire ceasefires truce truces deal deals agreement agreements accord accords "
    "memorandum memorandums memoranda protocol protocols armistice armistices".split()
)


def _by_agent(doc: _Text, d: _Draft, after: list[ActorMention]) -> tuple[str | None, bool]:
    """The agent of a passive ("by forces loyal to Haftar"): (actor, found)."""
    text = doc.text
    by = _BY_AGENT.search(text, d.trigger_end, min(d.end, d.trigger_end + 30))
    if by is None or "," in text[d.trigger_end : by.start()]:
        return None, False
    if _UNIDENTIFIED.match(text, by.end()):
        return None, True
    m = next((x for x in after if x.start >= by.end()), None)
    if m is None or m.start - by.end() > 60:
        return None, False
    return _resolved(doc, d, m), True


def _actors(doc: _Text, d: _Draft) -> None:
    """actor1 and actor2 of a draft (see the module's docstring)."""
    ms = [m for m in doc.actors(d.sentence) if m.how != "possessive"]
    if d.cat == _AGREE:
        parties = _parties(doc, d, ms)
        d.actor1 = parties[0] if parties else None
        d.actor2 = parties[1] if len(parties) > 1 else None
    else:
        agent, victim = _roles(doc, d, ms)
        d.actor1, d.actor2 = agent, (victim if victim != agent else None)
    _people(doc, d)


def _roles(doc: _Text, d: _Draft, ms: list[ActorMention]) -> tuple[str | None, str | None]:
    """(agent, victim) of a violent or other event."""
    text = doc.text
    clause = [m for m in ms if d.start <= m.start < d.end]
    speaker = _SAID_AFTER.search(text, d.trigger_end, d.end)  # ", the ministry said"
    stop = speaker.start() if speaker else d.end
    after_all = [m for m in clause if d.trigger <= m.start < stop]
    frame = _REPORTING.match(text, d.start, d.trigger)  # "X said (that) ...": X is a speaker
    before = [m for m in clause if (frame.end() if frame else d.start) <= m.start < d.trigger]
    agent, by_found = _by_agent(doc, d, after_all)
    if by_found:
        after_all = [m for m in after_all if m.start < d.trigger_end]
    after = [
        m
        for m in after_all
        if m.how != "metonym" and not _DESCRIBED_BY.search(text, max(0, m.start - 30), m.start)
    ]  # "shelled Baku": a place; "a town held by the SNA": a description
    victim, before = _victims(doc, d, ms, before)
    subject = _subject(before, text)
    if by_found:
        if victim is None:
            victim = _resolved(doc, d, subject) or _pronoun_victim(doc, d, ms, d.start, d.trigger)
    elif subject is not None:
        agent = _resolved(doc, d, subject)
        rest = [m for m in before if m.start > subject.end and m.actor != subject.actor]
        joint = rest and _AND.search(text, subject.end, rest[0].start)
        if victim is None and rest and (not joint or d.cat == _CLASH):
            victim = _resolved(doc, d, rest[0])  # "X subjected Y to fire"; "X and Y clashed"
    if (
        agent is None
        and not by_found
        and len(after_all) >= 2
        and _BETWEEN.search(text, d.trigger_end, after_all[0].start)
    ):
        agent, victim = _resolved(doc, d, after_all[0]), _resolved(doc, d, after_all[1])
        after = []
    if victim is None and after:
        victim = _resolved(doc, d, _pick_actor(after))
        if _REPELLED.match(text, d.trigger) and not by_found and victim is not None:
            agent, victim = victim, agent  # "X repelled a Y advance": Y attacked X
    if victim is None and _POSSESSIVE_TARGET.match(text, d.trigger_end):
        victim = _pronoun_victim(doc, d, ms, d.trigger_end, d.trigger_end + 12)
    if agent is None and not by_found:
        agent = _fallback_agent(doc, d, ms)
    return agent, victim


def _victims(
    doc: _Text, d: _Draft, ms: list[ActorMention], before: list[ActorMention]
) -> tuple[str | None, list[ActorMention]]:
    """The victim named as the subject of a passive ("33 soldiers were killed", "its posts came
    under fire"), and the mentions left before the trigger."""
    text = doc.text
    passive = _PASSIVE_VICTIM.search(text, d.start, min(d.end, d.trigger_end + 40))
    if passive is None or passive.start() > d.trigger_end:
        passive = _CAME_UNDER.search(text, d.start, d.trigger_end)
    if passive is None:
        return None, before
    pick = _pick_actor([m for m in before if m.end <= passive.start()])
    victim = _resolved(doc, d, pick)
    if victim is None:
        victim = _pronoun_victim(doc, d, ms, d.start, passive.start())
    return victim, [m for m in before if m.start >= passive.end()]


def _pronoun_victim(doc: _Text, d: _Draft, ms: list[ActorMention], a: int, b: int) -> str | None:
    """What "its" or "their" stands for in ``text[a:b]`` ("its positions"), if anything."""
    m = _POSSESSIVE_PRONOUN.search(doc.text, a, b)
    if m is None:
        return None
    found = _referents(doc, d, ms, m.start())
    return found[0] if found else None


def _fallback_agent(doc: _Text, d: _Draft, ms: list[ActorMention]) -> str | None:
    """An agent the clause does not name: a pronoun's ("its troops"), a coordinated clause's
    ("..., and had retaken"), or for fighting the sentence's actor."""
    pronoun = _pronoun_actors(doc, d, ms)
    if pronoun:
        return pronoun[0]
    earlier = [m for m in ms if m.start < d.start]
    if _COORDINATED_VERB.match(doc.text, d.start):
        return _resolved(doc, d, _subject(earlier, doc.text))
    if d.cat == _CLASH and earlier:
        return _resolved(doc, d, _pick_actor(earlier))
    return None


def _pronoun_actors(doc: _Text, d: _Draft, ms: list[ActorMention]) -> list[str]:
    """What "it", "they", "its troops" stand for: the sentence's (or the previous one's) actors."""
    m = _PRONOUN_AGENT.search(doc.text, d.start, d.trigger + 1)
    return [] if m is None else _referents(doc, d, ms, m.start())


def _referents(doc: _Text, d: _Draft, ms: list[ActorMention], pos: int) -> list[str]:
    """The actors a pronoun at ``pos`` may stand for: those named before it in its sentence
    (a possessor too: "Azerbaijan's ministry said its troops"), else in the previous one."""
    pool = [x for x in doc.actors(d.sentence) if x.end <= pos]
    if not pool and d.sentence > 0:
        pool = doc.actors(d.sentence - 1)
    out: list[str] = []
    for x in pool:
        actor = _resolved(doc, d, x)
        if actor is not None and doc.lex.kind(actor) != "people" and actor not in out:
            out.append(actor)
    return out


def _people(doc: _Text, d: _Draft) -> None:
    """Civilians, protesters and rioters: by the event's kind and the sentence's victims."""
    if d.cat == _PROTEST:
        d.actor1 = "protesters" if d.actor1 in (None, "civilians", "rioters") else d.actor1
        d.actor2 = None
        a, b = doc.sents[d.sentence]
        force = _INTERVENTION.search(doc.text, d.trigger_end, b)
        if force is not None:  # "...; police dispersed them with tear gas"
            d.cat = _PROTEST_FORCE
            ms = [
                m
                for m in doc.actors(d.sentence)
                if m.start >= d.trigger_end and m.how != "possessive"
            ]
            near = [m for m in ms if force.start() - 80 <= m.start < force.start()]
            d.actor2 = _resolved(doc, d, _pick_actor(near))
        return
    if d.cat == _RIOT:
        if d.actor1 in (None, "protesters", "civilians"):
            d.actor1 = "rioters"
        return
    if d.family in ("remote", "civilians", "violence") and d.actor2 in (None, "civilians"):
        a, b = doc.sents[d.sentence]
        if _CIVILIAN_VICTIMS.search(doc.text, a, b):
            d.actor2 = "civilians"
    if d.cat in (_ABDUCT, _ARREST, _VAC) and d.actor2 is None:
        a, b = d.trigger_end, d.end
        if not _ARMED_WORDS.search(doc.text, a, b) and not re.search(
            r"\bcommanders?\b", doc.text[a:b], re.IGNORECASE
        ):
            d.actor2 = "civilians"  # "abducted an aid worker", "arrested a journalist"
    if d.actor1 == "civilians":
        d.actor1 = None
    if d.family == "battle" and d.actor2 == "civilians":
        d.actor2 = None


def _place(doc: _Text, d: _Draft) -> None:
    """The draft's places: in its clause, else its sentence (outside other events' clauses),
    else the previous sentence of its paragraph; a place that names an actor ("Ankara
    said") is left out."""
    start = d.start
    if _RELATIVE.match(doc.text, d.start):
        start = max(doc.sents[d.sentence][0], d.start - 80)  # the antecedent: "X, which ..."
    spans = [(start, d.end), doc.sents[d.sentence]]
    if d.sentence > 0 and doc.paragraph_of(doc.starts[d.sentence - 1]) == d.paragraph:
        spans.append(doc.sents[d.sentence - 1])
    for k, (a, b) in enumerate(spans):
        si = d.sentence - 1 if k == 2 else d.sentence
        actor_spans = [
            (m.start, m.end)
            for m in doc.actors(si)
            if m.how != "metonym" or k > 0 or m.start < d.trigger or d.cat == _AGREE
        ]
        cands = [
            i
            for i in doc.toponyms_in(a, b)
            if not any(x <= doc.toponyms[i].start < y for x, y in actor_spans)
            and not (doc.headline and doc.toponyms[i].start < doc.headline and not d.headline)
            and not (k > 0 and doc.in_other_event(doc.toponyms[i].start, (d.start, d.end)))
        ]
        order, precision = locate(
            doc.text, doc.toponyms, cands, d.trigger, d.trigger_end, origins=d.cat == _AGREE
        )
        if order:
            d.places, d.geo_precision, d.place_from = order, precision, k
            d.theatre = _theatre(doc.toponyms[order[0]])
            return


def _when(doc: _Text, d: _Draft, previous: _Draft | None = None) -> None:
    """The draft's date: from its clause, else its sentence (outside other events'
    clauses), else the article's date with time precision 2; "the same day" is the
    previous event's."""
    text = doc.text
    if previous is not None and previous.day is not None and _SAME_DAY.search(text, d.start, d.end):
        d.day, d.time_precision = previous.day, previous.time_precision
        return
    got = event_date(text, d.start, d.end, doc.day, d.trigger)
    head = max(doc.sents[d.sentence][0], d.start - 30)
    lead = _LEAD_TIME.search(text[head : d.start])
    if got is None and lead is not None and _AFTER_BEFORE.match(text, d.start):
        got = event_date(text, head + lead.start(), d.start + 7, doc.day, d.trigger)
    clauses = doc.clauses(d.sentence)
    k = clauses.index((d.start, d.end)) if (d.start, d.end) in clauses else -1
    if (
        got is None
        and k > 0
        and (_COORDINATED.match(text, d.start) or _AFTER_BEFORE.match(text, d.start))
    ):
        got = event_date(text, *clauses[k - 1], doc.day)  # "clashed in June, and in Zawiya ..."
    if got is None and k > 0 and not doc.in_other_event(clauses[0][0], (d.start, d.end)):
        got = event_date(text, *clauses[0], doc.day)  # "On Tuesday, a day after ..., rebels fired"
    if got is None and doc.day is not None:
        got = (doc.day, 2)
    if got is not None:
        d.day, d.time_precision = got


#: "Two weeks" before a clause that begins "after ...".
_SAME_DAY = _re(r"\b(?:the\s+same\s+day|later\s+that\s+day|that\s+(?:same\s+)?day)\b", re.I)
_LEAD_TIME = _re(r"(?:\b\w+\s+){1,2}(?:days?|weeks?|months?|years?)\s*,?\s*$", re.I)


def _deaths(doc: _Text, d: _Draft) -> tuple[int, bool] | None:
    """Fatalities from the clause, else from clauses of its sentence that report no other event."""
    deaths = fatalities(doc.text, d.start, d.end)
    if deaths is None:
        for a, b in doc.clauses(d.sentence):
            if (a, b) != (d.start, d.end) and not doc.in_other_event(a, (d.start, d.end)):
                deaths = fatalities(doc.text, a, b)
                if deaths is not None:
                    break
    if deaths and deaths[0] == 0 and _FAMILY.get(d.cat) not in (*_VIOLENT, "demonstration"):
        return None
    return deaths


def _draft(
    doc: _Text,
    clause: tuple[int, int],
    hits: list[tuple[re.Match[str], str]],
    previous: _Draft | None = None,
) -> _Draft:
    flags = [_anaphoric(doc, clause, m, c) for m, c in hits]
    take = next((h for h in hits if h[1] in (_TAKE, _PUSH)), None)
    if not all(flags):  # "hours after the raid, troops shelled the town": the new event
        hits = [h for h, f in zip(hits, flags, strict=True) if not f]
        if take is not None and take not in hits and hits[0][1] in (_CLASH, _ATTACK):
            hits = [*hits, take]  # "launched a counter-attack and retook parts of the town"
    m, _ = hits[0]
    si = doc.sentence_of(m.start())
    cat = _category(doc, clause, hits)
    if cat in (_ATTACK, _STRIKE) and previous is not None and previous.family == "remote":
        if previous.sentence >= si - 2 and previous.cat in _WEAPONS:
            cat = previous.cat  # "Warplanes struck X. A second raid hit Y."
    d = _Draft(
        start=clause[0],
        end=clause[1],
        cat=cat,
        trigger=m.start(),
        trigger_end=m.end(),
        sentence=si,
        paragraph=doc.paragraph_of(m.start()),
        anaphoric=all(flags),
        headline=bool(doc.headline) and m.start() < doc.headline,
        last=si,
    )
    _place(doc, d)
    _when(doc, d, previous)
    _actors(doc, d)
    d.deaths = _deaths(doc, d)
    d.sub_event_type = _sub_event(d, doc)
    return d


# ----------------------------------------------------------------------------- merging


def _compatible(first: _Draft, later: _Draft) -> bool:
    if first.family == later.family:
        return True
    return later.family == "violence" and first.family in _VIOLENT


def _same_place(x: _Draft, y: _Draft, doc: _Text) -> bool:
    if not x.places or not y.places:
        return False
    tx, ty = doc.toponyms[x.places[0]], doc.toponyms[y.places[0]]
    return _place_key(tx) == _place_key(ty)


def _place_key(toponym: Any) -> Any:
    """What identifies a place: its gazetteer id, else its name, else its point."""
    return (
        getattr(toponym, "gazetteer_id", None)
        or getattr(toponym, "name", None)
        or (getattr(toponym, "lat", None), getattr(toponym, "lon", None))
    )


def _same_time(x: _Draft, y: _Draft) -> bool:
    if x.day is None or y.day is None or x.day == y.day:
        return True
    coarse = max(x.time_precision or 3, y.time_precision or 3)
    if coarse >= 3:
        return x.day.year == y.day.year
    return coarse >= 2 and abs((x.day - y.day).days) <= 7


def _absorb(first: _Draft, later: _Draft, doc: _Text) -> None:
    """Merge a later report of the same event into the first one."""
    first.mentions.append((later.start, later.end))
    first.last = max(first.last, later.last)
    if later.deaths is not None:
        if first.deaths is None or (first.deaths[1] and not later.deaths[1]):
            first.deaths = later.deaths
        elif first.deaths[1] == later.deaths[1]:
            first.deaths = min(first.deaths, later.deaths)
    if later.places and (
        not first.places
        or later.place_from < first.place_from
        or (
            later.place_from == first.place_from
            and _rank(doc.toponyms[later.places[0]]) < _rank(doc.toponyms[first.places[0]])
        )
    ):
        first.places = later.places + [i for i in first.places if i not in later.places]
        first.geo_precision, first.place_from = later.geo_precision, later.place_from
        first.theatre = later.theatre or first.theatre
    if first.actor1 is None and later.actor1 not in (None, first.actor2):
        first.actor1 = later.actor1
    if first.actor2 is None and later.actor2 not in (None, first.actor1):
        first.actor2 = later.actor2
    if later.time_precision is not None and (
        first.time_precision is None or later.time_precision < first.time_precision
    ):
        first.day, first.time_precision = later.day, later.time_precision
    if first.cat in (_TAKE, _STRIKE):
        first.sub_event_type = _sub_event(first, doc)


def _head_noun(doc: _Text, d: _Draft) -> str | None:
    """The noun an anaphor names: the victim of "the convoy ... had been hit", else the
    trigger's own noun ("the attack")."""
    text = doc.text
    frame = _REPORTING.match(text, d.start, d.trigger)
    subject = text[frame.end() if frame else d.start : d.trigger]
    m = _SUBJECT_NOUN.match(subject)
    if m is not None and _PASSIVE_BEFORE.search(subject):
        return m.group(1).rstrip("s") or None
    words = text[d.trigger : d.trigger_end].lower().split()
    return words[-1].rstrip("s") if words else None


def _has_word(text: str, word: str) -> bool:
    """``word`` (or its plural) is a word of ``text``."""
    low = text.lower()
    pos = low.find(word)
    while pos >= 0:
        end = pos + len(word) + (low.startswith("s", pos + len(word)))
        if (pos == 0 or not low[pos - 1].isalnum()) and (end >= len(low) or not low[end].isalnum()):
            return True
        pos = low.find(word, pos + 1)
    return False


def _same_agreement(e: _Draft, d: _Draft, doc: _Text) -> bool:
    pair = {d.actor1, d.actor2} - {None}
    same = _same_place(e, d, doc) or bool(pair and pair == {e.actor1, e.actor2} - {None})
    return same and _same_time(e, d)


def _target(doc: _Text, events: list[_Draft], d: _Draft) -> _Draft | None:
    """The earlier event a draft reports again, if any."""
    if d.anaphoric and d.cat == _AGREE:
        # "the ceasefire went into force": the latest agreement, unless this one has a place
        # or parties of its own ("the memorandum agreed in Sochi in 2018").
        earlier = [e for e in reversed(events[-LOOKBACK:]) if e.cat == _AGREE]
        same = next((e for e in earlier if _same_agreement(e, d, doc)), None)
        if same is not None or d.place_from == 0 or d.actor1 is not None:
            return same
        return earlier[0] if earlier else None
    if d.anaphoric:
        found = [e for e in reversed(events[-LOOKBACK:]) if _compatible(e, d)]
        head = _head_noun(doc, d)
        if head:
            for e in found:
                spans = [(e.start, e.end), *e.mentions]
                if any(_has_word(doc.text[a:b], head) for a, b in spans):
                    return e
        return found[0] if found else None
    for e in reversed(events[-LOOKBACK:]):
        if d.cat == _AGREE and e.cat == _AGREE:
            if _same_agreement(e, d, doc):
                return e
        elif d.cat == _TRANSFER and e.cat in (_TAKE, _PUSH) and not d.places:
            if e.last >= d.sentence - 2 and doc.paragraph_of(doc.starts[e.last]) == d.paragraph:
                if e.actor2 is None and d.actor1 != e.actor1:
                    e.actor2 = d.actor1
                return e
        elif (
            d.sub_event_type == e.sub_event_type
            and d.place_from == 0
            and _same_place(e, d, doc)
            and _same_time(e, d)
        ):
            return e
    return None


def _merge(doc: _Text, drafts: list[_Draft]) -> list[_Draft]:
    body = [d for d in drafts if not d.headline]
    heads = [d for d in drafts if d.headline]
    events: list[_Draft] = []
    for d in body:
        target = _target(doc, events, d) or _protest_arrests(doc, events, d)
        if target is not None:
            _absorb(target, d, doc)
        elif not d.anaphoric or d.place_from == 0:
            events.append(d)
    for h in heads:
        target = next((e for e in events if _compatible(e, h) or _compatible(h, e)), None)
        if target is not None:
            target.mentions.insert(0, (h.start, h.end))
        else:
            events.insert(0, h)
    return events


def _protest_arrests(doc: _Text, events: list[_Draft], d: _Draft) -> _Draft | None:
    """ "Police detained several protesters" after a protest: the protest met force."""
    if d.cat != _ARREST or not events or not _PROTESTERS.search(doc.text, d.start, d.end):
        return None
    e = events[-1]
    if e.cat not in (_PROTEST, _PROTEST_FORCE) or e.last < d.sentence - 1:
        return None
    e.cat, e.sub_event_type = _PROTEST_FORCE, _SUB[_PROTEST_FORCE]
    d.actor2 = d.actor1 if d.actor1 != "protesters" else None  # the arresting force
    return e


_PROTESTERS = _re(r"\b(?:protesters|protestors|demonstrators|activists)\b", re.IGNORECASE)


def _zero_reports(doc: _Text, events: list[_Draft]) -> None:
    """ "No one was hurt" right after an event tells its fatalities."""
    for e in events:
        if e.deaths is not None or e.family not in (*_VIOLENT, "demonstration"):
            continue
        nxt = e.last + 1
        if nxt < len(doc.sents):
            a, b = doc.sents[nxt]
            if _ZERO.search(doc.text, a, b) and not _TRIGGER_RE.search(doc.text, a, b):
                e.deaths = (0, False)
                e.mentions.append((a, b))


# ----------------------------------------------------------------------------- entry point


#: Every word a trigger can begin with (lower case; hyphenated words split). The text's
#: words are intersected with this set (in C: ``bytes.translate``, ``split``, ``set``), and
#: the trigger expression tried only where one of them stands: the same matches as
#: ``_TRIGGER_RE.finditer`` at a fraction of the cost (checked by the tests).
_FIRST_WORDS = frozenset(
    """suicide sarin chlorine chemical nerve toxic roadside improvised ied ieds land landmine
    landmines car bomb bombs booby explosive air airstrike airstrikes airraid airraids drone
    barrel cluster bombing bombed aerial grenade grenades shell shells shelled shelling
    artillery mortar mortars rocket rockets missile missiles bombard bombarded bombardment
    bombardments pounded shot grad signed agreed reached brokered negotiated concluded sealed
    struck cease ceasefire ceasefires truce truces deal deals agreement agreements accord
    accords memorandum memorandums memoranda protocol protocols armistice armistices pushed
    push drove driven forced captured captures capture capturing took taken seized seizes
    seize seizing retook retaken recaptured recaptures recapture recapturing regained regains
    regain overran overrun entered advanced liberated liberation fell fall stormed withdrew
    withdrawn withdrawal withdrawing pulled pull pullout retreated redeployed handed handover
    hand abduct abducted abduction abductions abducts kidnapped kidnaped kidnapping kidnappings
    kidnaping forcibly executed execution executions massacre massacred massacres gunned
    tortured arrest arrested arrests detained detention rounded riot riots rioters rioted
    rioting broke torched set lynched protest protests protested protesters protestors
    demonstrators demonstration demonstrations demonstrated rally rallies rallied sit marched
    clash clashes clashed fighting fought battle battles firefight firefights gun gunfight
    gunfights gunbattle gunbattles skirmish skirmishes skirmished ambush ambushed ambushes
    repelled repeled repulsed infiltration exchanged exchange exchanges counter counterattack
    counterattacks counterattacked explosion explosions exploded blast blasts attack attacks
    attacked attacking assault assaults assaulted raid raids raided strike strikes striking
    hit hits killed killing dead died slain lost vehicle vehicles cars motorcycle motorcycles
    motorbike motorbikes truck trucks blew prisoner prisoners detainee detainees captive captives
    exchanges swapped intercepted downed brought destroyed pact pacts treaty treaties roadmap
    roadmaps road plan plans understanding understandings arrangement arrangements settlement
    settlements blocked""".split()
)
#: Bytes that are not ASCII lower-case letters, mapped to spaces (the words of
#: :data:`_FIRST_WORDS` are found in a text's UTF-8 bytes, lower-cased, with this table).
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
_FIRST_BYTES = frozenset(w.encode("ascii") for w in _FIRST_WORDS)


def _trigger_matches(text: str) -> list[re.Match[str]]:
    """The matches of ``_TRIGGER_RE.finditer(text)``, looked for only at candidate words."""
    low = text.lower()
    if len(low) != len(text):  # lower() changed the length: offsets would not agree
        return list(_TRIGGER_RE.finditer(text))
    words = _FIRST_BYTES.intersection(low.encode("utf-8").translate(_LETTERS_ONLY).split())
    if not words:
        return []
    starts = set()
    n = len(low)
    for word in words:
        w = word.decode("ascii")
        pos = low.find(w)
        while pos >= 0:
            after = pos + len(w)
            if (pos == 0 or not "a" <= low[pos - 1] <= "z") and (
                after == n or not "a" <= low[after] <= "z"
            ):
                starts.add(pos)
            pos = low.find(w, after)
    out: list[re.Match[str]] = []
    end = 0
    for pos in sorted(starts):
        if pos < end:
            continue
        m = _TRIGGER_RE.match(text, pos)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def _triggers(text: str) -> list[tuple[re.Match[str], str]]:
    out = []
    for m in _trigger_matches(text):
        cat = m.lastgroup or ""
        if (
            cat == _IED
            and m.group(0).lower().startswith("ied")
            and not m.group(0).startswith("IED")
        ):
            continue
        out.append((m, cat))
    return out


def extract_events(
    text: str,
    toponyms: Sequence[Any] = (),
    date: dt.date | None = None,
    *,
    lexicon_: ActorLexicon | None = None,
) -> list[Event]:
    """The events a text reports.

    Parameters
    ----------
    text : str
        The text (an article, or one window of a long one).
    toponyms : sequence of Toponym
        Its resolved toponyms in text order (:func:`frontmap.geo.geoparse`); any
        objects with ``start``, ``end``, ``name``, ``kind``, ``lat``, ``lon``,
        ``country``, ``precision`` and ``gazetteer_id`` will do.
    date : datetime.date, optional
        The article's date: "on Monday" is resolved from it, and an event the
        text gives no time for takes it (time precision 2).
    lexicon_ : ActorLexicon, optional
        Defaults to the shipped one (:func:`frontmap.geo.actors.lexicon`).

    Returns
    -------
    list of Event
        In text order of their first report (a headline's event at the place of
        the body's report of it).

    Examples
    --------
    >>> [e.sub_event_type for e in extract_events("Rebels shelled the town on Monday.")]
    ['Shelling/artillery/missile attack']
    """
    try:
        return _extract_events(text, toponyms, date, lexicon_)
    finally:
        _regex.save()  # the expressions compiled for this text, when they are new


def _extract_events(
    text: str, toponyms: Sequence[Any], date: dt.date | None, lexicon_: ActorLexicon | None
) -> list[Event]:
    hits = _triggers(text)
    if not hits:
        return []
    doc = _Text(text, toponyms, date, lexicon_ or lexicon())
    by_clause: dict[tuple[int, int], list[tuple[re.Match[str], str]]] = {}
    for m, cat in hits:
        si = doc.sentence_of(m.start())
        clause = doc.clause_of(si, m.start())
        if cat == _KILL:
            if not _active_kill(doc, clause, m):
                continue
            cat = _ATTACK  # "HTS fighters killed four soldiers": an attack (its victims decide)
        if not _realis(doc, clause, m, cat):
            continue
        if not _gate(doc, clause, m, cat) and not (
            cat in (_ATTACK, _STRIKE, _CLASH) and _anaphoric(doc, clause, m, cat)
        ):
            continue
        if _plural_noun(m.group(0), cat) and not doc.toponyms_in(*clause):
            continue
        by_clause.setdefault(clause, []).append((m, cat))
    doc.event_clauses = set(by_clause)
    drafts: list[_Draft] = []
    for clause, found in sorted(by_clause.items()):
        drafts.append(_draft(doc, clause, found, drafts[-1] if drafts else None))
    events = _merge(doc, drafts)
    _zero_reports(doc, events)
    for e in events:
        e.theatre = e.theatre or doc.theatre
    return [_freeze(d) for d in events]


def _freeze(d: _Draft) -> Event:
    return Event(
        start=d.start,
        end=d.end,
        event_type=EVENT_TYPES[d.sub_event_type],
        sub_event_type=d.sub_event_type,
        actor1=d.actor1,
        actor2=d.actor2,
        fatalities=None if d.deaths is None else d.deaths[0],
        event_date=None if d.day is None else d.day.isoformat(),
        time_precision=d.time_precision,
        toponyms=tuple(d.places),
        geo_precision=d.geo_precision,
        mentions=tuple(sorted(set(d.mentions))),
        theatre=d.theatre,
    )
