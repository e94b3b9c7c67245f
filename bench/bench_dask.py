"""Geoparsing on Dask against the number of workers, and what a cluster would do (issue 16).

Run: ``.venv/bin/python bench/bench_dask.py [--n 4000] [--workers 1 2]`` (needs
``pip install 'frontmap[dask]'``; a few minutes; not part of the tests).

The articles (about 2,000 characters each) are those of ``bench_geoparse.py``
(generated from sentences written there, fixed seed). Every run geoparses and
joins them to the layers of their date, with the results gathered in input
order, as ``frontmap geoparse`` does:

* **local, --jobs 1**: in this process (the baseline);
* **local, --jobs N**: the local process pool;
* **Dask as the worker pool**: a ``LocalCluster`` of N worker processes (one
  thread each) behind :class:`frontmap.distributed.DaskExecutor`; articles are
  read and results gathered on the client (``frontmap geoparse --dask``);
* **Dask DataFrame**: :func:`frontmap.distributed.geoparse_dataframe` over a
  DataFrame of the same articles in ``4 × N`` partitions, computed on the cluster.

Cluster start-up (a few seconds) is timed apart: it is paid once per run, not
per article. The last lines extrapolate to a cluster from the per-worker rate
and the efficiency measured here.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_geoparse import SEED, make_articles  # noqa: E402


def _articles(n: int) -> list:
    from frontmap.dates import parse_date
    from frontmap.geo.articles import Article

    dates = ["2019-06-01", "2020-02-27", "2020-11-10", None]
    out = []
    for i, a in enumerate(make_articles(n, SEED)):
        out.append(Article(f"a{i}", a["text"], parse_date(dates[i % 4]), None, None, f"a{i}"))
    return out


def _timed(label: str, run, n: int, base: float | None) -> float:
    t0 = time.perf_counter()
    found = run()
    seconds = time.perf_counter() - t0
    rate = n / seconds
    ratio = f"  ×{rate / base:.2f} of --jobs 1" if base else ""
    print(f"  {label:<44} {seconds:7.2f} s  {rate:7.0f} articles/s  ({found} toponyms){ratio}")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    try:
        import dask.dataframe as dd
        import pandas as pd

        from frontmap.distributed import DaskExecutor, dask_client, geoparse_dataframe
    except ImportError as exc:
        print(f"bench_dask: needs pip install 'frontmap[dask]' ({exc})", file=sys.stderr)
        return 2
    from frontmap.geo import load_gazetteer
    from frontmap.pipeline import available_cores, iter_geoparse

    load_gazetteer()
    articles = _articles(args.n)
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(
        f"python {sys.version.split()[0]}; {available_cores()} cores; {args.n:,} articles of "
        f"~{chars:.0f} characters; load average {os.getloadavg()[0]:.2f}"
    )

    def local(jobs: int):
        return lambda: sum(len(r.rows) for r in iter_geoparse(articles, jobs=jobs, sentences=False))

    base = _timed("local, --jobs 1", local(1), args.n, None)
    per_worker: dict[int, float] = {}
    for w in args.workers:
        if w > 1:
            _timed(f"local, --jobs {w}", local(w), args.n, base)
        t0 = time.perf_counter()
        client = dask_client("local", workers=w)
        executor = DaskExecutor(client)
        print(f"  (Dask LocalCluster of {w}: started in {time.perf_counter() - t0:.1f} s)")

        def pooled(executor=executor):
            return sum(
                len(r.rows) for r in iter_geoparse(articles, executor=executor, sentences=False)
            )

        rate = _timed(f"Dask as the worker pool, {w} worker(s)", pooled, args.n, base)
        per_worker[w] = rate / w
        frame = pd.DataFrame(
            {
                "id": [a.id for a in articles],
                "text": [a.text for a in articles],
                "date": [a.date.isoformat() if a.date else None for a in articles],
            }
        )
        ddf = dd.from_pandas(frame, npartitions=4 * w)
        _timed(
            f"Dask DataFrame, {w} worker(s), {4 * w} partitions",
            lambda ddf=ddf: len(geoparse_dataframe(ddf).compute()),
            args.n,
            base,
        )
        cluster = client.cluster
        client.close()
        cluster.close()

    best = max(per_worker.values())
    eff = {w: per_worker[w] / per_worker[min(per_worker)] for w in per_worker}
    print("\nper worker process:", ", ".join(f"{w}: {r:.0f}/s" for w, r in per_worker.items()))
    print("efficiency against one worker:", ", ".join(f"{w}: {e:.2f}" for w, e in eff.items()))
    worst = min(eff.values())
    for cores in (16, 64, 256):
        rate = cores * best * worst
        print(
            f"a cluster of {cores} worker cores: ~{rate:,.0f} articles/s "
            f"(~{rate * 3600 / 1e6:.1f} million articles an hour), "
            f"if efficiency holds at {worst:.2f}"
        )
    print(
        "  (with --dask the client reads the articles and writes the results: at these rates "
        "one client keeps up to roughly its own JSON throughput; beyond, use the DataFrame path, "
        "where nothing passes through the client)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
