"""The README's Python example runs as written, and writes what the CLI writes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _python_example() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## In Python") :]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README has no Python example"
    return match.group(1)


def test_readme_python_example(tmp_path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    script = tmp_path / "example.py"
    script.write_text(_python_example() + "\nprint(frame['name'].tolist())\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "['Saraqib', 'Idlib']" in done.stdout
    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "caucasus.html",
        "events.csv",
        "idlib.html",
        "index.html",
        "libya.html",
        "places.parquet",
        "report.html",
    ]
    header = (out / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("event_date,event_type,sub_event_type,actor1,actor2,location")
    # The same maps as `frontmap map` writes.
    cli = tmp_path / "cli"
    frontmap = Path(sys.executable).parent / "frontmap"
    subprocess.run(
        [str(frontmap), "map", "examples/articles.jsonl", "-o", str(cli), "--jobs", "2"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    for name in ("idlib.html", "libya.html", "caucasus.html", "index.html"):
        assert (out / name).read_bytes() == (cli / name).read_bytes(), name
