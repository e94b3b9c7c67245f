"""Known facts of control, held as invariants of the shipped layers.

Each row: place, (lat, lon), day, expected actor key. Days are chosen clear of the
day a place changed hands (by days during the offensive of November-December 2024,
whose towns the sources date to the day), so the facts hold whatever the layers'
precision. Positions are GeoNames' (via the gazetteer). The sources of each fact
are those of the snapshot it falls in (``data/layers/README.md``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from frontmap.layers import control_at, join, layers_at

FACTS = [
    # Idlib and northwest Syria
    ("Saraqib", 35.8645, 36.8059, "2020-01-15", "opposition"),
    ("Saraqib", 35.8645, 36.8059, "2020-02-10", "government"),
    ("Saraqib", 35.8645, 36.8059, "2020-02-28", "opposition"),
    ("Saraqib", 35.8645, 36.8059, "2020-03-10", "government"),
    ("Saraqib", 35.8645, 36.8059, "2023-06-01", "government"),
    ("Maarat al-Numan", 35.6435, 36.6737, "2019-12-01", "opposition"),
    ("Maarat al-Numan", 35.6435, 36.6737, "2020-02-01", "government"),
    ("Khan Shaykhun", 35.4417, 36.6486, "2019-08-01", "opposition"),
    ("Khan Shaykhun", 35.4417, 36.6486, "2019-09-01", "government"),
    ("Morek", 35.3762, 36.6897, "2019-01-01", "opposition"),
    ("Morek", 35.3762, 36.6897, "2019-09-15", "government"),
    ("Kafr Zita", 35.3743, 36.6033, "2019-01-01", "opposition"),
    ("Halfaya", 35.2601, 36.6058, "2019-01-01", "government"),
    ("Qalaat al-Madiq", 35.4147, 36.3909, "2019-01-01", "opposition"),
    ("Qalaat al-Madiq", 35.4147, 36.3909, "2019-06-15", "government"),
    ("Suqaylabiyah", 35.3667, 36.3936, "2019-01-01", "government"),
    ("Kafr Nabl", 35.6138, 36.5645, "2020-02-01", "opposition"),
    ("Kafr Nabl", 35.6138, 36.5645, "2020-03-10", "government"),
    ("Hish", 35.5479, 36.6436, "2020-02-01", "opposition"),
    ("Hish", 35.5479, 36.6436, "2020-03-10", "government"),
    ("Ariha", 35.8137, 36.6096, "2020-03-10", "opposition"),
    ("Ariha", 35.8137, 36.6096, "2022-06-01", "opposition"),
    ("Jisr al-Shughur", 35.8142, 36.3198, "2020-03-10", "opposition"),
    ("Idlib", 35.9306, 36.6339, "2021-01-01", "opposition"),
    ("Binnish", 35.9566, 36.7138, "2020-03-10", "opposition"),
    ("al-Atarib", 36.1391, 36.8250, "2020-03-10", "opposition"),
    ("Afis", 35.9069, 36.8042, "2020-03-10", "government"),
    ("Zirbah", 36.0677, 36.9801, "2019-03-10", "opposition"),
    ("Zirbah", 36.0677, 36.9801, "2020-03-10", "government"),
    ("Huraytan", 36.2886, 37.0853, "2019-03-10", "opposition"),
    ("Huraytan", 36.2886, 37.0853, "2020-03-10", "government"),
    ("Abu al-Duhur", 35.7406, 37.0448, "2019-01-01", "government"),
    ("Aleppo", 36.2021, 37.1343, "2019-01-01", "government"),
    ("Hama", 35.1350, 36.7550, "2019-01-01", "government"),
    ("Latakia", 35.5200, 35.7900, "2019-01-01", "government"),
    ("Afrin", 36.5119, 36.8695, "2019-01-01", "opposition"),
    ("Azaz", 36.5866, 37.0463, "2019-01-01", "opposition"),
    ("al-Bab", 36.3705, 37.5157, "2019-01-01", "opposition"),
    ("Tall Rifat", 36.4723, 37.0947, "2021-01-01", "sdf"),
    # both sides of the March 2020 line, as it held to November 2024
    ("Kafr Battikh", 35.7819, 36.7236, "2022-06-01", "government"),
    ("Kafr Battikh", 35.7819, 36.7236, "2024-12-01", "opposition"),
    ("Hazarin", 35.5989, 36.5275, "2022-06-01", "government"),
    ("Kansafra", 35.6550, 36.5600, "2022-06-01", "opposition"),
    ("al-Bara", 35.6830, 36.5330, "2022-06-01", "opposition"),
    ("Sarmin", 35.9040, 36.7250, "2022-06-01", "opposition"),
    ("Taftanaz", 35.9983, 36.7858, "2022-06-01", "opposition"),
    ("Darat Izza", 36.2825, 36.8522, "2022-06-01", "opposition"),
    ("Kabani", 35.7750, 36.2650, "2022-06-01", "opposition"),
    ("Kinsabba", 35.7441, 36.1640, "2022-06-01", "government"),
    ("Tell Mardikh", 35.7981, 36.7983, "2022-06-01", "government"),
    ("Anadan", 36.2920, 37.0440, "2022-06-01", "government"),
    ("Urum al-Kubra", 36.1486, 36.9500, "2022-06-01", "government"),
    ("Ain Issa", 36.3855, 38.8623, "2022-06-01", "sdf"),
    ("Suluk", 36.5960, 39.1299, "2022-06-01", "opposition"),
    ("Nubl", 36.3787, 36.9929, "2021-01-01", "government"),
    # ... the whole of Syria, not only the Idlib view
    ("al-Hasakah", 36.5024, 40.7477, "2020-01-01", "sdf"),
    ("Raqqa", 35.9528, 39.0079, "2020-01-01", "sdf"),
    ("Deir ez-Zor", 35.3359, 40.1408, "2020-01-01", "government"),
    ("Damascus", 33.5102, 36.2913, "2020-01-01", "government"),
    ("Jarabulus", 36.8175, 38.0110, "2020-01-01", "opposition"),
    ("al-Tanf", 33.5058, 38.6178, "2020-01-01", "opposition"),
    # ... the offensive of 27 November - 7 December 2024
    ("Urum al-Kubra", 36.1486, 36.9500, "2024-11-25", "government"),
    ("Urum al-Kubra", 36.1486, 36.9500, "2024-11-29", "opposition"),
    ("Saraqib", 35.8645, 36.8059, "2024-11-26", "government"),
    ("Saraqib", 35.8645, 36.8059, "2024-12-02", "opposition"),
    ("Aleppo", 36.2021, 37.1343, "2024-11-26", "government"),
    ("Aleppo", 36.2021, 37.1343, "2024-12-02", "opposition"),
    ("Maarat al-Numan", 35.6483, 36.6769, "2024-12-03", "opposition"),
    ("Khan Shaykhun", 35.4421, 36.6510, "2024-12-04", "opposition"),
    ("Tal Rifaat", 36.4723, 37.0947, "2024-11-28", "sdf"),
    ("Tal Rifaat", 36.4723, 37.0947, "2024-12-05", "opposition"),
    ("Hama", 35.1318, 36.7578, "2024-12-02", "government"),
    ("Hama", 35.1318, 36.7578, "2024-12-07", "opposition"),
    ("Homs", 34.7240, 36.7256, "2024-12-04", "government"),
    ("Daraa", 32.6189, 36.1021, "2024-12-04", "government"),
    ("Daraa", 32.6189, 36.1021, "2024-12-07", "opposition"),
    ("Palmyra", 34.5624, 38.2840, "2024-12-04", "government"),
    ("Damascus", 33.5102, 36.2913, "2024-12-06", "government"),
    ("Deir ez-Zor", 35.3359, 40.1408, "2024-12-04", "government"),
    ("Manbij", 36.5281, 37.9549, "2024-12-05", "sdf"),
    # ... after 8 December 2024 ('government': the transitional government)
    ("Damascus", 33.5102, 36.2913, "2025-06-01", "government"),
    ("Homs", 34.7240, 36.7256, "2025-06-01", "government"),
    ("Latakia", 35.5312, 35.7909, "2025-06-01", "government"),
    ("Idlib", 35.9306, 36.6339, "2025-06-01", "government"),
    ("Aleppo", 36.2021, 37.1343, "2025-06-01", "government"),
    ("Manbij", 36.5281, 37.9549, "2024-12-15", "government"),
    ("Afrin", 36.5119, 36.8695, "2025-06-01", "government"),
    ("Deir ez-Zor", 35.3359, 40.1408, "2024-12-15", "government"),
    ("Abu Kamal", 34.4523, 40.9185, "2025-06-01", "government"),
    ("al-Tanf", 33.5058, 38.6178, "2025-06-01", "government"),
    ("Quneitra", 33.1260, 35.8246, "2025-06-01", "israel"),
    ("Suwayda", 32.7090, 36.5695, "2025-03-01", "druze"),
    ("Suwayda", 32.7090, 36.5695, "2025-10-01", "druze"),
    ("Daraa", 32.6189, 36.1021, "2025-10-01", "government"),
    ("Busra al-Sham", 32.5174, 36.4816, "2025-03-01", "government"),
    ("Sheikh Maqsoud", 36.2320, 37.1520, "2025-06-01", "sdf"),
    ("Sheikh Maqsoud", 36.2320, 37.1520, "2026-02-01", "government"),
    ("Dayr Hafir", 36.1569, 37.7078, "2025-06-01", "sdf"),
    ("Dayr Hafir", 36.1569, 37.7078, "2026-02-01", "government"),
    ("Tabqa", 35.8376, 38.5483, "2025-06-01", "sdf"),
    ("Tabqa", 35.8376, 38.5483, "2026-02-01", "government"),
    ("Raqqa", 35.9528, 39.0079, "2025-06-01", "sdf"),
    ("Raqqa", 35.9528, 39.0079, "2026-02-01", "government"),
    ("al-Shaddadi", 36.0576, 40.7348, "2026-03-01", "government"),
    ("al-Hol", 36.3904, 41.1498, "2026-03-01", "government"),
    ("al-Yarubiyah", 36.8114, 42.0621, "2026-03-01", "government"),
    ("al-Hasakah", 36.5024, 40.7477, "2026-03-01", "sdf"),
    ("Qamishli", 37.0521, 41.2314, "2026-06-01", "sdf"),
    ("Amuda", 37.1042, 40.9300, "2026-06-01", "sdf"),
    ("al-Malikiyah", 37.1770, 42.1401, "2026-06-01", "sdf"),
    # Libya
    ("Tarhuna", 32.435, 13.633, "2020-03-01", "lna"),
    ("Tarhuna", 32.435, 13.633, "2020-07-01", "gna"),
    ("Gharyan", 32.1722, 13.0203, "2019-05-01", "lna"),
    ("Gharyan", 32.1722, 13.0203, "2019-08-01", "gna"),
    ("Sirte", 31.2089, 16.5887, "2019-12-01", "gna"),
    ("Sirte", 31.2089, 16.5887, "2020-02-01", "lna"),
    ("Sirte", 31.2089, 16.5887, "2021-03-01", "lna"),
    ("Sabratha", 32.7933, 12.4885, "2020-03-01", "lna"),
    ("Sabratha", 32.7933, 12.4885, "2020-05-01", "gna"),
    ("al-Watiya air base", 32.471, 11.892, "2020-05-01", "lna"),
    ("al-Watiya air base", 32.471, 11.892, "2020-06-01", "gna"),
    ("Tripoli airport", 32.663, 13.159, "2019-06-01", "lna"),
    ("Tripoli airport", 32.663, 13.159, "2020-06-15", "gna"),
    ("Tripoli", 32.8872, 13.1913, "2019-06-01", "gna"),
    ("Misrata", 32.3754, 15.0925, "2020-03-01", "gna"),
    ("Zawiya", 32.7571, 12.7276, "2020-03-01", "gna"),
    ("Zuwara", 32.9312, 12.0820, "2020-03-01", "gna"),
    ("Zintan", 31.9314, 12.2529, "2020-03-01", "gna"),
    ("Hun (al-Jufra)", 29.1268, 15.9477, "2019-05-01", "lna"),
    ("Waddan (al-Jufra)", 29.1614, 16.1390, "2021-05-01", "lna"),
    ("Sabha", 27.0377, 14.4283, "2020-03-01", "lna"),
    ("Benghazi", 32.1167, 20.0667, "2020-03-01", "lna"),
    ("Bani Walid", 31.7566, 13.9942, "2020-07-01", "gna"),
    # ... the 2020 ceasefire line as it held ('gna': the GNU from March 2021)
    ("Sirte", 31.2089, 16.5887, "2023-06-01", "lna"),
    ("Sirte", 31.2089, 16.5887, "2026-06-01", "lna"),
    ("Waddan (al-Jufra)", 29.1614, 16.1390, "2025-06-01", "lna"),
    ("Misrata", 32.3754, 15.0925, "2025-06-01", "gna"),
    ("Tripoli", 32.8872, 13.1913, "2025-05-20", "gna"),
    ("Benghazi", 32.1167, 20.0667, "2025-06-01", "lna"),
    ("Bin Jawad", 30.8042, 18.0772, "2023-06-01", "lna"),
    ("Sokna", 29.0694, 15.7827, "2023-06-01", "lna"),
    ("Mizda", 31.4493, 12.9853, "2023-06-01", "gna"),
    ("Ghadames", 30.1337, 9.5007, "2023-06-01", "gna"),
    ("Nalut", 31.8685, 10.9812, "2023-06-01", "gna"),
    ("Ubari", 26.5903, 12.7751, "2023-06-01", "lna"),
    ("Kufra", 24.1989, 23.2909, "2023-06-01", "lna"),
    ("Gharyan", 32.1722, 13.0203, "2023-06-01", "gna"),
    # The Caucasus
    ("Shusha", 39.7583, 46.7484, "2020-10-15", "armenia"),
    ("Shusha", 39.7583, 46.7484, "2020-11-20", "azerbaijan"),
    ("Stepanakert", 39.8153, 46.7519, "2021-06-01", "armenia"),
    ("Stepanakert", 39.8153, 46.7519, "2023-10-15", "azerbaijan"),
    ("Hadrut", 39.52, 47.03, "2020-10-01", "armenia"),
    ("Hadrut", 39.52, 47.03, "2020-10-15", "azerbaijan"),
    ("Jabrayil", 39.3998, 47.0245, "2020-09-30", "armenia"),
    ("Jabrayil", 39.3998, 47.0245, "2020-10-20", "azerbaijan"),
    ("Fuzuli", 39.6003, 47.1431, "2020-10-10", "armenia"),
    ("Fuzuli", 39.6003, 47.1431, "2020-10-20", "azerbaijan"),
    ("Zangilan", 39.0857, 46.6525, "2020-10-15", "armenia"),
    ("Zangilan", 39.0857, 46.6525, "2020-10-22", "azerbaijan"),
    ("Gubadli", 39.3439, 46.5797, "2020-10-20", "armenia"),
    ("Gubadli", 39.3439, 46.5797, "2020-10-28", "azerbaijan"),
    ("Agdam", 39.9911, 46.9297, "2019-01-01", "armenia"),
    ("Agdam", 39.9911, 46.9297, "2020-11-15", "armenia"),
    ("Agdam", 39.9911, 46.9297, "2020-11-21", "azerbaijan"),
    ("Kalbajar", 40.1056, 46.0383, "2020-11-22", "armenia"),
    ("Kalbajar", 40.1056, 46.0383, "2020-11-26", "azerbaijan"),
    ("Lachin", 39.6400, 46.5500, "2020-11-28", "armenia"),
    # the towns of the Lachin corridor stayed Armenian until their own handover of 26 Aug 2022
    ("Lachin", 39.6400, 46.5500, "2020-12-05", "armenia"),
    ("Lachin", 39.6400, 46.5500, "2022-06-01", "armenia"),
    ("Lachin", 39.6400, 46.5500, "2022-09-01", "azerbaijan"),
    ("Aghavno (Zabukh)", 39.5897, 46.5433, "2021-06-01", "armenia"),
    ("Aghavno (Zabukh)", 39.5897, 46.5433, "2022-09-01", "azerbaijan"),
    # the handovers of Agdam and Kalbajar districts, and what stayed Armenian
    ("Martakert", 40.2153, 46.8128, "2021-06-01", "armenia"),
    ("Martakert", 40.2153, 46.8128, "2023-10-15", "azerbaijan"),
    ("Askeran", 39.9391, 46.8316, "2021-06-01", "armenia"),
    ("Khojaly", 39.9136, 46.7921, "2021-06-01", "armenia"),
    ("Vank", 40.0528, 46.5442, "2021-06-01", "armenia"),
    ("Dadivank", 40.1614, 46.2880, "2020-11-20", "armenia"),
    ("Dadivank", 40.1614, 46.2880, "2020-11-28", "azerbaijan"),
    ("Talish", 40.3814, 46.7408, "2021-06-01", "azerbaijan"),
    ("Sugovushan", 40.3314, 46.7294, "2021-06-01", "azerbaijan"),
    ("Karin Tak", 39.7417, 46.7492, "2021-06-01", "azerbaijan"),
    ("Avetaranots", 39.7031, 46.8306, "2021-06-01", "azerbaijan"),
    ("Hin Tagher", 39.5075, 46.8236, "2020-11-20", "armenia"),
    ("Hin Tagher", 39.5075, 46.8236, "2021-01-01", "azerbaijan"),
    ("Khtsaberd", 39.5458, 46.7708, "2020-11-20", "armenia"),
    ("Khtsaberd", 39.5458, 46.7708, "2021-01-01", "azerbaijan"),
    ("Parukh", 40.0164, 46.8011, "2022-03-01", "armenia"),
    ("Parukh", 40.0164, 46.8011, "2022-03-26", "azerbaijan"),
    ("Parukh", 40.0164, 46.8011, "2022-06-01", "armenia"),
    ("Mets Shen", 39.6583, 46.6019, "2022-10-01", "armenia"),
    ("Martuni", 39.7914, 47.1100, "2021-06-01", "armenia"),
    ("Horadiz", 39.4500, 47.3400, "2019-01-01", "azerbaijan"),
    ("Tartar", 40.3400, 46.9300, "2019-01-01", "azerbaijan"),
    ("Yerevan", 40.1811, 44.5136, "2021-01-01", "armenia"),
    ("Jermuk", 39.8395, 45.6711, "2023-06-01", "armenia"),
    ("Sotk", 40.2001, 45.8695, "2023-06-01", "armenia"),
    ("Goris", 39.5100, 46.3400, "2021-01-01", "armenia"),
    ("Baku", 40.4093, 49.8671, "2021-01-01", "azerbaijan"),
    ("Nakhchivan", 39.2089, 45.4122, "2021-01-01", "azerbaijan"),
]


@pytest.mark.parametrize(("place", "lat", "lon", "day", "actor"), FACTS)
def test_control_fact(place: str, lat: float, lon: float, day: str, actor: str) -> None:
    assert control_at(lat, lon, day) == actor, place


def test_facts_in_one_join() -> None:
    """The same facts through one vectorised join with a per-row date column."""
    places = pd.DataFrame(
        {
            "name": [f[0] for f in FACTS],
            "lat": [f[1] for f in FACTS],
            "lon": [f[2] for f in FACTS],
            "date": [dt.date.fromisoformat(f[3]) for f in FACTS],
        }
    )
    out = join(places, date="1990-01-01")
    assert list(out["control"]) == [f[4] for f in FACTS]


@pytest.mark.parametrize(
    ("theatre", "first"),
    [("idlib", "2018-09-17"), ("libya", "2019-04-04"), ("caucasus", "1994-05-12")],
)
def test_control_covers_its_period(theatre: str, first: str) -> None:
    """A theatre's areas of control follow each other day after day from its first
    snapshot to today, and each layer's snapshots without a gap."""
    from frontmap.layers import load_layers
    from frontmap.layers.catalog import control_spans

    assert control_spans()[theatre] == [(dt.date.fromisoformat(first), None)]
    frame = load_layers()
    ctl = frame[(frame.theatre == theatre) & (frame.kind == "control")]
    for layer, rows in ctl.groupby("layer"):
        rows = rows.sort_values("valid_from")
        for end, nxt in zip(list(rows.valid_to)[:-1], list(rows.valid_from)[1:], strict=True):
            assert end + dt.timedelta(days=1) == nxt, (layer, end, nxt)
    # before the covered period, no control at all
    day_before = dt.date.fromisoformat(first) - dt.timedelta(days=1)
    assert len(layers_at(day_before, theatre).query("kind == 'control'")) == 0


