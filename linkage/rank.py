"""Ranking: top-k candidate people per custody record, margins, one-to-one assignment, and
clusters of field reports that describe one person.

Several organisations often report the same parent. Reports are clustered
(:func:`linkage.clusters.cluster_reports`) so ranks count people, not reports: every report of a
ranked person is kept with that person's rank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def rank_candidates(scored: pd.DataFrame, top_k: int = 5) -> pd.DataFrame:
    """Keep each custody record's ``top_k`` best candidate people.

    ``scored`` has custody_id, field_id, field_person, match_weight. Adds ``rank`` (1 = best
    person; every report of a person shares its rank) and ``margin`` (best weight of this person
    minus the best weight of the next person down; NaN for the last one), sorted by custody_id,
    rank, then weight.
    """
    if scored.empty:
        return scored.assign(rank=pd.Series(dtype="int64"), margin=pd.Series(dtype=float))
    people = (
        scored.groupby(["custody_id", "field_person"], sort=False)["match_weight"]
        .max()
        .rename("person_weight")
        .reset_index()
        .sort_values(["custody_id", "person_weight", "field_person"], ascending=[True, False, True])
    )
    people["rank"] = people.groupby("custody_id").cumcount() + 1
    people["margin"] = people["person_weight"] - people.groupby("custody_id")[
        "person_weight"
    ].shift(-1)
    people = people[people["rank"] <= top_k]
    out = scored.merge(people, on=["custody_id", "field_person"], how="inner")
    out = out.sort_values(
        ["custody_id", "rank", "match_weight", "field_id"], ascending=[True, True, False, True]
    )
    return out.drop(columns="person_weight").reset_index(drop=True)


def assign_one_to_one(matches: pd.DataFrame, min_probability: float = 0.5) -> pd.Series:
    """Optimal one-to-one assignment of custody records to field people.

    Among pairs with ``match_probability`` >= ``min_probability``, finds the assignment with the
    greatest total match weight (Hungarian algorithm, per connected component) and returns a
    boolean Series aligned with ``matches``: True for the reports of each assigned person.
    """
    chosen = pd.Series(False, index=matches.index)
    pool = matches[matches["match_probability"] >= min_probability]
    if pool.empty:
        return chosen
    best = pool.groupby(["custody_id", "field_person"])["match_weight"].max().reset_index()
    c_codes, c_ids = pd.factorize(best["custody_id"], sort=True)
    p_codes, p_ids = pd.factorize(best["field_person"], sort=True)
    n_c, n_p = len(c_ids), len(p_ids)
    graph = coo_matrix((np.ones(len(best)), (c_codes, n_c + p_codes)), shape=(n_c + n_p,) * 2)
    _, comp = connected_components(graph, directed=False)
    best["component"] = comp[c_codes]
    pairs = []
    for _, group in best.groupby("component", sort=True):
        gc, gc_ids = pd.factorize(group["custody_id"], sort=True)
        gp, gp_ids = pd.factorize(group["field_person"], sort=True)
        cost = np.full((len(gc_ids), len(gp_ids)), 1e9)
        cost[gc, gp] = -group["match_weight"].to_numpy()
        rows, cols = linear_sum_assignment(cost)
        keep = cost[rows, cols] < 1e9
        pairs += list(zip(gc_ids[rows[keep]], gp_ids[cols[keep]], strict=True))
    assigned = pd.MultiIndex.from_tuples(pairs, names=["custody_id", "field_person"])
    key = pd.MultiIndex.from_frame(matches[["custody_id", "field_person"]])
    return pd.Series(
        key.isin(assigned) & (matches["match_probability"] >= min_probability).to_numpy(),
        index=matches.index,
    )
