"""The columnar compare core gives the very levels the per-pair code gave.

The oracle is the per-pair path: every candidate pair lined up in one pair frame
(:func:`pair_frame`) and every comparison's :meth:`~Comparison.vector` run on it, with the name
comparison's ladder (:func:`_compare`) called on every row. The new path
(:func:`compare_all`: distinct value pairs once per job, names' unrelated pairs decided on
arrays) must agree on every pair, on the sample's blocked pairs, on random pairs (mostly
unrelated names) and on a 5,000 x 20,000 synthetic job. That last one takes minutes: it runs
when ``REENCUENTRO_SLOW=1`` is set (``REENCUENTRO_SLOW=1 .venv/bin/pytest -q
tests/test_compare_core.py``).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from linkage.blocking import DEFAULT_RULES, block
from linkage.comparisons import default_comparisons
from linkage.comparisons.base import MISSING, Comparison
from linkage.comparisons.household import HouseholdComparison, _dobs, _level
from linkage.comparisons.names import NameComparison, _compare, _given_keys, _side
from linkage.comparisons.places import PlaceComparison
from linkage.comparisons.run import (
    compare_all,
    compare_pairs,
    compared_columns,
    distinct_rows,
    pair_frame,
    term_frequencies,
    tf_values,
)
from linkage.io import load_mapping, read_records
from linkage.job import SAMPLE
from linkage.pipeline import prepare
from linkage.settings import Settings
from linkage.synth import generate
from tests.compare_oracles import ORACLES as ROW_ORACLES
from tests.compare_oracles import RowPlace


class _LadderNames(NameComparison):
    """The name comparison as it ran before: the ladder on every row, and the frequency of a
    shared given name looked for pair by pair."""

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        cols = [pairs[f"{c}_{s}"].tolist() for s in ("l", "r") for c in self.columns]
        width = len(self.columns)
        return np.array(
            [_compare(_side(*r[:width]), _side(*r[width:])) for r in zip(*cols, strict=True)],
            dtype=np.int8,
        )

    def pair_frequencies(self, left, right, table) -> np.ndarray:
        freq = Comparison.pair_frequencies(self, left, right, table)
        key_l, key_r = left["name_tf"], right["name_tf"]
        rarest = min(table.values(), default=np.nan)
        cache: dict[tuple[object, ...], float] = {}
        for i, (a, b) in enumerate(zip(key_l, key_r, strict=True)):
            if not (isinstance(a, str) and isinstance(b, str) and a != b):
                continue
            sides = (left["given"][i], left["paternal"][i], right["given"][i], right["paternal"][i])
            if sides not in cache:
                shared = _given_keys(*sides[:2]) & _given_keys(*sides[2:])
                cache[sides] = min((table.get(k, rarest) for k in shared), default=freq[i])
            freq[i] = cache[sides]
        return freq


class _PairingChildren(HouseholdComparison):
    """The household comparison as it ran before: the pairing on every row."""

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        out = np.full(len(pairs), MISSING, dtype=np.int8)
        columns = ("children_l", "children_dobs_l", "children_r", "children_dobs_r")
        for k, (nl, dl, nr, dr) in enumerate(zip(*(pairs[c] for c in columns), strict=True)):
            if isinstance(nl, str) and isinstance(nr, str):
                level = _level(nl.split(";"), _dobs(dl, nl), nr.split(";"), _dobs(dr, nr))
                out[k] = self.code(level)
        return out


ORACLES = {NameComparison: _LadderNames, HouseholdComparison: _PairingChildren, **ROW_ORACLES}


def _oracle_of(comparison: Comparison) -> Comparison:
    """The per-pair version of ``comparison`` (itself when it has none)."""
    if isinstance(comparison, PlaceComparison):
        return RowPlace(comparison.km)
    return ORACLES.get(type(comparison), lambda: comparison)()


def _normalized(custody: pd.DataFrame, field: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    settings = Settings()
    _, left = prepare(custody, "custody", settings)
    _, right = prepare(field, "field", settings)
    return left, right


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    mapping = load_mapping(None)
    custody = read_records(SAMPLE / "custody.csv", mapping, None)
    field = read_records(SAMPLE / "field.csv", mapping, None)
    return _normalized(custody, field)


def _oracle(
    left: pd.DataFrame, right: pd.DataFrame, positions: np.ndarray, tables: dict
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    comparisons = [_oracle_of(c) for c in default_comparisons(Settings())]
    pairs = pair_frame(
        left.iloc[positions[:, 0]], right.iloc[positions[:, 1]], compared_columns(comparisons)
    )
    return compare_pairs(pairs, comparisons).to_numpy(), tf_values(pairs, comparisons, tables)


def _random_pairs(left: pd.DataFrame, right: pd.DataFrame, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, len(left), n), rng.integers(0, len(right), n)], axis=1)


def _assert_same(left: pd.DataFrame, right: pd.DataFrame, positions: np.ndarray) -> None:
    comparisons = default_comparisons(Settings())
    tables = term_frequencies(comparisons, left, right)
    expected, expected_tf = _oracle(left, right, positions, tables)
    for workers in (1, 2):
        vectors, tf = compare_all(
            left, right, positions, comparisons, tables, workers=workers, chunk_pairs=997
        )
        for j, c in enumerate(comparisons):
            differ = np.flatnonzero(vectors[:, j] != expected[:, j])
            assert differ.size == 0, (c.name, positions[differ[:5]].tolist())
        assert tf.keys() == expected_tf.keys() == {"name", "place"}
        for name, values in expected_tf.items():
            np.testing.assert_array_equal(tf[name], values)


def test_blocked_pairs_of_the_sample(sample):
    left, right = sample
    positions, _, _ = block(left, right, DEFAULT_RULES)
    assert len(positions) > 3000
    _assert_same(left, right, positions)


def test_random_pairs_of_the_sample(sample):
    left, right = sample
    _assert_same(left, right, _random_pairs(left, right, 20_000, seed=3))


def test_names_fast_path_matches_the_ladder_on_every_level(sample):
    left, right = sample
    positions, _, _ = block(left, right, DEFAULT_RULES)
    both = np.concatenate([positions, _random_pairs(left, right, 5_000, seed=4)])
    cmp = NameComparison()
    pairs = pair_frame(left.iloc[both[:, 0]], right.iloc[both[:, 1]], cmp.columns)
    got = cmp.levels_of(pairs)
    np.testing.assert_array_equal(got, _LadderNames().levels_of(pairs))
    # both paths are exercised: ladder levels and unrelated names (missing names: in
    # test_names_comparison.py)
    seen = {cmp.level_names()[i] for i in got}
    assert seen >= {"exact_full_name", "parts_crossed", "fuzzy", "phonetic", "initials", "else"}


def test_children_fast_path_matches_the_pairing(sample):
    left, right = sample
    positions, _, _ = block(left, right, DEFAULT_RULES)
    both = np.concatenate([positions, _random_pairs(left, right, 20_000, seed=5)])
    cmp = HouseholdComparison()
    pairs = pair_frame(left.iloc[both[:, 0]], right.iloc[both[:, 1]], cmp.columns)
    extra = pd.DataFrame(  # a nickname and a typo take the pairing; "luis" and "ana" do not
        {
            "children_l": ["chepe lopez", "yesenia coc", "luis"],
            "children_dobs_l": ["", "2011", None],
            "children_r": ["jose lopez", "yessenia coc", "ana"],
            "children_dobs_r": ["2012", "2011-05-06", ""],
        }
    )
    pairs = pd.concat([pairs, extra], ignore_index=True)
    got = cmp.levels_of(pairs)
    np.testing.assert_array_equal(got, _PairingChildren().levels_of(pairs))
    assert [cmp.levels[i].name for i in got[-3:]] == [
        "child_name",
        "child_name_and_year",
        "no_child_agrees",
    ]
    seen = {cmp.level_names()[i] if i >= 0 else "missing" for i in got}
    assert seen >= {"two_children_agree", "child_name_and_dob", "no_child_agrees", "missing"}


def test_distinct_rows_treats_every_missing_kind_alike():
    frame = pd.DataFrame({"a": ["x", None, np.nan, pd.NA, "x"], "b": [1, 2, 2, 2, 1]})
    code, first = distinct_rows(frame.astype(object), ["a", "b"])
    assert code.tolist() == [0, 1, 1, 1, 0]
    assert first.tolist() == [0, 1]


def test_no_pairs():
    left = pd.DataFrame({"sex": ["M"]})
    vectors, tf = compare_all(
        left, left, np.empty((0, 2), dtype=np.int64), default_comparisons(Settings()), {}
    )
    assert vectors.shape == (0, 8)
    assert tf == {}


@pytest.mark.skipif(not os.environ.get("REENCUENTRO_SLOW"), reason="minutes; REENCUENTRO_SLOW=1")
def test_blocked_pairs_of_a_5000_by_20000_job():
    data = generate(5000, 20000, seed=1)
    left, right = _normalized(data.custody, data.field)
    positions, _, _ = block(left, right, DEFAULT_RULES)
    assert len(positions) > 100_000
    _assert_same(left, right, positions)


def _with_slips(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``frame`` with a typing slip in two of every three national IDs and A-numbers: two
    adjacent characters swapped, or one replaced."""
    rng = np.random.default_rng(seed)
    out = frame.copy()
    for column in ("national_id", "a_number"):
        if column not in out:
            continue
        values = out[column].astype(object).tolist()
        for i, value in enumerate(values):
            if not isinstance(value, str) or len(value) < 2 or i % 3 == 0:
                continue
            k = int(rng.integers(0, len(value) - 1))
            if i % 3 == 1:
                values[i] = value[:k] + value[k + 1] + value[k] + value[k + 2 :]
            else:
                values[i] = value[:k] + ("7" if value[k] != "7" else "3") + value[k + 1 :]
        out[column] = values
    return out


