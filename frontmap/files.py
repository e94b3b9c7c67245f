"""Files: reading inputs and writing outputs, the one way frontmap does both.

Writing
    Every file frontmap writes (maps, reports, geoparse output, the gazetteer
    index, caches) goes through :class:`AtomicFile`: a temporary file beside the
    target, moved onto it whole with :func:`os.replace` once complete, with the
    mode an ordinary ``open()`` would give (0666 less the umask). A failure or
    an interruption leaves an existing target as it was and no partial file.

    With Linux's ``O_TMPFILE`` the temporary file has no name until it is
    complete: a process killed with SIGKILL leaves nothing behind. Elsewhere
    (and for SQLite, which needs a name), it is ``.frontmap-PID-XXXX.tmp``
    beside the target; such files left by a process that no longer runs are
    removed the next time frontmap writes into that folder.

Reading
    :func:`open_input` opens an input file (or pipe) with one clear error per
    problem; :func:`jsonl_lines` reads a JSON Lines file a line at a time, so
    memory does not grow with the file; :func:`parse_json` turns every way a
    JSON text can be bad into one :class:`~frontmap.errors.InputError`.

Limits
    Memory never depends on the input: a line longer than
    :data:`MAX_LINE_BYTES` is refused (one error) and skipped; a JSON document
    read whole (a layer file) is at most :data:`MAX_JSON_BYTES`; text read
    whole from a pipe is at most :data:`MAX_PIPE_BYTES` (files of any size are
    read in windows). Bytes that are not UTF-8 are read as Windows-1252, each
    on its own, so a text that mixes both reads right.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import gc
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO

from .errors import InputError, OutputError

__all__ = [
    "MAX_JSON_BYTES",
    "MAX_LINE_BYTES",
    "MAX_PIPE_BYTES",
    "AtomicFile",
    "cache_dir",
    "check_input_file",
    "check_not_inputs",
    "check_output_file",
    "decode_bytes",
    "file_mode",
    "jsonl_lines",
    "open_input",
    "parse_json",
    "paused_gc",
    "read_limited",
    "sweep_stale",
    "temp_prefix",
    "write_bytes",
    "write_text",
]

BOMS_32 = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
BOMS_16 = (b"\xff\xfe", b"\xfe\xff")

#: Longest line of a JSON Lines file or a GeoNames dump, in bytes. Longer lines
#: are refused, one error each, and skipped (reading goes on at the next line).
MAX_LINE_BYTES = 16 * 1024 * 1024
#: Most bytes skipped in search of the end of a line that is too long; then the
#: file is given up (an endless line, such as a pipe that never sends one).
MAX_SKIP_BYTES = 64 * MAX_LINE_BYTES
#: Largest JSON document read whole (a layer file), in bytes.
MAX_JSON_BYTES = 32 * 1024 * 1024
#: Largest text read whole from a pipe, in bytes (a file of any size is read in
#: windows, but a pipe can be read only once).
MAX_PIPE_BYTES = 16 * 1024 * 1024
_BLOCK = 1 << 16  # bytes read at a time from a line-by-line input

#: Name of the codec error handler that reads each byte that is not UTF-8 as
#: Windows-1252 (``bytes.decode("utf-8", errors=CP1252_FALLBACK)``).
CP1252_FALLBACK = "frontmap.cp1252"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bytes(bad).decode("cp1252", errors="replace"), exc.end


codecs.register_error(CP1252_FALLBACK, _cp1252_fallback)

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


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector in the block (as it was after).

    For loading a large cache file (a pickle of many small objects): the
    allocations would otherwise set off collections that walk every object of
    the process (pandas, geopandas, folium...) several times, for no garbage.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def file_mode() -> int:
    """The mode a new file gets from ``open()``: 0666 less the process umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


