"""Test data for the maps tests: a theatre, places and layers built in code.

The example texts are written here for the tests (they describe no real event).
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, Polygon

from frontmap.theatres import Theatre, get_theatre

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
]


def make_theatre(**overrides: Any) -> Theatre:
    """The Idlib theatre of theatres.json, with fields overridden."""
    return dataclasses.replace(get_theatre("idlib"), **overrides)


ARTICLE_A = (
    "Shelling hit the outskirts of Saraqib overnight, a monitor said. "
    "Columns moved north along the highway from Maarat al-Numan towards Saraqib. "
    "Residents of Binnish fled towards the border."
)
ARTICLE_B = "Talks in the region continued while Binnish stayed quiet."


def mention(
    text: str,
    surface: str,
    name: str,
    lat: float | None,
    lon: float | None,
    *,
    occurrence: int = 0,
    article: str = "a1",
    title: str = "Overnight shelling near Saraqib",
    date: str | None = "2020-02-05",
    url: str | None = "https://example.org/a1",
    gid: str | None = None,
    kind: str = "populated_place",
    precision: int = 1,
    theatre: str | None = "idlib",
    control: str | None = "government",
    front_km: float | None = 3.2,
    zones: list[str] | None = None,
) -> dict[str, Any]:
    """One row of the places DataFrame, offsets computed from ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    end = start + len(surface)
    s0 = text.rfind(". ", 0, start)
    s0 = 0 if s0 < 0 else s0 + 2
    s1 = text.find(". ", end)
    s1 = len(text) if s1 < 0 else s1 + 1
    return dict(
        article_id=article,
        start=start,
        end=end,
        surface=surface,
        name=name,
        lat=lat,
        lon=lon,
        country="SY",
        kind=kind,
        gazetteer_id=gid,
        score=0.87,
        precision=precision,
        sentence=text[s0:s1],
        sentence_start=s0,
        theatre=theatre,
        zones=list(zones or []),
        control=control,
        front_km=front_km,
        article_title=title,
        article_date=date,
        article_url=url,
    )


def make_places() -> pd.DataFrame:
    """Two articles, three distinct places, five mentions."""
    rows = [
        mention(ARTICLE_A, "Saraqib", "Saraqib", 35.8623, 36.8047, gid="163270", zones=["z-idlib"]),
        mention(ARTICLE_A, "Maarat al-Numan", "Ma'arrat an Nu'man", 35.6437, 36.6717, gid="170017"),
        mention(ARTICLE_A, "Saraqib", "Saraqib", 35.8623, 36.8047, gid="163270", occurrence=1),
        mention(
            ARTICLE_A,
            "Binnish",
            "Binnish",
            35.9592,
            36.7137,
            gid="170000",
            precision=2,
            control="opposition",
            front_km=None,
        ),
        mention(
            ARTICLE_B,
            "Binnish",
            "Binnish",
            35.9592,
            36.7137,
            gid="170000",
            article="b2",
            title="Talks continue",
            date="2020-02-20",
            url=None,
            precision=2,
            control="opposition",
        ),
    ]
    return pd.DataFrame(rows)


def make_layers() -> gpd.GeoDataFrame:
    """One feature of every kind, EPSG:4326."""
    return gpd.GeoDataFrame(
        dict(
            id=["z-idlib", "c-gov", "c-opp", "f-1", "corr-m4", "r-m5", "s-1"],
            theatre=["idlib"] * 7,
            kind=["zone", "control", "control", "front_line", "corridor", "road", "site"],
            name=[
                "De-escalation zone",
                "Government-held",
                "Opposition-held",
                "Front line",
                "M4 security corridor",
                "M5 highway",
                "Observation post 9",
            ],
            actor=[None, "government", "opposition", None, None, None, "turkey"],
            valid_from=[None] * 7,
            valid_to=[None] * 7,
            source=[
                "Test source A",
                "Test source B",
                "Test source B",
                "Test source C",
                "Test source A",
                "Test source D",
                "Test source E",
            ],
            precision_km=[5.0, 2.0, 2.0, 1.0, 1.0, 0.5, 0.1],
        ),
        geometry=[
            Polygon([(36.0, 35.3), (37.2, 35.3), (37.2, 36.3), (36.0, 36.3)]),
            Polygon([(36.5, 35.3), (37.2, 35.3), (37.2, 35.75), (36.5, 35.75)]),
            Polygon([(36.0, 35.75), (37.2, 35.75), (37.2, 36.3), (36.0, 36.3)]),
            LineString([(36.0, 35.75), (36.6, 35.76), (37.2, 35.74)]),
            Polygon([(36.3, 35.6), (36.9, 35.6), (36.9, 35.65), (36.3, 35.65)]),
            LineString([(36.7, 35.2), (36.8, 35.9), (37.1, 36.2)]),
            Point(36.78, 35.97),
        ],
        crs="EPSG:4326",
    )


