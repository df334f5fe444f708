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

from linkage.comparisons.arrays import Sets, any_close, by_value, share
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
        """Levels of every row: pairs where no child's given name agrees with one on the other
        side are decided on arrays (:func:`_some_given_agrees`), the pairing runs on the rest."""
        out = np.full(len(pairs), MISSING, dtype=np.int8)
        listed = by_value(pairs["children_l"], _is_list, bool) & by_value(
            pairs["children_r"], _is_list, bool
        )
        rows = np.flatnonzero(listed)
        agree = _some_given_agrees(
            pairs["children_l"].to_numpy()[rows], pairs["children_r"].to_numpy()[rows]
        )
        out[rows[~agree]] = self.code("no_child_agrees")
        columns = ("children_l", "children_dobs_l", "children_r", "children_dobs_r")
        values = [pairs[c].to_numpy()[rows[agree]] for c in columns]
        for k, nl, dl, nr, dr in zip(rows[agree], *values, strict=True):
            level = _level(nl.split(";"), _dobs(dl, nl), nr.split(";"), _dobs(dr, nr))
            out[k] = self.code(level)
        return out


def _is_list(value: object) -> bool:
    return isinstance(value, str)


def _some_given_agrees(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For each pair of ``;``-joined child lists, whether some child of one side and some of
    the other agree on their first given name (:func:`_given_agrees`). A list with an empty
    name counts as agreeing, so that it takes the pairing's path."""
    left_codes, left_lists = pd.factorize(left)
    right_codes, right_lists = pd.factorize(right)
    keys: dict[str, int] = {}
    words: dict[str, int] = {}
    marks: list[list[str]] = []
    firsts: list[list[str]] = []
    for lists in (left_lists, right_lists):
        for cell in lists:
            names_ = cell.split(";")
            if any(not n.split() for n in names_):
                marks.append(["!empty"])
                firsts.append([])
                continue
            first = {n.split()[0] for n in names_}
            forms = {f for w in first for f in names.given_name_forms(w)}
            marks.append(sorted({"=" + w for w in first} | {"~" + f for f in forms}))
            firsts.append(sorted(first))
    n_left = len(left_lists)
    mark_l, mark_r = Sets(marks[:n_left], keys), Sets(marks[n_left:], keys)
    left_codes = left_codes.astype(np.int64)
    right_codes = right_codes.astype(np.int64)
    agree = share(mark_l, mark_r, left_codes, right_codes, max(len(keys), 1))
    empty = np.array(["!empty" in m for m in marks], dtype=bool)
    agree |= empty[:n_left][left_codes] | empty[n_left:][right_codes]
    first_l, first_r = Sets(firsts[:n_left], words), Sets(firsts[n_left:], words)
    rest = np.flatnonzero(~agree)
    agree[rest] = any_close(
        first_l, first_r, list(words), left_codes[rest], right_codes[rest], GIVEN_SIMILAR
    )
    return agree


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
