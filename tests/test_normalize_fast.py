"""Blocking keys coded as integers, and normalizers read once per distinct value, give what the
per-row code gave (:mod:`tests.normalize_oracles`), on the bundled sample and on arbitrary
values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.blocking import DEFAULT_RULES, BlockingRule, block, keyed, rule_keys
from linkage.io import load_mapping, read_records
from linkage.job import SAMPLE
from linkage.pipeline import prepare
from normalizers import distinct
from normalizers.frame import _start
from normalizers.text import is_missing
from tests import normalize_oracles as oracle


def _normalized_sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    mapping = load_mapping(None)
    sides = []
    for side in ("custody", "field"):
        _, normalized = prepare(read_records(SAMPLE / f"{side}.csv", mapping, None), side)
        sides.append(normalized)
    return sides[0], sides[1]


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _normalized_sample()


def test_sample_normalized_once_per_distinct_value_is_as_on_every_row(sample, monkeypatch):
    monkeypatch.setattr(distinct, "distinct_rows", oracle.every_row_distinct)
    for fast, per_row in zip(sample, _normalized_sample(), strict=True):
        pd.testing.assert_frame_equal(fast, per_row, check_exact=True)


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


@settings(max_examples=60, deadline=None)
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


_CELLS = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(pd.NA),
    st.sampled_from([1, 1.0, True, "1", 0, False, "", [1]]),
    st.text(max_size=4),
)


@settings(deadline=None)
@given(st.lists(st.tuples(_CELLS, _CELLS), max_size=12))
def test_mapped_is_the_normalizer_of_every_row(rows):
    def normalizer(*values: object) -> tuple:
        return tuple("NA" if is_missing(v) else (type(v).__name__, repr(v)) for v in values)

    columns = [np.array([r[i] for r in rows] + [None], dtype=object)[:-1] for i in (0, 1)]
    assert distinct.mapped(columns, normalizer) == [normalizer(*r) for r in rows]


@settings(deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=12))
def test_name_starts_of_distinct_names_are_those_of_every_row(values):
    names_ = pd.Series(values, dtype=object, index=range(10, 10 + len(values)))
    pd.testing.assert_series_equal(_start(names_), oracle.start(names_))
    pd.testing.assert_series_equal(_start(names_, 1), oracle.start(names_, 1))
