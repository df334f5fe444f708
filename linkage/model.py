"""Fellegi-Sunter scoring: u from random pairs, m by EM regularised toward a shipped prior.

Each comparison level k of comparison c has m = P(level | match) and u = P(level | non-match).
A pair's match weight in bits is the prior's log-odds plus, for each comparison, log2(m/u) of its
level (0 where the value is missing: missing carries no evidence), plus a term-frequency
adjustment on levels marked ``tf``: agreeing on a rare value counts for more than on a common
one, but never less than the level beneath it.

u is measured on random custody x field pairs (nearly all non-matches). m and the share of
matches among blocked pairs are learnt by one EM over every candidate pair, aggregated into
distinct patterns (levels, which comparisons blocking forced, label) with counts, so fitting
cost does not grow with the pairs. A comparison is *forced* for a pair when every blocking rule
that made the pair forces its agreement (:attr:`linkage.blocking.BlockingRule.evidence`): such
pairs say nothing about that comparison's m. In the E-step a forced comparison still takes part,
with its own m and u for forced pairs; its population m (the one that scores) is learnt only from
the pairs where it was not forced.

m starts at the shipped prior model (``data/models/prior_model.json``, learnt from labelled
synthetic populations, see ``bench/train_prior.py``) and is regularised toward it by Dirichlet
pseudo-counts: ``prior_strength`` pseudo-matches spread over the levels as the prior's m. A
small or one-sided job stays near the prior, a large one learns its own values; a comparison the
data cannot teach keeps the prior (``evidence_`` says which). After EM, nested levels keep their
order (:mod:`linkage.comparisons.order`): violators are pooled.

Pairs a reviewer labelled are held at their label during EM. The prior used for scoring is the
expected share of matches over all custody x field pairs, so probabilities mean the same
whatever the blocking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linkage.comparisons.arrays import unique_rows
from linkage.comparisons.base import MISSING, Comparison
from linkage.comparisons.order import below, chains
from normalizers.resources import data_path

#: pseudo-count added to every level when estimating probabilities without a prior
SMOOTHING = 0.5
#: bound on a term-frequency adjustment, in bits
TF_BOUND = 6.0
#: default weight of the prior model, in pseudo-matches per comparison (see :class:`FellegiSunter`)
PRIOR_STRENGTH = 50.0
#: a comparison whose non-forced pairs hold fewer expected matches than this rests on the prior
MIN_EXPECTED_MATCHES = 1.0
#: EM that finds fewer matches than this share of the smaller file has let the blocked
#: non-matches explain every pair (their u is learnt too): it runs again with u held at the
#: random pairs' values, as when nothing else tells matches apart (names forced by every rule)
DEGENERATE_SHARE = 0.005
#: rounds of taking the random pairs' likely matches out of u (see :meth:`FellegiSunter.fit`)
U_ROUNDS = 3


@dataclass
class EMReport:
    """How EM went, reported honestly."""

    iterations: int = 0
    converged: bool = False
    last_change: float = float("nan")
    max_iterations: int = 0
    tolerance: float = 0.0
    #: EM ran again with u held at the random pairs' values: the first run found almost no
    #: matches among the candidate pairs (see :data:`DEGENERATE_SHARE`)
    u_held: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "iterations": self.iterations,
            "converged": self.converged,
            "last_change": self.last_change,
            "max_iterations": self.max_iterations,
            "tolerance": self.tolerance,
            "u_held": self.u_held,
        }

    def describe(self) -> str:
        """One line for the console: converged or not, iterations of how many, last change."""
        state = "converged" if self.converged else "did NOT converge"
        held = "; u held at the random pairs' values" if self.u_held else ""
        return (
            f"EM {state} after {self.iterations} of at most {self.max_iterations} iterations "
            f"(last change {self.last_change:.2g}, tolerance {self.tolerance:.0e}{held})"
        )


def load_prior(path: str | Path | None = None) -> dict:
    """The shipped prior model (or the one at ``path``) as plain data: provenance, version and,
    per comparison, each level's m (and u)."""
    path = Path(path) if path is not None else data_path("models", "prior_model.json")
    return json.loads(path.read_text(encoding="utf-8"))


