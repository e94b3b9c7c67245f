"""Article input (geo.articles): encodings, HTML, JSON Lines problems, big texts in windows.

Every file is written here, in tmp_path; the texts are written for these tests.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import pytest

import frontmap.geo.articles as articles
from frontmap.errors import InputError
from frontmap.geo.articles import Article, decode_text, read_articles, text_windows

TEXT = "Shelling hit Saraqib and Maarat al-Numan. Residents fled towards Atmeh.\n"
ACCENTED = "Les bombardements ont touché Saraqib, près d’Idlib, selon un témoin à Alep.\n"


def read(*paths: Path, date: dt.date | None = None) -> list[Article | InputError]:
    return list(read_articles(paths, date))


def messages(items: list[Article | InputError]) -> list[str]:
    return [str(i) for i in items if isinstance(i, InputError)]


def good(items: list[Article | InputError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


# -- text files: paths --------------------------------------------------------


def test_missing_directory_and_special_files(tmp_path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    items = read(tmp_path / "nope.txt", folder, tmp_path / "nope.jsonl", Path("/dev/null"))
    assert messages(items) == [
        f"{tmp_path / 'nope.txt'}: no such file",
        f"{folder}: is a directory, not an article file",
        f"{tmp_path / 'nope.jsonl'}: no such file",
        "/dev/null: not a regular file",
    ]


def test_unreadable_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(TEXT, encoding="utf-8")
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert messages(read(path)) == [f"{path}: cannot read (Permission denied)"]


# -- text files: content ------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff \n".encode()])
def test_empty_and_whitespace_articles(tmp_path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert messages(read(path)) == [f"{path}: empty article"]


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,  # NUL bytes
        b"\x89PNG\r\n\x1a\n" + bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20,  # controls
    ],
)
def test_binary_files_are_refused(tmp_path, content: bytes) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(content)
    assert messages(read(path)) == [f"{path}: binary file, not text"]


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("utf-8", ACCENTED),
        ("utf-8-sig", ACCENTED),
        ("latin-1", ACCENTED.replace("’", "'")),
        ("cp1252", ACCENTED),
        ("utf-16", ACCENTED),  # Python writes a byte-order mark
        ("utf-32", ACCENTED),
    ],
)
def test_text_encodings(tmp_path, codec: str, text: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(codec))
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.text == text and art.id == "article"


def test_utf16_with_odd_bytes_is_broken_not_binary(tmp_path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Idlib".encode("utf-16-le") + b"\x00\xd8")
    assert messages(read(path)) == [f"{path}: broken UTF-16 text"]


def test_html_saved_from_a_browser(tmp_path) -> None:
    page = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Clashes near Saraqib &amp; Idlib</title>
<style>p { color: red }</style><script>var city = "Moscow";</script></head>
<body><nav>Home</nav><article><h1>Clashes near Saraqib</h1>
<p>Shelling hit <b>Saraqib</b> on&nbsp;Tuesday.</p><p>Residents fled to Atmeh.</p>
</article><noscript>Enable JavaScript in Ankara</noscript></body></html>"""
    path = tmp_path / "saved.html"
    path.write_bytes(page.encode("utf-8"))
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.title == "Clashes near Saraqib & Idlib"
    assert "Shelling hit Saraqib on\xa0Tuesday." in art.text
    assert "Residents fled to Atmeh." in art.text
    for hidden in ("Moscow", "color", "Ankara", "<"):
        assert hidden not in art.text


def test_duplicate_stems_across_folders(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in "ab":
        (tmp_path / d / "same.txt").write_text(TEXT, encoding="utf-8")
    items = read(tmp_path / "a" / "same.txt", tmp_path / "b" / "same.txt")
    assert len(good(items)) == 1
    assert messages(items) == [f"{tmp_path / 'b' / 'same.txt'}: duplicate article id 'same'"]


# -- JSON Lines ---------------------------------------------------------------


def write_jsonl(path: Path, *lines: str, codec: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(codec))
    return path


def test_jsonl_problems_name_file_and_line(tmp_path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        json.dumps({"id": "ok", "text": TEXT, "date": "2020-02-27"}),
        '{"id": "cut", "text": "Saraqib',
        "",
        json.dumps({"id": "notext"}),
        json.dumps({"id": "num", "text": 42}),
        json.dumps({"id": ["x"], "text": TEXT}),
        json.dumps({"id": "ok", "text": TEXT}),
        json.dumps({"id": "d1", "text": TEXT, "date": "27/02/2020"}),
        json.dumps({"id": "d2", "text": TEXT, "date": "2020-02-30"}),
        json.dumps({"id": "d3", "text": TEXT, "date": 20200227}),
        json.dumps({"id": "t", "text": TEXT, "title": 5}),
        json.dumps({"id": "blank", "text": "  \n "}),
        "[1, 2]",
        json.dumps({"id": "", "text": TEXT}),
        json.dumps({"id": 7, "text": TEXT, "date": "2020-02-27T08:30:00Z"}),
    )
    items = read(path)
    assert [a.id for a in good(items)] == ["ok", "7"]
    assert good(items)[0].date == dt.date(2020, 2, 27)
    assert good(items)[1].date == dt.date(2020, 2, 27)
    assert good(items)[1].source == f"{path}:15"
    p = str(path)
    assert messages(items) == [
        f"{p}:2: not valid JSON (Unterminated string starting at column 23)",
        f"{p}:4: missing 'text'",
        f"{p}:5: 'text' must be a string, not a number",
        f"{p}:6: 'id' must be a string or a number, not a list",
        f"{p}:7: duplicate article id 'ok'",
        f"{p}:8: date: '27/02/2020' is not a date in the form YYYY-MM-DD",
        f"{p}:9: date: 2020-02-30 is not a real date",
        f"{p}:10: date: 20200227 is not a date in the form YYYY-MM-DD",
        f"{p}:11: 'title' must be a string, not a number",
        f"{p}:12: empty article",
        f"{p}:13: a line must be a JSON object, not a list",
        f"{p}:14: empty 'id'",
    ]


def test_jsonl_date_option_overrides(tmp_path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", json.dumps({"text": TEXT, "date": "2019-01-01"}))
    (art,) = read(path, date=dt.date(2020, 3, 5))
    assert art.date == dt.date(2020, 3, 5) and art.id == "in-1"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "cp1252"])
