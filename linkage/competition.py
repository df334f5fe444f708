"""A custody record is one person: its candidate people compete for it.

Fellegi-Sunter scores every pair on its own, as if a custody record could match any number of
field people. It cannot: at most one of its candidates is that person (field reports of one
person are one candidate, see :mod:`linkage.clusters`). With ``w_ij`` the pair's match weight
(log2 odds, prior included) and ``s`` the share of custody records whose person is among their
candidates, the probability that candidate person ``j`` is custody record ``i``'s is

    2^w_ij / ((1 - s) + sum over i's candidate people k of 2^w_ik)

so a lone strong candidate gains (the record's match has nowhere else to be) and two candidates
that both fit share the probability (a namesake, a father and son in one village). ``s`` is
solved so that it equals the share the probabilities themselves give, counting one matched and
one unmatched record more (Laplace's rule: ``s`` stays below 1, so no probability reaches 1).
This module gives, per pair, the bits that term adds to the match weight.
"""

from __future__ import annotations

import numpy as np

#: bisection steps for the share: the interval [0, 1] shrinks to 2^-60
SHARE_STEPS = 60


def competition_bits(
    custody: np.ndarray, person: np.ndarray, weights: np.ndarray, n_custody: int
) -> tuple[np.ndarray, float]:
    """Per pair, the bits the custody record's other candidate people add to its match weight,
    and the share ``s`` of custody records whose person is among their candidates.

    ``custody`` and ``person``: integer codes of each pair's custody record and field person;
    ``weights``: match weights in bits; ``n_custody``: custody records in the job (those with no
    candidate count too). A person's weight is the best of its reports'. The match probability
    is ``FellegiSunter.probability(weights + bits)``.

    Record 0 has one candidate at 10 bits, record 1 two at 10 bits: the lone one gains, the two
    share (each loses the other's 10 bits).

    >>> bits, share = competition_bits(np.array([0, 1, 1]), np.array([0, 1, 2]),
    ...                                np.array([10.0, 10.0, 10.0]), 2)
    >>> round(share, 3), bits.round(2).tolist()
    (0.75, [2.0, -10.0, -10.0])
    """
    if len(weights) == 0:
        return np.zeros(0), 0.0
    w = np.asarray(weights, dtype=float)
    custody = np.asarray(custody, dtype=np.int64)
    person = np.asarray(person, dtype=np.int64)
    span = int(person.max()) + 1
    keys, group_of = np.unique(custody * span + person, return_inverse=True)
    best = np.full(len(keys), -np.inf)
    np.maximum.at(best, group_of, w)
    records, record_of = np.unique(keys // span, return_inverse=True)
    top = np.full(len(records), -np.inf)
    np.maximum.at(top, record_of, best)
    # every weight relative to its record's best person, so no sum overflows or underflows
    odds = np.exp2(best - top[record_of])
    is_top = _first_top(record_of, odds)
    rest = np.bincount(record_of, weights=np.where(is_top, 0.0, odds), minlength=len(records))
    # the other people's odds: the rest of the record's, plus its top person unless this is it
    others = np.where(is_top, rest[record_of], rest[record_of] - odds + 1.0)
    # log2 of each record's summed odds, its best person's weight added back
    log_total = np.log2(rest + 1.0) + top
    share = _share(log_total, n_custody)
    with np.errstate(divide="ignore"):
        log_others = np.log2(others) + top[record_of]
    bits = -np.logaddexp2(np.log2(1.0 - share), log_others)
    return bits[group_of], share


def _first_top(record_of: np.ndarray, odds: np.ndarray) -> np.ndarray:
    """Booleans: the first person of each record at the record's best odds (exactly 1)."""
    at_best = np.flatnonzero(odds == 1.0)
    _, first = np.unique(record_of[at_best], return_index=True)
    is_top = np.zeros(len(odds), dtype=bool)
    is_top[at_best[first]] = True
    return is_top


def _share(log_total: np.ndarray, n_custody: int) -> float:
    """The share ``s`` in [0, 1) with ``s = (1 + sum(total / ((1 - s) + total))) /
    (n_custody + 2)``, ``total`` being each record's summed candidate odds (given as log2): the
    records' summed candidate probabilities (a record with no candidate adds 0), with one
    matched and one unmatched record more.

    The right side is convex and increasing in ``s``, above ``s`` at 0 and below it at 1, so it
    meets ``s`` once there; bisection finds it.
    """
    lo, hi = 0.0, 1.0
    for _ in range(SHARE_STEPS):
        mid = (lo + hi) / 2
        with np.errstate(over="ignore"):
            found = np.sum(1.0 / (1.0 + np.exp2(np.log2(1.0 - mid) - log_total)))
        if (1.0 + found) / (n_custody + 2) > mid:
            lo = mid
        else:
            hi = mid
    return lo
