"""Resolution of written places: real-format examples, frame normalization, robustness."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.schema import NORMALIZED_COLUMNS
from normalizers.places import (
    canonical_community,
    department_name,
    gazetteer,
    municipality_name,
    normalize_frame,
    resolve,
)

CASES = pd.read_csv(
    Path(__file__).parent / "data" / "places_cases.csv", dtype=str, keep_default_na=False
)
INPUTS = ["country", "department", "municipality", "community", "place"]


def case_id(case: dict) -> str:
    return case["place"] or "/".join(case[c] for c in INPUTS if case[c]) or "empty"


@pytest.mark.parametrize("case", CASES.to_dict("records"), ids=case_id)
def test_resolve_examples(case):
    match = resolve(*(case[c] or None for c in INPUTS))
    got = (
        match.country or "",
        match.department_code or "",
        match.municipality_code or "",
        match.community or "",
        str(int(match.ambiguous)),
    )
    expected = tuple(
        case[c]
        for c in (
            "exp_country",
            "exp_department_code",
            "exp_municipality_code",
            "exp_community",
            "exp_ambiguous",
        )
    )
    assert got == expected


def test_examples_table_is_large_enough():
    assert len(CASES) >= 150


def test_exact_official_names_are_fully_confident():
    match = resolve(country="Guatemala", department="Sololá", municipality="Panajachel")
    assert (match.municipality_code, match.confidence) == ("GT0710", 1.0)


def test_misspelling_lowers_confidence():
    exact = resolve(municipality="Quetzaltenango").confidence
    misspelt = resolve(municipality="Quetsaltenango").confidence
    assert 0.5 < misspelt < exact


def test_ambiguous_municipality_lists_alternatives_and_keeps_common_levels():
    match = resolve(country="Guatemala", municipality="San Pedro Sacatepéquez")
    assert match.municipality_code is None
    assert match.ambiguous
    assert match.alternatives == ("GT0109", "GT1202")
    assert match.country == "GT"


def test_seat_coordinates_come_with_the_municipality():
    match = resolve(municipality="Tegucigalpa")
    assert match.municipality_code == "HN0801"
    assert match.lat == pytest.approx(14.1, abs=0.1)
    assert match.lon == pytest.approx(-87.2, abs=0.1)


def test_nothing_recognised_gives_zero_confidence():
    match = resolve(place="   ")
    assert (match.country, match.confidence, match.community) == (None, 0.0, None)


def test_unknown_words_become_the_community():
    match = resolve(country="Honduras", community="Caserío El Zapote")
    assert (match.country, match.community) == ("HN", "el zapote")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aldea  San José", "san jose"),
        ("CASERIO LOS PLANES", "los planes"),
        ("Cantón El Rosario", "el rosario"),
        ("Col. Kennedy", "kennedy"),
        ("Bo. El Centro", "el centro"),
        ("colonia", None),
        (None, None),
    ],
)
def test_canonical_community(text, expected):
    assert canonical_community(text) == expected


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("GT09", "Quetzaltenango"),
        ("GT07", "Sololá"),
        ("GT08", "Totonicapán"),
        ("GT17", "Petén"),
        ("HN04", "Copán"),
        ("HN16", "Santa Bárbara"),
        ("SV14", "Usulután"),
        ("NI35", "León"),
        ("MX16", "Michoacán de Ocampo"),
        ("MX09", "Ciudad de México"),
        ("USTX", "Texas"),
        ("gt13", "Huehuetenango"),
        ("XX99", None),
        (None, None),
    ],
)
def test_department_name(code, name):
    assert department_name(code) == name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("GT0901", "Quetzaltenango"),
        ("GT1601", "Cobán"),
        ("HN0501", "San Pedro Sula"),
        ("HN0801", "Distrito Central"),
        ("SV0510", "Santa Tecla"),
        ("MX09007", "Iztapalapa"),
        ("GT0100", None),
        (float("nan"), None),
    ],
)
def test_municipality_name(code, name):
    assert municipality_name(code) == name


def test_gazetteer_is_a_copy():
    table = gazetteer()
    table.loc[:, "municipality"] = "x"
    assert municipality_name("GT0901") == "Quetzaltenango"
    assert gazetteer().municipality.iloc[0] != "x"


def test_normalize_frame_columns_index_and_missing():
    raw = pd.DataFrame(
        {
            "country": ["Guatemala", "Guatemala", None, "USA"],
            "municipality": ["Xela", "Xela", None, None],
            "community": ["Aldea Chuicavioc", "Aldea Chuicavioc", None, None],
            "unrelated": [1, 2, 3, 4],
        },
        index=[10, 11, 12, 13],
    )
    out = normalize_frame(raw)
    assert list(out.columns) == list(NORMALIZED_COLUMNS["places"])
    assert list(out.index) == [10, 11, 12, 13]
    assert out.loc[10, "municipality_code"] == "GT0901"
    assert out.loc[10, "community"] == "chuicavioc"
    assert out.loc[11].equals(out.loc[10])
    assert out.loc[12].isna().all()
    assert out.loc[13, "country"] == "US"
    assert out.loc[13, ["department_code", "lat"]].isna().all()


def test_normalize_frame_without_place_columns():
    out = normalize_frame(pd.DataFrame({"full_name": ["A B"]}))
    assert list(out.columns) == list(NORMALIZED_COLUMNS["places"])
    assert out.isna().all().all()


def test_normalize_frame_place_column_and_state_names():
    raw = pd.DataFrame({"place": ["Houston, Texas", "SPS", "Guate"]})
    out = normalize_frame(raw)
    assert out.country.tolist() == ["US", "HN", "GT"]
    assert out.department_code.tolist()[:2] == ["USTX", "HN05"]


def test_normalize_frame_resolves_each_distinct_tuple_once(monkeypatch):
    import normalizers.places as places

    calls = []
    real = places.resolve

    def counting(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(places, "resolve", counting)
    places.normalize_frame(pd.DataFrame({"municipality": ["Xela", "Xela", "Tegus", None, None]}))
    assert len(calls) == 3


cells = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.floats(allow_nan=True),
    st.integers(),
    st.sampled_from(["Xela", "San José", "La Unión, ", "aldea", "depto. de", ", , ,", "ÑÜ’"]),
)


@settings(max_examples=150, deadline=None)
@given(cells, cells, cells, cells, cells)
def test_resolve_never_raises(country, department, municipality, community, place):
    match = resolve(country, department, municipality, community, place)
    assert 0.0 <= match.confidence <= 1.0
    assert match.lat is None or not math.isnan(match.lat)


@settings(max_examples=100, deadline=None)
@given(cells)
def test_names_never_raise(code):
    assert department_name(code) is None or isinstance(department_name(code), str)
    assert municipality_name(code) is None or isinstance(municipality_name(code), str)
    assert canonical_community(code) is None or isinstance(canonical_community(code), str)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), max_size=5))
def test_normalize_frame_never_raises(rows):
    raw = pd.DataFrame(rows, columns=["country", "municipality", "place"], dtype=object)
    out = normalize_frame(raw)
    assert len(out) == len(raw)
