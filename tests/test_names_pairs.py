"""Hand-written pair tables: each pair of names must land in its expected level.

``tests/data/name_pairs_same.csv`` holds one person's name as a U.S. custody record and a field
report write it; ``name_pairs_different.csv`` different people whom a naive matcher confuses.
The custody side is a full name or, where ``custody_name`` is empty, the parts columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from linkage.comparisons.base import MISSING
from linkage.comparisons.names import NameComparison
from linkage.comparisons.run import pair_frame
from normalizers.names import normalize_frame

DATA = Path(__file__).parent / "data"
COMPARISON = NameComparison()
LEVEL_NAMES = [lv.name for lv in COMPARISON.levels]


def _table(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def _levels(table: pd.DataFrame) -> list[str]:
    blank = lambda s: s.where(s != "", None)  # noqa: E731
    custody = normalize_frame(
        pd.DataFrame(
            {
                "full_name": blank(table["custody_name"]),
                "given_names": blank(table["custody_given"]),
                "paternal_surname": blank(table["custody_paternal"]),
                "maternal_surname": blank(table["custody_maternal"]),
            }
        )
    )
    field = normalize_frame(pd.DataFrame({"full_name": table["field_name"]}))
    codes = COMPARISON.levels_of(pair_frame(custody, field, COMPARISON.columns))
    return ["missing" if c == MISSING else LEVEL_NAMES[c] for c in codes]


SAME = _table("name_pairs_same.csv")
DIFFERENT = _table("name_pairs_different.csv")


def _cases(table: pd.DataFrame):
    got = _levels(table)
    for row, level in zip(table.itertuples(index=False), got, strict=True):
        custody = row.custody_name or "/".join(
            (row.custody_given, row.custody_paternal, row.custody_maternal)
        )
        yield pytest.param(row.expected_level, level, id=f"{custody} | {row.field_name}")


@pytest.mark.parametrize(("expected", "got"), list(_cases(SAME)))
def test_same_person_pairs(expected, got):
    assert got == expected


@pytest.mark.parametrize(("expected", "got"), list(_cases(DIFFERENT)))
def test_different_person_pairs(expected, got):
    assert got == expected


def test_tables_are_large_and_cover_every_level():
    assert len(SAME) >= 250 and len(DIFFERENT) >= 250
    assert set(SAME["expected_level"]) == set(LEVEL_NAMES) - {"else"}
    assert set(DIFFERENT["expected_level"]) >= set(LEVEL_NAMES) - {"married_surname"}
    assert set(SAME["expected_level"]) | set(DIFFERENT["expected_level"]) <= {
        *LEVEL_NAMES,
        "missing",
    }


def test_no_different_pair_beats_the_same_person_it_imitates():
    """Siblings and namesakes never reach the both-surnames level through a nickname alone."""
    rows = DIFFERENT[DIFFERENT["note"].str.startswith("siblings")]
    assert len(rows) >= 40
    assert set(rows["expected_level"]) == {"else"}
