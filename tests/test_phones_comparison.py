"""Phone comparison levels."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.comparisons.base import MISSING
from linkage.comparisons.phones import PhoneComparison

COMPARISON = PhoneComparison()
LEVEL = {name: i for i, name in enumerate(COMPARISON.level_names())}


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("55551234", "55551234", "shared"),
        ("55551234;44445678", "77771234;44445678", "shared"),
        # the same number with and without an area code
        ("7135550123", "5550123", "same_last_7"),
        ("5512345678", "3312345678", "same_last_7"),
        ("55551234", "44441234", "different"),
        ("55551234", None, None),
        (None, None, None),
    ],
)
def test_levels(left, right, expected):
    frame = pd.DataFrame(
        {"phone_keys_l": [left, right], "phone_keys_r": [right, left]}, dtype="string"
    )
    level = LEVEL[expected] if expected else MISSING
    assert COMPARISON.vector(frame).tolist() == [level, level]


def test_reasons():
    assert COMPARISON.name == "phone"
    assert COMPARISON.columns == ("phone_keys",)
    assert COMPARISON.levels[0].es == "Comparten un teléfono"
    assert COMPARISON.levels[0].en == "Share a phone number"
    assert COMPARISON.level_names() == ["shared", "same_last_7", "different"]


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(alphabet="0123456789;", max_size=20), st.floats()),
            st.one_of(st.none(), st.text(alphabet="0123456789;", max_size=20), st.floats()),
        ),
        max_size=6,
    )
)
def test_levels_never_raise_and_are_symmetric(rows):
    frame = pd.DataFrame(rows, columns=["phone_keys_l", "phone_keys_r"], dtype=object)
    flipped = frame.rename(columns={"phone_keys_l": "phone_keys_r", "phone_keys_r": "phone_keys_l"})
    assert COMPARISON.levels_of(frame).tolist() == COMPARISON.levels_of(flipped).tolist()
