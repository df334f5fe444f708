"""Run one tool on one prepared setting, in its own process, and write its figures as JSON.

Timing starts before the input CSVs are read and stops when the tool has ranked its candidates;
``peak_rss_mb`` is the maximum resident set size of this process (or of its largest child) at
that moment; DuckDB runs inside the process, so Splink's database is counted. The parent
(:mod:`bench.compare_tools`) also samples the whole process tree, for tools that fork workers.
Scoring against the truth comes after both. Each tool imports its own libraries only, so none
carries another's memory.

    python -m bench.run_tool splink /tmp/reencuentro-bench/a out.json --field-day-first
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from linkage.evaluate import evaluate

TOP_K = 10
_SELF, _CHILDREN = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN

#: what a tool returns: its top matches, how many pairs it scored, and a function giving the
#: rows of a truth table that reached scoring
Scored = tuple[pd.DataFrame, int, Callable[[pd.DataFrame], pd.DataFrame]]
Tool = Callable[[pd.DataFrame, pd.DataFrame, bool, bool], Scored]


def _merge_scored(pairs: pd.DataFrame) -> Callable[[pd.DataFrame], pd.DataFrame]:
    keys = pairs[["custody_id", "field_id"]].astype(str)
    return lambda truth: truth[["custody_id", "field_id"]].astype(str).merge(keys)


def run_project(
    custody: pd.DataFrame, field: pd.DataFrame, custody_day_first: bool, field_day_first: bool
) -> Scored:
    from linkage.pipeline import link
    from linkage.settings import Settings

    settings = Settings(custody_day_first=custody_day_first, field_day_first=field_day_first)
    result = link(custody, field, settings=settings, top_k=TOP_K, quiet=True)
    matches = result.matches[["custody_id", "field_id", "rank", "match_probability"]]
    return matches, len(result.pairs), _merge_scored(result.pairs)


def run_recordlinkage(
    custody: pd.DataFrame, field: pd.DataFrame, custody_day_first: bool, field_day_first: bool
) -> Scored:
    from bench.baselines_recordlinkage import score
    from bench.ranking import top_matches

    pairs = score(custody, field, custody_day_first, field_day_first)
    return top_matches(pairs, TOP_K), len(pairs), _merge_scored(pairs)


def run_splink(
    custody: pd.DataFrame, field: pd.DataFrame, custody_day_first: bool, field_day_first: bool
) -> Scored:
    from bench.baselines_splink import score

    scores = score(custody, field, custody_day_first, field_day_first)
    return scores.matches, scores.scored_pairs, scores.scored_among


def brier_kept(matches: pd.DataFrame, truth: pd.DataFrame) -> float:
    """Brier score over the pairs a tool kept (its top candidates of each custody record): the
    mean of (match_probability - 1 if the pair is true else 0) squared; 0.0 when none was kept.

    >>> kept = pd.DataFrame({"custody_id": ["C1", "C1"], "field_id": ["F1", "F2"],
    ...                      "match_probability": [0.9, 0.4]})
    >>> brier_kept(kept, pd.DataFrame({"custody_id": ["C1"], "field_id": ["F1"]}))
    0.085
    """
    if matches.empty:
        return 0.0

    def keys(frame: pd.DataFrame) -> zip:
        return zip(frame["custody_id"].astype(str), frame["field_id"].astype(str), strict=True)

    true_keys = set(keys(truth))
    is_true = [key in true_keys for key in keys(matches)]
    errors = (matches["match_probability"].to_numpy(dtype=float) - is_true) ** 2
    return round(float(errors.mean()), 4)


TOOLS: dict[str, Tool] = {
    "project": run_project,
    "recordlinkage": run_recordlinkage,
    "splink": run_splink,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("data", type=Path, help="folder with custody.csv, field.csv, truth.csv")
    parser.add_argument("out", type=Path, help="JSON file to write the figures to")
    parser.add_argument("--custody-day-first", action="store_true")
    parser.add_argument("--field-day-first", action="store_true")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    read = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}
    custody = pd.read_csv(args.data / "custody.csv", **read)
    field = pd.read_csv(args.data / "field.csv", **read)
    matches, n_pairs, scored_among = TOOLS[args.tool](
        custody, field, args.custody_day_first, args.field_day_first
    )
    seconds = time.perf_counter() - start
    peak_kb = max(resource.getrusage(who).ru_maxrss for who in (_SELF, _CHILDREN))
    peak_mb = peak_kb / 1024

    truth = pd.read_csv(args.data / "truth.csv", dtype=str)
    figures = evaluate(matches, truth, scored_among(truth))
    figures["scored_pairs"] = n_pairs
    figures["brier_kept"] = brier_kept(matches, truth)
    figures.update(seconds=round(seconds, 2), peak_rss_mb=round(peak_mb, 1))
    args.out.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
