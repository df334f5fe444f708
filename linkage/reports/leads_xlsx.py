"""One department's lead sheet as an XLSX workbook, for Excel and LibreOffice, on screen and paper.

Rows are as tall as their wrapped text (Excel does not grow rows a program wrote), every printed
page carries the confidentiality note in its header, probabilities show as on the HTML page
("<1%", ">99%"), and two hidden columns (``custody_id``, ``field_id``) let the "Resultado de la
visita" a field team fills in be read back (:mod:`linkage.visits`) whatever they do to the
visible columns.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from linkage.reports.safety import set_cell
from linkage.reports.xlsx import save_workbook

#: width of each visible column, in characters
WIDTHS: dict[str, int] = {
    "case": 10,
    "child": 22,
    "parent": 22,
    "parent_born": 13,
    "a_number": 12,
    "rank": 5,
    "candidate": 22,
    "surnames": 18,
    "born": 14,
    "children": 24,
    "national_id": 16,
    "probability": 11,
    "reasons": 44,
    "where": 26,
    "phones": 17,
    "field_id": 10,
    "report_date": 11,
    "organization": 20,
    "also_in": 16,
    "result": 30,
}
#: hidden columns holding the ids a visit's result is read back by (headers as written)
ID_KEYS = ("custody_id", "field_id")
#: height of one line of 11-point text, in points, and the blank around a cell's text
LINE_POINTS, PAD_POINTS = 15.0, 3.0
PERCENT_FORMAT = '[=1]"100%";[>=0.995]">99%";0%'


def percent_format(value: float) -> str:
    """The number format that shows ``value`` as :func:`linkage.reports.render.percent` does."""
    return '"<1%"' if 0 < value < 0.005 else PERCENT_FORMAT


def wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` characters wide (at least one).

    >>> wrapped_lines("Mismo nombre y ambos apellidos; mismo municipio", 20)
    3
    """
    usable = max(1, width - 1)
    return max(
        1,
        sum(
            max(1, len(textwrap.wrap(line, usable, break_on_hyphens=False)))
            for line in str(text).split("\n")
        ),
    )


def row_height(values: list[object], widths: list[int]) -> float:
    """Points a row needs for its tallest wrapped cell."""
    lines = max(
        (wrapped_lines(v, w) for v, w in zip(values, widths, strict=True) if v not in ("", None)),
        default=1,
    )
    return lines * LINE_POINTS + PAD_POINTS


def _header_footer_text(text: str) -> str:
    """Text for an Excel page header or footer: "&" escaped, within Excel's 255 characters."""
    return text.replace("&", "&&")[:250]


def _print_setup(ws: Worksheet, sheet: dict[str, str]) -> None:
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = _header_footer_text(sheet["confidential"])
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = _header_footer_text(sheet["title"])
    ws.oddFooter.right.text = f"{sheet['page']} &P / &N"


def write_xlsx(table: pd.DataFrame, path: Path, sheet: dict[str, object]) -> Path:
    """Write one department's rows of :func:`linkage.reports.leads.lead_table` to ``path``.

    ``sheet`` holds the texts: ``title``, ``columns`` (key -> header), ``confidential``,
    ``result_hint``, ``sheet`` and ``notes_sheet`` (sheet names) and ``page``.
    """
    keys = [k for k in sheet["columns"] if k in WIDTHS]
    widths = [WIDTHS[k] for k in keys]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet["sheet"]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    headers = [sheet["columns"][k] for k in keys] + list(ID_KEYS)
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        set_cell(cell, text)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    ws.row_dimensions[1].height = row_height(headers[: len(keys)], widths)
    shade = PatternFill("solid", fgColor="F3F3F3")
    line = Border(top=Side(style="thin", color="888888"))
    previous, shaded = None, False
    for r, record in enumerate(table.to_dict("records"), start=2):
        new_case = record["case"] != previous
        shaded = shaded != new_case
        previous = record["case"]
        values = [_value(record.get(k)) for k in keys] + [record[k] for k in ID_KEYS]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            set_cell(cell, value if value != "" else None)
            cell.alignment = wrap
            if shaded:
                cell.fill = shade
            if new_case:
                cell.border = line
            if col <= len(keys) and keys[col - 1] == "probability" and value != "":
                cell.number_format = percent_format(value)
        ws.row_dimensions[r].height = row_height(values[: len(keys)], widths)
    for i, width in enumerate(widths + [12] * len(ID_KEYS), start=1):
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = width
        ws.column_dimensions[letter].hidden = i > len(keys)
    _print_setup(ws, sheet)
    notes = wb.create_sheet(sheet["notes_sheet"])
    for r, text in enumerate((sheet["title"], sheet["confidential"], sheet["result_hint"]), 1):
        cell = notes.cell(row=r, column=1)
        set_cell(cell, text)
        cell.alignment = wrap
        notes.row_dimensions[r].height = row_height([text], [100])
    notes["A1"].font = bold
    notes.column_dimensions["A"].width = 100
    save_workbook(wb, path)
    return path


def _value(value: object) -> object:
    """A table value for a cell: missing values (None, NaN) are empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value
