"""Phone comparison levels."""

from __future__ import annotations

import pandas as pd
import pytest

from linkage.compare import MISSING
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
