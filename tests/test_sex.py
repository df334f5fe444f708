"""Sex normalizer: both languages, the H/M vs F/M convention per source, arbitrary input."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from normalizers.sex import normalize_frame, normalize_sex


def test_words_in_both_languages():
    values = ["Masculino", "FEMENINO", "hombre", "Mujer", "male", "Female", "H", "F", "", None, "?"]
    assert [normalize_sex(v) for v in values] == [
        "M",
        "F",
        "M",
        "F",
        "M",
        "F",
        "M",
        "F",
        None,
        None,
        None,
    ]


def test_each_organization_read_by_its_own_convention():
    df = pd.DataFrame(
        {
            "sex": ["H", "M", "F", "M", "M"],
            "organization": ["Pastoral", "Pastoral", "Comité", "Comité", "Brigada"],
        }
    )
    given1 = pd.Series(["luis", "ana", "rosa", "jose", "maria"])
    # Pastoral writes H/M (M = mujer), Comité F/M (M = masculino), Brigada only M: the name decides
    assert normalize_frame(df, given1)["sex"].tolist() == ["M", "F", "F", "M", "F"]


def test_lone_m_stays_unknown_without_a_clear_name():
    df = pd.DataFrame({"sex": ["M"], "organization": ["Brigada"]})
    assert normalize_frame(df, pd.Series(["alix"]))["sex"].tolist() == [None]


def test_us_records_read_m_as_male():
    df = pd.DataFrame({"sex": ["M", "M"]})
    assert normalize_frame(df, pd.Series(["xqz", "ana"]), default="FM")["sex"].tolist() == [
        "M",
        "M",
    ]


@given(st.one_of(st.none(), st.text(), st.floats(), st.integers()))
def test_never_raises(value):
    assert normalize_sex(value) in ("M", "F", None)