def prior_m(prior: dict, comparisons: list[Comparison]) -> list[np.ndarray | None]:
    """Each comparison's prior m in its level order (None where the prior lacks it or any of its
    levels)."""
    by_name = {c["name"]: {lv["name"]: lv["m"] for lv in c["levels"]} for c in prior["comparisons"]}
    out: list[np.ndarray | None] = []
    for c in comparisons:
        levels = by_name.get(c.name, {})
        if set(c.level_names()) <= set(levels):
            m = np.array([levels[n] for n in c.level_names()], dtype=float)
            out.append(m / m.sum())
        else:
            out.append(None)
    return out


def forced_matrix(
    rule_mask: np.ndarray, evidence: list[tuple[str, ...]], names: list[str]
) -> np.ndarray:
    """(pairs, comparisons) booleans: the comparison is forced for the pair when every rule that
    made the pair (bit i of ``rule_mask`` is rule i, whose ``evidence[i]`` it forces) forces it.

    >>> forced_matrix(np.array([1, 2, 3]), [("name",), ("birth_date",)], ["name", "birth_date"])
    array([[ True, False],
           [False,  True],
           [False, False]])
    """
    out = np.zeros((len(rule_mask), len(names)), dtype=bool)
    for j, name in enumerate(names):
        free = sum(1 << i for i, ev in enumerate(evidence) if name not in ev)
        out[:, j] = (rule_mask & free) == 0
    return out & (rule_mask != 0)[:, None]


