"""Gazetteer coverage of the shared gold names (issue 3): does ``locate`` put them right?

Run: ``.venv/bin/python bench/coverage.py [--eval ../shared/eval] [--all-types]
[--gold bench/articles/own-gold.jsonl ...]`` (not part of the tests; exits 2
when the evaluation folder is absent; ``--gold`` adds gold files in the seed
format, scored the same way).

For each distinct gold name (by its surface string) of

* ``seed-gold.jsonl`` — every toponym, with its explicit ``kind``;
* ``gwn-conflict-subset.jsonl`` — the in-region toponyms (those with a
  ``region`` field); GeoWebNews gold has no kind: a gold whose ``geonameid`` is
  a country's (the gazetteer's countries, read as ``geo.evaluate`` reads
  them) is a country, anything else a populated place (a second figure takes
  kinds from GeoNames feature codes, as ``geo.evaluate`` does, for
  comparison). Adjectival uses (types ``Non_Literal_Modifier`` and
  ``Embedded_Non_Lit``: "Syrian") are left out unless ``--all-types``;

the candidates of ``geo.load_gazetteer().search(name)`` (what ``frontmap
locate`` prints) are compared with the gold point, within the tolerance of the
evaluation README by kind: populated places, sites, camps, mountains, other
10 km; roads 25; admin regions 50; regions 150; water 300; countries the same
ISO code or within 300 km (GeoWebNews countries: the code only, their gold
points being GeoNames centroids). A name that occurs with several golds is
scored against its most frequent one. Printed per file: the number of distinct
names, the share whose top candidate is within tolerance, the share with any
of the top 5 within tolerance, for GeoWebNews also the share within 161 km
(countries by code), and every name that failed, with the distance of its top
candidate. Names only are printed, never article text.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO.parent / "shared" / "eval"


def _tolerance(kind: str) -> float:
    """Tolerance in km for a gold kind, as ``frontmap evaluate`` scores it."""
    from frontmap.geo.evaluate import TOLERANCE_KM

    return TOLERANCE_KM.get(kind, TOLERANCE_KM["other"])


ADJECTIVAL = frozenset({"Non_Literal_Modifier", "Embedded_Non_Lit"})
TOP_K = 5


@dataclass(frozen=True)
class Gold:
    """The gold reading of a name: point, kind and ISO country code (None: unknown)."""

    name: str
    lat: float
    lon: float
    kind: str
    code: str | None
    label: str  # canonical name or GeoNames id, for the failure list
    region: str = ""


@dataclass
class Outcome:
    gold: Gold
    n_mentions: int
    top: str  # "name (CC, kind)" of the top candidate, or "-"
    top_km: float | None
    top_ok: bool
    top5_ok: bool
    best5_km: float | None
    top_161: bool


def _read_jsonl(path: Path) -> list[dict]:
    from frontmap.geo.evaluate import load_jsonl

    return load_jsonl(path)


def seed_golds(path: Path) -> dict[str, list[Gold]]:
    out: dict[str, list[Gold]] = defaultdict(list)
    for rec in _read_jsonl(path):
        for t in rec["toponyms"]:
            code = t.get("country")
            code = None if not code or code == "XX" else str(code).upper()
            out[t["surface"]].append(
                Gold(t["surface"], t["lat"], t["lon"], t["kind"], code, t.get("canonical", ""))
            )
    return out


def gwn_golds(
    path: Path, all_types: bool, *, feature_kinds: bool = False
) -> tuple[dict[str, list[Gold]], int]:
    """In-region GWN golds by name, and the number of adjectival mentions left out.

    With ``feature_kinds``, a gold that is not a country by its id takes its
    kind from its GeoNames feature code (``geo.evaluate.kind_of_feature``), or
    is a country when its name is a country's, as ``geo.evaluate`` does.
    """
    from frontmap.geo.evaluate import country_of_geonameid, country_of_name, kind_of_feature

    out: dict[str, list[Gold]] = defaultdict(list)
    skipped = 0
    for rec in _read_jsonl(path):
        for t in rec["toponyms"]:
            if "region" not in t:
                continue
            if not all_types and t.get("type") in ADJECTIVAL:
                skipped += 1
                continue
            gid = t.get("geonameid")
            gid = int(gid) if isinstance(gid, int | str) and str(gid).isdigit() else None
            kind, code = "populated_place", None
            if gid is not None and country_of_geonameid(gid):
                kind, code = "country", country_of_geonameid(gid)
            elif feature_kinds:
                fkind = kind_of_feature(t.get("fclass"), t.get("fcode"))
                if fkind is not None:
                    kind = fkind
                elif gid is None and country_of_name(t["name"]):
                    kind, code = "country", country_of_name(t["name"])
            label = f"geonames:{gid}" if gid is not None else "no geonameid"
            if t.get("gaz_name"):
                label += f" {t['gaz_name']}"
            out[t["name"]].append(
                Gold(t["name"], t["lat"], t["lon"], kind, code, label, t["region"])
            )
    return out, skipped


def _majority(golds: list[Gold]) -> Gold:
    """The most frequent reading (kind and point rounded to 0.1°), first seen on ties."""
    keys = [(g.kind, round(g.lat, 1), round(g.lon, 1)) for g in golds]
    best = Counter(keys).most_common(1)[0][0]
    return golds[keys.index(best)]


def _within(gold: Gold, place: object, km: float, *, code_only: bool) -> bool:
    if gold.kind == "country":
        if gold.code and gold.code == getattr(place, "country", None):
            return True
        if code_only:
            return False
    return km <= _tolerance(gold.kind)


def score(golds: dict[str, list[Gold]], *, code_only: bool) -> list[Outcome]:
    from frontmap.errors import InputError
    from frontmap.geo import haversine_km, load_gazetteer

    gaz = load_gazetteer()
    out = []
    for name, readings in golds.items():
        g = _majority(readings)
        try:
            cands = gaz.search(name, limit=TOP_K)
        except InputError:
            cands = []
        kms = [haversine_km(g.lat, g.lon, c.place.lat, c.place.lon) for c in cands]
        oks = [
            _within(g, c.place, km, code_only=code_only) for c, km in zip(cands, kms, strict=True)
        ]
        if cands:
            p = cands[0].place
            top = f"{p.name} ({p.country}, {p.kind}, {cands[0].match})"
            top_161 = (g.kind == "country" and g.code == p.country) or kms[0] <= 161.0
        else:
            top, top_161 = "-", False
        out.append(
            Outcome(
                gold=g,
                n_mentions=len(readings),
                top=top,
                top_km=kms[0] if kms else None,
                top_ok=bool(oks and oks[0]),
                top5_ok=any(oks),
                best5_km=min(kms) if kms else None,
                top_161=top_161,
            )
        )
    return out


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:5.1f}% ({k}/{n})" if n else "  n/a"


def report(
    title: str, outcomes: list[Outcome], *, with_161: bool, alt: list[Outcome] | None = None
) -> None:
    n = len(outcomes)
    mentions = sum(o.n_mentions for o in outcomes)
    print(f"\n== {title}: {n} distinct names ({mentions} mentions)")
    print(f"  top-1 within tolerance: {_pct(sum(o.top_ok for o in outcomes), n)}")
    print(f"  any of top {TOP_K} within:   {_pct(sum(o.top5_ok for o in outcomes), n)}")
    weighted = sum(o.n_mentions for o in outcomes if o.top_ok)
    print(f"  top-1, weighted by mentions: {_pct(weighted, mentions)}")
    if with_161:
        k161 = sum(o.top_161 for o in outcomes)
        print(f"  top-1 within 161 km (countries by code): {_pct(k161, n)}")
    if alt is not None:
        k_alt = sum(o.top_ok for o in alt)
        print(f"  top-1 within tolerance, kinds from GeoNames feature codes: {_pct(k_alt, n)}")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.gold.kind].append(o)
    print("  by gold kind: " + "; ".join(
        f"{k} {sum(o.top_ok for o in v)}/{len(v)}" for k, v in sorted(by_kind.items())
    ))  # fmt: skip
    if any(o.gold.region for o in outcomes):
        by_region: dict[str, list[Outcome]] = defaultdict(list)
        for o in outcomes:
            by_region[o.gold.region].append(o)
        print("  by region: " + "; ".join(
            f"{k} {sum(o.top_ok for o in v)}/{len(v)}" for k, v in sorted(by_region.items())
        ))  # fmt: skip
    failed = sorted((o for o in outcomes if not o.top_ok), key=lambda o: o.gold.name.lower())
    print(f"  failed ({len(failed)}): name [gold kind, tolerance; gold] -> top candidate, km"
          f" (best of top {TOP_K})")  # fmt: skip
    for o in failed:
        g = o.gold
        tol = _tolerance(g.kind)
        km = "no candidate" if o.top_km is None else f"{o.top_km:,.0f} km"
        best = "" if o.best5_km is None else f" (best {o.best5_km:,.0f} km"
        best += ", within)" if o.top5_ok else ")" if best else ""
        where = f" {g.region}" if g.region else ""
        print(
            f"    {g.name!r} x{o.n_mentions} [{g.kind}, {tol:.0f} km; {g.label}{where}] "
            f"-> {o.top}, {km}{best}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="evaluation folder")
    parser.add_argument("--all-types", action="store_true", help="keep adjectival GWN golds")
    parser.add_argument(
        "--gold",
        type=Path,
        nargs="*",
        default=[],
        help="more gold files in the seed format (bench/articles/own-gold.jsonl ...)",
    )
    args = parser.parse_args(argv)
    seed = args.eval / "seed-gold.jsonl"
    gwn = args.eval / "gwn-conflict-subset.jsonl"
    missing = [p for p in (seed, gwn) if not p.is_file()]
    if missing:
        print(
            f"coverage: {', '.join(map(str, missing))} not found: the shared evaluation data "
            f"(../shared/eval beside the repository) is needed; nothing measured",
            file=sys.stderr,
        )
        return 2
    sys.path.insert(0, str(REPO))
    report(seed.name, score(seed_golds(seed), code_only=False), with_161=False)
    golds, skipped = gwn_golds(gwn, args.all_types)
    title = f"{gwn.name}, in-region toponyms"
    if skipped:
        title += f" ({skipped} adjectival mentions left out)"
    alt_golds, _ = gwn_golds(gwn, args.all_types, feature_kinds=True)
    alt = score(alt_golds, code_only=True)
    report(title, score(golds, code_only=True), with_161=True, alt=alt)
    for path in args.gold:
        report(path.name, score(seed_golds(path), code_only=False), with_161=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
