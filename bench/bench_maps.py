"""Benchmark of maps: render time, file size and time-to-ready in headless Chromium.

Run: ``.venv/bin/python bench/bench_maps.py [--sizes 1 100 10000] [--no-browser]``

For each size N it builds N distinct places (synthetic mentions spread over the
Idlib theatre, each with a sentence of ~150 characters), renders the map,
writes it to a temporary folder, and opens it in Debian's Chromium
(/usr/bin/chromium, via Playwright; no browser download, every non-file
request aborted). Time-to-ready is measured in the page: from navigation start
to the moment ``frontmap.draw`` marks the map ready (all layers and markers
added). Also times the static PNG export. Prints one table; not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "maps"))

from maps_testdata import CHROMIUM, CHROMIUM_ARGS, make_layers, make_theatre  # noqa: E402

from maps import export_static, map_html, render_theatre  # noqa: E402

SENTENCE = (
    "Reports on the morning of the fifth said that shelling continued near {name}, "
    "and that families had left for camps further north."
)

READY_HOOK = """
window.__fmReady = null;
new MutationObserver(function (records, obs) {
  if (document.querySelector('[data-frontmap-ready]')) {
    window.__fmReady = performance.now();
    obs.disconnect();
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-frontmap-ready']});
"""


def synthetic_places(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` distinct places with one mention each, in ~n/20 articles."""
    rng = np.random.default_rng(seed)
    lat = rng.uniform(35.0, 36.8, n)
    lon = rng.uniform(35.8, 37.5, n)
    rows = []
    for i in range(n):
        name = f"Place {i}"
        sentence = SENTENCE.format(name=name)
        start = sentence.index(name)
        art = i // 20
        rows.append(
            dict(
                article_id=f"a{art}",
                start=start,
                end=start + len(name),
                surface=name,
                name=name,
                lat=float(lat[i]),
                lon=float(lon[i]),
                country="SY",
                kind="populated_place",
                gazetteer_id=str(100000 + i),
                score=0.8,
                precision=1 + i % 3,
                sentence=sentence,
                sentence_start=0,
                theatre="idlib",
                zones=[],
                control="government" if i % 2 else "opposition",
                front_km=float(i % 40),
                article_title=f"Article {art}",
                article_date=f"2020-02-{1 + art % 28:02d}",
                article_url=f"https://example.org/{art}",
            )
        )
    return pd.DataFrame(rows)


def browser_times(paths: list[Path]) -> list[tuple[float, int, int]]:
    """(time-to-ready ms, markers drawn, blocked requests) per file."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            blocked: list[str] = []

            def route(r, blocked=blocked):
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.add_init_script(READY_HOOK)
            page.goto(path.as_uri(), timeout=120_000)
            page.wait_for_function("window.__fmReady !== null", timeout=120_000)
            ready = page.evaluate("window.__fmReady")
            markers = page.evaluate(
                "Number(document.querySelector('[data-frontmap-ready]')"
                ".getAttribute('data-frontmap-ready'))"
            )
            out.append((ready, markers, len(blocked)))
            page.close()
        browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 10_000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--static", action="store_true", help="also time the PNG export")
    args = parser.parse_args(argv)

    theatre, layers = make_theatre(), make_layers()
    render_theatre(theatre, synthetic_places(1), layers)  # warm caches (basemap, assets)
    rows = []
    with tempfile.TemporaryDirectory(prefix="frontmap-bench-") as tmp:
        paths = []
        for n in args.sizes:
            places = synthetic_places(n)
            t0 = time.perf_counter()
            m = render_theatre(theatre, places, layers)
            html = map_html(m)
            t1 = time.perf_counter()
            path = Path(tmp) / f"map_{n}.html"
            path.write_text(html, encoding="utf-8")
            static_s = None
            if args.static:
                t2 = time.perf_counter()
                export_static(theatre, places, layers, Path(tmp) / f"map_{n}.png", dpi=100)
                static_s = time.perf_counter() - t2
            paths.append(path)
            rows.append([n, len(html.encode("utf-8")), t1 - t0, static_s])
        if not args.no_browser and os.path.exists(CHROMIUM):
            for row, (ready, markers, blocked) in zip(rows, browser_times(paths), strict=True):
                row += [ready, markers, blocked]
    print(
        f"{'places':>8} {'html bytes':>12} {'render s':>9} {'png s':>7} "
        f"{'ready ms':>9} {'markers':>8} {'blocked':>8}"
    )
    for row in rows:
        n, size, render_s, static_s, *rest = row
        ready, markers, blocked = rest if rest else (None, None, None)
        print(
            f"{n:>8} {size:>12,} {render_s:>9.2f} "
            f"{'-' if static_s is None else f'{static_s:.2f}':>7} "
            f"{'-' if ready is None else f'{ready:.0f}':>9} "
            f"{'-' if markers is None else markers:>8} {'-' if blocked is None else blocked:>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
