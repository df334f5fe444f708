"""Phone numbers: the example table, the frame step, and properties."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.schema import NORMALIZED_COLUMNS
from normalizers.phones import Phone, normalize_frame, parse_phones

DATA = Path(__file__).parent / "data"
with (DATA / "phones_examples.csv").open(encoding="utf-8") as _handle:
    EXAMPLES = list(csv.DictReader(_handle))


def test_the_table_is_large_enough():
    assert len(EXAMPLES) >= 50


@pytest.mark.parametrize("row", EXAMPLES, ids=[f"{r['text']}|{r['country']}" for r in EXAMPLES])
def test_examples(row):
    phones = parse_phones(row["text"] or None, row["country"] or None)
    assert ";".join(p.e164 for p in phones if p.e164) == row["e164"]
    assert ";".join(p.national for p in phones) == row["keys"]


def test_phone_fields():
    assert parse_phones("+502 5555 1234") == [
        Phone(national="55551234", e164="+50255551234", region="GT")
    ]
    assert parse_phones("+502 5555 1234")[0].valid
    assert parse_phones("713.555.0123", "Guatemala") == [Phone(national="7135550123")]
    assert not parse_phones("713.555.0123", "Guatemala")[0].valid
    # possible (right length) but in no assigned range
    assert not parse_phones("+502 0555 1234")[0].valid


def test_numeric_cells():
    assert [p.e164 for p in parse_phones(50255551234.0)] == ["+50255551234"]
    assert [p.e164 for p in parse_phones(55551234, "GT")] == ["+50255551234"]


def test_a_number_under_the_wrong_country_keeps_its_key():
    # a Honduran mobile recorded in a Guatemalan record: the key still matches
    wrong = parse_phones("9999-8888", "Guatemala")[0]
    right = parse_phones("+504 9999 8888")[0]
    assert wrong.national == right.national == "99998888"


def test_normalize_frame():
    df = pd.DataFrame(
        {
            "phone": ["cel. 5555-1234 / 4444-5678", None, "713.555.0123", "no tiene", "8888 7777"],
            "country": ["Guatemala", "GT", "GT", "HN", "Nicaragua"],
        },
        index=[5, 6, 7, 8, 9],
    )
    out = normalize_frame(df)
    assert tuple(out.columns) == NORMALIZED_COLUMNS["phones"]
    assert list(out.index) == [5, 6, 7, 8, 9]
    assert out["phones"].tolist() == [
        "+50255551234;+50244445678", pd.NA, pd.NA, pd.NA, "+50588887777",
    ]  # fmt: skip
    assert out["phone_keys"].tolist() == [
        "55551234;44445678", pd.NA, "7135550123", pd.NA, "88887777",
    ]  # fmt: skip


def test_normalize_frame_without_phone_column():
    out = normalize_frame(pd.DataFrame({"country": ["GT"]}, index=[3]))
    assert tuple(out.columns) == NORMALIZED_COLUMNS["phones"]
    assert list(out.index) == [3]
    assert out.isna().all().all()


cells = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789 +-()/;y", max_size=40),
    st.none(),
    st.floats(),
    st.integers(),
)
countries = st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["GT", "HN", "MX", "US"]))


@settings(deadline=None)
@given(cells, countries)
def test_parse_phones_never_raises(value, country):
    for phone in parse_phones(value, country):
        assert phone.national.isdigit()
        assert 7 <= len(phone.national) <= 15
        assert phone.e164 is None or phone.e164.startswith("+")


@settings(deadline=None)
@given(st.lists(cells, max_size=6), countries)
def test_normalize_frame_never_raises(values, country):
    out = normalize_frame(pd.DataFrame({"phone": values, "country": country}))
    assert len(out) == len(values)


@settings(deadline=None)
@given(st.integers(2000_0000, 7999_9999), st.sampled_from(["502", "503", "504", "505"]))
def test_every_way_of_writing_a_number_gives_one_key(number, code):
    local = str(number)
    writings = [
        f"{local[:4]}-{local[4:]}",
        f"+{code} {local}",
        f"00{code} {local}",
        f"011 {code} {local[:4]} {local[4:]}",
        f"{code}{local}",
        f"({code}) {local[:4]}-{local[4:]}",
    ]
    region = {"502": "GT", "503": "SV", "504": "HN", "505": "NI"}[code]
    keys = {tuple(p.national for p in parse_phones(w, region)) for w in writings}
    assert keys == {(local,)}
