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


class OutputError(Exception):
    """The output folder cannot be written (one clear line, before any work is done)."""

    def __init__(self, path: object, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: {reason}")


class SettingsError(ValueError):
    """A setting of the wrong type or out of range (one clear line naming the setting)."""
