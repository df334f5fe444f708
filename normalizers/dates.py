"""Free-text dates (Spanish and English) parsed at their precision.

Field reports write "3 de abril de 1985", "abr-85", "1ro de sept 1979" or just "1985"; custody
records write 04/03/1985 month-first. :func:`parse_date` reads all of them and keeps what is known:
a year-only date is not January 1st, and a numeric date whose day and month are both 12 or less
keeps its other reading in ``swapped``.

>>> parse_date("3 de abril de 1985", day_first=True).iso
'1985-04-03'
>>> d = parse_date("04/03/1985", day_first=False)
>>> d.iso, d.swapped.iso
('1985-04-03', '1985-03-04')
>>> parse_date("abr-85", day_first=True).iso
'1985-04'
>>> parse_date("01/01/1985", day_first=False).precision
'year'

Two-digit years and the latest plausible year are read against a reference date (by default
:data:`DEFAULT_REFERENCE`): "30" is 1930 on 2026-01-01 and 2030 on 2031-01-01.

>>> parse_date("3/4/30", True, reference=dt.date(2026, 1, 1)).iso
'1930-04-03'
>>> parse_date("3/4/30", True, reference=dt.date(2031, 1, 1)).iso
'2030-04-03'
"""

from __future__ import annotations

import calendar
import datetime as dt
import numbers
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from unidecode import unidecode

from normalizers.distinct import mapped
from normalizers.text import is_missing

#: earliest year read as a year at all (four digits); whether a date of birth is plausible is
#: checked against the record's own dates (:func:`plausible_birth`), not against a fixed year
MIN_YEAR = 1000
#: oldest plausible age, in years, at the record's report or removal date
MAX_AGE = 120
#: the reference date ("now") when a caller gives none: the last day of the year this version
#: was released. A match job passes its own (the ``reference_date`` setting, else the newest
#: report date of its inputs), so results never depend on the day it runs. Dates more than a
#: year after the reference are typing slips; two-digit years never land after its year.
DEFAULT_REFERENCE = dt.date(2026, 12, 31)

#: whether each source writes the day first (custody: U.S. MM/DD/YYYY; field: DD/MM/YYYY)
DAY_FIRST = {"custody": False, "field": True}

#: month names and abbreviations, Spanish and English, by month number
_MONTH_NAMES = (
    "enero ene january jan",
    "febrero feb february",
    "marzo mar march",
    "abril abr april apr",
    "mayo may",
    "junio jun june",
    "julio jul july",
    "agosto ago august aug",
    "septiembre setiembre sept sep set september",
    "octubre oct october",
    "noviembre nov november",
    "diciembre dic december dec",
)
_MONTHS = {name: n for n, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}

_ORDINAL_MARKS = re.compile(r"[\u00b0\u00ba\u00aa]")  # 1°, 1º, 1ª
_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:ero|ro|do|er|to|vo|no|mo|st|nd|rd|th|o|a)\b")
_TIME = re.compile(
    r"(?:t|\s)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:z|[+-]\d{2}:?\d{2})?"
)
_TOKEN = re.compile(r"\d+|[a-z]+")


@dataclass(frozen=True)
class ParsedDate:
    """A date known to ``precision`` ("day", "month" or "year").

    ``swapped`` is the other reading of an ambiguous numeric date (day and month both 12 or
    less and different), else ``None``.
    """

    year: int
    month: int | None = None
    day: int | None = None
    precision: str = "year"
    swapped: ParsedDate | None = None

    @property
    def iso(self) -> str:
        """ISO 8601 at the date's precision: ``1985-04-03``, ``1985-04`` or ``1985``."""
        if self.precision == "day":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def day_first_for(source: str, setting: bool | None = None) -> bool:
    """The day-first reading for ``source`` ("custody" or "field"); a ``setting`` overrides it.

    >>> day_first_for("custody"), day_first_for("field"), day_first_for("custody", True)
    (False, True, True)
    """
    return DAY_FIRST[source] if setting is None else bool(setting)


