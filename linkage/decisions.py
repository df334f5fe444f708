"""Reviewers' decisions on pairs: read them, keep every one in an audit log, apply them.

A decisions file (CSV or XLSX) has one row per decision: ``custody_id, field_id, decision,
reviewer, time, note``. ``decision`` is ``match``, ``non-match`` or ``unsure`` (Spanish words
are understood too: ``sí``/``coincide``, ``no``/``no coincide``, ``duda``). When a pair was
decided more than once, the latest ``time`` wins (file order breaks ties).

Applied to a matches table, confirmed matches go to the top of their custody record's list with
probability 1, rejected pairs leave it, and a field report confirmed for one custody record
leaves every other record's candidates. Every decision read is appended to an audit log (JSON
lines) whose entries are chained by hash, so an edited or deleted entry shows.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.explain import continue_reason
from linkage.reports.safety import neutralise_frame

COLUMNS = ("custody_id", "field_id", "decision", "reviewer", "time", "note")
REQUIRED = ("custody_id", "field_id", "decision", "reviewer")
DECISIONS = ("match", "non-match", "unsure")
_ALIASES = {
    "match": "match",
    "si": "match",
    "sí": "match",
    "yes": "match",
    "coincide": "match",
    "es la persona": "match",
    "non-match": "non-match",
    "non match": "non-match",
    "nonmatch": "non-match",
    "no-match": "non-match",
    "no match": "non-match",
    "no": "non-match",
    "no coincide": "non-match",
    "no es la persona": "non-match",
    "unsure": "unsure",
    "duda": "unsure",
    "no se": "unsure",
    "no sé": "unsure",
    "maybe": "unsure",
}
GENESIS = "0" * 64


class DecisionsError(ValueError):
    """A decisions file that cannot be used; ``problems`` lists each one as text."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class AuditLogError(ValueError):
    """An audit log whose chain of hashes is broken: it was edited, reordered or cut."""


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise DecisionsError([f"{path}: no such file"])
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise DecisionsError([f"{path.name}: cannot read the file as UTF-8 or Windows-1252 text"])


def _parse_time(text: str) -> pd.Timestamp | None:
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        return None
    if pd.isna(stamp):
        return None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def read_decisions(path: str | Path) -> pd.DataFrame:
    """The decisions of a CSV or XLSX file, validated, with ``decision`` in its canonical form.

    Columns: custody_id, field_id, decision, reviewer, time (UTC timestamp or NaT), note, row
    (the row number a spreadsheet shows, header = 1), and ``source`` when the file has it. Rows
    whose decision is blank are not decisions yet and are skipped. A filled-in lead workbook is
    read as visit results (:func:`linkage.visits.read_visits`). Raises :class:`DecisionsError`
    naming the file, row and column of every problem, e.g.
    ``decisions.csv row 3, column decision: 'tal vez' is not one of match, non-match, unsure``.
    """
    path = Path(path)
    from linkage.visits import is_lead_workbook, read_visits

    if is_lead_workbook(path):
        return read_visits([path])
    raw = _read_table(path)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    problems = [f"{path.name}: missing column {col}" for col in REQUIRED if col not in raw.columns]
    if problems:
        raise DecisionsError(problems)
    for col in COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
    kept = [*COLUMNS, "source"] if "source" in raw.columns else list(COLUMNS)
    raw = raw[kept].apply(lambda s: s.str.strip())
    raw["row"] = np.arange(2, len(raw) + 2)
    raw = raw[raw["decision"] != ""]
    decisions, times = [], []
    for rec in raw.itertuples(index=False):
        where = f"{path.name} row {rec.row}"
        for col in REQUIRED:
            if not getattr(rec, col):
                problems.append(f"{where}, column {col}: empty")
        decision = _ALIASES.get(rec.decision.lower())
        if decision is None:
            problems.append(
                f"{where}, column decision: {rec.decision!r} is not one of {', '.join(DECISIONS)}"
            )
        stamp = _parse_time(rec.time) if rec.time else None
        if rec.time and stamp is None:
            problems.append(f"{where}, column time: {rec.time!r} is not a date and time")
        decisions.append(decision)
        times.append(stamp)
    if problems:
        raise DecisionsError(problems)
    times = pd.to_datetime(pd.Series(times, index=raw.index, dtype=object), utc=True)
    return raw.assign(decision=decisions, time=times).reset_index(drop=True)


