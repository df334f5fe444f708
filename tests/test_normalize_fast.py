"""Blocking keys coded as integers, and normalizers read once per distinct value, give what the
per-row code gave (:mod:`tests.normalize_oracles`), on the bundled sample and on arbitrary
values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkage.blocking import DEFAULT_RULES, BlockingRule, block, keyed, rule_keys
from linkage.io import load_mapping, read_records
from linkage.job import SAMPLE
from linkage.pipeline import prepare
from tests import normalize_oracles as oracle


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    mapping = load_mapping(None)
    sides = []
    for side in ("custody", "field"):
        _, normalized = prepare(read_records(SAMPLE / f"{side}.csv", mapping, None), side)
        sides.append(normalized)
    return sides[0], sides[1]


def _same_blocking(custody: pd.DataFrame, field: pd.DataFrame, rules: tuple) -> None:
    pairs, mask, table = block(custody, field, rules)
    want_pairs, want_mask, counts, skipped = oracle.block(custody, field, rules)
    assert pairs.tolist() == want_pairs.tolist()
    assert mask.tolist() == want_mask.tolist()
    assert table["pairs"].tolist() == counts
    assert table["skipped_stop_keys"].tolist() == skipped


def test_sample_candidate_pairs_are_the_per_row_ones(sample):
    custody, field = sample
    _same_blocking(custody, field, DEFAULT_RULES)
    assert len(block(custody, field)[0]) > 100


def test_sample_keys_are_the_per_row_ones(sample):
    custody, field = sample
    for rule in DEFAULT_RULES:
        rows = keyed(field, rule.right_columns)
        want = {
            (p, k)
            for p, keys in enumerate(oracle.row_keys(field, rule.right_columns))
            for k in keys
        }
        assert set(zip(rows["pos"], rows["key"], strict=True)) == want
        assert len(rows) == len(want)


def test_rule_keys_hold_only_keys_both_sides_share():
    custody = pd.DataFrame({"paternal_key": ["GRS", "LPS", ""], "phone_keys": ["1;2", "3", None]})
    field = pd.DataFrame({"paternal_key": ["GRS", "", "MRN"], "phone_keys": ["2;9", None, "2"]})
    left, right = rule_keys(custody, field, BlockingRule("p", ("phone_keys",)))
    assert left.values.tolist() == [[0, "2"]]
    assert sorted(right.values.tolist()) == [[0, "2"], [2, "2"]]
    left, right = rule_keys(custody, field, BlockingRule("s", ("paternal_key",)))
    assert (left.values.tolist(), right.values.tolist()) == ([[0, "GRS"]], [[0, "GRS"]])


_KEYS = st.one_of(
    st.none(),
    st.just(""),
    st.sampled_from(["a", "b", "ab", "a;b", ";a;", "b;;c", ";"]),
    st.text(max_size=6),
)


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 8))
    columns = {c: draw(st.lists(_KEYS, min_size=n, max_size=n)) for c in ("g", "p", "phone_keys")}
    return pd.DataFrame(columns, dtype=object)


@given(_frames(), _frames(), st.sampled_from([None, 1, 2]))
def test_arbitrary_keys_block_as_the_per_row_code(custody, field, cap):
    rules = (
        BlockingRule("gp", ("g", "p"), max_key_pairs=cap),
        BlockingRule("swap", ("p", "g"), ("g", "p")),
        BlockingRule("list", ("phone_keys",), max_key_pairs=cap),
        BlockingRule("mixed", ("g", "phone_keys"), ("p", "phone_keys")),
        BlockingRule("one", ("g",), ("p",)),
        BlockingRule("absent", ("g", "nowhere")),
    )
    _same_blocking(custody, field, rules)


def test_a_side_without_rows_makes_no_keys():
    empty = pd.DataFrame({"g": pd.Series([], dtype=object)})
    full = pd.DataFrame({"g": ["a", "b"]})
    pairs, mask, table = block(empty, full, (BlockingRule("g", ("g",)),))
    assert (pairs.shape, mask.tolist(), table["pairs"].tolist()) == ((0, 2), [], [0])
    assert np.array_equal(keyed(empty, ("g",))["pos"].to_numpy(), np.empty(0, dtype=np.int64))
