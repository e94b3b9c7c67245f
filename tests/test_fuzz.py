"""Fuzzing every reader (issue 15): random bytes, random JSON and random GeoJSON.

Whatever the input, a reader either reads it or raises the one error a user can
act on (an InputError, a LayerError: never a TypeError, an OverflowError, a
RecursionError...), and the command turns that error into one line on stderr
with the right status. The inputs are small (the huge and endless ones are in
tests/test_hostile.py, under a memory cap); hypothesis looks for the odd ones:
lone surrogates, NaN, numbers of thousands of digits, deep nesting, values of
the wrong type anywhere.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from capped import capped_here
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontmap.cli import main
from frontmap.errors import InputError, LayerError

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Each test (all its examples) may map this much more memory, and take this long.
FUZZ_MB = 1500
FUZZ_SECONDS = 120

# -- random JSON, as text (so that it can hold what json.dumps refuses to write) ------------

HUGE_INT = "1" * 5000
ODD_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-0", HUGE_INT, "-" + HUGE_INT, "1" * 400]
ODD_STRINGS = ["\ud800", "a\udfffb", "\u00ad", "\u202e", "\x00", "\n", "=1+1", "", " ", "Saraqib"]


def _scalar() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["null", "true", "false", *ODD_NUMBERS]),
        st.integers().map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
        st.one_of(st.text(max_size=30), st.sampled_from(ODD_STRINGS)).map(_string),
    )


def _string(s: str) -> str:
    return json.dumps(s)  # ensure_ascii: a lone surrogate becomes "\\ud800"


def _json_text(leaves: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """JSON texts: scalars, lists and objects of them, a few levels deep."""
    return st.recursive(
        leaves or _scalar(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
            st.dictionaries(st.text(max_size=8).map(_string), inner, max_size=4).map(
                lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
            ),
        ),
        max_leaves=12,
    )


def _object(
    fields: dict[str, st.SearchStrategy[str]],
    optional: dict[str, st.SearchStrategy[str]] | None = None,
) -> st.SearchStrategy[str]:
    """A JSON object text with ``fields`` and some of ``optional`` (values are JSON texts)."""
    return st.fixed_dictionaries(fields, optional=optional or {}).map(
        lambda d: "{" + ", ".join(f"{_string(k)}: {v}" for k, v in d.items()) + "}"
    )


def _mostly(*good: str | st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Usually one of ``good`` (so that a record gets deep into the reader), else any JSON."""
    strategies = [g if isinstance(g, st.SearchStrategy) else st.just(g) for g in good]
    return st.one_of(*strategies, *strategies, *strategies, ANY)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


ANY = _json_text()
DEEP = st.integers(1, 3000).map(lambda n: "[" * n + "]" * n)
TEXTS = st.one_of(
    st.text(max_size=200).map(_string),
    st.sampled_from(
        ["Shelling hit Sar\u00adaqib, east of Idlib.", "I I I I I", "US US US", "\ud800 Idlib"]
    ).map(_string),
)
ARTICLE = _object(
    {"text": _mostly(TEXTS)},
    {
        "id": _mostly(st.text(max_size=10).map(_string), st.integers().map(str)),
        "date": _mostly('"2020-02-27"', '"2020-02-30"', '"27/02/2020"', "null"),
        "title": _mostly(TEXTS),
        "url": _mostly(TEXTS),
    },
)
LINES = st.lists(st.one_of(ARTICLE, ANY, DEEP, st.text(max_size=50)), max_size=6)


def _one_line(message: str) -> None:
    assert message and "\n" not in message and "\r" not in message, repr(message)


def _cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    _, err = capsys.readouterr()
    assert code in (0, 1, 2), code
    assert "Traceback" not in err and "internal error" not in err, err
    for line in err.splitlines():
        assert line.startswith("frontmap: "), err
    return code, err


# -- articles: .jsonl and .txt ------------------------------------------------------------


def _read(path: Path) -> list:
    from frontmap.geo.articles import read_articles

    items = list(read_articles([path]))
    for item in items:
        if isinstance(item, InputError):
            _one_line(str(item))
            continue
        for value in (item.id, item.text, item.title or "", item.url or ""):
            value.encode("utf-8")  # writable: no lone surrogate
        assert "".join(text for _, text in item.windows()) == item.full_text()
    return items


@FUZZ
@given(lines=LINES)
def test_jsonl_articles(tmp_path_factory, lines) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "a.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    _read(path)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".jsonl", ".txt"]))
def test_articles_from_random_bytes(tmp_path_factory, data, suffix) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"a{suffix}"
    path.write_bytes(data)
    _read(path)


