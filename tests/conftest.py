"""Shared fixtures: one match job on the bundled sample, run once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red build is a real bug, reproducible); locally every
# run draws new ones; "search" is for the longer randomized search of README "Tests".
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("search", derandomize=False, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def sample_job(tmp_path_factory) -> Path:
    """Output folder of ``cli.py match`` on the committed sample (quiet)."""
    import cli

    out = tmp_path_factory.mktemp("job")
    code = cli.main(
        [
            "match",
            "--custody",
            str(SAMPLE / "custody.csv"),
            "--field",
            str(SAMPLE / "field.csv"),
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    return out
