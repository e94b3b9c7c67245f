"""The `frontmap` command, end to end on the example articles (real gazetteer and layers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from frontmap.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_map_writes_one_map_per_theatre_and_an_index(tmp_path, capsys) -> None:
    code, out, err = run(capsys, "map", str(EXAMPLES / "articles.jsonl"), "-o", str(tmp_path))
    assert code == 0, err
    names = sorted(Path(line).name for line in out.splitlines())
    assert names == ["caucasus.html", "idlib.html", "index.html", "libya.html"]
    idlib = (tmp_path / "idlib.html").read_text(encoding="utf-8")
    for place in ("Saraqib", "Kafr Nabl", "Bab al-Hawa"):
        assert place in idlib
    assert "Tarhuna" in (tmp_path / "libya.html").read_text(encoding="utf-8")
    caucasus = (tmp_path / "caucasus.html").read_text(encoding="utf-8")
    assert "Stepanakert" in caucasus and "Shusha" in caucasus
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for link in ("idlib.html", "libya.html", "caucasus.html"):
        assert f'href="{link}"' in index
    # Places outside every theatre are listed on the index page.
    for place in ("Ankara", "Moscow", "Cairo"):
        assert place in index
    assert not list(tmp_path.glob(".frontmap-*"))  # no temporary files left


def test_map_output_is_deterministic(tmp_path, capsys) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert run(capsys, "map", str(EXAMPLES / "articles.jsonl"), "-o", str(out))[0] == 0
    for f in a.iterdir():
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_geoparse_writes_the_documented_json(capsys) -> None:
    code, out, err = run(capsys, "geoparse", str(EXAMPLES / "articles.jsonl"))
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    texts = {
        json.loads(line)["id"]: json.loads(line)["text"]
        for line in (EXAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert [r["id"] for r in records] == ["example-idlib", "example-libya", "example-caucasus"]
    keys = {
        "start",
        "end",
        "surface",
        "name",
        "lat",
        "lon",
        "country",
        "kind",
        "gazetteer_id",
        "score",
        "precision",
        "theatre",
        "zones",
        "control",
        "front_km",
        "faction",
        "control_note",
    }
    for r in records:
        assert list(r) == ["id", "date", "toponyms", "events"]  # events after (issue 17)
        assert r["toponyms"]
        for t in r["toponyms"]:
            assert set(t) == keys
            assert texts[r["id"]][t["start"] : t["end"]] == t["surface"]
    libya = {t["surface"]: t for t in records[1]["toponyms"]}
    assert libya["Tarhuna"]["theatre"] == "libya"
    assert libya["Cairo"]["theatre"] is None and libya["Cairo"]["control"] is None


def test_geoparse_to_a_file_and_with_a_date(tmp_path, capsys) -> None:
    out_file = tmp_path / "out.jsonl"
    code, out, _ = run(
        capsys, "geoparse", str(EXAMPLES / "idlib.txt"), "--date", "2020-01-15", "-o", str(out_file)
    )
    assert code == 0 and out.strip() == str(out_file)
    record = json.loads(out_file.read_text(encoding="utf-8"))
    assert record["id"] == "idlib" and record["date"] == "2020-01-15"
    saraqib = next(t for t in record["toponyms"] if t["surface"] == "Saraqib")
    assert saraqib["control"] == "opposition"


def test_locate_json(capsys) -> None:
    code, out, _ = run(capsys, "locate", "Tarhouna", "Khankendi", "--json", "--limit", "3")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["query"] for r in rows] == ["Tarhouna", "Khankendi"]
    first = rows[1]["candidates"][0]
    assert first["name"] == "Stepanakert" and first["country"] == "AZ"
    assert {"name", "lat", "lon", "country", "kind", "gazetteer_id", "score", "source"} <= set(
        first
    )


def test_locate_points_with_a_date(capsys) -> None:
    code, out, _ = run(
        capsys, "locate", "--point", "35.8645,36.8059", "--date", "2020-03-10", "--json"
    )
    assert code == 0
    row = json.loads(out)
    assert row["theatre"] == "idlib" and row["control"] == "government"


@pytest.mark.parametrize(
    "argv",
    [
        ["locate", "--point", "95,10"],
        ["geoparse", "x.txt", "--date", "2020-02-30"],
        ["map", "x.txt"],
    ],
)
def test_usage_errors_exit_2(argv, capsys) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("frontmap: ")
    assert "Traceback" not in err


def test_missing_input_is_one_line_and_status_2(tmp_path, capsys) -> None:
    code, out, err = run(capsys, "map", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o"))
    assert code == 2
    assert err.strip().splitlines() == [f"frontmap: {tmp_path / 'nope.txt'}: no such file"]
    assert not (tmp_path / "o").exists()


def test_bad_inputs_do_not_stop_good_ones(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "text": "Fighting near Saraqib."}\n{broken\n'
        '{"id": "b"}\n{"id": "a", "text": "again"}\n'
        '{"id": "c", "text": "Tarhuna fell.", "date": "2020-02-30"}\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "geoparse", str(bad))
    assert code == 1
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a"]
    lines = err.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith(f"frontmap: {bad}:2: not valid JSON")
    assert f"{bad}:3: missing 'text'" in lines[1]
    assert f"{bad}:4: duplicate article id 'a'" in lines[2]
    assert f"{bad}:5: date: 2020-02-30 is not a real date" in lines[3]


def test_output_dir_that_is_a_file(tmp_path, capsys) -> None:
    target = tmp_path / "file"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "map", str(EXAMPLES / "idlib.txt"), "-o", str(target))
    assert code == 2 and "not a directory" in err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_evaluate_and_layers_check(tmp_path, capsys) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "x",
                "toponyms": [
                    {
                        "start": 0,
                        "end": 7,
                        "surface": "Saraqib",
                        "lat": 35.86,
                        "lon": 36.81,
                        "kind": "populated_place",
                        "country": "SY",
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        json.dumps(
            {
                "id": "x",
                "date": None,
                "toponyms": [
                    {
                        "start": 0,
                        "end": 7,
                        "surface": "Saraqib",
                        "name": "Saraqib",
                        "lat": 35.8645,
                        "lon": 36.8059,
                        "country": "SY",
                        "kind": "populated_place",
                        "gazetteer_id": "g",
                        "score": 1.0,
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "evaluate", str(gold), str(pred), "--json")
    assert code == 0
    assert json.loads(out)["overall"]["end_to_end"]["accuracy"] == 1.0
    code, out, err = run(capsys, "layers", "check")
    assert code == 0, err


def test_console_script_runs(tmp_path) -> None:
    exe = Path(sys.executable).with_name("frontmap")
    if not exe.exists():
        pytest.skip("frontmap is not installed in this environment")
    proc = subprocess.run(
        [str(exe), "geoparse", str(EXAMPLES / "idlib.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["toponyms"]


def test_startup_pauses_the_garbage_collector_only_in_a_process_of_its_own(tmp_path) -> None:
    """``frontmap`` run as a command geoparses its first article without the cyclic
    collector, then freezes what start-up made and collects again (issue 16:
    start-up); a program calling ``main(argv)`` keeps its collector as it was."""
    script = (
        "import gc, sys\n"
        "from frontmap.cli import main\n"
        "assert main(['geoparse', sys.argv[1]]) == 0\n"
        "assert gc.isenabled() and gc.get_freeze_count() == 0\n"
        "paused = []\n"
        "import frontmap.cli as cli\n"
        "parts = cli._counted_parts\n"
        "def spy(*a):\n"
        "    paused.append(not gc.isenabled())\n"
        "    yield from parts(*a)\n"
        "cli._counted_parts = spy\n"
        "sys.argv = ['frontmap', 'map', sys.argv[1], '-o', sys.argv[2]]\n"
        "assert main() == 0\n"
        "assert paused == [True], paused\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 0\n"
        "print('ok')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(EXAMPLES / "idlib.txt"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "ok"
    assert (tmp_path / "out" / "idlib.html").is_file()


def test_gazetteer_build_prepares_what_a_start_would_make(tmp_path) -> None:
    """After ``gazetteer build`` (here: its last step, on a copy of the index) the
    first ``frontmap map`` makes no curated index, layers frame or compiled
    expressions of its own: it reads them (issue 16)."""
    import os

    from frontmap.geo.index import base_index_path

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / base_index_path().name).symlink_to(base_index_path())
    env = {**os.environ, "FRONTMAP_CACHE": str(cache)}
    prep = "from frontmap.cli import _prepare_caches; _prepare_caches()"
    done = subprocess.run([sys.executable, "-c", prep], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    made = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pickle")}
    assert {n.split("-")[0] for n in made} >= {"curated", "layers", "regex"}
    assert any(n.startswith("curated-index-") for n in made)
    script = "import sys; from frontmap.cli import main; sys.exit(main())"
    argv = ["map", str(EXAMPLES / "idlib.txt"), "-o", str(tmp_path / "out")]
    done = subprocess.run(
        [sys.executable, "-c", script, *argv], env=env, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pickle")} == made


# -- batch output (issue 8) ----------------------------------------------------


def many_articles(tmp_path: Path, n: int) -> Path:
    """The example articles repeated under new ids, as one JSON Lines file."""
    lines = (EXAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for i in range(n):
        rec = json.loads(lines[i % len(lines)])
        rec["id"] = f"{rec['id']}-{i}"
        out.append(json.dumps(rec, ensure_ascii=False))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_geoparse_formats_by_extension(tmp_path, capsys) -> None:
    import csv

    import geopandas as gpd

    source = str(EXAMPLES / "articles.jsonl")
    code, out, _ = run(capsys, "geoparse", source)
    assert code == 0
    flat = [
        {"article_id": r["id"], "article_date": r["date"], **t}
        for r in (json.loads(line) for line in out.splitlines())
        for t in r["toponyms"]
    ]
    for name in ("out.geojson", "out.csv", "out.parquet", "out.jsonl"):
        code, out, err = run(capsys, "geoparse", source, "-o", str(tmp_path / name))
        assert code == 0 and out.strip() == str(tmp_path / name), err

    doc = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(flat)
    for feature, row in zip(doc["features"], flat, strict=True):
        assert feature["geometry"] == {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        assert feature["properties"] == row

    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(flat)
    assert (
        list(rows[0])
        == ["article_id", "article_date", *flat[0].keys()][:2] + list(flat[0].keys())[2:]
    )
    for got, row in zip(rows, flat, strict=True):
        assert got["surface"] == row["surface"] and int(got["start"]) == row["start"]
        assert got["zones"] == ";".join(row["zones"])
        assert got["control"] == (row["control"] or "")
        assert float(got["lat"]) == row["lat"]

    frame = gpd.read_parquet(tmp_path / "out.parquet")
    assert frame.crs.to_epsg() == 4326 and len(frame) == len(flat)
    assert frame["surface"].tolist() == [r["surface"] for r in flat]
    assert frame.geometry.x.tolist() == [r["lon"] for r in flat]
    assert [list(z) for z in frame["zones"]] == [r["zones"] for r in flat]

    with (tmp_path / "out.jsonl").open(encoding="utf-8") as fh:
        assert [json.loads(line)["id"] for line in fh] == [
            "example-idlib",
            "example-libya",
            "example-caucasus",
        ]


def test_geoparse_output_does_not_depend_on_jobs(tmp_path, capsys, monkeypatch) -> None:
    from frontmap import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ITEMS", 4)  # many batches: the workers are used
    source = many_articles(tmp_path, 30)
    for suffix in (".jsonl", ".geojson", ".csv", ".parquet"):
        outs = []
        for jobs in ("1", "2"):
            target = tmp_path / f"j{jobs}{suffix}"
            code, _, err = run(capsys, "geoparse", str(source), "-o", str(target), "--jobs", jobs)
            assert code == 0, err
            outs.append(target.read_bytes())
        assert outs[0] == outs[1], suffix
    code, out, _ = run(capsys, "geoparse", str(source), "--jobs", "2")
    assert out.encode("utf-8") == (tmp_path / "j1.jsonl").read_bytes()
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == [json.loads(line)["id"] for line in source.read_text().splitlines()]


class _Terminal:
    """A stderr stand-in that says it is a terminal."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_for_long_runs(tmp_path, capsys, monkeypatch) -> None:
    import frontmap.cli as cli

    many = many_articles(tmp_path, 60)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["geoparse", str(many), "--jobs", "1"]) == 0
    assert terminal.parts == []  # a run shorter than the delay stays quiet
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)
    assert main(["geoparse", str(many), "--jobs", "1"]) == 0
    shown = "".join(terminal.parts)
    assert "geoparse" in shown and "articles" in shown and "%" in shown
    assert shown.rstrip(" ").endswith("\r")  # the bar is cleared at the end
    monkeypatch.undo()
    capsys.readouterr()
    code, out, err = run(capsys, "geoparse", str(many), "--jobs", "1")
    assert code == 0 and err == "" and len(out.splitlines()) == 60  # not a terminal: quiet


