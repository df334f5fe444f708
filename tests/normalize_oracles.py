"""Slow, obviously correct per-row versions of the blocking keys and of the normalize step's
frame helpers, as they ran before they were coded as integers or read once per distinct value:
:mod:`tests.test_normalize_fast` checks the fast code gives the very same keys and pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.blocking import BlockingRule
from normalizers.text import is_missing

LIST_COLUMNS = frozenset(
    {"phone_keys", "child_keys", "birth_years", "birth_years_near", "name_pairs"}
)


def row_keys(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[set[str]]:
    """The keys of every row: one per combination of its columns' elements, parts joined by
    \\x1f, none when a part is missing, an empty one-column key left out."""
    if any(c not in frame for c in columns):
        return [set() for _ in range(len(frame))]
    out = []
    for values in zip(*(frame[c].tolist() for c in columns), strict=True):
        combos: list[tuple[str, ...]] = [()]
        for column, value in zip(columns, values, strict=True):
            if column in LIST_COLUMNS:
                parts = [x for x in value.split(";") if x] if isinstance(value, str) else []
            else:
                parts = [] if is_missing(value) else [str(value)]
            combos = [(*c, p) for c in combos for p in parts]
        texts = {"\x1f".join(c) for c in combos}
        out.append({t for t in texts if t})
    return out


def rule_pairs(
    custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule
) -> tuple[set[tuple[int, int]], int, int]:
    """(pairs, pairs counted key by key, pairs of skipped stop keys) of one rule."""
    left, right = row_keys(custody, rule.left), row_keys(field, rule.right_columns)
    holders: dict[str, tuple[list[int], list[int]]] = {}
    for side, keys in enumerate((left, right)):
        for pos, row in enumerate(keys):
            for key in row:
                holders.setdefault(key, ([], []))[side].append(pos)
    pairs, counted, skipped = set(), 0, 0
    for lefts, rights in holders.values():
        n = len(lefts) * len(rights)
        if rule.max_key_pairs is not None and n > rule.max_key_pairs:
            skipped += n
            continue
        counted += n
        pairs |= {(i, j) for i in lefts for j in rights}
    return pairs, counted, skipped


def block(
    custody: pd.DataFrame, field: pd.DataFrame, rules: tuple[BlockingRule, ...]
) -> tuple[np.ndarray, np.ndarray, list[int], list[int]]:
    """Sorted pairs, their rule bitmasks, pairs and skipped pairs per rule."""
    masks: dict[tuple[int, int], int] = {}
    counts, skips = [], []
    for i, rule in enumerate(rules):
        pairs, counted, skipped = rule_pairs(custody, field, rule)
        for pair in pairs:
            masks[pair] = masks.get(pair, 0) | (1 << i)
        counts.append(counted)
        skips.append(skipped)
    ordered = sorted(masks)
    return (
        np.array(ordered, dtype=np.int64).reshape(-1, 2),
        np.array([masks[p] for p in ordered], dtype=np.int64),
        counts,
        skips,
    )


def start(names_: pd.Series, letters: int = 3) -> pd.Series:
    """``normalizers.frame._start`` as it ran on every row."""
    letters_only = names_.astype("string").str.replace(r"[^a-z]", "", regex=True)
    return letters_only.str[:letters].where(letters_only.str.len() >= letters).astype(object)


def every_row_distinct(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A stand-in for ``normalizers.distinct.distinct_rows`` that treats every row as distinct,
    so that the normalizers run on every row as they did before."""
    n = len(columns[0]) if columns else 0
    return np.arange(n, dtype=np.int64), np.arange(n, dtype=np.int64)
