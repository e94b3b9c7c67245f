"""The package of another git revision, laid out as it installs, for benchmarks' ``--baseline``.

A benchmark run with ``--baseline REV`` measures this checkout and ``REV`` in
turn on the same machine, so that the machine's load (shared, and often
changing by a factor of two within minutes here) hits both alike and the ratio
holds when the absolute figures do not.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Where each top folder of the repository goes in the installed package (pyproject's package-dir).
LAYOUT = {"frontmap": "", "geo": "geo", "layers": "layers", "maps": "maps", "data": "data"}


def _no_links(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's ``data`` filter, with symbolic and hard links left out (a
    revision may hold one to an absolute path, such as a venv)."""
    if member.issym() or member.islnk():
        return None
    return tarfile.data_filter(member, path)


def baseline_tree(rev: str, into: Path) -> Path:
    """The package ``frontmap`` of git revision ``rev``, laid out as it installs, under ``into``.

    Returns the folder to put on ``PYTHONPATH`` (it comes before the editable
    install of this checkout).
    """
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "--", *LAYOUT],
        check=True,
        capture_output=True,
    ).stdout
    src = into / "src"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(src, filter=_no_links)
    package = into / "site" / "frontmap"
    for folder, target in LAYOUT.items():
        if (src / folder).is_dir():
            shutil.copytree(src / folder, package / target, dirs_exist_ok=True)
    return into / "site"


def baseline_env(site: Path) -> dict[str, str]:
    """The environment of a subprocess that imports the baseline's ``frontmap``."""
    return dict(os.environ, PYTHONPATH=str(site))
