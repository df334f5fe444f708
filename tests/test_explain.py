import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pandas as pd
import pytest
from outputs_fixture import FakeModel, make_result

from linkage.explain import add_reasons, reasons
from linkage.model import FellegiSunter
from linkage.reports.render import percent
from linkage.reports.waterfall import waterfall_data, waterfall_svg

SVG = "{http://www.w3.org/2000/svg}"
ROW = {
    "name": "given_paternal",
    "name_bits": 8.0,
    "dob": "swapped",
    "dob_bits": 6.5,
    "id_place": "same_municipality",
    "id_place_bits": 3.0,
    "child": "name_and_dob",
    "child_bits": 11.0,
}


def test_reasons_in_both_languages_strongest_first():
    assert reasons(ROW, FakeModel(), "es") == (
        "Coincide un hijo: nombre y fecha de nacimiento; mismo nombre y primer apellido; "
        "fecha de nacimiento con día y mes invertidos; el DPI indica el mismo municipio"
    )
    assert reasons(ROW, FakeModel(), "en") == (
        "A child matches: name and date of birth; same given name and first surname; "
        "date of birth with day and month swapped; the ID number points to the same municipality"
    )


def test_reasons_put_evidence_against_after_but():
    row = {"name": "given_paternal", "name_bits": 8.0, "dob": "else", "dob_bits": -9.0}
    assert reasons(row, FakeModel(), "es") == (
        "Mismo nombre y primer apellido; pero fecha de nacimiento distinta"
    )
    assert reasons(row, FakeModel(), "en") == (
        "Same given name and first surname; but different date of birth"
    )


def test_reasons_leave_out_missing_and_absent_comparisons():
    row = {"name": "exact_full_name", "name_bits": 13.0, "dob": "missing", "dob_bits": 0.0}
    assert reasons(row, FakeModel(), "es") == "Mismo nombre y ambos apellidos"
    assert reasons({"name": "exact_full_name"}, FakeModel(), "en") == ""


def test_reasons_of_every_pair_of_the_matches_table():
    # literal expectations, strongest evidence first (not the function checked against itself)
    rows = make_result().matches.drop(columns=["reason_es", "reason_en"])
    got = {
        (row["custody_id"], row["field_id"]): (
            reasons(row.to_dict(), FakeModel(), "es"),
            reasons(row.to_dict(), FakeModel(), "en"),
        )
        for _, row in rows.iterrows()
    }
    assert got == {
        ("C1", "F1"): (
            "Mismo nombre y ambos apellidos; coincide un hijo: nombre y fecha de nacimiento; "
            "fecha de nacimiento con día y mes invertidos; el DPI indica el mismo municipio",
            "Same given name and both surnames; a child matches: name and date of birth; "
            "date of birth with day and month swapped; the ID number points to the same "
            "municipality",
        ),
        ("C1", "F2"): (
            "Misma fecha de nacimiento; mismo nombre y primer apellido; pero el DPI indica "
            "otro municipio",
            "Same date of birth; same given name and first surname; but the ID number points "
            "elsewhere",
        ),
        ("C1", "F4"): ("Nombres distintos", "Different names"),
        ("C2", "F3"): (
            "Coincide un hijo: nombre y fecha de nacimiento; misma fecha de nacimiento; mismo "
            "nombre y primer apellido",
            "A child matches: name and date of birth; same date of birth; same given name and "
            "first surname",
        ),
        ("C3", "F5"): (
            "Mismo nombre y ambos apellidos; coincide un hijo: nombre y fecha de nacimiento",
            "Same given name and both surnames; a child matches: name and date of birth",
        ),
    }


def test_reasons_reject_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        reasons(ROW, FakeModel(), "fr")


