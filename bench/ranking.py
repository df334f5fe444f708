"""Turn a tool's scored pairs into the matches frame the project's evaluation reads.

>>> pairs = pd.DataFrame({"custody_id": ["C1", "C1", "C2"], "field_id": ["F1", "F2", "F1"],
...                       "match_probability": [0.2, 0.9, 0.5]})
>>> top_matches(pairs, k=10).values.tolist()
[['C1', 'F2', 0.9, 1], ['C1', 'F1', 0.2, 2], ['C2', 'F1', 0.5, 1]]
"""

from __future__ import annotations

import pandas as pd


def top_matches(pairs: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    """The ``k`` most probable field records of each custody record, ranked 1..k.

    Ties keep the order of ``field_id`` so that a ranking never depends on row order.
    """
    ordered = pairs[["custody_id", "field_id", "match_probability"]].sort_values(
        ["custody_id", "match_probability", "field_id"], ascending=[True, False, True]
    )
    ordered["rank"] = ordered.groupby("custody_id").cumcount() + 1
    return ordered[ordered["rank"] <= k].reset_index(drop=True)
