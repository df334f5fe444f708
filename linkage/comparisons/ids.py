"""Identifier comparisons: national ID (DPI/CUI, DNI, DUI, cédula, CURP) and A-number.

Two different valid identifiers of the same kind are strong evidence against a match (one person
has one); one typing slip (a substitution or two adjacent digits swapped) is a likely match.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA

from linkage.comparisons.arrays import by_value, pair_scores
from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level
from normalizers.text import is_missing


def _text(value: object) -> str | None:
    if is_missing(value):
        return None
    return str(value) or None


def _true(value: object) -> bool:
    return not is_missing(value) and bool(value)


def _texts(values: Iterable[object]) -> np.ndarray:
    """Each value as text (object array), None where missing or empty."""
    return by_value(values, _text)


def one_slip(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each i, whether texts ``a[i]`` and ``b[i]`` have equal lengths and differ by one
    character or one swap of two adjacent characters (optimal string alignment distance 1).

    >>> one_slip(np.array(["012345678", "012345678", "012345678"], dtype=object),
    ...          np.array(["012345679", "012354678", "112345679"], dtype=object)).tolist()
    [True, True, False]
    """

    def length(v: object) -> int:
        return -1 if v is None else len(str(v))

    out = np.zeros(len(a), dtype=bool)
    rows = np.flatnonzero(by_value(a, length, np.int64) == by_value(b, length, np.int64))
    out[rows] = pair_scores(a[rows], b[rows], OSA.distance, np.int64) == 1
    return out


def _agreement(
    left: Iterable[object], right: Iterable[object]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(either side missing, same text, one slip apart) for two columns of identifiers."""
    a, b = _texts(left), _texts(right)
    missing = np.equal(a, None) | np.equal(b, None)
    same = ~missing & (a == b)
    rows = np.flatnonzero(~missing & ~same)
    slip = np.zeros(len(a), dtype=bool)
    slip[rows] = one_slip(a[rows], b[rows])
    return missing, same, slip


class NationalIdComparison(Comparison):
    """National identity document number."""

    name = "national_id"
    columns = ("national_id", "id_kind", "id_valid")
    levels = (
        Level("same_valid", "Mismo documento de identidad", "Same national ID"),
        Level(
            "same_unchecked",
            "Mismo número de documento (no pasa la verificación)",
            "Same ID number (fails its check)",
        ),
        Level(
            "one_slip",
            "Documento de identidad con un dígito distinto o dos dígitos invertidos",
            "National ID one digit off or two digits swapped",
        ),
        Level(
            "different_valid",
            "Documentos de identidad válidos y distintos",
            "Two different valid national IDs",
        ),
        Level("different", "Documentos de identidad distintos", "Different national IDs"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        """Levels of every row: two IDs of the same kind that both pass their check and differ
        by more than one slip are ``different_valid``."""
        missing, same, slip = _agreement(pairs["national_id_l"], pairs["national_id_r"])
        both_valid = by_value(pairs["id_valid_l"], _true, bool) & by_value(
            pairs["id_valid_r"], _true, bool
        )
        kind_l, kind_r = _texts(pairs["id_kind_l"]), _texts(pairs["id_kind_r"])
        same_kind = ~np.equal(kind_l, None) & (kind_l == kind_r)
        return self.choose(
            [
                (missing, MISSING_LEVEL),
                (same & both_valid, "same_valid"),
                (same, "same_unchecked"),
                (slip, "one_slip"),
                (both_valid & same_kind, "different_valid"),
            ],
            "different",
        )


class ANumberComparison(Comparison):
    """U.S. alien registration number (A-number)."""

    name = "a_number"
    columns = ("a_number",)
    levels = (
        Level("same", "Mismo número A (A#)", "Same A-number"),
        Level(
            "one_slip",
            "Número A con un dígito distinto o dos dígitos invertidos",
            "A-number one digit off or two digits swapped",
        ),
        Level("different", "Números A distintos", "Different A-numbers"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        missing, same, slip = _agreement(pairs["a_number_l"], pairs["a_number_r"])
        return self.choose(
            [(missing, MISSING_LEVEL), (same, "same"), (slip, "one_slip")], "different"
        )
