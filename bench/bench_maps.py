"""Benchmark of maps: render time, file size and time-to-ready in headless Chromium.

Run: ``.venv/bin/python bench/bench_maps.py [--sizes 1 100 10000 100000] [--no-browser]
[--static] [--report] [--baseline REV]``

For each size N it builds N distinct places (synthetic mentions spread over the
Idlib theatre, each with a sentence of ~150 characters), renders the map,
writes it to a temporary folder, and opens it in Debian's Chromium
(/usr/bin/chromium, via Playwright; no browser download, every non-file
request aborted). Time-to-ready is measured in the page, from navigation start
to the latest of: ``frontmap.draw`` marking the map ready (all layers and
markers added, clusters built, labels placed), the end of the last
``addLayers`` of a cluster group on the map (seen by this script's own hook
on Leaflet.markercluster, so that a page cannot report itself ready too
early: frontmap before a1395fe did, when markercluster's empty ``addLayers``
on joining the map completed, before any marker was clustered), and the end
of DOMContentLoaded; the median of ``--repeat`` loads. The hook tells the
bench on the console when that moment has come: nothing polls the page while
it loads. With ``--static`` it also times the static PNG export; with
``--report`` it also writes a report (:func:`maps.report_html`) per size: the
articles' texts (the places' sentences, 20 a article), the map and the table,
ready when the map has drawn and the table is built. Prints one table; not a
test.

``--baseline REV`` also writes the same maps with the code of a git revision
(``git archive`` into a temporary folder laid out as the package installs,
run in a subprocess) and loads old and new files in turn, interleaved in the
same browser, so both see the same machine load; the table then has a
baseline row under each size, and a ``ratio`` row (this version ÷ the
baseline: file size and time-to-ready).

Targets (issue 16): ready within 0.5 s at 10,000 places and 3 s at 100,000,
and a file under 15 MB at 100,000.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if "--write-only" not in sys.argv:  # a baseline run imports frontmap from its PYTHONPATH
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "maps"))

from _baseline import baseline_env, baseline_tree  # noqa: E402
from maps_testdata import CHROMIUM, CHROMIUM_ARGS, make_layers, make_theatre  # noqa: E402

from frontmap.maps import export_static, map_html, render_theatre, report_html  # noqa: E402

SENTENCE = (
    "Reports on the morning of the fifth said that shelling continued near {name}, "
    "and that families had left for camps further north."
)

READY_HOOK = """
window.__fmReady = null;
new MutationObserver(function (records) {
  for (var i = 0; i < records.length; i++) {
    var r = records[i];
    if (r.type === 'attributes') { window.__fmReady = performance.now(); break; }
  }
  __fmCheck();
}).observe(document, {subtree: true, attributes: true,
                      attributeFilter: ['data-frontmap-ready', 'data-frontmap-table']});
// Tells the bench (a console message: no polling, no script of the driver
// in the page while it loads) when every map has said it is ready and no
// cluster group is still clustering.
var __fmTold = false;
function __fmCheck() {
  if (__fmTold || window.__fmClusters.pending > 0) { return; }
  var waiting = document.querySelectorAll(
    '.folium-map:not([data-frontmap-ready]), .frontmap-embed:not([data-frontmap-ready])');
  if (waiting.length || !document.querySelector('[data-frontmap-ready]')) { return; }
  __fmTold = true;
  console.log('frontmap-bench-ready');
}
// The clusters, seen from outside the page's own script: every addLayers of a
// cluster group on the map (markercluster then clusters in chunks) ends with
// _refreshClustersIcons; the map is not ready before the last has run.
// (Before this hook, frontmap's ready mark came when markercluster's onAdd
// reported its empty addLayers as complete, before any marker was clustered.)
window.__fmClusters = {pending: 0, done: 0};
(function () {
  var lib;
  function wrap(proto) {
    var addLayers = proto.addLayers, refresh = proto._refreshClustersIcons;
    proto.addLayers = function (layers) {
      if (this._map && layers && layers.length) { window.__fmClusters.pending++; }
      return addLayers.apply(this, arguments);
    };
    proto._refreshClustersIcons = function () {
      var out = refresh.apply(this, arguments), c = window.__fmClusters;
      if (c.pending > 0) {
        c.pending--;
        // After the rest of this task (the clusters join the map).
        Promise.resolve().then(function () { c.done = performance.now(); __fmCheck(); });
      }
      return out;
    };
  }
  Object.defineProperty(window, 'L', {configurable: true, enumerable: true,
    get: function () { return lib; },
    set: function (v) {
      lib = v;
      if (!v || typeof v !== 'object' || v.MarkerClusterGroup) { return; }
      var group;
      Object.defineProperty(v, 'MarkerClusterGroup', {configurable: true, enumerable: true,
        get: function () { return group; },
        set: function (g) { group = g; if (g && g.prototype) { wrap(g.prototype); } }});
    }});
})();
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
                precision=3 if i % 100 == 99 else 1 + i % 2,  # a region now and then
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