def hostile_places() -> pd.DataFrame:
    """Mentions whose sentence, title and url carry markup and script."""
    text = (
        "Witnesses in Saraqib wrote "
        + HOSTILE[0]
        + " and "
        + HOSTILE[1]
        + " near Binnish, see "
        + HOSTILE[2]
        + "."
    )
    rows = [
        mention(
            text,
            "Saraqib",
            "Saraqib",
            35.8623,
            36.8047,
            gid="1",
            title=HOSTILE[1] + " headline " + HOSTILE[0],
            url=HOSTILE[2],
        ),
        mention(
            text, HOSTILE[1], HOSTILE[1], 35.9, 36.7, title=HOSTILE[0], url="javascript:alert(2)"
        ),
        mention(
            text,
            "Binnish",
            HOSTILE[0],
            35.9592,
            36.7137,
            gid="2",
            kind="<b>bold</b>",
            url="data:text/html,<script>alert(3)</script>",
        ),
    ]
    frame = pd.DataFrame(rows)
    frame.loc[2, "country"] = HOSTILE[1]
    return frame


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)


def draw_data(page: str) -> dict[str, Any]:
    """The JSON object a page passes to ``frontmap.draw`` or a fragment to ``frontmap.mount``.

    The first one on the page.
    """
    import json
    import re

    match = re.search(
        r"frontmap\.(?:draw\(\s*[A-Za-z0-9_]+|mount\(\s*\"[A-Za-z0-9_]+\",\s*\{[^{}]*\}),\s*"
        r"JSON\.parse\('((?:[^'\\]|\\.)*)'\)\);\n",
        page,
        re.DOTALL,
    )
    assert match, "no frontmap.draw or frontmap.mount call in the page"
    return json.loads(js_string(match.group(1)))


def js_string(body: str) -> str:
    """The value of a single-quoted JavaScript string literal's body as the maps write it
    (only ``\\\\`` and ``\\'`` escaped: :func:`frontmap.maps._html.script_data`)."""
    import re

    return re.sub(r"\\(.)", lambda m: m.group(1), body, flags=re.DOTALL)


ARTICLE_C = "Delegations met in Ankara while Saraqib was shelled again and Tripoli stayed calm."

LIBYA = dict(
    id="libya",
    title="Libya",
    countries=("LY",),
    bounds=((19.4, 9.3), (33.3, 25.2)),
    center=(29.0, 17.0),
    zoom=6,
)


def make_articles() -> list[dict[str, Any]]:
    """The three articles of :func:`report_places`, with their texts."""
    return [
        dict(
            id="a1",
            text=ARTICLE_A,
            title="Overnight shelling near Saraqib",
            date="2020-02-05",
            url="https://example.org/a1",
        ),
        dict(id="b2", text=ARTICLE_B, title="Talks continue", date="2020-02-20", url=None),
        dict(
            id="c3",
            text=ARTICLE_C,
            title="Talks in Ankara",
            date="2020-02-21",
            url="https://example.org/c3",
        ),
    ]


