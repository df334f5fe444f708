"""Birth date comparison, at the precision each side knows.

A side's evidence is its date of birth, else its birth-year range (from an age at a report date),
else what its national ID implies (a cédula's or CURP's birth date, a DNI's registration year,
read as lower-trust: born that year or up to :data:`LATE_REGISTRATION_YEARS` before).
The ID is used only where the record lacks a date and an age, so the same fact is not counted
twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from linkage.compare import MISSING, Comparison, Level

#: a birth year known only from an ID is its year of registration (a Honduran DNI), which can
#: follow the birth by a few years: the side is read as born up to this many years earlier
LATE_REGISTRATION_YEARS = 2


@dataclass(frozen=True)
class _Side:
    #: (year, month, day) readings at month or day precision; month/day None where unknown
    readings: tuple[tuple[int, int | None, int | None], ...]
    precision: str | None
    year_min: int
    year_max: int


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or isinstance(value, float) and value != value:
        return None
    return str(value) or None


def _int(value: object) -> int | None:
    if value is None or value is pd.NA or isinstance(value, float) and value != value:
        return None
    return int(value)


@lru_cache(maxsize=100_000)
def _parts(iso: str) -> tuple[int, int | None, int | None] | None:
    try:
        numbers = [int(p) for p in iso.split("-")]
    except ValueError:
        return None
    numbers += [None] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def _side(
    dob: object,
    precision: object,
    swapped: object,
    year_min: object,
    year_max: object,
    id_dob: object,
    id_year: object,
) -> _Side | None:
    date = _parts(_text(dob)) if _text(dob) else None
    low, high = _int(year_min), _int(year_max)
    if date is not None:
        other = _parts(_text(swapped)) if _text(swapped) else None
        readings = (date,) if other is None else (date, other)
        prec = _text(precision) or ("day" if date[2] else "month" if date[1] else "year")
        if low is None or high is None:
            low = high = date[0]
        return _Side(readings, prec, low, high)
    if low is not None and high is not None:
        return _Side((), None, low, high)
    date = _parts(_text(id_dob)) if _text(id_dob) else None
    if date is not None:
        return _Side((date,), "day", date[0], date[0])
    year = _int(id_year)
    if year is not None:
        return _Side((), None, year - LATE_REGISTRATION_YEARS, year)
    return None


def _level(a: _Side, b: _Side) -> int:
    if a.precision == "day" and b.precision == "day":
        if a.readings[0] == b.readings[0]:
            return 0
        for x in a.readings:
            for y in b.readings:
                if x == y or x[0] == y[0] and x[1] == y[2] and x[2] == y[1]:
                    return 1
    if a.precision in ("day", "month") and b.precision in ("day", "month"):
        for x in a.readings:
            for y in b.readings:
                if x[:2] == y[:2]:
                    return 2
        if abs(a.readings[0][0] - b.readings[0][0]) <= 1:
            return 3
        return 5
    if a.year_min <= b.year_max and b.year_min <= a.year_max:
        return 4
    return 5


def birth_date_level(left: tuple, right: tuple) -> int:
    """Level index of two sides, each ``(dob, dob_precision, dob_swapped, birth_year_min,
    birth_year_max, id_dob, id_birth_year)``.

    >>> none = (None,) * 7
    >>> day = ("1985-04-03", "day", "1985-03-04", 1985, 1985, None, None)
    >>> birth_date_level(day, day)
    0
    >>> birth_date_level(day, ("1985-03-04", "day", None, 1985, 1985, None, None))
    1
    >>> birth_date_level(day, (None, None, None, 1985, 1986, None, None))
    4
    >>> birth_date_level(day, none)
    -1
    """
    a, b = _side(*left), _side(*right)
    if a is None or b is None:
        return MISSING
    return _level(a, b)


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
        Level("far", "Fechas de nacimiento muy distintas", "Birth dates far apart"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        left = [pairs[f"{c}_l"].astype(object) for c in self.columns]
        right = [pairs[f"{c}_r"].astype(object) for c in self.columns]
        return np.fromiter(
            (
                birth_date_level(a, b)
                for a, b in zip(zip(*left, strict=True), zip(*right, strict=True), strict=True)
            ),
            dtype=np.int8,
            count=len(pairs),
        )
