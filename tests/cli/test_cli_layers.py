"""`--layers`/`--only-layers` of map, report, geoparse and locate, and the gap warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontmap.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
MINE = EXAMPLES / "my_layers.geojson"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.jsonl"
    text = "Shelling hit Saraqib and Tell Mardikh, south-east of Idlib."
    path.write_text(json.dumps({"id": "a", "text": text, "date": "2020-03-10"}) + "\n")
    return path


def _toponyms(out: str) -> dict[str, dict]:
    return {t["surface"]: t for t in json.loads(out.splitlines()[0])["toponyms"]}


def test_geoparse_with_your_layers(article, capsys) -> None:
    code, out, err = run(capsys, "geoparse", str(article), "--layers", str(MINE))
    assert code == 0, err
    saraqib = _toponyms(out)["Saraqib"]
    assert saraqib["zones"] == ["example.zone.saraqib-watch", "idlib.zone.astana"]
    assert saraqib["control"] == "government" and saraqib["control_note"] is None
    assert err == ""


def test_only_your_layers_and_the_warning_once(article, capsys) -> None:
    code, out, err = run(capsys, "geoparse", str(article), "--layers", str(MINE), "--only-layers")
    assert code == 0
    places = _toponyms(out)
    assert places["Saraqib"]["zones"] == ["example.zone.saraqib-watch"]
    assert {p["control"] for p in places.values()} == {None}
    notes = {p["control_note"] for p in places.values()}
    assert notes == {"no control data for Idlib and northwest Syria"}
    lines = err.splitlines()
    assert lines == [
        "frontmap: warning: idlib: no control data for Idlib and northwest Syria (3 places)"
    ]


def test_locate_with_your_layers_and_a_gap(tmp_path, capsys) -> None:
    code, out, err = run(
        capsys,
        "locate",
        "--point",
        "35.8645,36.8059",
        "--point",
        "35.85,36.80",
        "--date",
        "2020-03-10",
        "--json",
        "--layers",
        str(MINE),
        "--only-layers",
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0]["zones"] == ["example.zone.saraqib-watch"]
    assert rows[0]["control"] is None
    assert err.count("frontmap: warning:") == 1 and "(2 places)" in err
    # before the first snapshot of the shipped layers, the same kind of note
    code, out, err = run(capsys, "locate", "--point", "32.89,13.19", "--date", "2018-01-01")
    assert code == 0
    assert "no control data before 4 Apr 2019" in out
    assert err == "frontmap: warning: libya: no control data before 4 Apr 2019 (1 place)\n"


def test_map_and_report_draw_your_layers(article, tmp_path, capsys) -> None:
    out_dir = tmp_path / "maps"
    code, _, err = run(capsys, "map", str(article), "-o", str(out_dir), "--layers", str(MINE))
    assert code == 0, err
    page = (out_dir / "idlib.html").read_text(encoding="utf-8")
    assert "Our watch area around Saraqib (example)" in page
    report = tmp_path / "report.html"
    code, _, err = run(
        capsys, "report", str(article), "-o", str(report), "--layers", str(MINE), "--only-layers"
    )
    assert code == 0, err
    text = report.read_text(encoding="utf-8")
    assert "Our watch area around Saraqib (example)" in text


def test_bad_layer_files_are_one_line_and_status_2(article, tmp_path, capsys) -> None:
    bad = tmp_path / "bad.geojson"
    doc = json.loads(MINE.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["valid_to"] = "2019-01-01"  # before valid_from
    bad.write_text(json.dumps(doc), encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    code, out, err = run(
        capsys, "geoparse", str(article), "--layers", str(bad), "-o", str(out_file)
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "valid_to 2019-01-01 is before valid_from" in err
    assert not out_file.exists()
    # a feature id the shipped layers use already
    clash = tmp_path / "clash.geojson"
    doc = json.loads(MINE.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["id"] = "idlib.zone.astana"
    clash.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = run(capsys, "locate", "Saraqib", "--layers", str(clash))
    assert code == 2 and "idlib.zone.astana is also the id of a shipped feature" in err
    assert run(capsys, "locate", "Saraqib", "--layers", str(clash), "--only-layers")[0] == 0
    # missing file, and --only-layers alone
    code, _, err = run(capsys, "geoparse", str(article), "--layers", str(tmp_path / "no.geojson"))
    assert code == 2 and err.startswith("frontmap: ") and err.count("\n") == 1
    code, _, err = run(capsys, "geoparse", str(article), "--only-layers")
    assert code == 2 and "--only-layers needs" in err


def test_workers_join_your_layers(tmp_path, capsys) -> None:
    """The layers reach the worker processes: the same output with 1 and 2 jobs."""
    path = tmp_path / "many.jsonl"
    text = "Shelling hit Saraqib and Tell Mardikh. " * 20
    lines = [json.dumps({"id": f"a{i}", "text": text, "date": "2020-03-10"}) for i in range(80)]
    path.write_text("\n".join(lines) + "\n")
    outs = []
    for jobs in ("1", "2"):
        code, out, err = run(
            capsys, "geoparse", str(path), "--jobs", jobs, "--layers", str(MINE), "--only-layers"
        )
        assert code == 0, err
        outs.append(out)
    assert outs[0] == outs[1]
    assert "example.zone.saraqib-watch" in outs[1]
