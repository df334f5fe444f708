"""The Spanish phonetic key and its Mayan spelling rules."""

from __future__ import annotations

import pytest

from normalizers.phonetic import phonetic_key


@pytest.mark.parametrize(
    ("a", "b", "rule"),
    [
        ("Vásquez", "Basques", "b/v and s/z"),
        ("Cecilia", "Sesilia", "c before e or i"),
        ("Zoila", "Soila", "z/s"),
        ("Llanes", "Yanes", "ll/y"),
        ("Hernández", "Ernández", "silent h"),
        ("Jiménez", "Giménez", "g before e or i"),
        ("Quiñónez", "Kiñones", "qu/k"),
        ("Carlos", "Karlos", "c/k"),
        ("Argüello", "Arguello", "gü"),
        ("Güicho", "Wicho", "gü and w"),
        ("Guerra", "Guera", "gu before e and rr/r"),
        ("Barrios", "Barios", "rr/r"),
        ("Mattías", "Matías", "doubled letters"),
        ("Bonilla", "Boniya", "ll/y"),
        ("Xicará", "Chicará", "x/ch"),
        ("Ixcoy", "Ishcoy", "x/sh"),
        ("Ixcoy", "Ixcoi", "final y/i"),
        ("Ca'al", "Caal", "glottal stop"),
        ("Caal", "Cal", "doubled vowel"),
        ("Tzoc", "Tzok", "c/k in Mayan"),
        ("Coc", "Cuc", "o/u in Mayan"),
        ("Philip", "Filip", "ph/f"),
    ],
)
def test_same_key(a, b, rule):
    assert phonetic_key(a) == phonetic_key(b), rule


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gómez", "Jómez"),  # hard g before o is not j
        ("Cruz", "Chuz"),
        ("Pérez", "Peña"),
        ("Tzul", "Tul"),
        ("Chen", "Chun"),
        ("Garza", "García"),
    ],
)
def test_different_key(a, b):
    assert phonetic_key(a) != phonetic_key(b)


def test_exact_keys():
    assert phonetic_key("Chávez") == "xabes"
    assert phonetic_key("Guillermo") == "giyermu"
    assert phonetic_key("Quetzal") == "ketsal"
    assert phonetic_key("") == phonetic_key(None) == ""