def report_places() -> pd.DataFrame:
    """:func:`make_places` and an article naming Ankara (no theatre), Saraqib and Tripoli."""
    extra = [
        mention(
            ARTICLE_C,
            "Ankara",
            "Ankara",
            39.9199,
            32.8543,
            article="c3",
            title="Talks in Ankara",
            date="2020-02-21",
            url="https://example.org/c3",
            gid="323786",
            theatre=None,
            control=None,
            front_km=None,
        ),
        mention(
            ARTICLE_C,
            "Saraqib",
            "Saraqib",
            35.8623,
            36.8047,
            article="c3",
            title="Talks in Ankara",
            date="2020-02-21",
            url="https://example.org/c3",
            gid="163270",
            zones=["z-idlib"],
        ),
        mention(
            ARTICLE_C,
            "Tripoli",
            "Tripoli",
            32.8872,
            13.1913,
            article="c3",
            title="Talks in Ankara",
            date="2020-02-21",
            url="https://example.org/c3",
            gid="2210247",
            theatre="libya",
            control="gna",
            front_km=35.0,
        ),
    ]
    frame = pd.concat([make_places(), pd.DataFrame(extra)], ignore_index=True)
    frame.loc[5, "country"] = "TR"
    frame.loc[7, "country"] = "LY"
    return frame


def report_maps(places: pd.DataFrame, **options: Any) -> list[Any]:
    """The Idlib and Libya maps of ``places`` (as the CLI makes them)."""
    from frontmap.maps import render_theatre

    return [
        render_theatre(t, places[places["theatre"] == t.id], make_layers(), **options)
        for t in (make_theatre(), make_theatre(**LIBYA))
    ]


def popup_parts(data: dict[str, Any], i: int) -> dict[str, Any]:
    """The popup data of marker ``i`` of a map, decoded for assertions.

    Quotes come back with their marked spans wrapped in ``[[...]]`` (a test
    notation: the page builds ``<mark>`` elements from the spans).
    """
    places = data["places"]
    strings, sentences = places["strings"], places["sentences"]
    lat, lon, precision, name, x, arts, shape = places["rows"][i]
    kind, country, gid, score, mentions, groups, more, gazetteer_name = x
    out: dict[str, Any] = dict(
        name=name,
        gazetteer_name=gazetteer_name,
        shape=shape,
        kind=strings[kind],
        country=None if country is None else strings[country],
        gazetteer_id=gid,
        score=score,
        mentions=mentions,
        articles=arts,
        more=more,
        groups=[],
    )
    for article, control, km, zones, quotes in groups:
        texts = []
        for q in quotes:
            text, spans, pos, parts = sentences[q[0]], q[1:], 0, []
            for a, b in zip(spans[::2], spans[1::2], strict=True):
                parts += [text[pos:a], "[[", text[a:b], "]]"]
                pos = b
            texts.append("".join(parts) + text[pos:])
        out["groups"].append(
            dict(
                article=data["articles"][article],
                control=None if control is None else strings[control],
                front_km=km,
                zones=[strings[z] for z in zones],
                quotes=texts,
            )
        )
    return out


ARTICLE_D = (
    "A ceasefire for northwest Syria was discussed, while shelling hit Jisr al-Shughur "
    "near Latakia province and the coast of Syria stayed calm."
)


def area_places() -> pd.DataFrame:
    """:func:`make_places` and a third article, far to the west, naming a region and a country."""
    common = dict(article="d4", title="Talks on the coast", date="2020-02-25", url=None)
    extra = [
        mention(
            ARTICLE_D,
            "northwest Syria",
            "Syria",
            36.2,
            36.7,
            kind="region",
            precision=3,
            control=None,
            front_km=None,
            gid="163843",
            **common,
        ),
        mention(
            ARTICLE_D,
            "Jisr al-Shughur",
            "Jisr ash Shughur",
            35.8126,
            36.3176,
            gid="172374",
            control="opposition",
            front_km=8.0,
            **common,
        ),
        mention(
            ARTICLE_D,
            "Syria",
            "Syria",
            35.0,
            38.0,
            kind="country",
            precision=1,
            control=None,
            front_km=None,
            gid="163843",
            occurrence=0,
            **common,
        ),
    ]
    return pd.concat([make_places(), pd.DataFrame(extra)], ignore_index=True)


HOSTILE_CSS = (
    "svg{max-width:100%;height:auto} *{box-sizing:content-box} img{max-width:100%;height:auto}"
    " div{padding:14px;margin:9px;border:3px solid #f0f;background:#ffd;font:22px/2.2 serif;"
    "color:#909;width:80%} span{font-size:25px;letter-spacing:4px} a{color:red !important}"
    " path{stroke-width:9px} p{margin:30px}"
)


