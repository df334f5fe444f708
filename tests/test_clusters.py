"""Field reports of one person: joined on the model's evidence, never across a contradiction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linkage.clusters import cluster, contradicts, person_facts
from linkage.comparisons import default_comparisons
from linkage.model import FellegiSunter
from linkage.pipeline import link
from linkage.settings import Settings


def _facts(**columns):
    n = len(next(iter(columns.values())))
    base = {"birth_year_min": [None] * n, "birth_year_max": [None] * n}
    return person_facts(pd.DataFrame({**base, **columns}))


def _pairs(facts, pairs):
    a, b = np.array(pairs).T
    return contradicts(facts, a, b).tolist()


def test_birth_years_beyond_tolerance_contradict():
    facts = _facts(birth_year_min=[1982, 1990, 1983, 1978, None],
                   birth_year_max=[1982, 1990, 1984, 1980, None])
    # 8 years apart; an age range one year off; two years off; unknown
    assert _pairs(facts, [(0, 1), (0, 2), (0, 3), (0, 4)]) == [True, False, False, False]


def test_different_valid_ids_a_numbers_and_sex_contradict():
    facts = _facts(
        national_id=["1234", "9999", "9999", None],
        id_valid=[True, True, False, None],
        a_number=["A1", "A2", None, "A1"],
        sex=["M", "M", "F", None],
    )
    assert _pairs(facts, [(0, 1), (0, 2), (0, 3)]) == [True, True, False]
    ids_only = _facts(national_id=["1234", "9999"], id_valid=[True, True])
    assert _pairs(ids_only, [(0, 1)]) == [True]
    invalid = _facts(national_id=["1234", "9999"], id_valid=[True, False])
    assert _pairs(invalid, [(0, 1)]) == [False]


def test_a_child_born_too_soon_after_the_other_makes_them_two_people():
    facts = _facts(
        birth_year_min=[1970, 1990, 1991],
        birth_year_max=[1970, 1990, 1991],
        children_dobs=["1990-03-01", "2015-06-02;2018", "2016"],
    )
    # the father's child is born the son's year; son and a one-year-off report are compatible
    assert _pairs(facts, [(0, 1), (1, 2)]) == [True, False]


def test_no_chain_joins_two_reports_that_contradict():
    # 0 and 2 contradict (birth years); 1 is close to both; the strongest join wins, then the
    # other is refused because it would put 0 and 2 together
    facts = _facts(birth_year_min=[1982, None, 1990], birth_year_max=[1982, None, 1990])
    pairs = np.array([[0, 1], [1, 2], [0, 2]])
    assert cluster(3, pairs, np.array([20.0, 25.0, 30.0]), facts, 10.0).tolist() == [0, 1, 1]
    assert cluster(3, pairs, np.array([25.0, 20.0, 30.0]), facts, 10.0).tolist() == [0, 0, 1]
    # weak evidence joins nothing
    assert cluster(3, pairs, np.array([9.0, 9.0, 9.0]), facts, 10.0).tolist() == [0, 1, 2]


@pytest.fixture(scope="module")
def sample_model(sample_job):
    return FellegiSunter.load(sample_job / "model.json", default_comparisons(Settings()))


def test_father_and_son_of_one_name_and_village_are_two_people(sample_model):
    """The custody record is the son's: the son alone is rank 1, the father comes after."""
    custody = pd.DataFrame(
        {
            "record_id": ["C1"],
            "full_name": ["PEREZ LOPEZ, JUAN CARLOS"],
            "sex": ["M"],
            "birth_date": ["05/14/1990"],
            "country": ["GT"],
            "place": ["Chiantla, Huehuetenango"],
            "child_names": ["ANA PEREZ GOMEZ"],
            "child_birth_dates": ["03/02/2015"],
        }
    )
    village = {"country": "GT", "department": "Huehuetenango", "municipality": "Chiantla"}
    field = pd.DataFrame(
        [
            # the father: same whole name and village, born eight years before the son
            {"record_id": "F1", "full_name": "Juan Carlos Pérez López", "sex": "M",
             "birth_date": "10/01/1982", "report_date": "01/06/2021", "phone": "5555 1234",
             **village},
            {"record_id": "F2", "full_name": "Juan Carlos Pérez López", "sex": "M", "age": "39",
             "report_date": "15/08/2021", "phone": "5555 1234", **village},
            # the son, reported twice
            {"record_id": "F3", "full_name": "Juan Carlos Pérez López", "sex": "M",
             "birth_date": "14/05/1990", "report_date": "02/03/2021", "phone": "4444 9876",
             "child_names": "Ana Pérez Gómez", "child_birth_dates": "02/03/2015", **village},
            {"record_id": "F4", "full_name": "Juan Carlos Pérez López", "sex": "M", "age": "31",
             "report_date": "20/07/2021", **village},
        ]
    )
    result = link(custody, field, model=sample_model)
    matches = result.matches.sort_values(["rank", "field_id"])
    ranks = dict(zip(matches["field_id"], matches["rank"], strict=True))
    assert {f for f, r in ranks.items() if r == 1} == {"F3", "F4"}
    assert ranks["F1"] == ranks["F2"] == 2
    people = dict(zip(matches["field_id"], matches["field_person"], strict=True))
    assert people["F1"] == people["F2"] != people["F3"] == people["F4"]
