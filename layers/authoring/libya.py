"""Libya: areas of control of the GNA and the LNA, fronts, the Sirte-Jufra line, air bases.

All anchors are (lat, lon). The LNA's area is drawn as a ring whose western edge
is the front (through the towns each side held, as in Wikipedia's articles on
the Western Libya campaign and the 2020 GNA counter-offensive); its closure runs
through the sea and the neighbouring countries and is clipped to Libya. The GNA
holds the rest of Libya.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape

from ...theatres import get_theatre
from .common import (
    LatLon,
    Snapshot,
    clean_lines,
    control_series,
    country,
    feature,
    line,
    point,
    poly,
)

THEATRE = "libya"
METRIC = get_theatre("libya").metric_crs  # transverse Mercator on 17.25°E
START = "2019-04-04"  # the LNA offensive on Tripoli

# Closure through Algeria, Niger, Sudan and the sea, from the south-western end of
# the front (Algerian border) back to the sea north of the coastal front.
_CLOSURE_SW: list[LatLon] = [(29.0, 9.0), (18.5, 9.0), (18.5, 26.0), (34.0, 26.0)]

# The LNA's line in the south-west: Fezzan (Sabha, Ubari, Ghat) LNA since early 2019;
# Ghadames, Darj, Nalut and Zintan with the GNA.
_FEZZAN: list[LatLon] = [(29.95, 12.50), (29.75, 11.50), (29.55, 10.40), (29.40, 9.65)]

# Until January 2020 the GNA (Misrata's forces) held Sirte; the LNA held the oil crescent.
_EAST_OF_SIRTE: list[LatLon] = [
    (34.0, 17.10),
    (31.60, 17.10),
    (30.95, 17.05),
    (30.60, 16.85),
    (30.10, 16.55),
    (29.70, 16.30),
    (29.55, 15.70),  # north of al-Jufra (Hun, Waddan, Sokna)
]

# After Sirte (6 January 2020): the LNA up to the approaches of Abu Grein.
_WEST_OF_SIRTE_2020_01: list[LatLon] = [
    (34.0, 15.90),
    (31.40, 15.90),  # al-Washka, on the coast road to Abu Grein
    (31.10, 15.65),
    (30.70, 15.20),
]

# The Tripoli salient, April 2019: from al-Jufra via Bani Walid to Tarhuna and the southern
# suburbs of Tripoli, back via Gharyan and Mizda.
_SALIENT_EAST: list[LatLon] = [
    (30.50, 15.00),
    (31.30, 14.60),
    (31.75, 14.30),  # east of Bani Walid
    (32.10, 14.15),
    (32.45, 14.12),  # east of Tarhuna
    (32.60, 14.08),  # Msallata
    (32.68, 13.80),
    (32.72, 13.45),  # Wadi al-Rabie
    (32.78, 13.27),  # Ain Zara
    (32.78, 13.20),  # Salah al-Din
    (32.73, 13.12),  # Tripoli airport (LNA)
    (32.66, 13.05),  # Qasr bin Ghashir, al-Swani
]
_SALIENT_WEST_2019_04: list[LatLon] = [
    (32.55, 12.97),  # west of al-Aziziya
    (32.35, 12.90),
    (32.20, 12.95),  # west of Gharyan (LNA from 4 April 2019)
    (31.90, 12.85),
    (31.50, 12.90),  # Mizda
    (30.80, 13.10),
    (30.30, 13.20),
]
# Gharyan retaken by the GNA (26 June 2019): the salient is supplied via Tarhuna and Bani Walid.
_SALIENT_WEST_2019_06: list[LatLon] = [
    (32.55, 13.05),
    (32.40, 13.20),
    (32.15, 13.35),  # east of Gharyan
    (31.70, 13.50),
    (31.20, 13.70),
    (30.60, 13.60),
    (30.30, 13.20),
]

# After Tarhuna (5 June 2020) and the GNA's advance to the Sirte-Jufra line.
_FRONT_2020_06: list[LatLon] = [
    (34.0, 16.25),
    (31.30, 16.25),  # the GNA at Wadi Jaref / al-Washka, west of Sirte (LNA)
    (30.90, 16.10),
    (30.40, 15.80),
    (29.80, 15.50),  # west of al-Jufra
    (29.60, 15.00),
    (30.15, 14.40),  # north of al-Shwayrif (LNA)
    (30.10, 13.80),
]

# LNA-aligned towns of the western coast (Sabratha, Surman, al-Ajaylat, al-Jumayl,
# Riqdalin) and the al-Watiya air base, until 13 April / 18 May 2020.
WEST_COAST = poly(
    [
        (33.00, 12.18),
        (33.00, 12.64),
        (32.76, 12.64),  # east of Surman
        (32.60, 12.55),
        (32.45, 12.05),
        (32.38, 11.82),
        (32.55, 11.78),
        (32.80, 11.98),
        (32.89, 12.10),  # between Zuwara (GNA) and al-Jumayl
    ]
)
WATIYA = poly([(32.56, 11.78), (32.56, 12.02), (32.38, 12.02), (32.38, 11.78)])


def _lna(*paths: list[LatLon]) -> Any:
    ring: list[LatLon] = []
    for p in paths:
        ring.extend(p)
    return poly(ring + _FEZZAN + _CLOSURE_SW)


LNA_2019_04 = _lna(_EAST_OF_SIRTE, _SALIENT_EAST, _SALIENT_WEST_2019_04)
LNA_2019_06 = _lna(_EAST_OF_SIRTE, _SALIENT_EAST, _SALIENT_WEST_2019_06)
LNA_2020_01 = _lna(_WEST_OF_SIRTE_2020_01, _SALIENT_EAST, _SALIENT_WEST_2019_06)
LNA_2020_06 = _lna(_FRONT_2020_06)

_W = "Wikipedia: Western Libya campaign (2019-2020)"


def snapshots() -> list[Snapshot]:
    """Control snapshots, April 2019 to the present (the October 2020 ceasefire)."""
    return [
        Snapshot(
            "2019-04-04",
            "April 2019 (LNA offensive on Tripoli)",
            f"{_W}: the LNA offensive from 4 April 2019 (Gharyan, Tarhuna, southern Tripoli); "
            "LNA-aligned Sabratha and Surman; Sirte with the GNA.",
            12.0,
            [("lna", LNA_2019_04), ("lna", WEST_COAST)],
        ),
        Snapshot(
            "2019-06-26",
            "June 2019 (Gharyan retaken by the GNA)",
            f"{_W}: the GNA retook Gharyan on 26 June 2019.",
            12.0,
            [("lna", LNA_2019_06), ("lna", WEST_COAST)],
        ),
        Snapshot(
            "2020-01-06",
            "January 2020 (after Sirte)",
            f"{_W}: the LNA took Sirte on 6 January 2020.",
            12.0,
            [("lna", LNA_2020_01), ("lna", WEST_COAST)],
        ),
        Snapshot(
            "2020-04-13",
            "April 2020 (western coast retaken by the GNA)",
            f"{_W}: Operation Peace Storm; the GNA took Sabratha, Surman and the coast to the "
            "Tunisian border on 13 April 2020; al-Watiya still LNA.",
            12.0,
            [("lna", LNA_2020_01), ("lna", WATIYA)],
        ),
        Snapshot(
            "2020-05-18",
            "May 2020 (after al-Watiya)",
            f"{_W}: the GNA took the al-Watiya air base on 18 May 2020.",
            12.0,
            [("lna", LNA_2020_01)],
        ),
        Snapshot(
            "2020-06-05",
            "June 2020 (after Tarhuna; the Sirte-Jufra line)",
            f"{_W}: the GNA took Tripoli airport (4 June), Tarhuna (5 June) and Bani Walid, and "
            "advanced to the west of Sirte, where the front settled on the Sirte-Jufra line.",
            15.0,
            [("lna", LNA_2020_06)],
        ),
        Snapshot(
            "2020-10-23",
            "October 2020 ceasefire",
            "Permanent ceasefire agreement of the 5+5 Joint Military Commission, Geneva, "
            "23 October 2020: the line of June 2020 (Wikipedia: Second Libyan Civil War).",
            15.0,
            [("lna", LNA_2020_06)],
        ),
        Snapshot(
            "2021-03-15",
            "from March 2021 (the GNU replaces the GNA; the 2020 ceasefire line holds)",
            "The Government of National Unity sworn in on 15 March 2021 takes over from the GNA "
            "in Tripoli (the key 'gna' stands for it from this day); the October 2020 ceasefire "
            "line holds, the Sirte-al-Jufra line between the two sides, through the rival "
            "governments of 2022 and the Tripoli clashes of 2022, 2023 and 2025 (Wikipedia: "
            "Second Libyan Civil War; Government of National Unity (Libya)).",
            15.0,
            [("lna", LNA_2020_06)],
        ),
    ]


AIR_BASES: list[tuple[str, str, float, float, str, str, str | None]] = [
    # slug, name, lat, lon, actor, from, to
    ("mitiga", "Mitiga air base", 32.894, 13.276, "gna", START, None),
    ("misrata", "Misrata air academy air base", 32.325, 15.061, "gna", START, None),
    ("watiya-lna", "al-Watiya air base", 32.471, 11.892, "lna", START, "2020-05-17"),
    ("watiya-gna", "al-Watiya air base", 32.471, 11.892, "gna", "2020-05-18", None),
    (
        "ghardabiya-gna",
        "al-Ghardabiya air base (Sirte)",
        31.064,
        16.595,
        "gna",
        START,
        "2020-01-05",
    ),
    ("ghardabiya-lna", "al-Ghardabiya air base (Sirte)", 31.064, 16.595, "lna", "2020-01-06", None),
    ("jufra", "al-Jufra air base", 29.198, 16.000, "lna", START, None),
    ("benina", "Benina air base (Benghazi)", 32.097, 20.270, "lna", START, None),
    ("khadim", "al-Khadim air base", 32.160, 20.950, "lna", START, None),
    ("abraq", "al-Abraq air base", 32.789, 21.965, "lna", START, None),
    ("tobruk", "Gamal Abdel Nasser air base (Tobruk)", 31.861, 23.907, "lna", START, None),
    ("tamanhint", "Tamanhint air base", 27.240, 14.656, "lna", START, None),
    ("brak", "Brak al-Shati air base", 27.650, 14.272, "lna", START, None),
]


def features() -> list[dict[str, Any]]:
    """All features of the Libya theatre."""
    libya = country("LY")
    feats = control_series(
        theatre=THEATRE,
        land=libya,
        borders=libya.boundary,
        default_actor="gna",
        snapshots=snapshots(),
        end=None,
        metric=METRIC,
        front_name="Front line, Libya",
    )
    feats.append(
        feature(
            id="libya.line.sirte-jufra",
            theatre=THEATRE,
            kind="line",
            name="Sirte-Jufra line",
            actor=None,
            valid_from="2020-06-20",
            valid_to=None,
            source="The Sirte-al-Jufra line declared a red line by Egypt on 20 June 2020 and "
            "the de facto line of separation since: Sirte, the al-Ghardabiya air base and the "
            "al-Jufra air base joined (Wikipedia: Second Libyan Civil War).",
            precision_km=10.0,
            geometry=line([(31.209, 16.589), (31.064, 16.595), (30.40, 16.35), (29.198, 16.000)]),
        )
    )
    front = next(f for f in feats if f["properties"]["id"] == "libya.front.2020-10-23")
    feats.append(
        feature(
            id="libya.line.ceasefire-2020",
            theatre=THEATRE,
            kind="line",
            name="Line of the October 2020 ceasefire",
            actor=None,
            valid_from="2020-10-23",
            valid_to=None,
            source="Ceasefire agreement of 23 October 2020 on the positions of June 2020, west "
            "of Sirte and al-Jufra, as it has held since (Wikipedia: Second Libyan Civil War). "
            "Derived: the front of the October 2020 snapshot north of 28.8 N (the desert line "
            "further south is nominal).",
            precision_km=15.0,
            geometry=clean_lines(
                shape(front["geometry"]).intersection(
                    poly([(28.8, 9.0), (34.0, 9.0), (34.0, 26.0), (28.8, 26.0)])
                ),
                1000.0,
                METRIC,
            ),
        )
    )
    feats += _tripoli_clashes()
    for slug, name, lat, lon, actor, start, end in AIR_BASES:
        base = slug.rsplit("-", 1)[0] if slug.endswith(("-gna", "-lna")) else slug
        feats.append(
            feature(
                id=f"libya.site.{slug}",
                theatre=THEATRE,
                kind="site",
                name=name,
                actor=actor,
                valid_from=start,
                valid_to=end,
                source="Main air bases of the 2019-2020 war and who used them (Wikipedia: "
                "Western Libya campaign; Second Libyan Civil War); positions of the airfields.",
                precision_km=2.0,
                geometry=point(lat, lon),
                layer=f"libya/site/{base}",
            )
        )
    return feats


#: Fighting between armed groups of the west in Tripoli: (slug, name, lat, lon, first day,
#: last day, precision km, source).
TRIPOLI_CLASHES: list[tuple[str, str, float, float, str, str, float, str]] = [
    (
        "2022-central",
        "Tripoli clashes of August 2022: central Tripoli (al-Zawiya Street, Bab Bin Ghashir, "
        "the Old City)",
        32.885,
        13.180,
        "2022-08-26",
        "2022-08-27",
        3.0,
        "Forces supporting the Bashagha government (Tajouri's 777 Brigade, the Nawasi force) "
        "against GNU-aligned groups (Rada, Stability Support Apparatus), 26-27 August 2022, "
        "32 killed (Libya Security Monitor, Libya Observer, ANSA, Peoples Dispatch).",
    ),
    (
        "2023-ain-zara",
        "Tripoli clashes of August 2023: Tripoli University, al-Shok Road, Ain Zara",
        32.820,
        13.225,
        "2023-08-14",
        "2023-08-15",
        4.0,
        "The 444 Brigade against the Rada force after the arrest of Mahmoud Hamza at Mitiga, "
        "14-15 August 2023, 55 killed; fighting along the Tripoli University-al-Shok Road-Ain "
        "Zara line (Libya Security Monitor; Wikipedia: 2023 Tripoli clashes).",
    ),
    (
        "2025-abu-salim",
        "Tripoli clashes of May 2025: Abu Salim and the 444 Brigade's Tekbali camp",
        32.845,
        13.200,
        "2025-05-12",
        "2025-05-13",
        3.0,
        "The killing of the Stability Support Apparatus' leader Abdelghani al-Kikli at the 444 "
        "Brigade's camp and the seizure of the SSA's Abu Salim area, 12-13 May 2025 (Arab "
        "News/AFP, Asharq al-Awsat, TASS).",
    ),
    (
        "2025-rada",
        "Tripoli clashes of May 2025: central and eastern Tripoli, the port, Souq al-Juma and "
        "Mitiga",
        32.885,
        13.225,
        "2025-05-13",
        "2025-05-15",
        5.0,
        "Government-aligned forces (the 444 Brigade) against the Rada force, night of 13-14 May "
        "2025 and again on 14-15 May, ceasefire of 14 May (Libya Herald, AFP via Caliber, TRT, "
        "Reuters via TV10).",
    ),
]


def _tripoli_clashes() -> list[dict[str, Any]]:
    return [
        feature(
            id=f"libya.site.tripoli-clashes-{slug}",
            theatre=THEATRE,
            kind="site",
            name=name,
            actor=None,
            valid_from=first,
            valid_to=last,
            source=source + " Position: the centre of the districts named.",
            precision_km=prec,
            geometry=point(lat, lon),
            layer=f"libya/site/tripoli-clashes-{slug}",
        )
        for slug, name, lat, lon, first, last, prec, source in TRIPOLI_CLASHES
    ]
