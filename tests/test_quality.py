"""The checks CI runs on the code itself: ruff (lint, complexity, format) and mypy.

They run here, in the test suite, because CI runs exactly the README's two
commands. Each takes a few seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PACKAGES = {"geo": "geo", "layers": "layers", "maps": "maps", "data": "data"}


def _tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (pip install -e '.[test]')")
    return path


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_ruff_lint_and_complexity() -> None:
    done = _run(_tool("ruff"), "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = _run(_tool("ruff"), "format", "--check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy(tmp_path: Path) -> None:
    # mypy cannot follow setuptools' package-dir mapping (frontmap.geo -> geo/),
    # so it checks a tree of links laid out as the package installs.
    root = tmp_path / "tree" / "frontmap"
    root.mkdir(parents=True)
    for path in (REPO / "frontmap").glob("*.py"):
        os.symlink(path, root / path.name)
    for name, folder in PACKAGES.items():
        os.symlink(REPO / folder, root / name, target_is_directory=True)
    done = _run(
        _tool("mypy"),
        "-p",
        "frontmap",
        "--config-file",
        str(REPO / "pyproject.toml"),
        "--cache-dir",
        str(tmp_path / "cache"),
        cwd=tmp_path / "tree",
    )
    assert done.returncode == 0, done.stdout + done.stderr
