"""Run frontmap in a child process under a memory cap and a time limit.

The hostile-input tests (tests/test_hostile.py, tests/test_fuzz.py) and
bench/bench_hostile.py run every case this way, so that a regression fails a
test instead of taking the machine down: the child's address space is capped
with ``RLIMIT_AS`` (``prlimit --as``), it runs in a session of its own, and the
whole session is killed when the time limit passes. Its peak resident memory
comes from ``wait4``. The fuzzing tests, many small inputs read in process,
run under :func:`capped_here` instead.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Address space a frontmap process maps before it reads any input (Python,
#: numpy, pandas, shapely, pyproj, the gazetteer index; measured about 480 MB
#: for `frontmap geoparse` with pyarrow on the system allocator). Caps are this
#: plus what a case may use.
BASE_MB = 600


@dataclass
class Capped:
    """What a capped run gave."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # peak resident memory of the process (and its workers)
    timed_out: bool = False
    stray: bool = False  # processes of its group outlived it (then killed)
    stopped: str | None = None  # why ``watch`` stopped it

    @property
    def errors(self) -> list[str]:
        """The lines of stderr."""
        return self.stderr.splitlines()


def _limits(memory_mb: int, file_mb: float | None, close_stdout: bool) -> None:  # pragma: no cover
    if close_stdout:
        os.close(1)
    cap = int(memory_mb * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if file_mb is not None:
        # A full disk, as far as this process can tell: writes past this size
        # fail with EFBIG (the signal that would kill it is ignored).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        size = int(file_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def frontmap_env(**extra: str) -> dict[str, str]:
    """The environment of a capped frontmap: this one, without debug tracebacks."""
    env = {k: v for k, v in os.environ.items() if k != "FRONTMAP_DEBUG"}
    env.update(extra)
    return env


def run_capped(
    args: Sequence[str],
    *,
    memory_mb: int = BASE_MB + 400,
    seconds: float = 60,
    stdin: int | Path | None = None,
    stdout: str | Path = "capture",
    file_mb: float | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    command: Sequence[str] | None = None,
    watch: Callable[[int], str | None] | None = None,
) -> Capped:
    """Run ``frontmap ARGS`` capped; return its status, output, time and peak memory.

    Parameters
    ----------
    args : sequence of str
        The arguments of ``frontmap``.
    memory_mb : int
        Address-space cap of the process (and of each worker it forks).
    seconds : float
        Time limit; the whole process group is killed when it passes.
    stdin : file descriptor or Path, optional
        Standard input (default: /dev/null).
    stdout : "capture", "closed" or Path
        Standard output: captured, closed (``>&-``), or a file (``/dev/full``).
    file_mb : float, optional
        Largest file the process may write (``RLIMIT_FSIZE``): a disk that
        fills up after that many MB.
    cwd, env : optional
        Working folder and environment (default :func:`frontmap_env`).
    command : sequence of str, optional
        What to run instead of ``python -m frontmap.cli``.
    watch : callable, optional
        Called with the process id every 20 ms while it runs; when it returns
        a message, the whole process group is killed and the message kept in
        ``Capped.stopped`` (to stop a regression early, such as a fork of
        hundreds of workers, before it costs the machine).
    """
    cmd = list(command or [sys.executable, "-m", "frontmap.cli"]) + list(args)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        opened = []
        if isinstance(stdin, Path):
            opened.append(stdin.open("rb"))
            stdin = opened[-1].fileno()
        target: object = out
        if isinstance(stdout, Path):
            opened.append(stdout.open("wb"))
            target = opened[-1]
        start = time.monotonic()
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL if stdin is None else stdin,
                stdout=target,
                stderr=err,
                cwd=cwd,
                env=env if env is not None else frontmap_env(),
                start_new_session=True,
                preexec_fn=lambda: _limits(memory_mb, file_mb, stdout == "closed"),
            )
        finally:
            for fh in opened:
                fh.close()
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(seconds, stop)
        timer.start()
        finished = threading.Event()
        stopped: list[str] = []

        def watcher() -> None:
            while watch is not None and not finished.wait(0.02):
                message = watch(proc.pid)
                if message:
                    stopped.append(message)
                    stop()
                    return

        watching = threading.Thread(target=watcher, daemon=True)
        watching.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            finished.set()
            watching.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - start
        stray = False
        if stopped:
            timed_out.clear()
        elif not timed_out.is_set():  # workers left behind are a bug: report, then kill them
            try:
                os.killpg(proc.pid, signal.SIGKILL)
                stray = True
            except ProcessLookupError:
                pass
        out.seek(0)
        err.seek(0)
        return Capped(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            elapsed,
            usage.ru_maxrss / 1024,
            timed_out.is_set(),
            stray,
            stopped[0] if stopped else None,
        )


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"


def wait_until(condition, seconds: float, step: float = 0.05) -> bool:
    """Poll ``condition()`` until it is true or ``seconds`` pass; return its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


class TimeLimit(BaseException):
    """Raised in the main thread when :func:`capped_here`'s time passes.

    A BaseException, so that no ``except Exception`` of the code under test
    turns it into an ordinary error.
    """


def _vm_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) / 1024
    return 0.0  # pragma: no cover


@contextmanager
def capped_here(memory_mb: int, seconds: float) -> Iterator[None]:
    """Cap this process for a block of in-process tests (the fuzzing tests).

    Its address space may grow by ``memory_mb`` beyond what it maps now (a
    lowered soft ``RLIMIT_AS``, raised again afterwards: an allocation beyond
    it is a MemoryError that fails the test), and :class:`TimeLimit` is raised
    when ``seconds`` pass.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = int((_vm_mb() + memory_mb) * 1024 * 1024)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)

    def expire(signum: int, frame: object) -> None:
        raise TimeLimit(f"time limit of {seconds:g} s passed")

    previous = signal.signal(signal.SIGALRM, expire)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
