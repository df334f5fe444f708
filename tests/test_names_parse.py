"""Parsing of Spanish-language names: orders, compounds, particles, parts columns."""

from __future__ import annotations

import pytest

from normalizers.names import canonical_name, parse


@pytest.mark.parametrize(
    ("raw", "given", "paternal", "maternal"),
    [
        ("GARCIA LOPEZ, MARIA", "maria", "garcia", "lopez"),
        ("MARIA GARCIA LOPEZ", "maria", "garcia", "lopez"),
        ("GARCIA LOPEZ MARIA", "maria", "garcia", "lopez"),
        ("MARIA GARCIA", "maria", "garcia", ""),
        ("MARIA LOPEZ-GARCIA", "maria", "lopez", "garcia"),
        ("Jose Luis Garcia Lopez", "jose luis", "garcia", "lopez"),
        ("María de los Ángeles García López", "maria de los angeles", "garcia", "lopez"),
        ("MARIA DEL CARMEN DE LA CRUZ PEREZ", "maria del carmen", "de la cruz", "perez"),
        ("José de Jesús Pérez de León", "jose de jesus", "perez", "de leon"),
        ("Ma. Guadalupe Tzoc y Caal", "ma guadalupe", "tzoc", "caal"),
        ("J. GARCIA", "j", "garcia", ""),
        ("GARCIA MARIA JOSE", "maria jose", "garcia", ""),
        ("Dr. JOSE GARCIA LOPEZ JR", "jose", "garcia", "lopez"),
    ],
)
def test_full_name_orders(raw, given, paternal, maternal):
    p = parse(raw)
    assert (p.given, p.paternal, p.maternal) == (given, paternal, maternal)


@pytest.mark.parametrize(
    ("raw", "nickname"),
    [
        ("José Tzoc Ajú (Chepe)", "chepe"),
        ('José "Chepe" Tzoc Ajú', "chepe"),
        ("José 'Chepe' Tzoc Ajú", "chepe"),
        ("José Tzoc Ajú alias Chepe", "chepe"),
        ("José Tzoc Ajú (a) Chepe", "chepe"),
        ("José Tzoc Ajú a.k.a. Chepe", "chepe"),
    ],
)
def test_nickname_notations(raw, nickname):
    p = parse(raw)
    assert (p.given, p.paternal, p.maternal, p.nickname) == ("jose", "tzoc", "aju", nickname)


def test_nickname_in_parentheses_is_kept_apart():
    p = parse("María de los Ángeles García López (Chayo)")
    assert (p.given, p.nickname, p.original) == (
        "maria de los angeles",
        "chayo",
        "María de los Ángeles García López",
    )


@pytest.mark.parametrize(
    ("raw", "paternal", "maternal", "married"),
    [
        ("Rosa Pérez vda. de Morales", "perez", "", "morales"),
        ("ROSA PEREZ VIUDA DE MORALES", "perez", "", "morales"),
        ("María López de García", "lopez", "", "garcia"),
        ("María López Pérez de García", "lopez", "perez", "garcia"),
    ],
)
def test_married_names(raw, paternal, maternal, married):
    p = parse(raw)
    assert (p.given, p.paternal, p.maternal, p.married)[1:] == (paternal, maternal, married)


@pytest.mark.parametrize(
    ("parts", "given", "paternal", "maternal"),
    [
        (("MARIA", "GARCIA LOPEZ", None), "maria", "garcia", "lopez"),
        (("MARIA", "GARCIA-LOPEZ", ""), "maria", "garcia", "lopez"),
        (("MARIA GARCIA LOPEZ", "GARCIA", None), "maria", "garcia", "lopez"),
        (("MARIA GARCIA LOPEZ", None, None), "maria", "garcia", "lopez"),
        (("GARCIA LOPEZ, MARIA", None, None), "maria", "garcia", "lopez"),
        (("MARIA", "GARCIA", "LOPEZ"), "maria", "garcia", "lopez"),
        (("Maria Jose", "de la Cruz", "Lopez"), "maria jose", "de la cruz", "lopez"),
    ],
)
def test_parts_columns_are_checked(parts, given, paternal, maternal):
    p = parse(None, *parts)
    assert (p.given, p.paternal, p.maternal) == (given, paternal, maternal)


def test_parts_agreeing_with_full_name_raise_confidence():
    alone = parse(given_names="MARIA", paternal_surname="GARCIA LOPEZ")
    both = parse("MARIA GARCIA LOPEZ", "MARIA", "GARCIA LOPEZ")
    assert both.confidence > alone.confidence


def test_canonical_name_folds_and_cleans():
    assert canonical_name("  Dña. MARÍA  josé Muñoz ") == "maria jose munoz"
    assert canonical_name("José Luis GARCÍA (Pepe), Jr.") == "jose luis garcia"
    assert canonical_name(None) == ""
