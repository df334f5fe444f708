"""Visit results written into lead workbooks (as Excel or LibreOffice save them) come back."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from outputs_fixture import make_result

import cli
from linkage.decisions import DecisionsError, read_audit_log, read_decisions
from linkage.reports.leads import write_lead_sheets
from linkage.visits import classify


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("Encontrado", "match"),
        ("encontrada el 3/5/2024", "match"),
        ("ENCONTRADO/A", "match"),
        ("Sí es", "match"),
        ("si es él", "match"),
        ("Es la persona, vive con su hermana", "match"),
        ("found", "match"),
        ("No es la persona", "non-match"),
        ("no es él", "non-match"),
        ("No es ella.", "non-match"),
        ("no es", "non-match"),
        ("Not the person", "non-match"),
        ("Ya no vive ahí (se fue a Cobán)", "unsure"),
        ("nadie lo conoce", "unsure"),
        ("No lo encontramos", "unsure"),
        ("no encontrado", "unsure"),
        ("Encontrado, pero no es la persona", None),
    ],
)
def test_results_are_read_in_any_spelling(text, decision):
    assert classify(text) == decision


def _fill(path, results):
    """Write results into the sheet's result column by field id, as a field team would."""
    book = load_workbook(path)
    ws = book.active
    header = [c.value for c in ws[1]]
    result_col = header.index("Resultado de la visita") + 1
    field_col = header.index("field_id") + 1
    for row in range(2, ws.max_row + 1):
        field_id = ws.cell(row=row, column=field_col).value
        if field_id in results:
            ws.cell(row=row, column=result_col).value = results[field_id]
    book.save(path)


@pytest.fixture
def sheets(tmp_path):
    write_lead_sheets(make_result(), tmp_path, threshold=0.0)
    leads = tmp_path / "leads"
    _fill(leads / "gt-huehuetenango.xlsx", {"F1": "Encontrada 12/03/2024", "F2": "No es ella"})
    _fill(leads / "hn-comayagua.xlsx", {"F3": "ya no vive ahí, se fue a Tegucigalpa"})
    return leads


def test_cli_visits_writes_decisions_and_logs_where_each_came_from(sheets, tmp_path, capsys):
    out = tmp_path / "decisions.csv"
    files = [str(p) for p in sorted(sheets.glob("*.xlsx"))]
    assert cli.main(["visits", *files, "--out", str(out)]) == 0
    assert "read 3 visit results (1 found, 1 not the person, 1 notes)" in capsys.readouterr().out
    decisions = read_decisions(out)
    assert decisions[["custody_id", "field_id", "decision"]].values.tolist() == [
        ["C1", "F1", "match"],
        ["C1", "F2", "non-match"],
        ["C2", "F3", "unsure"],
    ]
    assert decisions["time"].iloc[0] == pd.Timestamp("2024-03-12", tz="UTC")
    assert decisions["note"].iloc[2] == "ya no vive ahí, se fue a Tegucigalpa"
    log = read_audit_log(tmp_path / "audit_log.jsonl")
    assert [e["source"] for e in log] == [
        "gt-huehuetenango.xlsx, sheet Pistas, row 2, cell T2",
        "gt-huehuetenango.xlsx, sheet Pistas, row 3, cell T3",
        "hn-comayagua.xlsx, sheet Pistas, row 2, cell T2",
    ]
    # read again: nothing new enters the log
    assert cli.main(["visits", *files, "--out", str(out)]) == 0
    assert len(read_audit_log(tmp_path / "audit_log.jsonl")) == 3


def test_a_lead_workbook_is_read_directly_as_labels(sheets):
    decisions = read_decisions(sheets / "gt-huehuetenango.xlsx")
    assert decisions[["field_id", "decision"]].values.tolist() == [
        ["F1", "match"],
        ["F2", "non-match"],
    ]
    assert decisions["source"].iloc[1] == "gt-huehuetenango.xlsx, sheet Pistas, row 3, cell T3"


def test_bad_and_ambiguous_results_name_file_sheet_row_and_cell(tmp_path, capsys):
    write_lead_sheets(make_result(), tmp_path, threshold=0.999999)
    leads = tmp_path / "leads"
    book = load_workbook(leads / "hn-cortes.xlsx")  # C2 has no strong lead there
    book.active["T2"] = "encontrado"
    book.save(leads / "hn-cortes.xlsx")
    write_lead_sheets(make_result(), tmp_path / "b", threshold=0.0)
    other = tmp_path / "b" / "leads" / "gt-huehuetenango.xlsx"
    _fill(other, {"F1": "encontrado, no es la persona"})
    files = [str(leads / "hn-cortes.xlsx"), str(other)]
    assert cli.main(["visits", *files, "--out", str(tmp_path / "d.csv")]) == 3  # input data
    err = capsys.readouterr().err
    assert (
        "hn-cortes.xlsx, sheet Pistas, row 2, cell T2: 'encontrado' is on a row with no candidate"
        in err
    )
    assert (
        "gt-huehuetenango.xlsx, sheet Pistas, row 2, cell T2: 'encontrado, no es la persona' says "
        "both found and not the person; write one" in err
    )
    assert not (tmp_path / "d.csv").exists()


def test_one_pair_with_two_different_results_is_refused(tmp_path):
    spread = make_result()
    spread.field.loc["F2", "department_code"] = "HN03"  # C1 is on two sheets
    write_lead_sheets(spread, tmp_path, threshold=0.3)
    _fill(tmp_path / "leads" / "gt-huehuetenango.xlsx", {"F1": "encontrado"})
    _fill(tmp_path / "leads" / "hn-comayagua.xlsx", {"F1": "no es la persona"})
    with pytest.raises(DecisionsError, match="C1/F1 has different results"):
        from linkage.visits import read_visits

        read_visits(sorted((tmp_path / "leads").glob("*.xlsx")))
