"""Hostile input: peak memory and time of the worst inputs found for issue 15.

Run: ``.venv/bin/python bench/bench_hostile.py [--mb 0.8] [--only NAME...] [--runs 1]``
(not part of the tests; about ten minutes on a quiet two-core machine with the
defaults; ``--mb`` scales the text cases).

Every case runs ``frontmap`` in a fresh process under an address-space cap and
a time limit (``tests/capped.py``), as the tests do, and prints its exit
status, wall time, peak resident memory (``wait4``) and, for text, seconds per
MB and the ratio to ordinary news per MB (issue 15: at most 10). Inputs are
generated here; no evaluation text is used.

Cases
-----
* ``news``: the 18 articles of ``bench/articles`` (written for frontmap,
  conflict news dense in places) repeated to ``--mb`` MB, as one ``.txt`` file:
  the per-MB reference.
* ``I``, ``US``: one capitalised word repeated (``"I I I ..."``: 112 s for
  800 kB before issue 15), ``letters``: random capital letters (the worst text
  found: every word starts seven lookup windows), ``words``: random
  capitalised English words, ``places``: random place names glued together,
  ``places-commas``: the same separated by commas (a toponym every 8 bytes).
* ``line-200MB``: a JSON Lines file whose second line is 200 MB (refused and
  skipped: one error line).
* ``text-50MB``: a 50 MB plain-text article (read in windows).
* ``pipe-endless``: ``yes`` into ``frontmap geoparse /dev/stdin`` (refused at
  16 MB).
* ``dump-50MB``: ``frontmap gazetteer import`` of a 50 MB GeoNames dump (into
  a temporary cache folder).
* ``layers-32MB``: ``frontmap layers check`` of a 32 MB FeatureCollection
  (the largest accepted).
* ``jobs-1000``: ``frontmap geoparse --jobs 1000`` of 6,000 short articles
  (the most worker processes seen at once; peak memory is the largest
  process's).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from capped import BASE_MB, run_capped  # noqa: E402

MB = 1024 * 1024


def _news_text() -> str:
    texts = []
    for name in ("own-articles.jsonl", "own2-articles.jsonl"):
        with (REPO / "bench" / "articles" / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return "\n\n".join(texts) + "\n\n"


def _fill(unit: Callable[[random.Random], str], size: int) -> str:
    rng = random.Random(15)
    parts, n = [], 0
    while n < size:
        part = unit(rng)
        parts.append(part)
        n += len(part)
    return "".join(parts)[:size]


def text_cases(size: int) -> dict[str, str]:
    import wordfreq

    news = _news_text()
    words = [w.capitalize() for w in wordfreq.top_n_list("en", 5000) if w.isalpha()]
    places = (
        "Aleppo Idlib Hama Homs Saraqib Ariha Atmeh Sarmada Tripoli Benghazi Sirte Misrata "
        "Tarhuna Gharyan Shusha Stepanakert Baku Yerevan Ganja Ankara Moscow Damascus"
    ).split()
    return {
        "news": (news * (size // len(news) + 1))[:size],
        "I": "I " * (size // 2),
        "US": "US " * (size // 3),
        "letters": _fill(lambda r: r.choice(string.ascii_uppercase) + " ", size),
        "words": _fill(lambda r: r.choice(words) + " ", size),
        "places": _fill(lambda r: r.choice(places) + " ", size),
        "places-commas": _fill(lambda r: r.choice(places) + ", ", size),
    }


def _report(name: str, r, size: int | None = None, per_mb_news: float | None = None) -> float:
    line = f"{name:16} exit {r.returncode:>3}  {r.seconds:7.1f} s  peak {r.peak_mb:6.0f} MB" + (
        "  TIMED OUT" if r.timed_out else ""
    )
    per_mb = None
    if size:
        per_mb = r.seconds / (size / MB)
        line += f"  {per_mb:7.1f} s/MB"
        if per_mb_news:
            line += f"  {per_mb / per_mb_news:5.1f} x news"
    errors = r.stderr.splitlines()
    if errors:
        line += f"  | {len(errors)} error line(s): {errors[-1][:90]}"
    print(line, flush=True)
    return per_mb or 0.0


def run_text_cases(tmp: Path, mb: float, only: set[str], runs: int) -> None:
    size = int(mb * MB)
    per_mb_news = None
    for name, text in text_cases(size).items():
        if only and name not in only and name != "news":
            continue
        path = tmp / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        best = None
        for _ in range(runs):
            r = run_capped(
                ["geoparse", str(path), "--jobs", "1", "-o", str(tmp / "out.jsonl")],
                memory_mb=BASE_MB + 1000,
                seconds=1800,
            )
            best = r if best is None or r.seconds < best.seconds else best
        per_mb = _report(name, best, len(text.encode("utf-8")), per_mb_news)
        if name == "news":
            per_mb_news = per_mb
        path.unlink()


def case_line_200mb(tmp: Path) -> None:
    path = tmp / "line.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": "Shelling hit Saraqib."}) + "\n")
        fh.write('{"id": "huge", "text": "')
        block = "Saraqib was shelled. " * 5000
        for _ in range(200 * MB // len(block)):
            fh.write(block)
        fh.write('"}\n' + json.dumps({"id": "b", "text": "Clashes near Tarhuna."}) + "\n")
    r = run_capped(["geoparse", str(path), "--jobs", "1"], memory_mb=BASE_MB + 1000, seconds=600)
    _report("line-200MB", r)
    path.unlink()


def case_text_50mb(tmp: Path) -> None:
    path = tmp / "big.txt"
    news = _news_text()
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(50 * MB // len(news) + 1):
            fh.write(news)
    size = path.stat().st_size
    r = run_capped(
        ["geoparse", str(path), "--jobs", "1", "-o", str(tmp / "out.jsonl")],
        memory_mb=BASE_MB + 1000,
        seconds=3600,
    )
    _report("text-50MB", r, size)
    path.unlink()


def case_pipe_endless(tmp: Path) -> None:
    yes = subprocess.Popen(["yes", "Saraqib"], stdout=subprocess.PIPE)
    try:
        assert yes.stdout is not None
        r = run_capped(
            ["geoparse", "/dev/stdin"],
            memory_mb=BASE_MB + 1000,
            seconds=120,
            stdin=yes.stdout.fileno(),
        )
    finally:
        yes.kill()
        yes.wait()
    _report("pipe-endless", r)


def case_dump_50mb(tmp: Path) -> None:
    from frontmap.geo.index import base_index_path

    cache = tmp / "cache"
    cache.mkdir(exist_ok=True)
    (cache / base_index_path().name).unlink(missing_ok=True)
    (cache / base_index_path().name).symlink_to(base_index_path())
    dump = tmp / "SY.txt"
    alternates = ",".join(f"Testname{k}" for k in range(12))
    with dump.open("w", encoding="utf-8") as fh:
        i = 0
        while fh.tell() < 50 * MB:
            fields = [str(90_000_000 + i), f"Testplace {i}", f"Testplace {i}", alternates,
                      f"{32 + (i % 900) / 100:.4f}", f"{36 + (i // 900 % 900) / 100:.4f}",
                      "P", "PPL", "SY", "", "12", "", "", "", "5", "", "300",
                      "Asia/Damascus", "2020-01-01"]  # fmt: skip
            fh.write("\t".join(fields) + "\n")
            i += 1
    r = run_capped(
        ["gazetteer", "import", str(dump)],
        memory_mb=BASE_MB + 1000,
        seconds=3600,
        env={**os.environ, "FRONTMAP_CACHE": str(cache)},
    )
    _report("dump-50MB", r, dump.stat().st_size)
    dump.unlink()


def case_layers_32mb(tmp: Path) -> None:
    path = tmp / "big.geojson"
    ring = [[36.5 + k * 1e-6, 35.5] for k in range(200_000)] + [[36.7, 35.7], [36.5, 35.5]]
    feature = {
        "type": "Feature",
        "properties": {
            "id": "z",
            "theatre": "idlib",
            "kind": "zone",
            "name": "Z",
            "actor": None,
            "valid_from": "2020-01-01",
            "valid_to": None,
            "source": "bench",
            "precision_km": 1,
        },  # fmt: skip
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    feats = []
    n = 0
    while n + len(text) < 31 * MB:
        feature["properties"]["id"] = f"z{len(feats)}"
        feature["properties"]["layer"] = f"l{len(feats)}"
        feats.append(json.dumps(feature))
        n += len(feats[-1]) + 2
    path.write_text('{"type": "FeatureCollection", "features": [' + ", ".join(feats) + "]}")
    r = run_capped(["layers", "check", str(path)], memory_mb=BASE_MB + 1500, seconds=1800)
    _report("layers-32MB", r, path.stat().st_size)
    path.unlink()


def case_jobs_1000(tmp: Path) -> None:
    from capped import children_of

    path = tmp / "many.jsonl"
    article = {"text": "Government forces shelled Saraqib and Kafr Nabl, south of Idlib."}
    path.write_text((json.dumps(article) + "\n") * 6000, encoding="utf-8")
    seen = [0]

    def workers(pid: int) -> None:
        seen.append(len(children_of(pid)))

    r = run_capped(
        ["geoparse", str(path), "--jobs", "1000", "-o", str(tmp / "out.jsonl")],
        memory_mb=BASE_MB + 1000,
        seconds=600,
        watch=workers,
    )
    _report(f"jobs-1000 ({max(seen)} workers)", r)
    path.unlink()


OTHER = {
    "jobs-1000": case_jobs_1000,
    "line-200MB": case_line_200mb,
    "text-50MB": case_text_50mb,
    "pipe-endless": case_pipe_endless,
    "dump-50MB": case_dump_50mb,
    "layers-32MB": case_layers_32mb,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=0.8, help="size of the text cases (MB)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each text case (best)")
    parser.add_argument("--only", nargs="*", default=[], help="case names to run")
    args = parser.parse_args()
    only = set(args.only)
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        tmp = Path(folder)
        run_text_cases(tmp, args.mb, only, args.runs)
        for name, case in OTHER.items():
            if not only or name in only:
                case(tmp)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
