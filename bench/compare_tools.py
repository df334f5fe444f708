"""Side-by-side benchmark: the project, recordlinkage 0.16 and Splink 5 (DuckDB) on the same files.

Settings: (a) realistic synthetic set, 1,000 custody by 5,000 field rows; (b) the same sizes at
the "hard" difficulty; (c) FEBRL4 mapped onto the schema; (d) the realistic set at 20,000 by
200,000 rows, for wall time and peak memory. Inputs are written first (not timed); each tool then
runs in its own process, timed from reading the CSVs to its ranked candidates, and is scored by
``linkage.evaluate.evaluate``. A run that passes the time limit or the memory cap is stopped and
reported as such. Figures are medians over ``--repeat`` runs (``--repeat-large`` for (d)).

    .venv/bin/python -m bench.compare_tools --settings a,b,c,d --repeat 3 --repeat-large 1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("project", "recordlinkage", "splink")


@dataclass(frozen=True)
class Setting:
    key: str
    title: str
    custody_day_first: bool
    field_day_first: bool
    n_custody: int = 0
    n_field: int = 0
    difficulty: str = ""

    def prepare(self, workdir: Path) -> Path:
        """Write the setting's custody, field and truth CSVs (again only when their recipe changed:
        sizes, difficulty, or the generator's source)."""
        folder = workdir / self.key
        stamp = folder / "stamp.json"
        spec = json.dumps([self.n_custody, self.n_field, self.difficulty, _generator_digest()])
        if stamp.exists() and stamp.read_text() == spec:
            return folder
        if self.key == "c":
            from bench.febrl import load

            load().write(folder)
        else:
            from linkage.synth import generate

            generate(self.n_custody, self.n_field, seed=0, difficulty=self.difficulty).write(folder)
        stamp.write_text(spec)
        return folder


def _generator_digest() -> str:
    """Digest of the synthetic generator's and the FEBRL mapping's source files."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "linkage").glob("synth*.py")) + [ROOT / "bench" / "febrl.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


SETTINGS = {
    "a": Setting("a", "realistic 1k x 5k", False, True, 1_000, 5_000, "realistic"),
    "b": Setting("b", "hard 1k x 5k", False, True, 1_000, 5_000, "hard"),
    "c": Setting("c", "FEBRL4 5k x 5k", False, False),
    "d": Setting("d", "realistic 20k x 200k", False, True, 20_000, 200_000, "realistic"),
}


def run_once(
    tool: str, setting: Setting, folder: Path, timeout: float, max_mb: float
) -> dict[str, object]:
    """One tool on one setting in a child process; its figures, or why it stopped."""
    with tempfile.TemporaryDirectory() as tmp:
        out, log = Path(tmp) / "figures.json", Path(tmp) / "stderr.txt"
        command = [sys.executable, "-m", "bench.run_tool", tool, str(folder), str(out)]
        command += ["--custody-day-first"] * setting.custody_day_first
        command += ["--field-day-first"] * setting.field_day_first
        with log.open("w") as err:
            child = subprocess.Popen(command, cwd=ROOT, stdout=err, stderr=err)
            stopped, peak_mb = _watch(child, timeout, max_mb)
        if stopped:
            return {"stopped": stopped}
        if child.returncode != 0:
            lines = log.read_text(errors="replace").strip().splitlines()
            last = lines[-1] if lines else f"exit {child.returncode}"
            return {"stopped": f"failed: {last[:120]}"}
        figures = json.loads(out.read_text())
        figures["peak_mb"] = round(max(peak_mb, figures["peak_rss_mb"]), 1)
        return figures


def _tree_mb(process: psutil.Process) -> float:
    """Memory of a process and its children: proportional set size, so pages that forked
    workers share with their parent count once."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


def _watch(child: subprocess.Popen, timeout: float, max_mb: float) -> tuple[str, float]:
    """Wait for ``child`` while sampling its memory; kill it past the time limit or the memory
    cap. Returns why it was stopped ("" if it was not) and the peak memory seen, in MB."""
    watched = psutil.Process(child.pid)
    start, peak = time.monotonic(), 0.0
    while child.poll() is None:
        try:
            peak = max(peak, _tree_mb(watched))
        except psutil.NoSuchProcess:
            break
        stopped = ""
        if peak > max_mb:
            stopped = f"stopped: over {max_mb / 1024:.0f} GB"
        elif time.monotonic() - start > timeout:
            stopped = f"stopped: over {timeout / 60:.0f} min"
        if stopped:
            child.kill()
            child.wait()
            return stopped, peak
        time.sleep(0.2)
    child.wait()
    return "", peak


