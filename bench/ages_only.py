"""A field file with ages instead of birth dates, as NGO reports usually give them.

    .venv/bin/python bench/ages_only.py FIELD.csv OUT.csv

Each report's age is its birth date's whole years on its report date (a report without a date is
dated :data:`DEFAULT_REPORT`); the birth date is blanked. A report whose birth date is only a year
gets the age it would have on its report date's birthday-less reading (report year minus birth
year). Reports with no readable birth date keep what they had.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

from normalizers.dates import parse_date

#: the report date given to reports that lack one
DEFAULT_REPORT = "2021-01-15"


def ages_only(field: pd.DataFrame, day_first: bool = True) -> pd.DataFrame:
    """``field`` (raw columns, as written) with ``birth_date`` replaced by ``age`` at
    ``report_date``.

    >>> raw = pd.DataFrame({"birth_date": ["03/04/1985", ""], "age": ["", "40"],
    ...                     "report_date": ["15/06/2020", ""]})
    >>> ages_only(raw)[["birth_date", "age"]].values.tolist()
    [['', '35'], ['', '40']]
    """
    out = field.copy().astype(object)
    if "report_date" not in out:
        out["report_date"] = ""
    if "age" not in out:
        out["age"] = ""
    for i in out.index:
        birth = parse_date(out.at[i, "birth_date"], day_first)
        if birth is None:
            continue
        report = parse_date(out.at[i, "report_date"], day_first)
        if report is None or report.precision != "day":
            report = parse_date(DEFAULT_REPORT, False)
            out.at[i, "report_date"] = DEFAULT_REPORT
        on = dt.date(report.year, report.month, report.day)
        age = on.year - birth.year
        if birth.precision == "day" and (on.month, on.day) < (birth.month, birth.day):
            age -= 1
        out.at[i, "age"] = str(age)
        out.at[i, "birth_date"] = ""
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("field", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    field = pd.read_csv(args.field, dtype=str, keep_default_na=False)
    ages_only(field).to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
