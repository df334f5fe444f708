"""The model table of issue 10: the project, Splink and recordlinkage on small and large jobs,
with birth dates or ages only on the field side, on FEBRL4 and on real public person records.

Every tool runs on the same files, in its own process, as :mod:`bench.compare_tools` runs it
(:func:`bench.compare_tools.run_once`), and is scored by ``linkage.evaluate.evaluate``: recall@1
and @5, F1 at the best threshold and at p = 0.5, and the Brier score of the pairs it kept. Settings
with several seeds report medians. Real data sets are read from ``--data-dir`` (prepared by
``bench/prepare_*.py``; see bench/README.md); a set that is not there is listed as missing.

    .venv/bin/python -m bench.model_table --data-dir ~/bench-data --out /tmp/model-table.md
    .venv/bin/python -m bench.model_table --quick --settings gen40,gen40-ages --tools project
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.compare_tools import TOOLS, Setting, run_once

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    """One row group of the table: a data setting and how its files are made."""

    key: str
    title: str
    seeds: int = 1  # medians over this many seeds (generator settings only)
    n_custody: int = 0
    n_field: int = 0
    ages: bool = False  # field side: ages at a report date instead of birth dates
    real: str = ""  # folder under --data-dir holding a prepared real set
    custody_day_first: bool = False
    field_day_first: bool = True

    def folders(self, workdir: Path, data_dir: Path | None, quick: bool) -> list[Path]:
        """The job folders of this setting, one per seed, written when missing or stale."""
        if self.real:
            folder = (data_dir or Path("/nonexistent")) / self.real
            return [folder] if (folder / "truth.csv").exists() else []
        if self.key == "febrl4":
            return [_cached(workdir / "febrl4", _febrl)]
        seeds = min(self.seeds, 3) if quick else self.seeds
        return [
            _cached(
                workdir / f"gen{self.n_custody}x{self.n_field}-s{seed}{'-ages' * self.ages}",
                _generator(self.n_custody, self.n_field, seed, self.ages),
            )
            for seed in range(seeds)
        ]


def _generator(n_custody: int, n_field: int, seed: int, ages: bool) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        from bench.ages_only import ages_only
        from linkage.synth import SynthData, generate

        data = generate(n_custody, n_field, seed=seed)
        if ages:
            data = SynthData(data.custody, ages_only(data.field, seed=seed), data.truth)
        data.write(folder)

    return write


def _febrl(folder: Path) -> None:
    from bench.febrl import load

    load().write(folder)


def _cached(folder: Path, write: Callable[[Path], None]) -> Path:
    """``folder`` after writing it with ``write`` unless it was written by the same sources."""
    stamp = folder / "stamp.json"
    digest = _source_digest()
    if not (stamp.exists() and stamp.read_text() == digest):
        write(folder)
        stamp.write_text(digest)
    return folder


def _source_digest() -> str:
    """Digest of the generator's, the FEBRL mapping's and the ages converter's sources."""
    paths = sorted((ROOT / "linkage").glob("synth*.py")) + sorted(
        (ROOT / "linkage").glob("synth/**/*.py")
    )
    paths += [ROOT / "bench" / "febrl.py", ROOT / "bench" / "ages_only.py"]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return json.dumps(digest.hexdigest()[:16])


CASES = {
    c.key: c
    for c in (
        Case("gen40", "generator 40 x 60", 10, 40, 60),
        Case("gen40-ages", "generator 40 x 60, ages only", 10, 40, 60, ages=True),
        Case("gen100", "generator 100 x 300", 10, 100, 300),
        Case("gen100-ages", "generator 100 x 300, ages only", 10, 100, 300, ages=True),
        Case("gen300", "generator 300 x 3,000", 1, 300, 3_000),
        Case("gen300-ages", "generator 300 x 3,000, ages only", 1, 300, 3_000, ages=True),
        Case("gen1k", "generator 1,000 x 5,000", 1, 1_000, 5_000),
        Case("gen1k-ages", "generator 1,000 x 5,000, ages only", 1, 1_000, 5_000, ages=True),
        Case("febrl4", "FEBRL4 5,000 x 5,000", field_day_first=False),
        Case(
            "union-army",
            "Union Army 1,000 x 5,000 (real; census vs service records, ages only)",
            real="union_army",
            field_day_first=False,
        ),
        Case(
            "historical-dates",
            "historical persons 1,000 x 5,000 (real, Wikidata; birth dates)",
            real="historical_dates",
            field_day_first=False,
        ),
        Case(
            "historical-ages",
            "historical persons 1,000 x 5,000 (real, Wikidata; ages only)",
            real="historical_ages",
            field_day_first=False,
        ),
        Case(
            "legislators-es",
            "legislators 2,978 x 1,056 (real, Spanish names; official rolls vs Wikidata)",
            real="legislators_es",
            field_day_first=False,
        ),
        Case(
            "legislators-es-ages",
            "legislators 2,978 x 1,056 (real, Spanish names; Wikidata ages only)",
            real="legislators_es_ages",
            field_day_first=False,
        ),
    )
}

