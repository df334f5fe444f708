"""Locate the reference data tables shipped under ``data/``.

The tables install as the package ``reencuentro_data`` (see pyproject.toml), so an installed
copy finds them as well as a checkout does.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("names", "nicknames.csv")``."""
    try:
        root = Path(str(resources.files("reencuentro_data")))
    except ModuleNotFoundError:
        root = Path(__file__).resolve().parent.parent / "data"
    path = root.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"reference data file missing: {path}")
    return path