def test_waterfall_data_runs_from_prior_to_match_weight():
    result = make_result()
    bars = waterfall_data(result.explain("C1", "F2"), "en")
    assert bars["kind"].tolist() == ["prior", "evidence", "evidence", "evidence", "total"]
    assert bars["label"].tolist()[1:4] == [
        "Same date of birth",
        "Same given name and first surname",
        "The ID number points elsewhere",
    ]
    assert bars["start"].iloc[1:4].tolist() == pytest.approx(bars["end"].iloc[0:3].tolist())
    weight = result.matches.set_index(["custody_id", "field_id"]).loc[("C1", "F2"), "match_weight"]
    assert bars["end"].iloc[-1] == pytest.approx(weight)
    assert bars["start"].iloc[-1] == 0.0


def test_waterfall_svg_is_valid_svg_with_one_bar_per_step():
    result = make_result()
    svg = waterfall_svg(result.explain("C1", "F1"), "es", title="C1 ↔ F1 <&>")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f".//{SVG}rect")) == 6
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "C1 ↔ F1 <&>" in texts
    assert "Probabilidad previa de coincidencia" in texts
    assert "Fecha de nacimiento con día y mes invertidos" in texts
    weight = result.matches.iloc[0]["match_weight"]
    assert f"{weight:+.1f} bits ({percent(float(FellegiSunter.probability(weight)))})" in texts
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_waterfall_without_prior_gives_no_probability():
    table = pd.DataFrame(
        {"level": ["else"], "es": ["Nombres distintos"], "en": ["Different names"], "bits": [-6.0]}
    )
    root = ET.fromstring(waterfall_svg(table, width=600))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "-6.0 bits" in texts
    for rect in root.iter(f"{SVG}rect"):
        left = float(rect.get("x"))
        assert left >= 0
        assert left + float(rect.get("width")) <= 600


def test_probability_of_weight():
    assert FellegiSunter.probability(0.0) == 0.5
    assert FellegiSunter.probability(1.0) == pytest.approx(2 / 3)
    assert FellegiSunter.probability(1000.0) == pytest.approx(1.0)


def test_add_reasons_words_every_pair_and_handles_no_pairs():
    matches = make_result().matches.drop(columns=["reason_es", "reason_en"])
    out = add_reasons(matches, FakeModel())
    f2 = out.set_index("field_id").loc["F2"]
    assert f2["reason_es"] == (
        "Misma fecha de nacimiento; mismo nombre y primer apellido; "
        "pero el DPI indica otro municipio"
    )
    assert f2["reason_en"] == (
        "Same date of birth; same given name and first surname; but the ID number points elsewhere"
    )
    assert out.set_index("field_id").loc["F4", "reason_en"] == "Different names"
    empty = add_reasons(matches.iloc[0:0], FakeModel())
    assert empty.empty and {"reason_es", "reason_en"} <= set(empty.columns)


def test_reasons_read_as_one_spanish_sentence():
    """Capitalised; "pero" never opens it, and a fact for the match never follows "pero"."""
    against_only = {"name": "else", "name_bits": -6.0, "dob": "else", "dob_bits": -4.0}
    assert reasons(against_only, FakeModel(), "es") == (
        "Nombres distintos; fecha de nacimiento distinta"
    )
    # an agreement weighed slightly against a match is left out, not put under "pero"
    weak = {"name": "exact_full_name", "name_bits": 13.0, "dob": "swapped", "dob_bits": -1.5}
    assert reasons(weak, FakeModel(), "es") == "Mismo nombre y ambos apellidos"


def test_reasons_on_the_real_comparisons_name_disagreements_only_after_but():
    from linkage.comparisons import default_comparisons
    from linkage.settings import Settings

    model = SimpleNamespace(comparisons=default_comparisons(Settings()))
    row = {
        "name": "exact_full_name", "name_bits": 14.0,
        "place": "same_country", "place_bits": -1.2,
        "national_id": "different_valid", "national_id_bits": -9.0,
        "birth_date": "year_close", "birth_date_bits": -2.0,
    }
    assert reasons(row, model, "es") == (
        "Nombre completo idéntico; pero documentos de identidad válidos y distintos; "
        "el año de nacimiento difiere en un año (solo se conoce el año o la edad)"
    )
