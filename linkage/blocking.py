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
LIST_COLUMNS = frozenset(
    {"phone_keys", "child_keys", "birth_years", "birth_years_near", "name_pairs"}
)
SEP = "\x1f"


#: per-key pair limit of the backup rules (see :class:`BlockingRule`)
BACKUP_KEY_PAIRS = 1000
#: default limit of the pairs one key of a main rule may make (setting max_pairs_per_key)
MAX_PAIRS_PER_KEY = 1_000_000


class BlockingError(ValueError):
    """A blocking rule would make too many pairs."""


@dataclass(frozen=True)
class BlockingRule:
    """Pairs whose ``left`` key columns (custody) equal their ``right`` key columns (field).

    ``max_key_pairs``: a key value that alone would make more pairs than this is skipped (a
    "stop key" such as a common first name with a common birth year); for the rules that back up
    the main ones, whose common keys those main rules already cover.

    ``evidence``: names of the comparisons whose agreement the rule forces or makes likely (a rule
    on sound-alike names forces name agreement, and a given name mostly fixes sex). The model's
    EM session on this rule's pairs is blind to them: it cannot learn their m there.
    """

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...] | None = None
    description: str = ""
    max_key_pairs: int | None = None
    evidence: tuple[str, ...] = ()

    @property
    def right_columns(self) -> tuple[str, ...]:
        return self.right or self.left


DEFAULT_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(
        "surname_given",
        ("paternal_key", "given1_key"),
        description="same-sounding paternal surname and first given name",
        evidence=("name", "sex"),
    ),
    BlockingRule(
        "both_surnames",
        ("paternal_key", "maternal_key"),
        description="same-sounding paternal and maternal surnames",
        evidence=("name",),
    ),
    BlockingRule(
        "swapped_surnames",
        ("maternal_key", "given1_key"),
        ("paternal_key", "given1_key"),
        description="custody maternal surname sounds like the field paternal one, same given name",
        evidence=("name", "sex"),
    ),
    BlockingRule(
        "given_birth_year",
        ("given1_key", "birth_years"),
        description="same-sounding first given name and a shared possible birth year",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("birth_date", "name", "sex"),
    ),
    BlockingRule(
        "surname_birth_year",
        ("paternal_key", "birth_years"),
        description="same-sounding paternal surname and a shared possible birth year",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("birth_date", "name"),
    ),
    BlockingRule(
        "given_municipality",
        ("given1_key", "municipality_code"),
        description="same-sounding first given name and the same municipality",
        evidence=("name", "place", "sex"),
    ),
    BlockingRule(
        "name_word_pair",
        ("name_pairs",),
        description="two words of the name sound alike, whatever slots they are in",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("name",),
    ),
    BlockingRule(
        "name_starts",
        ("given1_start", "paternal_start"),
        description="first given name and paternal surname begin with the same three letters",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("name", "sex"),
    ),
    BlockingRule(
        "initial_surname",
        ("given_initial_only", "paternal_key"),
        ("given_initial", "paternal_key"),
        description="custody gives an initial for the given name, the field report a name that "
        "begins with it; same-sounding paternal surname",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("name",),
    ),
    BlockingRule(
        "surname_initial",
        ("given_initial", "paternal_key"),
        ("given_initial_only", "paternal_key"),
        description="the field report gives an initial for the given name, custody a name that "
        "begins with it; same-sounding paternal surname",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("name",),
    ),
    BlockingRule(
        "surname_place",
        ("paternal_key", "place_key"),
        description="same-sounding paternal surname and the same place",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("name", "place"),
    ),
    BlockingRule(
        "given_place",
        ("given1_key", "place_key"),
        description="same-sounding first given name and the same place",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("name", "place", "sex"),
    ),
    BlockingRule(
        "surname_start_place_year",
        ("paternal_start", "place_key", "birth_years_near"),
        description="paternal surname begins with the same three letters, the same place and "
        "birth years at most two apart",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("birth_date", "name", "place"),
    ),
    BlockingRule(
        "birth_date",
        ("dob_day",),
        description="the same full date of birth",
        evidence=("birth_date",),
    ),
    BlockingRule(
        "a_number",
        ("a_number",),
        description="the same A-number",
        evidence=("a_number",),
    ),
    BlockingRule(
        "national_id",
        ("national_id",),
        description="the same national ID",
        evidence=("birth_date", "national_id", "place"),
    ),
    BlockingRule(
        "phone",
        ("phone_keys",),
        description="a shared phone number",
        evidence=("phone",),
    ),
    BlockingRule(
        "child",
        ("child_keys",),
        description="a child with the same-sounding given name and birth year",
        max_key_pairs=BACKUP_KEY_PAIRS,
        evidence=("children",),
    ),
)


