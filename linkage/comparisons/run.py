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
    """Frequency of the agreed value for each tf comparison: the larger of the two sides'."""
    out = {}
    for c in comparisons:
        table = tables.get(c.name)
        if c.tf_column is None or not table:
            continue
        left = pairs[f"{c.tf_column}_l"].map(table).astype(float).to_numpy()
        right = pairs[f"{c.tf_column}_r"].map(table).astype(float).to_numpy()
        out[c.name] = np.fmax(left, right)
    return out


@dataclass(frozen=True)
class _CompareJob:
    """What a compare worker reads: the compared columns of both sides and the pairs."""

    custody: pd.DataFrame
    field: pd.DataFrame
    positions: np.ndarray
    comparisons: Sequence[Comparison]
    tables: dict[str, dict[str, float]]

    def chunk(self, bounds: tuple[int, int]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        part = self.positions[bounds[0] : bounds[1]]
        pairs = pair_frame(
            self.custody.iloc[part[:, 0]],
            self.field.iloc[part[:, 1]],
            compared_columns(self.comparisons),
        )
        return (
            compare_pairs(pairs, self.comparisons).to_numpy(),
            tf_values(pairs, self.comparisons, self.tables),
        )


#: the job of a forked compare worker, set once by the pool's initializer in the worker only
_worker_job: list[_CompareJob] = []


def _start_worker(job: _CompareJob) -> None:
    _worker_job.append(job)


def _worker_chunk(bounds: tuple[int, int]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return _worker_job[0].chunk(bounds)


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

    Pairs are compared in chunks of at most ``chunk_pairs`` on ``workers`` forked processes
    (0: one per core). The workers inherit the job when forked (nothing is pickled but chunk
    bounds and results); chunks are pure and joined in order.
    """
    progress = progress or Progress(quiet=True)
    workers = workers or os.cpu_count() or 1
    # at least a few chunks per worker, so that every core has work to the end
    size = max(1, min(chunk_pairs, -(-len(positions) // (4 * workers))))
    bounds = [(s, min(s + size, len(positions))) for s in range(0, len(positions), size)]
    workers = min(workers, len(bounds))
    # workers get only the columns the comparisons read: fewer pages for them to touch
    columns = compared_columns(comparisons)
    job = _CompareJob(
        custody[[c for c in columns if c in custody]],
        field[[c for c in columns if c in field]],
        positions,
        comparisons,
        tf_tables,
    )
    if workers > 1 and "fork" in mp.get_all_start_methods():
        context = mp.get_context("fork")
        with ProcessPoolExecutor(workers, context, _start_worker, (job,)) as pool:
            parts = list(progress.iterate(pool.map(_worker_chunk, bounds), "compare", len(bounds)))
    else:
        parts = [job.chunk(b) for b in progress.iterate(bounds, "compare")]
    vectors = np.empty((len(positions), len(comparisons)), dtype=np.int8)
    tf = {c.name: np.empty(len(positions)) for c in comparisons if tf_tables.get(c.name)}
    for (start, stop), (part, part_tf) in zip(bounds, parts, strict=True):
        vectors[start:stop] = part
        for name, values in part_tf.items():
            tf[name][start:stop] = values
    return vectors, tf
