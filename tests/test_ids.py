"""Identifiers: the example table, check-digit vectors, the frame step, and properties."""

from __future__ import annotations

import contextlib
import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from linkage.schema import NORMALIZED_COLUMNS
from normalizers.ids import (
    KINDS,
    a_number,
    country,
    detect,
    gt_cui,
    hn_dni,
    implied,
    mx_curp,
    ni_cedula,
    normalize_frame,
    sv_dui,
)
from normalizers.ids.ine import is_municipality, municipalities
from tests.conftest import reference_file

DATA = Path(__file__).parent / "data"
with (DATA / "ids_examples.csv").open(encoding="utf-8") as _handle:
    EXAMPLES = list(csv.DictReader(_handle))

MODULES = [a_number, *KINDS.values()]


def test_the_table_is_large_enough():
    assert len(EXAMPLES) >= 50


@pytest.mark.parametrize("row", EXAMPLES, ids=[f"{r['value']}|{r['country']}" for r in EXAMPLES])
def test_examples(row):
    kind, compact, valid = detect(row["value"] or None, row["country"] or None)
    assert (kind or "", compact, str(valid)) == (row["kind"], row["compact"], row["valid"])
    municipality, dob, year = implied(kind, compact, valid)
    assert (municipality or "") == row["municipality"]
    assert (dob or "", str(year or "")) == (row["dob"], row["birth_year"])


def test_examples_through_the_frame():
    df = pd.DataFrame(
        {"national_id": [r["value"] or None for r in EXAMPLES]}
        | {"country": [r["country"] or None for r in EXAMPLES]},
        index=range(100, 100 + len(EXAMPLES)),
    )
    out = normalize_frame(df)
    assert out["national_id"].fillna("").tolist() == [r["compact"] for r in EXAMPLES]
    assert out["id_kind"].fillna("").tolist() == [r["kind"] for r in EXAMPLES]
    assert out["id_municipality_code"].fillna("").tolist() == [r["municipality"] for r in EXAMPLES]
    assert out["id_dob"].fillna("").tolist() == [r["dob"] for r in EXAMPLES]
    assert out["id_birth_year"].astype(object).fillna("").astype(str).tolist() == [
        r["birth_year"] for r in EXAMPLES
    ]
    expected_valid = [r["valid"] == "True" if r["compact"] else pd.NA for r in EXAMPLES]
    assert out["id_valid"].tolist() == expected_valid


# published vectors: https://lu1tr0n.github.io/nationid/ (GT_DPI and SV_DUI)
@pytest.mark.parametrize(
    "number",
    ["1234 56789 0101", "9876 54322 0101", "1000 00002 0101", "0000 00019 0101",
     "5555 55550 0101", "1122 33449 0101", "2000 00004 0101"],
)  # fmt: skip
def test_gt_cui_valid_vectors(number):
    assert gt_cui.is_valid(number)


@pytest.mark.parametrize("number", ["1234567800101", "1234567810101", "9876543200101"])
def test_gt_cui_checksum_vectors(number):
    with pytest.raises(InvalidChecksum):
        gt_cui.validate(number)


def test_gt_cui_remainder_ten_is_never_issued():
    serial = next(
        f"{n:08d}"
        for n in range(10_000_000, 10_001_000)
        if gt_cui.calc_check_digit(f"{n:08d}") == "X"
    )
    assert sum(int(d) * w for w, d in enumerate(serial, start=2)) % 11 == 10
    assert not any(gt_cui.is_valid(serial + str(d) + "0101") for d in range(10))


def test_gt_cui_components():
    assert gt_cui.municipality_code("1234 56789 0901") == "GT0901"
    with pytest.raises(InvalidComponent):
        gt_cui.validate("1234567892301")  # no department 23
    with pytest.raises(InvalidLength):
        gt_cui.validate("123456789010")
    with pytest.raises(InvalidFormat):
        gt_cui.validate("12345678901O1")
    assert gt_cui.format("1234567890101") == "1234 56789 0101"


@pytest.mark.parametrize(
    "number", ["045678903", "04567890-3", "123456784", "12345678-4", "000000000"]
)
def test_sv_dui_valid_vectors(number):
    assert sv_dui.is_valid(number)


