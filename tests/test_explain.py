import math
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from outputs_fixture import COMPARISONS, PRIOR, FakeModel, make_result

from linkage.explain import (
    add_reasons,
    explain_pair,
    probability,
    reasons,
    waterfall_data,
    waterfall_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_reasons_in_both_languages_strongest_first():
    row = {
        "name": "given_paternal",
        "name_bits": 8.0,
        "dob": "swapped",
        "dob_bits": 6.5,
        "id_place": "same_municipality",
        "id_place_bits": 3.0,
        "child": "name_and_dob",
        "child_bits": 11.0,
    }
    assert reasons(row, FakeModel(), "es") == (
        "Coincide un hijo: nombre y fecha de nacimiento; Mismo nombre y primer apellido; "
        "Fecha de nacimiento con día y mes invertidos; El DPI indica el mismo municipio"
    )
    assert reasons(row, FakeModel(), "en", top=2) == (
        "A child matches: name and date of birth; Same given name and first surname"
    )


def test_reasons_order_by_size_of_evidence_against_too():
    row = {"name": "given_paternal", "name_bits": 8.0, "dob": "else", "dob_bits": -9.0}
    assert reasons(row, FakeModel(), "es") == (
        "Fecha de nacimiento distinta; Mismo nombre y primer apellido"
    )


def test_reasons_skip_missing_and_weak_evidence_and_use_model_bits_when_absent():
    row = {"name": "exact_full_name", "dob": "missing", "id_place": "else", "id_place_bits": 0.2}
    assert reasons(row, FakeModel(), "es") == "Mismo nombre y ambos apellidos"
    assert reasons({"name": float("nan")}, FakeModel(), "en") == ""


def test_reasons_reject_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        reasons({}, FakeModel(), "fr")


def test_add_reasons_matches_row_by_row_reasons():
    result = make_result()
    redone = add_reasons(result.matches.drop(columns=["reason_es", "reason_en"]), FakeModel())
    for _, row in redone.iterrows():
        assert row["reason_es"] == reasons(row.to_dict(), FakeModel(), "es")
        assert row["reason_en"] == reasons(row.to_dict(), FakeModel(), "en")
    best = redone[(redone["custody_id"] == "C1") & (redone["field_id"] == "F1")].iloc[0]
    assert best["reason_es"] == (
        "Mismo nombre y ambos apellidos; Coincide un hijo: nombre y fecha de nacimiento; "
        "Fecha de nacimiento con día y mes invertidos; El DPI indica el mismo municipio"
    )


def test_add_reasons_on_no_pairs():
    empty = make_result().matches.iloc[0:0].drop(columns=["reason_es", "reason_en"])
    out = add_reasons(empty, FakeModel())
    assert out.empty and {"reason_es", "reason_en"} <= set(out.columns)


def test_explain_pair_shows_levels_bits_and_both_values():
    result = make_result()
    table = result.explain("C1", "F1")
    assert table["comparison"].tolist() == ["name", "dob", "id_place", "child"]
    assert table["bits"].tolist() == [13.0, 6.5, 3.0, 11.0]
    dob = table.set_index("comparison").loc["dob"]
    assert dob["es"] == "Fecha de nacimiento con día y mes invertidos"
    assert (dob["custody_value"], dob["field_value"]) == ("1985-04-03", "1985-03-04")
    name = table.set_index("comparison").loc["name"]
    assert name["custody_value"] == "maria · garcia · lopez"


def test_explain_pair_missing_level_carries_no_bits():
    result = make_result()
    row = result.matches.iloc[0].copy()
    row["dob"] = "missing"
    table = explain_pair(row, COMPARISONS, result.custody.loc["C1"], result.field.loc["F1"])
    dob = table.set_index("comparison").loc["dob"]
    assert (dob["level"], dob["bits"], dob["en"]) == ("missing", 0.0, "Missing on one side")


def test_waterfall_data_runs_from_prior_to_match_weight():
    result = make_result()
    prior_bits = math.log2(PRIOR / (1 - PRIOR))
    bars = waterfall_data(result.explain("C1", "F2"), prior_bits, "en")
    assert bars["kind"].tolist() == ["prior", "evidence", "evidence", "evidence", "total"]
    assert bars["label"].tolist()[1:4] == [
        "Same date of birth",
        "Same given name and first surname",
        "The ID number points elsewhere",
    ]
    assert bars["start"].iloc[1:4].tolist() == pytest.approx(bars["end"].iloc[0:3].tolist())
    weight = result.matches.set_index(["custody_id", "field_id"]).loc[("C1", "F2"), "match_weight"]
    assert bars["end"].iloc[-1] == pytest.approx(weight)


def test_waterfall_svg_is_valid_svg_with_one_bar_per_step():
    result = make_result()
    prior_bits = math.log2(PRIOR / (1 - PRIOR))
    svg = waterfall_svg(result.explain("C1", "F1"), prior_bits, "es", title="C1 ↔ F1 <&>")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f".//{SVG}rect")) == 6
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "C1 ↔ F1 <&>" in texts
    assert "Fecha de nacimiento con día y mes invertidos" in texts
    weight = result.matches.iloc[0]["match_weight"]
    assert f"{weight:+.1f} bits ({probability(weight):.1%})" in texts
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_waterfall_of_negative_weight_keeps_bars_inside_the_chart():
    table = pd.DataFrame(
        {"level": ["else"], "es": ["Nombres distintos"], "en": ["Different names"], "bits": [-6.0]}
    )
    root = ET.fromstring(waterfall_svg(table, prior_bits=-16.0, width=600))
    for rect in root.iter(f"{SVG}rect"):
        left = float(rect.get("x"))
        assert left >= 0
        assert left + float(rect.get("width")) <= 600


def test_probability_of_weight():
    assert probability(0.0) == 0.5
    assert probability(1.0) == pytest.approx(2 / 3)
    assert probability(1000.0) == pytest.approx(1.0)
