"""Sex: the same, or different (a different sex is strong evidence against)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level


class SexComparison(Comparison):
    name = "sex"
    columns = ("sex",)
    levels = (
        Level("same_sex", "Mismo sexo", "Same sex"),
        Level("different_sex", "Sexo distinto", "Different sex"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        left, right = pairs["sex_l"], pairs["sex_r"]
        missing = (left.isna() | right.isna()).to_numpy()
        same = (left.astype(object) == right.astype(object)).to_numpy()
        return self.choose([(missing, MISSING_LEVEL), (same, "same_sex")], "different_sex")
