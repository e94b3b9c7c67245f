"""Evaluation on ../shared/eval (skipped when it is absent, as for a user's clone).

These guard the done-criteria of the first issue against regressions: the
seed articles map into all three theatres, and geoparse finds their gold
toponyms. The texts stay in ../shared; nothing of them is copied here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontmap.cli import main

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
pytestmark = pytest.mark.skipif(
    not (SHARED_EVAL / "seed-gold.jsonl").exists(),
    reason="../shared/eval is absent (evaluation data is not part of the repository)",
)


def test_seed_articles_map_into_every_theatre(tmp_path, capsys) -> None:
    assert main(["map", str(SHARED_EVAL / "seed-articles.jsonl"), "-o", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["caucasus.html", "idlib.html", "index.html", "libya.html"]
    capsys.readouterr()
    assert main(["geoparse", str(SHARED_EVAL / "seed-articles.jsonl")]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_theatre: dict[str, set[str]] = {}
    for r in records:
        for t in r["toponyms"]:
            by_theatre.setdefault(t["theatre"], set()).add(t["name"])
    assert {"Idlib", "Jabal al-Dweila"} <= by_theatre["idlib"]
    assert "Tripoli" in by_theatre["libya"]
    assert {"Nagorno-Karabakh", "Armenia", "Azerbaijan"} <= by_theatre["caucasus"]
    for name in ("Jabal al-Dweila", "Idlib"):
        assert name in (tmp_path / "idlib.html").read_text(encoding="utf-8")


def test_seed_gold_is_found_and_placed(tmp_path, capsys) -> None:
    pred = tmp_path / "pred.jsonl"
    assert main(["geoparse", str(SHARED_EVAL / "seed-articles.jsonl"), "-o", str(pred)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(SHARED_EVAL / "seed-gold.jsonl"), str(pred), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)["overall"]
    assert result["overlap"]["recall"] >= 0.9
    assert result["overlap"]["precision"] >= 0.9
    assert result["end_to_end"]["accuracy"] >= 0.9