def test_map_one_theatre(tmp_path, capsys) -> None:
    code, out, err = run(
        capsys, "map", str(EXAMPLES / "articles.jsonl"), "-o", str(tmp_path), "--theatre", "libya"
    )
    assert code == 0, err
    assert sorted(Path(line).name for line in out.splitlines()) == ["index.html", "libya.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "libya.html"]
    # A theatre no article touches still gets its map (the layers of the day).
    code, out, _ = run(
        capsys,
        "map",
        str(EXAMPLES / "idlib.txt"),
        "-o",
        str(tmp_path / "c"),
        "--theatre",
        "caucasus",
    )
    assert code == 0 and (tmp_path / "c" / "caucasus.html").exists()


def test_map_static_formats(tmp_path, capsys) -> None:
    code, out, err = run(
        capsys,
        "map",
        str(EXAMPLES / "articles.jsonl"),
        "-o",
        str(tmp_path),
        "--format",
        "svg",
        "--theatre",
        "libya",
    )
    assert code == 0, err
    assert [Path(line).name for line in out.splitlines()] == ["libya.svg", "index.html"]
    svg = (tmp_path / "libya.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "Tarhuna" in svg


def test_map_print_options(tmp_path, capsys) -> None:
    code, out, err = run(
        capsys,
        "map",
        str(EXAMPLES / "articles.jsonl"),
        "-o",
        str(tmp_path),
        "--format",
        "pdf",
        "--theatre",
        "caucasus",
        "--paper",
        "a4",
        "--extent",
        "places",
        "--title",
        "Karabakh <this week>",
    )
    assert code == 0, err
    pdf = (tmp_path / "caucasus.pdf").read_bytes()
    assert b"/MediaBox [ 0 0 841.8897637795 595.2755905512 ]" in pdf  # A4 landscape (pt)
    code, _, err = run(
        capsys,
        "map",
        str(EXAMPLES / "articles.jsonl"),
        "-o",
        str(tmp_path / "png"),
        "--format",
        "png",
        "--theatre",
        "libya",
        "--size",
        "800x600px",
        "--dpi",
        "100",
    )
    assert code == 0, err
    from PIL import Image

    assert Image.open(tmp_path / "png" / "libya.png").size == (800, 600)


def test_map_embed_iframe_writes_pages_and_snippets(tmp_path, capsys) -> None:
    code, out, err = run(
        capsys, "map", str(EXAMPLES / "articles.jsonl"), "-o", str(tmp_path), "--embed", "iframe"
    )
    assert code == 0, err
    names = [Path(line).name for line in out.splitlines()]
    assert names[:2] == ["idlib.html", "idlib.iframe.html"] and names[-1] == "index.html"
    snippet = (tmp_path / "libya.iframe.html").read_text(encoding="utf-8")
    assert snippet.startswith('<iframe src="libya.html" title="Libya')


def test_report_is_one_self_contained_page(tmp_path, capsys) -> None:
    out_file = tmp_path / "report.html"
    code, out, err = run(
        capsys,
        "report",
        str(EXAMPLES / "articles.jsonl"),
        "-o",
        str(out_file),
        "--title",
        "Example <report>",
    )
    assert code == 0, err
    assert out.strip() == str(out_file)
    html = out_file.read_text(encoding="utf-8")
    assert "Example &lt;report&gt;" in html and "Example <report>" not in html
    for place in ("Saraqib", "Tarhuna", "Stepanakert"):
        assert place in html
    assert "<script src=" not in html and '<link rel="stylesheet" href="http' not in html


def test_report_errors(tmp_path, capsys) -> None:
    code, _, err = run(capsys, "report", str(tmp_path / "none.txt"), "-o", str(tmp_path / "r.html"))
    assert code == 2 and err.strip() == f"frontmap: {tmp_path / 'none.txt'}: no such file"
    assert not (tmp_path / "r.html").exists()
    code, _, err = run(capsys, "report", str(EXAMPLES / "idlib.txt"), "-o", str(tmp_path))
    assert code == 2 and "is a directory" in err


def test_geoparse_command_equals_the_library(tmp_path, capsys) -> None:
    from frontmap.geo import geoparse

    text = "Strikes hit northwest Syria and eastern Libya; the army left western Libya."
    source = tmp_path / "a.txt"
    source.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "geoparse", str(source))
    assert code == 0
    cli = [(t["surface"], t["lat"], t["lon"]) for t in json.loads(out)["toponyms"]]
    lib = [(t.surface, t.lat, t.lon) for t in geoparse(text)]
    assert cli == lib
