"""Fellegi-Sunter scoring: u from random pairs, m by EM, term-frequency adjustment, labels.

Each comparison level k of comparison c has m = P(level | match) and u = P(level | non-match).
A pair's match weight in bits is the prior's log-odds plus, for each comparison, log2(m/u) of its
level (0 where the value is missing: missing carries no evidence), plus a term-frequency
adjustment on levels marked ``tf``: agreeing on a rare value counts for more than on a common one.

u is measured on random custody x field pairs (nearly all non-matches). m and the share of
matches among blocked pairs are learnt by EM on the blocked pairs; pairs a reviewer labelled are
held at their label during EM. The prior used for scoring is the share of matches over all
custody x field pairs, so probabilities mean the same whatever the blocking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linkage.comparisons.base import MISSING, Comparison

#: pseudo-count added to every level when estimating probabilities
SMOOTHING = 0.5
#: bound on a term-frequency adjustment, in bits
TF_BOUND = 6.0
#: an EM session needs at least this many pairs
MIN_SESSION_PAIRS = 50


@dataclass
class EMReport:
    """How EM went, reported honestly."""

    iterations: int = 0
    converged: bool = False
    last_change: float = float("nan")
    max_iterations: int = 0
    tolerance: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "iterations": self.iterations,
            "converged": self.converged,
            "last_change": self.last_change,
            "max_iterations": self.max_iterations,
            "tolerance": self.tolerance,
        }


@dataclass(frozen=True)
class Session:
    """An EM run on the pairs of one blocking rule, blind to the comparisons that rule used."""

    name: str
    pairs: np.ndarray  # boolean mask over the blocked pairs
    blind_to: tuple[str, ...]


class FellegiSunter:
    """A Fellegi-Sunter model over a list of comparisons.

    Configure in ``__init__``; learn with :meth:`fit`; score with :meth:`bits` and
    :meth:`weights`. Learned values end in ``_``: ``u_`` and ``m_`` (per comparison, one share
    per level), ``prior_`` (share of matches among all custody x field pairs),
    ``blocked_share_`` (among blocked pairs), ``em_`` and ``sessions_`` (how EM went),
    ``term_frequencies_`` (per tf comparison: value -> relative frequency).
    """

    def __init__(
        self, comparisons: list[Comparison], *, max_iterations: int = 100, tolerance: float = 1e-5
    ) -> None:
        self.comparisons = comparisons
        self.max_iterations = max_iterations
        self.tolerance = tolerance
        self.m_: list[np.ndarray] = []
        self.u_: list[np.ndarray] = []
        self.prior_ = float("nan")
        self.blocked_share_ = float("nan")
        self.em_ = EMReport()
        self.sessions_: list[dict[str, object]] = []
        self.term_frequencies_: dict[str, dict[str, float]] = {}

    # learning ---------------------------------------------------------------------------
    def fit(
        self,
        vectors: np.ndarray,
        random_vectors: np.ndarray,
        n_custody: int,
        n_field: int,
        labels: np.ndarray | None = None,
        sessions: list[Session] | None = None,
        sample_weight: np.ndarray | None = None,
    ) -> FellegiSunter:
        """Learn u from random pairs, then m and the prior by EM over the blocked pairs.

        ``vectors``: comparison levels of the blocked pairs, shape (n, n_comparisons);
        ``random_vectors``: the same for random custody x field pairs (nearly all non-matches).
        ``labels`` (optional, one per blocked pair): 1 match, 0 non-match, -1 unknown; labelled
        pairs keep their label through EM. ``sessions``: EM runs on subsets of the pairs (those
        of one blocking rule), each blind to the comparisons its rule made agree, whose m it
        cannot learn; a comparison's m is the average over the sessions that saw it, weighted by
        their expected matches. Then one last EM over all pairs, m held, finds the share of
        matches. Without sessions, one EM over all pairs learns everything.
        ``sample_weight`` (optional, one per row of ``vectors``): how many pairs the row stands
        for, so that distinct (vector, label, rules) patterns with their counts fit as the pairs
        would (the Spark engine collects only those).
        """
        self.u_ = [
            _level_shares(random_vectors[:, j], len(c.levels))
            for j, c in enumerate(self.comparisons)
        ]
        if labels is None:
            labels = np.full(len(vectors), -1, dtype=np.int8)
        weight = np.ones(len(vectors)) if sample_weight is None else np.asarray(sample_weight)
        weight = weight.astype(float)
        n_comp = len(self.comparisons)
        self.em_ = EMReport(max_iterations=self.max_iterations, tolerance=self.tolerance)
        self.sessions_ = []
        if not sessions:
            sessions = [Session("all pairs", np.ones(len(vectors), dtype=bool), ())]
        sums = [np.zeros(len(c.levels)) for c in self.comparisons]
        weights = np.zeros(n_comp)
        for session in sessions:
            n_pairs = weight[session.pairs].sum()
            if n_pairs < MIN_SESSION_PAIRS:
                continue
            blind = [j for j, c in enumerate(self.comparisons) if c.name in session.blind_to]
            part = vectors[session.pairs].copy()
            part[:, blind] = MISSING
            result = self._em(part, labels[session.pairs], weight[session.pairs])
            expected = result["share"] * n_pairs
            record = {
                "session": session.name,
                "pairs": int(n_pairs),
                "blind_to": list(session.blind_to),
                "share": round(result["share"], 6),
                "iterations": result["report"].iterations,
                "converged": result["report"].converged,
            }
            self.sessions_.append(record)
            self.em_.iterations += result["report"].iterations
            if expected < 1:
                record["used"] = False
                continue
            record["used"] = True
            for j in range(n_comp):
                if j not in blind:
                    sums[j] += expected * result["m"][j]
                    weights[j] += expected
        self.m_ = [
            s / w if w > 0 else np.full(len(c.levels), 1.0 / len(c.levels))
            for s, w, c in zip(sums, weights, self.comparisons, strict=True)
        ]
        # comparisons no session could learn carry no evidence: m = u
        for j, w in enumerate(weights):
            if w == 0:
                self.m_[j] = self.u_[j].copy()
        final = self._em(vectors, labels, weight, fixed_m=self.m_)
        self.em_.iterations += final["report"].iterations
        self.em_.converged = final["report"].converged and all(
            s["converged"] for s in self.sessions_ if s.get("used")
        )
        self.em_.last_change = final["report"].last_change
        self.blocked_share_ = final["share"]
        expected_matches = final["share"] * weight.sum()
        self.prior_ = float(np.clip(expected_matches / max(n_custody * n_field, 1), 1e-12, 0.5))
        return self

    def _em(
        self,
        vectors: np.ndarray,
        labels: np.ndarray,
        weight: np.ndarray,
        fixed_m: list[np.ndarray] | None = None,
    ) -> dict[str, object]:
        """Two-class EM over distinct (vector, label) patterns, each counted with the ``weight``
        of its rows; m held when ``fixed_m``.

        u starts at the random pairs' u and is learnt for the pairs at hand: blocking on names
        makes place and phone agreement common among non-matches (relatives live together).
        """
        n_levels = [len(c.levels) for c in self.comparisons]
        table = np.concatenate([vectors.astype(np.int16), labels.astype(np.int16)[:, None]], axis=1)
        unique, inverse = unique_rows(table)
        patterns, fixed = unique[:, :-1], unique[:, -1]
        counts = np.bincount(inverse.ravel(), weights=weight, minlength=len(unique))
        m = fixed_m if fixed_m is not None else [_initial_m(k) for k in n_levels]
        u_b = [u.copy() for u in self.u_]
        share = 0.05
        report = EMReport(max_iterations=self.max_iterations, tolerance=self.tolerance)
        for iteration in range(1, self.max_iterations + 1):
            log_m = np.full(len(patterns), np.log(share))
            log_u = np.full(len(patterns), np.log1p(-share))
            for j in range(len(n_levels)):
                lv = patterns[:, j]
                ok = lv != MISSING
                log_m[ok] += np.log(m[j][lv[ok]])
                log_u[ok] += np.log(u_b[j][lv[ok]])
            post = 1.0 / (1.0 + np.exp(np.clip(log_u - log_m, -700, 700)))
            post = np.where(fixed == 1, 1.0, np.where(fixed == 0, 0.0, post))
            w_m, w_u = post * counts, (1 - post) * counts
            new_share = float(w_m.sum() / counts.sum())
            new_m = (
                m
                if fixed_m is not None
                else [_weighted_shares(patterns[:, j], w_m, k) for j, k in enumerate(n_levels)]
            )
            new_u = [_weighted_shares(patterns[:, j], w_u, k) for j, k in enumerate(n_levels)]
            change = max(
                abs(new_share - share),
                *(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True)),
                *(float(np.abs(a - b).max()) for a, b in zip(new_u, u_b, strict=True)),
            )
            m, u_b, share = new_m, new_u, new_share
            report.iterations, report.last_change = iteration, change
            if change < self.tolerance:
                report.converged = True
                break
        return {"m": m, "u": u_b, "share": share, "report": report}

    # scoring ----------------------------------------------------------------------------
    def level_bits(self) -> list[np.ndarray]:
        """log2(m/u) for each comparison's levels."""
        return [np.log2(m / u) for m, u in zip(self.m_, self.u_, strict=True)]

    @property
    def prior_bits(self) -> float:
        """The prior's log-odds in bits."""
        return float(np.log2(self.prior_ / (1 - self.prior_)))

    def bits(
        self, vectors: np.ndarray, tf_values: dict[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """Per-comparison weights in bits, shape (n, n_comparisons); 0 where missing.

        ``tf_values`` maps a tf comparison's name to the frequency of the value agreed on in each
        pair (NaN where unknown); it adjusts the weight of that comparison's ``tf`` levels.
        """
        out = np.zeros(vectors.shape, dtype=float)
        for j, (comparison, table) in enumerate(
            zip(self.comparisons, self.level_bits(), strict=True)
        ):
            lv = vectors[:, j].astype(np.int64)
            ok = lv != MISSING
            out[ok, j] = table[lv[ok]]
            freq = (tf_values or {}).get(comparison.name)
            if freq is None:
                continue
            tf_level = np.array([lv_.tf for lv_ in comparison.levels] + [False])[lv]
            use = ok & tf_level & np.isfinite(freq) & (freq > 0)
            u_level = self.u_[j][lv[use]]
            out[use, j] += np.clip(np.log2(u_level / freq[use]), -TF_BOUND, TF_BOUND)
        return out

    def weights(self, bits: np.ndarray) -> np.ndarray:
        """Match weight in bits: the prior's log-odds plus every comparison's bits."""
        return self.prior_bits + bits.sum(axis=1)

    @staticmethod
    def probability(weights: np.ndarray | float) -> np.ndarray:
        """Match probability of a weight in bits.

        >>> FellegiSunter.probability(np.array([0.0, 10.0])).round(4)
        array([0.5  , 0.999])
        """
        return 1.0 / (1.0 + np.exp2(-np.clip(weights, -60, 60)))

    # saving -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, object]:
        """Plain data a person can read: every level's m, u and weight in bits."""
        comparisons = []
        for c, m, u, bits in zip(
            self.comparisons, self.m_, self.u_, self.level_bits(), strict=True
        ):
            comparisons.append(
                {
                    "name": c.name,
                    "tf_column": c.tf_column,
                    "levels": [
                        {
                            "name": lv.name,
                            "es": lv.es,
                            "en": lv.en,
                            "tf": lv.tf,
                            "m": float(m[k]),
                            "u": float(u[k]),
                            "bits": round(float(bits[k]), 4),
                        }
                        for k, lv in enumerate(c.levels)
                    ],
                }
            )
        return {
            "model": "fellegi-sunter",
            "prior": self.prior_,
            "prior_bits": round(self.prior_bits, 4),
            "blocked_share": self.blocked_share_,
            "em": self.em_.to_dict(),
            "em_sessions": self.sessions_,
            "comparisons": comparisons,
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def from_dict(cls, data: dict, comparisons: list[Comparison]) -> FellegiSunter:
        """Rebuild a saved model over ``comparisons``.

        Levels are matched by name, not by position: a saved model still means the same after a
        comparison's levels are reordered, and one whose names differ is refused.
        """
        by_name = {c["name"]: c for c in data["comparisons"]}
        model = cls(comparisons=comparisons)
        for c in comparisons:
            saved = by_name.get(c.name)
            levels = {lv["name"]: lv for lv in saved["levels"]} if saved else {}
            if set(levels) != set(c.level_names()):
                raise ValueError(
                    f"saved model does not match comparison {c.name!r}: it has levels "
                    f"{sorted(levels)}, the comparison has {sorted(c.level_names())}"
                )
            model.m_.append(np.array([levels[n]["m"] for n in c.level_names()], dtype=float))
            model.u_.append(np.array([levels[n]["u"] for n in c.level_names()], dtype=float))
        model.prior_ = float(data["prior"])
        model.blocked_share_ = float(data.get("blocked_share", float("nan")))
        em = data.get("em", {})
        model.em_ = EMReport(**{k: em[k] for k in EMReport.__dataclass_fields__ if k in em})
        model.sessions_ = list(data.get("em_sessions", []))
        return model

    @classmethod
    def load(cls, path: str | Path, comparisons: list[Comparison]) -> FellegiSunter:
        return cls.from_dict(json.loads(Path(path).read_text()), comparisons)


def _level_shares(levels: np.ndarray, n_levels: int) -> np.ndarray:
    return _weighted_shares(levels, np.ones(len(levels)), n_levels)


def _weighted_shares(levels: np.ndarray, weights: np.ndarray, n_levels: int) -> np.ndarray:
    ok = levels != MISSING
    sums = np.bincount(levels[ok].astype(np.int64), weights=weights[ok], minlength=n_levels)
    sums = sums[:n_levels] + SMOOTHING
    return sums / sums.sum()


def _initial_m(n_levels: int) -> np.ndarray:
    """A starting m that favours the strongest levels: 0.5, 0.25, ... normalised."""
    raw = 0.5 ** np.arange(1, n_levels + 1)
    return raw / raw.sum()


def unique_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(table, axis=0, return_inverse=True)`` for a small-integer table, fast: each
    row packed into one integer (mixed radix, first column most significant, so the order is
    the same), sorted once.

    >>> rows, inverse = unique_rows(np.array([[1, -1], [0, 2], [1, -1]]))
    >>> rows.tolist(), inverse.tolist()
    ([[0, 2], [1, -1]], [1, 0, 1])
    """
    if table.size == 0:
        unique, inverse = np.unique(table, axis=0, return_inverse=True)
        return unique, inverse.ravel()
    low = table.min(axis=0).astype(np.int64)
    span = table.max(axis=0).astype(np.int64) - low + 1
    if float(np.prod(span.astype(float))) >= 2.0**62:
        unique, inverse = np.unique(table, axis=0, return_inverse=True)
        return unique, inverse.ravel()
    key = np.zeros(len(table), dtype=np.int64)
    for j in range(table.shape[1]):
        key = key * span[j] + (table[:, j].astype(np.int64) - low[j])
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return table[first], inverse
