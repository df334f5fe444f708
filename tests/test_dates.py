"""Free-text dates: the example table, ages, the frame step, and properties."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.schema import NORMALIZED_COLUMNS
from normalizers.dates import (
    DEFAULT_REFERENCE,
    ParsedDate,
    birth_years_from_age,
    day_first_for,
    expand_year,
    normalize_frame,
    parse_age,
    parse_date,
)

DATA = Path(__file__).parent / "data"
with (DATA / "dates_examples.csv").open(encoding="utf-8") as _handle:
    EXAMPLES = list(csv.DictReader(_handle))

MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def test_the_table_is_large_enough():
    assert len(EXAMPLES) >= 50


@pytest.mark.parametrize("row", EXAMPLES, ids=[f"{r['text']}|{r['day_first']}" for r in EXAMPLES])
def test_examples(row):
    parsed = parse_date(row["text"] or None, day_first=row["day_first"] == "1")
    if not row["iso"]:
        assert parsed is None
        return
    assert parsed.iso == row["iso"]
    assert parsed.precision == row["precision"]
    assert (parsed.swapped.iso if parsed.swapped else "") == row["swapped"]


def test_parsed_date_fields():
    parsed = parse_date("04/03/1985", day_first=False)
    assert parsed == ParsedDate(1985, 4, 3, "day", ParsedDate(1985, 3, 4, "day"))
    assert parsed.swapped.swapped is None


def test_year_only_is_not_january_first():
    parsed = parse_date("1985", day_first=True)
    assert (parsed.year, parsed.month, parsed.day, parsed.precision) == (1985, None, None, "year")


def test_written_out_january_first_is_a_real_date():
    assert parse_date("1 de enero de 1985", day_first=True).precision == "day"
    assert parse_date("01/01/1985", day_first=True).precision == "year"


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        (dt.date(1985, 4, 3), "1985-04-03", "day"),
        (dt.datetime(1985, 4, 3, 10, 30), "1985-04-03", "day"),
        (pd.Timestamp("1985-04-03"), "1985-04-03", "day"),
        (np.datetime64("1985-04-03"), "1985-04-03", "day"),
        (pd.Timestamp("1985-01-01"), "1985", "year"),
        (1985, "1985", "year"),
        (1985.0, "1985", "year"),
        (np.int64(1985), "1985", "year"),
        (19850403, "1985-04-03", "day"),
    ],
)
def test_non_text_cells(value, iso, precision):
    parsed = parse_date(value, day_first=True)
    assert (parsed.iso, parsed.precision) == (iso, precision)


@pytest.mark.parametrize(
    "value", [None, float("nan"), pd.NA, pd.NaT, np.datetime64("NaT"), True, 1985.5, [], ""]
)
def test_missing_and_odd_cells(value):
    assert parse_date(value, day_first=True) is None


def test_two_digit_years_fall_in_the_hundred_years_up_to_the_reference_year():
    assert expand_year(DEFAULT_REFERENCE.year % 100) == DEFAULT_REFERENCE.year
    assert expand_year((DEFAULT_REFERENCE.year + 1) % 100) == DEFAULT_REFERENCE.year + 1 - 100
    assert expand_year(85) == 1985
    assert expand_year(41, reference_year=2041) == 2041


@pytest.mark.parametrize(
    ("value", "age"),
    [
        (38, 38),
        (38.0, 38),
        (np.int64(38), 38),
        ("38", 38),
        ("38 años", 38),
        ("aprox. 40", 40),
        ("40 years", 40),
        (0, 0),
        ("n/a", None),
        ("treinta", None),
        ("1234", None),
        (150, None),
        (-3, None),
        (None, None),
        (float("nan"), None),
        (True, None),
    ],
)
def test_parse_age(value, age):
    assert parse_age(value) == age


def test_birth_years_from_age():
    # 38 at some date in 2024: born between mid-1985 and mid-1986
    assert birth_years_from_age(38, 2024) == (1985, 1986)


def test_normalize_frame():
    df = pd.DataFrame(
        {
            "birth_date": ["04/03/1985", "1985", None, "no sabe", None, "3 de abril de 1985"],
            "age": [None, None, "38 años", 40, 40, 99],
            "report_date": [None, None, "2024-05-01", "15/06/2023", None, "2024-01-10"],
            "removal_date": ["2019-07-15", None, "07/2019", None, None, None],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    out = normalize_frame(df, day_first=False)
    assert tuple(out.columns) == NORMALIZED_COLUMNS["dates"]
    assert list(out.index) == [10, 11, 12, 13, 14, 15]
    assert out["dob"].tolist() == ["1985-04-03", "1985", pd.NA, pd.NA, pd.NA, "1985-04-03"]
    assert out["dob_precision"].tolist() == ["day", "year", pd.NA, pd.NA, pd.NA, "day"]
    assert out["dob_swapped"].tolist() == ["1985-03-04", pd.NA, pd.NA, pd.NA, pd.NA, pd.NA]
    # the date of birth wins over an age; an age needs a report date
    assert out["birth_year_min"].tolist() == [1985, 1985, 1985, 1982, pd.NA, 1985]
    assert out["birth_year_max"].tolist() == [1985, 1985, 1986, 1983, pd.NA, 1985]
    assert str(out["birth_year_min"].dtype) == "Int64"
    assert out["removal_date"].tolist() == ["2019-07-15", pd.NA, "2019-07", pd.NA, pd.NA, pd.NA]


def test_normalize_frame_day_first_setting():
    df = pd.DataFrame({"birth_date": ["03/04/1985"]})
    assert normalize_frame(df, day_first=True)["dob"].tolist() == ["1985-04-03"]
    assert normalize_frame(df, day_first=False)["dob"].tolist() == ["1985-03-04"]


def test_normalize_frame_without_date_columns():
    out = normalize_frame(pd.DataFrame({"full_name": ["x", "y"]}), day_first=True)
    assert tuple(out.columns) == NORMALIZED_COLUMNS["dates"]
    assert out.isna().all().all()


def test_normalize_frame_empty():
    out = normalize_frame(pd.DataFrame({"birth_date": []}), day_first=True)
    assert tuple(out.columns) == NORMALIZED_COLUMNS["dates"]
    assert len(out) == 0


cells = st.one_of(
    st.text(max_size=40),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
    st.dates(),
)


@settings(deadline=None)
@given(cells, st.booleans())
def test_parse_date_never_raises(value, day_first):
    parsed = parse_date(value, day_first)
    if parsed is not None:
        assert parsed.precision in ("day", "month", "year")
        assert len(parsed.iso) == {"day": 10, "month": 7, "year": 4}[parsed.precision]
        if parsed.swapped is not None:
            assert parsed.precision == parsed.swapped.precision == "day"
            assert (parsed.swapped.month, parsed.swapped.day) == (parsed.day, parsed.month)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.none(), st.integers(-5, 3000)), max_size=8))
def test_normalize_frame_never_raises(values):
    df = pd.DataFrame(
        {"birth_date": values, "age": values, "report_date": values, "removal_date": values}
    )
    out = normalize_frame(df, day_first=True)
    assert len(out) == len(values)
    low, high = out["birth_year_min"], out["birth_year_max"]
    assert ((low <= high) | low.isna()).all()


real_dates = st.dates(min_value=dt.date(1900, 1, 2), max_value=dt.date(2024, 12, 31)).filter(
    lambda d: (d.month, d.day) != (1, 1)
)


@settings(deadline=None)
@given(real_dates)
def test_round_trips(date):
    iso = date.isoformat()
    day_first = f"{date.day:02d}/{date.month:02d}/{date.year}"
    month_first = f"{date.month}/{date.day}/{date.year}"
    spanish = f"{date.day} de {MONTHS_ES[date.month - 1]} de {date.year}"
    for text, flag in ((iso, True), (day_first, True), (month_first, False), (spanish, False)):
        parsed = parse_date(text, flag)
        assert (parsed.year, parsed.month, parsed.day) == (date.year, date.month, date.day)


def test_day_first_per_source_and_setting():
    assert day_first_for("custody") is False
    assert day_first_for("field") is True
    assert day_first_for("field", setting=False) is False
    with pytest.raises(KeyError):
        day_first_for("registry")


def test_an_old_date_is_kept_when_the_record_makes_it_plausible():
    df = pd.DataFrame(
        {
            "birth_date": ["1875-05-06", "1850-01-02", "2021-03-04"],
            "report_date": ["1950-01-01", "2020-01-01", "2020-01-01"],
        }
    )
    out = normalize_frame(df, day_first=False)
    assert out["dob"].tolist()[0] == "1875-05-06"
    assert out["dob"].isna().tolist() == [False, True, True]  # 170 years old; born after report


def test_an_age_at_a_dated_report_gives_a_window_of_birth_dates():
    df = pd.DataFrame({"age": ["37", "37"], "report_date": ["2020-06-15", "2020"]})
    out = normalize_frame(df, day_first=False)
    assert out[["born_from", "born_to"]].iloc[0].tolist() == ["1982-06-16", "1983-06-15"]
    assert out[["born_from", "born_to"]].iloc[1].isna().all()  # the report's day is unknown
    assert out[["birth_year_min", "birth_year_max"]].iloc[1].tolist() == [1982, 1983]


def test_a_record_without_a_date_of_its_own_keeps_an_old_birth_date():
    # a census-style file: year-month births and no report date; only the future is refused
    df = pd.DataFrame({"birth_date": ["1827-02", "1760", "2031-01-02"]})
    out = normalize_frame(df, day_first=False, reference=dt.date(1862, 8, 20))
    assert out["dob"].tolist()[:2] == ["1827-02", "1760"]
    assert out["birth_year_min"].tolist()[:2] == [1827, 1760]
    assert pd.isna(out["dob"].tolist()[2])
