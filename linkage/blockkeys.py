"""Blocking keys as integer codes, each key column of each side read once per job.

A key column's values compare as text (as :func:`str` writes them). Each distinct value is read
once: list-valued columns (:data:`LIST_COLUMNS`) are split on ``;`` there, and every row gets one
key element per list element. Every text gets one integer code shared by all columns and both
sides, so a rule may join one column of custody to another of the field reports; a rule's
composite key is one code per distinct tuple of its columns' codes. Rows missing a part of a key
have no key, and neither has a one-column key whose text is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: normalized columns that hold ;-joined lists
LIST_COLUMNS = frozenset(
    {"phone_keys", "child_keys", "birth_years", "birth_years_near", "name_pairs"}
)
#: joins the parts of a composite key in its text (messages, the Spark engine's join key)
SEP = "\x1f"

_EMPTY = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Rows:
    """Keyed rows of one side: record positions and the key code of each (a record may repeat,
    with different keys)."""

    pos: np.ndarray
    key: np.ndarray


@dataclass(frozen=True)
class RuleKeys:
    """The keyed rows of both sides of one rule, distinct (position, key) rows, and the text
    codes of each composite key's parts (``parts[key]``)."""

    left: Rows
    right: Rows
    parts: np.ndarray
    texts: list[str]

    def per_key(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows holding each key on the left and on the right (indexed by key code)."""
        n = len(self.parts)
        return np.bincount(self.left.key, minlength=n), np.bincount(self.right.key, minlength=n)

    def pairs_per_key(self) -> np.ndarray:
        """The pairs each key makes (left rows x right rows), indexed by key code."""
        left, right = self.per_key()
        return left * right

    def label(self, key: int) -> str:
        """The text of one key, its parts joined by :data:`SEP`."""
        return SEP.join(self.texts[p] for p in self.parts[key])

    def labels(self, keys: np.ndarray) -> np.ndarray:
        """The texts of ``keys`` (each distinct key written once)."""
        distinct, inverse = np.unique(keys, return_inverse=True)
        written = np.array([self.label(k) for k in distinct.tolist()], dtype=object)
        return written[inverse.reshape(-1)] if len(keys) else np.empty(0, dtype=object)

    def only(self, keep: np.ndarray) -> RuleKeys:
        """The rows whose key is in ``keep`` (a boolean array indexed by key code)."""
        left, right = self.left, self.right
        in_left, in_right = keep[left.key], keep[right.key]
        return RuleKeys(
            Rows(left.pos[in_left], left.key[in_left]),
            Rows(right.pos[in_right], right.key[in_right]),
            self.parts,
            self.texts,
        )

    def pairs(self) -> np.ndarray:
        """(custody position, field position) of every pair sharing a key, distinct, sorted."""
        left = pd.DataFrame({"key": self.left.key, "pos_l": self.left.pos})
        right = pd.DataFrame({"key": self.right.key, "pos_r": self.right.pos})
        joined = left.merge(right, on="key")
        pos_l = joined["pos_l"].to_numpy(dtype=np.int64)
        pos_r = joined["pos_r"].to_numpy(dtype=np.int64)
        width = int(pos_r.max()) + 1 if len(pos_r) else 1
        codes = np.unique(pos_l * width + pos_r)
        return np.stack([codes // width, codes % width], axis=1)


class KeyCodes:
    """The blocking keys of one job's two sides (custody, field) as integer codes; each column of
    each side is coded once, however many rules use it."""

    def __init__(self, custody: pd.DataFrame, field: pd.DataFrame) -> None:
        self._frames = (custody, field)
        self._codes: dict[str, int] = {}
        self.texts: list[str] = []
        self._columns: dict[tuple[int, str], Rows | None] = {}

    def _code(self, text: str) -> int:
        code = self._codes.setdefault(text, len(self._codes))
        if code == len(self.texts):
            self.texts.append(text)
        return code

    def column(self, side: int, name: str) -> Rows | None:
        """Rows (position, text code) of column ``name`` of side 0 (custody) or 1 (field); one row
        per list element; None when the side has no such column."""
        if (side, name) not in self._columns:
            self._columns[side, name] = self._read(self._frames[side], name)
        return self._columns[side, name]

    def _read(self, frame: pd.DataFrame, name: str) -> Rows | None:
        if name not in frame:
            return None
        codes, distinct = pd.factorize(frame[name].to_numpy(dtype=object))
        elements = [_elements(value, name in LIST_COLUMNS) for value in distinct]
        lengths = np.array([len(e) for e in elements] + [0], dtype=np.int64)
        flat = np.fromiter(
            (self._code(t) for e in elements for t in e), dtype=np.int64, count=int(lengths.sum())
        )
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        row_lengths = lengths[codes]  # code -1 (missing) reads the trailing 0
        pos = np.repeat(np.arange(len(codes), dtype=np.int64), row_lengths)
        first_out = np.repeat(np.cumsum(row_lengths) - row_lengths, row_lengths)
        within = np.arange(len(pos), dtype=np.int64) - first_out
        return Rows(pos, flat[np.repeat(starts[codes], row_lengths) + within])

    def rule(self, left: tuple[str, ...], right: tuple[str, ...]) -> RuleKeys:
        """The keyed rows of custody's ``left`` columns and the field's ``right`` columns."""
        sides = [self._parts(0, left), self._parts(1, right)]
        sizes = [len(pos) for pos, _ in sides]
        stacked = np.concatenate([np.stack(parts, axis=1) for _, parts in sides])
        key = stacked[:, 0].copy()
        for column in range(1, stacked.shape[1]):
            _, key = np.unique(key * len(self.texts) + stacked[:, column], return_inverse=True)
            key = key.reshape(-1)
        if len(left) == 1 and "" in self._codes:
            key[stacked[:, 0] == self._codes[""]] = -1
        parts = np.zeros((int(key.max()) + 1 if len(key) else 0, len(left)), dtype=np.int64)
        parts[key[key >= 0]] = stacked[key >= 0]
        rows = []
        for (pos, _), start, size in zip(sides, (0, sizes[0]), sizes, strict=True):
            rows.append(_distinct(pos, key[start : start + size], len(parts)))
        return RuleKeys(rows[0], rows[1], parts, self.texts)

    def _parts(self, side: int, columns: tuple[str, ...]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Positions and the text code of each column, one row per combination of elements;
        nothing when a column is absent."""
        read = [self.column(side, c) for c in columns]
        if any(r is None for r in read):
            return _EMPTY, [_EMPTY for _ in columns]
        first = read[0]
        pos, parts = first.pos, [first.key]
        for other in read[1:]:
            joined = pd.DataFrame({"pos": pos, "row": np.arange(len(pos))}).merge(
                pd.DataFrame({"pos": other.pos, "code": other.key}), on="pos"
            )
            rows = joined["row"].to_numpy(dtype=np.int64)
            pos = joined["pos"].to_numpy(dtype=np.int64)
            parts = [p[rows] for p in parts] + [joined["code"].to_numpy(dtype=np.int64)]
        return pos, parts


def _elements(value: object, is_list: bool) -> list[str]:
    """The key texts of one distinct cell value."""
    if not is_list:
        return [str(value)]
    return [x for x in value.split(";") if x] if isinstance(value, str) else []


def _distinct(pos: np.ndarray, key: np.ndarray, n_keys: int) -> Rows:
    """Distinct (position, key) rows with a key (code >= 0), sorted by position then key."""
    has = key >= 0
    codes = np.unique(pos[has] * max(n_keys, 1) + key[has])
    return Rows(codes // max(n_keys, 1), codes % max(n_keys, 1))