def report_inputs(places: pd.DataFrame) -> tuple[list[dict[str, str]], pd.DataFrame]:
    """Article texts made of the places' sentences, and the places with offsets into them."""
    places = places.copy()
    texts: dict[str, list[str]] = {}
    starts, ends, s0s = [], [], []
    for row in places.itertuples(index=False):
        parts = texts.setdefault(row.article_id, [])
        at = sum(len(p) + 1 for p in parts)
        parts.append(row.sentence)
        starts.append(at + row.start)
        ends.append(at + row.end)
        s0s.append(at)
    places["start"], places["end"], places["sentence_start"] = starts, ends, s0s
    first = places.drop_duplicates("article_id")
    articles = [
        dict(
            id=r.article_id,
            text=" ".join(texts[r.article_id]),
            title=r.article_title,
            date=r.article_date,
            url=r.article_url,
        )
        for r in first.itertuples(index=False)
    ]
    return articles, places


def _load(browser, path: Path, blocked: list[str]) -> tuple[float, int]:
    """One load of a page in a new tab: (time-to-ready ms, markers drawn)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.add_init_script(READY_HOOK)
    # A map is ready when its element (a fragment: its host) has data-frontmap-ready
    # and its markers are clustered: the page's hook says so on the console.
    with page.expect_console_message(lambda m: m.text == "frontmap-bench-ready", timeout=120_000):
        page.goto(path.as_uri(), timeout=120_000, wait_until="load")
    ready = page.evaluate(
        "Math.max(window.__fmReady || 0, window.__fmClusters.done, performance.getEntriesByType("
        "'navigation')[0].domContentLoadedEventEnd)"
    )
    markers = page.evaluate(
        "Array.from(document.querySelectorAll('[data-frontmap-ready]'))"
        ".reduce((n, e) => n + Number(e.getAttribute('data-frontmap-ready')), 0)"
    )
    page.close()
    return ready, markers


def browser_times(paths: list[Path], repeat: int = 3) -> list[tuple[float, int, int]]:
    """(time-to-ready ms, markers drawn, blocked requests) per file.

    Ready is the later of: the last map of the page drawn with its markers
    clustered (and, in a report, the table of places built), and the end of
    DOMContentLoaded. The median of ``repeat`` loads, each in a new page; the
    files are loaded in turn (round after round), so that files compared with
    one another see the same load of the machine.
    """
    from playwright.sync_api import sync_playwright

    times: list[list[float]] = [[] for _ in paths]
    markers = [0] * len(paths)
    blocked: list[list[str]] = [[] for _ in paths]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            for k, path in enumerate(paths):
                ready, markers[k] = _load(browser, path, blocked[k])
                times[k].append(ready)
        browser.close()
    return [
        (statistics.median(t), m, len(b)) for t, m, b in zip(times, markers, blocked, strict=True)
    ]


def write_baseline(rev: str, sizes: list[int], tmp: Path) -> list[Path]:
    """The maps of ``sizes`` written by revision ``rev`` (in a subprocess), one file each."""
    site = baseline_tree(rev, tmp / "baseline")
    out = tmp / "baseline-maps"
    out.mkdir()
    env = baseline_env(site)
    command = [sys.executable, __file__, "--write-only", str(out), "--sizes", *map(str, sizes)]
    subprocess.run(command, check=True, env=env)
    return [out / f"map_{n}.html" for n in sizes]


def write_only(folder: Path, sizes: list[int]) -> None:
    """Write the maps of ``sizes`` with whatever ``frontmap`` imports (for --baseline)."""
    import frontmap

    theatre, layers = make_theatre(), make_layers()
    for n in sizes:
        m = render_theatre(theatre, synthetic_places(n), layers)
        (folder / f"map_{n}.html").write_text(map_html(m), encoding="utf-8")
    print(f"baseline: {Path(frontmap.__file__).parent}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 10_000, 100_000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--static", action="store_true", help="also time the PNG export")
    parser.add_argument(
        "--report", action="store_true", help="also a report (texts, map, table) per size"
    )
    parser.add_argument("--repeat", type=int, default=3, help="page loads per file (median)")
    parser.add_argument(
        "--baseline", metavar="REV", help="also a git revision's maps, loaded in turn with these"
    )
    parser.add_argument("--write-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write_only:
        write_only(args.write_only, args.sizes)
        return 0

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
            rows.append([f"{n}", len(html.encode("utf-8")), t1 - t0, static_s])
            if args.report:
                articles, joined = report_inputs(places)
                t0 = time.perf_counter()
                m = render_theatre(theatre, joined, layers)
                html = report_html(articles, joined, [m])
                t1 = time.perf_counter()
                path = Path(tmp) / f"report_{n}.html"
                path.write_text(html, encoding="utf-8")
                paths.append(path)
                rows.append([f"{n} rep", len(html.encode("utf-8")), t1 - t0, None])
        if args.baseline:
            base = write_baseline(args.baseline, args.sizes, Path(tmp))
            for n, path in zip(args.sizes, base, strict=True):
                at = next(i for i, r in enumerate(rows) if r[0] == f"{n}") + 1
                rows.insert(at, [f"{n} base", path.stat().st_size, None, None])
                paths.insert(at, path)
        if not args.no_browser and os.path.exists(CHROMIUM):
            for row, (ready, markers, blocked) in zip(
                rows, browser_times(paths, args.repeat), strict=True
            ):
                row += [ready, markers, blocked]
    print(
        f"{'places':>8} {'html bytes':>12} {'render s':>9} {'png s':>7} "
        f"{'ready ms':>9} {'markers':>8} {'blocked':>8}"
    )
    for row in _with_ratios(rows, args.sizes):
        n, size, render_s, static_s, *rest = row
        ready, markers, blocked = rest if rest else (None, None, None)
        ratio = n.endswith("ratio")
        print(
            f"{n:>8} {_cell(size, ratio, ','):>12} "
            f"{'-' if render_s is None else f'{render_s:.2f}':>9} "
            f"{'-' if static_s is None else f'{static_s:.2f}':>7} "
            f"{_cell(ready, ratio, '.0f'):>9} "
            f"{'-' if markers is None else markers:>8} {'-' if blocked is None else blocked:>8}"
        )
    return 0


def _with_ratios(rows: list[list], sizes: list[int]) -> list[list]:
    """The rows with a ``ratio`` row after each size's baseline (size and ready: this ÷ base)."""
    by = {r[0]: r for r in rows}
    out = []
    for row in rows:
        out.append(row)
        n = row[0].removesuffix(" base")
        if row[0].endswith(" base") and n in by:
            new, base = by[n], row
            ready = None
            if len(new) > 4 and len(base) > 4 and base[4]:
                ready = new[4] / base[4]
            out.append([f"{n} ratio", new[1] / base[1], None, None, ready, None, None])
    return out


def _cell(value: float | None, ratio: bool, fmt: str) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}x" if ratio else format(value, fmt)


if __name__ == "__main__":
    raise SystemExit(main())
