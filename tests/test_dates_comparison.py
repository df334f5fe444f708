"""Birth date comparison levels, including the ID fallback counted once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.comparisons.base import MISSING
from linkage.comparisons.dates import BirthDateComparison
from normalizers.dates import normalize_frame

COMPARISON = BirthDateComparison()
LEVEL = {name: i for i, name in enumerate(COMPARISON.level_names())}


def side(
    dob=None,
    precision=None,
    swapped=None,
    low=None,
    high=None,
    id_dob=None,
    id_year=None,
    born=(None, None),
):
    return {
        "born_from": born[0],
        "born_to": born[1],
        "dob": dob,
        "dob_precision": precision,
        "dob_swapped": swapped,
        "birth_year_min": low,
        "birth_year_max": high,
        "id_dob": id_dob,
        "id_birth_year": id_year,
    }


def day(iso, swapped=None):
    year = int(iso[:4])
    return side(iso, "day", swapped, year, year)


def month(iso):
    return side(iso, "month", None, int(iso[:4]), int(iso[:4]))


def year(value):
    return side(str(value), "year", None, value, value)


def age_range(low, high):
    return side(low=low, high=high)


def age_on(age, report):
    """An age on a report date, normalized as the field file would be."""
    row = normalize_frame(pd.DataFrame({"age": [str(age)], "report_date": [report]}), False).iloc[0]
    return side(
        low=int(row["birth_year_min"]),
        high=int(row["birth_year_max"]),
        born=(row["born_from"], row["born_to"]),
    )


def levels(pairs):
    frame = pd.DataFrame(
        [
            {**{f"{k}_l": v for k, v in a.items()}, **{f"{k}_r": v for k, v in b.items()}}
            for a, b in pairs
        ]
    )
    return COMPARISON.vector(frame).tolist()


CASES = [
    ("exact", day("1985-04-03"), day("1985-04-03")),
    ("exact", day("1985-04-03", "1985-03-04"), day("1985-04-03")),
    # custody read 04/03 month-first, the field wrote 04/03 day-first
    ("swapped", day("1985-04-03", "1985-03-04"), day("1985-03-04", "1985-04-03")),
    # both written ISO, so neither keeps a second reading, yet day and month are transposed
    ("swapped", day("1985-10-02"), day("1985-02-10")),
    ("swapped", day("1985-12-05"), day("1985-05-12")),
    ("same_year_month", day("1985-04-03"), day("1985-04-20")),
    ("same_year_month", day("1985-04-03"), month("1985-04")),
    ("same_year_month", day("1985-03-04", "1985-04-03"), month("1985-04")),
    ("year_within_one", day("1985-04-03"), day("1986-09-20")),
    ("year_within_one", day("1985-04-03"), day("1985-09-20")),
    ("year_within_one", month("1985-04"), day("1984-11-02")),
    ("year_agrees", day("1985-04-03"), year(1985)),
    ("year_agrees", year(1985), year(1985)),
    ("year_agrees", day("1985-04-03"), age_range(1985, 1986)),
    ("year_agrees", age_range(1984, 1985), age_range(1985, 1986)),
    # an age or a year alone is often a year or two off
    ("year_close", year(1985), year(1986)),
    ("year_close", day("1985-04-03"), age_range(1986, 1987)),
    ("year_near", year(1985), year(1987)),
    ("year_near", year(1985), year(1988)),
    ("year_near", age_range(1990, 1991), age_range(1987, 1988)),
    # an age on a dated report: 37 on 2020-06-15 is consistent with a birth on 1983-01-10,
    # 38 is a year off, 45 is someone else
    ("year_agrees", day("1983-01-10"), age_on(37, "2020-06-15")),
    ("year_close", day("1983-01-10"), age_on(38, "2020-06-15")),
    ("far", day("1983-01-10"), age_on(45, "2020-06-15")),
    ("year_agrees", age_on(37, "2020-06-15"), age_on(37, "2020-07-01")),
    ("far", day("1985-04-03"), day("1990-04-03")),
    ("far", year(1985), year(1989)),
    ("far", day("1985-04-03"), age_range(1970, 1971)),
    ("far", month("1985-04"), month("1988-04")),
]


def test_level_names_and_reasons():
    assert COMPARISON.name == "birth_date"
    assert COMPARISON.level_names() == [
        "exact",
        "swapped",
        "same_year_month",
        "year_within_one",
        "year_agrees",
        "year_close",
        "year_near",
        "far",
    ]
    assert COMPARISON.levels[0].es == "Fecha de nacimiento exacta"
    assert COMPARISON.levels[1].en == "Birth date with day and month swapped"
    assert all(level.es and level.en for level in COMPARISON.levels)


@pytest.mark.parametrize(("expected", "left", "right"), CASES)
def test_levels(expected, left, right):
    assert levels([(left, right), (right, left)]) == [LEVEL[expected]] * 2


def test_missing_is_not_a_mismatch():
    assert levels([(side(), day("1985-04-03")), (year(1985), side())]) == [MISSING, MISSING]


def test_id_birth_date_is_used_where_the_record_has_none():
    cedula = side(id_dob="1985-04-03", id_year=1985)
    assert levels([(day("1985-04-03"), cedula)]) == [LEVEL["exact"]]
    assert levels([(day("1985-04-20"), cedula)]) == [LEVEL["same_year_month"]]


def test_id_is_ignored_where_the_record_has_a_date_or_an_age():
    with_dob = {**day("1990-01-15"), "id_dob": "1985-04-03", "id_birth_year": 1985}
    with_age = {**age_range(1990, 1991), "id_dob": "1985-04-03", "id_birth_year": 1985}
    assert levels([(day("1985-04-03"), with_dob), (day("1985-04-03"), with_age)]) == [
        LEVEL["far"],
        LEVEL["far"],
    ]


def test_dni_year_is_lower_trust_evidence():
    dni = side(id_year=1987)  # registered in 1987: born then or up to two years before
    assert levels(
        [(day("1985-04-03"), dni), (year(1987), dni), (year(1984), dni), (year(1981), dni)]
    ) == [LEVEL["year_agrees"], LEVEL["year_agrees"], LEVEL["year_close"], LEVEL["far"]]


def test_repeated_pairs_are_evaluated_once_and_joined_back():
    pairs = [(day("1985-04-03"), day("1985-04-03")), (year(1985), year(1990))] * 3
    assert levels(pairs) == [LEVEL["exact"], LEVEL["far"]] * 3


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)).map(
                lambda d: d.strftime("%m/%d/%Y")
            ),
            st.integers(1940, 2010).map(str),
            st.none(),
        ),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.one_of(st.none(), st.integers(15, 80)), min_size=12, max_size=12),
)
def test_symmetric_and_reflexive(texts, ages):
    raw = pd.DataFrame(
        {"birth_date": texts, "age": ages[: len(texts)], "report_date": "2024-06-01"}
    )
    side = normalize_frame(raw, day_first=False).assign(
        id_dob=pd.NA, id_birth_year=pd.array([pd.NA] * len(texts), dtype="Int64")
    )
    left = side.add_suffix("_l").reset_index(drop=True)
    right = side.sample(frac=1, random_state=0).add_suffix("_r").reset_index(drop=True)
    forward = COMPARISON.levels_of(pd.concat([left, right], axis=1))
    flipped = pd.concat(
        [
            right.rename(columns=lambda c: c[:-2] + "_l"),
            left.rename(columns=lambda c: c[:-2] + "_r"),
        ],
        axis=1,
    )
    assert forward.tolist() == COMPARISON.levels_of(flipped).tolist()
    itself = COMPARISON.levels_of(
        pd.concat([left, side.add_suffix("_r").reset_index(drop=True)], axis=1)
    )
    expected = side["dob_precision"].map({"day": 0, "month": 2, "year": 4}).fillna(4)
    expected = expected.where(side["birth_year_min"].notna(), MISSING)
    assert itself.tolist() == expected.astype(int).tolist()


cell = st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 3000), st.floats(), st.booleans())


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(*[cell] * 2 * len(COMPARISON.columns)), max_size=6))
def test_levels_never_raise_on_odd_cells(rows):
    columns = [f"{c}_{s}" for s in ("l", "r") for c in COMPARISON.columns]
    levels = COMPARISON.levels_of(pd.DataFrame(rows, columns=columns, dtype=object))
    assert all(MISSING <= level < len(COMPARISON.levels) for level in levels)


def test_day_numbers_of_date_parts_are_those_of_their_iso_text():
    """Each distinct date is read once (issue 12): the day numbers equal reading every row's
    ISO text, for real dates, impossible ones (30 February, month 13, day 0), years outside
    what a timestamp holds, and unknown parts."""
    from linkage.comparisons.dates import _day_numbers, _days

    grid = [(y, m, d) for y in (1600.0, 1985, 2000, 2001) for m in (0.0, 2, 12, 13)
            for d in (0.0, 1, 28, 29, 30, 31)]
    grid += [(np.nan, 1.0, 1.0), (1985.0, np.nan, 1.0), (1985.0, 1.0, np.nan)] + grid[:10]
    year, month, day = (np.array(part) for part in zip(*grid, strict=True))
    text = [
        f"{int(y):04d}-{int(m):02d}-{int(d):02d}" if np.isfinite([y, m, d]).all() else None
        for y, m, d in grid
    ]
    expected = _days(pd.Series(text, dtype=object))
    np.testing.assert_array_equal(_day_numbers(year, month, day), expected)
    # real dates: 5 in each December of 1985, 2000 and 2001, and 1, 28 (and 29 in 2000) February
    assert np.isfinite(expected).sum() == 3 * 5 + 2 + 3 + 2
