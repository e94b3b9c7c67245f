"""Run the ``frontmap`` command of this environment, for the evaluation scripts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def frontmap_command() -> list[str]:
    """The ``frontmap`` beside this Python, else on ``PATH``, else ``python -m frontmap.cli``."""
    beside = Path(sys.executable).with_name("frontmap")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("frontmap")
    return [found] if found else [sys.executable, "-m", "frontmap.cli"]


def run_frontmap(args: list[str], who: str) -> str:
    """``frontmap ARGS`` from the repository's root: its standard output; on failure
    its standard error on ours, named after the script ``who``, and exit status 2."""
    done = subprocess.run(frontmap_command() + args, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        print(
            f"{who}: frontmap {args[0]} exited with {done.returncode}:\n{done.stderr}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return done.stdout
