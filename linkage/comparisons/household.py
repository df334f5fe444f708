"""Household evidence: the children each side lists, compared as a set.

Children are paired one-to-one by the best assignment (Hungarian algorithm on a similarity
score), so two children on one side never both claim the same child on the other. A parent whose
child agrees on name and birth date is a far stronger lead than one who merely shares a surname.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import token_set_ratio
from scipy.optimize import linear_sum_assignment

from linkage.comparisons.base import MISSING, Comparison, Level
from normalizers import names

#: Jaro-Winkler similarity at which two first given names count as the same name
GIVEN_SIMILAR = 0.92


def _given_agrees(a: str, b: str) -> bool:
    first_a, first_b = a.split()[0], b.split()[0]
    if first_a == first_b or names.given_name_forms(first_a) & names.given_name_forms(first_b):
        return True
    return JaroWinkler.normalized_similarity(first_a, first_b) >= GIVEN_SIMILAR


def _date_level(a: str, b: str) -> int:
    """2 same date, 1 same year (or within one year), 0 different, -1 unknown."""
    if not a or not b:
        return -1
    if a == b or (len(a) != len(b) and (a.startswith(b) or b.startswith(a))):
        return 2 if min(len(a), len(b)) == 10 else 1
    if a[:4].isdigit() and b[:4].isdigit() and abs(int(a[:4]) - int(b[:4])) <= 1:
        return 1
    return 0


def child_pairs(
    names_l: list[str], dobs_l: list[str], names_r: list[str], dobs_r: list[str]
) -> list[tuple[bool, int, float]]:
    """Best one-to-one pairing of two lists of children.

    Returns, for each paired child, (given name agrees, date level as in ``_date_level``, full
    name similarity 0..1).
    """
    scores = np.zeros((len(names_l), len(names_r)))
    facts = {}
    for i, (na, da) in enumerate(zip(names_l, dobs_l, strict=True)):
        for j, (nb, db) in enumerate(zip(names_r, dobs_r, strict=True)):
            given = _given_agrees(na, nb)
            date = _date_level(da, db)
            similarity = token_set_ratio(na, nb) / 100.0
            facts[i, j] = (given, date, similarity)
            scores[i, j] = 2.0 * given + (date if date > 0 else -1.0 * (date == 0)) + similarity
    rows, cols = linear_sum_assignment(-scores)
    return [facts[i, j] for i, j in zip(rows, cols, strict=True)]


class HouseholdComparison(Comparison):
    name = "children"
    columns = ("children", "children_dobs")
    levels = (
        Level(
            "two_children_agree",
            "Coinciden dos hijos o más",
            "Two or more children agree",
        ),
        Level(
            "child_name_and_dob",
            "Coincide un hijo: nombre y fecha de nacimiento",
            "A child agrees: name and birth date",
        ),
        Level(
            "child_name_and_year",
            "Coincide un hijo: nombre y año de nacimiento",
            "A child agrees: name and birth year",
        ),
        Level(
            "child_name",
            "Coincide el nombre de un hijo",
            "A child's name agrees",
        ),
        Level(
            "child_name_date_differs",
            "Un hijo con el mismo nombre pero otra fecha de nacimiento",
            "A child with the same name but another birth date",
        ),
        Level(
            "no_child_agrees",
            "Ningún hijo coincide",
            "No child agrees",
        ),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        out = np.full(len(pairs), MISSING, dtype=np.int8)
        rows = zip(
            pairs["children_l"],
            pairs["children_dobs_l"],
            pairs["children_r"],
            pairs["children_dobs_r"],
            strict=True,
        )
        for k, (nl, dl, nr, dr) in enumerate(rows):
            if not isinstance(nl, str) or not isinstance(nr, str):
                continue
            level = _level(nl.split(";"), _dobs(dl, nl), nr.split(";"), _dobs(dr, nr))
            out[k] = self.code(level)
        return out


def _level(names_l: list[str], dobs_l: list[str], names_r: list[str], dobs_r: list[str]) -> str:
    """The level name of two lists of children (see :class:`HouseholdComparison`)."""
    paired = child_pairs(names_l, dobs_l, names_r, dobs_r)
    strong = [p for p in paired if p[0] and p[1] >= 1]
    if len(strong) >= 2:
        return "two_children_agree"
    if any(g and d == 2 for g, d, _ in paired):
        return "child_name_and_dob"
    if strong:
        return "child_name_and_year"
    if any(g and d == -1 for g, d, _ in paired):
        return "child_name"
    if any(g for g, _, _ in paired):
        return "child_name_date_differs"
    return "no_child_agrees"


def _dobs(cell: object, names_cell: str) -> list[str]:
    n = names_cell.count(";") + 1
    values = cell.split(";") if isinstance(cell, str) else []
    return (values + [""] * n)[:n]