@pytest.mark.parametrize("number", ["045678900", "123456780", "987654321"])
def test_sv_dui_checksum_vectors(number):
    with pytest.raises(InvalidChecksum):
        sv_dui.validate(number)


def test_sv_dui_lost_leading_zero_and_format():
    assert sv_dui.compact("4567890-3") == "045678903"
    assert sv_dui.format("045678903") == "04567890-3"
    with pytest.raises(InvalidLength):
        sv_dui.validate("1234567")


def test_hn_dni():
    assert hn_dni.validate("0801-1985-01234") == "0801198501234"
    assert hn_dni.municipality_code("0801198501234") == "HN0801"
    assert hn_dni.registration_year("0801198501234") == 1985
    assert hn_dni.format("0801198501234") == "0801-1985-01234"
    with pytest.raises(InvalidComponent):
        hn_dni.validate("1901198501234")  # no department 19
    with pytest.raises(InvalidComponent):
        hn_dni.validate("0801185001234")  # registered in 1850
    with pytest.raises(InvalidLength):
        hn_dni.validate("08011985012")


def test_ni_cedula():
    assert (
        ni_cedula.calc_check_letter("0010305850001") == "ABCDEFGHJKLMNPQRSTUVWXY"[10305850001 % 23]
    )
    assert ni_cedula.birth_date("001-030585-0001V").isoformat() == "1985-05-03"
    assert ni_cedula.birth_date("121-010100-0007V").isoformat() == "2000-01-01"
    assert ni_cedula.format("0010305850001v") == "001-030585-0001V"
    with pytest.raises(InvalidChecksum):
        ni_cedula.validate("001-030585-0001A")
    with pytest.raises(InvalidComponent):
        ni_cedula.validate("001-300285-0001V")  # 30 February
    with pytest.raises(InvalidFormat):
        ni_cedula.validate("001-030585-0001I")  # I is not a check letter
    with pytest.raises(InvalidLength):
        ni_cedula.validate("001-030585-0001")


def test_mx_curp():
    assert mx_curp.validate("boxw310820hnerxn09") == "BOXW310820HNERXN09"
    assert mx_curp.birth_date("PERJ020515MCSRZSA0").isoformat() == "2002-05-15"
    with pytest.raises(InvalidChecksum):
        mx_curp.validate("BOXW310820HNERXN08")


@pytest.mark.parametrize(
    ("raw", "compact", "valid"),
    [
        ("A012345678", "012345678", True),
        ("A# 012-345-678", "012345678", True),
        ("a12345678", "012345678", True),
        ("12345678", "012345678", True),
        ("1234567", "001234567", True),
        ("A-098 765 432", "098765432", True),
        ("098.765.432", "098765432", True),
        ("#098765432", "098765432", True),
        ("A 98765432", "098765432", True),
        ("A123456", "123456", False),
        ("1234567890", "1234567890", False),
        ("A000000000", "000000000", False),
        ("N/A", "NA", False),
    ],
)
def test_a_number(raw, compact, valid):
    assert a_number.compact(raw) == compact
    assert a_number.is_valid(raw) is valid


def test_a_number_format():
    assert a_number.format("12345678") == "A012-345-678"


def test_ine_codes_come_from_the_reference_list():
    codes = municipalities()
    assert sum(code.startswith("GT") for code in codes) == 340
    assert sum(code.startswith("HN") for code in codes) == 298
    assert codes["HN0801"] == "Distrito Central"
    assert not is_municipality("GT0100")  # Lake Amatitlán is no municipality


def test_ine_codes_match_the_shared_reference():
    path = reference_file("admin_pcodes_gt_hn_sv_ni_mx.csv")
    with path.open(encoding="utf-8") as handle:
        official = {
            row["P-Code"]
            for row in csv.DictReader(handle)
            if row["Admin Level"] == "2" and row["Location"] in ("GTM", "HND")
        }
    assert set(municipalities()) == official - {"GT0100", "GT0700"}


