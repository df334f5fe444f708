"""Rows of an Excel workbook: ``.xlsx``/``.xlsm`` (openpyxl) and legacy ``.xls`` (xlrd).

Each reader returns the sheet's name and its non-blank rows with the row number the spreadsheet
shows (1-based), so that a header below title rows keeps its place.
"""

from __future__ import annotations

from pathlib import Path

from linkage.errors import InputError
from normalizers.text import is_missing

Rows = list[tuple[int, list]]


def _blank(values: list | tuple) -> bool:
    return all(is_missing(v) or (isinstance(v, str) and not v.strip()) for v in values)


def _pick(path: Path, names: list[str], sheet: str | None) -> str:
    if sheet is None:
        return names[0]
    if sheet not in names:
        raise InputError(path, f"no sheet named {sheet!r} (sheets: {', '.join(names)})")
    return sheet


def read_xlsx_rows(path: Path, sheet: str | None) -> tuple[str, Rows]:
    """The sheet named ``sheet`` (default: the first) of an ``.xlsx`` workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(path, f"cannot open as an Excel workbook: {exc}") from None
    try:
        name = _pick(path, book.sheetnames, sheet)
        it = book[name].iter_rows(min_row=1, values_only=True)
        rows = [(i, list(r)) for i, r in enumerate(it, start=1) if not _blank(r)]
    finally:
        book.close()
    return name, rows


def read_xls_rows(path: Path, sheet: str | None) -> tuple[str, Rows]:
    """The sheet named ``sheet`` (default: the first) of a legacy ``.xls`` workbook (Excel
    97-2003); dates come back as dates, whole numbers as whole numbers."""
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as exc:  # xlrd raises many kinds for a broken file
        raise InputError(
            path, f"cannot open as an Excel 97-2003 workbook ({exc}): save it as .xlsx"
        ) from None
    try:
        name = _pick(path, book.sheet_names(), sheet)
        ws = book.sheet_by_name(name)
        rows = []
        for i in range(ws.nrows):
            values = [_xls_value(c, book.datemode) for c in ws.row(i)]
            if not _blank(values):
                rows.append((i + 1, values))
    finally:
        book.release_resources()
    return name, rows


def _xls_value(cell: object, datemode: int) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value
