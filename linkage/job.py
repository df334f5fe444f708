"""A whole match job from files to a job folder: what ``cli.py match`` and ``demo`` run.

:func:`run_job` reads both files, links them (:func:`linkage.pipeline.link`), and writes every
output of the contract into one folder: matches, pairs, model, manifest, rejects, lead sheets
and the run report. Notebooks call it as the CLI does.

>>> done = run_job(SAMPLE / "custody.csv", SAMPLE / "field.csv", "out/demo")  # doctest: +SKIP
>>> done.result.matches.head()                                              # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from linkage.comparisons import default_comparisons
from linkage.decisions import append_audit_log, read_decisions
from linkage.errors import InputError
from linkage.evaluate import evaluate, read_truth
from linkage.headers import describe_ignored
from linkage.io import ReadResult, load_mapping, read_records
from linkage.jobdir import job_folder
from linkage.model import FellegiSunter
from linkage.outputs import write_outputs
from linkage.pipeline import LinkResult, link
from linkage.progress import Progress
from linkage.reasons import first_of_each
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
    custody_sheet: str | None = None,
    field_sheet: str | None = None,
    model: str | Path | None = None,
    labels: str | Path | None = None,
    audit_log: str | Path | None = None,
    truth: str | Path | None = None,
    lang: str = "es",
    redact: bool = False,
    quiet: bool = True,
) -> JobOutput:
    """Match ``custody`` against ``field`` (CSV, XLSX or Parquet paths) and write ``outdir``.

    ``mapping``: TOML header mapping for both files; ``sheet``: the Excel sheet to read in
    both, ``custody_sheet`` and ``field_sheet`` in one (default: the first); the header row of
    each file is ``settings.custody_header_row`` / ``field_header_row`` (0: found);
    ``model``: a saved model.json to score with instead of learning one; ``labels``: reviewer
    decisions (every decision read is appended to ``audit_log``, by default
    ``outdir/audit_log.jsonl``); ``truth``: CSV of true pairs, evaluated in the run report;
    ``lang`` and ``redact``: lead sheets and report in Spanish or English, ID numbers hidden.

    The folder is written whole or not at all (:func:`linkage.jobdir.job_folder`): files of an
    earlier run in ``outdir`` are replaced, an audit log inside it is carried over.
    """
    settings = settings or Settings()
    outdir = Path(outdir)
    audit, carried = _audit_path(outdir, audit_log)
    with job_folder(outdir, carry=carried) as work:
        header_map = load_mapping(mapping)
        fitted = _load_model(model, settings) if model is not None else None
        decisions = read_decisions(labels) if labels is not None else None
        truth_frame = read_truth(truth) if truth is not None else None
        custody_read = read_records(
            custody, header_map, custody_sheet or sheet, settings.custody_header_row or None
        )
        field_read = read_records(
            field, header_map, field_sheet or sheet, settings.field_header_row or None
        )
        for side, read in (("custody", custody_read), ("field", field_read)):
            _log_reading(side, read)
        if decisions is not None:
            log_path = work / carried[0] if carried else audit
            log_path.parent.mkdir(parents=True, exist_ok=True)
            append_audit_log(log_path, decisions, source=str(labels))
        result = link(
            custody_read, field_read, settings, model=fitted, decisions=decisions, quiet=quiet
        )
        inputs = {"custody": custody_read, "field": field_read}
        write_outputs(result, work, inputs, model_source=model, progress=Progress(quiet=quiet))
        figures = None
        if truth_frame is not None:
            figures = evaluate(result.matches, truth_frame, result.pairs, settings.threshold)
        write_lead_sheets(result, work, lang=lang, redact=redact, threshold=settings.lead_threshold)
        write_run_report(result, work / "report.html", evaluation=figures, lang=lang)
    for line in first_of_each(result.rejects):
        log.warning("warning: %s", line)
    for side, counts in result.counts.items():
        if counts["rows_rejected"] or counts["values_ignored"]:
            log.warning(
                "%s: %d rows read, %d rejected, %d values ignored (see rejects.csv)",
                side,
                counts["rows_read"],
                counts["rows_rejected"],
                counts["values_ignored"],
            )
    log.info(
        "wrote %d pairs for %d custody records to %s",
        len(result.matches),
        result.matches["custody_id"].nunique(),
        outdir,
    )
    return JobOutput(result, figures, outdir)


def _log_reading(side: str, read: ReadResult) -> None:
    """Say on the console how a file was read: encoding, re-decoded rows, repaired values,
    title rows skipped, ignored columns."""
    how = [f"sheet {read.sheet!r}" if read.sheet else read.encoding or read.path.suffix[1:]]
    if read.rows_redecoded:
        how.append(f"{read.rows_redecoded} rows re-decoded as {read.redecoded_as}")
    if read.values_repaired:
        how.append(f"{read.values_repaired} values repaired from mojibake")
    if read.header_row > 1:
        how.append(f"headers in row {read.header_row}")
    # a file whose text was changed on the way in is worth a look even with --quiet
    level = logging.WARNING if read.rows_redecoded or read.values_repaired else logging.INFO
    log.log(level, "%s: read as %s", side, ", ".join(how))
    if read.ignored_columns:
        log.warning(
            "%s: ignored columns %s; map them with --mapping if they matter",
            side,
            describe_ignored(read.ignored_columns),
        )


def _load_model(path: str | Path, settings: Settings) -> FellegiSunter:
    """A saved model.json, or an :class:`InputError` saying why it cannot be used."""
    path = Path(path)
    try:
        return FellegiSunter.load(path, default_comparisons(settings))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"cannot read as a model.json: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            path,
            f"not a model of this version ({exc}): fit a new one by running without --model",
        ) from None


def _audit_path(outdir: Path, audit_log: str | Path | None) -> tuple[Path, tuple[str, ...]]:
    """The audit log's path, and its path inside ``outdir`` when it lives there (it is carried
    over from one run's folder to the next, so its chain is never lost)."""
    audit = Path(audit_log) if audit_log is not None else outdir / "audit_log.jsonl"
    try:
        inside = audit.absolute().relative_to(outdir.absolute())
    except ValueError:
        return audit, ()
    return audit, (inside.as_posix(),)
