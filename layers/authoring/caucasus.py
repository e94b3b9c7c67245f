"""Nagorno-Karabakh: the former NKAO, the line of contact, the 2020 war, the ceasefire.

All anchors are (lat, lon). The area held by Armenian forces is the 1994 line of
contact's area less the Azerbaijani gains of each step of the 2020 war and the
districts handed over after the ceasefire; Armenia itself is ``armenia``, the
rest of Azerbaijan ``azerbaijan``.
"""

from __future__ import annotations

from typing import Any

from shapely.ops import unary_union

from ...theatres import get_theatre
from .common import (
    Snapshot,
    buffer_km,
    control_series,
    country,
    country_parts,
    feature,
    line,
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
SUGOVUSHAN = poly([(40.35, 46.55), (40.35, 47.00), (40.15, 47.00), (40.15, 46.55)])
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
TOWARDS_SHUSHA = poly(
    [(39.70, 46.95), (39.66, 46.85), (39.62, 46.75), (39.55, 46.70), (39.50, 46.75), (39.50, 47.00)]
)
SHUSHA = poly(
    [
        (39.785, 46.70),
        (39.785, 46.775),
        (39.745, 46.79),
        (39.70, 46.82),
        (39.65, 46.85),
        (39.60, 46.78),
        (39.62, 46.66),
        (39.70, 46.64),
    ]
)

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
    (39.8153, 46.7519),  # Stepanakert
    (39.790, 46.720),
    (39.765, 46.700),  # below Shusha
    (39.730, 46.660),
    (39.690, 46.600),
    (39.640, 46.550),  # Lachin (Berdzor)
    (39.610, 46.470),  # Zabukh
    (39.580, 46.400),
    (39.550, 46.340),  # Armenian border, towards Goris
]
LACHIN_ROAD_2022 = [
    (39.8153, 46.7519),
    (39.790, 46.720),
    (39.765, 46.700),
    (39.700, 46.640),
    (39.620, 46.600),  # south of Lachin
    (39.570, 46.500),
    (39.530, 46.420),
    (39.510, 46.360),  # Armenian border near Kornidzor
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
            [GUBADLI, TOWARDS_SHUSHA],
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
            "Trilateral statement of 10 November 2020: Lachin district returned 1 December 2020; "
            "the Lachin corridor under Russian peacekeepers (not Armenian forces) is counted "
            "as Azerbaijan's. Held area: the part of the former NKAO not taken in the war.",
            ["NKAO"],
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
    ]
    out = []
    held = base
    for start, label, source, gains, prec in steps:
        for g in gains:
            if g == "NKAO":
                held = held.intersection(NKAO)
            elif g == "ALL":
                held = held.difference(held)
            else:
                held = held.difference(g)
        out.append((start, label, source, held, prec))
    return out


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
    out = []
    for start, label, source, held, prec in held_steps():
        parts: list[tuple[str, Any]] = [
            ("armenia", am_main),
            ("armenia", exclaves),
            ("azerbaijan", artsvashen),
        ]
        if not held.is_empty:
            parts.append(("armenia", held))
        out.append(
            Snapshot(
                start,
                label,
                source + " Exclaves (Artsvashen; Yukhari Askipara and Barkhudarly) with their "
                "de facto holder.",
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
    corridor = buffer_km(line(LACHIN_ROAD), 2.5, METRIC, cap_style="flat").intersection(mainland)
    corridor_2022 = buffer_km(line(LACHIN_ROAD_2022), 2.5, METRIC, cap_style="flat").intersection(
        mainland
    )
    remnant = held_steps()[-2][3]
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
            source="The new road bypassing Lachin, Sus and Zabukh, used from 26 August 2022 "
            "until Azerbaijan's checkpoint at the Hakari bridge (23 April 2023). Derived: the "
            "road buffered 2.5 km each side in UTM 38N; road drawn at about 3 km.",
            precision_km=3.0,
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
            source="Drawn through Stepanakert, Shusha's foot, Lachin and Zabukh; reference "
            "feature, not dated.",
            precision_km=1.5,
            geometry=line(LACHIN_ROAD),
        )
    )
    return feats
