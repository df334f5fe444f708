"""Field reports of one person, clustered on the model's own evidence, never joining two reports
that contradict each other: one rank is one human.

In Central American villages a father and son often share the whole name and the village. Their
reports agree on name and place (strong evidence), so evidence alone would merge them; the
explicit rules of :func:`contradicts` keep them apart, also through a chain of other reports:
joins are made strongest first, and a join is refused when any report of one side contradicts
any report of the other.

Every function takes DataFrames (normalized field reports, indexed by record_id) and returns
arrays; nothing is kept between calls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.blocking import keyed
from linkage.comparisons.arrays import by_value
from linkage.comparisons.run import compare_all
from linkage.model import FellegiSunter

#: field-report pairs that can be the same person must share one of these keys
CANDIDATE_KEYS: tuple[tuple[str, ...], ...] = (
    ("given1_key", "paternal_key"),
    ("phone_keys",),
    ("national_id", "id_kind"),
)
#: blocks larger than this (a very common name) are skipped: evidence there is weak anyway
MAX_BLOCK = 200
#: birth years (or ranges from an age) further apart than this contradict
YEAR_TOLERANCE = 2
#: a parent is at least this many years older than their child
MIN_PARENT_AGE = 12


def candidate_pairs(field: pd.DataFrame) -> np.ndarray:
    """Pairs of positions (i < j) of field reports sharing a :data:`CANDIDATE_KEYS` key."""
    parts = []
    for columns in CANDIDATE_KEYS:
        keys = keyed(field, columns)
        sizes = keys.groupby("key")["pos"].transform("size")
        keys = keys[(sizes > 1) & (sizes <= MAX_BLOCK)]
        joined = keys.merge(keys, on="key")
        joined = joined[joined["pos_x"] < joined["pos_y"]]
        parts.append(joined[["pos_x", "pos_y"]].to_numpy(dtype=np.int64))
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts)
    # sorted distinct pairs, by one sort of each pair packed into one integer
    n = max(len(field), 1)
    packed = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([packed // n, packed % n], axis=1)


def pair_evidence(
    field: pd.DataFrame, pairs: np.ndarray, model: FellegiSunter, workers: int = 0
) -> np.ndarray:
    """The model's evidence that two reports are one person: the sum of its comparison weights
    (bits, the prior left out) for each pair of positions, compared as candidate pairs are
    (:func:`~linkage.comparisons.run.compare_all` on ``workers`` processes, 0: one per core)."""
    if not len(pairs):
        return np.empty(0)
    vectors, tf = compare_all(
        field, field, pairs, model.comparisons, model.term_frequencies_, workers=workers
    )
    return model.bits(vectors, tf).sum(axis=1)


def _column(field: pd.DataFrame, name: str) -> np.ndarray:
    if name not in field:
        return np.full(len(field), None, dtype=object)
    return field[name].astype(object).where(field[name].notna(), None).to_numpy()


def _years(field: pd.DataFrame, name: str) -> np.ndarray:
    if name not in field:
        return np.full(len(field), np.nan)
    return pd.to_numeric(field[name], errors="coerce").to_numpy(dtype=float)


def _first_child_year(cell: object) -> float:
    years = [int(d[:4]) for d in str(cell or "").split(";") if d[:4].isdigit()]
    return float(min(years)) if years else np.nan


def _child_years(field: pd.DataFrame) -> np.ndarray:
    """Earliest birth year of the children a report lists (NaN where none is dated), read once
    per distinct list."""
    return by_value(_column(field, "children_dobs"), _first_child_year, float)


def person_facts(field: pd.DataFrame) -> dict[str, np.ndarray]:
    """The per-report facts :func:`contradicts` reads, by position."""
    valid = (
        field["id_valid"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        if "id_valid" in field
        else np.zeros(len(field), dtype=bool)
    )
    ids = _column(field, "national_id")
    return {
        "year_min": _years(field, "birth_year_min"),
        "year_max": _years(field, "birth_year_max"),
        "sex": _column(field, "sex"),
        "valid_id": np.where(valid, ids, None),
        "a_number": _column(field, "a_number"),
        "first_child": _child_years(field),
    }


def contradicts(facts: dict[str, np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each pair of positions ``a[k]``, ``b[k]``: do the two reports contradict each other?

    Two reports cannot be one person when, both stating the fact,
    - their birth years (or the ranges an age gives) are more than :data:`YEAR_TOLERANCE` apart;
    - they carry different valid national IDs, or different A-numbers;
    - they state different sexes;
    - the children are incompatible: one lists a child born less than :data:`MIN_PARENT_AGE`
      years after the other was born (the other cannot be that child's parent).
    """
    lo, hi = facts["year_min"], facts["year_max"]
    gap = np.fmax(lo[a] - hi[b], lo[b] - hi[a])
    years = gap > YEAR_TOLERANCE

    def differ(name: str) -> np.ndarray:
        x, y = facts[name][a], facts[name][b]
        both = (x != None) & (y != None)  # noqa: E711 (elementwise on object arrays)
        return both & (x != y)

    child = facts["first_child"]
    young_parent = (child[b] - hi[a] < MIN_PARENT_AGE) | (child[a] - hi[b] < MIN_PARENT_AGE)
    return years | differ("valid_id") | differ("a_number") | differ("sex") | young_parent


def cluster(
    n: int, pairs: np.ndarray, evidence: np.ndarray, facts: dict[str, np.ndarray], min_bits: float
) -> np.ndarray:
    """A person number for each of ``n`` reports, numbered by their first report.

    Pairs with ``evidence`` >= ``min_bits`` are joined strongest first; a join is refused when
    any report of one cluster contradicts any report of the other (so no chain of reports joins
    two that contradict).
    """
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    root = np.arange(n)
    strong = np.flatnonzero(evidence >= min_bits)
    order = strong[np.lexsort((pairs[strong, 1], pairs[strong, 0], -evidence[strong]))]
    for k in order:
        ra, rb = root[pairs[k, 0]], root[pairs[k, 1]]
        if ra == rb:
            continue
        left, right = np.array(members[ra]), np.array(members[rb])
        a, b = np.repeat(left, len(right)), np.tile(right, len(left))
        if contradicts(facts, a, b).any():
            continue
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        members[keep] += members.pop(gone)
        root[members[keep]] = keep
    return pd.factorize(root, sort=True)[0]


def cluster_reports(
    field: pd.DataFrame, model: FellegiSunter, min_bits: float, workers: int = 0
) -> np.ndarray:
    """A person number for each field report (reports of one person share it), by position;
    the reports' pairs are compared on ``workers`` processes (0: one per core)."""
    pairs = candidate_pairs(field)
    evidence = pair_evidence(field, pairs, model, workers)
    return cluster(len(field), pairs, evidence, person_facts(field), min_bits)
