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


def prior_for(m: np.ndarray, names=("c0", "c1", "c2")) -> dict:
    """A prior model's plain data with ``m[j]`` for comparison ``names[j]``."""
    levels = [lv.name for lv in ThreeLevels.levels]
    return {
        "version": 1,
        "comparisons": [
            {
                "name": n,
                "levels": [{"name": lv, "m": float(x)} for lv, x in zip(levels, row, strict=True)],
            }
            for n, row in zip(names, m, strict=True)
        ],
    }


def test_forced_comparisons_learn_m_only_where_blocking_left_them_free():
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(100_000, 0.0, seed=1)
    blocked, _ = simulate(20_000, 0.2, seed=2)
    # a rule that forced c0 to agree made the first half: those pairs say nothing about c0's m
    blocked[:10_000, 0] = 0
    forced = np.zeros(blocked.shape, dtype=bool)
    forced[:10_000, 0] = True
    model = FellegiSunter(comparisons).fit(blocked, random_vectors, 1_000, 10_000, forced=forced)
    np.testing.assert_allclose(model.m_[0], M[0], atol=0.05)
    np.testing.assert_allclose(model.m_[2], M[2], atol=0.05)
    assert [e["source"] for e in model.evidence_] == ["data"] * 3
    assert model.evidence_[0]["pairs"] == 10_000 and model.evidence_[1]["pairs"] == 20_000


def test_a_comparison_no_pair_can_teach_keeps_the_prior_or_carries_no_evidence():
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(50_000, 0.0, seed=1)
    blocked, _ = simulate(5_000, 0.2, seed=2)
    forced = np.zeros(blocked.shape, dtype=bool)
    forced[:, 0] = True
    alone = FellegiSunter(comparisons).fit(blocked, random_vectors, 1_000, 10_000, forced=forced)
    np.testing.assert_allclose(alone.level_bits()[0], 0.0, atol=1e-12)
    assert alone.prior_only_ == ["c0"] and alone.evidence_[0]["source"] == "none"
    prior = prior_for(np.array([[0.6, 0.3, 0.1], M[1], M[2]]))
    with_prior = FellegiSunter(comparisons, prior=prior)
    with_prior.fit(blocked, random_vectors, 1_000, 10_000, forced=forced)
    np.testing.assert_allclose(with_prior.m_[0], [0.6, 0.3, 0.1])
    assert with_prior.prior_only_ == ["c0"] and with_prior.evidence_[0]["source"] == "prior"
    assert with_prior.to_dict()["prior_only"] == ["c0"]


def test_a_small_job_stays_near_the_prior_and_a_large_one_learns_its_own_m():
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(50_000, 0.0, seed=1)
    skewed = np.array([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2], [0.5, 0.3, 0.2]])
    prior = prior_for(skewed)
    small, _ = simulate(60, 0.2, seed=5)
    large, _ = simulate(40_000, 0.2, seed=6)
    near = FellegiSunter(comparisons, prior=prior, prior_strength=50)
    near.fit(small, random_vectors, 60, 1_000)
    far = FellegiSunter(comparisons, prior=prior, prior_strength=50)
    far.fit(large, random_vectors, 1_000, 10_000)
    for j in range(3):
        # 12 expected matches against 50 pseudo-matches: closer to the prior than to the truth
        assert np.abs(near.m_[j] - skewed[j]).sum() < np.abs(near.m_[j] - M[j]).sum()
        np.testing.assert_allclose(far.m_[j], M[j], atol=0.04)


def test_nested_levels_keep_their_order_after_em():
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(50_000, 0.0, seed=1)
    blocked, _ = simulate(5_000, 0.2, seed=2)
    model = FellegiSunter(comparisons).fit(blocked, random_vectors, 1_000, 10_000)
    # levels of the test comparison are not in linkage.comparisons.order: left as learnt
    assert model.comparisons[0].name not in ("name", "birth_date")
    from linkage.comparisons.names import NameComparison
    from linkage.comparisons.order import chains
    from linkage.model import _monotone

    name = NameComparison()
    u = np.full(len(name.levels), 1 / len(name.levels))
    m = u.copy()
    m[name.code("phonetic")] *= 3  # phonetic above given_and_both_surnames and fuzzy: violators
    m[name.code("given_and_both_surnames")] *= 2
    m = m / m.sum()
    fixed = _monotone(m, u, chains(name))
    bits = dict(zip(name.level_names(), np.log2(fixed / u), strict=True))
    assert bits["given_and_both_surnames"] >= bits["fuzzy"] >= bits["phonetic"]
    assert bits["exact_full_name"] >= bits["given_and_both_surnames"]
    assert fixed.sum() == pytest.approx(1.0)


