"""Files as people make them: odd quotes, encodings and spreadsheets (issue 13, items 3-5)."""

from __future__ import annotations

import pytest

from linkage.errors import InputError
from linkage.io import read_records


def _rows(n: int) -> list[str]:
    return [f"F{i:04d},Persona Inventada {i},Cobán" for i in range(1, n + 1)]


def test_an_unterminated_quote_is_reported_where_it_opened(tmp_path):
    rows = _rows(300)
    rows[150] = 'F0151,"Juan López,Tactic'  # spreadsheet row 152; the quote never closes
    path = tmp_path / "field.csv"
    path.write_text("record_id,full_name,place\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records(path)
    assert str(caught.value) == (
        f"{path}, row 152, column 'full_name': a quote (\") opens here and is never closed: the "
        "149 lines after it would be read as one value; close or remove the quote"
    )


def test_a_quoted_value_with_a_line_break_is_still_read(tmp_path):
    path = tmp_path / "field.csv"
    path.write_text('record_id,full_name,place\nF1,"Ana\nPérez",Cobán\nF2,Juan,"Tac\ntic"\n')
    read = read_records(path)
    assert read.records[["record_id", "full_name", "place", "source_row"]].values.tolist() == [
        ["F1", "Ana\nPérez", "Cobán", 3],
        ["F2", "Juan", "Tac\ntic", 5],
    ]