class FellegiSunter:
    """A Fellegi-Sunter model over a list of comparisons.

    Configure in ``__init__``: ``prior`` is a prior model's plain data (:func:`load_prior`) or
    None to learn from the data alone; ``prior_strength`` its weight in pseudo-matches. Learn with
    :meth:`fit`; score with :meth:`bits` and :meth:`weights`. Learned values end in ``_``: ``u_``
    and ``m_`` (per comparison, one share per level), ``prior_`` (share of matches among all
    custody x field pairs), ``blocked_share_`` (among blocked pairs), ``em_`` (how EM went),
    ``evidence_`` (per comparison: the pairs and expected matches that taught its m, and whether
    it rests on the prior alone), ``term_frequencies_`` (per tf comparison: value -> frequency).
    """

    def __init__(
        self,
        comparisons: list[Comparison],
        *,
        max_iterations: int = 100,
        tolerance: float = 1e-5,
        prior: dict | None = None,
        prior_strength: float = PRIOR_STRENGTH,
    ) -> None:
        self.comparisons = comparisons
        self.max_iterations = max_iterations
        self.tolerance = tolerance
        self.prior = prior
        self.prior_strength = prior_strength
        self.m_: list[np.ndarray] = []
        self.u_: list[np.ndarray] = []
        self.prior_ = float("nan")
        self.blocked_share_ = float("nan")
        self.em_ = EMReport()
        self.evidence_: list[dict[str, object]] = []
        self.term_frequencies_: dict[str, dict[str, float]] = {}

    @property
    def prior_only_(self) -> list[str]:
        """Comparisons the job compared but whose m its data could not teach: they keep the
        prior (source "prior") or, without one, carry no evidence (source "none")."""
        return [str(e["comparison"]) for e in self.evidence_ if e["source"] in ("prior", "none")]

    # learning ---------------------------------------------------------------------------
    def fit(
        self,
        vectors: np.ndarray,
        random_vectors: np.ndarray,
        n_custody: int,
        n_field: int,
        labels: np.ndarray | None = None,
        forced: np.ndarray | None = None,
        sample_weight: np.ndarray | None = None,
    ) -> FellegiSunter:
        """Learn u from random pairs, then m and the share of matches by one EM over the pairs.

        ``vectors``: comparison levels of the blocked pairs, shape (n, n_comparisons);
        ``random_vectors``: the same for random custody x field pairs (nearly all non-matches).
        ``labels`` (optional, one per blocked pair): 1 match, 0 non-match, -1 unknown; labelled
        pairs keep their label through EM. ``forced`` (optional, same shape as ``vectors``):
        where blocking forced a comparison's agreement (see :func:`forced_matrix`).
        ``sample_weight`` (optional, one per row of ``vectors``): how many pairs each row stands
        for, so that distinct patterns with their counts (what the Spark engine collects) fit
        exactly as the pairs themselves.
        """
        n_comp = len(self.comparisons)
        n_levels = [len(c.levels) for c in self.comparisons]
        self.u_ = [_weighted_shares(random_vectors[:, j], None, k) for j, k in enumerate(n_levels)]
        if labels is None:
            labels = np.full(len(vectors), -1, dtype=np.int8)
        if forced is None:
            forced = np.zeros(vectors.shape, dtype=bool)
        prior = prior_m(self.prior, self.comparisons) if self.prior is not None else [None] * n_comp
        if sample_weight is None:
            sample_weight = np.ones(len(vectors))
        patterns, is_forced, fixed, counts = _patterns(vectors, forced, labels, sample_weight)
        result = self._em(patterns, is_forced, fixed, counts, prior, n_custody)
        floor = max(MIN_EXPECTED_MATCHES, DEGENERATE_SHARE * min(n_custody, n_field))
        if result["share"] * float(counts.sum()) < floor:
            result = self._em(patterns, is_forced, fixed, counts, prior, n_custody, hold_u=True)
        self.em_ = result["report"]
        self.blocked_share_ = result["share"]
        self.evidence_ = []
        m: list[np.ndarray | None] = []
        for j, c in enumerate(self.comparisons):
            present = patterns[:, j] != MISSING
            free = ~is_forced[:, j] & present
            expected = float((result["post"] * counts)[free].sum())
            taught = expected >= MIN_EXPECTED_MATCHES
            if taught:
                m_j = result["m"][j]
            elif prior[j] is not None:
                m_j = prior[j]
            else:  # nothing to learn from and no prior: no evidence (m is u, see _ordered)
                m_j = None
            m.append(m_j)
            self.evidence_.append(
                {
                    "comparison": c.name,
                    "pairs": int(counts[free].sum()),
                    "expected_matches": round(expected, 2),
                    "source": _source(taught, prior[j] is not None, bool(present.any())),
                }
            )
        expected_matches = result["share"] * float(np.sum(sample_weight))
        self.prior_ = float(np.clip(expected_matches / max(n_custody * n_field, 1), 1e-12, 0.5))
        self.m_ = self._ordered(m)
        for _ in range(U_ROUNDS):
            # random pairs hold matches too (one in 1/prior_): in a small job, most random pairs
            # that agree on a whole name are matches, and u would cap that level near 0 bits
            match = self.probability(self.weights(self.bits(random_vectors)))
            self.u_ = [
                _weighted_shares(random_vectors[:, j], 1.0 - match, k)
                for j, k in enumerate(n_levels)
            ]
            self.m_ = self._ordered(m)
        return self

    def _ordered(self, m: list[np.ndarray | None]) -> list[np.ndarray]:
        """``m`` made monotone down every chain of nested levels against the current ``u_``;
        a comparison without evidence (None) gets m = u, 0 bits on every level."""
        return [
            u_j.copy() if m_j is None else _monotone(m_j, u_j, chains(c))
            for m_j, u_j, c in zip(m, self.u_, self.comparisons, strict=True)
        ]

    def _em(
        self,
        patterns: np.ndarray,
        is_forced: np.ndarray,
        fixed: np.ndarray,
        counts: np.ndarray,
        prior: list[np.ndarray | None],
        n_custody: int,
        hold_u: bool = False,
    ) -> dict:
        """Two-class EM over distinct patterns.

        Parameters per comparison: ``m`` and ``u`` on the pairs where it was not forced (u for
        the blocked non-matches, which agree more than random pairs do: relatives live together;
        ``hold_u`` keeps it at the random pairs' values), and ``mf``, ``uf`` on the pairs where
        it was forced. ``m`` gets the prior's pseudo-counts.
        """
        n_levels = [len(c.levels) for c in self.comparisons]
        start = [
            p if p is not None else _initial_m(k) for p, k in zip(prior, n_levels, strict=True)
        ]
        m = [s.copy() for s in start]
        mf = [s.copy() for s in start]
        u = [x.copy() for x in self.u_]
        uf = [x.copy() for x in self.u_]
        pseudo = [
            self.prior_strength * p if p is not None else np.full(k, SMOOTHING)
            for p, k in zip(prior, n_levels, strict=True)
        ]
        total = counts.sum()
        share = float(np.clip(0.8 * n_custody / max(total, 1), 1e-3, 0.5))
        report = EMReport(
            max_iterations=self.max_iterations, tolerance=self.tolerance, u_held=hold_u
        )
        post = np.zeros(len(patterns))
        for iteration in range(1, self.max_iterations + 1):
            log_m = np.full(len(patterns), np.log(share))
            log_u = np.full(len(patterns), np.log1p(-share))
            for j in range(len(n_levels)):
                lv = patterns[:, j]
                ok = lv != MISSING
                f = is_forced[:, j]
                a, b = ok & ~f, ok & f
                log_m[a] += np.log(m[j][lv[a]])
                log_u[a] += np.log(u[j][lv[a]])
                log_m[b] += np.log(mf[j][lv[b]])
                log_u[b] += np.log(uf[j][lv[b]])
            post = 1.0 / (1.0 + np.exp(np.clip(log_u - log_m, -700, 700)))
            post = np.where(fixed == 1, 1.0, np.where(fixed == 0, 0.0, post))
            w_m, w_u = post * counts, (1 - post) * counts
            new_share = float(np.clip(w_m.sum() / max(total, 1), 1e-9, 1 - 1e-9))
            new = {"m": [], "u": [], "mf": [], "uf": []}
            for j, k in enumerate(n_levels):
                f = is_forced[:, j]
                lv = patterns[:, j]
                new["m"].append(_weighted_shares(lv[~f], w_m[~f], k, pseudo[j]))
                new["u"].append(u[j] if hold_u else _weighted_shares(lv[~f], w_u[~f], k))
                new["mf"].append(_weighted_shares(lv[f], w_m[f], k, pseudo[j]))
                new["uf"].append(_weighted_shares(lv[f], w_u[f], k))
            change = abs(new_share - share)
            for key, old in (("m", m), ("u", u), ("mf", mf), ("uf", uf)):
                for a, b in zip(new[key], old, strict=True):
                    change = max(change, float(np.abs(a - b).max()))
            m, u, mf, uf, share = new["m"], new["u"], new["mf"], new["uf"], new_share
            report.iterations, report.last_change = iteration, change
            if change < self.tolerance:
                report.converged = True
                break
        return {"m": m, "share": share, "post": post, "report": report}

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
        pair (NaN where unknown; :func:`linkage.comparisons.run.tf_values`); it adjusts the weight
        of that comparison's ``tf`` levels, but never below the weight of a level beneath it
        (:mod:`linkage.comparisons.order`).
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
            adjusted = out[use, j] + np.clip(np.log2(u_level / freq[use]), -TF_BOUND, TF_BOUND)
            floor = _floors(table, below(comparison))[lv[use]]
            out[use, j] = np.maximum(adjusted, floor)
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
            "prior_model": _provenance(self.prior),
            "prior_strength": self.prior_strength if self.prior is not None else 0.0,
            "em": self.em_.to_dict(),
            "evidence": self.evidence_,
            "prior_only": self.prior_only_,
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
        model.evidence_ = list(data.get("evidence", []))
        return model

    @classmethod
    def load(cls, path: str | Path, comparisons: list[Comparison]) -> FellegiSunter:
        return cls.from_dict(json.loads(Path(path).read_text()), comparisons)


