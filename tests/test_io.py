"""Reading input files: formats, encodings, headers, mapping and bad input."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook

from linkage.errors import InputError
from linkage.io import load_mapping, read_frame, read_records

HEADER = "Id,Nombre completo,Fecha de nacimiento,DPI,Teléfono\n"
ROW = "F1,María Muñoz,03/04/1985,1234,5555-1234\n"


def test_csv_utf8(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    read = read_records(path)
    assert read.encoding == "utf-8"
    assert read.records.loc[0, "full_name"] == "María Muñoz"
    assert read.records.loc[0, "birth_date"] == "03/04/1985"
    assert read.records.loc[0, "national_id"] == "1234"
    assert read.records.loc[0, "phone"] == "5555-1234"


def test_csv_utf8_with_bom(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes((HEADER + ROW).encode("utf-8-sig"))
    read = read_records(path)
    assert read.encoding == "utf-8-sig"
    assert read.header_map["Id"] == "record_id"
    assert read.records.loc[0, "full_name"] == "María Muñoz"


def test_csv_windows_1252_from_excel(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes((HEADER + ROW).encode("cp1252"))
    read = read_records(path)
    assert read.encoding == "cp1252"
    assert read.records.loc[0, "full_name"] == "María Muñoz"


def test_csv_semicolon_separated(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Id;Nombres;Primer apellido;Segundo apellido;Edad\nF1;José Luis;Pérez;Coc;34\n")
    record = read_records(path).records.iloc[0]
    assert (record["given_names"], record["paternal_surname"], record["maternal_surname"]) == (
        "José Luis",
        "Pérez",
        "Coc",
    )
    assert record["age"] == "34"


def test_xlsx_first_sheet_and_named_sheet(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Hoja1"
    sheet.append(["A#", "Full Name", "DOB", "ID"])
    sheet.append(["A 012-345-678", "GARCIA LOPEZ, MARIA", dt.datetime(1985, 4, 3), "C1"])
    other = book.create_sheet("Otra")
    other.append(["ID", "Name"])
    other.append(["C9", "JOSE PEREZ"])
    path = tmp_path / "c.xlsx"
    book.save(path)
    first = read_records(path).records.iloc[0]
    assert first["record_id"] == "C1"
    assert first["a_number"] == "A 012-345-678"
    assert first["birth_date"] == "1985-04-03"
    assert read_records(path, sheet="Otra").records.iloc[0]["full_name"] == "JOSE PEREZ"
    with pytest.raises(InputError, match="no sheet named 'Nope'"):
        read_records(path, sheet="Nope")


def test_parquet(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame(
        {"record_id": ["C1", "C2"], "full_name": ["ANA COC", "LUIS CUC"], "age": [30, None]}
    ).to_parquet(path)
    records = read_records(path).records
    assert records["full_name"].tolist() == ["ANA COC", "LUIS CUC"]
    assert records["age"].tolist() == ["30", None]


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Nombre completo", "full_name"),
        ("Nombres", "given_names"),
        ("Apellidos", "surnames"),
        ("Primer apellido", "paternal_surname"),
        ("Segundo apellido", "maternal_surname"),
        ("Fecha de nacimiento", "birth_date"),
        ("F. nac.", "birth_date"),
        ("Edad", "age"),
        ("Sexo", "sex"),
        ("País", "country"),
        ("Departamento", "department"),
        ("Municipio", "municipality"),
        ("Aldea", "community"),
        ("Caserío", "community"),
        ("Comunidad", "community"),
        ("Colonia", "community"),
        ("Teléfono", "phone"),
        ("Cel.", "phone"),
        ("DPI", "national_id"),
        ("CUI", "national_id"),
        ("DNI", "national_id"),
        ("DUI", "national_id"),
        ("Cédula", "national_id"),
        ("A#", "a_number"),
        ("A-Number", "a_number"),
        ("Alien number", "a_number"),
        ("Hijos", "child_names"),
        ("Fecha de deportación", "removal_date"),
        ("Date of Birth", "birth_date"),
    ],
)
def test_spanish_and_english_headers(tmp_path, header, column):
    name_header = "Nombres" if column == "full_name" else "Nombre completo"
    frame = pd.DataFrame({"ID": ["X1"], name_header: ["Ana"], header: ["v"]})
    if column == "given_names":
        frame = pd.DataFrame({"ID": ["X1"], "Nombres": ["Ana"], "Apellidos": ["Coc"]})
    read = read_frame(frame, "field")
    assert read.header_map[header] == column


def test_mapping_file_covers_other_headers(tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\n"Nombre del beneficiario" = "full_name"\n"Tel. contacto" = "phone"\n'
    )
    path = tmp_path / "f.csv"
    path.write_text("Id,Nombre del beneficiario,Tel. contacto\nF1,Ana Coc,5555 1234\n")
    record = read_records(path, load_mapping(mapping)).records.iloc[0]
    assert (record["full_name"], record["phone"]) == ("Ana Coc", "5555 1234")


def test_mapping_to_unknown_column_is_an_error(tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"X" = "shoe_size"\n')
    with pytest.raises(InputError, match="unknown column 'shoe_size'"):
        load_mapping(mapping)


def test_no_usable_name_column(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Id,Edad\nF1,30\n")
    with pytest.raises(InputError) as err:
        read_records(path)
    assert str(path) in str(err.value) and "no usable name column" in str(err.value)


def test_empty_file(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("")
    with pytest.raises(InputError, match="the file is empty"):
        read_records(path)


def test_header_only(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER)
    with pytest.raises(InputError, match="no records"):
        read_records(path)


def test_duplicate_record_id_goes_to_rejects(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + ROW + ROW.replace("María", "Ana"))
    read = read_records(path)
    assert read.records["record_id"].tolist() == ["F1"]
    reject = read.rejects.iloc[0]
    assert (reject["row"], reject["column"], reject["kind"]) == (3, "record_id", "row")
    assert reject["reason"] == "duplicate record_id 'F1' (first at row 2)"
    assert read.rows_read == 2 and read.rows_rejected == 1


def test_unreadable_row_goes_to_rejects(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + ROW + "F2,Ana,1990\n")
    read = read_records(path)
    assert read.records["record_id"].tolist() == ["F1"]
    assert read.rejects.iloc[0]["row"] == 3
    assert read.rejects.iloc[0]["reason"] == "row has 3 fields, header has 5"


def test_row_without_name_or_id_goes_to_rejects(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + ROW + "F2,,1990,,\n" + ",Ana,1990,,\n")
    read = read_records(path)
    assert read.rejects[["row", "column"]].values.tolist() == [[3, "full_name"], [4, "record_id"]]


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_records(tmp_path / "nope.csv")
    other = tmp_path / "f.json"
    other.write_text("{}")
    with pytest.raises(InputError, match="unknown file type"):
        read_records(other)


def test_both_surnames_in_one_column_reach_the_name_parser(tmp_path):
    frame = pd.DataFrame({"ID": ["X1"], "Nombres": ["Ana María"], "Apellidos": ["Coc Caal"]})
    record = read_frame(frame, "field").records.iloc[0]
    assert (record["given_names"], record["paternal_surname"]) == ("Ana María", "Coc Caal")
