"""Issue 13 item 8: a lone "M" no source settles is rejected with a reason that quotes it, says
why and what to do (the ``sex_m`` setting), in English and Spanish."""

from __future__ import annotations

import pandas as pd
import pytest
from small_job import QUICK

from linkage.errors import SettingsError
from linkage.pipeline import prepare
from linkage.reasons import first_of_each, localized
from linkage.settings import Settings

#: Brigada writes only M: "Alix" says nothing, "José" settles it; Pastoral writes H and M
FIELD = pd.DataFrame(
    {
        "record_id": ["F1", "F2", "F3", "F4"],
        "full_name": ["Alix Coc Pop", "José Coc Pop", "Luis Tzul Caal", "Alix Tzul Caal"],
        "sex": ["M", " m ", "H", "M"],
        "organization": ["Brigada", "Brigada", "Pastoral", "Pastoral"],
    }
)
REASON = (
    "'M' could be masculino or mujer (the source writes neither H nor F and the first name does "
    'not tell): set sex_m = "male" or "female" in the settings'
)


def test_a_lone_m_nothing_settles_is_rejected_with_why_and_what_to_do():
    read, normalized = prepare(FIELD, "field", QUICK)
    assert normalized["sex"].tolist() == [None, "M", "M", "F"]
    rejects = localized(read.rejects)
    assert rejects.to_dict("records") == [
        {
            "file": "field",
            "row": 2,
            "column": "sex",
            "reason": REASON,
            "reason_es": (
                "'M' puede ser masculino o mujer (la fuente no escribe ni H ni F y el primer "
                'nombre no lo aclara): ponga sex_m = "male" o "female" en la configuración'
            ),
            "code": "ambiguous_sex",
            "kind": "value",
        }
    ]
    assert first_of_each(read.rejects) == [f"field, row 2, column 'sex': {REASON}"]


@pytest.mark.parametrize(("sex_m", "read_as"), [("female", "F"), ("male", "M")])
def test_sex_m_reads_a_lone_m_where_the_source_leaves_it_open(sex_m, read_as):
    read, normalized = prepare(FIELD, "field", QUICK.replace(sex_m=sex_m))
    # Pastoral writes H for men, so its M is mujer whatever the setting says
    assert normalized["sex"].tolist() == [read_as, read_as, "M", "F"]
    assert read.rejects.empty


def test_custody_records_read_a_lone_m_as_male_by_default():
    custody = FIELD.drop(columns="organization").iloc[[0]]
    read, normalized = prepare(custody, "custody", QUICK)
    assert normalized["sex"].tolist() == ["M"]
    assert read.rejects.empty


def test_sex_m_is_checked():
    with pytest.raises(SettingsError) as error:
        Settings(sex_m="hombre")
    assert str(error.value) == "sex_m = 'hombre': must be one of ['auto', 'male', 'female']"
