"""Ranking people, margins, one-to-one assignment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.rank import assign_one_to_one, rank_candidates


def test_reports_of_one_person_share_a_rank_and_ranks_count_people():
    scored = pd.DataFrame(
        {
            "custody_id": ["C1"] * 4 + ["C2"],
            "field_id": ["F1", "F2", "F3", "F4", "F1"],
            "field_person": [0, 0, 1, 2, 0],
            "match_weight": [10.0, 8.0, 4.0, 6.0, -3.0],
            "pair": range(5),
        }
    )
    ranked = rank_candidates(scored, top_k=2)
    c1 = ranked[ranked["custody_id"] == "C1"]
    assert c1[["field_id", "rank"]].values.tolist() == [["F1", 1], ["F2", 1], ["F4", 2]]
    assert c1["margin"].tolist() == [4.0, 4.0, 2.0]
    c2 = ranked[ranked["custody_id"] == "C2"]
    assert c2["rank"].tolist() == [1] and np.isnan(c2["margin"].iloc[0])


def test_one_to_one_assignment_is_optimal_not_greedy():
    matches = pd.DataFrame(
        {
            "custody_id": ["C1", "C1", "C2"],
            "field_person": [0, 1, 0],
            "match_weight": [10.0, 9.0, 8.0],
            "match_probability": [0.99, 0.98, 0.97],
        }
    )
    # greedy would give person 0 to C1 (10) and leave C2 without; optimal: C1-1, C2-0 (17)
    assert assign_one_to_one(matches).tolist() == [False, True, True]


def test_one_to_one_ignores_pairs_below_threshold():
    matches = pd.DataFrame(
        {
            "custody_id": ["C1"],
            "field_person": [0],
            "match_weight": [-2.0],
            "match_probability": [0.2],
        }
    )
    assert assign_one_to_one(matches).tolist() == [False]
