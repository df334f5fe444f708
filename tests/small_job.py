"""A small match job (30 custody records, 300 field reports of the sample) for tests that run
whole jobs many times: quick settings, one worker."""

from __future__ import annotations

from pathlib import Path

from linkage.settings import Settings
from tests.conftest import SAMPLE

QUICK = Settings(random_pairs=5000, workers=1)


def small_inputs(folder: Path, part: int = 0) -> tuple[Path, Path]:
    """Write 30 custody records of the sample and 300 field reports (their true matches, then
    others) into ``folder``: the first ones, or the ``part``-th such slice (other people)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (SAMPLE / "custody.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    chosen = lines[1 + part * 30 : 1 + (part + 1) * 30]
    ids = {line.split(",", 1)[0] for line in chosen}
    truth = (SAMPLE / "truth.csv").read_text(encoding="utf-8").splitlines()[1:]
    true_field = {f for c, f in (t.split(",") for t in truth) if c in ids}
    custody = folder / "custody.csv"
    custody.write_text(lines[0] + "".join(chosen), encoding="utf-8")
    lines = (SAMPLE / "field.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [line for line in lines[1:] if line.split(",", 1)[0] in true_field]
    others = [line for line in lines[1 + part * 300 :] if line.split(",", 1)[0] not in true_field]
    field = folder / "field.csv"
    field.write_text(lines[0] + "".join(rows + others[: 300 - len(rows)]), encoding="utf-8")
    return custody, field


def quick_config(folder: Path) -> Path:
    """A settings file with :data:`QUICK`'s values, for jobs run through the CLI."""
    path = folder / "quick.toml"
    path.write_text(f"random_pairs = {QUICK.random_pairs}\nworkers = {QUICK.workers}\n")
    return path


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