@pytest.fixture(scope="module")
def job_2000_by_20000() -> list[tuple[pd.DataFrame, pd.DataFrame, np.ndarray]]:
    """(left, right, pairs of positions): the job's blocked pairs and random pairs; and each
    side against a copy of itself with typing slips in its IDs, each record with its copy and
    at random (the custody side holds the A-numbers, the field side the national IDs and
    communities)."""
    data = generate(2000, 20000, seed=2)
    left, right = _normalized(data.custody, data.field)
    blocked, _, _ = block(left, right, DEFAULT_RULES)
    cases = [(left, right, np.concatenate([blocked, _random_pairs(left, right, 50_000, 6)]))]
    for side in (left, right):
        diagonal = np.repeat(np.arange(len(side))[:, None], 2, axis=1)
        positions = np.concatenate([diagonal, _random_pairs(side, side, 20_000, 7)])
        cases.append((side, _with_slips(side, 8), positions))
    return cases


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind", sorted([*ROW_ORACLES, HouseholdComparison], key=lambda k: k.__name__)
)
def test_array_comparisons_of_a_2000_by_20000_job(job_2000_by_20000, kind):
    """ids, phones, places and children on arrays give the per-pair levels on every pair of a
    generated job, which between them reach every level."""
    comparison = next(c for c in default_comparisons(Settings()) if type(c) is kind)
    names = [*comparison.level_names(), "missing"]
    reached = set()
    for left, right, positions in job_2000_by_20000:
        expected = _oracle_of(comparison).vector(
            pair_frame(
                left.iloc[positions[:, 0]], right.iloc[positions[:, 1]], comparison.columns
            )
        )
        vectors, _ = compare_all(left, right, positions, [comparison], {}, workers=2)
        np.testing.assert_array_equal(vectors[:, 0], expected)
        reached |= {names[i] for i in expected}
    assert reached == set(names)
