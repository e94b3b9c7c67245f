"""Time layers.join on one million random points against all layers of one date;
and the join's share of a dated feed's CPU (issue 16).

Run: ``.venv/bin/python bench/bench_join.py [N] [DATE]`` (not part of the tests).
Points are drawn uniformly inside the three theatres' bounds; time a point and
peak memory are printed.

``.venv/bin/python bench/bench_join.py --feed [ARTICLES] [DATES]``:
``geoparse_articles`` (one process) over generated articles spread over
``DATES`` days and the three theatres, under cProfile: the share of the CPU
spent in ``layers.join`` (issue 16 found 37 %) and how many times the layers
were selected for a (date, theatre) against the distinct pairs (the baseline:
once each; issue 16 found 1,911 selections for 34 pairs).
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import pandas as pd

from frontmap.layers import join, load_layers
from frontmap.theatres import all_theatres as theatres


def feed(n_articles: int, n_dates: int) -> None:
    """The join's CPU share and selections per (date, theatre) on a dated feed."""
    import cProfile
    import datetime as dt
    import pstats
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_geoparse import make_articles

    from frontmap.geo.articles import Article
    from frontmap.layers import catalog, spatial_join
    from frontmap.pipeline import geoparse_articles

    first = dt.date(2020, 1, 1)
    articles = [
        Article(a["id"], a["text"], first + dt.timedelta(days=7 * (i % n_dates)), None, None, None)
        for i, a in enumerate(make_articles(n_articles, 20201205))
    ]
    # Loads the gazetteer and the layers (not the feed's work), on another day.
    geoparse_articles([Article("warm", "Shelling hit Saraqib.", dt.date(2019, 1, 1))])
    calls = {"n": 0}
    real = catalog.selected_rows

    def counted(frame, day, theatre):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(frame, day, theatre)

    spatial_join.selected_rows = counted  # counts the selections the join makes
    prof = cProfile.Profile()
    c0 = time.process_time()
    prof.enable()
    rows = geoparse_articles(articles)
    prof.disable()
    cpu = time.process_time() - c0
    spatial_join.selected_rows = real
    stats = pstats.Stats(prof)
    join_cpu = sum(
        v[3]
        for k, v in stats.stats.items()  # type: ignore[attr-defined]
        if k[2] == "join" and k[0].endswith("spatial_join.py")
    )
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    print(
        f"geoparse_articles of {n_articles:,} articles over {n_dates} dates, 3 theatres: "
        f"{len(rows):,} mentions, {cpu:.1f} s CPU (under cProfile)"
    )
    print(f"  layers.join: {join_cpu / total:.0%} of the CPU (issue 16 found 37 %)")
    located = rows[rows["theatre"].notna()]
    pairs = set(zip(located["date"], located["theatre"], strict=True))
    ratio = calls["n"] / max(len(pairs), 1)
    print(
        f"  layer selections: {calls['n']:,} for {len(pairs):,} distinct (date, theatre) "
        f"pairs: {ratio:.2f} a pair (baseline 1; issue 16 found 1,911 for 34, 56 a pair)"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--feed":
        n_articles = int(sys.argv[2]) if len(sys.argv) > 2 else 1200
        n_dates = int(sys.argv[3]) if len(sys.argv) > 3 else 34
        feed(n_articles, n_dates)
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    date = sys.argv[2] if len(sys.argv) > 2 else "2020-03-01"
    rng = np.random.default_rng(0)
    ts = theatres()
    which = rng.integers(0, len(ts), n)
    lat = np.empty(n)
    lon = np.empty(n)
    for k, t in enumerate(ts):
        (s, w), (nn, e) = t.bounds
        m = which == k
        lat[m] = rng.uniform(s, nn, m.sum())
        lon[m] = rng.uniform(w, e, m.sum())
    places = pd.DataFrame({"lat": lat, "lon": lon})
    t0 = time.perf_counter()
    load_layers()
    t1 = time.perf_counter()
    join(places.head(1000), date=date)  # warm caches (prepared geometries, front trees)
    t2 = time.perf_counter()
    out = join(places, date=date)
    t3 = time.perf_counter()
    print(f"load_layers: {t1 - t0:.2f} s; warm-up join of 1000 points: {t2 - t1:.2f} s")
    print(
        f"join of {n:,} points at {date}: {t3 - t2:.2f} s ({n / (t3 - t2):,.0f} points/s, "
        f"{(t3 - t2) / n * 1e6:.2f} µs a point); peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
    )
    print(out["control"].value_counts(dropna=False).to_string())
    print(f"front_km: median {pd.to_numeric(out['front_km']).median():.1f}")


if __name__ == "__main__":
    main()
