"""Articles as input: plain-text files and JSON Lines files.

An ARTICLE argument is a ``.txt`` file (one article; its id is the file's
stem) or a ``.jsonl`` file (one article a line: ``id``, ``text`` and optional
``date``, ``title``, ``url``). Text files may be UTF-8 (with or without a
byte-order mark), UTF-16 with a byte-order mark, or Windows-1252/Latin-1; an
article saved from a browser as HTML is reduced to its text.

Reading never stops at the first bad input: :func:`read_articles` yields an
:class:`Article` or an :class:`~geo.errors.InputError` per article, so a
command can process the good ones and report the bad ones, one line each.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from geo.errors import InputError

__all__ = ["Article", "read_articles", "parse_date", "decode_text"]


@dataclass(frozen=True)
class Article:
    """One article: its text and what is known about it."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str = ""  # where it was read from: "file" or "file:line"


def parse_date(value: object, where: str = "date") -> dt.date | None:
    """Parse an ISO date (``YYYY-MM-DD``); None and "" give None.

    Raises
    ------
    InputError
        For anything else, including impossible dates such as 2020-02-30.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise InputError(f"{where}: {value!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{where}: {value} is not a real date") from None


class _TextOfHtml(HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg"})
    _BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "section",
            "article",
            "blockquote",
            "title",
            "header",
            "footer",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def _html_to_text(html: str) -> tuple[str, str | None]:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n[ \n]*", "\n", text)
    paras = [p.strip() for p in text.split("\n")]
    title = " ".join("".join(parser.title).split()) or None
    return "\n\n".join(p for p in paras if p), title


def decode_text(data: bytes, where: str) -> str:
    """Decode an article file's bytes.

    UTF-8 (BOM or not), UTF-16 and UTF-32 with a BOM, else Windows-1252
    (which covers Latin-1 text). Binary data (NUL bytes, or many control
    characters) is refused.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{where}: broken UTF-16 text") from None
    if b"\x00" in data:
        raise InputError(f"{where}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 8:
        raise InputError(f"{where}: binary file, not text")
    return text


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and ("<body" in text[:20000].lower() or "<head" in head)
    )


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an article file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _text_article(path: Path, date: dt.date | None) -> Article:
    text = decode_text(_read_bytes(path), str(path))
    title = None
    if _looks_like_html(text):
        text, title = _html_to_text(text)
    if not text.strip():
        raise InputError(f"{path}: empty article")
    return Article(path.stem, text, date, title, None, str(path))


def _jsonl_articles(
    path: Path, date: dt.date | None, seen: set[str]
) -> Iterator[Article | InputError]:
    try:
        raw = _read_bytes(path)
        lines = decode_text(raw, str(path)).splitlines()
    except InputError as exc:
        yield exc
        return
    for lineno, line in enumerate(lines, 1):
        where = f"{path}:{lineno}"
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{where}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict):
            yield InputError(f"{where}: a line must be a JSON object")
            continue
        text = rec.get("text")
        if not isinstance(text, str):
            yield InputError(f"{where}: missing 'text' (a string)")
            continue
        if not text.strip():
            yield InputError(f"{where}: empty article")
            continue
        aid = rec.get("id", f"{path.stem}-{lineno}")
        if not isinstance(aid, str | int) or isinstance(aid, bool):
            yield InputError(f"{where}: 'id' must be a string or a number")
            continue
        aid = str(aid)
        if aid in seen:
            yield InputError(f"{where}: duplicate article id {aid!r}")
            continue
        bad = next(
            (k for k in ("title", "url") if rec.get(k) is not None and not isinstance(rec[k], str)),
            None,
        )
        if bad:
            yield InputError(f"{where}: {bad!r} must be a string")
            continue
        try:
            own = parse_date(rec.get("date"), f"{where}: date")
        except InputError as exc:
            yield exc
            continue
        seen.add(aid)
        yield Article(aid, text, date or own, rec.get("title"), rec.get("url"), where)


def read_articles(
    paths: Iterable[str | Path], date: dt.date | None = None
) -> Iterator[Article | InputError]:
    """Read articles from .txt and .jsonl files, streaming.

    Parameters
    ----------
    paths : iterable of path
        ARTICLE arguments.
    date : datetime.date, optional
        Overrides every article's own date (the ``--date`` option).

    Yields
    ------
    Article or InputError
        One per article, in order; an error names the file (and line).
    """
    seen: set[str] = set()
    for p in paths:
        path = Path(p)
        if path.suffix.lower() == ".jsonl":
            yield from _jsonl_articles(path, date, seen)
            continue
        try:
            art = _text_article(path, date)
        except InputError as exc:
            yield exc
            continue
        if art.id in seen:
            yield InputError(f"{path}: duplicate article id {art.id!r}")
            continue
        seen.add(art.id)
        yield art
