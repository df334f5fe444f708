"""Mixed encodings come out as the people's names, or as rejects saying why (issue 13, item 3).

Every case is written as bytes: the names asserted are the read values and the normalized ones.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from linkage.decoding import DecodeError, decode_lines, repair_mojibake
from linkage.errors import InputError
from linkage.io import read_records
from linkage.pipeline import prepare

HEADER = "record_id,full_name,community\n"


def _read(tmp_path, raw: bytes, name: str = "field.csv"):
    path = tmp_path / name
    path.write_bytes(raw)
    read, normalized = prepare(read_records(path), "field")
    return path, read, normalized


def _rejects(read) -> list[list]:
    return read.rejects[["row", "column", "reason", "kind"]].values.tolist()


def test_utf8_file_with_rows_pasted_from_windows_1252(tmp_path):
    raw = (
        (HEADER + "F1,José Castañeda,Aldea El Ñame\n").encode("utf-8")
        + "F2,CASTAÑEDA PEÑA MARÍA,Caserío Las Lajas\n".encode("cp1252")
        + "F3,Ana Gómez,San José\n".encode()
        + "F4,Muñoz Ordóñez Luis,Cantón Xeúl\n".encode("cp1252")
    )
    _, read, normalized = _read(tmp_path, raw)
    assert read.records["full_name"].tolist() == [
        "José Castañeda",
        "CASTAÑEDA PEÑA MARÍA",
        "Ana Gómez",
        "Muñoz Ordóñez Luis",
    ]
    assert read.records["community"].tolist()[1] == "Caserío Las Lajas"
    assert normalized[["given", "paternal", "maternal"]].values.tolist() == [
        ["jose", "castaneda", None],
        ["maria", "castaneda", "pena"],
        ["ana", "gomez", None],
        ["luis", "munoz", "ordonez"],
    ]
    assert read.reading() == {
        "encoding": "utf-8",
        "rows_redecoded": 2,
        "redecoded_as": "cp1252",
        "values_repaired": 0,
        "sheet": None,
        "header_row": 1,
        "ignored_columns": [],
    }
    assert read.rejects.empty


def test_utf8_bom_before_a_latin1_body(tmp_path):
    body = "Id;Nombre completo;Aldea\nF1;CASTAÑEDA, JOSÉ;Las Cañas\nF2;Peña Ruíz, María;\n"
    _, read, normalized = _read(tmp_path, b"\xef\xbb\xbf" + body.encode("latin-1"))
    assert read.records["full_name"].tolist() == ["CASTAÑEDA, JOSÉ", "Peña Ruíz, María"]
    assert normalized["paternal"].tolist() == ["castaneda", "pena"]
    assert normalized["maternal"].tolist() == [None, "ruiz"]
    assert (read.encoding, read.rows_redecoded) == ("cp1252", 0)
    assert read.rejects.empty


def test_utf8_bom_with_a_few_latin1_rows_counts_them(tmp_path):
    raw = (
        b"\xef\xbb\xbf"
        + (HEADER + "F1,José Peña,\nF2,Ana Núñez,\n").encode("utf-8")
        + "F3,Rosa Castañeda,\n".encode("latin-1")
    )
    _, read, _ = _read(tmp_path, raw)
    assert read.records["full_name"].tolist() == ["José Peña", "Ana Núñez", "Rosa Castañeda"]
    assert (read.encoding, read.rows_redecoded, read.redecoded_as) == ("utf-8-sig", 1, "cp1252")


def test_mojibake_is_repaired_where_the_bytes_prove_it(tmp_path):
    raw = (HEADER + "F1,CASTAÃ‘EDA LÃ“PEZ JOSÃ‰,\nF2,MarÃ­a MuÃ±oz,\nF3,JOÃO SÃO BENTO,\n").encode(
        "utf-8"
    )
    _, read, normalized = _read(tmp_path, raw)
    assert read.records["full_name"].tolist() == [
        "CASTAÑEDA LÓPEZ JOSÉ",
        "María Muñoz",
        "JOÃO SÃO BENTO",  # one non-ASCII letter alone is not mojibake: left as written
    ]
    assert normalized["paternal"].tolist()[:2] == ["castaneda", "munoz"]
    assert read.values_repaired == 2


def test_mojibake_in_an_excel_cell_is_repaired(tmp_path):
    book = Workbook()
    book.active.append(["ID", "Nombre completo"])
    book.active.append(["F1", "PeÃ±a OrdÃ³Ã±ez, Rosa"])
    path = tmp_path / "field.xlsx"
    book.save(path)
    read = read_records(path)
    assert read.records["full_name"].tolist() == ["Peña Ordóñez, Rosa"]
    assert read.values_repaired == 1


def test_a_byte_neither_utf8_nor_windows_1252_rejects_its_row(tmp_path):
    raw = HEADER.encode() + b"F1,Ana L\xf3pez,\nF2,CASTA\x81EDA JUAN,\nF3,Luis Pe\xf1a,\n"
    path, read, normalized = _read(tmp_path, raw)
    assert read.records["full_name"].tolist() == ["Ana López", "Luis Peña"]
    assert normalized["paternal"].tolist() == ["lopez", "pena"]
    assert read.rejects[["file", "row", "column", "reason", "kind"]].values.tolist() == [
        [
            str(path),
            3,
            "full_name",
            "'CASTA\\x81EDA JUAN' holds byte 0x81, which is neither UTF-8 nor Windows-1252",
            "row",
        ]
    ]


def test_a_replacement_character_rejects_a_name_and_drops_another_value(tmp_path):
    raw = (HEADER + "F1,CASTA\ufffdEDA JUAN,\nF2,Luis Peña,Aldea Pe\ufffda\n").encode("utf-8")
    _, read, normalized = _read(tmp_path, raw)
    assert read.records["full_name"].tolist() == ["Luis Peña"]
    assert read.records["community"].tolist() == [None]
    assert normalized["paternal"].tolist() == ["pena"]
    assert _rejects(read) == [
        [
            2,
            "full_name",
            "'CASTA\ufffdEDA JUAN' holds U+FFFD, a character lost before the file got here",
            "row",
        ],
        [
            3,
            "community",
            "'Aldea Pe\ufffda' holds U+FFFD, a character lost before the file got here",
            "value",
        ],
    ]


@pytest.mark.parametrize("name", ["field.txt", "field.csv"])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_export(tmp_path, name, codec):
    text = (
        "Id\tNombre completo\tFecha de nacimiento\r\n"
        "F1\tCastañeda, José\t03/04/1985\r\n"
        "F2\tŌkubo Ñuñez, Ana\t1990\r\n"
    )
    raw = text.encode(codec) if codec == "utf-16" else b"\xfe\xff" + text.encode(codec)
    _, read, normalized = _read(tmp_path, raw, name)
    assert read.records["full_name"].tolist() == ["Castañeda, José", "Ōkubo Ñuñez, Ana"]
    assert read.records["birth_date"].tolist() == ["03/04/1985", "1990"]
    assert normalized["paternal"].tolist() == ["castaneda", "okubo"]
    assert read.encoding == "utf-16"


def test_broken_utf16_is_one_line(tmp_path):
    path = tmp_path / "field.txt"
    path.write_bytes(b"\xff\xfe" + "Id\tNombre\r\nF1\tAna\r\n".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(InputError) as info:
        read_records(path)
    assert str(info.value) == (
        f"{path}: the file starts with a UTF-16 byte-order mark but line 3 is not UTF-16: "
        "save it again as UTF-8 CSV"
    )


SPANISH = st.text(alphabet=st.sampled_from("abcdeñnopzABCÑÓÚ áéíóúüÁÉÍÓÚÜñÑ¿¡,.'-"), max_size=30)


def _excel_mojibake(text: str) -> str:
    """UTF-8 bytes shown as Windows-1252, undefined bytes as their Latin-1 control."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )


