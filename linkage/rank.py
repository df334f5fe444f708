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
    # integer codes in the order of the values, so every sort and group runs on numbers
    custody, _ = pd.factorize(scored["custody_id"], sort=True)
    person, people = pd.factorize(scored["field_person"], sort=True)
    field, _ = pd.factorize(scored["field_id"], sort=True)
    weight = scored["match_weight"].to_numpy(dtype=float)
    key, of_pair = np.unique(custody * len(people) + person, return_inverse=True)
    best = np.full(len(key), -np.inf)
    np.fmax.at(best, of_pair, weight)
    group, code = key // len(people), key % len(people)
    order = np.lexsort((code, -best, group))  # by custody, best person first
    group, best = group[order], best[order]
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)])) + 1
    following = np.r_[group[1:] == group[:-1], False]
    margin = np.where(following, best - np.r_[best[1:], np.nan], np.nan)
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    pair_rank, pair_margin = rank[place[of_pair]], margin[place[of_pair]]
    kept = np.flatnonzero(pair_rank <= top_k)
    kept = kept[np.lexsort((field[kept], -weight[kept], pair_rank[kept], custody[kept]))]
    return (
        scored.iloc[kept]
        .assign(rank=pair_rank[kept], margin=pair_margin[kept])
        .reset_index(drop=True)
    )


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
