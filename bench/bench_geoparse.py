"""Geoparse throughput: articles a second on one core, and a batch on both cores (issues 4, 8).

Run: ``.venv/bin/python bench/bench_geoparse.py [--n 2000] [--batch 10000] [--profile]``
(not part of the tests; about two minutes; ``--batch 0`` skips the command-line
batch).

Articles of about 2,000 characters are generated from sentences written here
(news prose with many place names of the three theatres, capitals and some
person and organisation names), with a fixed random seed; no evaluation text
is used.

* **one core, in process** (issue 16's targets: at least 2,000 articles a
  second on 2 kB news, 1,000 on this generated text, the densest here): after
  ``load_gazetteer()``, ``geo.geoparse`` over ``--n`` articles — pass 1 with
  cold caches (``fold``/``loose`` are LRU-cached), pass 2 over the same
  articles (warm), pass 3 over ``--n`` new articles (warm name caches, new
  text: the steady state of a long batch).
* **both cores, command line**: ``--batch`` articles written to a temporary
  JSONL file, then ``frontmap geoparse big.jsonl -o OUT`` (which also joins
  each article's places with the layers and writes JSON). If the command has a
  ``--jobs`` option, ``--jobs 1`` is compared with ``--jobs 2``; otherwise one
  process over the whole batch is compared with two processes run at the same
  time over one half each (and the output says so).
* **events on** (issue 17): the same passes with
  :func:`frontmap.geo.events.extract_events` run on each article's text and
  toponyms after ``geo.geoparse``, as the pipeline does, interleaved with
  geoparse-only passes (``--events-rounds`` rounds, best of each) so that a
  change in the machine's load hits both alike; the report gives both rates
  and the share of the time events take. CPU time of this process
  (``time.process_time``) is reported beside wall time, since the machine may
  be shared.
* ``--profile``: cProfile of a re-run of pass 3, top 15 functions by own time
  (tottime); the profiler roughly doubles the time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FRONTMAP = str(Path(sys.executable).with_name("frontmap"))
SEED = 20200305
#: Issue 16's targets, articles a second on one core: 2 kB news, and the densest text here.
TARGET_NEWS, TARGET_DENSE = 2000, 1000
TARGET_CHARS = 2000

PLACES: dict[str, tuple[str, ...]] = {
    "idlib": (
        "Idlib", "Saraqib", "Maarat al-Numan", "Kafr Nabl", "Ariha", "Jisr al-Shughur",
        "Sarmada", "Atmeh", "Bab al-Hawa", "Khan Shaykhun", "Taftanaz", "Binnish", "Sarmin",
        "Afrin", "Azaz", "Aleppo", "Hama", "Latakia", "Jabal al-Zawiya", "Morek",
        "Darat Izza", "Al-Atarib", "Harem", "Salqin", "Kafr Takharim", "Maarat Misrin",
        "Nayrab", "Tal Rifaat", "Sheir Mughar", "Kafr Halab", "Hmeimim", "Jarablus",
    ),
    "libya": (
        "Tripoli", "Benghazi", "Misrata", "Sirte", "Tarhuna", "Gharyan", "Jufra",
        "Al-Watiya", "Zawiya", "Sabratha", "Ajdabiya", "Ras Lanuf", "Brega", "Sidra",
        "Tobruk", "Derna", "Sabha", "Ain Zara", "Abu Salim", "Tajoura", "Zuwara",
        "Bani Walid", "Qasr bin Ghashir", "Mitiga", "Surman", "Tarhouna", "Misurata",
    ),
    "caucasus": (
        "Stepanakert", "Khankendi", "Shusha", "Shushi", "Jabrayil", "Fuzuli", "Hadrut",
        "Agdam", "Lachin", "Kalbajar", "Martuni", "Goris", "Ganja", "Tartar", "Barda",
        "Yerevan", "Baku", "Zangilan", "Qubadli", "Askeran", "Martakert", "Sugovushan",
        "Talish", "Khojavend", "Nagorno-Karabakh", "Armenia", "Azerbaijan",
    ),
}  # fmt: skip
CAPITALS = (
    "Ankara", "Moscow", "Sochi", "Cairo", "Istanbul", "Tehran", "Abu Dhabi", "Washington",
    "Paris", "Brussels", "Geneva", "Berlin", "Rome", "Doha",
)  # fmt: skip
COUNTRIES = {
    "idlib": ("Syria", "Turkey", "Russia", "Iran"),
    "libya": ("Libya", "Turkey", "Egypt", "Russia", "the United Arab Emirates"),
    "caucasus": ("Turkey", "Russia", "Iran", "Georgia"),
}
PEOPLE = (
    "Ahmed Hassan", "Mariam Aliyeva", "Omar Khaled", "Sergei Petrov", "Leyla Mammadova",
    "Yusuf Demir", "Fatima Salem", "Aram Petrosyan", "Khalifa Mansour",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

PLACE_SENTENCES = (
    "Government forces shelled {p} and {q} overnight, residents reached by telephone said.",
    "Families fleeing {p} headed north towards {q}, where the camps are already full.",
    "Troops reinforced the observation post near {p}, a short drive from {q}.",
    "Fighting continued on {day} on the road between {p} and {q}.",
    "A convoy of trucks was seen leaving {p} before dawn, a witness in {q} said.",
    "Drones struck targets near {p}, the ministry in {c} said, a claim that could not be "
    "independently verified.",
    "The hospital in {p} stopped admitting patients after the strikes, according to {person}.",
    "Local councils in {p} and {q} said water and electricity had been cut for three days.",
    "Fighters loyal to the government in {c} said they had taken the hills west of {p}.",
    "Aid agencies warned that the route from {p} to {q} was no longer safe for civilians.",
    "Artillery fire was heard in {p} until late on {day}, {person} told reporters in {q}.",
    "The front line now runs a few kilometres south of {p}, analysts said.",
    "Officials in {c} and {c2} discussed the situation around {p} by telephone on {day}.",
    "Satellite images showed new earthworks outside {p} and along the approach to {q}.",
    "Schools in {p} remained closed, and many teachers had left for {q} or for {k}.",
    "Traders in {p} said the price of fuel had doubled since the fighting reached {q}.",
    "Residents of {p} described a night of heavy bombardment.",
    "{person}, a farmer from near {p}, said his family had moved three times this year.",
    "The ceasefire agreed in {c} was meant to cover {p}, {q} and the villages around them.",
    "Reinforcements from {k} arrived at the base outside {p} on {day}, officials said.",
)
PROSE = (
    "Officials did not respond to requests for comment.",
    "The United Nations said aid deliveries had been delayed by the fighting.",
    "Prices of bread and cooking gas have risen sharply in recent weeks.",
    "Many of those displaced are women and children, aid workers said.",
    "The talks are expected to resume next week, although no date has been set.",
    "Both sides accused each other of breaking the truce.",
    "The figures could not be confirmed independently.",
    "Analysts said the coming days would show whether the agreement holds.",
    "A spokesman said more than a dozen people had been wounded.",
    "It was the third such attack this month.",
    "Winter rains have turned many of the roads into mud.",
    "The statement gave no details about casualties.",
    "Journalists have had little access to the area since the start of the offensive.",
    "Diplomats described the meeting as frank but constructive.",
    "Power cuts have become longer and more frequent since the summer.",
)


def make_article(rng: random.Random, i: int) -> dict[str, str]:
    """One article of about ``TARGET_CHARS`` characters, mostly about one theatre."""
    theatre = rng.choice(tuple(PLACES))
    parts: list[str] = []
    size = 0
    while size < TARGET_CHARS - 60:
        if rng.random() < 0.7:
            home = theatre if rng.random() < 0.85 else rng.choice(tuple(PLACES))
            p, q = rng.sample(PLACES[home], 2)
            c, c2 = rng.sample(CAPITALS, 2)
            s = rng.choice(PLACE_SENTENCES).format(
                p=p,
                q=q,
                c=c,
                c2=c2,
                k=rng.choice(COUNTRIES[home]),
                day=rng.choice(DAYS),
                person=rng.choice(PEOPLE),
            )
        else:
            s = rng.choice(PROSE)
        parts.append(s)
        size += len(s) + 1
    text = " ".join(parts)
    return {"id": f"bench-{i:05d}", "date": "2020-03-05", "text": text}


def make_articles(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [make_article(rng, i) for i in range(n)]


def _pass(articles: list[dict[str, str]], gaz: object) -> tuple[float, int]:
    from frontmap.geo import geoparse

    t0, c0 = time.perf_counter(), time.process_time()
    found = 0
    for a in articles:
        found += len(geoparse(a["text"], gaz))  # type: ignore[arg-type]
    _CPU[0] = time.process_time() - c0
    return time.perf_counter() - t0, found


# CPU seconds of the last pass: on a loaded machine, articles per CPU second
# is what one core of one's own would do; wall time also counts the waiting.
_CPU = [0.0]


def _timed(articles: list[dict[str, str]], gaz: object, events: bool) -> tuple[float, float, int]:
    """(wall s, CPU s, events found) of geoparse (and extract_events) over the articles."""
    import datetime as dt

    from frontmap.geo import geoparse
    from frontmap.geo.events import extract_events

    day = dt.date(2020, 3, 5)
    t0, c0 = time.perf_counter(), time.process_time()
    found = 0
    for a in articles:
        toponyms = geoparse(a["text"], gaz)  # type: ignore[arg-type]
        if events:
            found += len(extract_events(a["text"], toponyms, day))
    return time.perf_counter() - t0, time.process_time() - c0, found


def events_on(
    label: str,
    articles: list[dict[str, str]],
    gaz: object,
    rounds: int,
    target: int = TARGET_DENSE,
) -> None:
    """Geoparse with and without events, interleaved; best of ``rounds`` each."""
    n = len(articles)
    off: list[tuple[float, float]] = []
    on: list[tuple[float, float]] = []
    found = 0
    for _ in range(rounds):
        wall, cpu, _ = _timed(articles, gaz, False)
        off.append((wall, cpu))
        wall, cpu, found = _timed(articles, gaz, True)
        on.append((wall, cpu))
    w0, c0 = min(x[0] for x in off), min(x[1] for x in off)
    w1, c1 = min(x[0] for x in on), min(x[1] for x in on)
    verdict = "meets" if n / w1 >= target else "misses"
    print(
        f"  {label:34} geoparse {n / w0:5.0f}/s (CPU {n / c0:5.0f}/s); with events "
        f"{n / w1:5.0f}/s (CPU {n / c1:5.0f}/s); events take {100 * (c1 - c0) / c0:4.1f} % "
        f"more CPU; {found / n:.1f} events/article (target {target}/s: {verdict})"
    )


def _real_news(n: int) -> list[dict[str, str]]:
    """Up to ``n`` pieces of ~2,000 characters of the GeoWebNews articles in
    ../shared/eval, when present (an evaluation step: never in the tests)."""
    path = REPO.parent / "shared" / "eval" / "geowebnews.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        out.extend({"text": text[i : i + 2000]} for i in range(0, len(text) - 1000, 2000))
    return out[:n]


def _report(
    label: str,
    seconds: float,
    articles: list[dict[str, str]],
    found: int,
    target: int = TARGET_DENSE,
) -> None:
    n = len(articles)
    chars = sum(len(a["text"]) for a in articles)
    rate = n / seconds
    verdict = "meets" if rate >= target else "misses"
    print(
        f"  {label:34} {seconds:7.2f} s  {rate:7.0f} articles/s  "
        f"{chars / seconds / 1e3:6.0f} k chars/s  {found / n:5.1f} toponyms/article  "
        f"(target {target}/s: {verdict}); {n / max(_CPU[0], 1e-9):5.0f} articles per CPU second"
    )


def _has_jobs() -> bool:
    done = subprocess.run(
        [FRONTMAP, "geoparse", "--help"], capture_output=True, text=True, check=False
    )
    return "--jobs" in done.stdout


def _timed_parallel(cmds: list[list[str]]) -> float:
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(c, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for c in cmds
    ]
    for p, c in zip(procs, cmds, strict=True):
        _, err = p.communicate()
        if p.returncode != 0:
            sys.exit(f"bench_geoparse: {' '.join(c)} exited {p.returncode}:\n{err.decode()}")
    return time.perf_counter() - t0


def _write_jsonl(path: Path, articles: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a, ensure_ascii=False) + "\n")


def _count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in fh)


def batch(n: int) -> None:
    """Time ``frontmap geoparse`` over ``n`` articles on one and on two cores."""
    articles = make_articles(n, SEED + 10)
    with tempfile.TemporaryDirectory(prefix="frontmap-bench-geoparse-") as tmp:
        big = Path(tmp) / "big.jsonl"
        _write_jsonl(big, articles)
        mb = big.stat().st_size / 2**20
        print(f"\nboth cores: `frontmap geoparse` on {n:,} articles ({mb:.1f} MB JSONL)")
        out1, out2 = Path(tmp) / "one.jsonl", Path(tmp) / "two.jsonl"
        if _has_jobs():
            how = "--jobs 1 vs --jobs 2"
            t1 = _timed_parallel([[FRONTMAP, "geoparse", str(big), "-o", str(out1), "--jobs", "1"]])
            t2 = _timed_parallel([[FRONTMAP, "geoparse", str(big), "-o", str(out2), "--jobs", "2"]])
            lines = (_count_lines(out1), _count_lines(out2))
        else:
            how = "no --jobs option: one process vs two processes at once, half the batch each"
            half = n // 2
            a, b = Path(tmp) / "a.jsonl", Path(tmp) / "b.jsonl"
            _write_jsonl(a, articles[:half])
            _write_jsonl(b, articles[half:])
            oa, ob = Path(tmp) / "oa.jsonl", Path(tmp) / "ob.jsonl"
            t1 = _timed_parallel([[FRONTMAP, "geoparse", str(big), "-o", str(out1)]])
            t2 = _timed_parallel(
                [
                    [FRONTMAP, "geoparse", str(a), "-o", str(oa)],
                    [FRONTMAP, "geoparse", str(b), "-o", str(ob)],
                ]
            )
            lines = (_count_lines(out1), _count_lines(oa) + _count_lines(ob))
        print(f"  ({how})")
        print(f"  one core:  {t1:7.1f} s  {n / t1:6.0f} articles/s  ({lines[0]:,} records)")
        print(f"  two cores: {t2:7.1f} s  {n / t2:6.0f} articles/s  ({lines[1]:,} records)")
        print(f"  speed-up {t1 / t2:.2f}x")


def time_file(path: Path) -> None:
    """Worker of ``--baseline``: CPU seconds of ``geoparse`` over the last three
    quarters of a JSONL file's articles, after the first quarter.

    Runs with whatever ``frontmap`` the process imports (this checkout, or the
    baseline's tree first on ``PYTHONPATH``); prints one JSON line.
    """
    import frontmap
    from frontmap.geo import geoparse, load_gazetteer

    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    gaz = load_gazetteer()
    # The first quarter warms the caches; the rest is new text, as in a feed.
    warm, timed = texts[: len(texts) // 4], texts[len(texts) // 4 :]
    for t in warm:
        geoparse(t, gaz)
    c0 = time.process_time()
    found = sum(len(geoparse(t, gaz)) for t in timed)
    cpu = time.process_time() - c0
    print(json.dumps({"cpu": cpu, "found": found, "package": str(Path(frontmap.__file__).parent)}))


def stages(label: str, texts: list[str], gaz: object, reps: int = 3) -> None:
    """Where geoparse's time goes: the rate of each step and of all before it.

    Each row runs the steps up to and including its own over every text (best
    of ``reps``, CPU time), so the rate of the first rows is a ceiling on what
    geoparse can reach while those steps stay as they are.
    """
    from frontmap.geo import extract as x
    from frontmap.geo import geoparse

    def rate(step: Callable[[str], object]) -> float:
        best = math.inf
        for _ in range(reps):
            c0 = time.process_time()
            for t in texts:
                step(t)
            best = min(best, time.process_time() - c0)
        return len(texts) / best

    def regex(t: str) -> None:
        for a, b in x.sentences(t):
            for _m in x._TOKEN.finditer(t, a, b):
                pass

    def tokens(t: str) -> None:
        for a, b in x.sentences(t):
            x._tokens_glue(t, a, b)

    rows = [
        ("sentences", x.sentences),
        ("+ the token expression, matches only", regex),
        ("+ token objects and glue", tokens),
        ("+ windows and their keys (_candidate_spans)", x._candidate_spans),
        ("+ look-up, rules, unknown names (extract)", lambda t: x.extract(t, gaz)),
        ("+ resolution (geoparse)", lambda t: geoparse(t, gaz)),
    ]
    print(f"\nwhere the time goes, {label} ({len(texts):,} texts; rate of the steps so far):")
    total = rate(rows[-1][1])
    for name, step in rows[:-1]:
        r = rate(step)
        print(f"  {name:<48} {r:7.0f} articles per CPU second ({total / r:4.0%} of geoparse)")
    print(f"  {rows[-1][0]:<48} {total:7.0f} articles per CPU second")


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    return (xs[(len(xs) - 1) // 2] + xs[len(xs) // 2]) / 2


def against_baseline(rev: str, n: int, rounds: int) -> None:
    """This checkout against git revision ``rev``: one pass each, in turn, ``rounds`` times.

    Each side runs in a fresh process on the same articles (generated dense
    text; real news when ../shared is present), timed in CPU seconds over the
    last three quarters, after the gazetteer is loaded and the first quarter
    has warmed the caches (new text with warm caches, as in a feed). The ratio (baseline CPU ÷
    this CPU, medians) is the speed-up, and holds on a loaded machine where
    articles a second do not.
    """
    from _baseline import baseline_env, baseline_tree

    sets = {"generated, 33 toponyms a 2 kB article": make_articles(n, SEED + 1)}
    news = _real_news(n)
    if news:
        sets["real news, ../shared GeoWebNews"] = news
    with tempfile.TemporaryDirectory() as tmp:
        site = baseline_tree(rev, Path(tmp) / "baseline")
        sides = {"this": dict(os.environ), rev: baseline_env(site)}
        print(
            f"\nagainst {rev}: CPU of geoparse over new text, caches warmed by the first"
            f" quarter; fresh processes in turn, {rounds} rounds"
        )
        for label, articles in sets.items():
            path = Path(tmp) / "articles.jsonl"
            _write_jsonl(path, articles)
            cpu: dict[str, list[float]] = {side: [] for side in sides}
            found: dict[str, int] = {}
            for _ in range(rounds):
                for side, env in sides.items():
                    cmd = [sys.executable, __file__, "--time-file", str(path)]
                    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
                    row = json.loads(out.stdout.strip().splitlines()[-1])
                    cpu[side].append(row["cpu"])
                    found[side] = row["found"]
            this, base = _median(cpu["this"]), _median(cpu[rev])
            k = len(articles) - len(articles) // 4
            print(
                f"  {label}: {k:,} articles; this {k / this:6.0f}/s, {rev} {k / base:6.0f}/s "
                f"(per CPU second, medians); speed-up {base / this:.2f}x; "
                f"toponyms {found['this']:,} vs {found[rev]:,}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--time-file":
        time_file(Path(sys.argv[2]))  # before REPO goes on sys.path: a baseline imports its own
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="articles per pass (default 2000)")
    parser.add_argument("--batch", type=int, default=10_000, help="CLI batch (0: skip)")
    parser.add_argument("--profile", action="store_true", help="cProfile pass 3 again (top 15)")
    parser.add_argument(
        "--events-rounds", type=int, default=3, help="interleaved rounds with and without events"
    )
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="only compare this checkout with git revision REV (interleaved processes)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --baseline (default 5)")
    args = parser.parse_args(argv)
    if args.baseline:
        against_baseline(args.baseline, args.n, args.rounds)
        return 0
    sys.path.insert(0, str(REPO))
    from frontmap.geo import load_gazetteer

    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; load average {load_avg}")
    articles = make_articles(args.n, SEED)
    fresh = make_articles(args.n, SEED + 1)
    mean_chars = sum(len(a["text"]) for a in articles) / len(articles)
    t0 = time.perf_counter()
    gaz = load_gazetteer()
    print(f"load_gazetteer: {(time.perf_counter() - t0) * 1e3:.0f} ms")
    print(
        f"\none core, in process: geo.geoparse over {args.n:,} articles of ~{mean_chars:.0f} chars"
    )
    t, found = _pass(articles, gaz)
    _report("pass 1 (cold caches)", t, articles, found)
    t, found = _pass(articles, gaz)
    _report("pass 2 (same articles, warm)", t, articles, found)
    t, found = _pass(fresh, gaz)
    _report("pass 3 (new articles, warm)", t, fresh, found)
    news = _real_news(args.n)
    if news:
        # Real news is far less dense in place names than the generated text.
        t, found = _pass(news, gaz)
        _report("real news, ../shared GeoWebNews", t, news, found, TARGET_NEWS)
    print(f"\nevents on (issue 17): best of {args.events_rounds} interleaved rounds")
    events_on("generated, pass 3 articles", fresh, gaz, args.events_rounds)
    if news:
        events_on("real news, ../shared GeoWebNews", news, gaz, args.events_rounds, TARGET_NEWS)
    stages("generated, pass 3 articles", [a["text"] for a in fresh[:500]], gaz)
    if news:
        stages("real news, ../shared GeoWebNews", [a["text"] for a in news[:500]], gaz)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        t, found = _pass(fresh, gaz)
        prof.disable()
        _report("pass 3 again, under cProfile", t, fresh, found)
    if args.batch > 0:
        batch(args.batch)
    if args.profile:
        print("\ncProfile of pass 3 (re-run), top 15 by tottime:")
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
