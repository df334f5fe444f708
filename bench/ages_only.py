"""Turn a field file's birth dates into ages at a report date: the common case in NGO reports.

Each row whose ``birth_date`` can be read gets ``age`` (whole years on its report date) and an
ISO ``report_date``, and loses its ``birth_date``; rows without a readable birth date keep what
they had. The report date is the row's own ``report_date`` when it has one, else a date drawn
(seeded) between ``earliest`` and ``latest``. A year-only birth date gives the age of someone born
mid-year. The reader is deliberately the bench's own, so that the converted files never change
when the project's date normalizer does.

>>> field = pd.DataFrame({"record_id": ["F1", "F2"], "birth_date": ["3 de abril de 1985", ""],
...                       "report_date": ["2020-04-02", "2020-01-01"]})
>>> ages_only(field)[["birth_date", "age", "report_date"]].values.tolist()
[['', '34', '2020-04-02'], ['', '', '2020-01-01']]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re

import pandas as pd

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            "enero ene jan", "febrero feb", "marzo mar", "abril abr apr", "mayo may",
            "junio jun", "julio jul", "agosto ago aug", "septiembre setiembre sep sept set",
            "octubre oct", "noviembre nov", "diciembre dic dec",
        ),
        start=1,
    )
    for m in names.split()
}  # fmt: skip
_NUMBERS = re.compile(r"\d+")
_WORDS = re.compile(r"[a-záéíóú]+")


def read_date(text: object, day_first: bool = True) -> tuple[dt.date | None, int | None]:
    """(full date or None, year or None) of a free-text date as field reports write it:
    ISO, d/m/y, d-m-y, d/m/yy, "3 de abril de 1985", "03-abr-1985" or a bare year.

    >>> read_date("03-abr-1985"), read_date("04/03/85", day_first=False)
    ((datetime.date(1985, 4, 3), 1985), (datetime.date(1985, 4, 3), 1985))
    >>> read_date("1985"), read_date("no sabe")
    ((None, 1985), (None, None))
    """
    if not isinstance(text, str) or not text.strip():
        return None, None
    text = text.strip().lower()
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    month = next((_MONTHS[w] for w in _WORDS.findall(text) if w in _MONTHS), None)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) or re.fullmatch(r"\d{8}", text):
        digits = text.replace("-", "")
        numbers = [int(digits[6:8]), int(digits[4:6]), int(digits[:4])]
        day_first, month = True, None
    if month is not None and len(numbers) == 2:
        day, year = numbers
    elif month is None and len(numbers) == 3:
        first, second, year = numbers
        day, month = (first, second) if day_first else (second, first)
    elif len(numbers) == 1 and len(str(numbers[0])) == 4:
        return None, numbers[0]
    else:
        return None, None
    if year < 100:
        year += 1900 if year > dt.date.today().year % 100 else 2000
    try:
        return dt.date(year, month, day), year
    except ValueError:
        return None, year


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years from ``birth`` to ``day``.

    >>> birth = dt.date(1985, 4, 3)
    >>> age_on(birth, dt.date(2020, 4, 2)), age_on(birth, dt.date(2020, 4, 3))
    (34, 35)
    """
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def ages_only(
    field: pd.DataFrame,
    day_first: bool = True,
    seed: int = 0,
    earliest: dt.date = dt.date(2019, 1, 1),
    latest: dt.date = dt.date(2021, 12, 31),
) -> pd.DataFrame:
    """A copy of ``field`` with every readable birth date replaced by an age at a report date."""
    rng = random.Random(seed)
    out = field.copy()
    for column in ("birth_date", "age", "report_date"):
        if column not in out:
            out[column] = ""
        out[column] = out[column].fillna("").astype(str)
    span = (latest - earliest).days
    births, ages, reports = [], [], []
    for birth_text, age, report_text in zip(
        out["birth_date"], out["age"], out["report_date"], strict=True
    ):
        drawn = earliest + dt.timedelta(days=rng.randrange(span + 1))  # drawn for every row
        birth, year = read_date(birth_text, day_first)
        if year is None:
            births.append(birth_text)
            ages.append(age)
            reports.append(report_text)
            continue
        report = read_date(report_text, day_first)[0] or drawn
        birth = birth or dt.date(year, 7, 1)
        births.append("")
        ages.append(str(age_on(birth, report)))
        reports.append(report.isoformat())
    out["birth_date"], out["age"], out["report_date"] = births, ages, reports
    return out


def main() -> None:
    """``python bench/ages_only.py FIELD.csv OUT.csv``: write the field file with ages."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("field", help="field CSV with birth dates")
    parser.add_argument("out", help="field CSV to write, with ages at report dates")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    field = pd.read_csv(args.field, dtype=str, keep_default_na=False)
    ages_only(field, seed=args.seed).to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
