"""Fellegi-Sunter model: EM recovers known parameters, missing is neutral, tf, save/load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linkage.comparisons.base import Comparison, Level
from linkage.model import FellegiSunter


class ThreeLevels(Comparison):
    columns = ("x",)
    levels = (
        Level("exact", "Igual", "Same", tf=True),
        Level("close", "Parecido", "Close"),
        Level("else", "Distinto", "Different"),
    )
    tf_column = "x"

    def __init__(self, name: str):
        self.name = name

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        raise AssertionError("not used: vectors are simulated")


M = np.array([[0.85, 0.10, 0.05], [0.7, 0.2, 0.1], [0.9, 0.05, 0.05]])
U = np.array([[0.01, 0.04, 0.95], [0.05, 0.15, 0.8], [0.02, 0.08, 0.9]])


def simulate(n: int, share: float, seed: int, missing: float = 0.0):
    rng = np.random.default_rng(seed)
    is_match = rng.random(n) < share
    vectors = np.empty((n, 3), dtype=np.int8)
    for j in range(3):
        vectors[is_match, j] = rng.choice(3, is_match.sum(), p=M[j])
        vectors[~is_match, j] = rng.choice(3, (~is_match).sum(), p=U[j])
        vectors[rng.random(n) < missing, j] = -1
    return vectors, is_match


def fitted(missing: float = 0.0) -> FellegiSunter:
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(100_000, 0.0, seed=1, missing=missing)
    blocked, _ = simulate(20_000, 0.2, seed=2, missing=missing)
    return FellegiSunter(comparisons).fit(blocked, random_vectors, n_custody=1_000, n_field=10_000)


def test_em_recovers_m_and_share_and_reports_convergence():
    model = fitted()
    for j in range(3):
        np.testing.assert_allclose(model.u_[j], U[j], atol=0.01)
        np.testing.assert_allclose(model.m_[j], M[j], atol=0.04)
    assert model.blocked_share_ == pytest.approx(0.2, abs=0.02)
    assert model.prior_ == pytest.approx(0.2 * 20_000 / 10_000_000, rel=0.1)
    assert model.em_.converged and 1 < model.em_.iterations < model.max_iterations


def test_em_with_missing_values_still_recovers_m():
    model = fitted(missing=0.3)
    for j in range(3):
        np.testing.assert_allclose(model.m_[j], M[j], atol=0.05)


def test_missing_carries_no_evidence():
    model = fitted()
    bits = model.bits(np.array([[-1, -1, -1], [0, -1, -1]], dtype=np.int8))
    assert bits[0].tolist() == [0.0, 0.0, 0.0]
    assert bits[1, 0] == pytest.approx(np.log2(model.m_[0][0] / model.u_[0][0]))
    assert model.weights(bits)[0] == pytest.approx(model.prior_bits)


def test_rare_agreed_value_weighs_more_than_common():
    model = fitted()
    vectors = np.array([[0, 2, 2], [0, 2, 2], [1, 2, 2]], dtype=np.int8)
    tf = {"c0": np.array([0.0005, 0.05, 0.0005])}
    bits = model.bits(vectors, tf)
    assert bits[0, 0] > bits[1, 0]
    # the adjustment applies only to levels marked tf
    assert bits[2, 0] == pytest.approx(np.log2(model.m_[0][1] / model.u_[0][1]))


def test_labels_are_held_during_em():
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(50_000, 0.0, seed=1)
    blocked, truth = simulate(5_000, 0.2, seed=3)
    labels = np.where(truth, 1, 0).astype(np.int8)
    model = FellegiSunter(comparisons).fit(blocked, random_vectors, 1_000, 10_000, labels=labels)
    assert model.blocked_share_ == pytest.approx(truth.mean(), abs=1e-9)


def test_save_and_load_round_trip(tmp_path):
    model = fitted()
    path = tmp_path / "model.json"
    model.save(path)
    loaded = FellegiSunter.load(path, [ThreeLevels(f"c{j}") for j in range(3)])
    vectors, _ = simulate(100, 0.5, seed=4)
    np.testing.assert_allclose(
        loaded.weights(loaded.bits(vectors)), model.weights(model.bits(vectors)), atol=1e-5
    )
    saved = path.read_text()
    assert '"name": "exact"' in saved and '"es": "Igual"' in saved and '"converged": true' in saved


class ThreeLevelsReordered(ThreeLevels):
    """The same levels listed in another order: a saved model must keep each level's weight."""

    levels = (ThreeLevels.levels[2], ThreeLevels.levels[0], ThreeLevels.levels[1])


