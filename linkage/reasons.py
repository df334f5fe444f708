"""Readable reasons for a pair's score, in Spanish and English, from its comparison levels.

A reason lists the evidence for the match, strongest first, then the strongest evidence against
it after "pero" / "but". Missing values are not mentioned: they carry no evidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.compare import Comparison

#: levels weaker than this (in bits, either way) are left out of the reason
MIN_BITS = 1.0


def reason_columns(
    matches: pd.DataFrame, comparisons: list[Comparison], most: int = 4
) -> tuple[pd.Series, pd.Series]:
    """(reason_es, reason_en) for each row of a matches frame with level and ``_bits`` columns."""
    text = {c.name: {lv.name: (lv.es, lv.en) for lv in c.levels} for c in comparisons}
    names = [c.name for c in comparisons]
    bits = matches[[f"{n}_bits" for n in names]].to_numpy(dtype=float)
    levels = matches[names].to_numpy(dtype=object)
    es, en = [], []
    for row_bits, row_levels in zip(bits, levels, strict=True):
        order = np.argsort(-np.abs(row_bits), kind="stable")
        pro = [j for j in order if row_bits[j] >= MIN_BITS][:most]
        con = [j for j in order if row_bits[j] <= -MIN_BITS][:2]
        es.append(
            _sentence(
                [text[names[j]][row_levels[j]][0] for j in pro],
                [text[names[j]][row_levels[j]][0] for j in con],
                "pero",
            )
        )
        en.append(
            _sentence(
                [text[names[j]][row_levels[j]][1] for j in pro],
                [text[names[j]][row_levels[j]][1] for j in con],
                "but",
            )
        )
    return pd.Series(es, index=matches.index, dtype=object), pd.Series(
        en, index=matches.index, dtype=object
    )


def _sentence(pro: list[str], con: list[str], but: str) -> str:
    out = "; ".join(pro)
    if con:
        out = f"{out}; {but}: {'; '.join(con)}" if out else f"{but}: {'; '.join(con)}"
    return out
