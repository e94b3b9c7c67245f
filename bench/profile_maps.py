"""Where a map page's time goes in headless Chromium, from a trace of one load.

Run: ``.venv/bin/python bench/profile_maps.py PAGE.html [--profiler] [--top 30]``
(``PAGE.html`` as written by ``frontmap map`` or ``bench_maps.py``; write one
of N synthetic places with ``--places N``).

The page is loaded once to warm the browser, then once traced (Chromium's
tracing through Playwright, the network blocked as in ``bench_maps.py``)
until it is ready by ``bench_maps.py``'s definition. Printed: the main
thread's tasks of more than ``--min-ms`` from navigation start (parsing,
script evaluation, layout, paint, markercluster's timer chunks), nested two
levels; with ``--profiler`` also the JavaScript functions by inclusive and
self time over the whole load (the sampling profiler slows the page: read its
shares, not its milliseconds). Not a test.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "maps"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_maps import READY_HOOK, synthetic_places  # noqa: E402
from maps_testdata import CHROMIUM, CHROMIUM_ARGS, make_layers, make_theatre  # noqa: E402

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "blink.user_timing",
    "loading",
    "toplevel",
]


def trace(page_path: Path, out: Path, profiler: bool) -> float:
    """Trace one load of ``page_path`` into ``out``; the time-to-ready in ms."""
    from playwright.sync_api import sync_playwright

    categories = CATEGORIES + (["disabled-by-default-v8.cpu_profiler"] if profiler else [])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in ("warm", "traced"):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route(
                "**/*",
                lambda r: (
                    r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
                ),
            )
            page.add_init_script(READY_HOOK)
            if run == "traced":
                browser.start_tracing(page=page, path=str(out), categories=categories)
            with page.expect_console_message(
                lambda m: m.text == "frontmap-bench-ready", timeout=300_000
            ):
                page.goto(page_path.as_uri(), timeout=300_000, wait_until="load")
            ready = page.evaluate(
                "Math.max(window.__fmReady || 0, window.__fmClusters.done, performance"
                ".getEntriesByType('navigation')[0].domContentLoadedEventEnd)"
            )
            if run == "traced":
                page.wait_for_timeout(200)
                browser.stop_tracing()
            page.close()
        browser.close()
    return float(ready)


def _events(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["traceEvents"] if isinstance(data, dict) else data


def _main_thread(events: list[dict[str, Any]]) -> tuple[int, int]:
    counts = collections.Counter(
        (e["pid"], e["tid"]) for e in events if e.get("name") in ("ParseHTML", "EvaluateScript")
    )
    return counts.most_common(1)[0][0]


def print_tasks(events: list[dict[str, Any]], ready: float, min_ms: float) -> None:
    """The main thread's tasks until ready, nested two levels (ms from navigation start)."""
    pid, tid = _main_thread(events)
    t0 = min(e["ts"] for e in events if e.get("name") == "navigationStart")
    skip = {"ThreadControllerImpl::RunTask", "Receive mojo message", "RunTask"}
    spans = sorted(
        (
            e
            for e in events
            if e["pid"] == pid
            and e["tid"] == tid
            and e.get("ph") == "X"
            and e.get("dur", 0) >= min_ms * 1000
        ),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    stack: list[dict[str, Any]] = []
    print(f"{'at ms':>8} {'ms':>7}  task (main thread, ready at {ready:.0f} ms)")
    for e in spans:
        while stack and e["ts"] >= stack[-1]["ts"] + stack[-1]["dur"]:
            stack.pop()
        shown = [s for s in stack if s["name"] not in skip]
        stack.append(e)
        at = (e["ts"] - t0) / 1000
        if e["name"] in skip or len(shown) > 1 or at > ready + 50:
            continue
        data = e.get("args", {}).get("data", e.get("args", {}).get("beginData", {}))
        where = (
            f" line {data['lineNumber']}" if isinstance(data, dict) and "lineNumber" in data else ""
        )
        print(f"{at:8.0f} {e['dur'] / 1000:7.1f}  {'  ' * len(shown)}{e['name']}{where}")


def print_functions(events: list[dict[str, Any]], top: int) -> None:
    """JavaScript functions by inclusive and self time (sampling profiler)."""
    pid, _ = _main_thread(events)
    nodes: dict[int, dict[str, Any]] = {}
    samples: list[int] = []
    deltas: list[int] = []
    for e in events:
        if e.get("name") in ("Profile", "ProfileChunk") and e["pid"] == pid:
            data = e["args"]["data"]
            for node in data.get("cpuProfile", {}).get("nodes", []):
                nodes[node["id"]] = node
            samples += data.get("cpuProfile", {}).get("samples", [])
            deltas += data.get("timeDeltas", [])
    inclusive: dict[str, float] = collections.defaultdict(float)
    own: dict[str, float] = collections.defaultdict(float)
    for sample, delta in zip(samples, deltas, strict=False):
        node, seen, first = nodes.get(sample), set(), True
        while node:
            frame = node["callFrame"]
            key = f"{frame.get('functionName') or '(anonymous)'} line {frame.get('lineNumber')}"
            if first:
                own[key] += delta / 1000
                first = False
            if key not in seen:
                inclusive[key] += delta / 1000
                seen.add(key)
            node = nodes.get(node.get("parent"))
    print(f"\n{'incl ms':>8} {'self ms':>8}  function (line in the page)")
    for key, ms in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{ms:8.0f} {own[key]:8.0f}  {key}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, nargs="?", help="a map page (else --places)")
    parser.add_argument("--places", type=int, help="write a map of N synthetic places")
    parser.add_argument("--profiler", action="store_true", help="also JS functions (slower)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--min-ms", type=float, default=8.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="frontmap-profile-") as tmp:
        page = args.page
        if page is None:
            if not args.places:
                parser.error("give a page or --places N")
            from frontmap.maps import map_html, render_theatre

            m = render_theatre(make_theatre(), synthetic_places(args.places), make_layers())
            page = Path(tmp) / f"map_{args.places}.html"
            page.write_text(map_html(m), encoding="utf-8")
        out = Path(tmp) / "trace.json"
        ready = trace(page.resolve(), out, args.profiler)
        events = _events(out)
        print_tasks(events, ready, args.min_ms)
        if args.profiler:
            print_functions(events, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
