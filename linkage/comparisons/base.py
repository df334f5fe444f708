"""Comparisons: each an ordered list of named levels, evaluated over candidate pairs.

A comparison reads normalized columns of both records of a pair and puts the pair in one level.
Levels run from the strongest agreement to ``else`` (the last). A pair where either side lacks the
value lands in :data:`MISSING` (-1): missing is not a mismatch and carries no evidence.

A comparison decides levels by name (:meth:`Comparison.code`, :meth:`Comparison.choose`), never
by position, so reordering or adding a level cannot change what a rule means; models save and
load their weights keyed by level name.

Candidate pairs arrive as one DataFrame holding ``<column>_l`` (custody side) and ``<column>_r``
(field side) for every column a comparison reads. :meth:`Comparison.vector` evaluates each distinct
pair of values once and joins the levels back, because many candidate pairs share values.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

MISSING = -1
#: the level name of a pair where either side lacks the value
MISSING_LEVEL = "missing"


@dataclass(frozen=True)
class Level:
    """One level of a comparison.

    ``name`` is a stable machine name (saved in models); ``es`` and ``en`` are the reason a field
    worker reads; ``tf`` marks levels whose weight is adjusted by the frequency of the agreed value.
    """

    name: str
    es: str
    en: str
    tf: bool = False


@lru_cache(maxsize=256)
def level_index(levels: tuple[Level, ...]) -> dict[str, int]:
    """Level name -> position, with ``"missing"`` -> :data:`MISSING`."""
    index = {lv.name: i for i, lv in enumerate(levels)}
    if len(index) != len(levels) or MISSING_LEVEL in index:
        raise ValueError(f"level names must be unique and not {MISSING_LEVEL!r}: {list(index)}")
    return {**index, MISSING_LEVEL: MISSING}


class Comparison(ABC):
    """Base class: subclasses set ``name``, ``columns``, ``levels`` and implement ``levels_of``."""

    name: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]
    #: column whose value frequency adjusts ``tf`` levels (None: no adjustment)
    tf_column: str | None = None
    #: further columns :meth:`pair_frequencies` reads
    tf_extra_columns: tuple[str, ...] = ()

    @abstractmethod
    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        """Level index (0 = strongest, len(levels)-1 = else, -1 = missing) for each row.

        ``pairs`` holds ``<column>_l`` and ``<column>_r`` for each of ``self.columns``, one row per
        distinct pair of values.
        """

    def term_frequencies(self, values: pd.Series) -> pd.Series:
        """Relative frequency of each value of ``tf_column`` (index: value).

        ``values`` holds the column from both input files, one entry per record. The model divides
        a ``tf`` level's weight by how common the agreed value is. Override to blend in a prior
        table (common names are common even in a small file).
        """
        return values.dropna().value_counts(normalize=True)

    def pair_frequencies(
        self, left: dict[str, np.ndarray], right: dict[str, np.ndarray], table: dict[str, float]
    ) -> np.ndarray:
        """Frequency of the value each pair agreed on: the larger of its two sides' frequencies.

        ``left`` and ``right`` map :attr:`tf_column` and :attr:`tf_extra_columns` to one value per
        pair; ``table`` is :meth:`term_frequencies` as a dict (NaN for a value not in it).
        """
        column = str(self.tf_column)
        return np.fmax(_looked_up(left[column], table), _looked_up(right[column], table))

    def level_names(self) -> list[str]:
        return [lv.name for lv in self.levels]

    def code(self, level: str) -> int:
        """Position of the level named ``level`` in :attr:`levels` (``"missing"``: MISSING).

        >>> from linkage.comparisons.sex import SexComparison
        >>> SexComparison().code("different_sex"), SexComparison().code("missing")
        (1, -1)
        """
        return level_index(self.levels)[level]

    def choose(self, rules: Sequence[tuple[np.ndarray, str]], default: str) -> np.ndarray:
        """Level codes: for each pair the level named by the first rule whose condition holds,
        else ``default`` (``np.select`` over level names).

        >>> from linkage.comparisons.sex import SexComparison
        >>> same = np.array([True, False, False]); missing = np.array([False, False, True])
        >>> SexComparison().choose([(missing, "missing"), (same, "same_sex")], "different_sex")
        array([ 0,  1, -1], dtype=int8)
        """
        conditions = [np.asarray(condition, dtype=bool) for condition, _ in rules]
        codes = [self.code(name) for _, name in rules]
        return np.select(conditions, codes, default=self.code(default)).astype(np.int8)

    def vector(self, pairs: pd.DataFrame) -> np.ndarray:
        """Levels for every candidate pair, computing each distinct pair of values once."""
        cols = [f"{c}_{s}" for c in self.columns for s in ("l", "r")]
        if pairs.empty:
            return np.empty(0, dtype=np.int8)
        sub = pairs[cols]
        codes = sub.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
        first = pd.Series(np.arange(len(sub))).groupby(codes, sort=False).first()
        unique = sub.iloc[first.to_numpy()].reset_index(drop=True)
        levels = np.asarray(self.levels_of(unique), dtype=np.int8)
        order = first.index.to_numpy()
        lookup = np.empty(len(order), dtype=np.int8)
        lookup[order] = levels
        return lookup[codes]


def _looked_up(values: np.ndarray, table: dict[str, float]) -> np.ndarray:
    """Each value's frequency in ``table``, NaN where absent or missing (one lookup per distinct
    value)."""
    codes, distinct = pd.factorize(pd.Series(values, dtype=object))
    freq = np.array([table.get(v, np.nan) if isinstance(v, str) else np.nan for v in distinct])
    return np.where(codes >= 0, np.append(freq, np.nan)[codes], np.nan)
