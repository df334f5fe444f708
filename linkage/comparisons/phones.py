"""Phone comparison: a shared number, the same last 7 digits, or none shared.

Reads ``phone_keys`` (``;``-joined national significant numbers), so a number recorded under the
wrong country still matches.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from linkage.comparisons.arrays import Sets, factorized, share
from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level
from normalizers.text import is_missing

#: digits compared when two numbers differ only in an area code or a country prefix
TAIL = 7


def _keys(value: object) -> frozenset[str]:
    if is_missing(value):
        return frozenset()
    return frozenset(k for k in str(value).split(";") if k)


def _sets(values: pd.Series) -> tuple[np.ndarray, list[frozenset[str]]]:
    """(code of each value, the set of phone keys of each code)."""
    codes, table = factorized(values)
    return codes, [_keys(v) for v in table]


def _share(
    left: tuple[np.ndarray, list[frozenset[str]]],
    right: tuple[np.ndarray, list[frozenset[str]]],
    part: Callable[[str], str],
) -> np.ndarray:
    """Whether the two sides' sets of ``part(key)`` meet, for every pair."""
    vocabulary: dict[str, int] = {}
    a = Sets([{part(k) for k in keys} for keys in left[1]], vocabulary)
    b = Sets([{part(k) for k in keys} for keys in right[1]], vocabulary)
    return share(a, b, left[0], right[0], max(len(vocabulary), 1))


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
        """Levels of every row, each side's distinct values split into keys once.

        >>> pairs = pd.DataFrame({"phone_keys_l": ["55551234;77771234", "2255551234", "5555", None],
        ...                       "phone_keys_r": ["77771234", "55551234", "4444", "5555"]})
        >>> [PhoneComparison().level_names()[i] if i >= 0 else "missing"
        ...  for i in PhoneComparison().levels_of(pairs)]
        ['shared', 'same_last_7', 'different', 'missing']
        """
        left, right = _sets(pairs["phone_keys_l"]), _sets(pairs["phone_keys_r"])
        empty_l = np.array([not keys for keys in left[1]], dtype=bool)
        empty_r = np.array([not keys for keys in right[1]], dtype=bool)
        return self.choose(
            [
                (empty_l[left[0]] | empty_r[right[0]], MISSING_LEVEL),
                (_share(left, right, str), "shared"),
                (_share(left, right, lambda k: k[-TAIL:]), "same_last_7"),
            ],
            "different",
        )
