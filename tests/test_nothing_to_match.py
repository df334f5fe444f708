"""Every "nothing to match" situation is one line, not a traceback (issue 13, item 2)."""

from __future__ import annotations

import cli
from tests.small_job import small_inputs


def test_a_custody_file_where_no_row_has_a_name(tmp_path, capsys):
    _, field = small_inputs(tmp_path / "in")
    custody = tmp_path / "custody.csv"
    custody.write_text("record_id,full_name,sex\nC1,,M\nC2,  ,F\nC3,,F\n")
    code = cli.main(
        [
            "match",
            "--custody",
            str(custody),
            "--field",
            str(field),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
        ]
    )
    assert code == 3
    assert capsys.readouterr().err == (
        f"error: {custody}: no usable row: all 3 rows rejected, 3 for 'no name in any name "
        "column' (first at row 2, column 'full_name')\n"
    )
    assert not (tmp_path / "o").exists()


def test_a_file_where_every_row_is_rejected_for_different_reasons(tmp_path, capsys):
    _, field = small_inputs(tmp_path / "in")
    custody = tmp_path / "custody.csv"
    custody.write_text("record_id,full_name\n,Ana Pérez\nC2,\nC2,\n")
    code = cli.main(
        [
            "match",
            "--custody",
            str(custody),
            "--field",
            str(field),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
        ]
    )
    assert code == 3
    assert capsys.readouterr().err == (
        f"error: {custody}: no usable row: all 3 rows rejected, 2 for 'no name in any name "
        "column' (first at row 3, column 'full_name')\n"
    )


def test_no_custody_record_shares_a_key_with_any_field_report(tmp_path, capsys):
    _, field = small_inputs(tmp_path / "in")
    custody = tmp_path / "custody.csv"
    custody.write_text("record_id,full_name\nC1,Zzyx Qwerty Plonk\nC2,Xavv Yuuq Prrt\n")
    code = cli.main(
        [
            "match",
            "--custody",
            str(custody),
            "--field",
            str(field),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
        ]
    )
    assert code == 3
    assert capsys.readouterr().err == (
        "error: nothing to match: none of the 2 custody records shares a blocking key with any "
        "of the 300 field reports (names, birth dates, IDs, phones)\n"
    )
