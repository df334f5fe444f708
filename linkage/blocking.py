"""Blocking: which custody x field pairs reach comparison.

A rule is a readable equality on normalized key columns ("same-sounding paternal surname and first
given name"). Rules are unioned. Before any pair is made, each rule's pair count is computed
exactly from its key counts; a rule that would make more pairs than allowed is refused with a
message saying what to do. List-valued keys (phones, children, candidate birth years) are
``;``-joined and a pair shares the key when any element agrees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: normalized columns that hold ;-joined lists
LIST_COLUMNS = frozenset({"phone_keys", "child_keys", "birth_years", "name_pairs"})
SEP = "\x1f"


class BlockingError(ValueError):
    """A blocking rule would make too many pairs."""


@dataclass(frozen=True)
class BlockingRule:
    """Pairs whose ``left`` key columns (custody) equal their ``right`` key columns (field)."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...] | None = None
    description: str = ""

    @property
    def right_columns(self) -> tuple[str, ...]:
        return self.right or self.left

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "left": list(self.left),
            "right": list(self.right_columns),
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: dict) -> BlockingRule:
        left = tuple(data["left"])
        right = tuple(data.get("right") or left)
        return cls(
            data["name"], left, None if right == left else right, data.get("description", "")
        )


DEFAULT_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(
        "surname_given",
        ("paternal_key", "given1_key"),
        description="same-sounding paternal surname and first given name",
    ),
    BlockingRule(
        "both_surnames",
        ("paternal_key", "maternal_key"),
        description="same-sounding paternal and maternal surnames",
    ),
    BlockingRule(
        "swapped_surnames",
        ("maternal_key", "given1_key"),
        ("paternal_key", "given1_key"),
        description="custody maternal surname sounds like the field paternal one, same given name",
    ),
    BlockingRule(
        "given_birth_year",
        ("given1_key", "birth_years"),
        description="same-sounding first given name and a shared possible birth year",
    ),
    BlockingRule(
        "surname_birth_year",
        ("paternal_key", "birth_years"),
        description="same-sounding paternal surname and a shared possible birth year",
    ),
    BlockingRule(
        "given_municipality",
        ("given1_key", "municipality_code"),
        description="same-sounding first given name and the same municipality",
    ),
    BlockingRule(
        "name_word_pair",
        ("name_pairs",),
        description="two words of the name sound alike, whatever slots they are in",
    ),
    BlockingRule("a_number", ("a_number",), description="the same A-number"),
    BlockingRule("national_id", ("national_id",), description="the same national ID"),
    BlockingRule("phone", ("phone_keys",), description="a shared phone number"),
    BlockingRule(
        "child",
        ("child_keys",),
        description="a child with the same-sounding given name and birth year",
    ),
)


def _keyed(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Composite keys: one row per (record position, key); rows missing a part are left out."""
    if any(c not in frame for c in columns):
        return pd.DataFrame(
            {"pos": pd.Series([], dtype="int64"), "key": pd.Series([], dtype=object)}
        )
    keys = pd.DataFrame({"pos": np.arange(len(frame), dtype="int64")})
    for column in columns:
        values = frame[column].reset_index(drop=True).astype(object)
        if column in LIST_COLUMNS:
            values = values.map(
                lambda v: [x for x in v.split(";") if x] if isinstance(v, str) else []
            )
        keys[column] = values
    for column in columns:
        if column in LIST_COLUMNS:
            keys = keys.explode(column)
    keys = keys.dropna()
    text = keys[columns[0]].astype(str)
    for column in columns[1:]:
        text = text + SEP + keys[column].astype(str)
    out = pd.DataFrame({"pos": keys["pos"].to_numpy(dtype="int64"), "key": text.to_numpy()})
    out = out[out["key"].str.len() > 0]
    return out.drop_duplicates(ignore_index=True)


def count_pairs(custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule) -> int:
    """Exact number of pairs ``rule`` makes (before the union), without making them."""
    left = _keyed(custody, rule.left)["key"].value_counts()
    right = _keyed(field, rule.right_columns)["key"].value_counts()
    common = left.index.intersection(right.index)
    return int((left[common].to_numpy(dtype="int64") * right[common].to_numpy(dtype="int64")).sum())


def rule_pairs(custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule) -> np.ndarray:
    """Pairs of ``rule`` as an (n, 2) int64 array of (custody position, field position)."""
    left = _keyed(custody, rule.left)
    right = _keyed(field, rule.right_columns)
    joined = left.merge(right, on="key", suffixes=("_l", "_r"))
    return np.unique(joined[["pos_l", "pos_r"]].to_numpy(dtype="int64"), axis=0)


def block(
    custody: pd.DataFrame,
    field: pd.DataFrame,
    rules: tuple[BlockingRule, ...] = DEFAULT_RULES,
    max_pairs_per_rule: int = 25_000_000,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Union of the rules' pairs.

    Returns (pairs as (n, 2) custody/field positions sorted, a bitmask per pair of the rules that
    made it, a table of rule, description, pairs (each rule alone) and new_pairs (added by it)).
    """
    counts = []
    for rule in rules:
        n = count_pairs(custody, field, rule)
        if n > max_pairs_per_rule:
            raise BlockingError(
                f"blocking rule {rule.name!r} ({rule.description}) would make {n:,} pairs, over "
                f"the limit of {max_pairs_per_rule:,}: add a column to the rule or drop it in the "
                "config file ([blocking] rules), or raise max_pairs_per_rule"
            )
        counts.append(n)
    n_field = len(field)
    codes: list[np.ndarray] = []
    masks: list[np.ndarray] = []
    for i, rule in enumerate(rules):
        if counts[i] == 0:
            continue
        pairs = rule_pairs(custody, field, rule)
        codes.append(pairs[:, 0] * n_field + pairs[:, 1])
        masks.append(np.full(len(pairs), 1 << i, dtype=np.int64))
    if codes:
        all_codes = np.concatenate(codes)
        all_masks = np.concatenate(masks)
        unique, inverse = np.unique(all_codes, return_inverse=True)
        mask = np.zeros(len(unique), dtype=np.int64)
        np.bitwise_or.at(mask, inverse, all_masks)
    else:
        unique = np.empty(0, dtype=np.int64)
        mask = np.empty(0, dtype=np.int64)
    pairs = np.stack([unique // max(n_field, 1), unique % max(n_field, 1)], axis=1)
    seen = np.zeros(len(unique), dtype=np.int64)
    new = []
    for i in range(len(rules)):
        bit = 1 << i
        has = (mask & bit) != 0
        new.append(int((has & (seen == 0)).sum()))
        seen |= np.where(has, bit, 0)
    table = pd.DataFrame(
        {
            "rule": [r.name for r in rules],
            "description": [r.description for r in rules],
            "pairs": counts,
            "new_pairs": new,
        }
    )
    return pairs, mask, table
