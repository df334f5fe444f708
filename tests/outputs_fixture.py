"""A small hand-made link result (synthetic people) with the attributes of ``linkage.LinkResult``.

Used by the tests of explanations, decisions and reports, so they can check exact content.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from linkage.comparisons.base import Comparison, Level
from linkage.explain import add_reasons, explanation


class EqualityComparison(Comparison):
    """Strongest level when every column agrees, else the last; the fixture's levels are preset."""

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        left = pairs[[f"{c}_l" for c in self.columns]].to_numpy(dtype=object)
        right = pairs[[f"{c}_r" for c in self.columns]].to_numpy(dtype=object)
        missing = pd.isna(left).any(axis=1) | pd.isna(right).any(axis=1)
        same = (left == right).all(axis=1)
        return np.where(missing, -1, np.where(same, 0, len(self.levels) - 1))


class NameComparison(EqualityComparison):
    name = "name"
    columns = ("given", "paternal", "maternal")
    levels = (
        Level(
            "exact_full_name", "Mismo nombre y ambos apellidos", "Same given name and both surnames"
        ),
        Level(
            "given_paternal", "Mismo nombre y primer apellido", "Same given name and first surname"
        ),
        Level("else", "Nombres distintos", "Different names"),
    )


class DobComparison(EqualityComparison):
    name = "dob"
    columns = ("dob",)
    levels = (
        Level("exact", "Misma fecha de nacimiento", "Same date of birth"),
        Level(
            "swapped",
            "Fecha de nacimiento con día y mes invertidos",
            "Date of birth with day and month swapped",
        ),
        Level("else", "Fecha de nacimiento distinta", "Different date of birth"),
    )


class IdPlaceComparison(EqualityComparison):
    name = "id_place"
    columns = ("id_municipality_code", "municipality_code")
    levels = (
        Level(
            "same_municipality",
            "El DPI indica el mismo municipio",
            "The ID number points to the same municipality",
        ),
        Level("else", "El DPI indica otro municipio", "The ID number points elsewhere"),
    )


class ChildComparison(EqualityComparison):
    name = "child"
    columns = ("child_names",)
    levels = (
        Level(
            "name_and_dob",
            "Coincide un hijo: nombre y fecha de nacimiento",
            "A child matches: name and date of birth",
        ),
        Level("else", "Ningún hijo coincide", "No child matches"),
    )


COMPARISONS = [NameComparison(), DobComparison(), IdPlaceComparison(), ChildComparison()]
#: model weight of each level, bits
LEVEL_BITS = {
    "name": {"exact_full_name": 13.0, "given_paternal": 8.0, "else": -6.0},
    "dob": {"exact": 9.0, "swapped": 6.5, "else": -4.0},
    "id_place": {"same_municipality": 3.0, "else": -1.5},
    "child": {"name_and_dob": 11.0, "else": -2.0},
}
PRIOR = 2.0**-16


class FakeModel:
    comparisons = COMPARISONS

    def to_dict(self) -> dict:
        return {
            "comparisons": [
                {
                    "name": c.name,
                    "levels": [
                        {
                            "name": lv.name,
                            "es": lv.es,
                            "en": lv.en,
                            "m": 0.5,
                            "u": 0.5 / 2 ** LEVEL_BITS[c.name][lv.name],
                            "bits": LEVEL_BITS[c.name][lv.name],
                        }
                        for lv in c.levels
                    ],
                }
                for c in COMPARISONS
            ],
            "prior": PRIOR,
            "em": {"iterations": 12, "converged": True, "last_change": 4e-6},
        }


CUSTODY = pd.DataFrame(
    {
        "record_id": ["C1", "C2", "C3"],
        "full_name": ["GARCIA LOPEZ, MARIA", "PEREZ, JOSE", "XOL CAAL, ROSA"],
        "child_names": ["Ana García", "Luis Pérez; Marta Pérez", "Kevin Xol"],
        "child_birth_dates": ["05/14/2012", ";02/01/2015", None],
        "birth_date": ["04/03/1985", "11/20/1979", None],
        "a_number": ["A012345678", "A098765432", "A011122233"],
        "national_id": [None, None, None],
        "department_code": ["GT13", "HN05", None],
        "given": ["maria", "jose", "rosa"],
        "paternal": ["garcia", "perez", "xol"],
        "maternal": ["lopez", None, "caal"],
        "dob": ["1985-04-03", "1979-11-20", "1990-01-02"],
        "id_municipality_code": [None, None, None],
        "municipality_code": ["GT1301", None, None],
    }
).set_index("record_id", drop=False)