#: (column heading, figure name, format)
COLUMNS = (
    ("rec@1", "recall_at_1", "{:.3f}"),
    ("rec@5", "recall_at_5", "{:.3f}"),
    ("F1@best", "f1_at_best", "{:.3f}"),
    ("F1@0.5", "f1_at_threshold", "{:.3f}"),
    ("Brier", "brier_kept", "{:.3f}"),
    ("block_rec", "blocking_recall", "{:.3f}"),
    ("s/run", "seconds", "{:.1f}"),
)


def summarize(runs: list[dict[str, object]]) -> dict[str, object]:
    """Medians of the figures over the runs that finished, with how many ran; the first
    reason if none finished."""
    done = [r for r in runs if "stopped" not in r]
    if not done:
        return runs[0]
    figures = [k for k, v in done[0].items() if isinstance(v, int | float)]  # not tables
    out: dict[str, object] = {k: statistics.median(float(r[k]) for r in done) for k in figures}
    out["runs"] = f"{len(done)}/{len(runs)}"
    return out


def table(results: dict[tuple[str, str], dict[str, object]]) -> str:
    """One Markdown table: a row per setting and tool."""
    head = ["setting", "tool", "runs", *(c[0] for c in COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (key, tool), figures in results.items():
        cells = [CASES[key].title, tool]
        if "stopped" in figures:
            cells += [str(figures["stopped"])] + [""] * len(COLUMNS)
        else:
            cells.append(str(figures["runs"]))
            cells += [fmt.format(float(figures[name])) for _, name, fmt in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(
    results: dict[tuple[str, str], dict[str, object]], timings: dict[str, float], missing: list[str]
) -> str:
    """The table, the wall time of each setting (every tool and seed), and missing sets."""
    lines = [table(results), "", "Wall time per setting (all tools and seeds, files cached):"]
    lines += [f"- {CASES[k].title}: {s:.0f} s" for k, s in timings.items()]
    if missing:
        lines += ["", "Not run (no prepared files under --data-dir): " + ", ".join(missing)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default=",".join(CASES), help="comma-separated keys")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools")
    parser.add_argument("--data-dir", type=Path, help="folder of prepared real data sets")
    parser.add_argument("--quick", action="store_true", help="at most 3 seeds per setting")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rb-table")
    parser.add_argument("--timeout-min", type=float, default=15.0, help="per run")
    parser.add_argument("--max-gb", type=float, default=6.0, help="memory cap per run")
    parser.add_argument("--out", type=Path, help="also write the table here (after every row)")
    args = parser.parse_args(argv)

    keys = [k.strip() for k in args.settings.split(",") if k.strip()]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(keys) - set(CASES)) + sorted(set(tools) - set(TOOLS))
    if unknown:
        parser.error(f"unknown settings or tools: {unknown}")
    results: dict[tuple[str, str], dict[str, object]] = {}
    timings: dict[str, float] = {}
    missing: list[str] = []
    for key in keys:
        case = CASES[key]
        folders = case.folders(args.workdir, args.data_dir, args.quick)
        if not folders:
            missing.append(key)
            continue
        setting = Setting(key, case.title, case.custody_day_first, case.field_day_first)
        start = time.monotonic()
        for tool in tools:
            runs = []
            for folder in folders:
                print(f"{key} {tool} {folder.name}", file=sys.stderr, flush=True)
                runs.append(
                    run_once(tool, setting, folder, args.timeout_min * 60, args.max_gb * 1024)
                )
            results[(key, tool)] = summarize(runs)
            print(f"{key} {tool}: {json.dumps(results[(key, tool)])}", file=sys.stderr)
            timings[key] = time.monotonic() - start
            if args.out:
                args.out.write_text(report(results, timings, missing), encoding="utf-8")
    text = report(results, timings, missing)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
