"""National ID and A-number comparison levels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.comparisons.base import MISSING
from linkage.comparisons.ids import ANumberComparison, NationalIdComparison, one_slip

NATIONAL = NationalIdComparison()
A_NUMBER = ANumberComparison()
NAT = {name: i for i, name in enumerate(NATIONAL.level_names())}
ANUM = {name: i for i, name in enumerate(A_NUMBER.level_names())}

CUI = ("1234567890101", "gt_cui", True)
OTHER_CUI = ("9876543220101", "gt_cui", True)
DNI = ("0801198501234", "hn_dni", True)
NONE = (None, None, None)


def national_levels(pairs):
    rows = [
        {
            "national_id_l": a[0], "id_kind_l": a[1], "id_valid_l": a[2],
            "national_id_r": b[0], "id_kind_r": b[1], "id_valid_r": b[2],
        }
        for a, b in pairs
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["id_valid_l"] = frame["id_valid_l"].astype("boolean")
    frame["id_valid_r"] = frame["id_valid_r"].astype("boolean")
    return NATIONAL.vector(frame).tolist()


@pytest.mark.parametrize(
    ("expected", "left", "right"),
    [
        ("same_valid", CUI, CUI),
        ("same_unchecked", ("1234567800101", "gt_cui", False), ("1234567800101", "gt_cui", False)),
        ("same_unchecked", ("55555", None, False), ("55555", None, False)),
        ("one_slip", CUI, ("1234567800101", "gt_cui", False)),  # one digit off
        ("one_slip", CUI, ("1234567980101", "gt_cui", False)),  # two digits swapped
        ("different_valid", CUI, OTHER_CUI),
        ("different", CUI, DNI),  # different kinds: no strong evidence either way
        ("different", CUI, ("5555555550101", "gt_cui", False)),
    ],
)
def test_national_id_levels(expected, left, right):
    assert national_levels([(left, right), (right, left)]) == [NAT[expected]] * 2


def test_national_id_missing():
    assert national_levels([(CUI, NONE), (NONE, NONE)]) == [MISSING, MISSING]


def test_national_id_reasons():
    assert NATIONAL.name == "national_id"
    assert NATIONAL.columns == ("national_id", "id_kind", "id_valid")
    assert NATIONAL.levels[0].en == "Same national ID"
    assert NATIONAL.level_names()[-1] == "different"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("012345678", "012345678", "same"),
        ("012345678", "012345679", "one_slip"),
        ("012345678", "012345768", "one_slip"),
        ("012345678", "098765432", "different"),
        ("012345678", "012345", "different"),
        ("012345678", None, None),
        (None, None, None),
    ],
)
def test_a_number_levels(left, right, expected):
    frame = pd.DataFrame({"a_number_l": [left], "a_number_r": [right]}, dtype="string")
    assert A_NUMBER.vector(frame).tolist() == [ANUM[expected] if expected else MISSING]


def test_a_number_reasons():
    assert A_NUMBER.name == "a_number"
    assert A_NUMBER.columns == ("a_number",)
    assert A_NUMBER.levels[0].es == "Mismo número A (A#)"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("12345", "12345", False),
        ("12345", "12346", True),
        ("12345", "21345", True),
        ("12345", "12354", True),
        ("12345", "13245", True),
        ("12345", "13254", False),
        ("12345", "32145", False),
        ("12345", "1234", False),
    ],
)
def test_one_slip(a, b, expected):
    assert one_slip(np.array([a], dtype=object), np.array([b], dtype=object)).tolist() == [expected]


values = st.one_of(st.none(), st.text(max_size=15), st.integers(), st.floats(), st.booleans())


@settings(deadline=None)
@given(st.lists(st.tuples(values, values, values, values, values, values), max_size=6))
def test_national_id_levels_never_raise(rows):
    columns = [
        "national_id_l",
        "id_kind_l",
        "id_valid_l",
        "national_id_r",
        "id_kind_r",
        "id_valid_r",
    ]
    levels = NATIONAL.levels_of(pd.DataFrame(rows, columns=columns, dtype=object))
    assert all(MISSING <= level < len(NATIONAL.levels) for level in levels)


@settings(deadline=None)
@given(st.lists(st.tuples(values, values), max_size=6))
def test_a_number_levels_never_raise(rows):
    levels = A_NUMBER.levels_of(
        pd.DataFrame(rows, columns=["a_number_l", "a_number_r"], dtype=object)
    )
    assert all(MISSING <= level < len(A_NUMBER.levels) for level in levels)
