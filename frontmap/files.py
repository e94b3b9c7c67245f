"""Files: reading inputs and writing outputs, the one way frontmap does both.

Writing
    Every file frontmap writes (maps, reports, geoparse output, the gazetteer
    index, caches) goes through :class:`AtomicFile`: a temporary file beside the
    target, moved onto it whole with :func:`os.replace` once complete, with the
    mode an ordinary ``open()`` would give (0666 less the umask). A failure or
    an interruption leaves an existing target as it was and no partial file.

Reading
    :func:`open_input` opens an input file (or pipe) with one clear error per
    problem; :func:`jsonl_lines` reads a JSON Lines file a line at a time, so
    memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO

from .errors import InputError, OutputError

__all__ = [
    "AtomicFile",
    "cache_dir",
    "check_input_file",
    "check_output_file",
    "file_mode",
    "jsonl_lines",
    "open_input",
    "write_bytes",
    "write_text",
]

BOMS_32 = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
BOMS_16 = (b"\xff\xfe", b"\xfe\xff")

Progress = Callable[[int], None]


# --------------------------------------------------------------------------- writing


def cache_dir() -> Path:
    """frontmap's cache folder (the gazetteer index, the clipped base maps).

    ``$FRONTMAP_CACHE`` when set, else :func:`platformdirs.user_cache_dir` for
    ``frontmap``: ``$XDG_CACHE_HOME/frontmap`` or ``~/.cache/frontmap`` on Linux.
    """
    env = os.environ.get("FRONTMAP_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("frontmap"))


def file_mode() -> int:
    """The mode a new file gets from ``open()``: 0666 less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


