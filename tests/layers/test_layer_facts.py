"""Known facts of control, held as invariants of the shipped layers.

Each row: place, (lat, lon), day, expected actor key. Days are chosen well clear
of the day a place changed hands, so the facts hold whatever the layers' precision.
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
    ("Nubl", 36.3787, 36.9929, "2021-01-01", "government"),
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
    ("Lachin", 39.6400, 46.5500, "2020-12-02", "azerbaijan"),
    ("Martuni", 39.7914, 47.1100, "2021-06-01", "armenia"),
    ("Horadiz", 39.4500, 47.3400, "2019-01-01", "azerbaijan"),
    ("Tartar", 40.3400, 46.9300, "2019-01-01", "azerbaijan"),
    ("Yerevan", 40.1811, 44.5136, "2021-01-01", "armenia"),
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
    ("theatre", "first", "last"),
    [
        ("idlib", "2018-09-17", "2024-11-26"),
        ("libya", "2019-04-04", None),
        ("caucasus", "1994-05-12", None),
    ],
)
def test_control_covers_its_period(theatre: str, first: str, last: str | None) -> None:
    """Control snapshots of a theatre follow each other day after day, without a gap."""
    from frontmap.layers import load_layers

    frame = load_layers()
    ctl = frame[(frame.theatre == theatre) & (frame.kind == "control")]
    for actor, rows in ctl.groupby("actor"):
        rows = rows.sort_values("valid_from")
        starts = list(rows.valid_from)
        ends = list(rows.valid_to)
        assert starts[0].isoformat() == first, actor
        for end, nxt in zip(ends[:-1], starts[1:], strict=True):
            assert end + dt.timedelta(days=1) == nxt, (actor, end, nxt)
        assert (ends[-1].isoformat() if ends[-1] else None) == last, actor
    # before and after the covered period, no control at all
    day_before = dt.date.fromisoformat(first) - dt.timedelta(days=1)
    assert len(layers_at(day_before, theatre).query("kind == 'control'")) == 0


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
    assert join(shusha, date="2024-01-01")["front_km"][0] is None  # no front after Sept 2023
