"""Birth date comparison, at the precision each side knows, vectorised over pairs.

A side's evidence is its date of birth, else its birth-year range (from an age at a report date),
else what its national ID implies (a cédula's or CURP's birth date, a DNI's registration year,
read as lower-trust: born that year or up to :data:`LATE_REGISTRATION_YEARS` before).
The ID is used only where the record lacks a date and an age, so the same fact is not counted
twice.

>>> pairs = pd.DataFrame({
...     "dob_l": ["1985-04-03", "1985-04-03", "1985-04-03", None],
...     "dob_precision_l": ["day", "day", "day", None],
...     "dob_swapped_l": ["1985-03-04", "1985-03-04", None, None],
...     "birth_year_min_l": [1985, 1985, 1985, None], "birth_year_max_l": [1985, 1985, 1985, None],
...     "id_dob_l": [None] * 4, "id_birth_year_l": [None] * 4,
...     "born_from_l": [None] * 4, "born_to_l": [None] * 4,
...     "dob_r": ["1985-04-03", "1985-03-04", None, "1985"],
...     "dob_precision_r": ["day", "day", None, "year"], "dob_swapped_r": [None] * 4,
...     "birth_year_min_r": [1985, 1985, 1985, 1985], "birth_year_max_r": [1985, 1985, 1986, 1985],
...     "id_dob_r": [None] * 4, "id_birth_year_r": [None] * 4,
...     "born_from_r": [None] * 4, "born_to_r": [None] * 4,
... })
>>> [BirthDateComparison().level_names()[i] if i >= 0 else "missing"
...  for i in BirthDateComparison().levels_of(pairs)]
['exact', 'swapped', 'year_agrees', 'missing']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.comparisons.arrays import by_value
from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level
from normalizers.ids import hn_dni

LATE_REGISTRATION_YEARS = hn_dni.LATE_REGISTRATION_YEARS
#: where a side knows only a year or an age: years apart that count as "close", and as "near"
CLOSE_YEARS = 1
NEAR_YEARS = 3

_PRECISION = {"year": 1, "month": 2, "day": 3}


@dataclass(frozen=True)
class _Sides:
    """One side of every pair as arrays; NaN where unknown.

    ``precision``: 0 no evidence, 1 a year range only, 2 month, 3 day. ``ambiguous``: the date
    has a second reading with day and month transposed.
    """

    precision: np.ndarray
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    ambiguous: np.ndarray
    low: np.ndarray
    high: np.ndarray
    #: birth dates as day numbers: the date itself (day precision), else the window an age at a
    #: report date allows (``born_from``, ``born_to``); NaN where unknown
    first_day: np.ndarray
    last_day: np.ndarray


def _number(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _iso_parts(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day (NaN where absent) of ISO dates, without a Python loop."""
    values = series.astype(object).where(series.notna(), "").to_numpy()
    codes = np.asarray(values, dtype="U10").view(np.uint32).reshape(len(values), 10)
    length = (codes != 0).sum(axis=1)
    digit = codes.astype(np.int64) - ord("0")
    is_digit = (digit >= 0) & (digit <= 9)

    def part(start: int, stop: int) -> np.ndarray:
        ok = is_digit[:, start:stop].all(axis=1) & (length >= stop)
        weights = 10 ** np.arange(stop - start - 1, -1, -1)
        return np.where(ok, digit[:, start:stop] @ weights, np.nan)

    return part(0, 4), part(5, 7), part(8, 10)


def _days(series: pd.Series) -> np.ndarray:
    """Day numbers of ISO dates (NaN where absent or not a full date)."""
    days = pd.to_datetime(series.astype(object), format="%Y-%m-%d", errors="coerce")
    return np.where(days.isna(), np.nan, days.to_numpy(dtype="datetime64[D]").astype(float))


def _sides(pairs: pd.DataFrame, suffix: str) -> _Sides:
    def col(name: str) -> pd.Series:
        return pairs[f"{name}_{suffix}"]

    year, month, day = _iso_parts(col("dob"))
    has_dob = ~np.isnan(year)
    implied = np.select([~np.isnan(day), ~np.isnan(month)], [3, 2], 1)
    stated = by_value(col("dob_precision"), lambda v: _PRECISION.get(v, np.nan), float)
    precision = np.where(has_dob, np.where(np.isnan(stated), implied, stated), 0)
    ambiguous = has_dob & col("dob_swapped").notna().to_numpy()
    low, high = _number(col("birth_year_min")), _number(col("birth_year_max"))
    has_range = ~np.isnan(low) & ~np.isnan(high)
    low = np.where(has_dob & ~has_range, year, low)
    high = np.where(has_dob & ~has_range, year, high)
    precision = np.where(~has_dob & has_range, 1, precision)

    # the ID only where the record has neither a date nor an age
    use_id = ~has_dob & ~has_range
    id_year, id_month, id_day = _iso_parts(col("id_dob"))
    with_id_dob = use_id & ~np.isnan(id_day)
    year = np.where(with_id_dob, id_year, year)
    month = np.where(with_id_dob, id_month, month)
    day = np.where(with_id_dob, id_day, day)
    precision = np.where(with_id_dob, 3, precision)
    low = np.where(with_id_dob, id_year, low)
    high = np.where(with_id_dob, id_year, high)
    registered = _number(col("id_birth_year"))
    with_id_year = use_id & ~with_id_dob & ~np.isnan(registered)
    precision = np.where(with_id_year, 1, precision)
    low = np.where(with_id_year, registered - LATE_REGISTRATION_YEARS, low)
    high = np.where(with_id_year, registered, high)
    on_day = np.where(precision == 3, _day_numbers(year, month, day), np.nan)
    first_day = np.where(precision == 3, on_day, _days(col("born_from")))
    last_day = np.where(precision == 3, on_day, _days(col("born_to")))
    return _Sides(precision, year, month, day, ambiguous, low, high, first_day, last_day)