def expand_year(yy: int, reference_year: int = DEFAULT_REFERENCE.year) -> int:
    """A two-digit year in the hundred years up to ``reference_year`` (inclusive): with 2026,
    ``85 -> 1985``, ``07 -> 2007``, ``26 -> 2026``, ``27 -> 1927``.

    >>> expand_year(85), expand_year(7), expand_year(26, 2026), expand_year(27, 2026)
    (1985, 2007, 2026, 1927)
    """
    year = reference_year - reference_year % 100 + yy
    return year if year <= reference_year else year - 100


def _year(token: str, last: int) -> int | None:
    """The year a 4- or 2-digit token stands for; ``last``: the latest plausible year (the
    reference's next year; two-digit years go up to the reference's year)."""
    if len(token) == 4:
        year = int(token)
    elif len(token) == 2:
        year = expand_year(int(token), last - 1)
    else:
        return None
    return year if MIN_YEAR <= year <= last else None


def _make(
    year: int | None,
    month: int | None,
    day: int | None,
    last: int,
    placeholder: bool = True,
) -> ParsedDate | None:
    """A ParsedDate from parts, ``None`` when impossible; day 0 / month 0 mean unknown.

    A numeric January 1st (``placeholder``) is the U.S. stand-in for an unknown birth date, so it
    counts as year-only; "1 de enero de 1985" written out is a real date.
    """
    if year is None or not MIN_YEAR <= year <= last:
        return None
    if not month:
        return None if day else ParsedDate(year)
    if not 1 <= month <= 12:
        return None
    if not day:
        return ParsedDate(year, month, precision="month")
    if day > calendar.monthrange(year, month)[1]:
        return None
    if placeholder and day == 1 and month == 1:
        return ParsedDate(year)
    return ParsedDate(year, month, day, "day")


def _numeric(
    first: int, second: int, year: int | None, day_first: bool, last: int
) -> ParsedDate | None:
    """Read ``first/second/year`` in the preferred order, keeping the other reading if valid."""
    day, month = (first, second) if day_first else (second, first)
    preferred = _make(year, month, day, last)
    other = _make(year, day, month, last)
    if preferred is None:
        return other
    if other is None or other == preferred or preferred.precision != "day":
        return preferred
    if other.precision != "day":
        return preferred
    return ParsedDate(preferred.year, preferred.month, preferred.day, "day", other)


def _with_month_name(month: int, numbers: list[str], last: int) -> ParsedDate | None:
    if len(numbers) == 1:
        token = numbers[0]
        if len(token) == 4 or len(token) == 2 and int(token) > 31:
            return _make(_year(token, last), month, None, last)
        return None
    if len(numbers) != 2:
        return None
    a, b = numbers
    if len(a) >= 3 > len(b):
        year, day = _year(a, last), int(b)
    else:
        year, day = _year(b, last), int(a)
    return _make(year, month, day, last, placeholder=False)


def _without_month_name(numbers: list[str], day_first: bool, last: int) -> ParsedDate | None:
    if len(numbers) == 1:
        token = numbers[0]
        if len(token) == 4:
            return _make(int(token), None, None, last)
        if len(token) == 8:
            if token[:2] in ("19", "20"):
                iso = _make(int(token[:4]), int(token[4:6]), int(token[6:]), last)
                if iso is not None:
                    return iso
            return _numeric(int(token[:2]), int(token[2:4]), int(token[4:]), day_first, last)
        if len(token) == 6:
            year = _year(token[4:], last)
            return _numeric(int(token[:2]), int(token[2:4]), year, day_first, last)
        return None
    if len(numbers) == 2:
        a, b = numbers
        if len(a) == 4 and len(b) <= 2:
            return _make(int(a), int(b), None, last)
        # month/year; a two-digit "year" of 31 or less may be a day ("12/05": 12 May?)
        if len(a) <= 2 and (len(b) == 4 or len(b) == 2 and int(b) > 31):
            return _make(_year(b, last), int(a), None, last)
        return None
    a, b, c = numbers[:3]
    if len(a) == 4:
        return _make(int(a), int(b), int(c), last) if len(b) <= 2 and len(c) <= 2 else None
    if len(a) > 2 or len(b) > 2:
        return None
    return _numeric(int(a), int(b), _year(c, last), day_first, last)


