"""Syria from 27 November 2024: the offensive, the fall of the government, and after.

All anchors are (lat, lon). Town positions are GeoNames (via the gazetteer) where
it has the town, otherwise read off public maps (to about 2 km); each area is a
ring through the towns its source names on either side of it. The snapshots of
the offensive are drawn at 10-15 km: the sources give the towns taken each day,
not the line between them.

Actor keys: until 7 December 2024 ``government`` is the Assad government and
``opposition`` the armed opposition (faction ``hts``: the HTS-led Military
Operations Command; ``sna``: the Turkish-backed Syrian National Army; ``sfa``: the
US-backed Syrian Free Army of al-Tanf; ``south``: the southern factions). From 8
December 2024 ``government`` is the Damascus transitional government and the
forces under it (faction ``sna`` for the Turkish-backed factions until the
dissolution of the factions was declared on 29 January 2025), ``opposition``
ends, ``sdf`` continues, ``israel`` is the zone held by Israeli forces and
``druze`` the Suwayda Druze factions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from ...theatres import get_theatre
from .common import buffer_km, circle, country, poly

METRIC = get_theatre("idlib").metric_crs  # UTM 37N

# --- the offensive of 27 November - 7 December 2024 (HTS-led Military Operations Command)

# 27 Nov: the western Aleppo countryside to about 5 km from the city (Urum al-Kubra,
# Anjara, Kafr Basin, Sheikh Aqil, Qubtan al-Jabal, Base 46; about 245 km2).
G_2024_11_27 = poly(
    [
        (36.335, 36.90),
        (36.315, 37.01),  # Qubtan al-Jabal, Sheikh Aqil heights
        (36.25, 37.035),
        (36.18, 37.02),  # Base 46, Urum al-Sughra
        (36.13, 36.99),
        (36.10, 36.93),  # Urum al-Kubra (36.149, 36.950)
        (36.10, 36.86),
        (36.20, 36.86),
    ]
)
# 28 Nov: al-Zirbah and the M5 cut; Khan Tuman; in eastern Idlib Dadikh, Kafr Battikh
# and the south-western edge of Saraqib.
G_2024_11_28 = unary_union(
    [
        poly([(36.14, 37.09), (36.06, 37.04), (35.98, 36.97), (36.00, 36.86), (36.12, 36.86)]),
        poly([(35.76, 36.69), (35.76, 36.77), (35.84, 36.80), (35.87, 36.795), (35.80, 36.71)]),
    ]
)
# 29 Nov: Saraqib, Afis, Khan al-Asal, Anadan, Hraytan and the western districts of
# Aleppo (al-Hamdaniyah, New Aleppo).
G_2024_11_29 = poly(
    [
        (36.36, 36.97),  # south of Nubl (still government)
        (36.335, 37.08),
        (36.28, 37.12),
        (36.20, 37.13),  # al-Hamdaniyah, New Aleppo
        (36.15, 37.12),
        (36.05, 37.06),
        (35.95, 36.95),
        (35.88, 36.86),  # east of Saraqib
        (35.84, 36.80),
        (35.90, 36.78),
    ]
)
# 30 Nov: most of Aleppo city and its airport; southern Idlib (Maarat al-Numan, Kafr
# Nabl, Hish, Jarjanaz, Sinjar) and the Abu al-Duhur air base.
G_2024_11_30 = poly(
    [
        (35.50, 36.42),
        (35.52, 36.55),
        (35.55, 36.70),
        (35.58, 36.86),
        (35.63, 37.02),
        (35.72, 37.13),  # Abu al-Duhur air base
        (35.86, 37.16),
        (35.98, 37.16),
        (36.10, 37.22),
        (36.15, 37.28),  # Aleppo airport, al-Nayrab
        (36.24, 37.29),
        (36.30, 37.22),
        (36.33, 37.10),
        (36.36, 36.97),
        (36.30, 36.86),
        (35.90, 36.60),
        (35.60, 36.40),
    ]
)
# 1 Dec: Nubl and al-Zahraa (evacuated); Khan Shaykhun and al-Tamanah.
G_2024_12_01 = unary_union(
    [
        poly([(36.415, 36.95), (36.41, 37.03), (36.36, 37.06), (36.33, 36.96)]),
        poly([(35.50, 36.40), (35.42, 36.45), (35.40, 36.60), (35.42, 36.75), (35.50, 36.88)]),
        poly([(35.50, 36.88), (35.58, 36.88), (35.55, 36.55), (35.50, 36.40)]),
    ]
)
# 3 Dec: northern Hama: Kafr Zita, al-Lataminah, Morek, Halfaya, Taybat al-Imam, Suran.
G_2024_12_03 = poly(
    [
        (35.45, 36.36),
        (35.36, 36.44),
        (35.30, 36.50),
        (35.24, 36.60),
        (35.235, 36.76),
        (35.30, 36.86),
        (35.45, 36.92),
        (35.55, 36.86),
        (35.50, 36.40),
    ]
)
# 5 Dec: Hama, its air base, Mhardeh, al-Suqaylabiyah and Jabal Zayn al-Abidin.
G_2024_12_05 = poly(
    [
        (35.46, 36.25),
        (35.30, 36.32),
        (35.18, 36.45),
        (35.05, 36.60),
        (35.03, 36.80),
        (35.10, 36.95),
        (35.25, 37.02),
        (35.45, 36.95),
    ]
)
# 6 Dec: al-Rastan, Talbiseh and Salamiyah.
G_2024_12_06 = poly(
    [(35.06, 36.55), (34.80, 36.64), (34.79, 36.80), (34.95, 37.15), (35.10, 37.16), (35.16, 36.90)]
)
# 7 Dec: the northern edge of Homs (the city fell in the night to 8 December).
G_2024_12_07 = poly([(34.82, 36.62), (34.76, 36.66), (34.75, 36.80), (34.80, 36.82)])

# Southern factions: Daraa and Suwayda governorates (6 Dec), Quneitra and the south of
# Rif Dimashq to within 10 km of Damascus (7 Dec).
SOUTH_2024_12_06 = poly(
    [
        (32.76, 35.95),
        (32.98, 36.00),
        (33.02, 36.25),
        (33.00, 36.45),
        (32.92, 36.62),
        (32.98, 36.90),
        (32.80, 37.10),
        (32.50, 37.05),
        (32.31, 36.85),
        (32.35, 36.20),
        (32.65, 35.90),
    ]
)
SOUTH_2024_12_07 = unary_union(
    [
        SOUTH_2024_12_06,
        poly(
            [
                (33.42, 35.92),  # Quneitra governorate, north
                (33.40, 36.20),
                (33.40, 36.40),  # al-Kiswah, 10 km south of Damascus
                (33.20, 36.62),
                (32.95, 36.62),
                (32.90, 35.95),
            ]
        ),
    ]
)

# The US-backed Syrian Free Army from al-Tanf to Palmyra (6-7 Dec).
SFA_PALMYRA = poly([(33.55, 38.05), (34.45, 37.95), (34.66, 38.25), (34.50, 38.45), (33.60, 38.95)])

# Dawn of Freedom (Syrian National Army), 30 Nov - 1 Dec: Tadif, al-Safira, Khanasir, the
# Kuweires air base and the country east of Aleppo to al-Bab.
DAWN_OF_FREEDOM = poly(
    [
        (36.37, 37.40),
        (36.36, 37.64),
        (36.22, 37.66),
        (36.14, 37.62),  # Kuweires air base (36.187, 37.583)
        (35.95, 37.56),
        (35.76, 37.58),  # Khanasir (35.782, 37.499)
        (35.74, 37.42),
        (35.95, 37.30),
        (36.12, 37.33),  # al-Safira (36.077, 37.373)
        (36.25, 37.30),
        (36.30, 37.36),
    ]
)

# --- the SDF ---------------------------------------------------------------------------

# Sheikh Maqsoud, al-Ashrafiyah and Bani Zaid in Aleppo (SDF and Asayish) until 10 Jan 2026.
ALEPPO_KURDISH_QUARTERS = circle(36.230, 37.146, 1.6, METRIC)

# Deir Hafer, the Jirah air base and Maskanah, taken over by the SDF as the government's
# forces left (drawn from 8 Dec 2024; the day is not described) until 17 Jan 2026.
DEIR_HAFER_POCKET = poly(
    [
        (36.22, 37.66),
        (36.20, 37.80),
        (36.19, 37.98),  # Babiri pumping station, south of al-Khafsah
        (36.16, 38.06),
        (36.02, 38.14),
        (35.93, 38.10),
        (35.92, 37.95),
        (36.00, 37.75),
        (36.10, 37.64),
    ]
)

# The west bank of the Euphrates from Deir ez-Zor to Albu Kamal, taken by the SDF as the
# government's forces left (6 Dec 2024) and left on 11 Dec 2024.
DEIR_EZ_ZOR_WEST_BANK = poly(
    [
        (35.42, 40.02),
        (35.37, 40.20),
        (35.06, 40.44),
        (34.76, 40.72),
        (34.44, 40.96),  # Albu Kamal and the border crossing
        (34.36, 40.90),
        (34.66, 40.60),
        (34.98, 40.34),
        (35.28, 40.04),
    ]
)

# Manbij and its countryside west of the Euphrates (SDF until 9 Dec 2024).
MANBIJ = poly(
    [
        (36.70, 38.04),
        (36.62, 37.80),
        (36.45, 37.66),
        (36.38, 37.70),
        (36.33, 37.95),
        (36.33, 38.12),
        (36.40, 38.19),  # the Tishreen Dam (36.381, 38.183)
        (36.60, 38.22),  # the Qara Qozak bridge
        (36.70, 38.10),
    ]
)
# The Tishreen Dam and the villages at its western end, held by the SDF against the
# Turkish-backed factions until the dam was handed to a joint force on 12 Apr 2025.
TISHREEN_DAM = circle(36.395, 38.140, 6.0, METRIC)
# The dam itself, under a joint force led by the government's from 12 Apr 2025.
TISHREEN_DAM_SITE = circle(36.3806, 38.1833, 2.0, METRIC)

# Al-Shamiyeh (Tabqa and the country south of Lake Assad and the Euphrates west of Raqqa),
# lost by the SDF on 17 Jan 2026.
SHAMIYEH = poly(
    [(36.05, 38.10), (35.70, 38.10), (35.70, 39.00), (35.91, 39.00), (35.90, 38.60), (36.02, 38.25)]
)
# What the SDF kept on 18 Jan 2026 east of the Euphrates: Kobani and the north of al-Hasakah.
SDF_KOBANI = poly(
    [(36.98, 38.02), (36.80, 38.06), (36.70, 38.20), (36.68, 38.40), (36.74, 38.62), (36.98, 38.66)]
)
SDF_HASAKAH_2026_01_18 = poly(
    [
        (36.60, 40.25),
        (36.92, 40.22),  # the eastern end of the Peace Spring strip at the border
        (37.40, 40.22),
        (37.40, 42.50),
        (36.20, 42.10),
        (36.25, 41.10),  # south of al-Hol
        (36.38, 40.60),
    ]
)
# ... and on 20 Jan 2026, after al-Hol, al-Yarubiyah and Tal Brak: Tal Tamr, al-Hasakah,
# al-Darbasiyah, Amuda, Qamishli, al-Qahtaniyah, Rmelan, al-Malikiyah and Semalka.
SDF_HASAKAH_2026_01_20 = poly(
    [
        (36.60, 40.25),
        (36.92, 40.22),
        (37.40, 40.22),
        (37.40, 42.50),
        (36.98, 42.40),
        (36.95, 42.10),  # south of al-Malikiyah, north of al-Yarubiyah (36.811, 42.062)
        (36.93, 41.75),
        (36.95, 41.50),  # south of al-Qahtaniyah (37.029, 41.546)
        (36.88, 41.30),
        (36.76, 41.08),  # north of Tal Brak
        (36.58, 40.90),
        (36.44, 40.80),  # the south of al-Hasakah (the Khabur dam to the government)
        (36.45, 40.58),
        (36.55, 40.40),
    ]
)

# --- after 8 December 2024: Israel and Suwayda -----------------------------------------

# Druze factions of Suwayda: the governorate's Druze towns from 8 Dec 2024 ...
DRUZE_2024_12_08 = poly(
    [
        (33.00, 36.45),
        (33.00, 36.80),
        (32.85, 37.05),
        (32.50, 37.00),
        (32.31, 36.85),
        (32.38, 36.60),
        (32.55, 36.53),  # east of Busra al-Sham (32.517, 36.482; Daraa, not Druze)
        (32.75, 36.40),
        (32.90, 36.42),
    ]
)
# ... and after the fighting of 13-19 July 2025, without the northern and western edges,
# where the Interior Ministry's forces deployed (al-Mazraa, Walgha, Ariqa).
DRUZE_2025_07_20 = poly(
    [
        (32.92, 36.55),
        (32.92, 36.78),
        (32.80, 37.00),
        (32.50, 37.00),
        (32.31, 36.85),
        (32.37, 36.58),
        (32.55, 36.52),
        (32.72, 36.50),
        (32.85, 36.52),
    ]
)

#: Width (km) of the strip of Syria along the 1974 line that stands for the area of
#: separation: its 235 km2 over about 75 km of line.
SEPARATION_KM = 3.0
#: The summit of Mount Hermon on the Syrian side, and the radius (km) of the sector held.
HERMON = (33.416, 35.857)
HERMON_KM = 6.0


def golan() -> BaseGeometry:
    """The Golan Heights: the land between Syria, Israel, Lebanon and Jordan (Natural
    Earth's German point of view leaves it out of every country)."""
    box = poly([(32.60, 35.55), (33.40, 35.55), (33.40, 35.95), (32.60, 35.95)])
    around = unary_union([country(c) for c in ("SY", "IL", "LB", "JO")])
    parts = box.difference(around)
    pieces = getattr(parts, "geoms", [parts])
    return max(pieces, key=lambda p: p.area)


def israeli_zone() -> BaseGeometry:
    """The zone held by Israeli forces from 8 Dec 2024: a strip of Syria 3 km wide along
    the Golan (the UNDOF area of separation) and the Syrian side of Mount Hermon."""
    syria = country("SY")
    strip = buffer_km(golan(), SEPARATION_KM, METRIC).intersection(syria)
    hermon = circle(*HERMON, HERMON_KM, METRIC).intersection(syria)
    return unary_union([strip, hermon])


# --- the snapshots -------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One snapshot from 27 November 2024: its day, label, source and what changed."""

    start: str
    label: str
    source: str
    precision_km: float


W_OFF = "Wikipedia: 2024 Syrian opposition offensives; Northwestern Syria offensive (2024)"
W_DAWN = "Wikipedia: Operation Dawn of Freedom; East Aleppo offensive (2024-2025)"
W_2026 = "Wikipedia: 2026 northeastern Syria offensive"

STEPS: list[Step] = [
    Step(
        "2024-11-27",
        "27 November 2024 (western Aleppo countryside)",
        f"{W_OFF}; Anadolu and SOHR reports of 27-28 Nov 2024: 32 villages and Base 46 "
        "taken west of Aleppo (about 245 km2).",
        8.0,
    ),
    Step(
        "2024-11-28",
        "28 November 2024 (the M5 cut, eastern Idlib)",
        f"{W_OFF}: Dadikh, Kafr Battikh and part of Saraqib; al-Zirbah and the M5 cut.",
        8.0,
    ),
    Step(
        "2024-11-29",
        "29 November 2024 (Saraqib; western Aleppo)",
        f"{W_OFF}; TRT/Anadolu 29-30 Nov 2024: Saraqib, Anadan, Khan al-Asal, the western "
        "districts of Aleppo.",
        8.0,
    ),
    Step(
        "2024-11-30",
        "30 November 2024 (Aleppo; southern Idlib; Dawn of Freedom begins)",
        f"{W_OFF}; SOHR via Politico and Malta Today 30 Nov 2024 (most of Aleppo); "
        f"{W_DAWN} (Tadif).",
        10.0,
    ),
    Step(
        "2024-12-01",
        "1 December 2024 (Tal Rifat, Kuweires, Khan Shaykhun)",
        f"{W_DAWN}: al-Safira, Khanasir, the Kuweires and Menagh air bases and Tal Rifat; "
        "TRT, Anadolu and Daily Sabah 1 Dec 2024; Nubl and al-Zahraa evacuated.",
        10.0,
    ),
    Step(
        "2024-12-03",
        "3 December 2024 (northern Hama; the SDF east of Deir ez-Zor)",
        f"{W_OFF}: northern Hama countryside (Wikipedia: 2024 Hama offensive).",
        10.0,
    ),
    Step(
        "2024-12-05",
        "5 December 2024 (Hama)",
        f"{W_OFF}: Hama taken on 5 Dec 2024 (AFP via tag24, Clamreport).",
        10.0,
    ),
    Step(
        "2024-12-06",
        "6 December 2024 (al-Rastan; Daraa and Suwayda; the SDF in Deir ez-Zor)",
        f"{W_OFF}; Reuters via Babel and Kurdpress 6 Dec 2024 (the SDF in Deir ez-Zor, "
        "al-Mayadin and Albu Kamal as the army withdrew).",
        12.0,
    ),
    Step(
        "2024-12-07",
        "7 December 2024 (Palmyra, Quneitra, the approaches of Damascus and Homs)",
        f"{W_OFF}: southern factions within 10 km of Damascus; the Syrian Free Army in Palmyra.",
        12.0,
    ),
    Step(
        "2024-12-08",
        "8 December 2024 (fall of the government; the transitional government)",
        f"{W_OFF}: Homs and Damascus taken, Bashar al-Assad gone on 8 Dec 2024; from this "
        "day 'government' is the transitional government. Israeli forces in the area of "
        "separation and on Mount Hermon (Times of Israel, 8-9 Dec 2024). Druze factions "
        "hold Suwayda.",
        10.0,
    ),
    Step(
        "2024-12-09",
        "9 December 2024 (Manbij)",
        f"{W_DAWN}: the Syrian National Army in Manbij (Shafaq News, Bianet 9 Dec 2024); "
        "the SDF keep the Tishreen Dam.",
        8.0,
    ),
    Step(
        "2024-12-11",
        "11 December 2024 (Deir ez-Zor city)",
        "Military Operations Command statement of 11 Dec 2024 (Trend, Vestnik Kavkaza): Deir "
        "ez-Zor city and its airport; the SDF back to the eastern bank.",
        8.0,
    ),
    Step(
        "2025-01-29",
        "29 January 2025 (the factions merge into the new army)",
        "Victory Conference of 29 Jan 2025: the armed factions, the Syrian National Army's "
        "included, declared dissolved into the new Ministry of Defence; the Tishreen Dam front "
        f"goes on ({W_DAWN}).",
        8.0,
    ),
    Step(
        "2025-04-12",
        "12 April 2025 (the Tishreen Dam to a joint force)",
        "SANA, Middle East Eye and Shafaq News, 9-12 Apr 2025: government forces enter the "
        "Tishreen Dam under the agreement with the SDF, which withdraws.",
        8.0,
    ),
    Step(
        "2025-07-20",
        "20 July 2025 (Suwayda after the July fighting)",
        "Interior Ministry statement of 19-20 Jul 2025 (Saudi Gazette): its forces deployed "
        "in the northern and western areas of Suwayda province; the city with the Druze "
        "factions after the government's withdrawal of 16-17 Jul 2025 (Caliber, Tanea).",
        8.0,
    ),
    Step(
        "2026-01-10",
        "10 January 2026 (Aleppo's Kurdish quarters)",
        f"{W_2026}; ACCORD/ecoi.net collection: Sheikh Maqsoud and al-Ashrafiyah taken on "
        "6-10 Jan 2026, the SDF withdrawn.",
        8.0,
    ),
    Step(
        "2026-01-17",
        "17 January 2026 (Deir Hafer, Maskanah, al-Shamiyeh)",
        f"{W_2026}; AP, DW and Al Jazeera 17 Jan 2026: Deir Hafer, the Jirah air base, "
        "Maskanah and the west of Raqqa province.",
        10.0,
    ),
    Step(
        "2026-01-18",
        "18 January 2026 (Raqqa and Deir ez-Zor)",
        f"{W_2026}; MEED and Levant24: the SDF lose about 80% of their territory on 17-18 "
        "Jan 2026 (Raqqa, Tabqa, Deir ez-Zor, southern al-Hasakah).",
        12.0,
    ),
    Step(
        "2026-01-20",
        "20 January 2026 ceasefire (Kobani and northern al-Hasakah left to the SDF)",
        f"{W_2026}; Etana Syria and Syria Direct, 20-21 Jan 2026: al-Hol, al-Yarubiyah and "
        "Tal Brak taken before the ceasefire; the SDF keep Kobani, al-Hasakah, Qamishli and "
        "the Kurdish towns. Under the agreement of 30 Jan 2026 Interior Ministry forces "
        "entered the centres of al-Hasakah, Kobani and Qamishli (2-3 Feb 2026); the SDF's "
        "units are being merged into the army: the area is drawn as held by the SDF.",
        10.0,
    ),
]


def _offensive_gains(start: str) -> list[tuple[str, Any]]:
    """The parts the offensive adds by ``start`` (until 7 December 2024)."""
    hts = [
        (d, g)
        for d, g in [
            ("2024-11-27", G_2024_11_27),
            ("2024-11-28", G_2024_11_28),
            ("2024-11-29", G_2024_11_29),
            ("2024-11-30", G_2024_11_30),
            ("2024-12-01", G_2024_12_01),
            ("2024-12-03", G_2024_12_03),
            ("2024-12-05", G_2024_12_05),
            ("2024-12-06", G_2024_12_06),
            ("2024-12-07", G_2024_12_07),
        ]
        if d <= start
    ]
    parts: list[tuple[str, Any]] = [("opposition:hts", unary_union([g for _, g in hts]))]
    if start >= "2024-11-30":
        parts.append(("opposition:sna", DAWN_OF_FREEDOM))
    if start >= "2024-12-06":
        south = SOUTH_2024_12_07 if start >= "2024-12-07" else SOUTH_2024_12_06
        parts.append(("opposition:south", south))
    if start >= "2024-12-07":
        parts.append(("opposition:sfa", SFA_PALMYRA))
    return parts


def parts_before_fall(start: str, base: list[tuple[str, Any]], tal_rifat: Any) -> list[Any]:
    """Areas of 27 Nov - 7 Dec 2024: the ``base`` of March 2020 (northeast, pocket, Afrin,
    Euphrates Shield, al-Tanf, Peace Spring...), then the offensive's gains."""
    parts = list(base)
    parts += _offensive_gains(start)
    if start >= "2024-12-01":
        parts.append(("opposition:sna", tal_rifat))
    if start >= "2024-11-30":  # the SDF in Bani Zaid too
        parts.append(("sdf", ALEPPO_KURDISH_QUARTERS))
    if start >= "2024-12-06":
        parts.append(("sdf", DEIR_EZ_ZOR_WEST_BANK))
    return parts


def parts_after_fall(start: str, northeast: Any, sna_areas: list[Any]) -> list[Any]:
    """Areas from 8 Dec 2024: the transitional government holds what no part covers."""
    sna = "government:sna" if start < "2025-01-29" else "government"
    parts: list[tuple[str, Any]] = []
    if start < "2026-01-18":
        parts.append(("sdf", northeast))
    elif start < "2026-01-20":
        parts += [("sdf", SDF_KOBANI), ("sdf", SDF_HASAKAH_2026_01_18)]
    else:
        parts += [("sdf", SDF_KOBANI), ("sdf", SDF_HASAKAH_2026_01_20)]
    if start >= "2026-01-17":
        parts.append(("government", SHAMIYEH))
    elif start >= "2024-12-08":
        parts.append(("sdf", DEIR_HAFER_POCKET))
    parts += [(sna, g) for g in [*sna_areas, DAWN_OF_FREEDOM]]
    if start >= "2024-12-09":
        parts.append((sna, MANBIJ))
        if start < "2025-04-12":
            parts.append(("sdf", TISHREEN_DAM))
        elif start < "2026-01-17":
            parts.append(("government", TISHREEN_DAM_SITE))
    if start < "2026-01-10":
        parts.append(("sdf", ALEPPO_KURDISH_QUARTERS))
    if start < "2024-12-11":
        parts.append(("sdf", DEIR_EZ_ZOR_WEST_BANK))
    parts.append(("israel", israeli_zone()))
    parts.append(("druze", DRUZE_2025_07_20 if start >= "2025-07-20" else DRUZE_2024_12_08))
    return parts