@FUZZ
@given(text=st.text(max_size=400))
def test_geoparse_any_text(gazetteer, text) -> None:
    from frontmap.geo import geoparse

    for t in geoparse(text, gazetteer):
        assert text[t.start : t.end] == t.surface
        assert t.sentence_start <= t.start < t.end <= t.sentence_end
        assert math.isfinite(t.lat) and math.isfinite(t.lon)


@FUZZ
@given(lines=LINES, data=st.binary(max_size=500))
def test_geoparse_command(tmp_path_factory, capsys, lines, data) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    records = folder / "a.jsonl"
    records.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    raw = folder / "b.txt"
    raw.write_bytes(data)
    out = folder / "out.csv"
    code, _ = _cli(capsys, "geoparse", str(records), str(raw), "-o", str(out), "--jobs", "1")
    assert out.exists() == (code != 2)


# -- evaluate: gold and predictions --------------------------------------------------------

TOPONYM = _object(
    {
        "start": _mostly(st.integers(0, 50).map(str)),
        "end": _mostly(st.integers(0, 60).map(str)),
        "lat": _mostly(st.floats(-90, 90).map(json.dumps), st.sampled_from(ODD_NUMBERS)),
        "lon": _mostly(st.floats(-180, 180).map(json.dumps), st.sampled_from(ODD_NUMBERS)),
    },
    {
        "type": _mostly('"literal"', '"metonymy"'),
        "kind": _mostly('"populated_place"', '"country"', '"water"'),
        "country": _mostly('"SY"', '"Syria"', '"XX"'),
        "geonameid": _mostly("163843", '"163843"', '""'),
        "fclass": _mostly('"P"', '"A"', '"H"'),
        "fcode": _mostly('"PPLC"', '"ADM1"', '"PCLI"'),
        "name": _mostly('"Syria"', '"Idlib"'),
        "surface": _mostly('"Idlib"'),
    },
)
RECORD = _object(
    {
        "id": _mostly('"a"', '"b"', "1", '"1"'),
        "toponyms": _mostly(st.lists(TOPONYM, max_size=4).map(_list)),
    }
)


@FUZZ
@given(gold=st.lists(RECORD, max_size=4), pred=st.lists(st.one_of(RECORD, ANY), max_size=4))
def test_evaluate(tmp_path_factory, capsys, gold, pred) -> None:
    from frontmap.geo.evaluate import evaluate, format_report, load_jsonl
    from frontmap.theatres import theatre_of

    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for name, lines in (("gold", gold), ("pred", pred)):
        paths.append(folder / f"{name}.jsonl")
        paths[-1].write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    try:
        result = evaluate(load_jsonl(paths[0]), load_jsonl(paths[1]), theatre_of=theatre_of)
    except InputError as exc:
        _one_line(str(exc))
    else:
        json.dumps(result, allow_nan=False)  # plain numbers only
        format_report(result)
    _cli(capsys, "evaluate", str(paths[0]), str(paths[1]), "--json")


@FUZZ
@given(data=st.binary(max_size=2000))
def test_evaluate_random_bytes(tmp_path_factory, capsys, data) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "gold.jsonl"
    path.write_bytes(data)
    code, err = _cli(capsys, "evaluate", str(path), str(path))
    assert code in (0, 2)


# -- layer files: random GeoJSON ----------------------------------------------------------

NUMBER = _mostly(st.floats(-200, 200).map(json.dumps), st.sampled_from(ODD_NUMBERS))
POSITION = st.lists(NUMBER, min_size=0, max_size=4).map(_list)


def _nested(depth: int) -> st.SearchStrategy[str]:
    inner: st.SearchStrategy[str] = POSITION
    for _ in range(depth):
        inner = st.lists(inner, max_size=5).map(_list)
    return inner


_TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
GEOMETRY = _mostly(
    st.builds(
        lambda kind, coords: f'{{"type": {_string(kind)}, "coordinates": {coords}}}',
        st.sampled_from([*_TYPES, "Circle"]),
        st.integers(0, 3).flatmap(_nested),
    ),
    st.builds(
        lambda parts: f'{{"type": "GeometryCollection", "geometries": {_list(parts)}}}',
        st.lists(st.builds(
            lambda kind, coords: f'{{"type": {_string(kind)}, "coordinates": {coords}}}',
            st.sampled_from(_TYPES),
            st.integers(0, 3).flatmap(_nested),
        ), max_size=3),
    ),
)  # fmt: skip
PROPERTIES = _object(
    {
        "id": _mostly('"z.1"', '"z.2"'),
        "theatre": _mostly('"idlib"', '"libya"', '"mars"'),
        "kind": _mostly('"zone"', '"control"', '"front_line"', '"site"'),
        "name": _mostly('"Zone"'),
        "actor": _mostly('"government"', '"opposition"', "null"),
        "valid_from": _mostly('"2020-03-05"', '"2020-02-30"'),
        "valid_to": _mostly('"2020-03-01"', "null"),
        "source": _mostly('"a test"'),
        "precision_km": NUMBER,
    },
    {"layer": ANY},
)
FEATURE = st.builds(
    lambda props, geom: f'{{"type": "Feature", "properties": {props}, "geometry": {geom}}}',
    PROPERTIES,
    GEOMETRY,
)
COLLECTION = st.builds(
    lambda feats, crs: '{"type": "FeatureCollection", "features": ' + _list(feats)
    + (f', "crs": {crs}' if crs else "") + "}",
    st.lists(_mostly(FEATURE), max_size=4),
    st.one_of(st.none(), st.none(), ANY),
)  # fmt: skip


