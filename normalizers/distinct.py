"""Normalizers run once per distinct raw value (or tuple of values), mapped back to every row.

A file of 200,000 reports holds far fewer distinct dates, places, phones and name parts than
rows; :func:`per_distinct` calls a normalizer on each distinct tuple only, and the rows take its
result by integer code. Missing values (None, NaN, ``pd.NA``, ``pd.NaT``) are one value, which
every normalizer reads as missing; values of different types (``1``, ``1.0``, ``"1"``) stay apart.

>>> per_distinct([pd.Series(["a", None, "a", float("nan")])], lambda v: v)
(array([0, 1, 0, 1]), ['a', None])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from normalizers.text import is_missing

_ONE_TYPE = frozenset({"string", "empty", "integer", "boolean"})


def _codes(values: np.ndarray) -> np.ndarray:
    """Codes of one column's values, missing ones -1."""
    if pd.api.types.infer_dtype(values, skipna=True) not in _ONE_TYPE:
        typed = np.empty(len(values), dtype=object)
        typed[:] = [None if is_missing(v) else (type(v), _hashable(v)) for v in values]
        values = typed
    codes, _ = pd.factorize(values)
    return codes


def _hashable(value: object) -> object:
    """``value``, or its identity when it cannot be hashed (a list in a cell: never shared)."""
    try:
        hash(value)
    except TypeError:
        return id(value)
    return value


def distinct_rows(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row's tuple of values, position of the first row of each code)."""
    n = len(columns[0]) if columns else 0
    key = np.zeros(n, dtype=np.int64)
    for values in columns:
        codes = _codes(values).astype(np.int64) + 1
        key, _ = pd.factorize(key * (int(codes.max(initial=0)) + 1) + codes)
    key = key.astype(np.int64)
    return key, np.unique(key, return_index=True)[1]


def per_distinct(
    columns: Sequence[pd.Series | np.ndarray], normalizer: Callable[..., object]
) -> tuple[np.ndarray, list]:
    """``normalizer(*values)`` once per distinct tuple of the columns' values: (the code of each
    row, the results by code), so ``results[codes[i]]`` is row i's result."""
    arrays = [np.asarray(c, dtype=object) for c in columns]
    codes, first = distinct_rows(arrays)
    return codes, [normalizer(*(a[i] for a in arrays)) for i in first.tolist()]


def mapped(columns: Sequence[pd.Series | np.ndarray], normalizer: Callable[..., object]) -> list:
    """``normalizer(*values)`` of every row, computed once per distinct tuple of values."""
    codes, results = per_distinct(columns, normalizer)
    return [results[c] for c in codes.tolist()]
