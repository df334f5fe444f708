"""Set tests over arrays of pairs: the vectorised first pass of the comparisons whose levels
need a Python ladder (names, children).

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

from collections.abc import Iterable

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist


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
    owners, members = b.explode(np.arange(len(b.start) - 1))
    table = np.unique(owners * size + members)
    out = np.zeros(len(left), dtype=bool)
    if len(table) == 0:
        return out
    probe = right[which] * size + member
    found = table[np.minimum(np.searchsorted(table, probe), len(table) - 1)] == probe
    out[which[found]] = True
    return out


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
