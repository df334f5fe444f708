"""Errors a user can act on: each names the file, and the row and column where it can."""

from __future__ import annotations


class InputError(Exception):
    """A problem with an input file that stops the job (one clear line, no traceback)."""

    def __init__(
        self, path: object, reason: str, row: int | None = None, column: str | None = None
    ):
        self.path, self.reason, self.row, self.column = str(path), reason, row, column
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")
