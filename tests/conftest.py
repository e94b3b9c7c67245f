"""Shared test paths, skip marks and the session gazetteer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# The property and fuzzing tests draw the same examples every run, so that a
# test run goes red only on a change that breaks something (a random draw once
# found an old bug in CI on an unrelated change). To look for new cases, draw
# afresh: `HYPOTHESIS_PROFILE=explore FUZZ_EXAMPLES=400 .venv/bin/python -m
# pytest tests/test_fuzz.py tests/test_properties.py`.
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

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