def test_actor_periods() -> None:
    """The keys of Syria change on 8 December 2024; the Armenian-held area of Karabakh ends
    on 20 September 2023."""
    from frontmap.layers import load_layers

    ctl = load_layers().query("kind == 'control'")
    ctl = ctl.assign(faction=ctl["faction"].fillna("-"))
    span = ctl.groupby(["actor", "faction"]).agg(
        first=("valid_from", "min"), last=("valid_to", lambda v: None if v.isna().any() else max(v))
    )
    day = dt.date.fromisoformat
    assert span.loc[("opposition", "hts")]["last"] == day("2024-12-07")
    assert span.loc[("opposition", "south")]["first"] == day("2024-12-06")
    assert span.loc[("israel", "-")]["first"] == day("2024-12-08")
    assert span.loc[("israel", "-")]["last"] is None
    assert span.loc[("druze", "-")]["first"] == day("2024-12-08")
    assert span.loc[("government", "sna")]["first"] == day("2024-12-08")
    assert span.loc[("government", "sna")]["last"] == day("2025-01-28")
    assert span.loc[("armenia", "nk")]["last"] == day("2023-09-19")
    assert span.loc[("sdf", "-")]["last"] is None


FACTIONS = [
    ("Idlib", 35.9306, 36.6339, "2021-01-01", "opposition", "hts"),
    ("Afrin", 36.5119, 36.8695, "2021-01-01", "opposition", "sna"),
    ("al-Bab", 36.3705, 37.5157, "2021-01-01", "opposition", "sna"),
    ("Tal Abyad", 36.6965, 38.9538, "2021-01-01", "opposition", "sna"),
    ("al-Tanf", 33.5058, 38.6178, "2021-01-01", "opposition", "sfa"),
    ("Daraa", 32.6189, 36.1021, "2024-12-07", "opposition", "south"),
    ("Aleppo", 36.2021, 37.1343, "2024-12-05", "opposition", "hts"),
    ("Afrin", 36.5119, 36.8695, "2025-01-10", "government", "sna"),
    ("Afrin", 36.5119, 36.8695, "2025-06-01", "government", None),
    ("Damascus", 33.5102, 36.2913, "2025-06-01", "government", None),
    ("Stepanakert", 39.8153, 46.7519, "2021-06-01", "armenia", "nk"),
    ("Lachin", 39.6400, 46.5500, "2021-06-01", "armenia", "nk"),
    ("Yerevan", 40.1811, 44.5136, "2021-06-01", "armenia", "am"),
    ("Tripoli", 32.8872, 13.1913, "2022-06-01", "gna", None),
]