def _source(taught: bool, has_prior: bool, present: bool) -> str:
    """Where a comparison's m comes from: "data", "prior", "none" (neither: no evidence), or
    "absent" (no pair has the value on both sides: nothing to score either)."""
    if taught:
        return "data"
    if not present:
        return "absent"
    return "prior" if has_prior else "none"


def _provenance(prior: dict | None) -> dict[str, object] | None:
    if prior is None:
        return None
    return {k: prior[k] for k in ("version", "created", "method") if k in prior}


def _patterns(
    vectors: np.ndarray, forced: np.ndarray, labels: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (levels, forced, label) rows with the pairs they stand for (summed weights)."""
    n_comp = vectors.shape[1]
    table = np.concatenate(
        [vectors.astype(np.int16), forced.astype(np.int16), labels.astype(np.int16)[:, None]],
        axis=1,
    )
    if len(table) == 0:
        table = np.empty((0, 2 * n_comp + 1), dtype=np.int16)
    unique, inverse = unique_rows(table)
    counts = np.bincount(inverse.ravel(), weights=np.asarray(weights, float), minlength=len(unique))
    return (
        unique[:, :n_comp],
        unique[:, n_comp : 2 * n_comp].astype(bool),
        unique[:, -1],
        counts.astype(float),
    )


def _weighted_shares(
    levels: np.ndarray, weights: np.ndarray | None, n_levels: int, pseudo: np.ndarray | None = None
) -> np.ndarray:
    """Share of each level among ``levels`` (missing left out), weighted, plus pseudo-counts
    (default :data:`SMOOTHING` on every level)."""
    ok = levels != MISSING
    w = None if weights is None else weights[ok]
    sums = np.bincount(levels[ok].astype(np.int64), weights=w, minlength=n_levels)[:n_levels]
    sums = sums + (pseudo if pseudo is not None else SMOOTHING)
    return sums / sums.sum()


def _initial_m(n_levels: int) -> np.ndarray:
    """A starting m that favours the strongest levels: 0.5, 0.25, ... normalised."""
    raw = 0.5 ** np.arange(1, n_levels + 1)
    return raw / raw.sum()


def _monotone(
    m: np.ndarray, u: np.ndarray, level_chains: tuple[tuple[int, ...], ...]
) -> np.ndarray:
    """m with its bits log2(m/u) non-increasing down every chain of nested levels.

    Violators are pooled: while a level weighs more than one above it in a chain, the two
    levels' groups merge and share the ratio sum(m)/sum(u), which keeps m summing to one.

    >>> _monotone(np.array([0.2, 0.5, 0.3]), np.array([0.1, 0.1, 0.8]), ((0, 1, 2),)).round(3)
    array([0.35, 0.35, 0.3 ])
    """
    m = m.astype(float).copy()
    group = list(range(len(m)))
    edges = [(a, b) for chain in level_chains for a, b in zip(chain, chain[1:], strict=False)]
    while True:
        ratio = {g: m[_members(group, g)].sum() / u[_members(group, g)].sum() for g in set(group)}
        violated = [
            (a, b)
            for a, b in edges
            if group[a] != group[b] and ratio[group[a]] < ratio[group[b]] * (1 - 1e-12)
        ]
        if not violated:
            return m
        a, b = violated[0]
        old, new = group[b], group[a]
        group = [new if g == old else g for g in group]
        members = _members(group, new)
        m[members] = u[members] * (m[members].sum() / u[members].sum())


def _members(group: list[int], g: int) -> list[int]:
    return [k for k, x in enumerate(group) if x == g]


def _floors(table: np.ndarray, beneath: dict[int, tuple[int, ...]]) -> np.ndarray:
    """Per level (and the missing slot): the highest weight of the levels right beneath it."""
    floors = np.full(len(table) + 1, -np.inf)
    for k, lower in beneath.items():
        floors[k] = max(table[b] for b in lower)
    return floors
