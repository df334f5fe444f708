"""Nicknames, hypocorisms and English equivalents of Spanish given names.

The table is ``data/names/nicknames.csv`` (many-to-many, one row per nickname/formal pair; see
``data/names/README.md``). Names are looked up folded (:func:`normalizers.text.fold`).

>>> sorted(given_name_forms("Chepe"))
['chepe', 'jose']
>>> sorted(given_name_forms("beto"))[:3]
['adalberto', 'alberto', 'beto']
>>> sorted(given_name_forms("Chema"))
['chema', 'jose maria']
>>> sorted(given_name_forms("William"))
['guillermo', 'william']
"""

from __future__ import annotations

import csv
from functools import lru_cache

from normalizers.resources import data_path
from normalizers.text import fold


@lru_cache(maxsize=1)
def nickname_table() -> dict[str, frozenset[str]]:
    """Folded nickname -> folded formal names it may stand for (empty if the table is absent)."""
    try:
        path = data_path("names", "nicknames.csv")
    except FileNotFoundError:
        return {}
    table: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            nick, formal = fold(row["nickname"]), fold(row["formal"])
            if nick and formal and nick != formal:
                table.setdefault(nick, set()).add(formal)
    return {nick: frozenset(forms) for nick, forms in table.items()}


@lru_cache(maxsize=1)
def formal_names() -> frozenset[str]:
    """Every folded formal name of the table (single words and compounds like ``jose maria``)."""
    return frozenset(f for forms in nickname_table().values() for f in forms)


@lru_cache(maxsize=65536)
def given_name_forms(token: object) -> frozenset[str]:
    """The folded formal names a given name or nickname may stand for, itself included.

    A formal name stands only for itself; an unknown word too; a nickname for all its formal names.
    """
    key = fold(token)
    if not key:
        return frozenset()
    return frozenset({key}) | nickname_table().get(key, frozenset())


def representative_form(token: object) -> str:
    """One folded formal name for ``token``: its only formal form, else the token itself.

    A nickname of one single-word name and some compounds counts as that single word.

    >>> representative_form("Toño")
    'antonio'
    >>> representative_form("Chuy")
    'jesus'
    >>> representative_form("beto")
    'beto'
    """
    key = fold(token)
    forms = nickname_table().get(key, frozenset())
    single = [f for f in forms if " " not in f]
    if len(single) == 1:
        return single[0]
    return next(iter(forms)) if len(forms) == 1 else key