@given(SPANISH)
def test_spanish_text_is_never_repaired(text):
    assert repair_mojibake(text) == text


@given(SPANISH)
def test_spanish_mojibake_is_always_repaired(text):
    assert repair_mojibake(_excel_mojibake(text)) == text


@given(st.text())
def test_repair_never_crashes(text):
    assert isinstance(repair_mojibake(text), str)


@given(st.binary())
def test_any_bytes_decode_line_by_line_or_say_why(raw):
    try:
        decoded = decode_lines(raw)
    except DecodeError:
        assert raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        return
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert decoded.text.count("\n") == raw.count(b"\n")


@given(st.text())
def test_utf8_text_decodes_to_itself(text):
    assert decode_lines(text.encode("utf-8")).text == text.removeprefix("\ufeff")


_HEADERS = st.sampled_from(["Id", "Nombre completo", "Aldea", "Obs.", "", ";", '"', "\t"])


@settings(max_examples=200)
@given(
    st.lists(
        st.one_of(st.binary(max_size=40), _HEADERS.map(lambda h: h.encode("utf-8"))),
        max_size=12,
    ),
    st.sampled_from([b"\n", b",", b";", b"\t", b"\r\n"]),
)
def test_any_bytes_read_or_fail_in_one_line(parts, glue):
    raw = glue.join(parts)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "field.csv"
        path.write_bytes(b"Id,Nombre completo\n" + raw)
        try:
            read = read_records(path)
        except InputError as exc:
            assert "\n" not in str(exc).removeprefix(str(path))
            return
        names = read.records["full_name"].dropna()
        assert not names.str.contains("[\ufffd\u0080-\u009f]").any()