FIELD = pd.DataFrame(
    {
        "record_id": ["F1", "F2", "F3", "F4", "F5"],
        "full_name": [
            "María García López",
            "Mariela García",
            "José Pérez",
            '=HYPERLINK("http://example.invalid")',
            "Rosa Xol Caal",
        ],
        "municipality": ["Huehuetenango", "Chiantla", "Comayagua", "Siguatepeque", None],
        "phone": ["+502 5555 1234", None, "+504 9999 0000; +504 8888 1111", "@SUM(1)", None],
        "organization": [
            "Pastoral de Movilidad Humana",
            "Pastoral de Movilidad Humana",
            "CONADEH",
            "CONADEH",
            None,
        ],
        "national_id": [
            "1234 56789 1301",
            "2345 67890 1302",
            "0301-1979-00001",
            None,
            "9876 54321 1601",
        ],
        "department_code": ["GT13", "GT13", "HN03", None, None],
        "given": ["maria", "mariela", "jose", "maria", "rosa"],
        "paternal": ["garcia", "garcia", "perez", "lopez", "xol"],
        "maternal": ["lopez", None, None, None, "caal"],
        "dob": ["1985-03-04", "1985-04-03", "1979-11-20", None, None],
        "id_municipality_code": ["GT1301", "GT1302", None, None, "GT1601"],
        "municipality_code": ["GT1301", "GT1302", "HN0301", "HN0309", None],
        "child_names": ["ana garcia", None, "luis perez", None, "kevin xol"],
        "child_birth_dates": ["14/05/2012", None, None, None, None],
        "birth_date": ["4 de marzo de 1985", None, None, None, None],
        "age": [None, "39", "44", None, None],
        "report_date": ["02/03/2021", "15/06/2024", None, None, None],
        "phones": ["+50255551234", None, "+50499990000;+50488881111", None, None],
        "community_raw": ["Aldea El Rosario", "Caserío Las Flores", "Barrio El Centro", None, None],
        "community": ["el rosario", "las flores", "el centro", None, "chisec"],
    }
).set_index("record_id", drop=False)

#: (custody, field, levels of name, dob, id_place, child)
PAIRS = [
    ("C1", "F1", ("exact_full_name", "swapped", "same_municipality", "name_and_dob")),
    ("C1", "F2", ("given_paternal", "exact", "else", "missing")),
    ("C1", "F4", ("else", "missing", "missing", "missing")),
    ("C2", "F3", ("given_paternal", "exact", "missing", "name_and_dob")),
    ("C3", "F5", ("exact_full_name", "missing", "missing", "name_and_dob")),
]


def _matches() -> pd.DataFrame:
    prior_bits = float(np.log2(PRIOR / (1 - PRIOR)))
    rows = []
    for custody_id, field_id, levels in PAIRS:
        row = {"custody_id": custody_id, "field_id": field_id}
        total = prior_bits
        for comparison, level in zip(COMPARISONS, levels, strict=True):
            bits = 0.0 if level == "missing" else LEVEL_BITS[comparison.name][level]
            row[comparison.name] = level
            row[f"{comparison.name}_bits"] = bits
            total += bits
        row["match_weight"] = total
        row["match_probability"] = 1 / (1 + 2**-total)
        rows.append(row)
    matches = pd.DataFrame(rows).sort_values(
        ["custody_id", "match_weight"], ascending=[True, False], kind="stable"
    )
    matches["rank"] = matches.groupby("custody_id").cumcount() + 1
    runner_up = matches.groupby("custody_id")["match_weight"].shift(-1)
    matches["margin"] = np.where(matches["rank"] == 1, matches["match_weight"] - runner_up, np.nan)
    first = ["custody_id", "field_id", "rank", "match_probability", "match_weight", "margin"]
    rest = [c for c in matches.columns if c not in first]
    return add_reasons(matches[first + rest].reset_index(drop=True), FakeModel())


def _explain(matches: pd.DataFrame, custody_id: str, field_id: str) -> pd.DataFrame:
    """The table ``LinkResult.explain`` gives: one row per comparison, then the prior."""
    row = matches[(matches["custody_id"] == custody_id) & (matches["field_id"] == field_id)]
    row = row.iloc[0]
    return explanation(
        COMPARISONS,
        {c.name: row[c.name] for c in COMPARISONS},
        {c.name: row[f"{c.name}_bits"] for c in COMPARISONS},
        float(np.log2(PRIOR / (1 - PRIOR))),
        CUSTODY.loc[custody_id],
        FIELD.loc[field_id],
    )


def make_result() -> SimpleNamespace:
    """A fresh link result; every call builds new frames, so tests may change them."""
    model = FakeModel()
    matches = _matches()
    custody, field = CUSTODY.copy(), FIELD.copy()

    def explain(custody_id: str, field_id: str) -> pd.DataFrame:
        return _explain(matches, custody_id, field_id)

    return SimpleNamespace(
        matches=matches,
        custody=custody,
        field=field,
        model=model,
        pairs=pd.DataFrame(
            {
                "custody_id": ["C1"] * 6 + ["C2", "C3"],
                "field_id": ["F1", "F2", "F4", "F3", "F5", "F6", "F3", "F5"],
                "match_weight": [2.0, -20.5, -30.0, -31.0, -25.0, -12.0, 5.0, 8.0],
            }
        ),
        blocking=pd.DataFrame(
            {
                "rule": ["surname_given", "a_number"],
                "description": ["paternal surname key and first given name key", "same A-number"],
                "pairs": [120, 4],
                "new_pairs": [120, 1],
            }
        ),
        counts={
            side: {
                "rows_read": n + rejected,
                "rows_rejected": rejected,
                "rows_scored": n,
                "rows_with_candidates": with_candidates,
                "rows_without_candidates": n - with_candidates,
                "values_ignored": 0,
            }
            for side, n, rejected, with_candidates in (("custody", 3, 1, 3), ("field", 5, 0, 5))
        },
        settings=SimpleNamespace(
            seed=7,
            top_k=5,
            threshold=0.5,
            to_dict=lambda: {"seed": 7, "top_k": 5, "rules": ["a", "b"]},
        ),
        rejects=pd.DataFrame(
            {
                "file": ["/data/custody.csv", "/data/custody.csv", "/data/field.csv"],
                "row": [5, 9, 3],
                "column": ["full_name", "full_name", "birth_date"],
                "reason": [
                    "no name in any name column",
                    "no name in any name column",
                    "cannot read birth_date; value ignored ('31/02/85')",
                ],
                "kind": ["row", "row", "value"],
            }
        ),
        explain=explain,
    )
