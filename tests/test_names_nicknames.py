"""The nickname table: its shape and the forms the issue names."""

from __future__ import annotations

import csv

import pytest

from normalizers.nicknames import given_name_forms, nickname_table, representative_form
from normalizers.resources import data_path
from normalizers.text import fold


def _rows():
    with open(data_path("names", "nicknames.csv"), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_table_shape():
    rows = _rows()
    assert set(rows[0]) >= {"nickname", "formal", "sex", "source"}
    assert {r["sex"] for r in rows} == {"M", "F"}
    assert {r["source"] for r in rows} == {
        "hypocorism",
        "spelling_variant",
        "english_equivalent",
        "abbreviation",
    }
    pairs = [(fold(r["nickname"]), fold(r["formal"]), r["sex"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert all(n != f for n, f, _ in pairs)


def test_at_least_300_spanish_forms():
    spanish = {fold(r["nickname"]) for r in _rows() if r["source"] != "english_equivalent"}
    assert len(spanish) >= 300


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        ("Chepe", "jose"),
        ("Pepe", "jose"),
        ("Chema", "jose maria"),
        ("Chayo", "rosario"),
        ("Lupe", "guadalupe"),
        ("Chuy", "jesus"),
        ("Chucho", "jesus"),
        ("Memo", "guillermo"),
        ("Toño", "antonio"),
        ("Nacho", "ignacio"),
        ("Paco", "francisco"),
        ("Pancho", "francisco"),
        ("Beto", "alberto"),
        ("Beto", "roberto"),
        ("Beto", "humberto"),
        ("Chabela", "isabel"),
        ("Pancha", "francisca"),
        ("Chepa", "josefa"),
        ("Joseph", "jose"),
        ("Mary", "maria"),
        ("William", "guillermo"),
        ("Bill", "guillermo"),
        ("Mª", "maria"),
    ],
)
def test_issue_forms(nickname, formal):
    assert formal in given_name_forms(nickname)


def test_forms_include_the_name_itself_and_fold():
    assert given_name_forms("TOÑO") == given_name_forms("tono") == frozenset({"tono", "antonio"})
    assert given_name_forms("Eulogio") == frozenset({"eulogio"})
    assert given_name_forms(None) == frozenset()


def test_representative_form():
    assert representative_form("Memo") == "guillermo"
    assert representative_form("Beto") == "beto"  # ambiguous: Alberto, Roberto, Humberto...
    assert representative_form("María") == "maria"


def test_table_is_keyed_by_folded_forms():
    assert all(key == fold(key) for key in nickname_table())
