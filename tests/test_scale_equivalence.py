"""Algorithms replaced for speed give exactly what the ones they replaced gave."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linkage.comparisons import default_comparisons
from linkage.comparisons.arrays import unique_rows
from linkage.explain import (
    BUT,
    MIN_BITS,
    MOST_AGAINST,
    RIVAL_TEXT,
    _is_against,
    _is_missing,
    _reason_texts,
    _sentence,
)
from linkage.rank import rank_candidates
from linkage.settings import Settings


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.int16,
        st.tuples(st.integers(0, 60), st.integers(1, 17)),
        elements=st.integers(-1, 12),
    )
)
def test_packed_unique_rows_equal_numpy_unique_on_rows(table):
    rows, inverse = unique_rows(table)
    expected_rows, expected_inverse = np.unique(table, axis=0, return_inverse=True)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(inverse, expected_inverse.reshape(-1))


def test_rows_too_wide_to_pack_fall_back_to_numpy():
    table = np.array([[0] * 40, [32000] * 40, [0] * 40], dtype=np.int16)
    rows, inverse = unique_rows(table)
    assert rows.tolist() == [[0] * 40, [32000] * 40]
    assert inverse.tolist() == [0, 1, 0]


def _reasons_row_by_row(levels, bits, comparisons, most, rival=None):
    """The reasons as they were worded before: one row at a time (``rival``: rows that end
    with "otro candidato también coincide")."""
    rival = np.zeros(len(levels), dtype=bool) if rival is None else rival
    tables = [{lv.name: lv for lv in c.levels} for c in comparisons]
    usable = ~np.vectorize(_is_missing, otypes=[bool])(levels)
    bits = np.where(usable, np.nan_to_num(bits), 0.0)
    order = np.argsort(-np.abs(bits), axis=1, kind="stable")
    es, en = [], []
    for row_bits, row_levels, row_order, row_rival in zip(bits, levels, order, rival, strict=True):
        pro = [j for j in row_order if row_bits[j] >= MIN_BITS][:most]
        con = [
            j
            for j in row_order
            if row_bits[j] <= -MIN_BITS and _is_against(tables[j][row_levels[j]], comparisons[j])
        ][:MOST_AGAINST]
        for lang, out in (("es", es), ("en", en)):
            words = [getattr(tables[j][row_levels[j]], lang) for j in pro]
            against = [getattr(tables[j][row_levels[j]], lang) for j in con]
            against += [RIVAL_TEXT[lang]] if row_rival else []
            out.append(_sentence(words, against, BUT[lang]))
    return es, en


COMPARISONS = default_comparisons(Settings())


@st.composite
def _evidence(draw):
    n = draw(st.integers(0, 40))
    names = [[*c.level_names(), "missing", None] for c in COMPARISONS]
    levels = np.array(
        [[draw(st.sampled_from(options)) for options in names] for _ in range(n)], dtype=object
    ).reshape(n, len(COMPARISONS))
    values = st.sampled_from([-7.5, -1.0, -0.99, 0.0, 0.5, 1.0, 2.25, 7.5, 12.0, np.nan])
    bits = np.array([[draw(values) for _ in COMPARISONS] for _ in range(n)], dtype=float).reshape(
        n, len(COMPARISONS)
    )
    rival = np.array([draw(st.booleans()) for _ in range(n)], dtype=bool)
    return levels, bits, rival


@settings(max_examples=150, deadline=None)
@given(_evidence(), st.integers(1, 5))
def test_reasons_grouped_on_arrays_equal_row_by_row(evidence, most):
    levels, bits, rival = evidence
    got = _reason_texts(levels, bits, COMPARISONS, most, rival)
    assert got == _reasons_row_by_row(levels, bits, COMPARISONS, most, rival)


def test_reasons_of_the_sample_job_equal_row_by_row(sample_job):
    matches = pd.read_csv(sample_job / "matches.csv", dtype=str, keep_default_na=False)
    names = [c.name for c in COMPARISONS]
    levels = matches[names].replace("", None).to_numpy(dtype=object)
    bits = matches[[f"{n}_bits" for n in names]].replace("", "nan").astype(float).to_numpy()
    rival = matches["competition_bits"].astype(float).to_numpy() <= -MIN_BITS
    assert rival.any()  # the sample has namesakes
    es, en = _reason_texts(levels, bits, COMPARISONS, 4, rival)
    assert (es, en) == _reasons_row_by_row(levels, bits, COMPARISONS, 4, rival)
    assert es == matches["reason_es"].tolist()


def _rank_by_merge(scored: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """Ranking as it ran before: pandas groupby on the ids, then a merge back."""
    people = (
        scored.groupby(["custody_id", "field_person"], sort=False)["match_weight"]
        .max()
        .rename("person_weight")
        .reset_index()
        .sort_values(["custody_id", "person_weight", "field_person"], ascending=[True, False, True])
    )
    people["rank"] = people.groupby("custody_id").cumcount() + 1
    people["margin"] = people["person_weight"] - people.groupby("custody_id")[
        "person_weight"
    ].shift(-1)
    people = people[people["rank"] <= top_k]
    out = scored.merge(people, on=["custody_id", "field_person"], how="inner")
    out = out.sort_values(
        ["custody_id", "rank", "match_weight", "field_id"], ascending=[True, True, False, True]
    )
    return out.drop(columns="person_weight").reset_index(drop=True)


@st.composite
def _scored(draw):
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, 6), st.integers(0, 30)), min_size=1, max_size=60, unique=True
        )
    )
    weights = st.sampled_from([-20.0, -3.5, 0.0, 1.25, 7.0, 7.5, 30.0])
    return pd.DataFrame(
        {
            "custody_id": [f"C{c:03d}" if c % 2 else f"c{c}" for c, _ in pairs],
            "field_id": [f"F{f:04d}" for _, f in pairs],
            "field_person": [f // 3 for _, f in pairs],
            "match_weight": [draw(weights) for _ in pairs],
            "pair": range(len(pairs)),
        }
    )


@settings(max_examples=200, deadline=None)
@given(_scored(), st.integers(1, 4))
def test_ranking_on_codes_equals_the_groupby_and_merge(scored, top_k):
    pd.testing.assert_frame_equal(rank_candidates(scored, top_k), _rank_by_merge(scored, top_k))
