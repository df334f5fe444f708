"""Array tools of the comparisons: values computed once per distinct value, and set tests over
arrays of pairs.

:func:`by_value` calls a Python function once per distinct value of a column, never once per
pair, and :func:`pair_scores` scores each distinct pair of strings once with rapidfuzz ``cpdist``.

Each side's sets of strings are held as integer arrays (:class:`Sets`); :func:`share` tells for
every pair whether its two sets meet, :func:`any_close` whether some pair of their words is
close by Jaro-Winkler (rapidfuzz ``cpdist``, once per distinct pair of words). Pairs that neither
test links can take their level without the ladder.

>>> words: dict[str, int] = {}
>>> a, b = Sets([["ana"], ["luis", "jose"]], words), Sets([["jose"], ["anna"]], words)
>>> share(a, b, np.array([0, 1, 1]), np.array([0, 0, 1]), len(words)).tolist()
[False, True, False]
>>> any_close(a, b, list(words), np.array([0, 1]), np.array([1, 1]), 0.85).tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from numpy.typing import DTypeLike
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist


def factorized(values: Iterable[object]) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, the distinct values as an object array ending in None).

    Missing values of any kind (None, NaN, ``pd.NA``, ``pd.NaT``) take the last code, None.
    Values equal in Python (``1 == 1.0 == True``) share a code, as in
    :func:`linkage.comparisons.run.distinct_rows`.

    >>> codes, table = factorized(["b", None, "a", "b", float("nan")])
    >>> codes.tolist(), table.tolist()
    ([0, 2, 1, 0, 2], ['b', 'a', None])
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = uniques
    codes = codes.astype(np.int64)
    codes[codes < 0] = len(uniques)
    return codes, table


def by_value(
    values: Iterable[object], func: Callable[[object], object], dtype: DTypeLike = object
) -> np.ndarray:
    """``func`` of every value, called once per distinct value (missing ones: ``func(None)``).

    >>> by_value(["ab", None, "ab", "c"], lambda v: -1 if v is None else len(v), int).tolist()
    [2, -1, 2, 1]
    """
    codes, table = factorized(values)
    out = np.empty(len(table), dtype=dtype)
    out[:] = [func(v) for v in table]
    return out[codes]


def pair_scores(
    left: np.ndarray, right: np.ndarray, scorer: Callable[..., float], dtype: DTypeLike
) -> np.ndarray:
    """``scorer(left[i], right[i])`` for every i (strings), each distinct pair scored once
    through rapidfuzz ``cpdist``.

    >>> from rapidfuzz.distance import OSA
    >>> a = np.array(["ab", "ab", "xy"], dtype=object)
    >>> pair_scores(a, np.array(["ba", "ba", "xy"], dtype=object), OSA.distance, int).tolist()
    [1, 1, 0]
    """
    if len(left) == 0:
        return np.empty(0, dtype=dtype)
    codes_l, table_l = factorized(left)
    codes_r, table_r = factorized(right)
    size = len(table_r)
    combos, back = np.unique(codes_l * size + codes_r, return_inverse=True)
    # one thread: compare_all already runs one process per core
    scores = cpdist(
        table_l[combos // size], table_r[combos % size], scorer=scorer, dtype=dtype, workers=1
    )
    return np.asarray(scores)[back.reshape(-1)]


class Sets:
    """Sets of strings, one per side, as integer arrays: ``members[start[i]:start[i + 1]]``."""

    def __init__(self, sets: list[Iterable[str]], vocabulary: dict[str, int]) -> None:
        ids = [[vocabulary.setdefault(x, len(vocabulary)) for x in items] for items in sets]
        self.start = np.zeros(len(ids) + 1, dtype=np.int64)
        self.start[1:] = np.cumsum([len(x) for x in ids])
        self.members = np.fromiter((x for row in ids for x in row), np.int64, self.start[-1])

    def explode(self, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ``owners``, member) for every member of every owner's set."""
        counts = self.start[owners + 1] - self.start[owners]
        which = np.repeat(np.arange(len(owners)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return which, self.members[self.start[owners][which] + offsets]


def share(a: Sets, b: Sets, left: np.ndarray, right: np.ndarray, size: int) -> np.ndarray:
    """Whether the sets ``a[left[i]]`` and ``b[right[i]]`` share a member, for every i."""
    which, member = a.explode(left)
    out = np.zeros(len(left), dtype=bool)
    out[which[share_member(b, right[which], member, size)]] = True
    return out


def share_member(b: Sets, owners: np.ndarray, member: np.ndarray, size: int) -> np.ndarray:
    """Whether ``member[k]`` belongs to the set ``b[owners[k]]``, for every k (``size``: the
    number of distinct members)."""
    held, members = b.explode(np.arange(len(b.start) - 1))
    table = np.unique(held * size + members)
    if len(table) == 0:
        return np.zeros(len(member), dtype=bool)
    probe = owners * size + member
    return table[np.minimum(np.searchsorted(table, probe), len(table) - 1)] == probe


def any_close(
    a: Sets, b: Sets, words: list[str], left: np.ndarray, right: np.ndarray, threshold: float
) -> np.ndarray:
    """Whether some word of ``a[left[i]]`` and some of ``b[right[i]]`` have a Jaro-Winkler
    similarity of at least ``threshold``; each distinct pair of words is scored once."""
    which, x = a.explode(left)
    inner, y = b.explode(right[which])
    which, x = which[inner], x[inner]
    out = np.zeros(len(left), dtype=bool)
    if len(x) == 0:
        return out
    size = max(len(words), 1)
    combos, back = np.unique(x * size + y, return_inverse=True)
    text = np.array(words, dtype=object)
    scores = cpdist(
        text[combos // size],
        text[combos % size],
        scorer=JaroWinkler.normalized_similarity,
        workers=1,
    )
    close = np.asarray(scores)[back.reshape(-1)] >= threshold
    out[which[close]] = True
    return out


def unique_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(table, axis=0, return_inverse=True)`` of small integers, by one sort of each
    row packed into one integer (mixed radix, first column most significant, so the rows come
    out in the same lexicographic order).

    >>> rows, inverse = unique_rows(np.array([[1, -1], [0, 2], [1, -1]], dtype=np.int16))
    >>> rows.tolist(), inverse.tolist()
    ([[0, 2], [1, -1]], [1, 0, 1])
    """
    if len(table) == 0:
        return np.unique(table, axis=0, return_inverse=True)
    low = table.min(axis=0).astype(np.int64)
    radix = table.max(axis=0).astype(np.int64) - low + 1
    if float(np.prod(radix.astype(float))) >= 2.0**62:
        return np.unique(table, axis=0, return_inverse=True)
    packed = np.zeros(len(table), dtype=np.int64)
    for j in range(table.shape[1]):
        packed = packed * radix[j] + (table[:, j].astype(np.int64) - low[j])
    _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    return table[first], inverse.reshape(-1)