@lru_cache(maxsize=200_000)
def _parse_text(text: str, day_first: bool, last: int) -> ParsedDate | None:
    text = _ORDINAL_MARKS.sub("", text)
    text = unidecode(text).lower()
    text = _TIME.sub(" ", text)
    text = _ORDINAL_SUFFIX.sub("", text)
    tokens = _TOKEN.findall(text)
    months = {_MONTHS[t] for t in tokens if t in _MONTHS}
    if len(months) > 1 and "mar" in tokens:  # "mar" is also martes (Tuesday)
        months.discard(3)
    numbers = [t for t in tokens if t.isdigit()]
    if "primero" in tokens and months:
        numbers.insert(0, "1")
    if len(months) > 1 or not numbers:
        return None
    if months:
        return _with_month_name(months.pop(), numbers, last)
    return _without_month_name(numbers, day_first, last)


def parse_date(
    text: object, day_first: bool, reference: dt.date = DEFAULT_REFERENCE
) -> ParsedDate | None:
    """Parse a free-text date; ``None`` when it holds no usable date.

    ``day_first`` decides ``03/04/1985`` (True: 3 April); ISO dates and month names are read
    the same either way. ``reference``: the job's "now": a two-digit year lands in the hundred
    years up to its year, and a year after its next year is a typing slip (no date).

    >>> parse_date("1ro de sept. 1979", day_first=True).iso
    '1979-09-01'
    >>> parse_date("April 3rd, 1985", day_first=True).iso
    '1985-04-03'
    >>> parse_date("15/04/85", day_first=False).iso
    '1985-04-15'
    >>> parse_date("no sabe", day_first=True) is None
    True
    """
    if text is None or text is pd.NaT or isinstance(text, bool):
        return None
    last = reference.year + 1
    if isinstance(text, np.datetime64):
        text = pd.Timestamp(text) if not np.isnat(text) else None
    if isinstance(text, dt.datetime | dt.date):
        return _make(text.year, text.month, text.day, last)
    if isinstance(text, numbers.Real):
        if is_missing(text) or not float(text).is_integer() or abs(text) > 1e9:
            return None
        text = str(int(text))
    if not isinstance(text, str):
        return None
    return _parse_text(text.strip()[:100], bool(day_first), last)