def test_jsonl_encodings(tmp_path, codec: str) -> None:
    line = json.dumps({"id": "fr", "text": ACCENTED}, ensure_ascii=False)
    path = write_jsonl(tmp_path / "in.jsonl", line, line.replace('"fr"', '"fr2"'), codec=codec)
    items = read(path)
    assert [a.text for a in good(items)] == [ACCENTED, ACCENTED]


def test_jsonl_line_separators_inside_strings_stay(tmp_path) -> None:
    text = "Saraqib\u2028Idlib\x85Ariha"
    path = write_jsonl(
        tmp_path / "in.jsonl", json.dumps({"id": "s", "text": text}, ensure_ascii=False)
    )
    (art,) = read(path)
    assert art.text == text


def test_jsonl_binary_file(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(bytes(range(256)) * 8)
    assert messages(read(path)) == [f"{path}: binary file, not text"]


def test_jsonl_is_read_line_by_line(tmp_path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", *(json.dumps({"text": TEXT}) for _ in range(5)))
    it = read_articles([path])
    assert isinstance(next(it), Article)
    path.write_text("", encoding="utf-8")  # the rest comes from the open file
    assert len(list(it)) == 4


def test_progress_counts_every_byte(tmp_path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", *(json.dumps({"text": TEXT}) for _ in range(3)))
    b = tmp_path / "b.txt"
    b.write_text(TEXT, encoding="utf-8")
    seen: list[int] = []
    list(read_articles([a, b], progress=seen.append))
    assert sum(seen) == a.stat().st_size + b.stat().st_size


def test_decode_text_refuses_nul_bytes() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_text(b"Idlib\x00Saraqib", "x.txt")


# -- windows and big files ---------------------------------------------------


def paragraphs(n: int) -> str:
    base = [
        "Shelling hit Saraqib on Monday, residents said.",
        "Talks in Ankara ended without agreement.",
        "Aid convoys left Sarmada for the camps near Atmeh!",
        "Was the road to Tarhuna open? Nobody knew.",
    ]
    return "".join(
        " ".join(base[(i + k) % 4] for k in range(1 + i % 5)) + ("\n\n" if i % 3 else "\n")
        for i in range(n)
    )


@pytest.mark.parametrize("size", [2, 7, 64, 500, 10_000])
def test_windows_join_back_and_do_not_depend_on_pieces(size: int) -> None:
    text = paragraphs(120)
    whole = list(text_windows([text], size))
    assert "".join(w for _, w in whole) == text
    assert all(len(w) <= size for _, w in whole)
    assert [o for o, _ in whole] == [sum(len(w) for _, w in whole[:k]) for k in range(len(whole))]
    for step in (1, 3, 997):
        pieces = [text[i : i + step] for i in range(0, len(text), step)]
        assert list(text_windows(pieces, size)) == whole


def test_windows_end_at_paragraphs_or_sentences() -> None:
    text = paragraphs(400)
    for _, w in list(text_windows([text], 2000))[:-1]:
        assert w.endswith(("\n\n", ". ", "! ", "? ", "\n"))


def test_short_text_is_one_window() -> None:
    assert list(text_windows(["Idlib"], 100)) == [(0, "Idlib")]
    assert list(text_windows([""], 100)) == [(0, "")]


def test_big_text_file_is_streamed_in_windows(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(articles, "STREAM_BYTES", 10_000)
    monkeypatch.setattr(articles, "_BLOCK", 4096)
    text = paragraphs(2000)  # about 190 kB
    path = tmp_path / "big.txt"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    (art,) = read(path)
    assert art.streamed and art.text == "" and art.id == "big"
    windows = list(art.windows(5000))
    assert len(windows) > 30
    assert "".join(w for _, w in windows) == text
    assert windows == list(text_windows([text], 5000))
    assert art.full_text() == text


@pytest.mark.parametrize("codec", ["utf-16", "cp1252"])
def test_big_file_in_other_encodings(tmp_path, monkeypatch, codec: str) -> None:
    monkeypatch.setattr(articles, "STREAM_BYTES", 10_000)
    monkeypatch.setattr(articles, "_BLOCK", 4096)
    text = (ACCENTED * 500) + "Fin à Alep."
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode(codec))
    (art,) = read(path)
    assert art.streamed and art.full_text() == text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b" " * 30_000 + b"\n" * 30_000, "empty article"),
        (b"Idlib " * 5000 + b"\x00", "binary file, not text"),
    ],
)
def test_big_bad_files(tmp_path, monkeypatch, content: bytes, message: str) -> None:
    monkeypatch.setattr(articles, "STREAM_BYTES", 10_000)
    monkeypatch.setattr(articles, "_BLOCK", 4096)
    path = tmp_path / "big.txt"
    path.write_bytes(content)
    assert messages(read(path)) == [f"{path}: {message}"]
