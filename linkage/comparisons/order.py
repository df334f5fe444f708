"""Which levels of a comparison are nested: the order their weights must keep.

Each chain lists level names from the strongest agreement down; a level's weight in bits may not
exceed the weight of a level before it in any chain (the fitted model pools violators, and a
term-frequency adjustment never takes a level below the one beneath it). Levels not in a common
chain are not ordered against each other ("married surname" against "phonetic").
"""

from __future__ import annotations

from linkage.comparisons.base import Comparison

LEVEL_ORDER: dict[str, tuple[tuple[str, ...], ...]] = {
    "name": (
        (
            "exact_full_name",
            "given_and_both_surnames",
            "maternal_missing",
            "given_and_paternal",
            "else",
        ),
        ("given_and_both_surnames", "fuzzy", "phonetic", "initials", "else"),
        ("given_and_both_surnames", "surnames_swapped", "else"),
        ("given_and_both_surnames", "married_surname", "else"),
        ("given_and_both_surnames", "parts_crossed", "else"),
    ),
    "sex": (("same_sex", "different_sex"),),
    "birth_date": (
        ("exact", "same_year_month", "year_within_one", "far"),
        ("exact", "swapped", "far"),
        ("year_agrees", "year_close", "year_near", "far"),
    ),
    "place": (
        (
            "same_community",
            "same_municipality",
            "within_km",
            "same_department",
            "same_country",
            "different_countries",
        ),
        ("same_community", "other_community"),
    ),
    "national_id": (("same_valid", "same_unchecked", "one_slip", "different"),),
    "a_number": (("same", "one_slip", "different"),),
    "phone": (("shared", "different"),),
    "children": (
        (
            "two_children_agree",
            "child_name_and_dob",
            "child_name_and_year",
            "child_name",
            "no_child_agrees",
        ),
    ),
}


def chains(comparison: Comparison) -> tuple[tuple[int, ...], ...]:
    """The comparison's chains as level positions (levels it does not have are left out)."""
    names = comparison.level_names()
    return tuple(
        tuple(names.index(n) for n in chain if n in names)
        for chain in LEVEL_ORDER.get(comparison.name, ())
    )


def below(comparison: Comparison) -> dict[int, tuple[int, ...]]:
    """Level position -> the positions right beneath it in some chain."""
    out: dict[int, set[int]] = {}
    for chain in chains(comparison):
        for a, b in zip(chain, chain[1:], strict=False):
            out.setdefault(a, set()).add(b)
    return {k: tuple(sorted(v)) for k, v in out.items()}
