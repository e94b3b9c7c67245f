"""Bad, hostile and huge input (issue 15): each case of the issue, as `frontmap` runs it.

Every case runs ``frontmap`` in a child process under a memory cap and a time
limit (:mod:`tests.capped`), so that a regression fails here instead of taking
the machine down, and checks the contract: one clear line on stderr per problem
(no traceback, no warning from a library), the right exit status (0 all done,
1 some inputs failed and the rest processed, 2 nothing done), nothing lost or
partly written, and memory and time bounded whatever the input.

All inputs are written here, in tmp_path.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from capped import BASE_MB, Capped, alive, children_of, frontmap_env, run_capped, wait_until

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
IDLIB = "Government forces shelled Saraqib and Kafr Nabl, south of Idlib, on Tuesday."
LIBYA = "Fighting went on near Tarhuna, south of Tripoli, on Sunday."
#: A case may use this much memory beyond the process's own start (BASE_MB).
CAP = BASE_MB + 300


def contract(r: Capped, status: int, errors: int | None = None) -> list[str]:
    """Check the one-line-error contract; return the error lines."""
    assert not r.timed_out, f"time limit passed ({r.seconds:.0f} s)"
    assert r.stopped is None, r.stopped
    assert not r.stray, "worker processes outlived frontmap"
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.errors
    for line in lines:
        assert line.startswith("frontmap: "), lines
        assert "warning" not in line.lower(), lines
    assert r.returncode == status, (r.returncode, lines)
    if errors is not None:
        assert len(lines) == errors, lines
    return lines


def jsonl(path: Path, *records: object) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def ids(out: str) -> list[str]:
    return [json.loads(line)["id"] for line in out.splitlines()]


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- an input given as the output -------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "symlink", "hard link", "relative"])
def test_geoparse_refuses_its_input_as_output(tmp_path, how) -> None:
    source = jsonl(tmp_path / "a.jsonl", {"id": "a", "text": IDLIB})
    before = source.read_bytes()
    target = {"same": source, "relative": Path("a.jsonl")}.get(how, tmp_path / "b.jsonl")
    if how == "symlink":
        target.symlink_to(source)
    elif how == "hard link":
        os.link(source, target)
    r = run_capped(["geoparse", str(source), "-o", str(target)], memory_mb=CAP, cwd=tmp_path)
    (line,) = contract(r, 2, 1)
    assert line == f"frontmap: {target}: is also an input; choose another output"
    assert source.read_bytes() == before and r.stdout == ""


def test_report_and_map_refuse_their_input_as_output(tmp_path) -> None:
    article = tmp_path / "x.txt"
    article.write_text(IDLIB, encoding="utf-8")
    r = run_capped(["report", str(article), "-o", str(article)], memory_mb=CAP)
    assert contract(r, 2, 1)[0].endswith("is also an input; choose another output")
    assert article.read_text(encoding="utf-8") == IDLIB
    # A page saved from a browser as index.html, mapped into its own folder (or a link to it).
    page = tmp_path / "out" / "index.html"
    page.parent.mkdir()
    page.write_text(f"<html><body><p>{IDLIB}</p></body></html>", encoding="utf-8")
    (tmp_path / "link").symlink_to(page.parent)
    for outdir in (page.parent, tmp_path / "link"):
        r = run_capped(["map", str(page), "-o", str(outdir)], memory_mb=CAP)
        assert contract(r, 2, 1)[0].endswith("is also an input; choose another output")
    assert sorted(p.name for p in page.parent.iterdir()) == ["index.html"]
    assert IDLIB in page.read_text(encoding="utf-8")


# -- numbers and nesting no parser takes -------------------------------------------------

HUGE = "1" * 5000  # more digits than Python converts (4300)
DEEP = "[" * 100_000 + "]" * 100_000


def test_huge_integers_and_deep_nesting_in_articles(tmp_path) -> None:
    source = jsonl(
        tmp_path / "a.jsonl",
        {"id": "a", "text": IDLIB},
        f'{{"id": {HUGE}, "text": "Saraqib"}}',
        f'{{"id": "deep", "text": "Saraqib", "x": {DEEP}}}',
        {"id": "b", "text": LIBYA},
    )
    other = tmp_path / "c.txt"
    other.write_text(LIBYA, encoding="utf-8")
    r = run_capped(["geoparse", str(source), str(other)], memory_mb=CAP)
    assert contract(r, 1, 2) == [
        f"frontmap: {source}:2: not valid JSON (a number of more than 4300 digits)",
        f"frontmap: {source}:3: not valid JSON (nested too deeply)",
    ]
    assert ids(r.stdout) == ["a", "b", "c"]


def test_huge_integers_and_deep_nesting_in_evaluate(tmp_path) -> None:
    gold = jsonl(tmp_path / "gold.jsonl", {"id": "a", "toponyms": []})
    for bad, why in ((f'{{"id": "a", "n": {HUGE}}}', "a number of more"), (DEEP, "nested")):
        pred = jsonl(tmp_path / "pred.jsonl", bad)
        r = run_capped(["evaluate", str(gold), str(pred)], memory_mb=CAP)
        (line,) = contract(r, 2, 1)
        assert line.startswith(f"frontmap: {pred}:1: not valid JSON ({why}")


def test_huge_integers_deep_nesting_and_nan_in_layer_files(tmp_path) -> None:
    good = _layer(tmp_path / "good.geojson", [[36.5, 35.5], [36.7, 35.5], [36.7, 35.7]])
    huge = tmp_path / "huge.geojson"
    huge.write_text(f'{{"type": "FeatureCollection", "features": [], "n": {HUGE}}}')
    deep = tmp_path / "deep.geojson"
    deep.write_text(f'{{"type": "FeatureCollection", "features": {DEEP}}}')
    nan = _layer(tmp_path / "nan.geojson", [[36.5, 35.5], ["NaN", 35.5], [36.7, 35.7]])
    inf = _layer(tmp_path / "inf.geojson", [[36.5, 35.5], ["Infinity", 35.5], [36.7, 35.7]])
    files = [good, huge, deep, nan, inf]
    r = run_capped(["layers", "check", *map(str, files)], memory_mb=CAP)
    finite = "coordinates must be finite numbers (not NaN or infinity)"
    assert contract(r, 1) == [
        f"frontmap: {huge}: not valid JSON (a number of more than 4300 digits)",
        f"frontmap: {deep}: not valid JSON (nested too deeply)",
        f"frontmap: {nan}: feature user.zone.1: {finite}",
        f"frontmap: {inf}: feature user.zone.1: {finite}",
    ]
    assert r.stdout == f"{good}: valid\n"


def _layer(path: Path, ring: list) -> Path:
    """A layer file with one zone whose ring is ``ring`` closed (NaN written as JSON NaN)."""
    feature = {
        "type": "Feature",
        "properties": {
            "id": "user.zone.1",
            "theatre": "idlib",
            "kind": "zone",
            "name": "Test zone",
            "actor": None,
            "valid_from": "2020-03-05",
            "valid_to": None,
            "source": "written for a test",
            "precision_km": 1.0,
        },
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    path.write_text(text.replace('"NaN"', "NaN").replace('"Infinity"', "Infinity"))
    return path


# -- processes: never more than the cores and the work; none outlives frontmap ----------


@pytest.mark.parametrize("batches", [1, 3])
def test_jobs_are_capped_by_the_cores_and_the_work(tmp_path, batches) -> None:
    """``--jobs 1000`` starts no more workers than the cores and the batches of work
    (1,001 processes and 44 GB before): the run is watched, and stopped as soon
    as frontmap has more children than that."""
    from frontmap.pipeline import BATCH_ITEMS, available_cores

    articles = (batches - 1) * BATCH_ITEMS + 1
    source = jsonl(tmp_path / "a.jsonl", *({"id": f"a{i}", "text": IDLIB} for i in range(articles)))
    most = 0 if batches == 1 else min(available_cores(), batches)
    seen = [0]

    def workers(pid: int) -> str | None:
        seen.append(len(children_of(pid)))
        return f"{seen[-1]} worker processes for {batches} batches" if seen[-1] > most else None

    r = run_capped(
        ["geoparse", str(source), "--jobs", "1000", "-o", str(tmp_path / "out.jsonl")],
        memory_mb=CAP,
        watch=workers,
    )
    contract(r, 0, 0)
    assert max(seen) <= most
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == articles


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: geoparse starts no workers")
def test_sigkill_leaves_no_worker_and_no_file(tmp_path) -> None:
    source = jsonl(tmp_path / "many.jsonl", *({"text": IDLIB} for _ in range(20_000)))
    target = tmp_path / "out.jsonl"
    target.write_text("earlier result\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "frontmap.cli", "geoparse", str(source), "-o", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=frontmap_env(),
        start_new_session=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (CAP << 20, CAP << 20)),
    )
    try:
        assert wait_until(lambda: len(children_of(proc.pid)) >= 2, 60), "no workers started"
        workers = children_of(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert wait_until(lambda: not any(alive(w) for w in workers), 10), "workers live on"
    finally:
        with_group_killed(proc.pid)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.jsonl", "out.jsonl"]
    assert target.read_text(encoding="utf-8") == "earlier result\n"


def with_group_killed(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# -- endless input: /dev/zero, pipes that never end ------------------------------------


@contextmanager
def endless(path: Path, writer: list[str]) -> Iterator[Path]:
    """A named pipe at ``path`` fed without end by ``writer`` (killed afterwards)."""
    os.mkfifo(path)
    feeder = subprocess.Popen(
        ["sh", "-c", 'exec "$@" > "$0"', str(path), *writer],
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield path
    finally:
        with_group_killed(feeder.pid)
        feeder.wait(timeout=10)


ZEROS = ["cat", "/dev/zero"]
RECORDS = ["yes", '{"id": "a", "toponyms": []}']
YES = ["yes", "y"]
ONE_LINE = [sys.executable, "-c", "import sys\nwhile True: sys.stdout.buffer.write(b'a' * 65536)"]


@pytest.mark.parametrize(
    ("name", "writer", "argv", "last"),
    [
        ("a.txt", YES, ["geoparse"], "more than 16 MB of text from a pipe"),
        ("a.txt", ZEROS, ["geoparse"], "more than 16 MB of text from a pipe"),
        ("a.jsonl", ZEROS, ["geoparse"], "binary file, not text"),
        ("a.jsonl", YES, ["geoparse"], "100 lines in a row are no articles; stopped reading"),
        ("a.jsonl", ONE_LINE, ["geoparse"], "a line longer than 1024 MB; stopped reading"),
        ("gold.jsonl", ZEROS, ["evaluate", "{}", "{}"], "binary file, not text"),
        ("gold.jsonl", ONE_LINE, ["evaluate", "{}", "{}"], ":1: line longer than 16 MB"),
        ("gold.jsonl", RECORDS, ["evaluate", "{}", "{}"], "more than 100,000 records"),
        ("l.geojson", ZEROS, ["layers", "check"], "more than 32 MB (a layer file is read whole)"),
        ("SY.txt", YES, ["gazetteer", "import"], ":1: not a GeoNames dump line"),
        ("SY.txt", ZEROS, ["gazetteer", "import"], "binary file, not text"),
    ],
)
def test_endless_pipes_stop_with_one_clear_line(tmp_path, name, writer, argv, last) -> None:
    cache = user_cache(tmp_path)
    with endless(tmp_path / name, writer) as pipe:
        args = [a.format(pipe) for a in argv] if "{}" in argv else [*argv, str(pipe)]
        r = run_capped(args, memory_mb=CAP, seconds=60, env=frontmap_env(FRONTMAP_CACHE=cache))
    lines = contract(r, 2)
    assert last in lines[-1], lines[-3:]
    assert len(lines) == (101 if "100 lines" in last else 2 if "1024 MB" in last else 1)


@pytest.mark.parametrize(
    "argv",
    [
        ["geoparse", "/dev/zero"],
        ["map", "/dev/zero", "-o", "{out}"],
        ["evaluate", "/dev/zero", "/dev/zero"],
        ["layers", "check", "/dev/zero"],
        ["gazetteer", "import", "/dev/zero"],
    ],
)
def test_dev_zero_is_not_a_file(tmp_path, argv) -> None:
    args = [a.format(out=tmp_path / "maps") for a in argv]
    r = run_capped(args, memory_mb=CAP, env=frontmap_env(FRONTMAP_CACHE=user_cache(tmp_path)))
    assert contract(r, 2, 1)[0] == "frontmap: /dev/zero: not a regular file"


def user_cache(tmp_path: Path) -> str:
    """A cache folder of its own, with the base index of the shared one (imports go here)."""
    from frontmap.geo.index import base_index_path

    cache = tmp_path / "cache"
    if not cache.exists():
        cache.mkdir()
        base = base_index_path()
        (cache / base.name).symlink_to(base)
    return str(cache)


# -- empty input -----------------------------------------------------------------------


@pytest.mark.parametrize(("content", "says"), [("", "empty"), ("\n  \n\t\n", "blank")])
def test_empty_or_blank_jsonl_is_an_error(tmp_path, content, says) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(content, encoding="utf-8")
    r = run_capped(["geoparse", str(source)], memory_mb=CAP)
    assert contract(r, 2, 1) == [f"frontmap: {source}: no articles (the file is {says})"]
    assert r.stdout == ""


# -- map: the whole set of files or none ------------------------------------------------


def earlier_maps(outdir: Path) -> dict[str, str]:
    outdir.mkdir()
    old = {name: f"earlier {name}" for name in ("idlib.html", "index.html", "notes.txt")}
    for name, text in old.items():
        (outdir / name).write_text(text, encoding="utf-8")
    return old


def unchanged(outdir: Path, old: dict[str, str]) -> bool:
    now = {p.name: p.read_text(encoding="utf-8") for p in outdir.iterdir() if p.is_file()}
    return now == old and not hidden(outdir) and not hidden(outdir.parent)


@pytest.mark.parametrize(
    ("embed", "taken"),
    [([], "libya.html"), (["--embed", "fragment"], "frontmap-assets.html"),
     (["--embed", "iframe"], "libya.iframe.html")],
)  # fmt: skip
def test_map_with_an_output_name_taken_by_a_folder_writes_nothing(tmp_path, embed, taken) -> None:
    """The set is all or none whatever it holds: maps, fragments, iframes, the shared assets."""
    outdir = tmp_path / "maps"
    old = earlier_maps(outdir)
    (outdir / taken).mkdir()
    r = run_capped(
        ["map", str(EXAMPLES / "articles.jsonl"), "-o", str(outdir), *embed], memory_mb=CAP
    )
    assert contract(r, 2, 1) == [f"frontmap: {outdir / taken}: is a directory"]
    assert unchanged(outdir, old)


@pytest.mark.parametrize("fmt", [[], ["--format", "png"]])
def test_map_on_a_full_disk_writes_nothing(tmp_path, fmt) -> None:
    outdir = tmp_path / "maps"
    old = earlier_maps(outdir)
    r = run_capped(
        ["map", str(EXAMPLES / "articles.jsonl"), "-o", str(outdir), *fmt],
        memory_mb=CAP,
        file_mb=0.05,  # each map is bigger: the disk is full at the first one
    )
    (line,) = contract(r, 2, 1)
    assert line.startswith("frontmap: ") and "File too large" in line, line
    assert unchanged(outdir, old)


# -- standard output closed or full --------------------------------------------------------


def test_closed_stdout(tmp_path) -> None:
    article = EXAMPLES / "idlib.txt"
    r = run_capped(["geoparse", str(article)], memory_mb=CAP, stdout="closed")
    assert contract(r, 2, 1) == [
        "frontmap: standard output is closed; write the toponyms to a file with -o FILE"
    ]
    target = tmp_path / "out.jsonl"
    r = run_capped(["geoparse", str(article), "-o", str(target)], memory_mb=CAP, stdout="closed")
    contract(r, 0, 0)
    assert ids(target.read_text(encoding="utf-8")) == ["idlib"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    "argv",
    [
        ["geoparse", str(EXAMPLES / "articles.jsonl")],
        ["locate", "Idlib"],
        ["layers", "check"],
    ],
)
def test_full_stdout(argv) -> None:
    r = run_capped(argv, memory_mb=CAP, stdout=Path("/dev/full"))
    assert contract(r, 2, 1) == [
        "frontmap: standard output: cannot write (No space left on device)"
    ]


# -- time and memory on huge or degenerate text -------------------------------------------


@pytest.mark.parametrize("word", ["I", "US"])
def test_one_capitalised_word_repeated_is_fast(tmp_path, word) -> None:
    source = tmp_path / "words.txt"
    source.write_text(f"{word} " * (800_000 // (len(word) + 1)), encoding="utf-8")
    r = run_capped(["geoparse", str(source), "--jobs", "1"], memory_mb=CAP, seconds=30)
    contract(r, 0, 0)  # 112 s for "I" before issue 15; 1-2 s now


def test_a_200_mb_jsonl_line_is_refused_in_bounded_memory(tmp_path) -> None:
    source = tmp_path / "big.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": IDLIB}) + "\n")
        fh.write('{"id": "huge", "text": "')
        block = "Saraqib was shelled. " * 5000
        for _ in range(200 * 1024 * 1024 // len(block)):
            fh.write(block)
        fh.write('"}\n')
        fh.write(json.dumps({"id": "b", "text": LIBYA}) + "\n")
    r = run_capped(["geoparse", str(source), "--jobs", "1"], memory_mb=BASE_MB + 150, seconds=60)
    assert contract(r, 1, 1) == [f"frontmap: {source}:2: line longer than 16 MB"]
    assert ids(r.stdout) == ["a", "b"]


def _dump(path: Path, rows: int, alternates: int, tail: str = "") -> Path:
    names = ",".join(["Testname"] * alternates)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            fields = [str(99_000_000 + i), f"Testplace {i}", f"Testplace {i}", names,
                      "33.1", "36.2", "P", "PPL", "SY", "", "12", "", "", "", "5",
                      "", "300", "Asia/Damascus", "2020-01-01"]  # fmt: skip
            fh.write("\t".join(fields) + "\n")
        fh.write(tail)
    return path


def test_gazetteer_import_streams_the_dump(tmp_path) -> None:
    env = frontmap_env(FRONTMAP_CACHE=user_cache(tmp_path))

    def run(dump: Path) -> Capped:
        return run_capped(["gazetteer", "import", str(dump)], memory_mb=CAP, env=env)

    small = run(_dump(tmp_path / "one.txt", 1, 200))
    contract(small, 0, 0)
    # 3,000 places with 200 alternate names each: 5 MB, which the rows held in
    # memory before issue 15 made about 40 MB. Streamed, the peak stays put.
    dump = _dump(tmp_path / "SY.txt", 3000, 200)
    big = run(dump)
    contract(big, 0, 0)
    assert big.stdout == f"{dump}: imported 3000 places\n"
    assert big.peak_mb - small.peak_mb < 20, (small.peak_mb, big.peak_mb)
    again = run(dump)  # replaces the same places (by their names' place index)
    assert contract(again, 0, 0) == [] and again.stdout == big.stdout
    # A bad line at the end: nothing of the file is imported.
    bad = _dump(tmp_path / "bad.txt", 3, 1, tail="not a dump line\n")
    r = run(bad)
    assert contract(r, 2, 1)[0].startswith(f"frontmap: {bad}:4: not a GeoNames dump line")
    import sqlite3

    with sqlite3.connect(Path(env["FRONTMAP_CACHE"]) / "gazetteer-user.sqlite") as con:
        assert con.execute("SELECT count(*) FROM place").fetchone() == (3000,)


# -- text that is unusual but fine ------------------------------------------------------------


def test_invisible_characters_do_not_cut_names(tmp_path) -> None:
    text = "Shelling hit Sar\u00adaqib and Ari\u200bha, south of \u200eIdlib.\n"
    source = tmp_path / "soft.txt"
    source.write_text(text, encoding="utf-8")
    r = run_capped(["geoparse", str(source), "--date", "2020-02-27"], memory_mb=CAP)
    contract(r, 0, 0)
    toponyms = json.loads(r.stdout)["toponyms"]
    assert [t["name"] for t in toponyms] == ["Saraqib", "Ariha", "Idlib"]
    for t in toponyms:
        assert text[t["start"] : t["end"]] == t["surface"]
    assert toponyms[0]["surface"] == "Sar\u00adaqib" and toponyms[0]["country"] == "SY"


def test_mixed_utf8_and_windows_1252(tmp_path) -> None:
    utf8 = "Des tirs ont frappé Saraqib, près d’Idlib.\n"
    cp1252 = "À l’aube, Ariha a été touchée – selon un témoin.\n"
    source = tmp_path / "mixed.txt"
    source.write_bytes(utf8.encode("utf-8") + cp1252.encode("cp1252"))
    records = tmp_path / "mixed.jsonl"
    records.write_bytes(
        json.dumps({"id": "m", "text": utf8}, ensure_ascii=False).encode("utf-8")
        + b"\n"
        + json.dumps({"id": "n", "text": cp1252}, ensure_ascii=False).encode("cp1252")
        + b"\n"
    )
    r = run_capped(
        ["report", str(source), str(records), "-o", str(tmp_path / "r.html")], memory_mb=CAP
    )
    contract(r, 0, 0)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "près d’Idlib" in page and "À l’aube" in page and "touchée – selon" in page
    assert "Ã" not in page


def test_a_file_name_with_a_newline_is_one_line(tmp_path) -> None:
    missing = tmp_path / "two\nlines.txt"
    binary = tmp_path / "bin\nary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    r = run_capped(["geoparse", str(missing), str(binary)], memory_mb=CAP)
    assert contract(r, 2, 2) == [
        f"frontmap: {tmp_path}/two\\nlines.txt: no such file",
        f"frontmap: {tmp_path}/bin\\nary.txt: binary file, not text",
    ]


def test_embed_with_format_is_refused(tmp_path) -> None:
    r = run_capped(
        ["map", str(EXAMPLES / "idlib.txt"), "-o", str(tmp_path / "m"), "--embed", "fragment",
         "--format", "png"],
        memory_mb=CAP,
    )  # fmt: skip
    assert contract(r, 2, 1) == [
        "frontmap: --embed and --format cannot be used together (an image is not HTML)"
    ]
    assert not (tmp_path / "m").exists()


def test_csv_cells_that_would_be_formulas_are_quoted(tmp_path) -> None:
    source = jsonl(
        tmp_path / "a.jsonl",
        *({"id": f"{c}cmd|' /C calc'!A0", "text": IDLIB} for c in "=+-@"),
    )
    target = tmp_path / "out.csv"
    r = run_capped(["geoparse", str(source), "-o", str(target)], memory_mb=CAP)
    contract(r, 0, 0)
    import csv

    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert {r["article_id"][:2] for r in rows} == {"'=", "'+", "'-", "'@"}


# -- evaluate: ids that do not match ---------------------------------------------------------


def test_evaluate_says_when_ids_do_not_match(tmp_path) -> None:
    topo = {"start": 0, "end": 7, "surface": "Saraqib", "lat": 35.86, "lon": 36.8}
    gold = jsonl(
        tmp_path / "gold.jsonl",
        *({"id": i, "toponyms": [topo]} for i in (1, 2, 3)),
    )
    disjoint = jsonl(tmp_path / "other.jsonl", {"id": "x", "toponyms": []})
    r = run_capped(["evaluate", str(gold), str(disjoint)], memory_mb=CAP)
    assert contract(r, 2, 1) == [
        f"frontmap: {gold} and {disjoint} have no article id in common "
        "(gold: '1', '2', '3'; predictions: 'x')"
    ]
    partial = jsonl(
        tmp_path / "pred.jsonl",
        {"id": "1", "toponyms": [topo]},  # frontmap writes ids as strings
        {"id": "9", "toponyms": []},
    )
    r = run_capped(["evaluate", str(gold), str(partial), "--json"], memory_mb=CAP)
    assert contract(r, 1, 2) == [
        f"frontmap: {partial}: no prediction for 2 of 3 gold articles ('2', '3'); "
        "scored as predicting nothing",
        f"frontmap: {partial}: 1 predicted articles are not in {gold} ('9'); not scored",
    ]
    result = json.loads(r.stdout)
    assert result["overall"]["overlap"]["tp"] == 1 and result["overall"]["n_gold"] == 3


# -- map and report: memory bounded per mention, and the mentions bounded -------------------


def test_a_long_list_of_places_maps_in_bounded_memory(tmp_path) -> None:
    """A text without sentence ends: each mention's row quotes 2,000 characters at most.

    Before, each of its 6,800 mentions held the whole 50 kB "sentence" (2.2 GB
    for 100 kB of text, out of memory).
    """
    source = tmp_path / "list.txt"
    source.write_text("Idlib, Aleppo, Hama, Saraqib, " * 1700, encoding="utf-8")
    r = run_capped(
        ["map", str(source), "-o", str(tmp_path / "maps"), "--jobs", "1"],
        memory_mb=BASE_MB + 300,
        seconds=90,
    )
    contract(r, 0, 0)
    assert (tmp_path / "maps" / "idlib.html").exists()


def test_map_and_report_stop_beyond_their_limits(tmp_path, capsys, monkeypatch) -> None:
    import frontmap.cli as cli

    source = jsonl(tmp_path / "a.jsonl", *({"id": f"a{i}", "text": IDLIB} for i in range(6)))
    monkeypatch.setattr(cli, "MAX_MAP_MENTIONS", 10)
    assert cli.main(["map", str(source), "-o", str(tmp_path / "maps"), "--jobs", "1"]) == 2
    assert capsys.readouterr().err == (
        f"frontmap: {source}:4: more than 10 places for one map; "
        "map fewer articles at a time (or use geoparse -o)\n"
    )
    assert not (tmp_path / "maps").exists()
    monkeypatch.setattr(cli, "MAX_REPORT_CHARS", 100)
    assert cli.main(["report", str(source), "-o", str(tmp_path / "r.html"), "--jobs", "1"]) == 2
    assert capsys.readouterr().err == (
        f"frontmap: {source}:2: more than 100 characters of text for one report; "
        "report fewer articles at a time (or use geoparse -o)\n"
    )
    assert not (tmp_path / "r.html").exists()


def test_evaluate_is_linear_in_the_toponyms_of_an_article(tmp_path) -> None:
    """15,000 toponyms in one article (a 1.5 MB line) against as many: matching swept,
    not every pair tried (4,000 took 80 s before)."""
    toponyms = [
        {"start": 10 * i, "end": 10 * i + 5, "lat": 35.9, "lon": 36.6} for i in range(15_000)
    ]
    gold = jsonl(tmp_path / "gold.jsonl", {"id": "a", "toponyms": toponyms})
    r = run_capped(["evaluate", str(gold), str(gold), "--json"], memory_mb=CAP, seconds=60)
    contract(r, 0, 0)
    assert json.loads(r.stdout)["overall"]["exact"]["tp"] == 15_000
    piled = [{"start": 0, "end": 5, "lat": 35.9, "lon": 36.6}] * 3000  # every span on one
    pred = jsonl(tmp_path / "pred.jsonl", {"id": "a", "toponyms": piled})
    r = run_capped(["evaluate", str(pred), str(pred)], memory_mb=CAP, seconds=60)
    assert contract(r, 2, 1) == [
        "frontmap: gold article 'a': too many toponyms overlap one another"
    ]


def test_one_long_text_is_written_as_it_is_geoparsed(tmp_path, monkeypatch) -> None:
    """The rows of a text of any length are not gathered: each window's rows are
    written as they come (a 50 MB text of news held 1.3 GB before, and ran out),
    in the same bytes as the whole article at once."""
    import frontmap.geo.articles as articles
    from frontmap.datafiles import GeoparseWriter
    from frontmap.pipeline import Article, iter_geoparse, iter_geoparse_parts

    monkeypatch.setattr(articles, "WINDOW_CHARS", 400)
    text = f"{IDLIB}\n\n{LIBYA}\n\n" * 8
    article = Article("long", text)
    for fmt in ("jsonl", "csv", "geojson"):
        parts_out, whole_out = tmp_path / f"parts.{fmt}", tmp_path / f"whole.{fmt}"
        writer = GeoparseWriter(parts_out)
        seen = 0
        for part in iter_geoparse_parts([article], sentences=False):
            writer.write_part(part)
            writer._out.fh.flush()
            size = os.fstat(writer._out.fh.fileno()).st_size
            assert part.last or size > seen  # written before the article ends
            seen = size
        writer.close()
        with GeoparseWriter(whole_out) as whole:
            for result in iter_geoparse([article], sentences=False):
                whole.write(result)
        assert parts_out.read_bytes() == whole_out.read_bytes()
    assert len(json.loads(whole_out.read_text(encoding="utf-8"))["features"]) >= 8 * 4