def test_factions_within_actors() -> None:
    """The faction of an area of control, beside its actor key (which stays the same)."""
    places = pd.DataFrame(FACTIONS, columns=["name", "lat", "lon", "date", "actor", "faction"])
    places["date"] = places["date"].map(dt.date.fromisoformat)
    places["country"] = ["SY"] * 10 + ["AZ", "AZ", "AM", "LY"]
    out = join(places[["name", "lat", "lon", "date", "country"]])
    assert list(zip(out["control"], out["faction"], strict=True)) == [f[4:] for f in FACTIONS]


def test_border_towns_of_the_theatre_countries() -> None:
    """Kobani's and Tal Abyad's points fall some 500 m on Natural Earth's Turkish side of the
    border: as places of Syria they still get the theatre and the control of the nearest
    area; Nusaybin, in Turkey 1 km from Qamishli, does not."""
    places = pd.DataFrame(
        {
            "lat": [36.8909, 36.6965, 37.0758, 36.8909],
            "lon": [38.3535, 38.9538, 41.2153, 38.3535],
            "country": ["SY", "SY", "TR", None],
            "kind": ["populated_place"] * 4,
            "date": [dt.date(2026, 6, 1), dt.date(2025, 6, 1), dt.date(2025, 6, 1), None],
        }
    )
    out = join(places)
    assert list(out["theatre"]) == ["idlib", "idlib", None, None]
    assert list(out["control"]) == ["sdf", "government", None, None]