def test_a_saved_model_is_keyed_by_level_name_not_position(tmp_path):
    model = fitted()
    path = tmp_path / "model.json"
    model.save(path)
    loaded = FellegiSunter.load(path, [ThreeLevelsReordered(f"c{j}") for j in range(3)])
    for j in range(3):
        before = dict(zip(model.comparisons[j].level_names(), model.level_bits()[j], strict=True))
        after = dict(zip(loaded.comparisons[j].level_names(), loaded.level_bits()[j], strict=True))
        assert after == pytest.approx(before)
    assert loaded.level_bits()[0][0] == pytest.approx(model.level_bits()[0][2])  # "else"


def test_load_refuses_a_model_of_other_comparisons(tmp_path):
    path = tmp_path / "model.json"
    fitted().save(path)
    with pytest.raises(ValueError, match="does not match comparison 'other'"):
        FellegiSunter.load(path, [ThreeLevels("other")])


def test_sessions_learn_each_m_only_where_blocking_left_it_free():
    from linkage.model import Session

    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(100_000, 0.0, seed=1)
    blocked, _ = simulate(20_000, 0.2, seed=2)
    # a rule that forced c0 to agree: its pairs say nothing about c0's m
    forced = blocked.copy()
    forced[:10_000, 0] = 0
    half = np.zeros(len(forced), dtype=bool)
    half[:10_000] = True
    sessions = [Session("rule_on_c0", half, ("c0",)), Session("rule_on_c1", ~half, ("c1",))]
    model = FellegiSunter(comparisons).fit(forced, random_vectors, 1_000, 10_000, sessions=sessions)
    np.testing.assert_allclose(model.m_[0], M[0], atol=0.05)
    np.testing.assert_allclose(model.m_[2], M[2], atol=0.05)
    assert [s["session"] for s in model.sessions_] == ["rule_on_c0", "rule_on_c1"]
    assert all(s["used"] for s in model.sessions_)


def test_a_comparison_no_session_can_learn_carries_no_evidence():
    from linkage.model import Session

    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(50_000, 0.0, seed=1)
    blocked, _ = simulate(5_000, 0.2, seed=2)
    everything = np.ones(len(blocked), dtype=bool)
    sessions = [Session("r", everything, ("c0",))]
    model = FellegiSunter(comparisons)
    model.fit(blocked, random_vectors, 1_000, 10_000, sessions=sessions)
    np.testing.assert_allclose(model.level_bits()[0], 0.0, atol=1e-12)


def test_distinct_patterns_with_counts_fit_as_the_pairs_do():
    """The Spark engine fits on (pattern, label, rules) rows with their counts: same model."""
    from linkage.model import Session

    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(20_000, 0.0, seed=1, missing=0.1)
    blocked, _ = simulate(5_000, 0.2, seed=2, missing=0.1)
    rule = (np.arange(len(blocked)) % 3 == 0).astype(np.int8)
    labels = np.full(len(blocked), -1, dtype=np.int8)
    labels[:40] = 1

    def sessions(rule_bits: np.ndarray) -> list[Session]:
        return [Session("first", rule_bits == 1, ("c0",)), Session("rest", rule_bits == 0, ())]

    pairs = FellegiSunter(comparisons).fit(
        blocked, random_vectors, 100, 1_000, labels, sessions(rule)
    )
    table = np.concatenate([blocked, labels[:, None], rule[:, None]], axis=1)
    rows, counts = np.unique(table, axis=0, return_counts=True)
    patterns = FellegiSunter(comparisons).fit(
        rows[:, :3], random_vectors, 100, 1_000, rows[:, 3], sessions(rows[:, 4]), counts
    )
    assert len(rows) < len(blocked) / 10
    for a, b in zip(pairs.m_ + pairs.u_, patterns.m_ + patterns.u_, strict=True):
        np.testing.assert_array_equal(a, b)
    assert patterns.prior_ == pairs.prior_
    assert patterns.sessions_ == pairs.sessions_
    assert patterns.em_.to_dict() == pairs.em_.to_dict()
