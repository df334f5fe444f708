"""Evaluation figures on a hand-checked example."""

from __future__ import annotations

import pandas as pd
import pytest

from linkage.evaluate import evaluate

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
