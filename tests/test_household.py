"""Household evidence: children compared as a set through the best one-to-one pairing."""

from __future__ import annotations

import pandas as pd
import pytest

from linkage.comparisons.household import HouseholdComparison, child_pairs
from normalizers.children import normalize_frame

COMPARISON = HouseholdComparison()


def level(custody: tuple[str | None, str | None], field: tuple[str | None, str | None]) -> str:
    left = normalize_frame(
        pd.DataFrame({"child_names": [custody[0]], "child_birth_dates": [custody[1]]}),
        day_first=False,
    )
    right = normalize_frame(
        pd.DataFrame({"child_names": [field[0]], "child_birth_dates": [field[1]]}), day_first=True
    )
    pairs = pd.DataFrame(
        {
            "children_l": left["children"],
            "children_dobs_l": left["children_dobs"],
            "children_r": right["children"],
            "children_dobs_r": right["children_dobs"],
        }
    )
    code = int(COMPARISON.levels_of(pairs)[0])
    return "missing" if code == -1 else COMPARISON.levels[code].name


@pytest.mark.parametrize(
    ("custody", "field", "expected"),
    [
        # U.S. dates month-first, field dates day-first: the same day
        (
            ("GLORIA YAT VILLALOBOS", "11/12/2014"),
            ("Gloria Yat", "12/11/2014"),
            "child_name_and_dob",
        ),
        (
            ("JOSE LOPEZ; ANA LOPEZ", "03/04/2010; 07/08/2012"),
            ("Ana López; José López", "08/07/2012; 04/03/2010"),
            "two_children_agree",
        ),
        # a nickname for the child's name
        (("JOSE LOPEZ", "03/04/2010"), ("Chepe López", "2010"), "child_name_and_year"),
        (("ANA LOPEZ", None), ("Ana López", None), "child_name"),
        (("ANA LOPEZ", "03/04/2010"), ("Ana López", "04/03/2003"), "child_name_date_differs"),
        (("ANA LOPEZ", "03/04/2010"), ("Marta López", "04/03/2010"), "no_child_agrees"),
        (("ANA LOPEZ", "03/04/2010"), (None, None), "missing"),
        # custody-style "SURNAMES, GIVEN NAMES" against the field's given names first
        (
            ("LOPEZ GARCIA, DAYANA YAMILETH", "03/04/2012"),
            ("Dayana Yamileth López García", "04/03/2012"),
            "child_name_and_dob",
        ),
        (
            ("LOPEZ GARCIA, DAYANA YAMILETH; LOPEZ GARCIA, JOSE", "03/04/2012; 05/06/2015"),
            ("Dayana López; José López", "04/03/2012; 06/05/2015"),
            "two_children_agree",
        ),
    ],
)
def test_levels(custody, field, expected):
    assert level(custody, field) == expected


def test_one_child_cannot_claim_two():
    # both custody children resemble the one field child: only one may pair with it
    paired = child_pairs(
        ["ana lopez", "ana maria lopez"], ["2010-04-03", ""], ["ana lopez"], ["2010-04-03"]
    )
    assert len(paired) == 1
    assert paired[0][:2] == (True, 2)


def test_a_custody_style_child_name_keys_on_the_given_name():
    frame = normalize_frame(
        pd.DataFrame(
            {"child_names": ["LOPEZ GARCIA, DAYANA YAMILETH"], "child_birth_dates": ["03/04/2012"]}
        ),
        day_first=False,
    )
    assert frame.loc[0, "children"] == "dayana yamileth lopez garcia"
    field = normalize_frame(
        pd.DataFrame({"child_names": ["Dayana López"], "child_birth_dates": ["2012"]}),
        day_first=True,
    )
    assert frame.loc[0, "child_keys"] == field.loc[0, "child_keys"]
