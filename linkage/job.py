"""A whole match job from files to a job folder: what ``cli.py match`` and ``demo`` run.

:func:`run_job` reads both files, links them (:func:`linkage.pipeline.link`), and writes every
output of the contract into one folder: matches, pairs, model, manifest, rejects, lead sheets
and the run report. Notebooks call it as the CLI does.

>>> done = run_job(SAMPLE / "custody.csv", SAMPLE / "field.csv", "out/demo")  # doctest: +SKIP
>>> done.result.matches.head()                                              # doctest: +SKIP
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from linkage.comparisons import default_comparisons
from linkage.decisions import append_audit_log, read_decisions
from linkage.evaluate import evaluate
from linkage.io import load_mapping, read_records
from linkage.model import FellegiSunter
from linkage.outputs import write_outputs
from linkage.pipeline import LinkResult, link
from linkage.reports.leads import write_lead_sheets
from linkage.reports.run_report import write_run_report
from linkage.settings import Settings
from normalizers.resources import data_path

log = logging.getLogger("reencuentro")

#: the bundled synthetic sample (custody.csv, field.csv, truth.csv), installed with the package
SAMPLE = data_path("sample")


@dataclass
class JobOutput:
    """What :func:`run_job` produced: the linked result, the evaluation when a truth file was
    given, and the folder written."""

    result: LinkResult
    figures: dict[str, object] | None
    outdir: Path


def run_job(
    custody: str | Path,
    field: str | Path,
    outdir: str | Path,
    settings: Settings | None = None,
    *,
    mapping: str | Path | None = None,
    sheet: str | None = None,
    model: str | Path | None = None,
    labels: str | Path | None = None,
    audit_log: str | Path | None = None,
    truth: str | Path | None = None,
    lang: str = "es",
    redact: bool = False,
    quiet: bool = True,
) -> JobOutput:
    """Match ``custody`` against ``field`` (CSV, XLSX or Parquet paths) and write ``outdir``.

    ``mapping``: TOML header mapping for both files; ``sheet``: the Excel sheet to read;
    ``model``: a saved model.json to score with instead of learning one; ``labels``: reviewer
    decisions (every decision read is appended to ``audit_log``, by default
    ``outdir/audit_log.jsonl``); ``truth``: CSV of true pairs, evaluated in the run report;
    ``lang`` and ``redact``: lead sheets and report in Spanish or English, ID numbers hidden.
    """
    settings = settings or Settings()
    outdir = Path(outdir)
    header_map = load_mapping(mapping)
    custody_read = read_records(custody, header_map, sheet)
    field_read = read_records(field, header_map, sheet)
    fitted = None
    if model is not None:
        fitted = FellegiSunter.load(model, default_comparisons(settings))
    decisions = None
    if labels is not None:
        decisions = read_decisions(labels)
        audit = Path(audit_log) if audit_log is not None else outdir / "audit_log.jsonl"
        audit.parent.mkdir(parents=True, exist_ok=True)
        append_audit_log(audit, decisions, source=str(labels))
    result = link(
        custody_read, field_read, settings, model=fitted, decisions=decisions, quiet=quiet
    )
    write_outputs(result, outdir, {"custody": custody_read, "field": field_read})
    figures = None
    if truth is not None:
        truth_frame = pd.read_csv(truth, dtype=str)
        figures = evaluate(result.matches, truth_frame, result.pairs, settings.threshold)
    write_lead_sheets(
        result, outdir, lang=lang, redact=redact, threshold=settings.lead_threshold
    )
    write_run_report(result, outdir / "report.html", evaluation=figures, lang=lang)
    log.info(
        "wrote %d pairs for %d custody records to %s",
        len(result.matches),
        result.matches["custody_id"].nunique(),
        outdir,
    )
    return JobOutput(result, figures, outdir)
