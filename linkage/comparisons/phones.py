"""Phone comparison: a shared number, the same last 7 digits, or none shared.

Reads ``phone_keys`` (``;``-joined national significant numbers), so a number recorded under the
wrong country still matches.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level
from normalizers.text import is_missing

#: digits compared when two numbers differ only in an area code or a country prefix
TAIL = 7


def _keys(value: object) -> frozenset[str]:
    if is_missing(value):
        return frozenset()
    return frozenset(k for k in str(value).split(";") if k)


def phone_level(left: object, right: object) -> str:
    """Level name of two ``phone_keys`` values.

    >>> phone_level("55551234;77771234", "77771234"), phone_level("2255551234", "55551234")
    ('shared', 'same_last_7')
    >>> phone_level("55551234", "44441234"), phone_level("55551234", None)
    ('different', 'missing')
    """
    a, b = _keys(left), _keys(right)
    if not a or not b:
        return MISSING_LEVEL
    if a & b:
        return "shared"
    if {k[-TAIL:] for k in a} & {k[-TAIL:] for k in b}:
        return "same_last_7"
    return "different"


class PhoneComparison(Comparison):
    """Whether the two records share a phone number."""

    name = "phone"
    columns = ("phone_keys",)
    levels = (
        Level("shared", "Comparten un teléfono", "Share a phone number"),
        Level(
            "same_last_7",
            "Teléfonos con los mismos últimos 7 dígitos",
            "Phone numbers with the same last 7 digits",
        ),
        Level("different", "Ningún teléfono en común", "No phone number in common"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        return np.fromiter(
            (
                self.code(phone_level(a, b))
                for a, b in zip(pairs["phone_keys_l"], pairs["phone_keys_r"], strict=True)
            ),
            dtype=np.int8,
            count=len(pairs),
        )
