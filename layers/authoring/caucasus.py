"""Nagorno-Karabakh: the former NKAO, the line of contact, the 2020 war, the ceasefire.

All anchors are (lat, lon). The area held by Armenian forces is the 1994 line of
contact's area less the Azerbaijani gains of each step of the 2020 war and the
districts handed over after the ceasefire; Armenia itself is ``armenia``, the
rest of Azerbaijan ``azerbaijan``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shapely.ops import unary_union

from ...theatres import get_theatre
from .common import (
    LatLon,
    Snapshot,
    border_bands,
    buffer_km,
    clean_lines,
    control_series,
    country,
    country_parts,
    feature,
    line,
    point,
    poly,
)

THEATRE = "caucasus"
METRIC = get_theatre("caucasus").metric_crs  # UTM 38N
START = "1994-05-12"  # Bishkek ceasefire

# Former Nagorno-Karabakh Autonomous Oblast (1923-1991).
NKAO = poly(
    [
        (40.30, 46.40),
        (40.32, 46.62),
        (40.28, 46.82),
        (40.18, 46.95),
        (40.05, 46.95),
        (40.00, 46.89),  # Askeran inside, Agdam outside
        (39.95, 46.90),
        (39.88, 47.02),
        (39.80, 47.22),  # Martuni (Khojavend) inside
        (39.70, 47.24),
        (39.64, 47.15),
        (39.60, 47.08),  # Fuzuli outside
        (39.52, 47.12),
        (39.45, 47.08),  # Hadrut inside, Jabrayil outside
        (39.43, 46.95),
        (39.45, 46.80),
        (39.52, 46.68),
        (39.62, 46.60),  # Lachin outside
        (39.72, 46.58),  # Shusha inside
        (39.82, 46.55),
        (39.92, 46.45),
        (40.02, 46.35),
        (40.15, 46.32),
        (40.25, 46.33),
    ]
)

# Area held by Armenian forces behind the 1994 line of contact (NKAO, Kalbajar, Lachin,
# Kubatly, Zangilan, Jabrayil, most of Agdam and part of Fuzuli); closure via Iran and
# Armenia, clipped to mainland Azerbaijan.
HELD_1994 = poly(
    [
        (40.45, 45.55),
        (40.32, 45.75),
        (40.34, 46.00),
        (40.32, 46.25),
        (40.27, 46.45),  # the Murovdag ridge
        (40.25, 46.62),  # Talish
        (40.26, 46.78),  # Madagiz (Sugovushan)
        (40.18, 46.88),
        (40.05, 46.95),  # east of Martakert
        (39.98, 47.04),  # east of Agdam
        (39.88, 47.10),
        (39.78, 47.20),  # east of Martuni
        (39.68, 47.25),
        (39.60, 47.25),  # east of Fuzuli
        (39.50, 47.28),
        (39.43, 47.30),  # west of Horadiz
        (39.38, 47.28),  # the Aras
        (39.00, 47.30),
        (38.80, 46.50),
        (39.20, 46.00),  # closure through Armenia (and Nakhchivan: clipped to the mainland)
        (39.80, 45.30),
        (40.45, 45.30),
    ]
)

# Azerbaijani gains, step by step.
MUROVDAG = poly([(40.45, 45.70), (40.45, 46.55), (40.27, 46.55), (40.29, 46.20), (40.30, 45.70)])
HORADIZ_STRIP = poly(
    [(39.50, 47.40), (39.46, 47.22), (39.42, 47.15), (39.30, 47.15), (39.30, 47.40)]
)
# Talish and Sugovushan (Madagiz) and the heights north of Martakert; Martakert itself
# (40.215, 46.813) stayed with the Armenian forces until 2023.
SUGOVUSHAN = poly(
    [
        (40.40, 46.55),
        (40.40, 47.05),
        (40.245, 47.05),
        (40.25, 46.88),
        (40.265, 46.78),
        (40.28, 46.62),
        (40.30, 46.55),
    ]
)
JABRAYIL = poly(
    [(39.46, 47.22), (39.43, 47.08), (39.42, 46.95), (39.10, 46.95), (39.10, 47.40), (39.50, 47.40)]
)
HADRUT = poly(
    [
        (39.56, 47.35),
        (39.56, 47.10),
        (39.58, 46.98),
        (39.50, 46.90),
        (39.35, 46.93),
        (39.10, 46.93),
        (39.10, 47.35),
    ]
)
FUZULI = poly([(39.72, 47.35), (39.69, 47.18), (39.64, 47.08), (39.56, 47.05), (39.56, 47.35)])
ZANGILAN = poly(
    [(39.36, 46.95), (39.28, 46.72), (39.20, 46.55), (39.12, 46.42), (38.80, 46.40), (38.80, 46.95)]
)
GUBADLI = poly(
    [
        (39.56, 46.98),
        (39.52, 46.80),
        (39.48, 46.62),
        (39.45, 46.45),
        (39.40, 46.30),
        (39.10, 46.30),
        (39.10, 46.98),
    ]
)
# South of Shusha, between the Lachin road's villages (Mets Shen, Hin Shen, Lisagor, which
# stayed Armenian) and Hadrut: taken in the advance on Shusha.
SOUTH_OF_SHUSHA = poly([(39.605, 46.60), (39.60, 46.76), (39.48, 46.76), (39.48, 46.60)])
TOWARDS_SHUSHA = poly(
    [(39.70, 46.95), (39.66, 46.85), (39.62, 46.75), (39.55, 46.70), (39.50, 46.75), (39.50, 47.00)]
)
# Shusha, Karin Tak and the villages east of it taken by 10 November 2020 (Avetaranots,
# Sghnakh); Stepanakert (39.818, 46.753) and Krasny Bazar (39.711, 46.966) stayed Armenian.
SHUSHA = poly(
    [
        (39.785, 46.70),
        (39.785, 46.775),
        (39.745, 46.79),
        (39.72, 46.84),
        (39.69, 46.87),
        (39.65, 46.87),
        (39.60, 46.78),
        (39.62, 46.66),
        (39.70, 46.64),
    ]
)
# Hin Tagher (39.508, 46.824) and Khtsaberd (39.546, 46.771): held by Armenian forces after
# the fall of Hadrut and after the ceasefire, taken by Azerbaijan on 12 December 2020.
HIN_TAGHER = poly([(39.575, 46.735), (39.575, 46.86), (39.485, 46.86), (39.485, 46.74)])
# Parukh (Farrukh, 40.016, 46.801) and the Karaglukh heights, taken on 24-26 March 2022.
PARUKH = poly([(40.045, 46.765), (40.045, 46.845), (39.99, 46.845), (39.99, 46.765)])

# Districts handed over after the ceasefire (outside the former NKAO).
AGDAM = poly([(40.20, 46.85), (40.20, 47.20), (39.84, 47.20), (39.84, 46.95)]).difference(NKAO)
KALBAJAR = poly(
    [
        (40.50, 45.50),
        (40.50, 46.70),
        (40.00, 46.60),
        (39.98, 46.55),
        (39.92, 46.30),
        (39.80, 45.90),
        (39.80, 45.50),
    ]
).difference(NKAO)

# Roads of the Lachin corridor (Stepanakert - Lachin - Goris), and its 2022 bypass.
LACHIN_ROAD = [
    (39.8177, 46.7528),  # Stepanakert
    (39.790, 46.720),
    (39.765, 46.700),  # below Shusha
    (39.730, 46.660),
    (39.690, 46.600),
    (39.6374, 46.5498),  # Lachin (Berdzor)
    (39.5897, 46.5433),  # Aghavno (Zabukh)
    (39.566, 46.515),  # the Hakari and the border
    (39.5583, 46.4805),  # Tegh (Armenia)
    (39.5111, 46.3417),  # Goris
]
# The 2022 road: by Lisagor, Mets Shen and Hin Shen, east of Lachin, over the new Hakari
# bridge to the border at Kornidzor (CivilNet 22 Aug 2022; Caucasian Knot 11 Aug 2022;
# Asbarez 30 Mar 2023).
LACHIN_ROAD_2022 = [
    (39.8177, 46.7528),
    (39.790, 46.720),
    (39.765, 46.700),
    (39.6875, 46.6431),  # Lisagor
    (39.6583, 46.6019),  # Mets Shen
    (39.6372, 46.6028),  # Hin Shen
    (39.595, 46.580),
    (39.5530, 46.5550),  # the Hakari bridge (checkpoint from 23 April 2023)
    (39.5476, 46.5305),  # Kornidzor (Armenia)
]

_W = "Wikipedia: 2020 Nagorno-Karabakh war"


def _mainland() -> Any:
    return country_parts("AZ")[0]


def held_steps() -> list[tuple[str, str, str, Any, float]]:
    """(start, label, source, area held by Armenian forces in Azerbaijan, precision)."""
    base = HELD_1994.intersection(_mainland())
    steps = [
        (
            "1994-05-12",
            "line of contact 1994-2020",
            "Bishkek ceasefire of 12 May 1994; the line of contact as on ISW and Wikipedia maps "
            "(Wikipedia: Nagorno-Karabakh conflict), unchanged to 27 September 2020 but for the "
            "April 2016 clashes (not drawn).",
            [],
            4.0,
        ),
        (
            "2020-09-27",
            "27 September-3 October 2020 (Murovdag, Horadiz)",
            f"{_W}: first Azerbaijani gains on the Murovdag ridge and along the Aras near Horadiz.",
            [MUROVDAG, HORADIZ_STRIP],
            6.0,
        ),
        (
            "2020-10-04",
            "4-8 October 2020 (Jabrayil, Sugovushan)",
            f"{_W}: Sugovushan (Madagiz) taken 3 October, Jabrayil claimed 4 October 2020.",
            [SUGOVUSHAN, JABRAYIL],
            6.0,
        ),
        (
            "2020-10-09",
            "after Hadrut (9 October 2020)",
            f"{_W}: Hadrut claimed on 9 October 2020.",
            [HADRUT],
            6.0,
        ),
        (
            "2020-10-17",
            "after Fuzuli (17 October 2020)",
            f"{_W}: Fuzuli taken on 17 October 2020.",
            [FUZULI],
            6.0,
        ),
        (
            "2020-10-20",
            "after Zangilan (20 October 2020)",
            f"{_W}: Khudafarin bridges 18 October, Zangilan 20 October 2020.",
            [ZANGILAN],
            6.0,
        ),
        (
            "2020-10-25",
            "after Gubadli (25 October 2020)",
            f"{_W}: Gubadli taken on 25 October 2020; advance north towards Shusha.",
            [GUBADLI, TOWARDS_SHUSHA, SOUTH_OF_SHUSHA],
            6.0,
        ),
        (
            "2020-11-08",
            "after Shusha (8 November 2020)",
            f"{_W}: Shusha taken on 8 November 2020.",
            [SHUSHA],
            5.0,
        ),
        (
            "2020-11-10",
            "10 November 2020 ceasefire",
            "Trilateral statement of 9/10 November 2020: a ceasefire on the positions held; "
            "Agdam, Kalbajar and Lachin districts to be handed over.",
            [],
            5.0,
        ),
        (
            "2020-11-20",
            "after the handover of Agdam (20 November 2020)",
            "Trilateral statement of 10 November 2020: Agdam district returned 20 November 2020.",
            [AGDAM],
            5.0,
        ),
        (
            "2020-11-25",
            "after the handover of Kalbajar (25 November 2020)",
            "Trilateral statement of 10 November 2020: Kalbajar district returned 25 November "
            "2020.",
            [KALBAJAR],
            5.0,
        ),
        (
            "2020-12-01",
            "after the handover of Lachin (1 December 2020)",
            "Trilateral statement of 10 November 2020: Lachin district returned 1 December 2020, "
            "but for the Lachin corridor under Russian peacekeepers, whose towns (Lachin/Berdzor, "
            "Sus, Aghavno/Zabukh) stayed with their Armenian residents and the Nagorno-Karabakh "
            "authorities until their handover of 26 August 2022 (realkarabakh.com, 'The occupied "
            "territories of Artsakh'): the corridor is counted with the Armenian-held area. Held "
            "area: the part of the former NKAO not taken in the war.",
            ["NKAO"],
            5.0,
        ),
        (
            "2020-12-12",
            "after Hin Tagher and Khtsaberd (12 December 2020)",
            "Azerbaijani forces took Hin Tagher and Khtsaberd on 12 December 2020 "
            "(realkarabakh.com; Wikipedia: 2020 Nagorno-Karabakh ceasefire agreement).",
            [HIN_TAGHER],
            5.0,
        ),
        (
            "2021-05-12",
            "May 2021 (Azerbaijani positions inside Armenia)",
            "Azerbaijani forces advanced up to 3.5 km into Armenia near Lake Sev (12 May 2021) and "
            "near Vardenis and Sisian (13 May): about 40 km2 by Armenia's count (Janes; CivilNet; "
            "Armenian Defence Ministry via PanARMENIAN and gagrule 15-18 May 2021; DW 14 Sep "
            "2022).",
            [],
            5.0,
        ),
        (
            "2022-03-24",
            "Parukh taken (24-27 March 2022)",
            "Azerbaijani forces took Parukh (Farrukh) in the Russian peacekeepers' zone on 24 "
            "March 2022 and fought for the Karaglukh height (Artsakhpress 25 Mar, Massis Post, "
            "Interfax 28 Mar 2022).",
            [PARUKH],
            5.0,
        ),
        (
            "2022-03-28",
            "Parukh under the peacekeepers (28 March 2022)",
            "The Azerbaijani units left Parukh, taken over by the Russian peacekeepers on 28 March "
            "2022; they kept positions on the slopes of Karaglukh, under this drawing's precision "
            "(Massis Post, Interfax 28 Mar 2022; CivilNet via Armenian Club).",
            [("restore", PARUKH)],
            5.0,
        ),
        (
            "2022-08-26",
            "after the handover of Lachin, Sus and Aghavno (26 August 2022)",
            "Lachin (Berdzor), Sus and Aghavno (Zabukh) handed over on 25-26 August 2022, the "
            "corridor moved to the new road bypassing them (realkarabakh.com; Wikipedia: Lachin "
            "corridor).",
            [],
            5.0,
        ),
        (
            "2022-09-13",
            "September 2022 (more Azerbaijani positions inside Armenia)",
            "Azerbaijani attack of 13-14 September 2022 towards Jermuk, Sotk, Artanish, Verin "
            "Shorzha, Ishkhanasar and Nerkin Hand: about 139 km2 of Armenia held, 60.06 km2 of it "
            "near Jermuk (Chief of the General Staff E. Asryan via Panorama.am, 28 Apr 2023; "
            "irates.am).",
            [],
            5.0,
        ),
        (
            "2023-04-23",
            "after the Hakari bridge checkpoint (23 April 2023)",
            "Azerbaijan set up a checkpoint at the Hakari bridge at the Armenian end of the "
            "Lachin corridor on 23 April 2023 (the road blockaded since 12 December 2022): the "
            "corridor no longer counted with the Armenian-held area (Wikipedia: Blockade of "
            "Nagorno-Karabakh).",
            [],
            5.0,
        ),
        (
            "2023-09-20",
            "after the Azerbaijani offensive of 19-20 September 2023",
            "Wikipedia: 2023 Azerbaijani offensive in Nagorno-Karabakh: the Nagorno-Karabakh "
            "authorities agreed to disarm on 20 September 2023.",
            ["ALL"],
            5.0,
        ),
        (
            "2024-05-24",
            "after the return of four Gazakh villages (24 May 2024)",
            "Border delimitation of 19 April-15 May 2024: Baghanis Ayrim, Ashagi Askipara, "
            "Kheyrimli and Gizilhajili (6.5 km2, of which Armenia held about two and a half "
            "villages) taken over by Azerbaijan's border guards on 24 May 2024 (News.az, "
            "Turan, Azon.global).",
            [],
            5.0,
        ),
    ]
    out = []
    held = base
    for start, label, source, gains, prec in steps:
        for g in gains:
            if g == "NKAO":
                held = held.intersection(NKAO)
            elif g == "ALL":
                held = held.difference(held)
            elif isinstance(g, tuple):  # ("restore", area): back with the Armenian-held area
                held = unary_union([held, g[1].intersection(NKAO).intersection(base)])
            else:
                held = held.difference(g)
        if "2020-10-09" <= start < "2020-12-12":
            held = unary_union([held, HIN_TAGHER.intersection(base)])
        out.append((start, label, source, held, prec))
    return out


# Sectors of Armenia where Azerbaijani forces took positions across the border, and the
# area held there by Armenia's count (km2); drawn as bands of one depth along the border.
SECTORS_2021: list[list[LatLon]] = [
    [(39.54, 46.15), (39.66, 46.15), (39.66, 46.32), (39.54, 46.32)],  # Lake Sev (39.598, 46.231)
    [(40.10, 45.82), (40.26, 45.82), (40.26, 46.05), (40.10, 46.05)],  # Verin Shorzha, Kut
]
AREA_2021_KM2 = 41.0
SECTOR_JERMUK: list[LatLon] = [(39.72, 45.66), (39.93, 45.66), (39.93, 45.90), (39.72, 45.90)]
AREA_JERMUK_KM2 = 60.06
SECTORS_2022: list[list[LatLon]] = [
    [(40.18, 45.55), (40.46, 45.55), (40.46, 45.92), (40.18, 45.92)],  # Sotk, Artanish
    [(39.03, 46.45), (39.14, 46.45), (39.14, 46.62), (39.03, 46.62)],  # Nerkin Hand
    [(39.55, 46.10), (39.70, 46.10), (39.70, 46.35), (39.55, 46.35)],  # Ishkhanasar
]
AREA_2022_OTHER_KM2 = 139.0 - AREA_JERMUK_KM2
# The Azerbaijani villages of Gazakh district on the Tavush border (Baghanis Ayrim to
# Gizilhajili) held by Armenia until 24 May 2024: about 4 of their 6.5 km2.
SECTOR_GAZAKH: list[LatLon] = [(40.98, 45.00), (41.15, 45.00), (41.15, 45.20), (40.98, 45.20)]
AREA_GAZAKH_KM2 = 4.0


@lru_cache(maxsize=1)
def positions_in_armenia() -> tuple[Any, Any, tuple[float, float, float]]:
    """Azerbaijani positions inside Armenia: May 2021, and all of them after September 2022;
    and the depths (km) of the bands that stand for them."""
    am_main = country_parts("AM")[0]
    border = am_main.boundary.intersection(_mainland().buffer(0.01))
    d1, may_2021 = border_bands(SECTORS_2021, border, am_main, AREA_2021_KM2, METRIC)
    d2, jermuk = border_bands([SECTOR_JERMUK], border, am_main, AREA_JERMUK_KM2, METRIC)
    d3, others = border_bands(SECTORS_2022, border, am_main, AREA_2022_OTHER_KM2, METRIC)
    return may_2021, unary_union([may_2021, jermuk, others]), (d1, d2, d3)


@lru_cache(maxsize=1)
def gazakh_villages() -> Any:
    """The Armenian-held parts of the four Gazakh villages (a band on Azerbaijan's side)."""
    am_main = country_parts("AM")[0]
    border = _mainland().boundary.intersection(am_main.buffer(0.01))
    return border_bands([SECTOR_GAZAKH], border, _mainland(), AREA_GAZAKH_KM2, METRIC)[1]


def corridors() -> tuple[Any, Any]:
    """The Lachin corridor (5 km wide) on the road through Lachin, and on its 2022 route,
    from the edge of Stepanakert (the town itself is not the corridor's) to the border."""
    mainland = _mainland()
    old = buffer_km(line(LACHIN_ROAD[1:]), 2.5, METRIC, cap_style="flat").intersection(mainland)
    new = buffer_km(line(LACHIN_ROAD_2022[1:]), 2.5, METRIC, cap_style="flat")
    return old, new.intersection(mainland)


def snapshots() -> list[Snapshot]:
    """Control snapshots, 1994 to the present."""
    armenia = country_parts("AM")
    azerbaijan = country_parts("AZ")
    am_main, artsvashen = armenia[0], unary_union(armenia[1:])
    nakhchivan = azerbaijan[1]
    # Azerbaijani exclaves inside Armenia (held by Armenia since the early 1990s).
    exclaves = unary_union(
        [p for p in azerbaijan[2:] if p.centroid.x < 46.0 and not p.intersects(nakhchivan)]
    )
    may_2021, since_2022, _ = positions_in_armenia()
    old_route, new_route = corridors()
    out = []
    for start, label, source, held, prec in held_steps():
        parts: list[tuple[str, Any]] = [
            ("armenia:am", am_main),
            ("armenia:am", exclaves),
            ("azerbaijan", artsvashen),
        ]
        if start < "2024-05-24":
            parts.append(("armenia:am", gazakh_villages()))
        if "2021-05-12" <= start < "2022-09-13":
            parts.append(("azerbaijan", may_2021))
        elif start >= "2022-09-13":
            parts.append(("azerbaijan", since_2022))
        if not held.is_empty:
            parts.append(("armenia:nk", held))
        if "2020-12-01" <= start < "2022-08-26":
            parts.append(("armenia:nk", old_route))
        elif "2022-08-26" <= start < "2023-04-23":
            parts.append(("armenia:nk", new_route))
        out.append(
            Snapshot(
                start,
                label,
                source + " Exclaves (Artsvashen; Yukhari Askipara and Barkhudarly) and, until 24 "
                "May 2024, the Gazakh border villages with their de facto holder. Factions: "
                "'am' the Republic of Armenia, 'nk' the Nagorno-Karabakh authorities and the "
                "Armenian forces with them.",
                prec,
                parts,
                front_precision_km=prec,
            )
        )
    return out


def features() -> list[dict[str, Any]]:
    """All features of the Caucasus theatre."""
    am, az = country("AM"), country("AZ")
    feats = control_series(
        theatre=THEATRE,
        land=unary_union([am, az]),
        borders=unary_union([am.boundary, az.boundary]),
        default_actor="azerbaijan",
        snapshots=snapshots(),
        end=None,
        metric=METRIC,
        front_name="Line of contact, Nagorno-Karabakh",
    )
    mainland = _mainland()
    feats.append(
        feature(
            id="caucasus.zone.nkao",
            theatre=THEATRE,
            kind="zone",
            name="Former Nagorno-Karabakh Autonomous Oblast",
            actor=None,
            valid_from="1923-07-07",
            valid_to=None,
            source="Boundary of the Nagorno-Karabakh Autonomous Oblast (1923-1991) as on "
            "Soviet and Wikipedia maps, drawn through its towns' positions; kept as a "
            "reference zone (valid_to null) though the oblast was abolished in 1991.",
            precision_km=4.0,
            geometry=NKAO.intersection(mainland),
        )
    )
    corridor, corridor_2022 = corridors()
    remnant = next(h for d, _, _, h, _ in held_steps() if d == "2022-08-26")
    periods = [
        ("2020-11-10", "2022-08-25", corridor, "the corridor through Lachin"),
        ("2022-08-26", "2023-04-22", corridor_2022, "the corridor's 2022 route"),
        ("2023-04-23", "2024-06-12", None, "no corridor after the Hakari checkpoint"),
    ]
    for start, end, road_zone, what in periods:
        feats.append(
            feature(
                id=f"caucasus.zone.peacekeeping.{start}",
                theatre=THEATRE,
                kind="zone",
                name="Russian peacekeeping zone",
                actor="russia",
                valid_from=start,
                valid_to=end,
                source="Trilateral statement of 10 November 2020: Russian peacekeepers along "
                "the line of contact in Nagorno-Karabakh and along the Lachin corridor; "
                "withdrawal completed June 2024. Drawn as the area held after 1 December 2020 "
                f"plus {what}.",
                precision_km=5.0,
                geometry=remnant if road_zone is None else unary_union([remnant, road_zone]),
                layer="caucasus/zone/peacekeeping",
            )
        )
    feats.append(
        feature(
            id="caucasus.corridor.lachin",
            theatre=THEATRE,
            kind="corridor",
            name="Lachin corridor",
            actor="russia",
            valid_from="2020-11-10",
            valid_to="2022-08-25",
            source="Trilateral statement of 10 November 2020, point 6: the Lachin corridor, "
            "5 km wide, under Russian peacekeepers. Derived: the Stepanakert-Lachin-Goris "
            "road buffered 2.5 km each side in UTM 38N.",
            precision_km=2.0,
            geometry=corridor,
            layer="caucasus/corridor/lachin",
        )
    )
    feats.append(
        feature(
            id="caucasus.corridor.lachin-2022",
            theatre=THEATRE,
            kind="corridor",
            name="Lachin corridor (new route bypassing Lachin)",
            actor="russia",
            valid_from="2022-08-26",
            valid_to="2023-04-22",
            source="The new road bypassing Lachin, Sus and Aghavno (Zabukh) by Mets Shen and Hin "
            "Shen, used from 26 August 2022 until Azerbaijan's checkpoint at the Hakari bridge "
            "(23 April 2023) (CivilNet 22 Aug 2022; Caucasian Knot 11 Aug 2022; Asbarez 30 Mar "
            "2023). Derived: the road buffered 2.5 km each side in UTM 38N; road drawn at about "
            "2 km.",
            precision_km=2.0,
            geometry=corridor_2022,
            layer="caucasus/corridor/lachin",
        )
    )
    feats.append(
        feature(
            id="caucasus.road.lachin",
            theatre=THEATRE,
            kind="road",
            name="Stepanakert-Lachin-Goris road",
            actor=None,
            valid_from="1980-01-01",
            valid_to=None,
            source="Drawn through Stepanakert, Shusha's foot, Lachin, Aghavno (Zabukh), Tegh and "
            "Goris; reference feature, not dated.",
            precision_km=1.5,
            geometry=line(LACHIN_ROAD),
        )
    )
    feats += _blockade_and_route(remnant)
    return feats


def tripp_route() -> Any:
    """The planned route through Syunik: Armenia's border with Iran (the Aras) from the
    Nakhchivan border to Zangilan's, along which the Soviet-era railway ran."""
    am_main = country_parts("AM")[0]
    aras = am_main.boundary.intersection(country("IR").buffer(0.005))
    return clean_lines(aras, 1000.0, METRIC)


def _blockade_and_route(remnant: Any) -> list[dict[str, Any]]:
    """The blockade of 2022-2023 (zone and sites), and the 2025 route through Syunik."""
    blockade = "Wikipedia: Blockade of Nagorno-Karabakh; Asbarez 30 Mar 2023"
    return [
        feature(
            id="caucasus.zone.blockade",
            theatre=THEATRE,
            kind="zone",
            name="Nagorno-Karabakh under blockade",
            actor=None,
            valid_from="2022-12-12",
            valid_to="2023-09-20",
            source=f"{blockade}: the Lachin corridor closed to traffic from 12 December 2022 "
            "(protesters, then the Hakari checkpoint of 23 April 2023 and the closure of 15 "
            "June 2023) until the offensive of 19-20 September 2023. Drawn as the "
            "Armenian-held area of the time.",
            precision_km=5.0,
            geometry=remnant,
        ),
        feature(
            id="caucasus.site.blockade-camp",
            theatre=THEATRE,
            kind="site",
            name="Blockade of the Lachin corridor: protesters' camp on the road below Shusha",
            actor="azerbaijan",
            valid_from="2022-12-12",
            valid_to="2023-04-28",
            source=f"{blockade}: Azerbaijani protesters blocked the road near Shusha from 12 "
            "December 2022 and ended their action on 28 April 2023, after the checkpoint was "
            "set up. Position read off public maps.",
            precision_km=3.0,
            geometry=point(39.757, 46.705),
        ),
        feature(
            id="caucasus.site.hakari-checkpoint",
            theatre=THEATRE,
            kind="site",
            name="Azerbaijani checkpoint at the Hakari bridge",
            actor="azerbaijan",
            valid_from="2023-04-23",
            valid_to=None,
            source=f"{blockade}: Azerbaijan's checkpoint at the Hakari bridge, at the Armenian "
            "end of the Lachin corridor, from 23 April 2023; the bridge's position is the "
            "gazetteer's.",
            precision_km=1.0,
            geometry=point(39.5530, 46.5550),
        ),
        feature(
            id="caucasus.line.tripp",
            theatre=THEATRE,
            kind="line",
            name="Planned route through Syunik (TRIPP)",
            actor=None,
            valid_from="2025-08-08",
            valid_to=None,
            source="Washington declaration of 8 August 2025 (Azatutyun 13 Aug 2025; GMF 13 Aug "
            "2025): a transit route through Armenia's Syunik between Azerbaijan and Nakhchivan "
            "under Armenian jurisdiction, its railway on the Soviet-era line of about 42 km "
            "(Pashinyan via Kazinform, 13 Nov 2025; Armenpress 3 Mar 2022). Derived: "
            "Armenia's border with Iran along the Aras (Natural Earth), which that line "
            "follows; the alignment is not published.",
            precision_km=2.0,
            geometry=tripp_route(),
        ),
    ]
