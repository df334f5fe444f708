"""Blocking rules: exact pair counts before pairs are made, list keys, refusal of explosions."""

from __future__ import annotations

import pandas as pd
import pytest

from linkage.blocking import BlockingError, BlockingRule, block, count_pairs, rule_pairs

CUSTODY = pd.DataFrame(
    {
        "paternal_key": ["GRS", "LPS", None, "GRS"],
        "given1_key": ["HS", "MR", "HS", "MR"],
        "phone_keys": ["55551234;44442222", None, "33331111", None],
        "birth_years": ["1980", "1981;1982", None, "1990"],
    }
)
FIELD = pd.DataFrame(
    {
        "paternal_key": ["GRS", "GRS", "LPS", "GRS"],
        "given1_key": ["HS", "HS", "MR", "MR"],
        "phone_keys": ["44442222", "33331111", None, "55551234"],
        "birth_years": ["1980", "1980;1981", "1982", None],
    }
)
SURNAME_GIVEN = BlockingRule("surname_given", ("paternal_key", "given1_key"))
PHONE = BlockingRule("phone", ("phone_keys",))


def test_count_matches_the_pairs_made():
    for rule in (SURNAME_GIVEN, PHONE, BlockingRule("year", ("birth_years",))):
        assert count_pairs(CUSTODY, FIELD, rule) == (len(rule_pairs(CUSTODY, FIELD, rule)), 0)


def test_composite_key_and_missing_parts():
    pairs = rule_pairs(CUSTODY, FIELD, SURNAME_GIVEN).tolist()
    # custody 2 has no paternal key: it makes no pair by this rule
    assert pairs == [[0, 0], [0, 1], [1, 2], [3, 3]]


def test_list_keys_pair_on_any_shared_element():
    assert rule_pairs(CUSTODY, FIELD, PHONE).tolist() == [[0, 0], [0, 3], [2, 1]]


def test_cross_column_rule():
    rule = BlockingRule("swap", ("given1_key",), ("paternal_key",))
    custody = pd.DataFrame({"given1_key": ["GRS"]})
    assert rule_pairs(custody, FIELD, rule).tolist() == [[0, 0], [0, 1], [0, 3]]


def test_union_with_rule_masks_and_table():
    pairs, mask, table = block(CUSTODY, FIELD, (SURNAME_GIVEN, PHONE))
    assert pairs.tolist() == [[0, 0], [0, 1], [0, 3], [1, 2], [2, 1], [3, 3]]
    assert mask.tolist() == [3, 1, 2, 1, 2, 1]
    assert table["pairs"].tolist() == [4, 3]
    assert table["new_pairs"].tolist() == [4, 2]
    assert table["skipped_stop_keys"].tolist() == [0, 0]


def test_stop_keys_of_a_backup_rule_are_skipped_and_counted():
    # GRS+HS makes 2 pairs (custody 0 with field 0 and 1), over the limit of 1; the others make 1
    rule = BlockingRule("capped", ("paternal_key", "given1_key"), max_key_pairs=1)
    assert count_pairs(CUSTODY, FIELD, rule) == (2, 2)
    assert rule_pairs(CUSTODY, FIELD, rule).tolist() == [[1, 2], [3, 3]]


def test_rule_that_would_explode_is_refused_with_advice():
    with pytest.raises(
        BlockingError, match=r"would make 4 pairs, over the limit of 3: add a column"
    ):
        block(CUSTODY, FIELD, (SURNAME_GIVEN,), max_pairs_per_rule=3)


def test_rule_on_absent_column_makes_no_pairs():
    rule = BlockingRule("a_number", ("a_number",))
    assert count_pairs(CUSTODY, FIELD, rule) == (0, 0)
    pairs, _, _ = block(CUSTODY, FIELD, (rule,))
    assert pairs.shape == (0, 2)


def _prepared(names: list[str], side: str) -> pd.DataFrame:
    from linkage.pipeline import prepare

    ids = [f"{side[0].upper()}{i}" for i in range(len(names))]
    _, norm = prepare(pd.DataFrame({"record_id": ids, "full_name": names}), side)
    return norm.reset_index(drop=True)


def _pairs_of(rule_name: str, custody: list[str], field: list[str]) -> list[tuple[int, int]]:
    from linkage.blocking import DEFAULT_RULES

    rule = next(r for r in DEFAULT_RULES if r.name == rule_name)
    pairs = rule_pairs(_prepared(custody, "custody"), _prepared(field, "field"), rule)
    return [tuple(p) for p in pairs.tolist()]


def test_backup_rules_catch_what_sound_keys_split():
    # an initial against the full name; spellings whose sound keys differ; names in English
    assert _pairs_of("initial_surname", ["HANDY, F A"], ["Frank A Handy", "Fred Handy"]) == [
        (0, 0),
        (0, 1),
    ]
    assert _pairs_of("surname_initial", ["HANDY, FRANK"], ["F. Handy", "Frank Handy"]) == [(0, 0)]
    assert _pairs_of(
        "name_starts", ["RUPPENHAL, PETER"], ["Peter Ruppenthal", "Pedro Ruppenthal"]
    ) == [(0, 0)]


def test_two_full_given_names_with_one_initial_are_not_paired_by_the_initial_rules():
    # relatives share a surname and often an initial: only a written initial opens the rule
    assert _pairs_of("initial_surname", ["HANDY, FRED"], ["Frank Handy"]) == []
    assert _pairs_of("surname_initial", ["HANDY, FRED"], ["Frank Handy"]) == []
