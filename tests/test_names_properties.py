"""Property tests: any input parses without error, and parsing is a fixed point of itself."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from linkage.comparisons.base import MISSING
from linkage.comparisons.names import NameComparison
from linkage.comparisons.run import pair_frame
from normalizers.names import canonical_name, normalize_frame, parse, phonetic_key

NAME_WORDS = st.sampled_from(
    [
        "María",
        "JOSE",
        "de",
        "la",
        "los",
        "del",
        "y",
        "vda.",
        "viuda",
        "Jr",
        "Sr.",
        "Doña",
        "García",
        "LOPEZ",
        "Ca'al",
        "Tzoc",
        "Ixcoy",
        "Ángeles",
        "Carmen",
        "Chepe",
        "(Chayo)",
        "J.",
        "M",
        ",",
        "-",
        "GARCIA-LOPEZ",
        "hijo",
        "Xicará",
        "Pérez",
        '"Lupe"',
        "alias",
        "Luis",
        "León",
        "Cruz",
        "ñ",
        "'",
        "123",
        "Ma.",
        "de los",
        "Jesús",
    ]  # fmt: skip
)
NAMEISH = st.lists(NAME_WORDS, max_size=8).map(" ".join)
CELLS = st.one_of(
    st.none(),
    st.just(math.nan),
    st.just(pd.NA),
    st.integers(),
    st.floats(),
    st.text(),
    NAMEISH,
)


def _parts(p):
    return (p.given, p.paternal, p.maternal)


@settings(max_examples=300, deadline=None)
@given(CELLS, CELLS, CELLS, CELLS)
def test_any_cells_parse(full, given_names, paternal, maternal):
    p = parse(full, given_names, paternal, maternal)
    assert 0.0 <= p.confidence <= 1.0
    assert all(isinstance(x, str) for x in (*_parts(p), p.original, p.nickname, p.married))
    assert isinstance(canonical_name(full), str)
    assert isinstance(phonetic_key(full), str)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), NAMEISH))
def test_parsing_the_canonical_form_changes_nothing(text):
    p = parse(text)
    again = parse(p.canonical)
    assert (*_parts(again), again.married, again.nickname) == (
        *_parts(p),
        p.married,
        p.nickname,
    )


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), NAMEISH), st.one_of(st.text(), NAMEISH), st.one_of(st.text(), NAMEISH))
def test_parsing_parsed_parts_changes_nothing(given_names, paternal, maternal):
    p = parse(None, given_names, paternal, maternal)
    # on purpose, a given-name column is read as the whole name when it holds several words and
    # no surname column is filled, or when it repeats the surnames
    assume(p.paternal or len(p.given.split()) <= 1)
    assume(not set(p.given.split()) & set(f"{p.paternal} {p.maternal}".split()))
    again = parse(None, p.given, p.paternal, p.maternal)
    assert _parts(again) == _parts(p)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), NAMEISH))
def test_canonical_name_is_idempotent(text):
    once = canonical_name(text)
    assert canonical_name(once) == once


@settings(max_examples=50, deadline=None)
@given(st.lists(CELLS, max_size=6))
def test_normalize_frame_never_raises(cells):
    df = pd.DataFrame({"full_name": pd.Series(cells, dtype=object)})
    out = normalize_frame(df)
    assert out.index.equals(df.index)
    assert not (out.drop(columns="name_confidence") == "").any().any()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NAMEISH, NAMEISH), min_size=1, max_size=5))
@example([("Rosa vda. de Morales", "")])  # a widow known only by her husband's name
@example([("María vda. de los María", "")])  # the case that once made this test flaky
@example([("Rosa", "Rosa vda. de Morales")])
def test_comparison_is_total_and_symmetric(pairs_of_names):
    cmp = NameComparison()
    left = normalize_frame(pd.DataFrame({"full_name": [a for a, _ in pairs_of_names]}))
    right = normalize_frame(pd.DataFrame({"full_name": [b for _, b in pairs_of_names]}))
    forward = cmp.levels_of(pair_frame(left, right, cmp.columns))
    backward = cmp.levels_of(pair_frame(right, left, cmp.columns))
    assert forward.tolist() == backward.tolist()
    assert all(MISSING <= level < len(cmp.levels) for level in forward)
    same = cmp.levels_of(pair_frame(left, left, cmp.columns))
    # a name reaches exact_full_name with itself when it has a given name and a surname; a
    # widow's married name ("Rosa vda. de Morales") stands for the surname she lacks
    surname = left["paternal"].notna() | left["married_surname"].notna()
    complete = (left["given"].notna() & surname).tolist()
    assert [lv == 0 for lv in same] == complete


def test_a_widow_known_by_her_husbands_name_matches_herself_exactly():
    cmp = NameComparison()
    names = normalize_frame(pd.DataFrame({"full_name": ["Rosa vda. de Morales", "Rosa"]}))
    assert names[["given", "paternal", "married_surname"]].values.tolist() == [
        ["rosa", None, "morales"],
        ["rosa", None, None],
    ]
    levels = cmp.levels_of(pair_frame(names, names, cmp.columns)).tolist()
    assert [cmp.levels[lv].name if lv >= 0 else "missing" for lv in levels] == [
        "exact_full_name",
        "missing",
    ]
