"""Slow, obviously correct per-pair versions of the comparisons that now run on arrays.

Each function decides one pair from its plain Python values, the way the comparisons did before
they were vectorised; the ``Row*`` classes run them on every row of a pair frame, so that
:mod:`tests.test_compare_core` can check the array code gives the same level for every pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from linkage.comparisons.ids import ANumberComparison, NationalIdComparison
from linkage.comparisons.phones import TAIL, PhoneComparison
from linkage.comparisons.places import PlaceComparison, _seats, haversine_km
from normalizers.text import is_missing


def _text(value: object) -> str | None:
    return None if is_missing(value) else (str(value) or None)


def one_slip(a: str, b: str) -> bool:
    """Equal lengths, and one character differs or two adjacent ones are swapped."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        return True
    i, j = diffs[0], diffs[-1]
    return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]


def national_id_level(id_l, kind_l, valid_l, id_r, kind_r, valid_r) -> str:
    a, b = _text(id_l), _text(id_r)
    if a is None or b is None:
        return "missing"
    both_valid = not is_missing(valid_l) and bool(valid_l) and not is_missing(valid_r)
    both_valid = both_valid and bool(valid_r)
    if a == b:
        return "same_valid" if both_valid else "same_unchecked"
    if one_slip(a, b):
        return "one_slip"
    if both_valid and _text(kind_l) is not None and _text(kind_l) == _text(kind_r):
        return "different_valid"
    return "different"


def a_number_level(left, right) -> str:
    a, b = _text(left), _text(right)
    if a is None or b is None:
        return "missing"
    if a == b:
        return "same"
    return "one_slip" if one_slip(a, b) else "different"


def phone_level(left, right) -> str:
    a, b = ({k for k in str(v).split(";") if k} if _text(v) else set() for v in (left, right))
    if not a or not b:
        return "missing"
    if a & b:
        return "shared"
    if {k[-TAIL:] for k in a} & {k[-TAIL:] for k in b}:
        return "same_last_7"
    return "different"


def _place_side(row: dict, side: str) -> tuple[object, object, object, object]:
    def get(name: str) -> object:
        value = row.get(f"{name}_{side}")
        return None if is_missing(value) or str(value).strip() == "" else value

    muni = get("municipality_code")
    if muni is None:
        muni = get("id_municipality_code")
    dept = get("department_code")
    if dept is None and muni is not None:
        dept = str(muni)[:4]
    country = get("country")
    if country is None and dept is not None:
        country = str(dept)[:2]
    return country, dept, muni, get("community")


def place_level(row: dict, km: float) -> str:
    (cl, dl, ml, nl), (cr, dr, mr, nr) = _place_side(row, "l"), _place_side(row, "r")
    community = nl is not None and nr is not None and fuzz.ratio(str(nl), str(nr)) >= 90.0
    if cl is None or cr is None:
        if community:
            return "same_community"
        return "other_community" if nl is not None and nr is not None else "missing"
    same_muni = ml is not None and mr is not None and ml == mr
    same_dept = dl is not None and dr is not None and dl == dr
    if community and (same_muni or (same_dept and (ml is None or mr is None))):
        return "same_community"
    if same_muni:
        return "same_municipality"
    lat, lon = _seats()
    seats = ml in lat and mr in lat
    if seats and float(haversine_km(lat[ml], lon[ml], lat[mr], lon[mr])) <= km:
        return "within_km"
    if same_dept:
        return "same_department"
    if cl == cr:
        return "same_country"
    return "different_countries"


def _rows(pairs: pd.DataFrame) -> list[dict]:
    return pairs.astype(object).to_dict("records")


class RowNationalId(NationalIdComparison):
    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        columns = [f"{c}_{s}" for s in ("l", "r") for c in self.columns]
        levels = [national_id_level(*(r[c] for c in columns)) for r in _rows(pairs)]
        return np.array([self.code(x) for x in levels], dtype=np.int8)


class RowANumber(ANumberComparison):
    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        levels = [a_number_level(r["a_number_l"], r["a_number_r"]) for r in _rows(pairs)]
        return np.array([self.code(x) for x in levels], dtype=np.int8)


class RowPhone(PhoneComparison):
    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        levels = [phone_level(r["phone_keys_l"], r["phone_keys_r"]) for r in _rows(pairs)]
        return np.array([self.code(x) for x in levels], dtype=np.int8)


class RowPlace(PlaceComparison):
    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        levels = [place_level(r, self.km) for r in _rows(pairs)]
        return np.array([self.code(x) for x in levels], dtype=np.int8)


ORACLES = {
    NationalIdComparison: RowNationalId,
    ANumberComparison: RowANumber,
    PhoneComparison: RowPhone,
    PlaceComparison: RowPlace,
}