def latest(decisions: pd.DataFrame) -> pd.DataFrame:
    """The decision in force for each pair: the latest by time, then by file order.

    A decision without a time counts as older than any timed one.
    """
    times = pd.to_datetime(decisions["time"], utc=True, errors="coerce")
    order = decisions.assign(_t=times.fillna(pd.Timestamp.min.tz_localize("UTC")))
    order = order.reset_index(drop=True).reset_index(names="_pos")
    order = order.sort_values(["_t", "_pos"], kind="stable")
    last = order.drop_duplicates(["custody_id", "field_id"], keep="last")
    return last.sort_values("_pos").drop(columns=["_t", "_pos"]).reset_index(drop=True)


def labels_for_training(decisions: pd.DataFrame) -> pd.DataFrame:
    """custody_id, field_id, is_match (bool) for every pair decided match or non-match.

    ``unsure`` gives no label.
    """
    current = latest(decisions)
    sure = current[current["decision"] != "unsure"]
    return pd.DataFrame(
        {
            "custody_id": sure["custody_id"].to_numpy(),
            "field_id": sure["field_id"].to_numpy(),
            "is_match": (sure["decision"] == "match").to_numpy(),
        }
    )


def apply_decisions(matches: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """``matches`` with reviewers' decisions applied, re-ranked, and a ``decision`` column.

    - match: the pair goes first for its custody record with probability 1 (added when the model
      had not kept it), and its field report leaves every other custody record's candidates;
    - non-match: the pair is removed;
    - unsure: the pair stays where the model put it, marked ``unsure``.

    ``rank`` is renumbered and ``margin`` (weight minus the runner-up's, on rank 1) recomputed.
    ``reason_es``/``reason_en``, when present, start with "Confirmado por revisor/a".
    """
    current = latest(decisions).set_index(["custody_id", "field_id"])["decision"]
    out = matches.copy()
    key = pd.MultiIndex.from_frame(out[["custody_id", "field_id"]].astype(str))
    out["decision"] = current.reindex(key).to_numpy()
    confirmed = current[current == "match"].index
    missing = confirmed.difference(key)
    if len(missing):
        added = pd.DataFrame(
            {"custody_id": missing.get_level_values(0), "field_id": missing.get_level_values(1)}
        ).assign(decision="match")
        out = pd.concat([out, added], ignore_index=True)
    confirmed_fields = set(confirmed.get_level_values(1))
    taken = out["field_id"].astype(str).isin(confirmed_fields) & (out["decision"] != "match")
    out = out[(out["decision"] != "non-match") & ~taken].copy()
    is_match = out["decision"] == "match"
    out.loc[is_match, "match_probability"] = 1.0
    for col, text in (
        ("reason_es", "Confirmado por revisor/a"),
        ("reason_en", "Confirmed by reviewer"),
    ):
        if col in out.columns:
            old = out.loc[is_match, col].fillna("").astype(str)
            out.loc[is_match, col] = [continue_reason(text, r) for r in old]
    first_seen = {c: i for i, c in enumerate(pd.unique(out["custody_id"]))}
    out = out.assign(
        _case=out["custody_id"].map(first_seen),
        _confirmed=is_match,
        _weight=out["match_weight"] if "match_weight" in out.columns else 0.0,
    )
    out = out.sort_values(
        ["_case", "_confirmed", "match_probability", "_weight"],
        ascending=[True, False, False, False],
        kind="stable",
    )
    out["rank"] = out.groupby("_case").cumcount() + 1
    if "margin" in out.columns:
        runner_up = out.groupby("_case")["_weight"].shift(-1)
        out["margin"] = np.where(out["rank"] == 1, out["_weight"] - runner_up, np.nan)
    return out.drop(columns=["_case", "_confirmed", "_weight"]).reset_index(drop=True)


# audit log --------------------------------------------------------------------------------------
def _canonical(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decision_record(rec: pd.Series) -> dict[str, str]:
    time = rec["time"]
    return {
        "custody_id": str(rec["custody_id"]),
        "field_id": str(rec["field_id"]),
        "decision": str(rec["decision"]),
        "reviewer": str(rec["reviewer"]),
        "time": "" if pd.isna(time) else time.isoformat(),
        "note": str(rec["note"]),
    }


def read_audit_log(path: str | Path) -> list[dict]:
    """The entries of an audit log, after checking its chain; ``[]`` when there is no log yet.

    Raises :class:`AuditLogError` naming the first line whose entry was changed, removed or
    moved.
    """
    path = Path(path)
    if not path.exists():
        return []
    entries, previous = [], GENESIS
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AuditLogError(f"{path.name} line {number}: not JSON ({exc.msg})") from exc
            stated = entry.pop("hash", None)
            if entry.get("prev_hash") != previous:
                raise AuditLogError(
                    f"{path.name} line {number}: chain broken (entry moved or removed)"
                )
            if _sha256(_canonical(entry)) != stated:
                raise AuditLogError(
                    f"{path.name} line {number}: entry changed after it was written"
                )
            if entry.get("decision_hash") != _sha256(_canonical(entry["record"])):
                raise AuditLogError(
                    f"{path.name} line {number}: decision changed after it was written"
                )
            entries.append({**entry, "hash": stated})
            previous = stated
    return entries


def append_audit_log(path: str | Path, decisions: pd.DataFrame, source: str = "") -> int:
    """Append to the log every decision it does not hold yet; the number appended.

    Each entry holds the decision, the ``source`` it came from (the decision's own ``source``
    column when it has one: file, sheet, row and cell of a visit), when it was logged, the hash of
    the decision, the previous entry's hash and its own hash. The log is only ever appended to;
    a broken chain raises :class:`AuditLogError` before anything is written.
    """
    path = Path(path)
    entries = read_audit_log(path)
    seen = {e["decision_hash"] for e in entries}
    previous = entries[-1]["hash"] if entries else GENESIS
    logged_at = datetime.now(UTC).isoformat(timespec="seconds")
    lines = []
    for _, rec in decisions.iterrows():
        record = _decision_record(rec)
        decision_hash = _sha256(_canonical(record))
        if decision_hash in seen:
            continue
        seen.add(decision_hash)
        entry = {
            "seq": len(entries) + len(lines) + 1,
            "logged_at": logged_at,
            "source": rec["source"] if isinstance(rec.get("source"), str) else source,
            "record": record,
            "decision_hash": decision_hash,
            "prev_hash": previous,
        }
        entry["hash"] = previous = _sha256(_canonical(entry))
        lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    if lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.writelines(lines)
    return len(lines)


def record_decision(
    path: str | Path,
    custody_id: str,
    field_id: str,
    decision: str,
    reviewer: str,
    note: str = "",
    time: datetime | None = None,
) -> Path:
    """Append one decision to a decisions CSV (created with its header if absent).

    ``decision`` is checked as :func:`read_decisions` checks it; ``time`` defaults to now (UTC).
    The file is what ``cli.py match --labels`` reads.
    """
    canonical = _ALIASES.get(str(decision).strip().lower())
    if canonical is None:
        raise DecisionsError([f"decision {decision!r} is not one of {', '.join(DECISIONS)}"])
    if not str(reviewer).strip():
        raise DecisionsError(["reviewer: empty"])
    path = Path(path)
    stamp = (time or datetime.now(UTC)).isoformat(timespec="seconds")
    row = pd.DataFrame(
        [[str(custody_id), str(field_id), canonical, str(reviewer).strip(), stamp, note]],
        columns=list(COLUMNS),
    )
    exists = path.exists() and path.stat().st_size > 0
    with path.open("a", encoding="utf-8", newline="") as handle:
        neutralise_frame(row).to_csv(handle, index=False, header=not exists)
    return path


def write_decisions_template(matches: pd.DataFrame, path: str | Path) -> Path:
    """A CSV a reviewer fills in: one row per kept pair, decision/reviewer/time/note empty."""
    path = Path(path)
    template = (
        matches[["custody_id", "field_id"]]
        .astype(str)
        .assign(decision="", reviewer="", time="", note="")
    )
    neutralise_frame(template).to_csv(path, index=False, encoding="utf-8")
    return path