def host_page(*parts: str) -> str:
    """A CMS-like page with a hostile stylesheet around ``parts``."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>host</title>"
        f"<style>{HOSTILE_CSS}</style></head><body><h1>Report</h1><p>Before.</p>"
        + "\n".join(parts)
        + "<p>After.</p></body></html>"
    )


def snapshot_layers() -> Any:
    """Areas of control in three periods; the opposition's area is the same in two."""
    from shapely.geometry import box

    north, south = box(36.0, 35.75, 37.2, 36.3), box(36.5, 35.3, 37.2, 35.75)
    pocket = box(36.1, 35.4, 36.4, 35.7)
    rows = [
        ("c0", "government", south, datetime.date(2020, 1, 1), datetime.date(2020, 1, 15)),
        ("c1", "government", south, datetime.date(2020, 2, 1), datetime.date(2020, 2, 9)),
        ("c2", "opposition", north, datetime.date(2020, 2, 1), datetime.date(2020, 2, 9)),
        ("c3", "government", box(36.5, 35.3, 37.2, 35.8), datetime.date(2020, 2, 10), None),
        ("c4", "opposition", north, datetime.date(2020, 2, 10), None),
        ("c5", "opposition", pocket, datetime.date(2020, 2, 10), None),
    ]
    return gpd.GeoDataFrame(
        dict(
            id=[r[0] for r in rows],
            theatre="idlib",
            kind="control",
            name=[f"{r[1]} ({r[0]})" for r in rows],
            actor=[r[1] for r in rows],
            valid_from=[r[3] for r in rows],
            valid_to=[r[4] for r in rows],
            source="Test source",
            precision_km=2.0,
            layer=[f"idlib/control/{r[1]}" for r in rows],
        ),
        geometry=[r[2] for r in rows],
        crs="EPSG:4326",
    )


def three_dates() -> pd.DataFrame:
    places = make_places()
    early = mention(
        ARTICLE_B,
        "Binnish",
        "Binnish",
        35.9592,
        36.7137,
        article="c3",
        title="Before the snapshots",
        date="2020-01-20",
        url=None,
    )
    return pd.concat([places, pd.DataFrame([early])], ignore_index=True)


def make_events() -> list[dict[str, Any]]:
    """Event rows of the two articles of :func:`make_places` (their texts are written here)."""

    def event(article, date, sub, etype, place, lat, lon, quote, actor1, actor2, dead):
        return dict(
            article_id=article,
            article_title=None,
            article_url=None,
            article_date=date,
            start=0,
            end=len(quote),
            quote=quote,
            event_type=etype,
            sub_event_type=sub,
            actor1=None,
            actor1_side=None,
            actor2=None,
            actor2_side=None,
            fatalities=dead,
            event_date=date,
            time_precision=1,
            location=place,
            latitude=lat,
            longitude=lon,
            country="SY",
            geo_precision=1,
            theatre="idlib",
            control=None,
            toponyms=[],
            mentions=[],
            actor1_name=actor1,
            actor2_name=actor2,
        )

    rows = [
        event(
            "a1",
            "2020-02-05",
            "Shelling/artillery/missile attack",
            "Explosions/Remote violence",
            "Saraqib",
            35.8623,
            36.8047,
            "Shelling hit the outskirts of Saraqib overnight, a monitor said.",
            "Military Forces of Syria",
            None,
            2,
        ),
        event(
            "a1",
            "2020-02-05",
            "Air/drone strike",
            "Explosions/Remote violence",
            "Saraqib",
            35.8623,
            36.8047,
            HOSTILE[0] + " struck Saraqib",
            "Military Forces of Russia",
            HOSTILE[1],
            None,
        ),
        event(
            "b2",
            "2020-02-20",
            "Agreement",
            "Strategic developments",
            "Binnish",
            35.9592,
            36.7137,
            "Talks in the region continued while Binnish stayed quiet.",
            "Military Forces of Turkey",
            "Military Forces of Russia",
            0,
        ),
        event(
            "b2",
            "2020-02-20",
            "Armed clash",
            "Battles",
            "Tripoli",
            32.9,
            13.2,
            "A clash in another theatre.",
            None,
            None,
            None,
        ),
    ]
    rows[-1]["theatre"] = "libya"
    return rows
