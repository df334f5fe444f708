"""Spreadsheets as people make them: title rows, several sheets, legacy .xls, headers the tool
does not know and Spanish abbreviations (issue 13, item 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from linkage.errors import InputError, SettingsError
from linkage.io import read_records
from linkage.settings import Settings

LEGACY_XLS = Path(__file__).parent / "data" / "visitas_legacy.xls"


def _visits_book(path: Path, title: bool = True, before: list[str] = ()) -> Path:
    """A field workbook as an office keeps it: sheets ``before`` the one with the visits, whose
    row 1 is a title and row 2 blank (``title``), headers in row 3, records in rows 4 and 5."""
    book = Workbook()
    book.remove(book.active)
    for name in before:
        book.create_sheet(name).append(["Total de visitas", 2])
    sheet = book.create_sheet("Visitas")
    if title:
        sheet.append(["Informe de visitas — Octubre"])
        sheet.append([])
    sheet.append(
        ["No.", "Nombre completo", "Fecha de nac.", "Aldea/Caserío", "Fecha visita", "Obs."]
    )
    sheet.append(["F1", "Castañeda Peña, José", dt.datetime(1985, 4, 3), "El Ñame", "3/10", "x"])
    sheet.append(["F2", "ORDÓÑEZ MUÑOZ MARÍA", "1990", "Xeúl", None, None])
    book.save(path)
    return path


def test_title_rows_above_the_header_are_skipped(tmp_path):
    read = read_records(_visits_book(tmp_path / "field.xlsx"))
    assert read.header_row == 3
    assert read.records[
        ["source_row", "record_id", "full_name", "birth_date", "community"]
    ].values.tolist() == [
        [4, "F1", "Castañeda Peña, José", "1985-04-03", "El Ñame"],
        [5, "F2", "ORDÓÑEZ MUÑOZ MARÍA", "1990", "Xeúl"],
    ]
    assert read.rows_read == 2


def test_title_rows_in_a_csv_export(tmp_path):
    path = tmp_path / "field.csv"
    path.write_text(
        "Informe de visitas — Octubre;;\n;;\nId;Nombre completo;Edad\nF1;Peña, Ana;34\n",
        encoding="utf-8",
    )
    read = read_records(path)
    assert (read.header_row, read.records["full_name"].tolist()) == (3, ["Peña, Ana"])
    assert read.records["source_row"].tolist() == [4]


def test_header_row_given(tmp_path):
    path = _visits_book(tmp_path / "field.xlsx")
    assert read_records(path, header_row=3).records["record_id"].tolist() == ["F1", "F2"]
    with pytest.raises(InputError) as info:
        read_records(path, header_row=2)
    assert str(info.value) == f"{path}: row 2 is empty or past the end: no headers there"
    with pytest.raises(InputError) as info:
        read_records(path, header_row=4)
    assert str(info.value) == (
        f"{path}: no record_id column among the headers ['F1', 'Castañeda Peña, José', "
        "'1985-04-03', 'El Ñame', '3/10', 'x'] in row 4: name the header row with --header-row, "
        "or the column with --mapping"
    )


def test_a_sheet_is_chosen_by_name(tmp_path):
    path = _visits_book(tmp_path / "field.xlsx", before=["Resumen"])
    read = read_records(path, sheet="Visitas")
    assert (read.sheet, read.records["record_id"].tolist()) == ("Visitas", ["F1", "F2"])
    with pytest.raises(InputError) as info:
        read_records(path, sheet="Hoja1")
    assert str(info.value) == f"{path}: no sheet named 'Hoja1' (sheets: Resumen, Visitas)"


def test_legacy_xls_is_read():
    read = read_records(LEGACY_XLS, sheet="Visitas")
    assert read.reading() == {
        "encoding": None,
        "rows_redecoded": 0,
        "redecoded_as": None,
        "values_repaired": 0,
        "sheet": "Visitas",
        "header_row": 3,
        "ignored_columns": [{"header": "Obs.", "suggestion": None}],
    }
    columns = ["source_row", "record_id", "full_name", "birth_date", "community"]
    assert read.records[[*columns, "national_id", "phone"]].values.tolist() == [
        [
            4,
            "F1",
            "Castañeda Peña, José",
            "1985-04-03",
            "Caserío El Ñame",
            "1234567890101",
            "5555-1234",
        ],
        [5, "F2", "ORDÓÑEZ MUÑOZ MARÍA", "1990-12-01", "Aldea Xeúl", None, "55551235"],
    ]


def test_a_file_named_xls_that_is_not_one_is_refused_in_one_line(tmp_path):
    path = tmp_path / "field.xls"
    _visits_book(tmp_path / "real.xlsx").rename(path)
    with pytest.raises(InputError) as info:
        read_records(path)
    assert str(info.value) == (
        f"{path}: cannot open as an Excel 97-2003 workbook (Excel xlsx file; not supported): "
        "save it as .xlsx"
    )


def test_unknown_headers_are_listed_with_the_closest_known_column(tmp_path):
    read = read_records(_visits_book(tmp_path / "field.xlsx"))
    assert read.header_map == {
        "No.": "record_id",
        "Nombre completo": "full_name",
        "Fecha de nac.": "birth_date",
        "Aldea/Caserío": "community",
    }
    assert read.ignored_columns == [
        {"header": "Fecha visita", "suggestion": "report_date"},
        {"header": "Obs.", "suggestion": None},
    ]


def test_a_header_mapped_to_ignore_is_listed_without_a_suggestion(tmp_path):
    path = tmp_path / "field.csv"
    path.write_text("Id,Nombre,Fecha visita\nF1,Ana Peña,2024-10-03\n", encoding="utf-8")
    read = read_records(path, {"fecha visita": "ignore"})
    assert read.ignored_columns == [{"header": "Fecha visita", "suggestion": None}]


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Fecha de nac.", "birth_date"),
        ("F. nac.", "birth_date"),
        ("Fec. nacimiento", "birth_date"),
        ("Fecha nac", "birth_date"),
        ("Aldea/Caserío", "community"),
        ("Tel.", "phone"),
        ("Cel.", "phone"),
        ("No. DPI", "national_id"),
        ("N° DPI", "national_id"),
        ("Nº DPI", "national_id"),
        ("Núm. DPI", "national_id"),
        ("Ap. paterno", "paternal_surname"),
        ("Mpio.", "municipality"),
    ],
)
def test_spanish_abbreviations_are_known(tmp_path, header, column):
    path = tmp_path / "f.csv"
    path.write_text(f"Id,Nombre completo,{header}\nF1,Ana Peña,x\n", encoding="utf-8")
    read = read_records(path)
    assert read.header_map[header] == column
    assert read.ignored_columns == []


def test_a_phone_and_a_mobile_column_are_both_read(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(
        "Id,Nombre completo,Tel.,Cel.\nF1,Ana Peña,7755-1234,5555-9876\nF2,Luis Coc,,5555-1111\n",
        encoding="utf-8",
    )
    read = read_records(path)
    assert read.records["phone"].tolist() == ["7755-1234; 5555-9876", "5555-1111"]


def test_headers_the_tool_cannot_find_are_named_with_a_header_row_and_a_mapping(tmp_path):
    book = Workbook()
    book.active.append(["Informe de visitas — Octubre"])
    book.active.append([])
    book.active.append(["Código", "Beneficiario"])
    book.active.append(["F1", "Ana Peña"])
    path = tmp_path / "field.xlsx"
    book.save(path)
    with pytest.raises(InputError) as info:
        read_records(path)
    assert str(info.value) == (
        f"{path}: no record_id column among the headers ['Informe de visitas — Octubre', ''] in "
        "row 1: name the header row with --header-row, or the column with --mapping"
    )
    mapping = {"codigo": "record_id", "beneficiario": "full_name"}
    read = read_records(path, mapping, header_row=3)
    assert read.records[["source_row", "record_id", "full_name"]].values.tolist() == [
        [4, "F1", "Ana Peña"]
    ]


def test_a_column_without_a_header_that_holds_values_is_listed(tmp_path):
    book = Workbook()
    book.active.append(["Id", "Nombre completo", None, None, "Tel."])
    book.active.append(["F1", "Ana Peña", "hermana de Luis", None, "5555-1234"])
    book.active.append(["F2", "Luis Peña", None, None, None])
    path = tmp_path / "field.xlsx"
    book.save(path)
    read = read_records(path)
    assert read.ignored_columns == [{"header": "(column 3, no header)", "suggestion": None}]
    assert read.records["phone"].tolist() == ["5555-1234", None]


def test_header_row_settings_are_checked():
    with pytest.raises(SettingsError) as info:
        Settings(field_header_row=-1)
    assert str(info.value) == "field_header_row = -1: must be at least 0"
    with pytest.raises(SettingsError) as info:
        Settings(custody_header_row="3")
    assert str(info.value) == "custody_header_row = '3': must be a whole number"