#: Name of a temporary file or folder frontmap makes: ``.frontmap-PID-XXXX``.
_STALE = re.compile(r"^\.frontmap-(\d{1,9})-[^/]+$")
_STALE_AGE = 60.0  # seconds: younger leftovers may belong to a process just started


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def sweep_stale(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove what killed frontmap processes left in ``folder``.

    A temporary file or staging folder named ``.frontmap-PID-...`` whose process
    no longer runs (and that is older than a minute) is removed; anything else
    is left alone. Errors are ignored: this is housekeeping.

    Returns
    -------
    list of Path
        What was removed.
    """
    import shutil
    import time

    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _STALE.match(entry.name)
        if match is None or int(match.group(1)) == os.getpid() or _running(int(match.group(1))):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < _STALE_AGE:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def temp_prefix() -> str:
    """The prefix of frontmap's temporary names in this process: ``.frontmap-PID-``."""
    return f".frontmap-{os.getpid()}-"


def _anonymous_file(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where there is none."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_RDWR | os.O_CLOEXEC, file_mode())
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # the file system cannot: use a named temporary file
        raise


def _copy_out(fd: int, name: Path) -> None:
    """Copy the whole of open file ``fd`` to a new file ``name`` (usual mode)."""
    out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, file_mode())
    try:
        offset = 0
        while True:
            block = os.pread(fd, 1 << 20, offset)
            if not block:
                break
            offset += len(block)
            view = memoryview(block)
            while view:
                view = view[os.write(out, view) :]
    except OSError:
        os.close(out)
        name.unlink(missing_ok=True)
        raise
    os.close(out)


class AtomicFile:
    """A temporary file beside ``path``, moved onto it by :meth:`commit`.

    Creating it checks at once that the folder is writable, before any work is
    done. Used as a context manager, it commits when the block ends normally
    and discards the temporary file when it raises.

    On Linux the temporary file is unnamed (``O_TMPFILE``) until :meth:`commit`
    links it: a process killed in the middle, even by SIGKILL, leaves no file.
    With ``named=True``, or where the file system has no unnamed files, it is
    ``.frontmap-PID-XXXX.tmp`` in the folder (removed by :func:`sweep_stale`
    once its process is gone).

    Parameters
    ----------
    path : str or PathLike
        The target file; its folder must exist.
    binary : bool
        Open the temporary file for bytes instead of UTF-8 text.
    newline : str or None
        Passed to ``open()`` for text (``""`` for CSV).
    named : bool
        Give the temporary file a name at once (for writers that need a path,
        such as SQLite, which opens the file itself).

    Attributes
    ----------
    fh : file object
        The open temporary file.
    tmp : Path or None
        Its name, when it has one (``named=True``).

    Raises
    ------
    frontmap.errors.OutputError
        When the folder is missing or not writable.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        binary: bool = False,
        newline: str | None = "\n",
        named: bool = False,
    ) -> None:
        self.path = Path(path)
        self.folder = folder = self.path.absolute().parent
        if not folder.is_dir():
            raise OutputError(f"{self.path}: cannot write: folder {folder} does not exist")
        self.tmp: Path | None = None
        try:
            fd = None if named else _anonymous_file(folder)
            if fd is None:
                sweep_stale(folder)
                fd, tmp = tempfile.mkstemp(prefix=temp_prefix(), suffix=".tmp", dir=folder)
                self.tmp = Path(tmp)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write ({_why(exc)})") from None
        if binary:
            self.fh: IO[Any] = os.fdopen(fd, "wb")
        else:
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        self.done = False

    def commit(self) -> None:
        """Close the file and move it into place, with the usual permissions."""
        try:
            if self.tmp is None:
                self._link()
            else:
                self.fh.close()
                os.chmod(self.tmp, file_mode())  # mkstemp makes 0600
                os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.path}: cannot write ({_why(exc)})") from None
        self.done = True

    def _link(self) -> None:
        """Give the unnamed file its name: linked beside the target, then moved onto it.

        Where the kernel refuses the link (no /proc access), the content is
        copied to a named temporary file instead.
        """
        self.fh.flush()
        fd = self.fh.fileno()
        name = self.folder / f"{temp_prefix()}{os.urandom(6).hex()}.tmp"
        try:
            proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                # linkat(AT_SYMLINK_FOLLOW) through /proc names the open file itself.
                try:
                    os.link(str(fd), self.path, src_dir_fd=proc, follow_symlinks=True)
                    self.fh.close()
                    return
                except FileExistsError:
                    os.link(str(fd), name, src_dir_fd=proc, follow_symlinks=True)
            finally:
                os.close(proc)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            _copy_out(fd, name)
        try:
            os.replace(name, self.path)
        except OSError:
            name.unlink(missing_ok=True)
            raise
        self.fh.close()

    def discard(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        try:
            self.fh.close()
        except OSError:
            pass
        if self.tmp is not None:
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


def check_not_inputs(
    outputs: Iterable[str | os.PathLike[str]], inputs: Iterable[str | os.PathLike[str]]
) -> None:
    """Raise OutputError when an output would replace one of the inputs.

    The same file under another name counts: a symbolic link, a hard link, a
    relative path. An input may be given as an article's ``source``
    (``"file:line"`` for a JSON Lines article).

    Raises
    ------
    frontmap.errors.OutputError
        ``"OUT: is also an input; choose another output"``.
    """
    existing = []
    for name in inputs:
        path = Path(name)
        if not path.exists():
            head, _, line = str(name).rpartition(":")
            path = Path(head) if line.isdigit() and head else path
        try:
            st = path.stat()
        except OSError:
            continue
        existing.append((st.st_dev, st.st_ino))
    if not existing:
        return
    for out in outputs:
        try:
            st = Path(out).stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in existing:
            raise OutputError(f"{out}: is also an input; choose another output")


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


def read_limited(fh: BinaryIO, path: str | os.PathLike[str], limit: int, hint: str = "") -> bytes:
    """The rest of an open input, refused when it is longer than ``limit`` bytes.

    Parameters
    ----------
    fh : binary file
        The open input.
    path : str or PathLike
        The file, for error messages.
    limit : int
        Most bytes accepted; reading stops one byte beyond, so an endless pipe
        is refused as soon as it has sent that much.
    hint : str
        Added to the message when the input is too long (what to do instead).

    Raises
    ------
    frontmap.errors.InputError
        ``"PATH: more than N MB"`` followed by ``hint``, or a read error.
    """
    try:
        data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({_why(exc)})") from None
    if len(data) > limit:
        raise InputError(f"{path}: more than {_megabytes(limit)}{hint}")
    return data


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def decode_utf16_32(data: bytes, where: str) -> str | None:
    """Text of UTF-32 or UTF-16 data with a byte-order mark, or None without one."""
    for boms, codec in ((BOMS_32, "utf-32"), (BOMS_16, "utf-16")):
        if data.startswith(boms):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{where}: broken {codec.upper()} text") from None
    return None


def decode_bytes(data: bytes) -> str:
    """Text of bytes that are UTF-8, Windows-1252, or a mix of both.

    A UTF-8 byte-order mark at the start is dropped; every byte that is not
    part of a UTF-8 character is read as Windows-1252 (bytes Windows-1252 does
    not define become U+FFFD). The same bytes always give the same text, read
    whole or in blocks (``codecs.getincrementaldecoder("utf-8-sig")(CP1252_FALLBACK)``).

    Examples
    --------
    >>> decode_bytes("Alep, Saraqib ".encode() + "près d'Idlib".encode("cp1252"))
    "Alep, Saraqib près d'Idlib"
    """
    return data.decode("utf-8-sig", errors=CP1252_FALLBACK)


def parse_json(text: str | bytes, where: str, *, lines: bool = False) -> Any:
    """``json.loads``, with one InputError for every way the text can be bad.

    Parameters
    ----------
    text : str or bytes
        The JSON text.
    where : str
        The file (and line), to begin the message with.
    lines : bool
        Name the line as well as the column of a syntax error (for a
        document of several lines).

    Raises
    ------
    frontmap.errors.InputError
        ``"WHERE: not valid JSON (why)"``: a syntax error, nesting too deep
        for the parser, or a number of more than 4,300 digits.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}" if lines else f"column {exc.colno}"
        msg = exc.msg.removesuffix(" at")
        raise InputError(f"{where}: not valid JSON ({msg} at {at})") from None
    except RecursionError:
        raise InputError(f"{where}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # int(): "Exceeds the limit (4300 digits) ..."
        why = "a number of more than 4300 digits" if "digits" in str(exc) else str(exc)
        raise InputError(f"{where}: not valid JSON ({why})") from None


def jsonl_lines(
    fh: BinaryIO,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    *,
    strict: bool = False,
    limit: int | None = None,
) -> Iterator[tuple[int, str | InputError]]:
    """Numbered, decoded lines of an open JSON Lines file, read one at a time.

    A line is UTF-8 (a byte-order mark on the first line is dropped); bytes
    that are not UTF-8 are read as Windows-1252 (:func:`decode_bytes`), or the
    line is refused with ``strict``. A UTF-16 or UTF-32 file (with a
    byte-order mark) is decoded as it is read. Memory is bounded by ``limit``
    whatever the file holds.

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
    limit : int, optional
        Longest line in bytes (default :data:`MAX_LINE_BYTES`).

    Yields
    ------
    (int, str or InputError)
        The line number (from 1) and the line without its end, or an
        InputError (``"FILE:LINE: line longer than N MB"``) for a line that is
        too long: it is skipped, and reading goes on at the next line.

    Raises
    ------
    frontmap.errors.InputError
        For binary data (NUL bytes in the first 8 kB), read errors, a line
        too long to find its end (:data:`MAX_SKIP_BYTES`), and with ``strict``
        a line that is not UTF-8.
    """
    limit = MAX_LINE_BYTES if limit is None else limit
    head = _read_block(fh, path, 8192)
    wide = head.startswith(BOMS_32 + BOMS_16)  # UTF-16 or UTF-32: decoded as read
    blocks = _blocks_after(head, fh, path, progress if wide else None)
    if wide:
        lines: Iterator[Any] = _split_lines(_decoded(blocks, path, head), "\n", limit, path)
    else:
        if b"\x00" in head:
            raise InputError(f"{path}: binary file, not text")
        lines = _split_lines(blocks, b"\n", limit, path)
    for lineno, raw in enumerate(lines, 1):
        if progress is not None and not wide:
            progress(limit if raw is None else len(raw))
        if raw is None:
            yield lineno, InputError(f"{path}:{lineno}: line longer than {_megabytes(limit)}")
        elif isinstance(raw, str):
            yield lineno, raw.rstrip("\r\n")
        else:
            yield lineno, _line_text(raw, lineno, path, strict)


def _line_text(raw: bytes, lineno: int, path: str | os.PathLike[str], strict: bool) -> str:
    if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    raw = raw.rstrip(b"\r\n")
    if strict:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not UTF-8 ({exc.reason})") from None
    return raw.decode("utf-8", errors=CP1252_FALLBACK)


def _read_block(fh: BinaryIO, path: str | os.PathLike[str], size: int = _BLOCK) -> bytes:
    try:
        return fh.read(size)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({_why(exc)})") from None


def _blocks_after(
    head: bytes, fh: BinaryIO, path: str | os.PathLike[str], progress: Progress | None
) -> Iterator[bytes]:
    """``head``, then the rest of ``fh`` a block at a time (each counted by ``progress``)."""
    block = head
    while block:
        if progress is not None:
            progress(len(block))
        yield block
        block = _read_block(fh, path)


def _decoded(blocks: Iterator[bytes], path: str | os.PathLike[str], head: bytes) -> Iterator[str]:
    """UTF-16 or UTF-32 blocks (the byte-order mark in ``head`` says which), decoded."""
    codec = "utf-32" if head.startswith(BOMS_32) else "utf-16"
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        for block in blocks:
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(f"{path}: broken {codec.upper()} text") from None


def _split_lines(
    blocks: Iterator[Any], newline: Any, limit: int, path: str | os.PathLike[str]
) -> Iterator[Any]:
    """The lines (with their ends) of a stream of blocks (bytes or str).

    Linear in the input whatever the line lengths: a long line is gathered as
    a list of blocks and joined once. A line longer than ``limit`` is not
    gathered: None stands for it, as soon as it is known to be too long, and
    the rest of it is skipped (at most :data:`MAX_SKIP_BYTES`).
    """
    parts: list[Any] = []
    size = 0
    skipping = -1  # characters skipped of a line too long; -1 when not skipping
    for block in blocks:
        start = 0
        at = block.find(newline)
        while at >= 0:
            if skipping >= 0:
                skipping = -1
            elif size + at + 1 - start > limit:
                yield None
            else:
                parts.append(block[start : at + 1])
                yield block[:0].join(parts)
            parts, size = [], 0
            start = at + 1
            at = block.find(newline, start)
        rest = len(block) - start
        if skipping >= 0:
            skipping += rest
            if skipping > MAX_SKIP_BYTES:
                raise InputError(
                    f"{path}: a line longer than {_megabytes(MAX_SKIP_BYTES)}; "
                    "stopped reading (not a file of lines?)"
                )
        elif rest:
            parts.append(block[start:])
            size += rest
            if size > limit:
                yield None
                parts, size, skipping = [], 0, 0
    if parts:
        yield parts[0][:0].join(parts)
