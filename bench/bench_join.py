"""Time layers.join on one million random points against all layers of one date.

Run: ``.venv/bin/python bench/bench_join.py [N] [DATE]`` (not part of the tests).
Points are drawn uniformly inside the three theatres' bounds.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from frontmap.layers import join, load_layers
from frontmap.theatres import all_theatres as theatres


def main() -> None:
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
    print(f"join of {n:,} points at {date}: {t3 - t2:.2f} s ({n / (t3 - t2):,.0f} points/s)")
    print(out["control"].value_counts(dropna=False).to_string())
    print(f"front_km: median {pd.to_numeric(out['front_km']).median():.1f}")


if __name__ == "__main__":
    main()
