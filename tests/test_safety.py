import csv
import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from linkage.reports.safety import TRIGGERS, neutralise, neutralise_frame


def test_every_trigger_is_quoted():
    for trigger in TRIGGERS:
        assert neutralise(f"{trigger}cmd|' /C calc'!A0") == f"'{trigger}cmd|' /C calc'!A0"


def test_leading_spaces_do_not_hide_a_formula():
    assert neutralise("  =1+1") == "'  =1+1"


def test_plain_text_numbers_and_missing_are_untouched():
    assert neutralise("Aldea El Rosario") == "Aldea El Rosario"
    assert neutralise("a=b") == "a=b"
    assert neutralise(-4) == -4
    assert neutralise(0.5) == 0.5
    assert neutralise(None) is None


def test_frame_neutralises_cells_and_headers_but_not_numbers():
    df = pd.DataFrame({"=cmd": ["=1+1", "ok", None], "n": [-1, 2, 3]})
    out = neutralise_frame(df)
    assert list(out.columns) == ["'=cmd", "n"]
    assert out["'=cmd"].tolist()[:2] == ["'=1+1", "ok"]
    assert out["'=cmd"].isna().tolist() == [False, False, True]
    assert out["n"].tolist() == [-1, 2, 3]
    assert df.columns[0] == "=cmd", "the input frame is not modified"


@given(st.lists(st.one_of(st.text(), st.none(), st.integers(), st.floats()), min_size=1))
def test_no_csv_cell_can_start_a_formula(values):
    df = neutralise_frame(pd.DataFrame({"value": pd.Series(values, dtype=object)}))
    buffer = io.StringIO()
    df.to_csv(buffer, index=False)
    for row in csv.reader(io.StringIO(buffer.getvalue(), newline="")):
        for cell in row:
            assert not cell.lstrip(" ").startswith(TRIGGERS) or _is_number(cell)


@given(st.text())
def test_neutralising_twice_changes_nothing(text):
    assert neutralise(neutralise(text)) == neutralise(text)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_workbook_cells_keep_risky_text_as_text(tmp_path):
    from openpyxl import Workbook, load_workbook

    from linkage.reports.safety import set_cell

    wb = Workbook()
    values = ["=1+1", "+502 5555 1234", "-x", "@A1", "\tcmd", "plain", 3]
    set_cell(wb.active.cell(row=2, column=1), "Ana\x1b\x00 López")
    for col, value in enumerate(values, start=1):
        set_cell(wb.active.cell(row=1, column=col), value)
    wb.save(tmp_path / "cells.xlsx")
    cells = list(load_workbook(tmp_path / "cells.xlsx").active[1])
    assert [c.value for c in cells] == values
    assert [c.data_type for c in cells] == ["s"] * 6 + ["n"]
    assert [bool(c.quotePrefix) for c in cells] == [True] * 5 + [False] * 2
    assert load_workbook(tmp_path / "cells.xlsx").active["A2"].value == "Ana López"
