"""Reencuentro's blocking rules and comparisons inside a Python Record Linkage Toolkit pipeline.

A researcher who works with ``recordlinkage`` can put a :class:`~linkage.blocking.BlockingRule`
into a ``recordlinkage.Index`` (:class:`BlockingIndex`) and a
:class:`~linkage.comparisons.base.Comparison` into a ``recordlinkage.Compare``
(:class:`ComparisonFeature`), beside recordlinkage's own algorithms, features and classifiers.
Both read frames normalized by Reencuentro (custody left, field right), indexed by record id;
pairs and levels are the ones Reencuentro's own pipeline makes from the same frames.

>>> import pandas as pd
>>> from linkage.comparisons.sex import SexComparison
>>> custody = pd.DataFrame({"paternal_key": ["garsia", "lopes"], "given1_key": ["juan", "ana"],
...                         "sex": ["M", "F"]}, index=pd.Index(["C1", "C2"], name="record_id"))
>>> field = pd.DataFrame({"paternal_key": ["garsia", "garsia", "lopes"],
...                       "given1_key": ["juan", "juan", "ana"], "sex": ["M", None, "M"]},
...                      index=pd.Index(["F1", "F2", "F3"], name="record_id"))
>>> pairs = index().index(custody, field)
>>> pairs.tolist()
[('C1', 'F1'), ('C1', 'F2'), ('C2', 'F3')]
>>> compare([SexComparison()]).compute(pairs, custody, field)["sex"].tolist()
['same_sex', 'missing', 'different_sex']
>>> compare([SexComparison()], output="indicators").compute(pairs, custody, field).to_numpy()
array([[1, 0],
       [0, 0],
       [0, 1]], dtype=int8)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import recordlinkage
from recordlinkage.base import BaseCompareFeature, BaseIndexAlgorithm

from linkage.blocking import DEFAULT_RULES, BlockingRule, block
from linkage.comparisons import default_comparisons
from linkage.comparisons.base import MISSING_LEVEL, Comparison
from linkage.comparisons.run import pair_frame
from linkage.settings import Settings

Output = Literal["level", "indicators"]


class BlockingIndex(BaseIndexAlgorithm):
    """The candidate pairs of one blocking rule, as (custody id, field id) pairs.

    ``max_pairs``: refuse the rule (:class:`~linkage.blocking.BlockingError`) when it would make
    more pairs, as a match job does. Reencuentro's rules link two files, so there is no
    deduplication of one file.
    """

    def __init__(self, rule: BlockingRule, max_pairs: int = 25_000_000, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.rule = rule
        self.max_pairs = max_pairs

    def __repr__(self) -> str:
        return f"<BlockingIndex {self.rule.name!r}>"

    def _link_index(self, df_a: pd.DataFrame, df_b: pd.DataFrame) -> pd.MultiIndex:
        positions, _, _ = block(df_a, df_b, (self.rule,), self.max_pairs)
        return pd.MultiIndex.from_arrays([df_a.index[positions[:, 0]], df_b.index[positions[:, 1]]])

    def _dedup_index(self, df_a: pd.DataFrame) -> pd.MultiIndex:
        raise TypeError(
            f"blocking rule {self.rule.name!r} links custody records to field reports: "
            "pass both frames to index()"
        )


class ComparisonFeature(BaseCompareFeature):
    """One comparison as a compare feature: each pair's level.

    ``output="level"``: one categorical column named after the comparison, holding level names
    (the comparison's levels, then ``"missing"``). ``output="indicators"``: one 0/1 column per
    level, ``<comparison>=<level>``, all 0 when a value is missing (missing carries no
    evidence): binary features for recordlinkage's classifiers.
    """

    def __init__(self, comparison: Comparison, output: Output = "level") -> None:
        names = comparison.level_names()
        if output == "level":
            label: str | list[str] = comparison.name
        elif output == "indicators":
            label = [f"{comparison.name}={name}" for name in names]
        else:
            raise ValueError(f"output must be 'level' or 'indicators', not {output!r}")
        columns = list(comparison.columns)
        super().__init__(columns, columns, label=label)
        self.comparison = comparison
        self.output = output

    def _compute(
        self, left_on: tuple[pd.Series, ...], right_on: tuple[pd.Series, ...]
    ) -> pd.Series | np.ndarray:
        columns = self.comparison.columns
        pairs = pair_frame(
            pd.DataFrame(dict(zip(columns, left_on, strict=True))),
            pd.DataFrame(dict(zip(columns, right_on, strict=True))),
            columns,
        )
        codes = self.comparison.vector(pairs).astype(np.int64)
        n_levels = len(self.comparison.levels)
        if self.output == "indicators":
            return (codes[:, None] == np.arange(n_levels)).astype(np.int8)
        names = [*self.comparison.level_names(), MISSING_LEVEL]
        # MISSING (-1) picks the last category, "missing"
        return pd.Series(pd.Categorical.from_codes(np.where(codes < 0, n_levels, codes), names))


def index(
    rules: Sequence[BlockingRule] = DEFAULT_RULES, max_pairs: int = 25_000_000
) -> recordlinkage.Index:
    """A ``recordlinkage.Index`` with one :class:`BlockingIndex` per rule: their union."""
    return recordlinkage.Index([BlockingIndex(rule, max_pairs) for rule in rules])


def compare(
    comparisons: Sequence[Comparison] | None = None,
    output: Output = "level",
    n_jobs: int = 1,
) -> recordlinkage.Compare:
    """A ``recordlinkage.Compare`` with one :class:`ComparisonFeature` per comparison (default:
    the comparisons of a match job with default settings)."""
    comparisons = default_comparisons(Settings()) if comparisons is None else comparisons
    return recordlinkage.Compare([ComparisonFeature(c, output) for c in comparisons], n_jobs=n_jobs)
