"""A small match job (30 custody records, 300 field reports of the sample) for tests that run
whole jobs many times: quick settings, one worker."""

from __future__ import annotations

from pathlib import Path

from linkage.settings import Settings
from tests.conftest import SAMPLE

QUICK = Settings(random_pairs=5000, workers=1)


def small_inputs(folder: Path) -> tuple[Path, Path]:
    """Write the first 30 custody and 300 field rows of the sample into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    custody, field = folder / "custody.csv", folder / "field.csv"
    lines = (SAMPLE / "custody.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    custody.write_text("".join(lines[:31]), encoding="utf-8")
    lines = (SAMPLE / "field.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    field.write_text("".join(lines[:301]), encoding="utf-8")
    return custody, field


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a job folder by relative path (manifest.json without its timings)."""
    import json

    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "manifest.json":
            manifest = json.loads(data)
            manifest.pop("timings")
            data = json.dumps(manifest, sort_keys=True).encode()
        out[path.relative_to(folder).as_posix()] = data
    return out
