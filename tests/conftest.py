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
#: reference data kept beside the repository (X/main and X/shared/reference), or where
#: REENCUENTRO_REFERENCE points
REFERENCE = Path(os.environ.get("REENCUENTRO_REFERENCE", ROOT.parent / "shared" / "reference"))


def reference_file(name: str) -> Path:
    """A file of the shared reference data; a test needing it fails in CI when it is missing
    (a skip there would hide that the check never ran) and is skipped elsewhere."""
    path = REFERENCE / name
    if not path.is_file():
        message = f"reference file {path} is missing"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


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


@pytest.fixture(scope="session")
def review_job(sample_job):
    """The sample's job reopened for review (:func:`linkage.review.load_job`), loaded once."""
    from linkage.review import load_job

    return load_job(sample_job)