def test_normalize_frame():
    df = pd.DataFrame(
        {
            "national_id": ["1234 56789 0101", "0801-1985-01234", None, 1234567890101.0, "xx"],
            "country": ["Guatemala", "HN", "GT", None, None],
            "a_number": ["A# 12-345-678", None, 12345678.0, "A000000000", "n/a"],
        },
        index=list("abcde"),
    )
    out = normalize_frame(df)
    assert set(out.columns) == set(NORMALIZED_COLUMNS["ids"])
    assert list(out.index) == list("abcde")
    assert out["national_id"].tolist() == [
        "1234567890101", "0801198501234", pd.NA, "1234567890101", pd.NA,
    ]  # fmt: skip
    assert out["id_kind"].tolist() == ["gt_cui", "hn_dni", pd.NA, "gt_cui", pd.NA]
    assert out["id_valid"].tolist() == [True, True, pd.NA, True, pd.NA]
    assert out["id_municipality_code"].tolist() == ["GT0101", "HN0801", pd.NA, "GT0101", pd.NA]
    assert out["id_birth_year"].tolist() == [pd.NA, 1985, pd.NA, pd.NA, pd.NA]
    assert out["a_number"].tolist() == ["012345678", pd.NA, "012345678", pd.NA, pd.NA]
    assert str(out["id_valid"].dtype) == "boolean"


def test_normalize_frame_without_id_columns():
    out = normalize_frame(pd.DataFrame({"full_name": ["x"]}))
    assert out.isna().all().all()


cells = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 -./AVXHM", max_size=25),
    st.none(),
    st.floats(),
    st.integers(),
)


@settings(deadline=None)
@given(
    cells,
    st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["GT", "HN", "SV", "NI", "MX"])),
)
def test_detect_never_raises(value, country):
    kind, compact, valid = detect(value, country)
    assert kind is None or kind in KINDS
    assert valid is False or kind is not None


@settings(deadline=None)
@given(st.text(max_size=30))
def test_modules_never_raise_but_validation_errors(text):
    for module in MODULES:
        module.compact(text)
        assert isinstance(module.is_valid(text), bool)
        with contextlib.suppress(ValidationError):
            module.validate(text)


@settings(deadline=None)
@given(st.lists(st.one_of(cells, st.none()), max_size=6))
def test_normalize_frame_never_raises(values):
    out = normalize_frame(
        pd.DataFrame({"national_id": values, "a_number": values, "country": values})
    )
    assert len(out) == len(values)


@settings(deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.sampled_from(sorted(code for code in municipalities() if code.startswith("GT"))),
)
def test_generated_cuis_are_found_and_one_digit_off_fails(serial, pcode):
    check = gt_cui.calc_check_digit(serial)
    if check == "X":
        return
    number = serial + check + pcode[2:]
    assert detect(number) == ("gt_cui", number, True)
    for i in range(9):
        for digit in "0123456789":
            if digit != number[i]:
                assert not gt_cui.is_valid(number[:i] + digit + number[i + 1 :])


@settings(deadline=None)
@given(st.integers(0, 99_999_999))
def test_generated_duis_are_found(body):
    number = f"{body:08d}" + sv_dui.calc_check_digit(f"{body:08d}")
    assert detect(number, "El Salvador") == ("sv_dui", number, True)
    total = sum(int(d) * w for d, w in zip(number, [9, 8, 7, 6, 5, 4, 3, 2, 1], strict=True))
    assert total % 10 == 0


@settings(deadline=None)
@given(st.integers(0, 10**13 - 1), st.integers(0, 12))
def test_cedula_check_letter_catches_any_one_digit_change(number, position):
    digits13 = f"{number:013d}"
    changed = (
        digits13[:position] + str((int(digits13[position]) + 1) % 10) + digits13[position + 1 :]
    )
    assert ni_cedula.calc_check_letter(digits13) != ni_cedula.calc_check_letter(changed)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Guatemala", "GT"),
        ("GUATEMALA ", "GT"),
        ("gt", "GT"),
        ("GTM", "GT"),
        ("Guate", "GT"),
        ("Guatemala C.A.", "GT"),
        ("Honduras", "HN"),
        ("HND", "HN"),
        ("República de Honduras", "HN"),
        ("El Salvador", "SV"),
        ("SLV", "SV"),
        ("San Salvador, El Salvador", "SV"),
        ("Nicaragua", "NI"),
        ("NIC", "NI"),
        ("México", "MX"),
        ("MEX", "MX"),
        ("Estados Unidos", "US"),
        ("EE. UU.", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("Mexico / Guatemala", None),
        ("Narnia", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_country_codes(text, code):
    assert country.iso2(text) == code
