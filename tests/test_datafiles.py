"""frontmap.datafiles: the four output formats, streamed, the same bytes as the CLI."""

from __future__ import annotations

import csv
import io
import json

import geopandas as gpd
import pytest

from frontmap import datafiles
from frontmap.cli import main
from frontmap.datafiles import GeoparseWriter, csv_cell, write_mentions
from frontmap.errors import InputError
from frontmap.pipeline import geoparse_articles, geoparse_events, iter_geoparse, read_articles

ARTICLES = [
    {"id": "=cmd|' /C calc'!A0", "text": "Shelling hit Saraqib and Ariha.", "date": "2020-02-27"},
    {"id": "b", "text": "Nothing happened here today."},
    {"id": "c", "text": "Clashes near Tarhuna; the LNA held Gharyan.", "date": "2019-06-01"},
]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "in.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".geojson", ".csv", ".parquet"])
def test_library_and_command_write_the_same_bytes(tmp_path, source, suffix, capsys) -> None:
    assert main(["geoparse", str(source), "-o", str(tmp_path / f"cli{suffix}"), "--jobs", "1"]) == 0
    articles = read_articles([source])
    mentions, events = geoparse_articles(articles), geoparse_events(articles)
    write_mentions(mentions, tmp_path / f"lib{suffix}", articles=articles, events=events)
    assert (tmp_path / f"lib{suffix}").read_bytes() == (tmp_path / f"cli{suffix}").read_bytes()


def test_jsonl_records_carry_events_after_the_toponyms(tmp_path, source) -> None:
    assert main(["geoparse", str(source), "-o", str(tmp_path / "o.jsonl"), "--jobs", "1"]) == 0
    records = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [list(r) for r in records] == [["id", "date", "toponyms", "events"]] * 3
    shelling = records[0]["events"][0]
    assert list(shelling) == list(datafiles.EVENT_FIELDS)
    assert shelling["sub_event_type"] == "Shelling/artillery/missile attack"
    assert shelling["location"] == "Saraqib" and shelling["toponyms"][0] in [
        [t["start"], t["end"]] for t in records[0]["toponyms"]
    ]
    assert records[1]["events"] == []
    # A frame without events writes records without the key: what an older version wrote.
    articles = read_articles([source])
    write_mentions(geoparse_articles(articles), tmp_path / "lib.jsonl", articles=articles)
    old = [json.loads(x) for x in (tmp_path / "lib.jsonl").read_text().splitlines()]
    assert [list(r) for r in old] == [["id", "date", "toponyms"]] * 3


def test_jsonl_record_per_article_even_without_toponyms(source) -> None:
    out = io.StringIO()
    with GeoparseWriter(out) as writer:
        for result in iter_geoparse(read_articles([source]), sentences=False):
            writer.write(result)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == [a["id"] for a in ARTICLES]
    assert records[1]["toponyms"] == [] and records[0]["date"] == "2020-02-27"
    assert list(records[0]["toponyms"][0]) == list(datafiles.GEOPARSE_FIELDS)


def test_csv_cells_never_run_as_formulas(tmp_path, source) -> None:
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("-2") == "'-2" and csv_cell(-2.5) == -2.5
    assert main(["geoparse", str(source), "-o", str(tmp_path / "o.csv"), "--jobs", "1"]) == 0
    with (tmp_path / "o.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["article_id"] == "'=cmd|' /C calc'!A0"
    assert all(not r["article_id"].startswith(("=", "+", "-", "@")) for r in rows)


def test_geoparquet_is_written_a_row_group_at_a_time(tmp_path, source, monkeypatch) -> None:
    import pyarrow.parquet as pq

    monkeypatch.setattr(datafiles, "PARQUET_ROW_GROUP", 2)
    articles = read_articles([source])
    mentions = geoparse_articles(articles)
    write_mentions(mentions, tmp_path / "o.parquet", articles=articles)
    assert pq.ParquetFile(tmp_path / "o.parquet").num_row_groups >= 2
    back = gpd.read_parquet(tmp_path / "o.parquet")
    assert back.crs.to_epsg() == 4326
    assert back["surface"].tolist() == mentions["surface"].tolist()
    assert back.geometry.x.tolist() == mentions["lon"].tolist()
    assert [list(z) for z in back["zones"]] == mentions["zones"].tolist()


def test_a_failure_leaves_no_file(tmp_path) -> None:
    target = tmp_path / "o.geojson"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), GeoparseWriter(target):
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["o.geojson"]
    with pytest.raises(InputError, match="unknown output format '.xlsx'"):
        GeoparseWriter(tmp_path / "o.xlsx")