@FUZZ
@given(files=st.lists(st.one_of(COLLECTION, ANY, DEEP), min_size=1, max_size=3))
def test_layers_check(tmp_path_factory, capsys, files) -> None:
    from frontmap.layers import check, load_layers

    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for i, text in enumerate(files):
        paths.append(folder / f"{i}.geojson")
        paths[-1].write_text(text, encoding="utf-8", errors="surrogatepass")
    for line in check(paths):
        _one_line(line)
    try:
        load_layers(paths)
    except LayerError as exc:
        _one_line(str(exc))
    _cli(capsys, "layers", "check", *map(str, paths))


@FUZZ
@given(data=st.binary(max_size=2000))
def test_layers_check_random_bytes(tmp_path_factory, capsys, data) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "x.geojson"
    path.write_bytes(data)
    code, err = _cli(capsys, "layers", "check", str(path))
    assert code == 2 and len(err.splitlines()) >= 1


# -- GeoNames dumps -------------------------------------------------------------------------

FIELD = st.one_of(st.text(alphabet=st.characters(exclude_characters="\t\n\r"), max_size=12),
                  st.sampled_from(ODD_NUMBERS), st.integers().map(str),
                  st.floats().map(str))  # fmt: skip
DUMP_LINE = st.one_of(
    st.lists(FIELD, min_size=0, max_size=22).map("\t".join),
    st.builds(
        lambda gid, lat, lon, code: "\t".join(
            [
                gid,
                "Testplace",
                "Testplace",
                "Testville,Тест",
                lat,
                lon,
                "P",
                code,
                "SY",
                "",
                "12",
                "",
                "",
                "",
                "5",
                "",
                "300",
                "Asia/Damascus",
                "2020-01-01",
            ]  # fmt: skip
        ),
        FIELD,
        FIELD,
        FIELD,
        st.sampled_from(["PPL", "MT", "XXX", ""]),
    ),
)


@FUZZ
@given(lines=st.lists(DUMP_LINE, max_size=5), data=st.binary(max_size=300))
def test_gazetteer_import(tmp_path_factory, lines, data) -> None:
    from frontmap.geo.index import import_geonames

    folder = tmp_path_factory.mktemp("fuzz")
    for dump in (folder / "SY.txt", folder / "raw.txt"):
        if dump.name == "SY.txt":
            dump.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        else:
            dump.write_bytes(data)
        try:
            n = import_geonames(dump, user_index=folder / "user.sqlite")
        except InputError as exc:
            _one_line(str(exc))
        else:
            assert n >= 0


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch) -> Iterator[None]:
    """No debug tracebacks; each test under a memory cap and a time limit."""
    monkeypatch.delenv("FRONTMAP_DEBUG", raising=False)
    with capped_here(memory_mb=FUZZ_MB, seconds=FUZZ_SECONDS):
        yield


# -- extraction: the lookup keys made word by word are the folds of the text --------------

_PIECES = [*"AaBbIiSsΣςΟΔİıŞşəÉé'’.-‐ \t\u00ad", "al-", "Al ", "the ", "Idlib ", "U.S. "]
WORDY = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@FUZZ
@given(text=st.one_of(st.text(max_size=200), WORDY))
def test_window_keys_are_folds_of_the_text(text) -> None:
    """geo.extract builds each window's key from its tokens' folded words; it must be
    exactly ``fold`` of the window's text (else names would be missed)."""
    from frontmap.geo import extract
    from frontmap.geo.names import fold, fold_words

    sents, keys = extract._candidate_spans(text)
    for key, where in keys.items():
        for si, i, j in where:
            toks = sents[si][0]
            assert key == fold(text[toks[i].start : toks[j].end])
    for a, b in zip(text.split(" "), text.split(" ")[1:], strict=False):
        assert fold_words(f"{a} {b}") == fold_words(a) + fold_words(b)
