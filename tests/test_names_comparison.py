"""NameComparison: level metadata, missing values, distinct-pair evaluation, term frequencies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linkage.comparisons.names as names_cmp
from linkage.comparisons.base import MISSING
from linkage.comparisons.names import NameComparison
from linkage.comparisons.run import compare_pairs, pair_frame
from linkage.schema import NORMALIZED_COLUMNS
from normalizers.names import FRAME_COLUMNS, normalize_frame

CMP = NameComparison()


def _pairs(left: list[object], right: list[object]) -> pd.DataFrame:
    return pair_frame(
        normalize_frame(pd.DataFrame({"full_name": left})),
        normalize_frame(pd.DataFrame({"full_name": right})),
        CMP.columns,
    )


def test_levels_are_named_ordered_and_bilingual():
    assert CMP.name == "name"
    assert CMP.level_names() == [
        "exact_full_name",
        "given_and_both_surnames",
        "surnames_swapped",
        "maternal_missing",
        "married_surname",
        "parts_crossed",
        "given_and_paternal",
        "fuzzy",
        "phonetic",
        "initials",
        "else",
    ]
    assert all(lv.es and lv.en and lv.es != lv.en for lv in CMP.levels)
    assert [lv.name for lv in CMP.levels if lv.tf] == [
        "exact_full_name",
        "given_and_both_surnames",
        "surnames_swapped",
        "maternal_missing",
        "given_and_paternal",
    ]
    assert CMP.tf_column == "name_tf"
    assert set(CMP.columns) | {CMP.tf_column} <= set(FRAME_COLUMNS)


def test_missing_is_not_a_mismatch():
    levels = CMP.levels_of(_pairs([None, "MARIA GARCIA", "", "GARCIA,"], ["María García"] * 4))
    assert levels.tolist() == [MISSING, 0, MISSING, MISSING]


def test_vector_joins_distinct_pairs_back():
    pairs = _pairs(
        ["MARIA GARCIA", "JOSE PEREZ", "MARIA GARCIA"],
        ["María García", "Ana Pérez"] * 1 + ["Mary García"],
    )
    out = compare_pairs(pairs, [CMP])
    # Mary = María and neither record has a second surname: all the agreement there can be
    assert out["name"].tolist() == [0, CMP.level_names().index("else"), 1]


def test_frame_produces_the_schema_columns():
    assert set(NORMALIZED_COLUMNS["names"]) <= set(FRAME_COLUMNS)


def test_normalize_frame_parts_and_missing():
    raw = pd.DataFrame(
        {
            "full_name": [None, "Memo López (Guille)", np.nan, None],
            "given_names": ["Juan Carlos", None, None, None],
            "paternal_surname": ["Tzoc Ajú", None, None, None],
            "maternal_surname": [None, None, None, None],
        },
        index=[10, 11, 12, 13],
    )
    out = normalize_frame(raw)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.loc[10, ["given", "given1", "paternal", "maternal", "name_tf"]].tolist() == [
        "juan carlos",
        "juan",
        "tzoc",
        "aju",
        "juan tzoc",
    ]
    assert out.loc[10, "paternal_key"] == "tsuk"
    assert out.loc[11, ["given", "paternal", "nickname", "given1_key"]].tolist() == [
        "memo",
        "lopez",
        "guille",
        "giyermu",  # the key of Guillermo: nicknames resolve before the key
    ]
    assert out.loc[11, "maternal"] is None
    assert out.loc[12].drop("name_confidence").isna().all()
    assert out.loc[12, "name_confidence"] == 0.0


def test_normalize_frame_without_name_columns():
    out = normalize_frame(pd.DataFrame({"record_id": [1, 2]}))
    assert list(out.columns) == list(FRAME_COLUMNS)
    assert out.drop(columns="name_confidence").isna().all().all()


def test_term_frequencies_without_prior_tables(monkeypatch):
    monkeypatch.setattr(names_cmp, "given_frequencies", lambda: {})
    values = pd.Series(["jose lopez", "jose lopez", "eulogio xicara", None])
    tf = CMP.term_frequencies(values)
    assert tf.to_dict() == pytest.approx({"jose lopez": 2 / 3, "eulogio xicara": 1 / 3})


def test_term_frequencies_blend_the_prior(monkeypatch):
    monkeypatch.setattr(names_cmp, "given_frequencies", lambda: {"jose": 0.05, "eulogio": 0.001})
    monkeypatch.setattr(names_cmp, "surname_frequencies", lambda: {"lopez": 0.05, "xicara": 0.002})
    values = pd.Series(["jose lopez", "eulogio xicara"])
    tf = CMP.term_frequencies(values)
    w = names_cmp.PRIOR_WEIGHT
    assert tf["jose lopez"] == pytest.approx((1 + w * 0.05 * 0.05) / (2 + w))
    assert tf["eulogio xicara"] == pytest.approx((1 + w * 0.001 * 0.002) / (2 + w))
    assert tf["jose lopez"] > tf["eulogio xicara"]


def test_unknown_names_take_the_rarest_prior(monkeypatch):
    monkeypatch.setattr(names_cmp, "given_frequencies", lambda: {"jose": 0.05, "ana": 0.01})
    monkeypatch.setattr(names_cmp, "surname_frequencies", lambda: {"lopez": 0.05, "caal": 0.01})
    assert names_cmp.prior_frequency("zenon xol") == pytest.approx(0.01 * 0.01)
    assert names_cmp.prior_frequency("jose de la cruz") == pytest.approx(0.05 * 0.01)
