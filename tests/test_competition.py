"""A custody record is one person: its candidate people share one probability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.competition import competition_bits
from linkage.explain import add_reasons
from linkage.model import FellegiSunter
from linkage.pipeline import link
from linkage.settings import Settings


def _probabilities(custody, person, weights, n_custody):
    bits, share = competition_bits(
        np.array(custody), np.array(person), np.array(weights, dtype=float), n_custody
    )
    return FellegiSunter.probability(np.array(weights) + bits), share


def test_a_lone_candidate_gains_and_two_that_fit_equally_share():
    # record 0: one candidate at 3 bits; record 1: two at 3 bits; record 2: none
    p, share = _probabilities([0, 1, 1], [0, 1, 2], [3.0, 3.0, 3.0], 3)
    alone = 8 / (1 - share + 8)
    assert p[0] == pytest.approx(alone)
    assert p[0] > FellegiSunter.probability(np.array([3.0]))[0]
    assert p[1] == pytest.approx(p[2]) == pytest.approx(8 / (1 - share + 16))
    # the share is what the probabilities give, with one matched and one unmatched record more
    assert share == pytest.approx((1 + p[0] + p[1] + p[2]) / (3 + 2))


def test_reports_of_one_person_do_not_compete_with_each_other():
    # person 7 has two reports (10 and 4 bits); person 8 is another candidate at 0 bits
    p, share = _probabilities([0, 0, 0], [7, 7, 8], [10.0, 4.0, 0.0], 1)
    assert p[0] == pytest.approx(2**10 / (1 - share + 1 + 2**10))
    assert p[1] == pytest.approx(2**4 / (1 - share + 1 + 2**4))
    assert p[2] == pytest.approx(1 / (1 - share + 2**10 + 1))


def test_weights_far_beyond_a_float_still_give_finite_bits():
    p, _ = _probabilities([0, 0, 1], [0, 1, 2], [2000.0, 1990.0, -2000.0], 2)
    assert np.isfinite(p).all()
    assert p[0] == pytest.approx(1 / (1 + 2.0**-10), abs=1e-9)
    assert p[1] == pytest.approx(2.0**-10 / (1 + 2.0**-10), abs=1e-9)
    assert p[2] < 1e-15


def test_no_pairs_give_no_bits():
    bits, share = competition_bits(np.array([]), np.array([]), np.array([]), 5)
    assert bits.shape == (0,) and share == 0.0


@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(0, 8),
            st.floats(-80, 80, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 10),
)
@settings(deadline=None)
def test_any_weights_give_one_probability_per_record_at_most(rows, extra_records):
    custody = [r[0] for r in rows]
    person = [r[1] for r in rows]
    weights = [r[2] for r in rows]
    n_custody = max(custody) + 1 + extra_records
    p, share = _probabilities(custody, person, weights, n_custody)
    assert 0.0 <= share < 1.0
    assert np.isfinite(p).all()
    frame = pd.DataFrame({"c": custody, "person": person, "w": weights, "p": p})
    best = frame.sort_values("w", ascending=False).drop_duplicates(["c", "person"])
    # each record's people sum to at most 1, and the order of its people is kept
    assert (best.groupby("c")["p"].sum() <= 1 + 1e-9).all()
    for _, group in best.groupby("c"):
        order = np.argsort(-group["w"].to_numpy(), kind="stable")
        assert np.all(np.diff(group["p"].to_numpy()[order]) <= 1e-12)


def _people(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["record_id", "full_name", "birth_date", "municipality"])


def test_namesakes_share_the_lead_and_the_reason_says_so():
    """Two field reports of different men with the custody record's whole name, birth date and
    town: neither is a sure lead, and the reason names the rival; a lone match stays sure."""
    custody = _people(
        [
            ("C1", "PEREZ LOPEZ, JUAN CARLOS", "1984-03-02", "Chiantla"),
            ("C2", "CHUB CAAL, ROBERTO", "1979-11-20", "Cobán"),
            ("C3", "RAMIREZ, ANA", "1990-01-15", "Tactic"),
        ]
    )
    field = _people(
        [
            ("F1", "Juan Carlos Pérez López", "02/03/1984", "Chiantla"),
            ("F2", "Juan Carlos Perez Lopez", "2/3/1984", "Chiantla"),
            ("F3", "Roberto Chub Caal", "20/11/1979", "Cobán"),
            ("F4", "Marta Ical", "01/01/1970", "Tactic"),
        ]
    )
    field["sex"] = ["H", "M", "H", "M"]  # F2 is written as a woman: not F1's person
    result = link(custody, field, settings=Settings(field_day_first=True), quiet=True)
    m = result.matches.set_index(["custody_id", "field_id"])
    lone = m.loc[("C2", "F3")]
    assert lone["match_probability"] > 0.99 and lone["competition_bits"] > 0
    for rival in ("F1", "F2"):
        pair = m.loc[("C1", rival)]
        assert pair["competition_bits"] < -5
        assert 0.2 < pair["match_probability"] < 0.8
        assert pair["reason_es"].endswith("otro candidato también coincide")
        assert pair["reason_en"].endswith("another candidate also fits")
    assert 0 < result.matched_share < 1


def test_reasons_without_competition_bits_read_as_before():
    model_matches = pd.DataFrame({"custody_id": ["C1"], "field_id": ["F1"]})
    result = add_reasons(model_matches, FellegiSunter([]))
    assert result[["reason_es", "reason_en"]].iloc[0].tolist() == ["", ""]
