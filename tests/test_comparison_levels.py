"""Comparisons decide levels by name: every level code a comparison returns names a level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linkage.comparisons import default_comparisons
from linkage.comparisons.base import MISSING, Comparison, Level, level_index
from linkage.comparisons.sex import SexComparison
from linkage.settings import Settings


class Reordered(SexComparison):
    levels = (SexComparison.levels[1], SexComparison.levels[0])


def test_reordering_levels_keeps_what_a_rule_means():
    pairs = pd.DataFrame({"sex_l": ["M", "M", None], "sex_r": ["M", "F", "F"]})
    for comparison in (SexComparison(), Reordered()):
        names = [
            comparison.levels[code].name if code != MISSING else "missing"
            for code in comparison.levels_of(pairs)
        ]
        assert names == ["same_sex", "different_sex", "missing"]


def test_an_unknown_level_name_is_an_error_not_a_silent_level():
    with pytest.raises(KeyError, match="same_gender"):
        SexComparison().code("same_gender")


def test_level_names_are_unique_and_never_missing():
    with pytest.raises(ValueError, match="unique"):
        level_index((Level("a", "", ""), Level("a", "", "")))
    with pytest.raises(ValueError, match="missing"):
        level_index((Level("missing", "", ""),))


@pytest.mark.parametrize("comparison", default_comparisons(Settings()), ids=lambda c: c.name)
def test_every_default_comparison_names_distinct_levels_ending_in_a_disagreement(
    comparison: Comparison,
):
    names = comparison.level_names()
    assert len(set(names)) == len(names)
    assert names[-1] in {
        "else",
        "different",
        "different_sex",
        "far",
        "no_child_agrees",
        "different_countries",
    }
    assert comparison.choose([(np.array([True]), "missing")], names[-1]).tolist() == [MISSING]
