"""Running comparisons over candidate pairs: pair frames, term frequencies, chunks on every core.

Candidate pairs are (custody position, field position) rows. :func:`pair_frame` lines the two
records of each pair up as ``<column>_l`` / ``<column>_r`` columns; :func:`compare_all` evaluates
every comparison over all pairs in chunks, on every core, and joins the chunks back in order, so
results never depend on the number of workers.

>>> import pandas as pd
>>> from linkage.comparisons.sex import SexComparison
>>> left = pd.DataFrame({"sex": ["M", "F"]})
>>> right = pd.DataFrame({"sex": ["M", None]})
>>> pair_frame(left, right, ("sex",)).to_dict("list")
{'sex_l': ['M', 'F'], 'sex_r': ['M', None]}
>>> compare_pairs(pair_frame(left, right, ("sex",)), [SexComparison()])["sex"].tolist()
[0, -1]
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.comparisons.base import Comparison
from linkage.progress import Progress


def compared_columns(comparisons: Sequence[Comparison]) -> list[str]:
    """Every normalized column the comparisons (and their term frequencies) read."""
    return sorted(
        {c for comp in comparisons for c in comp.columns}
        | {comp.tf_column for comp in comparisons if comp.tf_column}
        | {c for comp in comparisons for c in comp.tf_extra_columns}
    )


def pair_frame(left: pd.DataFrame, right: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Row-aligned pairs of two normalized frames as ``<column>_l`` / ``<column>_r`` columns.

    A column one side lacks is all missing on that side.
    """
    data = {}
    for column in columns:
        for side, frame in (("l", left), ("r", right)):
            values = frame[column] if column in frame else pd.Series(pd.NA, index=frame.index)
            data[f"{column}_{side}"] = values.astype(object).to_numpy()
    return pd.DataFrame(data)


def compare_pairs(pairs: pd.DataFrame, comparisons: Sequence[Comparison]) -> pd.DataFrame:
    """One int8 column per comparison (named after it) with the level of each candidate pair."""
    return pd.DataFrame({c.name: c.vector(pairs) for c in comparisons}, index=pairs.index)


def term_frequencies(
    comparisons: Sequence[Comparison], custody: pd.DataFrame, field: pd.DataFrame
) -> dict[str, dict[str, float]]:
    """Per tf comparison: relative frequency of each value of its ``tf_column`` in both files."""
    out = {}
    for c in comparisons:
        if c.tf_column is None or c.tf_column not in custody:
            continue
        values = pd.concat([custody[c.tf_column], field[c.tf_column]], ignore_index=True)
        out[c.name] = {str(k): float(v) for k, v in c.term_frequencies(values).items()}
    return out


def tf_values(
    pairs: pd.DataFrame, comparisons: Sequence[Comparison], tables: dict[str, dict[str, float]]
) -> dict[str, np.ndarray]:
    """For each tf comparison, the frequency of the value each pair agreed on (see
    :meth:`Comparison.pair_frequencies`)."""
    out = {}
    for c in comparisons:
        table = tables.get(c.name)
        if c.tf_column is None or not table:
            continue
        columns = (c.tf_column, *c.tf_extra_columns)
        out[c.name] = c.pair_frequencies(
            {k: pairs[f"{k}_l"].to_numpy(dtype=object) for k in columns},
            {k: pairs[f"{k}_r"].to_numpy(dtype=object) for k in columns},
            table,
        )
    return out


