"""Rewrite data/layers/*.geojson: ``python -m frontmap.layers.authoring [THEATRE...]``."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import write_collection

OUT = Path(__file__).resolve().parents[2] / "data" / "layers"

DESCRIPTIONS = {
    "idlib": "Syria, Idlib and northwest Syria in detail: zones, areas of control, front "
    "lines, roads, observation posts, from 2018 to today. Written by "
    "layers/authoring/idlib.py and syria2024.py; see README.md.",
    "libya": "Libya: areas of control of the GNA (the GNU from March 2021) and the LNA, "
    "front lines, the 2020 ceasefire and Sirte-Jufra lines, air bases, fighting in Tripoli. "
    "Written by layers/authoring/libya.py; see README.md.",
    "caucasus": "Armenia, Azerbaijan and Nagorno-Karabakh: the former NKAO, the line of "
    "contact, the 2020 war and its handovers, the Lachin corridor and the blockade, the end "
    "of the Armenian-held area in 2023, positions across the Armenian border, the 2025 route "
    "through Syunik. Written by layers/authoring/caucasus.py; see README.md.",
}


def main(argv: list[str]) -> int:
    import importlib

    names = argv or list(DESCRIPTIONS)
    for name in names:
        module = importlib.import_module(f".{name}", __package__)
        feats = module.features()
        path = OUT / f"{name}.geojson"
        write_collection(path, feats, DESCRIPTIONS[name])
        print(f"{path}: {len(feats)} features, {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
