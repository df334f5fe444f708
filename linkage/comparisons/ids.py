"""Identifier comparisons: national ID (DPI/CUI, DNI, DUI, cédula, CURP) and A-number.

Two different valid identifiers of the same kind are strong evidence against a match (one person
has one); one typing slip (a substitution or two adjacent digits swapped) is a likely match.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level
from normalizers.text import is_missing


def _text(value: object) -> str | None:
    if is_missing(value):
        return None
    return str(value) or None


def _true(value: object) -> bool:
    return not is_missing(value) and bool(value)


def one_slip(a: str, b: str) -> bool:
    """Whether equal-length ``a`` and ``b`` differ by one character or one adjacent swap.

    >>> one_slip("012345678", "012345679"), one_slip("012345678", "012354678")
    (True, True)
    >>> one_slip("012345678", "012345687"), one_slip("012345678", "112345679")
    (True, False)
    """
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        return True
    i, j = diffs[0], diffs[-1]
    return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]


def national_id_level(
    id_l: object, kind_l: object, valid_l: object, id_r: object, kind_r: object, valid_r: object
) -> str:
    """Level name of a pair of national IDs (see :class:`NationalIdComparison`).

    >>> national_id_level("1234567890101", "gt_cui", True, "1234567890101", "gt_cui", True)
    'same_valid'
    >>> national_id_level("1234567890101", "gt_cui", True, "1234567800101", "gt_cui", False)
    'one_slip'
    >>> national_id_level("1234567890101", "gt_cui", True, "1000000020101", "gt_cui", True)
    'different_valid'
    """
    a, b = _text(id_l), _text(id_r)
    if a is None or b is None:
        return MISSING_LEVEL
    both_valid = _true(valid_l) and _true(valid_r)
    if a == b:
        return "same_valid" if both_valid else "same_unchecked"
    if one_slip(a, b):
        return "one_slip"
    if both_valid and _text(kind_l) is not None and _text(kind_l) == _text(kind_r):
        return "different_valid"
    return "different"


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
        cols = [pairs[f"{c}_{s}"].astype(object) for s in ("l", "r") for c in self.columns]
        return np.fromiter(
            (self.code(national_id_level(*row)) for row in zip(*cols, strict=True)),
            dtype=np.int8,
            count=len(pairs),
        )


def a_number_level(left: object, right: object) -> str:
    """Level name of a pair of 9-digit A-numbers.

    >>> a_number_level("012345678", "012345678"), a_number_level("012345678", "012345687")
    ('same', 'one_slip')
    >>> a_number_level("012345678", "098765432"), a_number_level(None, "012345678")
    ('different', 'missing')
    """
    a, b = _text(left), _text(right)
    if a is None or b is None:
        return MISSING_LEVEL
    if a == b:
        return "same"
    return "one_slip" if one_slip(a, b) else "different"


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
        return np.fromiter(
            (
                self.code(a_number_level(a, b))
                for a, b in zip(pairs["a_number_l"], pairs["a_number_r"], strict=True)
            ),
            dtype=np.int8,
            count=len(pairs),
        )
