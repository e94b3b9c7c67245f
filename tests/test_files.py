"""frontmap.files: atomic writes with one mode policy, input checks, JSON Lines reading."""

from __future__ import annotations

import io
import os
import stat

import pytest

from frontmap.errors import InputError, OutputError
from frontmap.files import (
    AtomicFile,
    check_input_file,
    check_output_file,
    jsonl_lines,
    open_input,
    write_bytes,
    write_text,
)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_whole_with_the_umask_mode(tmp_path) -> None:
    old = os.umask(0o027)
    try:
        write_text(tmp_path / "a.txt", "één")
        assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "één"
        assert _mode(tmp_path / "a.txt") == 0o640
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left


def test_an_exception_keeps_the_old_file(tmp_path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), AtomicFile(target, newline="") as out:
        out.fh.write("new, half written")
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_binary_and_explicit_commit(tmp_path) -> None:
    out = AtomicFile(tmp_path / "b.bin", binary=True)
    out.fh.write(b"\x00\x01")
    assert not (tmp_path / "b.bin").exists()  # nothing until the commit
    out.commit()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_unwritable_targets_raise_output_errors(tmp_path) -> None:
    with pytest.raises(OutputError, match="folder .* does not exist"):
        write_bytes(tmp_path / "no" / "x", b"")
    with pytest.raises(OutputError, match="is a directory, not an output file"):
        check_output_file(tmp_path)
    error = OutputError("x: cannot write (No space left on device)")
    assert isinstance(error, OSError) and str(error) == "x: cannot write (No space left on device)"


def test_input_checks(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        check_input_file(tmp_path / "missing.jsonl")
    with pytest.raises(InputError, match="is a directory, not a layer file"):
        check_input_file(tmp_path, "a layer file")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    check_input_file(fifo)  # a pipe is accepted and left unread
    (tmp_path / "ok.txt").write_text("x", encoding="utf-8")
    fh, size = open_input(tmp_path / "ok.txt")
    with fh:
        assert size == 1 and fh.read() == b"x"


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"", []),
        (b"a\n", ["a"]),
        (b"a\r\nb", ["a", "b"]),
        (b"\xef\xbb\xbf{}\n", ["{}"]),  # a byte-order mark on the first line
        (b"caf\xe9\n", ["café"]),  # not UTF-8: Windows-1252
        ("x\ny\n".encode("utf-16"), ["x", "y"]),  # decoded as read, lines as in UTF-8
    ],
)
def test_jsonl_lines(data, lines) -> None:
    assert [line for _, line in jsonl_lines(io.BytesIO(data), "f")] == lines


def test_jsonl_lines_reads_a_long_line_in_linear_time() -> None:
    long = b"x" * 5_000_000
    seen = []
    got = list(jsonl_lines(io.BytesIO(long + b"\nend\n"), "f", seen.append))
    assert [n for n, _ in got] == [1, 2] and len(got[0][1]) == 5_000_000
    assert sum(seen) == len(long) + 5


def test_jsonl_lines_refuses_binary() -> None:
    with pytest.raises(InputError, match="f: binary file, not text"):
        list(jsonl_lines(io.BytesIO(b"\x00\x01\x02"), "f"))


def test_a_killed_writer_leaves_no_file(tmp_path) -> None:
    """The temporary file has no name (O_TMPFILE) until the commit."""
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import sys, time\n"
        "from frontmap.files import AtomicFile\n"
        f"out = AtomicFile({str(tmp_path / 'out.txt')!r})\n"
        "out.fh.write('half'); out.fh.flush(); print('ready', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(0.1)
    assert list(tmp_path.iterdir()) == []


def test_where_the_link_is_refused_the_file_is_copied(tmp_path, monkeypatch) -> None:
    """Fault injection: linkat through /proc refused (EPERM), as without /proc access."""

    def refuse(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with AtomicFile(target) as out:
        monkeypatch.setattr(os, "link", refuse)
        out.fh.write("new " * 100_000)
    assert target.read_text(encoding="utf-8") == "new " * 100_000
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
