"""Shared test paths, skip marks and the session gazetteer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
SHARED_EVAL = SHARED / "eval"
CHROMIUM = Path("/usr/bin/chromium")

needs_shared = pytest.mark.skipif(
    not (SHARED_EVAL / "seed-gold.jsonl").exists(),
    reason="../shared/eval is absent (evaluation data is not part of the repository)",
)
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and shutil.which("chromium") is None,
    reason="Debian's chromium is not installed (run ./setup.sh)",
)


@pytest.fixture(scope="session")
def gazetteer():
    """The real gazetteer (built by ./setup.sh; built here on first use otherwise)."""
    from frontmap.geo import load_gazetteer

    return load_gazetteer()
