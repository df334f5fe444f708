"""Reencuentro's blocking rules and comparisons in a recordlinkage pipeline: the same pairs and
levels as Reencuentro's own blocking and comparison run, on the bundled sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import recordlinkage

from linkage.adapters.recordlinkage import BlockingIndex, ComparisonFeature, compare, index
from linkage.blocking import DEFAULT_RULES, BlockingError, block
from linkage.comparisons import default_comparisons
from linkage.comparisons.base import MISSING
from linkage.comparisons.run import compare_pairs, compared_columns, pair_frame
from linkage.comparisons.sex import SexComparison
from linkage.pipeline import prepare
from linkage.settings import Settings
from normalizers.resources import data_path

SAMPLE = data_path("sample")


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalized sample frames indexed by record id: 80 custody records, every field report."""
    settings = Settings()
    custody = pd.read_csv(SAMPLE / "custody.csv", dtype=str, keep_default_na=False).head(80)
    field = pd.read_csv(SAMPLE / "field.csv", dtype=str, keep_default_na=False)
    _, c_norm = prepare(custody, "custody", settings)
    _, f_norm = prepare(field, "field", settings)
    return c_norm, f_norm


@pytest.fixture(scope="module")
def blocked(frames) -> tuple[np.ndarray, pd.MultiIndex]:
    """Reencuentro's own candidate pairs (positions) and the adapter's (record ids)."""
    custody, field = frames
    positions, _, _ = block(custody, field, DEFAULT_RULES)
    return positions, index(DEFAULT_RULES).index(custody, field)


def test_index_makes_the_pairs_of_block(frames, blocked):
    custody, field = frames
    positions, pairs = blocked
    expected = pd.MultiIndex.from_arrays(
        [custody.index[positions[:, 0]], field.index[positions[:, 1]]]
    )
    assert len(pairs) == len(expected) > 500
    assert pairs.is_unique
    assert pairs.sort_values().equals(expected.sort_values())
    assert list(pairs.names) == ["record_id_1", "record_id_2"]


def test_each_rule_alone_makes_its_own_pairs(frames):
    custody, field = frames
    for rule in DEFAULT_RULES:
        positions, _, _ = block(custody, field, (rule,))
        pairs = recordlinkage.Index([BlockingIndex(rule)]).index(custody, field)
        assert pairs.tolist() == list(
            zip(custody.index[positions[:, 0]], field.index[positions[:, 1]], strict=True)
        )


def test_levels_are_those_of_compare_pairs(frames, blocked):
    custody, field = frames
    positions, _ = blocked
    comparisons = default_comparisons(Settings())
    ids = pd.MultiIndex.from_arrays(
        [custody.index[positions[:, 0]], field.index[positions[:, 1]]]
    )
    features = compare(comparisons).compute(ids, custody, field)
    own = compare_pairs(
        pair_frame(
            custody.iloc[positions[:, 0]],
            field.iloc[positions[:, 1]],
            compared_columns(comparisons),
        ),
        comparisons,
    )
    assert list(features.columns) == [c.name for c in comparisons]
    assert features.index.equals(ids)
    for c in comparisons:
        names = np.array([*c.level_names(), "missing"])
        expected = names[np.where(own[c.name] == MISSING, len(c.levels), own[c.name])]
        assert features[c.name].astype(str).tolist() == expected.tolist()
        assert list(features[c.name].cat.categories) == names.tolist()
    # the sample's custody records carry no national ID and its field reports no A-number; every
    # other comparison meets at least two levels besides "missing"
    for name in ("name", "sex", "birth_date", "place", "phone", "children"):
        assert features[name][features[name] != "missing"].nunique() >= 2


def test_indicators_are_one_hot_levels_with_missing_all_zero(frames, blocked):
    custody, field = frames
    _, pairs = blocked
    sex = SexComparison()
    levels = compare([sex]).compute(pairs, custody, field)["sex"]
    bits = compare([sex], output="indicators").compute(pairs, custody, field)
    assert list(bits.columns) == ["sex=same_sex", "sex=different_sex"]
    assert bits.dtypes.eq(np.int8).all()
    assert (bits["sex=same_sex"] == (levels == "same_sex")).all()
    assert (bits["sex=different_sex"] == (levels == "different_sex")).all()
    missing = levels == "missing"
    assert missing.any() and (bits[missing] == 0).all().all()


def test_a_recordlinkage_classifier_learns_from_the_indicators(frames, blocked):
    """The pipeline runs end to end: recordlinkage's logistic regression, taught the sample's
    true pairs, finds them again from the indicators."""
    custody, field = frames
    _, pairs = blocked
    bits = compare(output="indicators").compute(pairs, custody, field)
    truth = pd.read_csv(SAMPLE / "truth.csv", dtype=str)
    true_pairs = pairs.intersection(pd.MultiIndex.from_frame(truth))
    classifier = recordlinkage.LogisticRegressionClassifier()
    classifier.fit(bits, true_pairs)
    found = classifier.predict(bits)
    right = len(found.intersection(true_pairs))
    assert right >= 0.9 * len(true_pairs) and right >= 0.9 * len(found)


def test_refusals(frames):
    custody, field = frames
    rule = DEFAULT_RULES[0]
    with pytest.raises(BlockingError, match="surname_given"):
        recordlinkage.Index([BlockingIndex(rule, max_pairs=10)]).index(custody, field)
    with pytest.raises(TypeError, match="pass both frames"):
        recordlinkage.Index([BlockingIndex(rule)]).index(custody)
    with pytest.raises(ValueError, match="output must be"):
        ComparisonFeature(SexComparison(), output="bits")
