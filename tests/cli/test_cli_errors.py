"""Bad, hostile and huge input: every command answers with one clear line and loses nothing.

Rules checked here (issue 7): one line on stderr per problem, naming the file
(and line); never a traceback; exit status 2 when nothing could be done, 1 when
some inputs failed and the others were processed, 0 otherwise; outputs are
written whole or not at all, and a failed run never truncates an existing one.

All inputs are written here, in tmp_path.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import frontmap.geo.articles as articles
from frontmap import geo, pipeline
from frontmap.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
IDLIB = "Government forces shelled Saraqib and Kafr Nabl, south of Idlib, on Tuesday.\n"
FRENCH = "Des tirs d’artillerie ont frappé Saraqib, près d’Idlib, à l’aube, selon un témoin.\n"
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    for line in err.splitlines():
        assert line.startswith("frontmap: "), line
    return code, out, err


def one_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def check_offsets(record: dict, text: str) -> None:
    assert record["toponyms"]
    for t in record["toponyms"]:
        assert text[t["start"] : t["end"]] == t["surface"]


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "idlib.txt"
    path.write_text(IDLIB, encoding="utf-8")
    return path


# -- paths -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["geoparse", "map"])
def test_missing_path(tmp_path, capsys, command) -> None:
    extra = ["-o", str(tmp_path / "out")] if command == "map" else []
    code, out, err = run(capsys, command, str(tmp_path / "nope.txt"), *extra)
    assert code == 2 and out == ""
    assert one_error(err) == f"frontmap: {tmp_path / 'nope.txt'}: no such file"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["geoparse", "map"])
def test_directory_given_as_article(tmp_path, capsys, command) -> None:
    folder = tmp_path / "articles.jsonl"
    folder.mkdir()
    extra = ["-o", str(tmp_path / "out")] if command == "map" else []
    code, _, err = run(capsys, command, str(folder), *extra)
    assert code == 2
    assert one_error(err) == f"frontmap: {folder}: is a directory, not a JSON Lines file"


def test_unreadable_file(tmp_path, capsys, monkeypatch, article) -> None:
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):
        if self.name == "idlib.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    code, _, err = run(capsys, "geoparse", str(article))
    assert code == 2
    assert one_error(err) == f"frontmap: {article}: cannot read (Permission denied)"


@pytest.mark.skipif(ROOT, reason="root reads files whatever their mode")
def test_unreadable_file_for_real(tmp_path, capsys, article) -> None:
    article.chmod(0)
    try:
        code, _, err = run(capsys, "geoparse", str(article))
    finally:
        article.chmod(0o644)
    assert code == 2 and "cannot read (Permission denied)" in one_error(err)


def test_unreadable_gold_file_for_evaluate(tmp_path, capsys, monkeypatch) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "x", "toponyms": []}\n', encoding="utf-8")
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):
        if self == gold:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    code, _, err = run(capsys, "evaluate", str(gold), str(gold))
    assert code == 2 and one_error(err) == f"frontmap: {gold}: cannot read (Permission denied)"


# -- outputs that cannot be written -------------------------------------------


def test_geoparse_output_folder_missing(tmp_path, capsys, article) -> None:
    target = tmp_path / "no" / "such" / "out.jsonl"
    code, out, err = run(capsys, "geoparse", str(article), "-o", str(target))
    assert code == 2 and out == ""
    assert one_error(err) == (
        f"frontmap: {target}: cannot write: folder {target.parent} does not exist"
    )


def test_geoparse_output_is_a_directory(tmp_path, capsys, article) -> None:
    code, _, err = run(capsys, "geoparse", str(article), "-o", str(tmp_path))
    assert code == 2
    assert one_error(err) == f"frontmap: {tmp_path}: is a directory, not an output file"


def test_geoparse_output_under_a_file(tmp_path, capsys, article) -> None:
    code, _, err = run(capsys, "geoparse", str(article), "-o", str(article / "out.jsonl"))
    assert code == 2 and "cannot write" in one_error(err)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_geoparse_output_in_a_read_only_folder(capsys, article) -> None:
    # /proc takes no new files, even from root.
    code, _, err = run(capsys, "geoparse", str(article), "-o", "/proc/frontmap-test.jsonl")
    assert code == 2
    assert one_error(err).startswith("frontmap: /proc/frontmap-test.jsonl: cannot write (")


@pytest.mark.parametrize(
    "options, message",
    [
        (["--paper", "a4"], "frontmap: --paper: options of static images (add --format)"),
        (
            ["--format", "png", "--size", "big"],
            "frontmap: --size: 'big' is not WxH (e.g. 180x120mm, 7x5in, 1600x1000px)",
        ),
        (
            ["--format", "png", "--extent", "36,37,35,38"],
            "frontmap: --extent: '36,37,35,38' is not a box (south < north, west < east, degrees)",
        ),
        (["--format", "png", "--dpi", "5000"], "frontmap: --dpi: 5000 must be between 20 and 1200"),
    ],
)
def test_map_print_options_are_checked_first(tmp_path, capsys, article, options, message) -> None:
    code, out, err = run(capsys, "map", str(article), "-o", str(tmp_path / "out"), *options)
    assert (code, out, err.strip()) == (2, "", message)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(ROOT, reason="root writes into read-only folders")
def test_map_output_folder_not_writable(tmp_path, capsys, article) -> None:
    outdir = tmp_path / "locked"
    outdir.mkdir()
    outdir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _, err = run(capsys, "map", str(article), "-o", str(outdir))
    finally:
        outdir.chmod(0o755)
    assert code == 2 and "not writable" in one_error(err)
    assert list(outdir.iterdir()) == []


def test_map_output_folder_under_a_file(tmp_path, capsys, article) -> None:
    outdir = article / "maps"
    code, _, err = run(capsys, "map", str(article), "-o", str(outdir))
    assert code == 2
    assert one_error(err) == f"frontmap: {outdir}: cannot create directory (Not a directory)"


def test_map_output_folder_is_a_file(tmp_path, capsys, article) -> None:
    target = tmp_path / "file"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "map", str(article), "-o", str(target))
    assert code == 2
    assert one_error(err) == f"frontmap: {target}: exists and is not a directory"
    assert target.read_text(encoding="utf-8") == "keep me"


def test_unknown_output_format(tmp_path, capsys, article) -> None:
    code, _, err = run(capsys, "geoparse", str(article), "-o", str(tmp_path / "out.xlsx"))
    assert code == 2
    assert "unknown output format '.xlsx' (use .csv, .geojson" in one_error(err)
    assert not list(tmp_path.glob("out*")) and not list(tmp_path.glob(".frontmap-*"))


# -- no partial output -------------------------------------------------------------


def test_failed_run_keeps_the_existing_output(tmp_path, capsys) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("earlier result\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    code, out, err = run(capsys, "geoparse", str(empty), "-o", str(target))
    assert code == 2 and out == ""
    assert one_error(err) == f"frontmap: {empty}: empty article"
    assert target.read_text(encoding="utf-8") == "earlier result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "out.jsonl"]


@pytest.mark.parametrize("suffix", [".jsonl", ".geojson", ".csv", ".parquet"])
def test_interrupted_run_keeps_the_existing_output(tmp_path, capsys, monkeypatch, suffix) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": IDLIB}) + "\n" for i in range(5)),
        encoding="utf-8",
    )
    target = tmp_path / f"out{suffix}"
    target.write_bytes(b"earlier result")
    monkeypatch.setattr(pipeline, "BATCH_ITEMS", 2)
    real = pipeline._parse_batch
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_parse_batch", interrupted)
    code, _, err = run(capsys, "geoparse", str(source), "-o", str(target), "--jobs", "1")
    assert code == 130 and one_error(err) == "frontmap: interrupted"
    assert target.read_bytes() == b"earlier result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", f"out{suffix}"]


def test_new_outputs_get_the_usual_permissions(tmp_path, capsys, article) -> None:
    old = os.umask(0o022)
    try:
        for name in ("out.jsonl", "out.csv", "out.geojson", "out.parquet"):
            assert run(capsys, "geoparse", str(article), "-o", str(tmp_path / name))[0] == 0
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
        assert run(capsys, "map", str(article), "-o", str(tmp_path / "maps"))[0] == 0
        for page in (tmp_path / "maps").iterdir():
            assert stat.S_IMODE(page.stat().st_mode) == 0o644, page.name
    finally:
        os.umask(old)


def test_internal_error_in_one_article_does_not_stop_the_others(
    tmp_path, capsys, monkeypatch
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "bad", "text": "TRIGGER Saraqib."})
        + "\n"
        + json.dumps({"id": "good", "text": IDLIB})
        + "\n",
        encoding="utf-8",
    )
    real = geo.geoparse

    def flaky(text, gazetteer):
        if text.startswith("TRIGGER"):
            raise ValueError("something broke")
        return real(text, gazetteer)

    monkeypatch.setattr(geo, "geoparse", flaky)
    code, out, err = run(capsys, "geoparse", str(source), "--jobs", "1")
    assert code == 1
    assert [r["id"] for r in records(out)] == ["good"]
    assert one_error(err) == (
        f"frontmap: {source}:1: internal error while geoparsing (ValueError: something broke)"
    )


# -- article content -----------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n  \t \r\n", b"\xef\xbb\xbf  "])
@pytest.mark.parametrize("command", ["geoparse", "map"])
def test_empty_article(tmp_path, capsys, content, command) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    extra = ["-o", str(tmp_path / "out")] if command == "map" else []
    code, out, err = run(capsys, command, str(path), *extra)
    assert code == 2 and out == ""
    assert one_error(err) == f"frontmap: {path}: empty article"


def test_binary_file(tmp_path, capsys) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    code, _, err = run(capsys, "geoparse", str(path))
    assert code == 2 and one_error(err) == f"frontmap: {path}: binary file, not text"


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("latin-1", FRENCH.replace("’", "'")),
        ("cp1252", FRENCH),
        ("utf-16", FRENCH),  # with a byte-order mark
        ("utf-8-sig", FRENCH),
    ],
)
def test_text_that_is_not_utf8(tmp_path, capsys, codec, text) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(text.encode(codec))
    code, out, err = run(capsys, "geoparse", str(path))
    assert code == 0, err
    (record,) = records(out)
    check_offsets(record, text)
    assert "Saraqib" in {t["surface"] for t in record["toponyms"]}


def test_jsonl_in_utf16(tmp_path, capsys) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes((json.dumps({"id": "fr", "text": FRENCH}) + "\n").encode("utf-16"))
    code, out, _ = run(capsys, "geoparse", str(path))
    assert code == 0
    check_offsets(records(out)[0], FRENCH)


def test_article_saved_as_html(tmp_path, capsys) -> None:
    page = (
        "<!doctype html><html><head><title>Shelling in Idlib</title>"
        "<script>var capital = 'Moscow';</script><style>body{}</style></head>"
        "<body><p>Government forces shelled <b>Saraqib</b> on&nbsp;Tuesday.</p>"
        "<p>Families fled to Atmeh.</p></body></html>"
    )
    path = tmp_path / "saved.html"
    path.write_text(page, encoding="utf-8")
    code, out, err = run(capsys, "geoparse", str(path))
    assert code == 0, err
    (record,) = records(out)
    surfaces = [t["surface"] for t in record["toponyms"]]
    assert "Saraqib" in surfaces and "Atmeh" in surfaces and "Moscow" not in surfaces
    code, out, err = run(capsys, "map", str(path), "-o", str(tmp_path / "maps"))
    assert code == 0, err
    assert "Shelling in Idlib" in (tmp_path / "maps" / "index.html").read_text(encoding="utf-8")


def test_big_text_is_parsed_in_windows_with_whole_text_offsets(
    tmp_path, capsys, monkeypatch
) -> None:
    """A text over STREAM_BYTES is streamed in windows (sizes scaled down here)."""
    monkeypatch.setattr(articles, "STREAM_BYTES", 20_000)
    monkeypatch.setattr(articles, "WINDOW_CHARS", 3_000)
    monkeypatch.setattr(articles, "_BLOCK", 8192)
    paragraph = (
        "Government forces shelled Saraqib on Monday. Residents of Ariha said the road "
        "to Idlib was closed.\r\n\r\nTalks in Ankara ended; convoys left Sarmada for Atmeh. "
        "Fighting went on near Tarhuna, south of Tripoli.\n\n"
    )
    text = "Début à Alep.\n\n" + paragraph * 400  # ~100 kB, non-ASCII on the first line
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))
    code, out, err = run(capsys, "geoparse", str(path), "--jobs", "1")
    assert code == 0, err
    (record,) = records(out)
    check_offsets(record, text)
    assert len(record["toponyms"]) >= 400 * 8
    assert record["toponyms"][-1]["end"] > len(text) - len(paragraph)
    # The same with workers, and with a byte-order mark in front (offsets skip it).
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    code, out2, _ = run(capsys, "geoparse", str(path), "--jobs", "2")
    assert code == 0 and out2 == out


def test_dense_text_is_resolved_in_bounded_parts(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(geo, "MAX_MENTIONS", 20)
    text = "Saraqib, Idlib, Ariha and Atmeh. " * 40
    path = tmp_path / "dense.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "geoparse", str(path), "--jobs", "1")
    assert code == 0
    (record,) = records(out)
    check_offsets(record, text)
    assert len(record["toponyms"]) == 160


# -- JSON Lines problems ------------------------------------------------------------


BAD_LINES = [
    json.dumps({"id": "ok1", "text": IDLIB, "date": "2020-02-27"}),
    '{"id": "cut", "text": "Saraq',
    json.dumps({"id": "notext", "date": "2020-02-27"}),
    json.dumps({"id": "num", "text": 12}),
    json.dumps({"id": True, "text": IDLIB}),
    json.dumps({"id": "ok1", "text": IDLIB}),
    json.dumps({"id": "d1", "text": IDLIB, "date": "27/02/2020"}),
    json.dumps({"id": "d2", "text": IDLIB, "date": "2020-02-30"}),
    json.dumps({"id": "ok2", "text": IDLIB}),
]


def bad_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(BAD_LINES) + "\n", encoding="utf-8")
    return path


def expected_problems(path: Path) -> list[str]:
    return [
        f"frontmap: {path}:2: not valid JSON (Unterminated string starting at column 23)",
        f"frontmap: {path}:3: missing 'text'",
        f"frontmap: {path}:4: 'text' must be a string, not a number",
        f"frontmap: {path}:5: 'id' must be a string or a number, not a boolean",
        f"frontmap: {path}:6: duplicate article id 'ok1'",
        f"frontmap: {path}:7: date: '27/02/2020' is not a date in the form YYYY-MM-DD",
        f"frontmap: {path}:8: date: 2020-02-30 is not a real date",
    ]


def test_geoparse_jsonl_with_bad_lines(tmp_path, capsys) -> None:
    path = bad_jsonl(tmp_path)
    target = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "geoparse", str(path), "-o", str(target))
    assert code == 1
    assert err.splitlines() == expected_problems(path)
    assert out.strip() == str(target)
    assert [r["id"] for r in records(target.read_text(encoding="utf-8"))] == ["ok1", "ok2"]


def test_map_jsonl_with_bad_lines(tmp_path, capsys) -> None:
    path = bad_jsonl(tmp_path)
    code, out, err = run(capsys, "map", str(path), "-o", str(tmp_path / "maps"))
    assert code == 1
    assert err.splitlines() == expected_problems(path)
    assert (tmp_path / "maps" / "idlib.html").exists()


def test_jsonl_with_only_bad_lines(tmp_path, capsys) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(BAD_LINES[1:5]) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "geoparse", str(path), "-o", str(target))
    assert code == 2 and out == "" and len(err.splitlines()) == 4
    assert not target.exists()


def test_good_and_missing_files_together(tmp_path, capsys, article) -> None:
    code, out, err = run(capsys, "geoparse", str(article), str(tmp_path / "gone.txt"))
    assert code == 1
    assert [r["id"] for r in records(out)] == ["idlib"]
    assert one_error(err) == f"frontmap: {tmp_path / 'gone.txt'}: no such file"


# -- options -----------------------------------------------------------------------


def test_unknown_theatre(tmp_path, capsys, article) -> None:
    code, _, err = run(capsys, "map", str(article), "-o", str(tmp_path / "o"), "--theatre", "gaza")
    assert code == 2
    assert one_error(err) == (
        "frontmap: --theatre: unknown theatre 'gaza' (known: idlib, libya, caucasus)"
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["locate", "--point", "95,10"], "'95,10' is out of range (lat ±90, lon ±180)"),
        (["locate", "--point", "35.8,200"], "'35.8,200' is out of range"),
        (["locate", "--point", "north"], "'north' is not LAT,LON"),
        (["geoparse", "x.txt", "--date", "2020-02-30"], "2020-02-30 is not a real date"),
        (["geoparse", "x.txt", "--date", "yesterday"], "not a date in the form YYYY-MM-DD"),
        (["geoparse", "x.txt", "--jobs", "0"], "'0' must be at least 1"),
        (["map", "x.txt"], "the following arguments are required: -o/--output"),
        (["report", "x.txt"], "the following arguments are required: -o/--output"),
        (["map", "x.txt", "-o", "o", "--format", "gif"], "invalid choice: 'gif'"),
    ],
)
def test_usage_errors_are_one_line(capsys, argv, message) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in one_error(err)


@pytest.mark.parametrize("query", ["", "   ", "'’."])
def test_locate_empty_query(capsys, query) -> None:
    code, out, err = run(capsys, "locate", query)
    assert code == 2 and out == ""
    assert one_error(err) == f"frontmap: {query!r}: empty place name"


def test_locate_empty_query_among_good_ones(capsys) -> None:
    code, out, err = run(capsys, "locate", "Saraqib", "", "--json")
    assert code == 1
    assert [json.loads(line)["query"] for line in out.splitlines()] == ["Saraqib"]
    assert one_error(err) == "frontmap: '': empty place name"


def test_locate_needs_something(capsys) -> None:
    code, _, err = run(capsys, "locate")
    assert code == 2 and one_error(err) == "frontmap: locate needs a NAME or --point"


# -- evaluate -----------------------------------------------------------------------


def test_evaluate_bad_files(tmp_path, capsys) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"id": "x", "toponyms": [{"start": 0, "end": 7, "surface": "Saraqib"}]}) + "\n",
        encoding="utf-8",
    )
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "toponyms": []}\n{"id": \n', encoding="utf-8")
    types = tmp_path / "types.jsonl"
    types.write_text(json.dumps({"id": "x", "toponyms": "Saraqib"}) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"id": "x", "toponyms": [], "title": "Alep é"}\n'.encode("latin-1"))
    cases = [
        (tmp_path / "nope.jsonl", gold, f"{tmp_path / 'nope.jsonl'}: no such file"),
        (tmp_path, gold, f"{tmp_path}: is a directory, not a JSON Lines file"),
        (gold, broken, f"{broken}:2: not valid JSON"),
        (gold, types, "'toponyms' must be a list"),
        (empty, gold, f"{empty}: no records"),
        (latin, gold, f"{latin}:1: not UTF-8"),
    ]
    for g, p, message in cases:
        code, out, err = run(capsys, "evaluate", str(g), str(p))
        assert code == 2 and out == "", message
        assert message in one_error(err)


# -- layers check -------------------------------------------------------------------


def feature(**changes) -> dict:
    props = {
        "id": "user.zone.1",
        "theatre": "idlib",
        "kind": "zone",
        "name": "Test zone",
        "actor": None,
        "valid_from": "2020-03-05",
        "valid_to": None,
        "source": "written for a test",
        "precision_km": 1.0,
    }
    ring = [[36.5, 35.5], [36.7, 35.5], [36.7, 35.7], [36.5, 35.7], [36.5, 35.5]]
    geometry = changes.pop("geometry", {"type": "Polygon", "coordinates": [ring]})
    for key, value in changes.items():
        if value is ...:
            del props[key]
        else:
            props[key] = value
    return {"type": "Feature", "properties": props, "geometry": geometry}


def layer_file(path: Path, *features: dict, **extra) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", **extra, "features": list(features)}),
        encoding="utf-8",
    )
    return path


BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[36.5, 35.5], [36.7, 35.7], [36.7, 35.5], [36.5, 35.7], [36.5, 35.5]]],
}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text('{"type": "FeatureCollection", "features": [', "utf-8") and p,
         "not valid JSON"),
        (lambda p: layer_file(p, feature(geometry=BOWTIE)),
         "feature user.zone.1: invalid geometry: Self-intersection"),
        (lambda p: layer_file(
            p, feature(), crs={"type": "name", "properties": {"name": "EPSG:3857"}}),
         "CRS EPSG:3857 is not WGS84"),
        (lambda p: layer_file(p, feature(valid_from=...)),
         "feature user.zone.1: missing property 'valid_from'"),
        (lambda p: layer_file(p, feature(valid_to=...)),
         "feature user.zone.1: missing property 'valid_to'"),
        (lambda p: layer_file(p, feature(valid_to="2020-01-01")),
         "feature user.zone.1: valid_to 2020-01-01 is before valid_from 2020-03-05"),
        (lambda p: layer_file(p, feature(valid_from="2020-02-30")),
         "feature user.zone.1: valid_from '2020-02-30' is not an ISO date"),
    ],
)  # fmt: skip
def test_layers_check_bad_user_files(tmp_path, capsys, make, message) -> None:
    path = make(tmp_path / "mine.geojson")
    code, out, err = run(capsys, "layers", "check", str(path))
    assert code == 2 and out == ""
    line = one_error(err)
    assert line.startswith(f"frontmap: {path}: ") and message in line


def test_layers_check_good_bad_and_missing(tmp_path, capsys) -> None:
    good = layer_file(tmp_path / "good.geojson", feature())
    bad = layer_file(tmp_path / "bad.geojson", feature(id="user.zone.2", geometry=BOWTIE))
    missing = tmp_path / "missing.geojson"
    code, out, err = run(capsys, "layers", "check", str(good), str(bad), str(missing))
    assert code == 1
    assert out.splitlines() == [f"{good}: valid"]
    assert err.splitlines() == [
        f"frontmap: {missing}: no such file",
        f"frontmap: {bad}: feature user.zone.2: invalid geometry: Self-intersection[36.6 35.6]",
    ]
    code, _, err = run(capsys, "layers", "check", str(tmp_path))
    assert code == 2 and one_error(err) == f"frontmap: {tmp_path}: is a directory, not a layer file"


# -- hostile text ------------------------------------------------------------------


def test_jinja_syntax_in_articles_is_not_evaluated(tmp_path, capsys) -> None:
    import re

    text = "Shelling hit Saraqib {{ 7*7 }} {% if true %}yes{% endif %} {# c #} today."
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "j", "text": text}) + "\n", encoding="utf-8")
    code, _, _ = run(capsys, "map", str(source), "-o", str(tmp_path / "o"), "--theatre", "idlib")
    assert code == 0
    page = (tmp_path / "o" / "idlib.html").read_text(encoding="utf-8")
    match = re.search(
        r"frontmap\.draw\(\s*[A-Za-z0-9_]+,\s*JSON\.parse\('((?:[^'\\]|\\.)*)'\)\);\n",
        page,
        re.DOTALL,
    )
    assert match
    payload = match.group(1)  # a JavaScript string: only \\ and \' are escaped in it
    assert "{{" not in payload and "{%" not in payload and "{#" not in payload
    payload = re.sub(r"\\(.)", lambda m: m.group(1), payload, flags=re.DOTALL)
    data = json.dumps(json.loads(payload), ensure_ascii=False)
    assert "{{ 7*7 }}" in data and "{% if true %}yes{% endif %}" in data and "{# c #}" in data


# -- the console script ---------------------------------------------------------------


def console(*argv: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("frontmap")
    if not exe.exists():
        pytest.skip("frontmap is not installed in this environment")
    return subprocess.run(
        [str(exe), *argv], capture_output=True, text=True, timeout=120, check=False
    )


def test_console_script_errors_are_one_line(tmp_path) -> None:
    proc = console("geoparse", str(tmp_path / "nope.txt"), "--jobs", "1")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"frontmap: {tmp_path / 'nope.txt'}: no such file\n"


def test_console_script_closed_pipe_is_quiet() -> None:
    exe = Path(sys.executable).with_name("frontmap")
    if not exe.exists():
        pytest.skip("frontmap is not installed in this environment")
    proc = subprocess.run(
        f"'{exe}' geoparse '{EXAMPLES / 'articles.jsonl'}' --jobs 1 | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert len(proc.stdout) == 10 and proc.stderr == ""


def test_terminated_run_keeps_the_existing_output(tmp_path) -> None:
    import signal
    import time

    exe = Path(sys.executable).with_name("frontmap")
    if not exe.exists():
        pytest.skip("frontmap is not installed in this environment")
    source = tmp_path / "many.jsonl"
    line = json.dumps({"text": IDLIB})
    source.write_text("".join(line + "\n" for _ in range(20_000)), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    target.write_text("earlier result\n", encoding="utf-8")
    proc = subprocess.Popen(
        [str(exe), "geoparse", str(source), "-o", str(target), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Its output is an unnamed file (O_TMPFILE) in tmp_path: wait until it is open.
    deadline = time.monotonic() + 60
    while not _writing_into(proc.pid, tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and out == ""
    assert err == "frontmap: interrupted\n"
    assert target.read_text(encoding="utf-8") == "earlier result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.jsonl", "out.jsonl"]


def _writing_into(pid: int, folder: Path) -> bool:
    """True when process ``pid`` has a file of ``folder`` open (named or not)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(f"{folder}/"):
                return True
        except OSError:
            continue
    return False


def test_failed_map_run_keeps_existing_maps(tmp_path, capsys) -> None:
    outdir = tmp_path / "maps"
    outdir.mkdir()
    (outdir / "idlib.html").write_text("earlier map", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "map", str(empty), "-o", str(outdir))
    assert code == 2 and one_error(err) == f"frontmap: {empty}: empty article"
    assert [p.name for p in outdir.iterdir()] == ["idlib.html"]
    assert (outdir / "idlib.html").read_text(encoding="utf-8") == "earlier map"