def median_figures(runs: list[dict[str, object]]) -> dict[str, object]:
    """Median of each figure over the runs that finished; the first reason if none did."""
    done = [r for r in runs if "stopped" not in r]
    if not done:
        return runs[0]
    return {k: statistics.median(r[k] for r in done) for k in done[0]}


COLUMNS = (
    ("pairs", "scored_pairs", "{:,.0f}"),
    ("block_rec", "blocking_recall", "{:.3f}"),
    ("rec@1", "recall_at_1", "{:.3f}"),
    ("rec@5", "recall_at_5", "{:.3f}"),
    ("rec@10", "recall_at_10", "{:.3f}"),
    ("mrr", "mrr", "{:.3f}"),
    ("P@best", "precision_at_best", "{:.3f}"),
    ("R@best", "recall_at_best", "{:.3f}"),
    ("F1@best", "f1_at_best", "{:.3f}"),
    ("wall_s", "seconds", "{:.1f}"),
    ("peak_MB", "peak_mb", "{:,.0f}"),
)


def table(results: dict[tuple[str, str], dict[str, object]]) -> str:
    """The results as one Markdown table, a row per setting and tool."""
    head = ["setting", "tool", *(c[0] for c in COLUMNS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (key, tool), figures in sorted(results.items()):
        cells = [f"({key}) {SETTINGS[key].title}", tool]
        if "stopped" in figures:
            cells += [str(figures["stopped"])] + [""] * (len(COLUMNS) - 1)
        else:
            cells += [fmt.format(figures[name]) for _, name, fmt in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def target_checks(results: dict[tuple[str, str], dict[str, object]]) -> list[str]:
    """The issue's targets, each with the measured figures and whether it is met."""
    lines = []

    def get(key: str, tool: str, name: str) -> float | None:
        figures = results.get((key, tool), {})
        return None if "stopped" in figures or name not in figures else float(figures[name])

    for name, floor in (("recall_at_1", 0.95), ("recall_at_5", 0.98), ("f1_at_best", 0.93)):
        ours = get("a", "project", name)
        if ours is None:
            continue
        others = [get("a", t, name) for t in ("recordlinkage", "splink")]
        above = all(o is None or ours > o for o in others)
        met = "met" if ours >= floor and above else "NOT met"
        shown = ", ".join(f"{t} {o}" for t, o in zip(("rl", "splink"), others, strict=True))
        lines.append(f"(a) {name} >= {floor} and above baselines: {ours} ({shown}) -> {met}")
    febrl = get("c", "project", "f1_at_best")
    if febrl is not None:
        lines.append(f"(c) f1_at_best >= 0.99: {febrl} -> {'met' if febrl >= 0.99 else 'NOT met'}")
    for name, label in (("seconds", "wall time"), ("peak_mb", "peak memory")):
        ours, theirs = get("d", "project", name), get("d", "splink", name)
        if ours is not None and theirs is not None:
            met = "met" if ours <= theirs / 2 else "NOT met"
            lines.append(f"(d) {label} <= half of Splink's: {ours} vs {theirs} -> {met}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="a,b,c,d", help="comma-separated: a,b,c,d")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tools")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool on (a), (b), (c)")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per tool on (d)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rb-bench")
    parser.add_argument("--timeout-min", type=float, default=15.0, help="per run")
    parser.add_argument("--max-gb", type=float, default=10.0, help="memory cap per run")
    parser.add_argument("--out", type=Path, help="also keep the table here, rewritten per result")
    args = parser.parse_args(argv)

    keys = [k.strip() for k in args.settings.split(",") if k.strip()]
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(keys) - set(SETTINGS)) + sorted(set(tools) - set(TOOLS))
    if unknown:
        parser.error(f"unknown settings or tools: {unknown}")
    results: dict[tuple[str, str], dict[str, object]] = {}
    for key in keys:
        setting = SETTINGS[key]
        folder = setting.prepare(args.workdir)
        for tool in tools:
            runs = []
            for run in range(args.repeat_large if key == "d" else args.repeat):
                print(f"({key}) {tool} run {run + 1}", file=sys.stderr, flush=True)
                runs.append(
                    run_once(tool, setting, folder, args.timeout_min * 60, args.max_gb * 1024)
                )
                if "stopped" in runs[-1]:
                    break
            results[(key, tool)] = median_figures(runs)
            print(f"({key}) {tool}: {json.dumps(results[(key, tool)])}", file=sys.stderr)
            if args.out:
                args.out.write_text(report(results), encoding="utf-8")
    print(report(results))


def report(results: dict[tuple[str, str], dict[str, object]]) -> str:
    """The table, then the targets."""
    return table(results) + "\n\n" + "\n".join(target_checks(results)) + "\n"


if __name__ == "__main__":
    main()
