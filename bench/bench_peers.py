"""Geoparse speed against the peers on one core: frontmap, flashgeotext, geotext (issue 16).

Run: ``.venv/bin/python bench/bench_peers.py [--n 500] [--rounds 3]`` after
``.venv/bin/pip install flashgeotext geotext`` (benchmark tools, not
dependencies of frontmap; a peer that is not installed is skipped and said
so). spaCy's English models are not on PyPI, so spaCy NER, the third peer of
the issue, cannot be installed here from the package registries alone.

Each peer reads the same texts: the generated ~2 kB articles of
``bench_geoparse.py`` (33 toponyms each) and real news cut to 2 kB from
``../shared`` when present. Each is timed in CPU seconds after its data is
loaded and one warm-up pass, in turn with the others, ``--rounds`` times (best
of each), and given as articles per CPU second and as a ratio to frontmap. What
each does differs: flashgeotext and geotext look names up (flashgeotext with a
keyword automaton over GeoNames cities and countries; geotext with a regular
expression for capitalised words and a dict) and resolve nothing; frontmap finds,
judges and resolves every name and gives its coordinates.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_geoparse import SEED, _real_news, make_articles  # noqa: E402


def _peers() -> tuple[dict[str, Callable[[str], object]], list[str]]:
    """Each peer's function of a text, loaded; and the peers that could not be."""
    from frontmap.geo import geoparse, load_gazetteer

    gaz = load_gazetteer()
    peers: dict[str, Callable[[str], object]] = {"frontmap": lambda t: geoparse(t, gaz)}
    missing = []
    try:
        from flashgeotext.geotext import GeoText as FlashGeoText

        flash = FlashGeoText()
        peers["flashgeotext"] = lambda t: flash.extract(t)
    except ImportError:
        missing.append("flashgeotext")
    try:
        from geotext import GeoText

        peers["geotext"] = lambda t: GeoText(t)
    except ImportError:
        missing.append("geotext")
    return peers, missing


def _cpu(step: Callable[[str], object], texts: list[str]) -> float:
    c0 = time.process_time()
    for t in texts:
        step(t)
    return time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="articles per set (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, best of (default 3)")
    args = parser.parse_args(argv)
    peers, missing = _peers()
    for name in missing:
        print(f"{name}: not installed (.venv/bin/pip install {name}); skipped")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"load average {load}; CPU seconds, best of {args.rounds} rounds in turn")
    sets = {"generated, 33 toponyms a 2 kB article": make_articles(args.n, SEED + 1)}
    news = _real_news(args.n)
    if news:
        sets["real news cut to 2 kB (../shared GeoWebNews)"] = news
    for label, articles in sets.items():
        texts = [a["text"] for a in articles]
        for step in peers.values():
            step(texts[0])  # warm
            _cpu(step, texts)
        best = {name: math.inf for name in peers}
        for _ in range(args.rounds):
            for name, step in peers.items():
                best[name] = min(best[name], _cpu(step, texts))
        print(f"\n{label} ({len(texts):,} texts):")
        base = best["frontmap"]
        for name, cpu in best.items():
            ratio = "" if name == "frontmap" else f"  {base / cpu:5.1f}x frontmap's rate"
            print(f"  {name:<14} {len(texts) / cpu:8.0f} articles per CPU second{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