def keyed(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
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


def _key_counts(
    custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Keyed rows of both sides and the pairs each shared key makes (stop keys removed)."""
    left = keyed(custody, rule.left)
    right = keyed(field, rule.right_columns)
    lc, rc = left["key"].value_counts(), right["key"].value_counts()
    common = lc.index.intersection(rc.index)
    per_key = lc[common] * rc[common]
    return left, right, per_key


def count_pairs(custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule) -> tuple[int, int]:
    """(pairs ``rule`` makes, pairs it skips for stop keys), counted without making them."""
    _, _, per_key = _key_counts(custody, field, rule)
    if rule.max_key_pairs is None:
        return int(per_key.sum()), 0
    kept = per_key <= rule.max_key_pairs
    return int(per_key[kept].sum()), int(per_key[~kept].sum())


def _check_keys(custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule, limit: int) -> None:
    """Refuse a rule one of whose keys alone would make over ``limit`` pairs, naming the key."""
    if rule.max_key_pairs is not None:
        return  # its stop keys are skipped instead
    left, right, per_key = _key_counts(custody, field, rule)
    if per_key.empty or per_key.max() <= limit:
        return
    key = per_key.idxmax()
    n_left = int((left["key"] == key).sum())
    n_right = int((right["key"] == key).sum())
    raise key_over_limit(rule, key, n_left, n_right, limit)


def key_over_limit(
    rule: BlockingRule, key: str, n_left: int, n_right: int, limit: int
) -> BlockingError:
    """The error for a key of ``rule`` held by ``n_left`` custody records and ``n_right`` field
    reports, whose pairs are over ``limit`` (``max_pairs_per_key``)."""
    return BlockingError(
        f"blocking rule {rule.name!r} ({rule.description}): the key "
        f"{key.replace(SEP, ' + ')!r} alone would make {n_left * n_right:,} pairs "
        f"({n_left:,} custody records x {n_right:,} field reports), over max_pairs_per_key = "
        f"{limit:,}: remove the reports that repeat one another, or drop the rule in the "
        "config file ([blocking] rules), or raise max_pairs_per_key"
    )


def rule_keys(
    custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keyed rows (pos, key) of both sides whose key makes pairs under ``rule``, stop keys
    removed: joined on ``key`` they give the rule's pairs (the Spark engine joins them there)."""
    left, right, per_key = _key_counts(custody, field, rule)
    keys = per_key.index
    if rule.max_key_pairs is not None:
        keys = keys[per_key.to_numpy() <= rule.max_key_pairs]
    return left[left["key"].isin(keys)], right[right["key"].isin(keys)]


def check_pairs(rule: BlockingRule, n: int, max_pairs_per_rule: int) -> None:
    """Refuse a rule that would make more than ``max_pairs_per_rule`` pairs."""
    if n > max_pairs_per_rule:
        raise BlockingError(
            f"blocking rule {rule.name!r} ({rule.description}) would make {n:,} pairs, over "
            f"the limit of {max_pairs_per_rule:,}: add a column to the rule or drop it in the "
            "config file ([blocking] rules), or raise max_pairs_per_rule"
        )


def rule_pairs(custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule) -> np.ndarray:
    """Pairs of ``rule`` as an (n, 2) int64 array of (custody position, field position)."""
    left, right = rule_keys(custody, field, rule)
    joined = left.merge(right, on="key", suffixes=("_l", "_r"))
    return np.unique(joined[["pos_l", "pos_r"]].to_numpy(dtype="int64").reshape(-1, 2), axis=0)


def block(
    custody: pd.DataFrame,
    field: pd.DataFrame,
    rules: tuple[BlockingRule, ...] = DEFAULT_RULES,
    max_pairs_per_rule: int = 25_000_000,
    max_pairs_per_key: int = MAX_PAIRS_PER_KEY,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Union of the rules' pairs.

    Every rule's pairs are counted before any is made: a rule over ``max_pairs_per_rule``, or
    one of whose keys alone is over ``max_pairs_per_key`` (many copies of one report), is
    refused with a :class:`BlockingError` saying what to do.

    Returns (pairs as (n, 2) custody/field positions sorted, a bitmask per pair of the rules that
    made it, a table of rule, description, pairs (each rule alone), new_pairs (added by it) and
    skipped_stop_keys (pairs its stop keys would have made)).
    """
    counts, skipped = [], []
    for rule in rules:
        n, n_skipped = count_pairs(custody, field, rule)
        skipped.append(n_skipped)
        check_pairs(rule, n, max_pairs_per_rule)
        _check_keys(custody, field, rule, max_pairs_per_key)
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
            "skipped_stop_keys": skipped,
        }
    )
    return pairs, mask, table