def distinct_rows(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row's tuple of ``columns``, position of the first row of each code).

    Rows whose values are equal (missing values of any kind equal to each other) share a code;
    codes run in order of first appearance. A column ``frame`` lacks is missing everywhere.

    >>> frame = pd.DataFrame({"a": ["x", "y", "x", None], "b": [1, 2, 1, None]})
    >>> [v.tolist() for v in distinct_rows(frame, ["a", "b", "c"])]
    [[0, 1, 0, 2], [0, 1, 3]]
    """
    code = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        if column not in frame:
            continue
        part, uniques = pd.factorize(frame[column].astype(object), use_na_sentinel=True)
        code = code * (len(uniques) + 1) + (part.astype(np.int64) + 1)
        code, _ = pd.factorize(code)
        code = code.astype(np.int64)
    first = np.full(code.max() + 1 if len(code) else 0, -1, dtype=np.int64)
    # the first row of each code: assign in reverse so the earliest write wins
    first[code[::-1]] = np.arange(len(code) - 1, -1, -1)
    return code, first


@dataclass(frozen=True)
class _Distinct:
    """One comparison's distinct value pairs among the candidate pairs.

    ``left``/``right``: one row per distinct tuple of the comparison's columns on each side, and
    ``left_code``/``right_code`` each record's row there; ``keys``: the sorted distinct pairs,
    each as ``left row * len(right) + right row``.
    """

    comparison: Comparison
    left: pd.DataFrame
    right: pd.DataFrame
    left_code: np.ndarray
    right_code: np.ndarray
    keys: np.ndarray

    @classmethod
    def of(
        cls,
        comparison: Comparison,
        custody: pd.DataFrame,
        field: pd.DataFrame,
        positions: np.ndarray,
        chunk: int,
    ) -> _Distinct:
        columns = list(comparison.columns)
        left_code, left_first = distinct_rows(custody, columns)
        right_code, right_first = distinct_rows(field, columns)
        n_right = max(len(right_first), 1)
        parts = [
            np.unique(left_code[p[:, 0]] * n_right + right_code[p[:, 1]])
            for p in (positions[s : s + chunk] for s in range(0, len(positions), chunk))
        ]
        keys = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
        left = custody[[c for c in columns if c in custody]].iloc[left_first]
        right = field[[c for c in columns if c in field]].iloc[right_first]
        return cls(comparison, left, right, left_code, right_code, keys)

    def levels(self, bounds: tuple[int, int]) -> np.ndarray:
        """Levels of the distinct pairs ``keys[start:stop]``."""
        key = self.keys[bounds[0] : bounds[1]]
        n_right = max(len(self.right), 1)
        frame = pair_frame(
            self.left.iloc[key // n_right], self.right.iloc[key % n_right], self.comparison.columns
        )
        return np.asarray(self.comparison.levels_of(frame), dtype=np.int8)

    def lookup(self, table: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Levels of candidate pairs from ``table``, the levels of :attr:`keys`."""
        n_right = max(len(self.right), 1)
        key = self.left_code[positions[:, 0]] * n_right + self.right_code[positions[:, 1]]
        return table[np.searchsorted(self.keys, key)]


#: the distinct pairs of a forked compare worker, set once by the pool's initializer
_worker_job: list[_Distinct] = []


def _start_worker(job: _Distinct) -> None:
    _worker_job.append(job)


def _worker_levels(bounds: tuple[int, int]) -> np.ndarray:
    return _worker_job[0].levels(bounds)


def compare_all(
    custody: pd.DataFrame,
    field: pd.DataFrame,
    positions: np.ndarray,
    comparisons: Sequence[Comparison],
    tf_tables: dict[str, dict[str, float]],
    *,
    chunk_pairs: int = 50_000,
    workers: int = 0,
    progress: Progress | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Comparison levels of every pair of positions, shape (n, n_comparisons), and the frequency
    of the agreed value for each tf comparison.

    Each comparison runs once per distinct pair of values (many candidate pairs share their
    names, dates or places), in chunks of at most ``chunk_pairs`` distinct pairs on ``workers``
    forked processes (0: one per core), and the levels are joined back to every candidate pair.
    One comparison at a time: only its distinct pairs are held, and its workers inherit them
    when forked (nothing is pickled but chunk bounds and results). Chunks are pure, so results
    never depend on the number of workers.
    """
    progress = progress or Progress(quiet=True)
    workers = workers or os.cpu_count() or 1
    positions = np.asarray(positions, dtype=np.int64).reshape(-1, 2)
    # distinct pairs gathered chunk by chunk, so no per-pair array but the positions is held
    chunk = max(chunk_pairs * 20, 1)
    vectors = np.empty((len(positions), len(comparisons)), dtype=np.int8)
    for j, comparison in enumerate(comparisons):
        distinct = _Distinct.of(comparison, custody, field, positions, chunk)
        table = _distinct_levels(distinct, chunk_pairs, workers, progress)
        for s in range(0, len(positions), chunk):
            vectors[s : s + chunk, j] = distinct.lookup(table, positions[s : s + chunk])
    tf = {}
    for c in comparisons:
        table = tf_tables.get(c.name)
        if c.tf_column is None or not table:
            continue
        columns = (c.tf_column, *c.tf_extra_columns)
        tf[c.name] = c.pair_frequencies(
            {k: _values(custody, k)[positions[:, 0]] for k in columns},
            {k: _values(field, k)[positions[:, 1]] for k in columns},
            table,
        )
    return vectors, tf


def _distinct_levels(
    distinct: _Distinct, chunk_pairs: int, workers: int, progress: Progress
) -> np.ndarray:
    """Levels of every distinct pair of one comparison, in chunks on ``workers`` processes."""
    n = len(distinct.keys)
    # at least a few chunks per worker, so that every core has work to the end
    size = max(1, min(chunk_pairs, -(-n // (4 * workers))))
    tasks = [(s, min(s + size, n)) for s in range(0, n, size)]
    name = f"compare {distinct.comparison.name}"
    workers = min(workers, len(tasks))
    if workers > 1 and "fork" in mp.get_all_start_methods():
        context = mp.get_context("fork")
        with ProcessPoolExecutor(workers, context, _start_worker, (distinct,)) as pool:
            parts = list(progress.iterate(pool.map(_worker_levels, tasks), name, len(tasks)))
    else:
        parts = [distinct.levels(task) for task in progress.iterate(tasks, name)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int8)


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as an object array (all missing where ``frame`` lacks it)."""
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    return frame[column].to_numpy(dtype=object)
