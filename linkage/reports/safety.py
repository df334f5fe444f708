"""Keep spreadsheet cells inert: no value written to a CSV or XLSX file can run as a formula.

A spreadsheet program reads a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV/formula injection). In a CSV such text gets a leading single quote
(:func:`neutralise`), which keeps it from running. In a workbook it is stored as a text cell with
the spreadsheet's own quote prefix (:func:`set_cell`): it reads as written ("+502 5555 1234"),
and stays text even when someone edits the cell. Numbers, dates and missing values are untouched.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("+502 5555 1234")
"'+502 5555 1234"
>>> neutralise("María García")
'María García'
>>> neutralise(-3.5)
-3.5
"""

from __future__ import annotations

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

#: first characters that make a spreadsheet cell a formula
TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet could run as a formula.

    Leading spaces do not hide a trigger: ``" =1+1"`` is risky too.
    """
    return isinstance(value, str) and value.lstrip(" ").startswith(TRIGGERS)


def neutralise(value: object) -> object:
    """``value`` with a single quote in front when it is text that could run as a formula."""
    return "'" + value if is_risky(value) else value


def set_cell(cell: Cell, value: object) -> None:
    """Put ``value`` in an openpyxl cell so that it cannot run as a formula.

    Risky text is stored as a string (never a formula) with the quote-prefix style. Control
    characters a workbook cannot hold (all but tab, line feed and carriage return) are dropped.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if is_risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column headers are all neutralised.

    >>> neutralise_frame(pd.DataFrame({"=x": ["@SUM(A1)", 7]})).to_dict("list")
    {"'=x": ["'@SUM(A1)", 7]}
    """
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col])):
            continue
        out[col] = out[col].map(neutralise, na_action="ignore")
    out.columns = [neutralise(c) for c in out.columns]
    return out