class AtomicFile:
    """A temporary file beside ``path``, moved onto it by :meth:`commit`.

    Creating it checks at once that the folder is writable, before any work is
    done. Used as a context manager, it commits when the block ends normally
    and discards the temporary file when it raises.

    Parameters
    ----------
    path : str or PathLike
        The target file; its folder must exist.
    binary : bool
        Open the temporary file for bytes instead of UTF-8 text.
    newline : str or None
        Passed to ``open()`` for text (``""`` for CSV).

    Attributes
    ----------
    fh : file object
        The open temporary file.
    tmp : Path
        Its name (for writers that want a path, such as pyarrow).

    Raises
    ------
    frontmap.errors.OutputError
        When the folder is missing or not writable.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, binary: bool = False, newline: str | None = "\n"
    ) -> None:
        self.path = Path(path)
        folder = self.path.absolute().parent
        if not folder.is_dir():
            raise OutputError(f"{self.path}: cannot write: folder {folder} does not exist")
        try:
            fd, tmp = tempfile.mkstemp(prefix=".frontmap-", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({_why(exc)})") from None
        self.tmp = Path(tmp)
        if binary:
            self.fh: IO[Any] = os.fdopen(fd, "wb")
        else:
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        self.done = False

    def commit(self) -> None:
        """Close the file and move it into place, with the usual permissions."""
        try:
            self.fh.close()
            os.chmod(self.tmp, file_mode())  # mkstemp makes 0600
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.path}: cannot write ({_why(exc)})") from None
        self.done = True

    def discard(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        try:
            self.fh.close()
        except OSError:
            pass
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            if not self.done:
                self.commit()
        else:
            self.discard()


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :class:`AtomicFile`).

    Raises
    ------
    frontmap.errors.OutputError
        If the file cannot be written.
    """
    with AtomicFile(path, binary=True) as out:
        try:
            out.fh.write(data)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({_why(exc)})") from None


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` whole or not at all (see :func:`write_bytes`)."""
    write_bytes(path, text.encode("utf-8"))


def check_output_file(path: str | os.PathLike[str]) -> None:
    """Raise OutputError when ``path`` exists and is not a regular file."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a directory, not an output file")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path}: not a regular file")


# --------------------------------------------------------------------------- reading


def open_input(path: str | os.PathLike[str], what: str = "an input file") -> tuple[BinaryIO, int]:
    """Open an input file (or a pipe) for reading bytes.

    Returns
    -------
    (file object, size in bytes)
        The size is 0 for a pipe.

    Raises
    ------
    frontmap.errors.InputError
        No such file, a folder, not a regular file or pipe, or unreadable.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({_why(exc)})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a directory, not {what}")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise InputError(f"{path}: not a regular file")
    try:
        return path.open("rb"), st.st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({_why(exc)})") from None


def check_input_file(path: str | os.PathLike[str], what: str = "an input file") -> None:
    """Raise InputError unless ``path`` can be read (see :func:`open_input`).

    A regular file is opened and one byte read; a pipe is not opened at all,
    since opening blocks until a writer comes and it can be read only once.
    """
    try:
        if stat.S_ISFIFO(os.stat(path).st_mode):
            return
    except OSError:
        pass  # open_input says what is wrong
    fh, _ = open_input(path, what)
    with fh:
        try:
            fh.read(1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({_why(exc)})") from None


def read_all(fh: BinaryIO, path: str | os.PathLike[str]) -> bytes:
    """The rest of an open input file; InputError naming ``path`` on a read error."""
    try:
        return fh.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({_why(exc)})") from None


def decode_utf16_32(data: bytes, where: str) -> str | None:
    """Text of UTF-32 or UTF-16 data with a byte-order mark, or None without one."""
    for boms, codec in ((BOMS_32, "utf-32"), (BOMS_16, "utf-16")):
        if data.startswith(boms):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{where}: broken {codec.upper()} text") from None
    return None


def jsonl_lines(
    fh: BinaryIO,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    *,
    strict: bool = False,
) -> Iterator[tuple[int, str]]:
    """Numbered, decoded lines of an open JSON Lines file, read one at a time.

    A line is UTF-8 (a byte-order mark on the first line is dropped); a line
    that is not UTF-8 is read as Windows-1252, or refused with ``strict``. A
    UTF-16 or UTF-32 file (with a byte-order mark), which has no byte-wise
    lines, is read whole.

    Parameters
    ----------
    fh : binary file
        Open at its start.
    path : str or PathLike
        The file, for error messages.
    progress : callable, optional
        Called with the number of bytes of each line as it is read.
    strict : bool
        Refuse a line that is not UTF-8 (``"FILE:LINE: not UTF-8 (why)"``)
        instead of reading it as Windows-1252: for data files such as
        evaluation gold, where a wrong encoding is a mistake to report.

    Yields
    ------
    (int, str)
        The line number (from 1) and the line without its end.

    Raises
    ------
    frontmap.errors.InputError
        For binary data (NUL bytes in the first 8 kB), read errors, and with
        ``strict`` a line that is not UTF-8.
    """
    try:
        head = fh.read(8192)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({_why(exc)})") from None
    if head.startswith(BOMS_32 + BOMS_16):
        data = head + read_all(fh, path)
        if progress is not None:
            progress(len(data))
        text = decode_utf16_32(data, str(path))
        assert text is not None
        del data
        yield from enumerate((line.rstrip("\r") for line in text.split("\n")), 1)
        return
    if b"\x00" in head:
        raise InputError(f"{path}: binary file, not text")
    lines = _byte_lines(head, fh, path)
    for lineno, raw in enumerate(lines, 1):
        if progress is not None:
            progress(len(raw))
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        raw = raw.rstrip(b"\r\n")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if strict:
                raise InputError(f"{path}:{lineno}: not UTF-8 ({exc.reason})") from None
            line = raw.decode("cp1252", errors="replace")
        yield lineno, line


def _byte_lines(head: bytes, fh: BinaryIO, path: str | os.PathLike[str]) -> Iterator[bytes]:
    """Lines (with their ends) of ``head`` followed by the rest of ``fh``.

    Linear in the input whatever the line lengths: a long line is gathered as
    a list of blocks and joined once.
    """
    parts: list[bytes] = []
    block = head
    while block:
        start = 0
        at = block.find(b"\n")
        while at >= 0:
            parts.append(block[start : at + 1])
            yield b"".join(parts)
            parts = []
            start = at + 1
            at = block.find(b"\n", start)
        if start < len(block):
            parts.append(block[start:])
        try:
            block = fh.read(1 << 16)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({_why(exc)})") from None
    if parts:
        yield b"".join(parts)
