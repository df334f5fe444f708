import json
import re

import pandas as pd
import pytest
from html_text import assert_self_contained, table_rows
from outputs_fixture import LEVEL_BITS, make_result

from linkage.reports.run_report import band_counts, band_of, write_run_report

FIGURES = {"custody_with_true_match": 3, "recall_at_1": 0.9, "f1_at_best": 0.8571}


def _section(page: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', page, re.S)
    assert match, name
    return match.group(1)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("job") / "report.html"
    write_run_report(make_result(), path, evaluation=FIGURES)
    return path.read_text(encoding="utf-8")


def test_report_loads_nothing_from_anywhere(page):
    assert_self_contained(page)


def test_inputs_and_their_row_counts(page):
    rows = table_rows(_section(page, "inputs"))
    assert rows[0][2:] == [
        "Filas leídas",
        "Filas rechazadas",
        "Registros comparados",
        "Con candidatos",
        "Sin candidatos",
        "Valores ilegibles (ignorados)",
    ]
    assert rows[1] == ["Custodia (EE. UU.)", "", "4", "1", "3", "3", "0", "0"]
    assert rows[2] == ["Reportes de campo", "", "5", "0", "5", "5", "0", "0"]


def test_input_files_from_the_manifest_beside_the_report(tmp_path):
    manifest = {
        "version": "0.1.0",
        "inputs": {"custody": {"path": "/x/custody.csv", "sha256": "ab"}},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_run_report(make_result(), tmp_path / "report.html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert table_rows(_section(text, "inputs"))[1][1] == "custody.csv"
    assert 'title="sha256 ab"' in text
    assert "Versión 0.1.0" in text


def test_rejects_grouped_most_frequent_first(page):
    rows = table_rows(_section(page, "rejects"))
    assert rows[1:] == [
        ["custody.csv", "full_name", "ninguna columna de nombre trae un nombre", "fila", "2"],
        [
            "field.csv",
            "birth_date",
            "no se puede leer la fecha de nacimiento; valor ignorado",
            "valor",
            "1",
        ],
    ]


def test_blocking_rules_with_pair_counts(page):
    section = _section(page, "blocking")
    rows = table_rows(section)
    assert rows[0] == ["Regla", "Descripción", "Pares", "Pares nuevos"]
    # a default rule is described in the report's language (by name)
    assert rows[1] == [
        "surname_given",
        "primer apellido y primer nombre que suenan igual",
        "120",
        "120",
    ]
    assert rows[2] == ["a_number", "el mismo número A", "4", "1"]
    assert "Pares comparados en total: <strong>8</strong>" in section


def test_model_chart_has_one_bar_per_level_with_its_weight(page):
    section = _section(page, "model")
    chart = section[section.index("<svg") : section.index("</svg>")]
    assert chart.count("<rect") == sum(len(levels) for levels in LEVEL_BITS.values())
    assert "<title>Fecha de nacimiento con día y mes invertidos: +6.5 bits</title>" in chart
    assert "<title>Nombres distintos: -6.0 bits</title>" in chart
    assert "convergió tras 12 iteraciones (último cambio 4e-06)" in section
    table = table_rows(section[section.index("<details>") :])
    assert table[5][:3] == ["dob", "swapped", "Fecha de nacimiento con día y mes invertidos"]
    assert table[5][5] == "+6.50"


def test_score_distribution_counts_every_scored_pair(page):
    chart = _section(page, "scores")
    counts = [int(n.replace(",", "")) for n in re.findall(r"<title>[^<]*: ([\d,]+)</title>", chart)]
    assert sum(counts) == 8


def test_leads_by_confidence_band(page):
    rows = table_rows(_section(page, "bands"))
    assert rows[1:] == [
        ["Alta (≥ 90 %)", "3", "3"],
        ["Media (50–90 %)", "0", "0"],
        ["Baja (10–50 %)", "0", "1"],
        ["Muy baja (< 10 %)", "0", "1"],
    ]
    assert "Casos sin ningún candidato: <strong>0</strong>" in _section(page, "bands")


def test_example_waterfall_of_the_best_pair(page):
    section = _section(page, "example")
    assert "caso C1 y reporte F1" in section
    assert "Coincide un hijo: nombre y fecha de nacimiento" in section


def test_evaluation_figures_only_when_given(page, tmp_path):
    rows = table_rows(_section(page, "evaluation"))
    assert rows[1:] == [
        ["Casos con una coincidencia verdadera", "3"],
        ["Exhaustividad en el primer puesto", "0.900"],
        ["F1 en el mejor umbral", "0.857"],
    ]
    write_run_report(make_result(), tmp_path / "r.html")
    assert 'id="evaluation"' not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_report_in_english(tmp_path):
    write_run_report(make_result(), tmp_path / "r.html", lang="en")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<h1>Run report</h1>" in text
    assert table_rows(_section(text, "bands"))[1] == ["High (≥ 90%)", "3", "3"]


def test_bands():
    probabilities = pd.Series([1.0, 0.9, 0.899, 0.5, 0.1, 0.0999, 0.0])
    assert band_of(probabilities).tolist() == [
        "high",
        "high",
        "medium",
        "medium",
        "low",
        "very_low",
        "very_low",
    ]
    matches = pd.DataFrame(
        {"custody_id": ["a", "a", "b", "c"], "match_probability": [0.95, 0.6, 0.55, 0.01]}
    )
    assert band_counts(matches).to_dict("list") == {
        "band": ["high", "medium", "low", "very_low"],
        "cases": [1, 1, 0, 1],
        "pairs": [1, 2, 0, 1],
    }


def test_cases_without_candidates_and_decisions_are_listed(tmp_path):
    from linkage.decisions import apply_decisions

    result = make_result()
    extra = result.custody.iloc[[0]].rename(index={"C1": "C4"})
    result.custody = pd.concat([result.custody, extra])
    result.counts["custody"]["rows_without_candidates"] = 1
    decisions = pd.DataFrame(
        {
            "custody_id": ["C1", "C2"],
            "field_id": ["F2", "F3"],
            "decision": ["match", "unsure"],
            "reviewer": "ana",
            "time": pd.NaT,
            "note": "",
        }
    )
    result.matches = apply_decisions(result.matches, decisions)
    write_run_report(result, tmp_path / "r.html")
    section = _section((tmp_path / "r.html").read_text(encoding="utf-8"), "bands")
    assert "Casos sin ningún candidato: <strong>1</strong> (C4)" in section
    assert table_rows(section[section.index("<h3>") :]) == [["Confirmadas", "1"], ["En duda", "1"]]


def test_banner_when_em_did_not_converge_or_a_comparison_rests_on_the_prior():
    from linkage.reports.run_report import TEXT, _warnings

    model = {
        "em": {"iterations": 100, "converged": False, "last_change": 0.01, "max_iterations": 100},
        "evidence": [
            {"comparison": "name", "source": "data"},
            {"comparison": "birth_date", "source": "prior"},
            {"comparison": "phone", "source": "absent"},
        ],
    }
    warnings = _warnings(model, TEXT["en"])
    assert warnings == [
        "Warning: EM did NOT converge after 100 iterations (at most 100, last change 0.01); "
        "the weights may not be reliable.",
        "Warning: the data cannot teach Date of birth; their weights are the shipped prior "
        "model's.",
    ]