def _day_numbers(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day numbers of dates given by their parts (NaN where a part is unknown or the date does
    not exist), each distinct date read once.

    >>> _day_numbers(np.array([1970.0, 1970, 2001, np.nan]), np.array([1.0, 1, 2, 1]),
    ...              np.array([2.0, 2, 30, 1])).tolist()
    [1.0, 1.0, nan, nan]
    """
    known = np.isfinite(year) & np.isfinite(month) & np.isfinite(day)
    out = np.full(len(year), np.nan)
    if known.any():
        dates, back = np.unique(
            np.stack([year[known], month[known], day[known]], axis=1), axis=0, return_inverse=True
        )
        iso = [f"{int(y):04d}-{int(m):02d}-{int(d):02d}" for y, m, d in dates]
        out[known] = _days(pd.Series(iso, dtype=object))[back.reshape(-1)]
    return out


def _rules(a: _Sides, b: _Sides) -> list[tuple[np.ndarray, str]]:
    """(condition, level name) in the order they are tried; what none meets is ``far``."""
    with np.errstate(invalid="ignore"):
        both_day = (a.precision == 3) & (b.precision == 3)
        both_month = (a.precision >= 2) & (b.precision >= 2)
        same_year = a.year == b.year
        exact = both_day & same_year & (a.month == b.month) & (a.day == b.day)
        # a second reading is the first with day and month transposed, so comparing readings
        # comes down to comparing days with months
        transposed = both_day & same_year & (a.month == b.day) & (a.day == b.month)
        same_month = (
            both_month
            & same_year
            & (
                (a.month == b.month)
                | a.ambiguous & (a.day == b.month)
                | b.ambiguous & (a.month == b.day)
                | a.ambiguous & b.ambiguous & (a.day == b.day)
            )
        )
        within_one = both_month & (np.abs(a.year - b.year) <= 1)
        # years apart: between birth-date windows where both sides know one (a date, or an age
        # on a dated report: 37 on the report date is consistent, 38 a year off), else between
        # birth-year ranges
        gap_days = np.maximum(a.first_day - b.last_day, b.first_day - a.last_day)
        gap = np.where(
            np.isnan(gap_days),
            np.maximum(a.low - b.high, b.low - a.high),
            np.ceil(np.maximum(gap_days, 0) / 365.25),
        )
        overlap = ~both_month & (gap <= 0)
        # ages are often given a year or two off, and a year-only date is often approximate
        close = ~both_month & (gap <= CLOSE_YEARS)
        near = ~both_month & (gap <= NEAR_YEARS)
    return [
        ((a.precision == 0) | (b.precision == 0), MISSING_LEVEL),
        (exact, "exact"),
        (transposed, "swapped"),
        (same_month, "same_year_month"),
        (within_one, "year_within_one"),
        (overlap, "year_agrees"),
        (close, "year_close"),
        (near, "year_near"),
    ]


class BirthDateComparison(Comparison):
    """Date of birth, from the record or, failing that, from its national ID."""

    name = "birth_date"
    columns = (
        "dob",
        "dob_precision",
        "dob_swapped",
        "birth_year_min",
        "birth_year_max",
        "id_dob",
        "id_birth_year",
        "born_from",
        "born_to",
    )
    levels = (
        Level("exact", "Fecha de nacimiento exacta", "Same birth date"),
        Level(
            "swapped",
            "Fecha de nacimiento con día y mes invertidos",
            "Birth date with day and month swapped",
        ),
        Level("same_year_month", "Mismo año y mes de nacimiento", "Same birth year and month"),
        Level(
            "year_within_one",
            "Año de nacimiento igual o con un año de diferencia",
            "Birth year the same or one year apart",
        ),
        Level(
            "year_agrees",
            "El año de nacimiento concuerda (solo se conoce el año o la edad)",
            "Birth year agrees (only the year or the age is known)",
        ),
        Level(
            "year_close",
            "El año de nacimiento difiere en un año (solo se conoce el año o la edad)",
            "Birth year one year off (only the year or the age is known)",
        ),
        Level(
            "year_near",
            "El año de nacimiento difiere en dos o tres años (solo se conoce el año o la edad)",
            "Birth year two or three years off (only the year or the age is known)",
        ),
        Level("far", "Fechas de nacimiento muy distintas", "Birth dates far apart"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        if pairs.empty:
            return np.empty(0, dtype=np.int8)
        return self.choose(_rules(_sides(pairs, "l"), _sides(pairs, "r")), "far")
