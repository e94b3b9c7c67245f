"""`frontmap events` and `frontmap evaluate --events` (real gazetteer and layers)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from frontmap.cli import main
from frontmap.datafiles import ACLED_COLUMNS, write_events
from frontmap.pipeline import geoparse_events, read_articles

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
ARTICLE = {
    "id": "cli-1",
    "date": "2020-10-27",
    "url": "https://example.org/cli-1",
    "text": (
        "Russian jets struck a camp near Kafr Takharim on Monday, killing =5 fighters. "
        "On Tuesday, rebels shelled government posts near Saraqib."
    ),
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def article(tmp_path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    return path


def test_events_writes_acled_columns(tmp_path, capsys, article) -> None:
    out = tmp_path / "events.csv"
    code, stdout, err = run(capsys, "events", str(article), "-o", str(out), "--jobs", "1")
    assert code == 0, err
    assert stdout.strip() == f"{out}: 2 events"
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:12] == [
        "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location",
        "latitude", "longitude", "geo_precision", "fatalities", "source", "notes",
    ]  # fmt: skip
    assert list(rows[0]) == list(ACLED_COLUMNS)
    strike, shelling = rows
    assert strike["event_date"] == "2020-10-26" and strike["actor1"] == "Military Forces of Russia"
    assert strike["sub_event_type"] == "Air/drone strike" and strike["geo_precision"] == "2"
    assert strike["source"] == ARTICLE["url"] and strike["notes"].startswith("Russian jets")
    assert strike["fatalities"] == ""  # "=5" is no number: not stated
    assert (
        shelling["event_date"] == "2020-10-27" and shelling["actor1"] == "Opposition Rebels (Syria)"
    )
    assert shelling["actor2"] == "Military Forces of Syria" and shelling["location"] == "Saraqib"


def test_events_as_geojson_and_jsonl_and_the_library_writes_the_same(tmp_path, capsys, article):
    for suffix in (".geojson", ".jsonl", ".csv"):
        cli = tmp_path / f"cli{suffix}"
        assert run(capsys, "events", str(article), "-o", str(cli), "--jobs", "1")[0] == 0
        lib = write_events(geoparse_events(read_articles([article])), tmp_path / f"lib{suffix}")
        assert lib.read_bytes() == cli.read_bytes(), suffix
    features = json.loads((tmp_path / "cli.geojson").read_text())["features"]
    assert features[0]["geometry"]["type"] == "Point"
    assert features[0]["properties"]["actor1_name"] == "Military Forces of Russia"


def test_events_bad_output_and_input_as_output(tmp_path, capsys, article) -> None:
    code, _, err = run(capsys, "events", str(article), "-o", str(tmp_path / "e.xlsx"))
    assert code == 2 and "unknown events format" in err and not (tmp_path / "e.xlsx").exists()
    before = article.read_bytes()
    code, _, err = run(capsys, "events", str(article), "-o", str(article))
    assert code == 2 and "is also an input" in err and article.read_bytes() == before
    code, _, err = run(
        capsys, "events", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.csv")
    )
    assert code == 2 and not (tmp_path / "o.csv").exists() and err.count("\n") == 1


def test_evaluate_events(tmp_path, capsys, article) -> None:
    pred = tmp_path / "pred.jsonl"
    assert run(capsys, "geoparse", str(article), "-o", str(pred), "--jobs", "1")[0] == 0
    text = ARTICLE["text"]
    start = text.index("Russian")
    gold = {
        "id": "cli-1",
        "events": [
            {
                "start": start,
                "end": text.index(", killing"),
                "event_type": "Explosions/Remote violence",
                "sub_event_type": "Air/drone strike",
                "actor1": "russia",
                "actor2": None,
                "fatalities": None,
                "event_date": "2020-10-26",
                "time_precision": 1,
                "geo_precision": 2,
                "location": None,
                "locations": [],
                "mentions": [],
            }
        ],
    }
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "evaluate", "--events", "--json", str(gold_path), str(pred))
    assert code == 0, err
    o = json.loads(out)["overall"]
    assert (o["n_gold"], o["n_pred"], o["recall"], o["type"], o["actor1"]) == (1, 2, 1.0, 1.0, 1.0)
    code, out, _ = run(capsys, "evaluate", "--events", str(gold_path), str(pred))
    assert code == 0 and out.startswith("events: 1 articles")
    # Toponym gold is not event gold: one line, status 2.
    toponyms = tmp_path / "toponyms.jsonl"
    toponyms.write_text(json.dumps({"id": "cli-1", "toponyms": []}) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", "--events", str(toponyms), str(pred))
    assert code == 2 and "has no 'events'" in err and err.count("\n") == 1


def test_geoparse_record_keeps_its_earlier_fields_first(capsys) -> None:
    code, out, err = run(capsys, "geoparse", str(EXAMPLES / "articles.jsonl"), "--jobs", "1")
    assert code == 0, err
    for line in out.splitlines():
        record = json.loads(line)
        assert list(record) == ["id", "date", "toponyms", "events"]
        spans = {(t["start"], t["end"]) for t in record["toponyms"]}
        for e in record["events"]:
            assert all(tuple(t) in spans for t in e["toponyms"])


def test_map_draws_the_events_of_each_theatre(tmp_path, capsys) -> None:
    """`frontmap map` collects the events as `report` does, and each map draws its own."""
    import re

    code = main(["map", str(EXAMPLES / "articles.jsonl"), "-o", str(tmp_path / "o")])
    capsys.readouterr()
    assert code == 0
    page = (tmp_path / "o" / "idlib.html").read_text(encoding="utf-8")
    match = re.search(r"frontmap\.draw\(\s*\w+,\s*JSON\.parse\('((?:[^'\\]|\\.)*)'\)\);\n", page)
    assert match
    data = json.loads(re.sub(r"\\(.)", lambda m: m.group(1), match.group(1)))
    expected = geoparse_events(read_articles([EXAMPLES / "articles.jsonl"]))
    idlib = expected[(expected["theatre"] == "idlib") & expected["latitude"].notna()]
    assert len(data["events"]["rows"]) == len(idlib) > 0
    assert {data["events"]["strings"][r[10]] for r in data["events"]["rows"]} == set(
        idlib["location"]
    )
