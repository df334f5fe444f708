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

from linkage.blockkeys import SEP, KeyCodes, RuleKeys

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
    keys = KeyCodes(frame, frame.iloc[:0]).rule(columns, columns)
    return pd.DataFrame({"pos": keys.left.pos, "key": keys.labels(keys.left.key)})


def _rule_keys(
    custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule, codes: KeyCodes | None
) -> RuleKeys:
    """The keyed rows of ``rule`` on both sides (from ``codes`` when given, coded once per job)."""
    codes = codes or KeyCodes(custody, field)
    return codes.rule(rule.left, rule.right_columns)


def count_pairs(
    custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule, codes: KeyCodes | None = None
) -> tuple[int, int]:
    """(pairs ``rule`` makes, pairs it skips for stop keys), counted without making them."""
    return _counted(_rule_keys(custody, field, rule, codes), rule)


def _counted(keys: RuleKeys, rule: BlockingRule) -> tuple[int, int]:
    """:func:`count_pairs` from the rule's keyed rows."""
    per_key = keys.pairs_per_key()
    if rule.max_key_pairs is None:
        return int(per_key.sum()), 0
    kept = per_key <= rule.max_key_pairs
    return int(per_key[kept].sum()), int(per_key[~kept].sum())


def _check_keys(keys: RuleKeys, rule: BlockingRule, limit: int) -> None:
    """Refuse a rule one of whose keys alone would make over ``limit`` pairs, naming the key
    (of several, the one making the most pairs, then the first in text order)."""
    if rule.max_key_pairs is not None:
        return  # its stop keys are skipped instead
    n_left, n_right = keys.per_key()
    per_key = n_left * n_right
    if not len(per_key) or per_key.max() <= limit:
        return
    worst = np.flatnonzero(per_key == per_key.max())
    key = min(worst.tolist(), key=keys.label)
    raise key_over_limit(rule, keys.label(key), int(n_left[key]), int(n_right[key]), limit)


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
    custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule, codes: KeyCodes | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keyed rows (pos, key) of both sides whose key makes pairs under ``rule``, stop keys
    removed: joined on ``key`` they give the rule's pairs (the Spark engine joins them there)."""
    keys = _kept(_rule_keys(custody, field, rule, codes), rule)
    return tuple(
        pd.DataFrame({"pos": rows.pos, "key": keys.labels(rows.key)})
        for rows in (keys.left, keys.right)
    )


def _kept(keys: RuleKeys, rule: BlockingRule) -> RuleKeys:
    """The rows of ``keys`` whose key makes pairs (both sides hold it), stop keys removed."""
    per_key = keys.pairs_per_key()
    keep = per_key > 0
    if rule.max_key_pairs is not None:
        keep &= per_key <= rule.max_key_pairs
    return keys.only(keep)


def check_pairs(rule: BlockingRule, n: int, max_pairs_per_rule: int) -> None:
    """Refuse a rule that would make more than ``max_pairs_per_rule`` pairs."""
    if n > max_pairs_per_rule:
        raise BlockingError(
            f"blocking rule {rule.name!r} ({rule.description}) would make {n:,} pairs, over "
            f"the limit of {max_pairs_per_rule:,}: add a column to the rule or drop it in the "
            "config file ([blocking] rules), or raise max_pairs_per_rule"
        )


def rule_pairs(
    custody: pd.DataFrame, field: pd.DataFrame, rule: BlockingRule, codes: KeyCodes | None = None
) -> np.ndarray:
    """Pairs of ``rule`` as an (n, 2) int64 array of (custody position, field position)."""
    return _kept(_rule_keys(custody, field, rule, codes), rule).pairs()


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
    key_codes = KeyCodes(custody, field)
    counts, skipped, keyed_rules = [], [], []
    for rule in rules:
        keys = _rule_keys(custody, field, rule, key_codes)
        n, n_skipped = _counted(keys, rule)
        skipped.append(n_skipped)
        check_pairs(rule, n, max_pairs_per_rule)
        _check_keys(keys, rule, max_pairs_per_key)
        counts.append(n)
        keyed_rules.append(keys)
    n_field = len(field)
    codes: list[np.ndarray] = []
    masks: list[np.ndarray] = []
    for i, rule in enumerate(rules):
        if counts[i] == 0:
            continue
        pairs = _kept(keyed_rules[i], rule).pairs()
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
