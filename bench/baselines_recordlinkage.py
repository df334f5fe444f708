"""Baseline: recordlinkage 0.16 set up the way its documentation teaches.

Index: the union of a block on the first given name, a sorted neighbourhood (window 5) on the
paternal surname, and a block on each identifier or phone both files carry. Compare: Jaro-Winkler
at 0.85 on the first given name, both surnames, places and the first child's name; exact on date
of birth, birth year, sex, country, department, identifiers and phone. Classify: the
unsupervised ECM classifier (Fellegi-Sunter by EM); its match probability ranks the candidates of
each custody record. Missing values compare as disagreement, as the library does by default.

>>> pairs = score(custody_df, field_df)       # doctest: +SKIP
>>> pairs.columns.tolist()                    # doctest: +SKIP
['custody_id', 'field_id', 'match_probability']
"""

from __future__ import annotations

import pandas as pd
import recordlinkage as rl

from bench.clean import clean, shared_columns

BLOCKS = ("given1", "phone8", "national_id", "a_number")
NEIGHBOURHOOD = "paternal"
STRINGS = ("given1", "paternal", "maternal", "town", "street", "child1")
EXACTS = ("dob", "birth_year", "sex", "country", "department", "national_id", "a_number", "phone8")


def score(
    custody: pd.DataFrame,
    field: pd.DataFrame,
    custody_day_first: bool = False,
    field_day_first: bool = True,
) -> pd.DataFrame:
    """Every candidate pair with its ECM match probability."""
    left = clean(custody, custody_day_first).set_index("record_id")
    right = clean(field, field_day_first).set_index("record_id")
    usable = set(shared_columns(left, right, tuple(left.columns)))

    indexer = rl.Index()
    for column in BLOCKS:
        if column in usable:
            indexer.block(column)
    indexer.sortedneighbourhood(NEIGHBOURHOOD, window=5)
    candidates = indexer.index(left, right)

    compare = rl.Compare()
    for column in STRINGS:
        if column in usable:
            compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in EXACTS:
        if column in usable:
            compare.exact(column, column, label=f"{column}_exact")
    features = compare.compute(candidates, left, right)

    ecm = rl.ECMClassifier(binarize=0.5)
    ecm.fit(features)
    probability = ecm.prob(features)
    return pd.DataFrame(
        {
            "custody_id": features.index.get_level_values(0).astype(str),
            "field_id": features.index.get_level_values(1).astype(str),
            "match_probability": probability.to_numpy(dtype=float),
        }
    )
