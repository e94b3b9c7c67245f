"""Articles as input: plain-text files and JSON Lines files.

An ARTICLE argument is a ``.txt`` file (one article; its id is the file's
stem) or a ``.jsonl`` file (one article a line: ``id``, ``text`` and optional
``date``, ``title``, ``url``). Text files may be UTF-8 (with or without a
byte-order mark), UTF-16 or UTF-32 with a byte-order mark, or
Windows-1252/Latin-1; an article saved from a browser as HTML is reduced to
its text (offsets then index that text).

Reading never stops at the first bad input: :func:`read_articles` yields an
:class:`Article` or an :class:`~frontmap.errors.InputError` per article, so a
command can process the good ones and report the bad ones, one line each.

Memory stays bounded on big input: JSON Lines files are read line by line
(a line longer than :data:`frontmap.files.MAX_LINE_BYTES` is refused and
skipped), and a text file larger than :data:`STREAM_BYTES` is not held at all:
its :class:`Article` reads it again, piece by piece, when
:meth:`Article.windows` is iterated. A pipe cannot be read twice, so text from
a pipe is held, up to :data:`frontmap.files.MAX_PIPE_BYTES`.
:meth:`Article.windows` cuts any long text into windows of at most
:data:`WINDOW_CHARS` characters at paragraph or sentence boundaries, with
offsets into the whole text.

Text that is not UTF-8 is read as Windows-1252 byte by byte
(:func:`frontmap.files.decode_bytes`), so a file that mixes the two reads right;
a JSON string holding a lone surrogate (``"\\ud800"``), which no file can
store, is read with U+FFFD in its place (offsets do not move).
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from ..dates import parse_date
from ..errors import InputError
from ..files import (
    BOMS_16,
    BOMS_32,
    CP1252_FALLBACK,
    MAX_PIPE_BYTES,
    decode_bytes,
    decode_utf16_32,
    jsonl_lines,
    open_input,
    parse_json,
    read_limited,
)

__all__ = [
    "MAX_BAD_LINES",
    "MAX_HTML_BYTES",
    "STREAM_BYTES",
    "WINDOW_CHARS",
    "Article",
    "decode_text",
    "read_articles",
    "text_windows",
]

#: Longest text handed to the geoparser at once, in characters. Resolution
#: weighs every mention against every other one of its text, so its memory grows
#: with the square of a window's mentions: news articles fit in one window.
WINDOW_CHARS = 100_000
#: Text files larger than this (in bytes) are streamed, never held whole.
STREAM_BYTES = 4 * 1024 * 1024
#: Largest article saved as HTML, in bytes (a page is parsed whole).
MAX_HTML_BYTES = 32 * 1024 * 1024
#: A JSON Lines file is given up after this many bad lines in a row (it is no
#: file of articles, or an endless pipe of junk): one error line each, then one more.
MAX_BAD_LINES = 100
_BLOCK = 1 << 20  # bytes read at a time from a streamed file


Progress = Callable[[int], None]


@dataclass(frozen=True)
class Article:
    """One article: its text and what is known about it.

    ``text`` is the whole text, except for a text file larger than
    :data:`STREAM_BYTES`: then ``text`` is ``""``, :attr:`streamed` is true and
    the text is read from the file, piece by piece, by :meth:`windows` (or whole
    by :meth:`full_text`).
    """

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str = ""  # where it was read from: "file" or "file:line"
    reader: Callable[[], Iterator[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def streamed(self) -> bool:
        """True when the text is read from its file on demand."""
        return self.reader is not None

    def windows(self, size: int | None = None) -> Iterator[tuple[int, str]]:
        """The text in windows of at most ``size`` characters.

        Parameters
        ----------
        size : int, optional
            Window length in characters (default :data:`WINDOW_CHARS`).

        Yields
        ------
        (int, str)
            The offset of the window in the whole text, and the window. A text
            no longer than ``size`` is one window at offset 0.
        """
        pieces = self.reader() if self.reader is not None else [self.text]
        return text_windows(pieces, WINDOW_CHARS if size is None else size)

    def full_text(self) -> str:
        """The whole text (reads the file of a streamed article)."""
        if self.reader is None:
            return self.text
        return "".join(self.reader())


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002][\"'\u201d\u2019)\]]*\s+")


def _cut(buf: str, size: int) -> int:
    """Where to end a window of ``buf`` (at most ``size`` characters long).

    The last blank line in the second half of the window, else the last
    sentence end there, else the last white space, else ``size``.
    """
    lo = size // 2
    last = None
    for last in _BLANK_LINE.finditer(buf, lo, size):  # noqa: B007 - keep the last match
        pass
    if last is None:
        for last in _SENTENCE_END.finditer(buf, lo, size):  # noqa: B007
            pass
    if last is not None:
        return last.end()
    space = max(buf.rfind(c, lo, size) for c in " \n\t")
    return space + 1 if space >= lo else size


def text_windows(pieces: Iterable[str], size: int = WINDOW_CHARS) -> Iterator[tuple[int, str]]:
    """Cut a text, given as consecutive pieces, into windows.

    A window ends at a paragraph break or a sentence end where possible. The
    windows depend only on the text, not on how it was cut into pieces, and
    joined they give the text back.

    Parameters
    ----------
    pieces : iterable of str
        The text, in order (for example blocks decoded from a file).
    size : int
        Longest window in characters (at least 2).

    Yields
    ------
    (int, str)
        Offset of the window in the whole text, and the window.
    """
    if size < 2:
        raise ValueError("window size must be at least 2")
    buf = ""
    offset = 0
    for piece in pieces:
        buf += piece
        while len(buf) > size:
            cut = _cut(buf, size)
            yield offset, buf[:cut]
            offset += cut
            buf = buf[cut:]
    if buf or offset == 0:
        yield offset, buf


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


def _too_many_controls(text: str) -> bool:
    return sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f") > 8


def decode_text(data: bytes, where: str) -> str:
    """Decode an article file's bytes.

    UTF-8 (BOM or not), UTF-16 and UTF-32 with a BOM; bytes that are not
    UTF-8 are read as Windows-1252, which covers Latin-1 text and text that
    mixes the two (:func:`frontmap.files.decode_bytes`). Binary data (NUL
    bytes, or many control characters) is refused.

    Parameters
    ----------
    data : bytes
        The file's content.
    where : str
        The file, for error messages.

    Returns
    -------
    str

    Raises
    ------
    InputError
        For binary data and broken UTF-16/32.
    """
    text = decode_utf16_32(data, where)
    if text is not None:
        return text
    if b"\x00" in data:
        raise InputError(f"{where}: binary file, not text")
    text = decode_bytes(data)
    if _too_many_controls(text):
        raise InputError(f"{where}: binary file, not text")
    return text


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and ("<body" in text[:20000].lower() or "<head" in head)
    )


def _blocks(fh: BinaryIO, path: Path) -> Iterator[bytes]:
    while True:
        try:
            block = fh.read(_BLOCK)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        if not block:
            return
        yield block


def _sniff(fh: BinaryIO, path: Path) -> tuple[str, bool]:
    """Check a big text file in one streaming pass.

    Returns its codec (UTF-32, UTF-16, or UTF-8 with the Windows-1252 fallback)
    and whether it is HTML; raises InputError for binary, broken or empty files.
    """
    head = fh.read(4)
    fh.seek(0)
    if head.startswith(BOMS_32):
        codec = "utf-32"
    elif head.startswith(BOMS_16):
        codec = "utf-16"
    else:
        codec = "utf-8-sig"
    decoder = _decoder(codec)
    first, blank, html = True, True, False
    try:
        for block in _blocks(fh, path):
            if codec == "utf-8-sig" and b"\x00" in block:
                raise InputError(f"{path}: binary file, not text")
            text = decoder.decode(block)
            if first:
                if codec == "utf-8-sig" and _too_many_controls(text):
                    raise InputError(f"{path}: binary file, not text")
                html = _looks_like_html(text)
                first = False
            blank = blank and not text.strip()
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:  # only UTF-16 and UTF-32 can be broken
        raise InputError(f"{path}: broken {codec.upper()} text") from None
    if blank:
        raise InputError(f"{path}: empty article")
    return codec, html


def _decoder(codec: str) -> codecs.IncrementalDecoder:
    """An incremental decoder; UTF-8 reads bytes that are not UTF-8 as Windows-1252."""
    errors = CP1252_FALLBACK if codec == "utf-8-sig" else "strict"
    return codecs.getincrementaldecoder(codec)(errors=errors)


def _stream(path: Path, codec: str, progress: Progress | None) -> Iterator[str]:
    """Decoded pieces of a big text file (read anew on each call)."""
    fh, _ = open_input(path, "an article file")
    decoder = _decoder(codec)
    with fh:
        for block in _blocks(fh, path):
            try:
                piece = decoder.decode(block)
            except UnicodeDecodeError:
                raise InputError(f"{path}: changed while being read") from None
            if progress is not None:
                progress(len(block))
            if piece:
                yield piece
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail


_PIPE_HINT = (
    " of text from a pipe, which can be read only once; save it to a file"
    " (files of any size are read in windows)"
)


def _text_article(path: Path, date: dt.date | None, progress: Progress | None) -> Article:
    fh, size = open_input(path, "an article file")
    with fh:
        if size > STREAM_BYTES:
            codec, html = _sniff(fh, path)
            if not html:
                return Article(
                    path.stem,
                    "",
                    date,
                    None,
                    None,
                    str(path),
                    reader=lambda: _stream(path, codec, progress),
                )
            fh.seek(0)
            data = read_limited(fh, path, MAX_HTML_BYTES, " of HTML (a page is read whole)")
        else:  # a small file, or a pipe (which cannot be read twice)
            data = read_limited(fh, path, MAX_PIPE_BYTES, _PIPE_HINT)
    text = decode_text(data, str(path))
    if progress is not None:
        progress(size or len(data))
    del data
    title = None
    if _looks_like_html(text):
        text, title = _html_to_text(text)
    if not text.strip():
        raise InputError(f"{path}: empty article")
    return Article(path.stem, text, date, title, None, str(path))


def _jsonl_articles(
    path: Path, date: dt.date | None, seen: set[str], progress: Progress | None
) -> Iterator[Article | InputError]:
    try:
        fh, _ = open_input(path, "a JSON Lines file")
    except InputError as exc:
        yield exc
        return
    records = lineno = bad = 0  # lines that are not blank, lines, bad lines in a row
    with fh:
        lines = jsonl_lines(fh, path, progress)
        while True:
            try:
                lineno, line = next(lines)
            except StopIteration:
                break
            except InputError as exc:
                yield exc
                return
            except OSError as exc:
                yield InputError(f"{path}: cannot read ({exc.strerror})")
                return
            item: Article | InputError | None
            if isinstance(line, InputError):  # a line too long
                item = line
            else:
                item = _jsonl_record(line, f"{path}:{lineno}", path.stem, lineno, date, seen)
            if item is None:
                continue
            records += 1
            bad = bad + 1 if isinstance(item, InputError) else 0
            yield item
            if bad >= MAX_BAD_LINES:
                yield InputError(
                    f"{path}: {bad} lines in a row are no articles; stopped reading "
                    "(is it a JSON Lines file of articles?)"
                )
                return
    if not records:
        yield InputError(f"{path}: no articles (the file is {'blank' if lineno else 'empty'})")


def _jsonl_record(
    line: str, where: str, stem: str, lineno: int, date: dt.date | None, seen: set[str]
) -> Article | InputError | None:
    """One line of a JSON Lines file: an Article, an error, or None (blank)."""
    if not line.strip():
        return None
    try:
        rec = parse_json(line, where)
    except InputError as exc:
        return exc
    if not isinstance(rec, dict):
        return InputError(f"{where}: a line must be a JSON object, not {_json_type(rec)}")
    problem = _field_problem(rec)
    if problem is not None:
        return InputError(f"{where}: {problem}")
    text = _unicode(rec["text"])
    aid = _unicode(str(rec.get("id", f"{stem}-{lineno}")))
    if not aid.strip():
        return InputError(f"{where}: empty 'id'")
    if aid in seen:
        return InputError(f"{where}: duplicate article id {aid!r}")
    try:
        own = parse_date(rec.get("date"), f"{where}: date")
    except InputError as exc:
        return exc
    seen.add(aid)
    title, url = (_unicode(rec.get(k)) for k in ("title", "url"))
    return Article(aid, text, date or own, title, url, where)


def _field_problem(rec: dict) -> str | None:
    """What is wrong with the fields of an article record, or None."""
    text = rec.get("text")
    if text is None:
        return "missing 'text'"
    if not isinstance(text, str):
        return f"'text' must be a string, not {_json_type(text)}"
    if not text.strip():
        return "empty article"
    aid = rec.get("id", "")
    if not isinstance(aid, str | int) or isinstance(aid, bool):
        return f"'id' must be a string or a number, not {_json_type(aid)}"
    for key in ("title", "url"):
        if rec.get(key) is not None and not isinstance(rec[key], str):
            return f"{key!r} must be a string, not {_json_type(rec[key])}"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(value: Any) -> Any:
    """A string with every lone surrogate (from a JSON escape) replaced by U+FFFD.

    Such a string cannot be written as UTF-8; one character stands for one, so
    offsets into it do not move.
    """
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    date: dt.date | None = None,
    *,
    progress: Progress | None = None,
) -> Iterator[Article | InputError]:
    """Read articles from .txt and .jsonl files, streaming.

    Parameters
    ----------
    paths : iterable of path
        ARTICLE arguments.
    date : datetime.date, optional
        Overrides every article's own date (the ``--date`` option).
    progress : callable, optional
        Called with the number of bytes just read, as reading goes on (for a
        progress bar; the total is the sum of the files' sizes).

    Yields
    ------
    Article or InputError
        One per article, in order; an error names the file (and line).
    """
    seen: set[str] = set()
    for p in paths:
        path = Path(p)
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from _jsonl_articles(path, date, seen, progress)
            continue
        try:
            art = _text_article(path, date, progress)
        except InputError as exc:
            yield exc
            continue
        if art.id in seen:
            yield InputError(f"{path}: duplicate article id {art.id!r}")
            continue
        seen.add(art.id)
        yield art