def test_a_tf_adjustment_never_takes_a_level_below_the_one_beneath_it():
    from linkage.comparisons.names import NameComparison

    name = NameComparison()
    model = FellegiSunter([name])
    k = len(name.levels)
    model.u_ = [np.full(k, 1 / k)]
    m = np.linspace(2, 1, k)
    model.m_ = [m / m.sum()]
    model.prior_ = 0.001
    vectors = np.array([[name.code("exact_full_name")], [name.code("given_and_both_surnames")]])
    bits = model.bits(vectors, {"name": np.array([0.9, np.nan])})  # a very common agreed name
    assert bits[0, 0] == pytest.approx(bits[1, 0])  # lowered, but not below the level beneath


def test_em_says_when_it_did_not_converge():
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(50_000, 0.0, seed=1)
    blocked, _ = simulate(5_000, 0.2, seed=2)
    model = FellegiSunter(comparisons, max_iterations=2).fit(blocked, random_vectors, 1_000, 10_000)
    assert model.em_.iterations == 2 and not model.em_.converged
    assert model.em_.describe().startswith("EM did NOT converge after 2 of at most 2 iterations")


def test_distinct_patterns_with_counts_fit_as_the_pairs_do():
    """The Spark engine fits on (pattern, label, forced) rows with their counts: same model."""
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(20_000, 0.0, seed=1, missing=0.1)
    blocked, _ = simulate(5_000, 0.2, seed=2, missing=0.1)
    forced = np.zeros(blocked.shape, dtype=bool)
    forced[np.arange(len(blocked)) % 3 == 0, 0] = True
    labels = np.full(len(blocked), -1, dtype=np.int8)
    labels[:40] = 1
    pairs = FellegiSunter(comparisons).fit(blocked, random_vectors, 100, 1_000, labels, forced)
    table = np.concatenate([blocked, labels[:, None], forced.astype(np.int8)], axis=1)
    rows, counts = np.unique(table, axis=0, return_counts=True)
    patterns = FellegiSunter(comparisons).fit(
        rows[:, :3], random_vectors, 100, 1_000, rows[:, 3], rows[:, 4:].astype(bool), counts
    )
    assert len(rows) < len(blocked) / 10
    for a, b in zip(pairs.m_ + pairs.u_, patterns.m_ + patterns.u_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9)
    assert patterns.prior_ == pytest.approx(pairs.prior_, rel=1e-9)
    assert patterns.em_.iterations == pairs.em_.iterations


def test_em_that_finds_almost_no_matches_runs_again_with_u_held(monkeypatch):
    # the first EM lets the blocked non-matches explain every pair (names forced everywhere,
    # nothing else to tell matches apart): it runs again with u at the random pairs' values
    calls = []
    original = FellegiSunter._em

    def em(self, *args, hold_u=False):
        calls.append(hold_u)
        result = original(self, *args, hold_u=hold_u)
        return result if hold_u else {**result, "share": 1e-9}

    monkeypatch.setattr(FellegiSunter, "_em", em)
    comparisons = [ThreeLevels(f"c{j}") for j in range(3)]
    random_vectors, _ = simulate(100_000, 0.0, seed=1)
    blocked, _ = simulate(20_000, 0.2, seed=2)
    model = FellegiSunter(comparisons).fit(blocked, random_vectors, 1_000, 10_000)
    assert calls == [False, True]
    assert model.em_.u_held and model.em_.to_dict()["u_held"] is True
    assert "u held at the random pairs' values" in model.em_.describe()
    assert model.blocked_share_ == pytest.approx(0.2, abs=0.02)


def test_em_that_finds_matches_learns_u_among_blocked_pairs():
    assert fitted().em_.u_held is False


def test_matches_among_the_random_pairs_do_not_cap_a_rare_agreement():
    """In a small job one random pair in 400 is a match: most random pairs that agree on a
    whole name are matches. u must leave them out, or the level's weight would only just cancel
    the prior (here 8.6 bits for 12.8)."""
    m = np.array([[0.9, 0.05, 0.05], M[1], M[2]])
    u = np.array([[1e-4, 0.01, 0.9899], U[1], U[2]])
    rng = np.random.default_rng(7)

    def draw(n: int, share: float) -> np.ndarray:
        is_match = rng.random(n) < share
        out = np.empty((n, 3), dtype=np.int8)
        for j in range(3):
            out[is_match, j] = rng.choice(3, is_match.sum(), p=m[j])
            out[~is_match, j] = rng.choice(3, (~is_match).sum(), p=u[j])
        return out

    n_custody, n_field, matches = 200, 300, 150
    random_vectors = draw(20_000, matches / (n_custody * n_field))
    blocked = np.vstack([draw(matches, 1.0), draw(2_000, 0.0)])
    model = FellegiSunter([ThreeLevels(f"c{j}") for j in range(3)])
    model.fit(blocked, random_vectors, n_custody, n_field)
    raw_u = (np.sum(random_vectors[:, 0] == 0) + 0.5) / (len(random_vectors) + 1.5)
    assert raw_u > 1e-3  # the random pairs' matches alone
    assert model.u_[0][0] < 3e-4
    assert model.level_bits()[0][0] > np.log2(0.9 / raw_u) + 3
