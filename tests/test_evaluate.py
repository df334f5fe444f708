"""Evaluation figures on a hand-checked example."""

from __future__ import annotations

import pandas as pd
import pytest

from linkage.evaluate import evaluate, format_figures

MATCHES = pd.DataFrame(
    {
        "custody_id": ["C1", "C1", "C2", "C2", "C3"],
        "field_id": ["F1", "F9", "F8", "F2", "F7"],
        "rank": [1, 2, 1, 2, 1],
        "match_probability": [0.9, 0.3, 0.6, 0.55, 0.2],
    }
)
TRUTH = pd.DataFrame({"custody_id": ["C1", "C2", "C4"], "field_id": ["F1", "F2", "F4"]})


def test_figures():
    pairs = MATCHES[["custody_id", "field_id"]]
    f = evaluate(MATCHES, TRUTH, pairs, threshold=0.5)
    assert f["custody_with_true_match"] == 3
    assert f["recall_at_1"] == pytest.approx(1 / 3, abs=1e-4)
    assert f["recall_at_5"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["mrr"] == pytest.approx((1 + 0.5 + 0) / 3, abs=1e-4)
    # at 0.5: predicted F1, F8, F2 -> 2 true of 3 predicted, 2 of 3 true pairs
    assert f["precision_at_threshold"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["recall_at_threshold"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["f1_at_best"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["blocking_recall"] == pytest.approx(2 / 3, abs=1e-4)


def test_calibration_table_and_brier_score_over_every_scored_pair():
    pairs = pd.DataFrame(
        {
            "custody_id": ["C1", "C1", "C2", "C2", "C3"],
            "field_id": ["F1", "F2", "F3", "F4", "F5"],
            "match_probability": [0.92, 0.97, 0.15, 0.55, 0.52],
        }
    )
    truth = pd.DataFrame({"custody_id": ["C1", "C2"], "field_id": ["F1", "F4"]})
    f = evaluate(pairs.assign(rank=[1, 2, 2, 1, 1]), truth, pairs)
    assert f["calibration"] == [
        {"bin": "0.1-0.2", "pairs": 1, "predicted": 0.15, "observed": 0.0},
        {"bin": "0.5-0.6", "pairs": 2, "predicted": 0.535, "observed": 0.5},
        {"bin": "0.9-1.0", "pairs": 2, "predicted": 0.945, "observed": 0.5},
    ]
    expected = ((0.92 - 1) ** 2 + 0.97**2 + 0.15**2 + (0.55 - 1) ** 2 + 0.52**2) / 5
    assert f["brier"] == round(expected, 4)
    assert "0.9-1.0          2      0.945     0.500" in format_figures(f)
