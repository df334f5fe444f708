"""Reviewers' decisions of a job, written as they are made, safe with several apps on one job.

Each decision goes to ``OUTDIR/decisions.csv`` (the format ``cli.py match --labels`` reads) and
then to ``OUTDIR/audit_log.jsonl`` (hash-chained), both under one exclusive ``fcntl.flock`` on
``OUTDIR/decisions.lock``: two apps (or two requests) on one job write one after the other, and
each reads the other's decisions (the file is re-read whenever it changed).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from linkage.decisions import (
    COLUMNS,
    append_audit_log,
    latest,
    read_audit_log,
    read_decisions,
    record_decision,
)

#: the audit log's ``source`` of decisions made in the review app
SOURCE = "review app"


class DecisionStore:
    """The decisions file, audit log and lock file of one job folder."""

    def __init__(self, outdir: str | Path):
        outdir = Path(outdir)
        self.path = outdir / "decisions.csv"
        self.audit_log = outdir / "audit_log.jsonl"
        self.lock_path = outdir / "decisions.lock"
        self._seen: tuple[int, int] | None = None
        self._current = pd.DataFrame(columns=list(COLUMNS))

    @contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        with self.lock_path.open("a") as handle:
            fcntl.flock(handle, mode)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def check(self) -> None:
        """Read the decisions file and verify the audit log's chain; raise if either is bad."""
        with self._locked(fcntl.LOCK_SH):
            if self.path.exists():
                read_decisions(self.path)
            read_audit_log(self.audit_log)

    def record(
        self, custody_id: str, field_id: str, decision: str, reviewer: str, note: str = ""
    ) -> dict:
        """Write one decision to the file and the audit log; the decision as read back."""
        with self._locked(fcntl.LOCK_EX):
            record_decision(self.path, custody_id, field_id, decision, reviewer, note)
            written = read_decisions(self.path).iloc[[-1]]
            append_audit_log(self.audit_log, written, source=SOURCE)
        return written.iloc[0].to_dict()

    def current(self) -> pd.DataFrame:
        """The decision in force for each pair (``linkage.decisions.latest``), any reviewer's."""
        with self._locked(fcntl.LOCK_SH):
            if not self.path.exists():
                return self._current
            stat = self.path.stat()
            if self._seen != (stat.st_mtime_ns, stat.st_size):
                self._current = latest(read_decisions(self.path))
                self._seen = (stat.st_mtime_ns, stat.st_size)
        return self._current
