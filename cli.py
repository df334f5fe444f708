"""Command line of Reencuentro: match, demo, synth, evaluate, visits, review.

    python cli.py match --custody CUSTODY --field FIELD --out OUTDIR [--top-k K] [--config FILE]
        [--engine spark [--spark-master URL]]
    python cli.py demo
    python cli.py synth --out DIR [--custody N] [--field N] [--seed S] [--difficulty hard]
    python cli.py evaluate --matches OUTDIR --truth TRUTH.csv
    python cli.py review OUTDIR [--reviewer NAME] [--port N] [--lang es|en]
    python cli.py visits OUTDIR/leads/*.xlsx --out decisions.csv
    python cli.py --version

The CLI only parses arguments and calls the library (``linkage``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from linkage.job import JobOutput


def _parser() -> argparse.ArgumentParser:
    from linkage import __version__

    parser = argparse.ArgumentParser(prog="reencuentro", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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

    visits = sub.add_parser("visits", help="read visit results back from filled-in lead sheets")
    visits.add_argument("sheets", nargs="+", type=Path, help="lead workbooks (leads/*.xlsx)")
    visits.add_argument("--out", required=True, type=Path, help="decisions CSV to write")
    visits.add_argument(
        "--audit-log", type=Path, help="audit log to append to (default: beside --out)"
    )

    evaluate = sub.add_parser("evaluate", help="score a job's matches against true pairs")
    evaluate.add_argument("--matches", required=True, type=Path, help="a match job's output folder")
    evaluate.add_argument("--truth", required=True, type=Path, help="CSV of custody_id, field_id")
    evaluate.add_argument("--threshold", type=_probability, default=0.5)
    evaluate.add_argument("--json", action="store_true", help="print JSON")

    review = sub.add_parser("review", help="review a job's cases in the browser")
    review.add_argument("outdir", type=Path, help="a match job's output folder")
    review.add_argument("--reviewer", default=getpass.getuser(), help="name kept with decisions")
    review.add_argument("--port", type=int, default=8765)
    review.add_argument("--lang", choices=["es", "en"], default="es")
    review.add_argument("--host", default="127.0.0.1", help="address to listen on")
    review.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other than this computer (the data can then be reached)",
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not from 0 to 1")
    return value


def _job_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--top-k", type=_positive_int, default=None, help="candidate people kept per custody record"
    )
    p.add_argument("--config", type=Path, help="TOML settings file")
    p.add_argument("--mapping", type=Path, help="TOML header mapping for both files")
    p.add_argument("--sheet", help="Excel sheet to read in both files (default: the first)")
    p.add_argument("--custody-sheet", help="Excel sheet of the custody file (overrides --sheet)")
    p.add_argument("--field-sheet", help="Excel sheet of the field file (overrides --sheet)")
    p.add_argument(
        "--header-row",
        type=_positive_int,
        default=None,
        help="row holding the headers in both files, 1 = first (default: found below any title "
        "rows; per file: custody_header_row / field_header_row in --config)",
    )
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
    p.add_argument(
        "--engine",
        choices=["embedded", "spark"],
        default=None,
        help="embedded (this machine, the default) or spark (Apache Spark: pip install '.[spark]')",
    )
    p.add_argument(
        "--spark-master", help="Spark master URL (spark://host:7077, local[4]; default: local)"
    )


def run_match(
    args: argparse.Namespace, custody: Path, field: Path, truth: Path | None = None
) -> JobOutput:
    from linkage.job import run_job
    from linkage.settings import load_settings

    settings = load_settings(args.config).replace(
        top_k=args.top_k,
        seed=args.seed,
        one_to_one=args.one_to_one,
        engine=args.engine,
        spark_master=args.spark_master,
        use_prior=args.use_prior,
        custody_header_row=args.header_row,
        field_header_row=args.header_row,
    )
    return run_job(
        custody,
        field,
        args.out,
        settings,
        mapping=args.mapping,
        sheet=args.sheet,
        custody_sheet=args.custody_sheet,
        field_sheet=args.field_sheet,
        model=args.model,
        labels=args.labels,
        audit_log=args.audit_log,
        truth=truth,
        lang=args.lang,
        redact=args.redact,
        quiet=args.quiet,
    )


#: exit codes (README "Exit codes"); 2 is argparse's for a wrong command line
EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT, EXIT_INTERNAL = 0, 2, 3, 4, 5


def main(argv: list[str] | None = None) -> int:
    from linkage.blocking import BlockingError
    from linkage.decisions import AuditLogError, DecisionsError
    from linkage.errors import InputError, OutputError, SettingsError

    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    try:
        code = _command(args)
    except (InputError, BlockingError, DecisionsError, AuditLogError) as exc:
        return _fail(exc, EXIT_INPUT)
    except SettingsError as exc:
        return _fail(exc, EXIT_USAGE)
    except OutputError as exc:
        return _fail(exc, EXIT_OUTPUT)
    except BrokenPipeError:
        # the reader went away (``evaluate | head``): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # anything else is a bug: one line, and a way to see the traceback
        if os.environ.get("REENCUENTRO_TRACEBACK"):
            raise
        message = (
            f"internal error ({type(exc).__name__}: {exc}); see REENCUENTRO_TRACEBACK in README"
        )
        return _fail(message, EXIT_INTERNAL)
    return EXIT_OK if code is None else code


def _fail(problem: object, code: int) -> int:
    text = " / ".join(str(problem).splitlines())
    print(f"error: {text}", file=sys.stderr)
    return code


def _command(args: argparse.Namespace) -> int | None:
    if args.command == "review":
        return _review(args)
    if args.command == "match":
        run_match(args, args.custody, args.field)
        print(f"wrote {args.out}")
    elif args.command == "demo":
        from linkage.job import SAMPLE

        done = run_match(args, SAMPLE / "custody.csv", SAMPLE / "field.csv", SAMPLE / "truth.csv")
        f = done.figures
        found = round(f["recall_at_1"] * f["custody_with_true_match"])
        print(
            f"{found} of {f['custody_with_true_match']} custody records with a true match "
            f"had it ranked first (recall@1 {f['recall_at_1']:.3f}, "
            f"recall@5 {f['recall_at_5']:.3f}, F1 {f['f1_at_best']:.3f} at best threshold); "
            f"outputs in {args.out}"
        )
    elif args.command == "visits":
        from linkage.decisions import append_audit_log
        from linkage.visits import read_visits, write_visit_decisions

        found = read_visits(args.sheets)
        write_visit_decisions(found, args.out)
        audit = args.audit_log or args.out.parent / "audit_log.jsonl"
        logged = append_audit_log(audit, found, source="visits")
        counts = found["decision"].value_counts()
        print(
            f"read {len(found)} visit results ({counts.get('match', 0)} found, "
            f"{counts.get('non-match', 0)} not the person, {counts.get('unsure', 0)} notes) "
            f"into {args.out}; {logged} new in {audit}"
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
        from linkage.evaluate import evaluate, format_figures, read_truth

        matches = _read_output(args.matches, "matches.parquet")
        pairs_path = args.matches / "pairs.parquet"
        pairs = pd.read_parquet(pairs_path) if pairs_path.exists() else None
        figures = evaluate(matches, read_truth(args.truth), pairs, args.threshold)
        print(json.dumps(figures, indent=2) if args.json else format_figures(figures))
        sys.stdout.flush()


def _review(args: argparse.Namespace) -> int:
    from linkage.review_app.server import serve

    if not (args.outdir / "manifest.json").is_file():
        print(
            f"error: {args.outdir}: no manifest.json, not a match job's output folder",
            file=sys.stderr,
        )
        return 2
    try:
        serve(args.outdir, args.reviewer, args.port, args.lang, args.host, args.allow_remote)
    except KeyboardInterrupt:
        return 0
    except (ValueError, OSError) as exc:
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