def test_zones_on_dates() -> None:
    ariha, khan_shaykhun, idlib = (35.8137, 36.6096), (35.4417, 36.6486), (35.9306, 36.6339)
    places = pd.DataFrame([ariha, khan_shaykhun, idlib], columns=["lat", "lon"])
    before = join(places, date="2018-10-01")
    assert before["zones"][0] == ["idlib.zone.astana"]  # Ariha: deep inside, not in the DMZ
    assert "idlib.zone.sochi-dmz" in before["zones"][1]  # Khan Shaykhun: near the front
    assert "idlib.zone.sochi-dmz" not in before["zones"][2]
    after = join(places, date="2020-04-01")
    assert after["zones"][0] == ["idlib.corridor.m4", "idlib.zone.astana"]
    assert "idlib.corridor.m4" not in after["zones"][2]  # Idlib city is 13 km north of the M4
    stepanakert = pd.DataFrame({"lat": [39.8153], "lon": [46.7519]})
    assert join(stepanakert, date="2019-01-01")["zones"][0] == ["caucasus.zone.nkao"]
    assert join(stepanakert, date="2021-01-01")["zones"][0] == [
        "caucasus.zone.nkao",
        "caucasus.zone.peacekeeping.2020-11-10",
    ]
    assert "caucasus.zone.blockade" in join(stepanakert, date="2023-03-01")["zones"][0]
    israel = pd.DataFrame({"lat": [33.1260], "lon": [35.8246]})  # Quneitra
    assert join(israel, date="2025-01-01")["zones"][0] == ["idlib.zone.israel"]
    assert join(israel, date="2024-12-01")["zones"][0] == []
    lachin = pd.DataFrame({"lat": [39.64], "lon": [46.55]})
    assert "caucasus.corridor.lachin" in join(lachin, date="2021-01-01")["zones"][0]
    assert join(lachin, date="2023-01-01")["zones"][0] == []  # the 2022 route bypasses Lachin


def test_front_distance_facts() -> None:
    saraqib = pd.DataFrame({"lat": [35.8645], "lon": [36.8059]})
    # a front town in March 2020, about 25 km behind the front in September 2018
    assert join(saraqib, date="2020-03-10")["front_km"][0] < 5
    assert 15 < join(saraqib, date="2018-10-01")["front_km"][0] < 40
    sirte = pd.DataFrame({"lat": [31.2089], "lon": [16.5887]})
    assert join(sirte, date="2020-08-01")["front_km"][0] < 40
    shusha = pd.DataFrame({"lat": [39.7583], "lon": [46.7484]})
    assert join(shusha, date="2021-01-01")["front_km"][0] < 5
    assert join(shusha, date="2019-01-01")["front_km"][0] > 25  # deep behind the 1994 line
    # no front in Karabakh after September 2023; the nearest is that of the Azerbaijani
    # positions inside Armenia, west of Lachin
    assert join(shusha, date="2024-01-01")["front_km"][0] > 25
    hama = pd.DataFrame({"lat": [35.1318], "lon": [36.7578]})
    assert join(hama, date="2024-12-04")["front_km"][0] < 15  # the front at its gates
    assert join(hama, date="2025-06-01")["front_km"][0] > 50
