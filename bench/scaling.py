"""How the embedded engine scales: one realistic job per size, time per candidate pair.

Each size is generated once into ``--workdir`` (``linkage.synth.generate``, seed 0, realistic;
not timed) and run by :mod:`bench.run_tool` in its own process, as in :mod:`bench.compare_tools`:
wall time from reading the CSVs to the ranked candidates, peak memory as the PSS of the whole
process tree, quality from ``linkage.evaluate``. Prints one Markdown table.

    python -m bench.scaling --sizes 2000x20000,20000x200000,200000x2000000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.compare_tools import Setting, run_once

COLUMNS = ("custody x field", "pairs", "pairs/true", "block_rec", "rec@1", "F1@best")
UNITS = ("wall_s", "peak_MB", "us/pair")


def _size(text: str) -> tuple[int, int]:
    custody, _, field = text.lower().partition("x")
    return int(custody), int(field)


def row(n_custody: int, n_field: int, figures: dict[str, object]) -> str:
    """One Markdown table row of a run's figures (or why it stopped)."""
    label = f"{n_custody:,} x {n_field:,}"
    if "stopped" in figures:
        return f"| {label} | {figures['stopped']} |" + " |" * (len(COLUMNS) + len(UNITS) - 2)
    pairs = float(figures["scored_pairs"])
    seconds = float(figures["seconds"])
    cells = [
        label,
        f"{pairs:,.0f}",
        f"{pairs / max(float(figures['true_pairs']), 1):.0f}",
        f"{figures['blocking_recall']:.3f}",
        f"{figures['recall_at_1']:.3f}",
        f"{figures['f1_at_best']:.3f}",
        f"{seconds:.1f}",
        f"{figures['peak_mb']:,.0f}",
        f"{1e6 * seconds / max(pairs, 1):.1f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000x20000,20000x200000,200000x2000000")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rb-scale")
    parser.add_argument("--timeout-min", type=float, default=30.0, help="per run")
    parser.add_argument("--max-gb", type=float, default=16.0, help="memory cap per run")
    args = parser.parse_args(argv)

    lines = [
        "| " + " | ".join(COLUMNS + UNITS) + " |",
        "|" + "---|" * (len(COLUMNS) + len(UNITS)),
    ]
    for text in args.sizes.split(","):
        n_custody, n_field = _size(text)
        key = f"{n_custody}x{n_field}"
        setting = Setting(key, key, False, True, n_custody, n_field, "realistic")
        print(f"{key}: preparing", file=sys.stderr, flush=True)
        folder = setting.prepare(args.workdir)
        print(f"{key}: running", file=sys.stderr, flush=True)
        figures = run_once("project", setting, folder, args.timeout_min * 60, args.max_gb * 1024)
        lines.append(row(n_custody, n_field, figures))
        print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
