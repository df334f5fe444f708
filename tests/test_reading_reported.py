"""How each file was read is said on the console, in manifest.json and in report.html: the
encoding, rows re-decoded, the sheet, the header row and the columns left unused (issue 13,
items 3 and 5)."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest
from openpyxl import Workbook

import cli
from linkage.review import load_job
from tests.html_text import visible_text
from tests.small_job import quick_config, small_inputs


def _custody_workbook(csv_path: Path, path: Path) -> Path:
    """The custody CSV as the second sheet of a workbook, under a title, with a column more."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    book = Workbook()
    book.active.title = "Resumen"
    book.active.append(["Casos", len(rows)])
    sheet = book.create_sheet("Casos")
    sheet.append(["Casos de padres deportados — informe mensual"])
    sheet.append([])
    sheet.append([*header, "Fecha visita"])
    for row in rows:
        sheet.append([*row, None])
    book.save(path)
    return path


def _mixed_field(csv_path: Path, path: Path) -> int:
    """The field CSV with every fifth record pasted in Windows-1252 and an "Obs." column;
    returns how many pasted rows hold accented letters."""
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    out = [(lines[0] + ",Obs.\n").encode("utf-8")]
    pasted = 0
    for i, line in enumerate(lines[1:]):
        text = line + ",\n"
        if i % 5 == 0:
            out.append(text.encode("cp1252"))
            pasted += not text.isascii()
        else:
            out.append(text.encode("utf-8"))
    path.write_bytes(b"".join(out))
    return pasted


def test_the_job_says_how_it_read_each_file(tmp_path, caplog):
    custody_csv, field_csv = small_inputs(tmp_path / "in")
    custody = _custody_workbook(custody_csv, tmp_path / "custody.xlsx")
    field = tmp_path / "field.csv"
    pasted = _mixed_field(field_csv, field)
    assert pasted > 10
    out = tmp_path / "out"
    caplog.set_level(logging.INFO, logger="reencuentro")
    argv = ["match", "--custody", str(custody), "--field", str(field), "--out", str(out)]
    config = ["--config", str(quick_config(tmp_path)), "--custody-sheet", "Casos", "--quiet"]
    assert cli.main([*argv, *config]) == 0

    inputs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    reading_keys = ["encoding", "rows_redecoded", "redecoded_as", "values_repaired", "sheet"]
    assert {k: inputs["custody"][k] for k in [*reading_keys, "header_row"]} == {
        "encoding": None,
        "rows_redecoded": 0,
        "redecoded_as": None,
        "values_repaired": 0,
        "sheet": "Casos",
        "header_row": 3,
    }
    assert inputs["custody"]["ignored_columns"] == [
        {"header": "Fecha visita", "suggestion": "report_date"}
    ]
    assert inputs["custody"]["rows"]["rows_read"] == 30
    assert {k: inputs["field"][k] for k in [*reading_keys, "header_row"]} == {
        "encoding": "utf-8",
        "rows_redecoded": pasted,
        "redecoded_as": "cp1252",
        "values_repaired": 0,
        "sheet": None,
        "header_row": 1,
    }
    assert inputs["field"]["ignored_columns"] == [{"header": "Obs.", "suggestion": None}]

    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ("INFO", "custody: read as sheet 'Casos', headers in row 3") in messages
    assert ("WARNING", f"field: read as utf-8, {pasted} rows re-decoded as cp1252") in messages
    assert (
        "WARNING",
        "custody: ignored columns 'Fecha visita' (closest known column: report_date); "
        "map them with --mapping if they matter",
    ) in messages
    assert (
        "WARNING",
        "field: ignored columns 'Obs.'; map them with --mapping if they matter",
    ) in messages

    report = visible_text((out / "report.html").read_text(encoding="utf-8"))
    assert "Lectura: hoja Casos; encabezados en la fila 3" in report
    assert f"Lectura: leído como utf-8; {pasted} filas decodificadas como cp1252" in report
    assert "Columnas ignoradas (1). Para usarlas, asígnelas con --mapping." in report
    assert "Fecha visita: la columna conocida más parecida: report_date" in report

    rejects = (out / "rejects.csv").read_text(encoding="utf-8-sig")
    assert rejects == "file,row,column,reason,reason_es,code,kind\n"

    # review reopens the same sheet, below the same title rows
    job = load_job(out)
    assert (len(job.custody), len(job.field)) == (30, 300)


def test_cli_reading_options_reach_the_job(tmp_path, monkeypatch):
    seen = {}

    def fake_run_job(custody, field, outdir, settings, **options):
        seen.update(settings=settings, **options)
        raise SystemExit(0)

    monkeypatch.setattr("linkage.job.run_job", fake_run_job)
    argv = ["match", "--custody", "c.xlsx", "--field", "f.xls", "--out", str(tmp_path / "o")]
    options = ["--sheet", "Hoja1", "--field-sheet", "Visitas", "--header-row", "3"]
    with pytest.raises(SystemExit):
        cli.main([*argv, *options])
    assert (seen["sheet"], seen["custody_sheet"], seen["field_sheet"]) == ("Hoja1", None, "Visitas")
    settings = seen["settings"]
    assert (settings.custody_header_row, settings.field_header_row) == (3, 3)


def test_a_header_row_below_one_is_a_usage_error(tmp_path, capsys):
    argv = ["match", "--custody", "c.csv", "--field", "f.csv", "--out", str(tmp_path / "o")]
    with pytest.raises(SystemExit) as info:
        cli.main([*argv, "--header-row", "0"])
    assert info.value.code == 2
    assert "argument --header-row: 0 is less than 1" in capsys.readouterr().err