def parse_age(value: object) -> int | None:
    """Whole years from an age cell: ``38``, ``"38 años"``, ``38.0``; ``None`` if not an age.

    >>> parse_age("38 años"), parse_age(38.7), parse_age("n/a")
    (38, 38, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        if is_missing(value) or not 0 <= value < 130:
            return None
        return int(value)
    match = re.search(r"\d+", str(value)[:100])
    if match is None or len(match.group()) > 3:
        return None
    age = int(match.group())
    return age if age < 130 else None


def birth_years_from_age(age: int, report_year: int) -> tuple[int, int]:
    """Birth years consistent with ``age`` whole years at some date in ``report_year``.

    >>> birth_years_from_age(38, 2024)
    (1985, 1986)
    """
    return report_year - age - 1, report_year - age


def plausible_birth(
    birth: ParsedDate | None,
    reference: ParsedDate | None,
    job_reference: dt.date = DEFAULT_REFERENCE,
) -> bool:
    """Whether ``birth`` can be a date of birth on a record dated ``reference`` (its report or
    removal date): not after it, and at most :data:`MAX_AGE` years before. A record with no date
    of its own is checked against the job's reference date only for the future: how old its
    person was when it was written is unknown (a census of 1850 lists people born in 1760).

    >>> plausible_birth(ParsedDate(1850), ParsedDate(2020)), plausible_birth(ParsedDate(1850), None)
    (False, True)
    >>> plausible_birth(ParsedDate(1890), ParsedDate(1950))
    True
    >>> plausible_birth(ParsedDate(2021), ParsedDate(2020))
    False
    >>> plausible_birth(ParsedDate(2027), None, dt.date(2026, 5, 1))
    False
    """
    if birth is None:
        return False
    if reference is None:
        return birth.year <= job_reference.year
    return reference.year - MAX_AGE <= birth.year <= reference.year


def birth_window(age: int, report: ParsedDate | None) -> tuple[str, str] | None:
    """First and last birth dates (ISO) of someone ``age`` whole years old on ``report`` (a date
    known to the day), else None.

    >>> birth_window(37, ParsedDate(2020, 6, 15, "day"))
    ('1982-06-16', '1983-06-15')
    """
    if report is None or report.precision != "day" or not 0 <= age <= MAX_AGE:
        return None
    on = dt.date(report.year, report.month, report.day)
    last = _years_before(on, age)
    first = _years_before(on, age + 1) + dt.timedelta(days=1)
    return first.isoformat(), last.isoformat()


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (February 29th becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series(pd.NA, index=df.index, dtype=object)


def _parsed(series: pd.Series, day_first: bool, reference: dt.date) -> pd.Series:
    """``parse_date`` applied once per distinct value."""
    values = series.astype(object).where(series.notna(), None)
    parsed = mapped([values], lambda value: parse_date(value, day_first, reference))
    return pd.Series(parsed, index=series.index, dtype=object)


def normalize_frame(
    df: pd.DataFrame, day_first: bool, reference: dt.date = DEFAULT_REFERENCE
) -> pd.DataFrame:
    """The ``dates`` normalized columns of ``df`` (same index; missing as ``pd.NA``), dates read
    against the job's ``reference`` date (see :func:`parse_date`).

    Reads ``birth_date``, ``age``, ``report_date`` and ``removal_date`` where present. A date of
    birth after the record's report (else removal) date, or more than :data:`MAX_AGE` years
    before it, is dropped. The birth-year range comes from the date of birth, else from the age
    at the report date; an age at a report date known to the day also gives the window of birth
    dates it allows (``born_from``, ``born_to``).
    """
    dob = _parsed(_column(df, "birth_date"), day_first, reference)
    report = _parsed(_column(df, "report_date"), day_first, reference)
    removal = _parsed(_column(df, "removal_date"), day_first, reference)
    ages = _column(df, "age").map(parse_age)

    def iso(parsed: pd.Series) -> pd.Series:
        return parsed.map(lambda p: p.iso if p is not None else pd.NA).astype("string")

    record_dates = [r if r is not None else m for r, m in zip(report, removal, strict=True)]
    dob = pd.Series(
        [
            b if plausible_birth(b, r, reference) else None
            for b, r in zip(dob, record_dates, strict=True)
        ],
        index=df.index,
        dtype=object,
    )
    year_min, year_max, born_from, born_to = [], [], [], []
    for birth, rep, age in zip(dob, report, ages, strict=True):
        window = birth_window(int(age), rep) if birth is None and not is_missing(age) else None
        born_from.append(window[0] if window else pd.NA)
        born_to.append(window[1] if window else pd.NA)
        if birth is not None:
            low = high = birth.year
        elif rep is not None and age is not None:
            low, high = birth_years_from_age(age, rep.year)
        else:
            low = high = pd.NA
        year_min.append(low)
        year_max.append(high)
    return pd.DataFrame(
        {
            "dob": iso(dob),
            "dob_precision": dob.map(lambda p: p.precision if p else pd.NA).astype("string"),
            "dob_swapped": dob.map(
                lambda p: p.swapped.iso if p is not None and p.swapped else pd.NA
            ).astype("string"),
            "birth_year_min": pd.array(year_min, dtype="Int64"),
            "birth_year_max": pd.array(year_max, dtype="Int64"),
            "born_from": pd.array(born_from, dtype="string"),
            "born_to": pd.array(born_to, dtype="string"),
            "removal_date": iso(removal),
        },
        index=df.index,
    )
