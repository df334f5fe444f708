"""Command line of Reencuentro: match, demo, synth, evaluate.

    python cli.py match --custody CUSTODY --field FIELD --out OUTDIR [--top-k K] [--config FILE]
    python cli.py demo
    python cli.py synth --out DIR [--custody N] [--field N] [--seed S] [--difficulty hard]
    python cli.py evaluate --matches OUTDIR --truth TRUTH.csv

The CLI only parses arguments and calls the library (``linkage``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from linkage.job import JobOutput


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reencuentro", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    match = sub.add_parser("match", help="link a custody file to a field file")
    match.add_argument(
        "--custody", required=True, type=Path, help="custody records (CSV, XLSX, Parquet)"
    )
    match.add_argument(
        "--field", required=True, type=Path, help="field reports (CSV, XLSX, Parquet)"
    )
    match.add_argument("--out", required=True, type=Path, help="output folder")
    _job_options(match)

    demo = sub.add_parser("demo", help="the match job on the bundled sample data")
    demo.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder")
    _job_options(demo)

    synth = sub.add_parser("synth", help="write a synthetic custody/field/truth set")
    synth.add_argument("--out", required=True, type=Path)
    synth.add_argument("--custody", type=int, default=300, help="custody records")
    synth.add_argument("--field", type=int, default=3000, help="field reports")
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--difficulty", choices=["realistic", "hard"], default="realistic")

    evaluate = sub.add_parser("evaluate", help="score a job's matches against true pairs")
    evaluate.add_argument("--matches", required=True, type=Path, help="a match job's output folder")
    evaluate.add_argument("--truth", required=True, type=Path, help="CSV of custody_id, field_id")
    evaluate.add_argument("--threshold", type=float, default=0.5)
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _job_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--top-k", type=int, default=None, help="candidate people kept per custody record"
    )
    p.add_argument("--config", type=Path, help="TOML settings file")
    p.add_argument("--mapping", type=Path, help="TOML header mapping for both files")
    p.add_argument("--sheet", help="Excel sheet to read (default: the first)")
    p.add_argument(
        "--model", type=Path, help="score with a saved model.json instead of learning one"
    )
    p.add_argument(
        "--no-prior",
        action="store_false",
        dest="use_prior",
        default=None,
        help="learn the model from the data alone, without the shipped prior model",
    )
    p.add_argument("--labels", type=Path, help="reviewer decisions file (CSV or XLSX)")
    p.add_argument(
        "--audit-log",
        type=Path,
        help="append-only log of every decision read (default: OUTDIR/audit_log.jsonl)",
    )
    p.add_argument("--seed", type=int, default=None)
    p.add_argument(
        "--one-to-one", action="store_true", default=None, help="optimal one-to-one assignment"
    )
    p.add_argument("--lang", choices=["es", "en"], default="es", help="language of lead sheets")
    p.add_argument("--redact", action="store_true", help="hide ID numbers in lead sheets")
    p.add_argument("--quiet", action="store_true", help="no progress display")


def run_match(
    args: argparse.Namespace, custody: Path, field: Path, truth: Path | None = None
) -> JobOutput:
    from linkage.job import run_job
    from linkage.settings import load_settings

    settings = load_settings(args.config).replace(
        top_k=args.top_k, seed=args.seed, one_to_one=args.one_to_one, use_prior=args.use_prior
    )
    return run_job(
        custody,
        field,
        args.out,
        settings,
        mapping=args.mapping,
        sheet=args.sheet,
        model=args.model,
        labels=args.labels,
        audit_log=args.audit_log,
        truth=truth,
        lang=args.lang,
        redact=args.redact,
        quiet=args.quiet,
    )


def main(argv: list[str] | None = None) -> int:
    from linkage.blocking import BlockingError
    from linkage.decisions import AuditLogError, DecisionsError
    from linkage.errors import InputError

    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    try:
        if args.command == "match":
            run_match(args, args.custody, args.field)
            print(f"wrote {args.out}")
        elif args.command == "demo":
            from linkage.job import SAMPLE

            done = run_match(
                args, SAMPLE / "custody.csv", SAMPLE / "field.csv", SAMPLE / "truth.csv"
            )
            f = done.figures
            found = round(f["recall_at_1"] * f["custody_with_true_match"])
            print(
                f"{found} of {f['custody_with_true_match']} custody records with a true match "
                f"had it ranked first (recall@1 {f['recall_at_1']:.3f}, "
                f"recall@5 {f['recall_at_5']:.3f}, F1 {f['f1_at_best']:.3f} at best threshold); "
                f"outputs in {args.out}"
            )
        elif args.command == "synth":
            from linkage.synth import generate

            data = generate(args.custody, args.field, seed=args.seed, difficulty=args.difficulty)
            data.write(args.out)
            print(
                f"wrote {len(data.custody)} custody, {len(data.field)} field and "
                f"{len(data.truth)} true pairs to {args.out}"
            )
        elif args.command == "evaluate":
            from linkage.evaluate import evaluate, format_figures

            matches = _read_output(args.matches, "matches.parquet")
            pairs_path = args.matches / "pairs.parquet"
            pairs = pd.read_parquet(pairs_path) if pairs_path.exists() else None
            truth = pd.read_csv(args.truth, dtype=str)
            figures = evaluate(matches, truth, pairs, args.threshold)
            print(json.dumps(figures, indent=2) if args.json else format_figures(figures))
    except (InputError, BlockingError, DecisionsError, AuditLogError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _read_output(folder: Path, name: str) -> pd.DataFrame:
    from linkage.errors import InputError

    path = folder / name
    if not path.exists():
        raise InputError(path, "no such file: is this a match job's output folder?")
    return pd.read_parquet(path)


if __name__ == "__main__":
    sys.exit(main())
