"""Reject reasons: every code renders in both languages and reads back from its English text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkage.reasons import OTHER, REASONS, parse, reason_text, render, summary
from normalizers.frame import quoted

EXAMPLES = {
    "ragged_row": {"fields": "2", "header": "11"},
    "empty_record_id": {},
    "duplicate_record_id": {"value": "'C1'", "first": "2"},
    "no_name": {},
    "unreadable_value": {"column": "removal_date", "value": "'ayer'"},
    "age_out_of_range": {"value": "'-3'"},
    "ambiguous_sex": {"value": "'M'"},
    "lost_character": {"value": "'CASTA\ufffdEDA'"},
    "undecodable_byte": {"value": "'CASTA\\x81EDA'", "byte": "81"},
}


def test_every_code_has_an_example():
    assert set(EXAMPLES) == set(REASONS)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_every_reason_reads_back_from_its_english_text(code):
    assert parse(reason_text(code, EXAMPLES[code])) == (code, EXAMPLES[code])


def test_reasons_in_spanish():
    assert [render(c, EXAMPLES[c], "es") for c in sorted(EXAMPLES)] == [
        "la edad no es un número entero de años de 0 a 120; valor ignorado ('-3')",
        "'M' puede ser masculino o mujer (la fuente no escribe ni H ni F y el primer nombre no "
        'lo aclara): ponga sex_m = "male" o "female" en la configuración',
        "record_id repetido 'C1' (ya en la fila 2)",
        "record_id vacío",
        "'CASTA\ufffdEDA' contiene U+FFFD, un carácter perdido antes de que llegara el archivo",
        "ninguna columna de nombre trae un nombre",
        "la fila tiene 2 campos y el encabezado 11",
        "'CASTA\\x81EDA' contiene el byte 0x81, que no es ni UTF-8 ni Windows-1252",
        "no se puede leer la fecha de deportación; valor ignorado ('ayer')",
    ]
    assert summary("duplicate_record_id", EXAMPLES["duplicate_record_id"], "es") == (
        "record_id repetido"
    )


def test_a_reason_without_a_template_is_shown_as_written():
    assert parse("the file is UTF-16") == (OTHER, {"text": "the file is UTF-16"})
    assert render(OTHER, {"text": "the file is UTF-16"}, "es") == "the file is UTF-16"


@given(st.text(max_size=60))
def test_any_quoted_value_reads_back(value):
    params = {"column": "birth_date", "value": quoted(value)}
    assert parse(reason_text("unreadable_value", params)) == ("unreadable_value", params)


def test_a_garbled_value_reason_reads_back_and_renders_in_spanish():
    from linkage.decoding import garbled_reason

    code, params = parse(garbled_reason("CASTA\x81EDA"))
    assert code == "undecodable_byte"
    assert render(code, params, "es") == (
        "'CASTA\\x81EDA' contiene el byte 0x81, que no es ni UTF-8 ni Windows-1252"
    )
    code, params = parse(garbled_reason("CASTA\ufffdEDA"))
    assert (code, render(code, params, "es")) == (
        "lost_character",
        "'CASTA\ufffdEDA' contiene U+FFFD, un carácter perdido antes de que llegara el archivo",
    )
