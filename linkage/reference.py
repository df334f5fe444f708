"""The job's reference date: the "now" that dates and IDs are read against, never the day it runs.

Two-digit years, the latest plausible date and an ID's registration year are read against one
date per job, so that the same inputs give the same outputs next year too. It is the
``reference_date`` setting when given; else the newest report date of either input; else the
newest date in any other date column (removal, birth, children's births); else
:data:`normalizers.dates.DEFAULT_REFERENCE`. A date known to the month counts as that month's
last day, a year as its December 31st. While looking for it, a two-digit report year is read as
20YY (report dates are of this century) and other dates count only with a four-digit year.
The manifest records the date and where it came from.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import replace

import pandas as pd

from linkage.io import ReadResult, read_frame
from linkage.settings import Settings
from normalizers.dates import DEFAULT_REFERENCE, ParsedDate, parse_date

log = logging.getLogger("reencuentro")

#: read against this while looking for the reference: every two-digit year is 20YY
_SEARCH_REFERENCE = dt.date(2099, 12, 31)
#: the other date columns searched when no record has a report date, in this order
OTHER_DATE_COLUMNS = ("removal_date", "birth_date", "child_birth_dates")
_FULL_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)|(?<!\d)(?:19|20)\d{6}(?!\d)")


def _last_day(parsed: ParsedDate) -> dt.date:
    """The last day a date at its precision can be.

    >>> _last_day(ParsedDate(2024, 2, precision="month")), _last_day(ParsedDate(2024))
    (datetime.date(2024, 2, 29), datetime.date(2024, 12, 31))
    """
    if parsed.precision == "day":
        return dt.date(parsed.year, parsed.month, parsed.day)
    month = parsed.month or 12
    return dt.date(parsed.year, month, calendar.monthrange(parsed.year, month)[1])


def _has_full_year(value: object) -> bool:
    return not isinstance(value, str) or bool(_FULL_YEAR.search(value))


def _newest(
    reads: list[tuple[ReadResult, bool]], column: str, full_year_only: bool
) -> dict[str, object] | None:
    """The newest date of ``column`` over ``reads`` (read, day_first), with its file and row."""
    best: dict[str, object] | None = None
    for read, day_first in reads:
        if column not in read.records:
            continue
        cells = read.records[column]
        for row, cell in zip(read.records["source_row"], cells, strict=True):
            if cell is None or (isinstance(cell, float) and pd.isna(cell)):
                continue
            texts = str(cell).split(";") if column == "child_birth_dates" else [cell]
            for text in texts:
                if full_year_only and not _has_full_year(text):
                    continue
                parsed = parse_date(text, day_first, _SEARCH_REFERENCE)
                if parsed is None:
                    continue
                date = _last_day(parsed)
                if best is None or date > best["date"]:
                    best = {"date": date, "file": read.path.name, "row": int(row), "column": column}
    return best


def find_reference(reads: list[tuple[ReadResult, bool]]) -> dict[str, object]:
    """The reference date the inputs imply, and its source: ``{"date", "source", ...}``.

    ``reads``: each input with its day-first reading. ``source`` is "report_date" or "dates"
    (with the file, row and column of the date), or "default" (no date in the inputs).
    """
    newest = _newest(reads, "report_date", full_year_only=False)
    source = "report_date"
    if newest is None:
        source = "dates"
        found = [_newest(reads, c, full_year_only=True) for c in OTHER_DATE_COLUMNS]
        found = [f for f in found if f is not None]
        newest = max(found, key=lambda f: f["date"]) if found else None
    if newest is None:
        return {"date": DEFAULT_REFERENCE.isoformat(), "source": "default"}
    return {**newest, "date": newest["date"].isoformat(), "source": source}


def settle_reference(
    custody: pd.DataFrame | ReadResult, field: pd.DataFrame | ReadResult, settings: Settings
) -> tuple[ReadResult, ReadResult, Settings, dict[str, object]]:
    """Both inputs read, the settings with their ``reference_date`` filled in, and the reference
    as the manifest records it (date and source). Settled settings are returned as they are."""
    custody = custody if isinstance(custody, ReadResult) else read_frame(custody, "custody")
    field = field if isinstance(field, ReadResult) else read_frame(field, "field")
    if settings.reference_date:
        return custody, field, settings, {"date": settings.reference_date, "source": "settings"}
    reference = find_reference(
        [(custody, settings.custody_day_first), (field, settings.field_day_first)]
    )
    log.info("reference date %s (%s)", reference["date"], _where(reference))
    if dt.date.fromisoformat(str(reference["date"])) > dt.date.today():  # a warning only
        log.warning(
            "warning: the reference date %s (%s) is in the future: a typing slip? Set "
            "reference_date in the settings",
            reference["date"],
            _where(reference),
        )
    return custody, field, replace(settings, reference_date=str(reference["date"])), reference


def _where(reference: dict[str, object]) -> str:
    if reference["source"] == "default":
        return "no date in the inputs: the default; set reference_date in the settings"
    return f"newest {reference['column']} of the inputs, {reference['file']} row {reference['row']}"


def normalize_options(settings: Settings) -> dict[str, object]:
    """The keyword arguments :func:`normalizers.frame.normalize` takes from the settings.

    >>> normalize_options(Settings(reference_date="2026-01-01", sex_m="male"))
    {'reference': datetime.date(2026, 1, 1), 'sex_m': 'male'}
    """
    reference = settings.reference_date
    return {
        "reference": dt.date.fromisoformat(reference) if reference else DEFAULT_REFERENCE,
        "sex_m": settings.sex_m,
    }
