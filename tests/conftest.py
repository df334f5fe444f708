"""Shared fixtures: one match job on the bundled sample, run once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def review_job(sample_job):
    """The sample's job reopened for review (:func:`linkage.review.load_job`), loaded once."""
    from linkage.review import load_job

    return load_job(sample_job)
