"""Rewrite data/layers/*.geojson: ``python -m frontmap.layers.authoring [THEATRE...]``."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import write_collection

OUT = Path(__file__).resolve().parents[2] / "data" / "layers"

DESCRIPTIONS = {
    "idlib": "Idlib and northwest Syria: zones, areas of control, front lines, roads, "
    "observation posts. Written by layers/authoring/idlib.py; see README.md.",
    "libya": "Libya: areas of control of the GNA and the LNA, front lines, the Sirte-Jufra "
    "line, air bases. Written by layers/authoring/libya.py; see README.md.",
    "caucasus": "Nagorno-Karabakh: the former NKAO, the line of contact, the 2020 war, the "
    "10 November 2020 ceasefire. Written by layers/authoring/caucasus.py; see README.md.",
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
