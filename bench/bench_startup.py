"""Start-up time of the ``frontmap`` command, end to end (issues 8 and 16).

Run: ``.venv/bin/python bench/bench_startup.py [--runs 7] [--top 10] [--profile]``
(not part of the tests).

Times, each in fresh processes (``subprocess``; the median of ``--runs`` runs,
the commands interleaved so that a change of machine load hits all of them):

* ``frontmap map examples/idlib.txt -o TMP`` — one article, geoparse, layers
  join, folium render and the HTML written;
* ``python -c "import geopandas, folium"`` — the bare import of the two heavy
  libraries the map command needs, the yardstick of issues 8 and 16 (target:
  the map command takes at most 1.2 times this);
* ``frontmap geoparse examples/idlib.txt`` — the same article as JSON Lines;
* ``python -c "import frontmap.cli"`` — the command module alone.

Wall and CPU time (user + system, of each child process) are both reported,
and the ratio of the map command to the bare import by each: on a shared,
loaded machine the wall times swing with the load (a run waits for a core) far
more than the CPU times do, so the CPU ratio is the steadier figure; the ratio
of the wall minima is printed too.

Then runs the map command once under ``python -X importtime`` and prints the
modules that cost most to import: top-level imports (what the command pulls in
itself: candidates for a lazy import) by cumulative time, and single modules by
self time. The gazetteer index must exist (``./setup.sh`` builds it).
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
FRONTMAP = str(Path(PY).with_name("frontmap"))
ARTICLE = REPO / "examples" / "idlib.txt"


def _cpu() -> float:
    """CPU seconds (user + system) of the children waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``cmd`` in a fresh process; return (wall seconds, CPU seconds, stderr).

    Fail on a bad exit. The CPU time is the child's user + system time: on a
    shared machine it moves far less with the load than the wall time does.
    """
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(list(cmd), cwd=REPO, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench_startup: {' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    return elapsed, _cpu() - cpu, done.stderr


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class _Imp:
    """One line of ``-X importtime``: a module, its own and cumulative time (us)."""

    def __init__(self, self_us: int, cum_us: int, depth: int, name: str) -> None:
        self.self_us, self.cum_us, self.depth, self.name = self_us, cum_us, depth, name
        self.children: list[_Imp] = []


def _parse_importtime(err: str) -> list[_Imp]:
    """The import tree (roots) of an ``-X importtime`` log; lines come children first."""
    pat = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$")
    pending: dict[int, list[_Imp]] = {}
    for line in err.splitlines():
        m = pat.match(line)
        if not m:
            continue
        node = _Imp(int(m.group(1)), int(m.group(2)), (len(m.group(3)) - 1) // 2, m.group(4))
        node.children = pending.pop(node.depth + 1, [])
        pending.setdefault(node.depth, []).append(node)
    return pending.get(0, [])


def _walk(nodes: list[_Imp]) -> list[_Imp]:
    out: list[_Imp] = []
    for n in nodes:
        out.append(n)
        out.extend(_walk(n.children))
    return out


def _print_tree(nodes: list[_Imp], min_ms: float, max_depth: int, indent: int = 2) -> None:
    for n in sorted(nodes, key=lambda n: -n.cum_us):
        if n.cum_us / 1e3 < min_ms:
            break
        print(f"    {n.cum_us / 1e3:8.1f} ms  {'  ' * (indent - 2)}{n.name}")
        if n.depth < max_depth:
            _print_tree(n.children, min_ms, max_depth, indent + 2)


def _importtime(cmd: Sequence[str], top: int) -> None:
    """Print the costliest imports of one run of ``cmd`` under ``-X importtime``."""
    _, _, err = _run([PY, "-X", "importtime", *cmd])
    roots = _parse_importtime(err)
    rows = _walk(roots)
    total = sum(r.cum_us for r in roots)
    print(
        f"\nimports of `frontmap map` (one run under -X importtime): {len(rows)} modules, "
        f"{total / 1e6:.2f} s of import time in all"
    )
    print("  import tree, cumulative time (>= 20 ms, 4 levels; a child's time is in its parent's):")
    _print_tree(roots, 20.0, 3)
    print(f"  top {top} imports by cumulative time, excluding the frontmap packages:")
    theirs = [r for r in rows if r.name.split(".")[0] != "frontmap"]
    # Keep only the outermost third-party import of each chain.
    shown: list[_Imp] = []
    for r in sorted(theirs, key=lambda r: -r.cum_us):
        if len(shown) == top:
            break
        if not any(r in _walk(s.children) for s in shown):
            shown.append(r)
    for r in shown:
        print(f"    {r.cum_us / 1e3:8.1f} ms  {r.name}")
    by_root: dict[str, int] = {}
    for r in rows:
        root = r.name.split(".")[0]
        by_root[root] = by_root.get(root, 0) + r.self_us
    print(f"  top {top} root packages by summed self time:")
    for root, us in sorted(by_root.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {us / 1e3:8.1f} ms  {root}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7, min 5)")
    parser.add_argument("--top", type=int, default=10, help="imports listed (default 10)")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile one map run (top 15 by cumtime)"
    )
    args = parser.parse_args(argv)
    runs = max(args.runs, 5)
    if not Path(FRONTMAP).exists():
        sys.exit(f"bench_startup: no {FRONTMAP}; run ./setup.sh first")

    with tempfile.TemporaryDirectory(prefix="frontmap-bench-") as tmp:
        out = os.path.join(tmp, "out")
        commands: dict[str, list[str]] = {
            "frontmap map idlib.txt": [FRONTMAP, "map", str(ARTICLE), "-o", out],
            "import geopandas, folium": [PY, "-c", "import geopandas, folium"],
            "frontmap geoparse idlib.txt": [FRONTMAP, "geoparse", str(ARTICLE)],
            "import frontmap.cli": [PY, "-c", "import frontmap.cli"],
            "python -c pass": [PY, "-c", "pass"],
        }
        print(
            f"python {sys.version.split()[0]}; {runs} runs each, interleaved; "
            f"load average before: {_load()}"
        )
        # frontmap's own modules compiled, as after an install (with
        # PYTHONDONTWRITEBYTECODE set, an editable install would compile them on every run)
        import compileall

        for folder in ("frontmap", "geo", "layers", "maps", "data"):
            compileall.compile_dir(str(REPO / folder), quiet=1)
        for cmd in commands.values():  # warm the file cache; not timed
            _run(cmd)
        times: dict[str, list[float]] = {k: [] for k in commands}
        cpus: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(runs):
            for key, cmd in commands.items():
                wall, cpu, _ = _run(cmd)
                times[key].append(wall)
                cpus[key].append(cpu)
        print(f"load average after: {_load()}\n")
        print(
            f"{'command':32} {'median s':>9} {'min s':>7} {'max s':>7}"
            f" {'CPU median s':>13} {'CPU min s':>10}"
        )
        med = {k: statistics.median(v) for k, v in times.items()}
        cpu_med = {k: statistics.median(v) for k, v in cpus.items()}
        for key, v in times.items():
            print(
                f"{key:32} {med[key]:9.3f} {min(v):7.3f} {max(v):7.3f}"
                f" {cpu_med[key]:13.3f} {min(cpus[key]):10.3f}"
            )
        base, cmd = "import geopandas, folium", "frontmap map idlib.txt"
        print("\nratio map / bare import of geopandas+folium (issue 16 target <= 1.2):")
        for what, m in (("wall, medians", med), ("CPU, medians", cpu_med)):
            ratio = m[cmd] / m[base]
            print(f"  {what:14} {ratio:.2f} ({'meets' if ratio <= 1.2 else 'misses'})")
        low = min(times[cmd]) / min(times[base])
        print(f"  {'wall, minima':14} {low:.2f} ({'meets' if low <= 1.2 else 'misses'})")
        print(
            f"ratio geoparse / bare import: wall "
            f"{med['frontmap geoparse idlib.txt'] / med[base]:.2f}, CPU "
            f"{cpu_med['frontmap geoparse idlib.txt'] / cpu_med[base]:.2f}"
        )
        _importtime([FRONTMAP, "map", str(ARTICLE), "-o", os.path.join(tmp, "out-it")], args.top)
        if args.profile:
            prof = os.path.join(tmp, "map.prof")
            _run([PY, "-m", "cProfile", "-o", prof, FRONTMAP, "map", str(ARTICLE), "-o", out])
            print("\ncProfile of one `frontmap map` run: frontmap functions, top 15 by cumtime:")
            ours = re.escape(str(REPO)) + r"/(maps|geo|layers|frontmap)/"
            pstats.Stats(prof).sort_stats("cumulative").print_stats(ours, 15)
            _after_imports(os.path.join(tmp, "out-run"), os.path.join(tmp, "run.prof"))
    return 0


#: Imports every module the map command needs, then runs it under cProfile.
_RUN_ONLY = """
import cProfile, sys
import geopandas, folium
import frontmap.cli, frontmap.pipeline, frontmap.mapping, frontmap.layers
import frontmap.maps.export, frontmap.maps.render, frontmap.maps.index, frontmap.geo.events
article, out, prof = sys.argv[1:4]
sys.argv = ["frontmap", "map", article, "-o", out]
cProfile.run("frontmap.cli.main()", prof)
"""


def _after_imports(out: str, prof: str) -> None:
    """Where the map command's time goes once its modules are imported (the work the
    bare import of geopandas and folium does not do, but frontmap's own imports)."""
    _run([PY, "-c", _RUN_ONLY, str(ARTICLE), out, prof])
    stats = pstats.Stats(prof)
    total = max(getattr(stats, "total_tt", 0.0), 1e-9)
    print(
        f"\nthe same run after all its imports (in process, under cProfile, {total:.3f} s): "
        "frontmap functions >= 5 % of it, by cumtime:"
    )
    ours = re.escape(str(REPO)) + r"/(maps|geo|layers|frontmap)/"
    rows = []
    for (path, line, name), (_, _, _, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if re.search(ours, path) and cum >= 0.05 * total:
            rows.append((cum, f"{Path(path).parent.name}/{Path(path).name}:{line}({name})"))
    for cum, where in sorted(rows, reverse=True):
        print(f"    {cum:7.3f} s {100 * cum / total:5.1f} %  {where}")


if __name__ == "__main__":
    sys.exit(main())
