"""The match job as one function: read, normalize, block, compare, score, rank.

>>> result = link(custody_df, field_df, top_k=5)        # doctest: +SKIP
>>> result.matches.head()                               # doctest: +SKIP
>>> result.explain("C000001", "F0000042")               # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import pandas as pd

from linkage.blocking import DEFAULT_RULES, BlockingError, BlockingRule, block
from linkage.clusters import cluster_reports
from linkage.comparisons import default_comparisons
from linkage.comparisons.base import MISSING_LEVEL, Comparison
from linkage.comparisons.run import (
    compare_all,
    compare_pairs,
    compared_columns,
    pair_frame,
    term_frequencies,
    tf_values,
)
from linkage.competition import competition_bits
from linkage.decisions import apply_decisions, labels_for_training
from linkage.explain import add_reasons, explanation
from linkage.io import REJECT_COLUMNS, ReadResult, read_frame
from linkage.model import FellegiSunter, forced_matrix, load_prior
from linkage.progress import Progress, Stopwatch
from linkage.rank import assign_one_to_one, rank_candidates
from linkage.reference import normalize_options, settle_reference
from linkage.settings import Settings
from normalizers.frame import normalize, unreadable_values

log = logging.getLogger("reencuentro")


@dataclass
class LinkResult:
    """What a match job produced; every DataFrame is plain pandas.

    ``matches``: one row per kept pair (custody_id, field_id, rank, match_probability,
    match_weight, competition_bits (what the record's other candidates add to the weight, see
    :mod:`linkage.competition`), margin, field_person, then per comparison its level name and
    ``<name>_bits``, reason_es, reason_en). ``pairs``: every scored pair (custody_id, field_id,
    match_weight, competition_bits, match_probability). ``custody``/``field``: input records
    indexed by record_id, raw and normalized columns. ``blocking``: pairs per rule.
    ``rejects``: file, row, column, reason, kind.
    """

    matches: pd.DataFrame
    pairs: pd.DataFrame
    custody: pd.DataFrame
    field: pd.DataFrame
    model: FellegiSunter
    blocking: pd.DataFrame
    rejects: pd.DataFrame
    settings: Settings
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    #: the job's reference date and where it came from (:mod:`linkage.reference`)
    reference: dict[str, object] = field(default_factory=dict)
    #: share of custody records whose person is among their candidates
    #: (:mod:`linkage.competition`)
    matched_share: float = float("nan")

    def explain(self, custody_id: str, field_id: str) -> pd.DataFrame:
        """Why a pair scored as it did: one row per comparison with its level, bits and values,
        and the prior's row (see :func:`linkage.explain.explanation`). Any pair can be
        explained, kept or not."""
        comparisons = self.model.comparisons
        left, right = self.custody.loc[custody_id], self.field.loc[field_id]
        pair = pair_frame(left.to_frame().T, right.to_frame().T, compared_columns(comparisons))
        vector = compare_pairs(pair, comparisons).to_numpy()
        tf = tf_values(pair, comparisons, self.model.term_frequencies_)
        bits = self.model.bits(vector, tf)[0]
        levels = level_names(vector, comparisons)[0]
        scored = self.pairs[
            (self.pairs["custody_id"] == custody_id) & (self.pairs["field_id"] == field_id)
        ]
        return explanation(
            comparisons,
            dict(zip([c.name for c in comparisons], levels, strict=True)),
            dict(zip([c.name for c in comparisons], bits, strict=True)),
            self.model.prior_bits,
            left,
            right,
            float(scored["competition_bits"].iloc[0]) if len(scored) else 0.0,
        )


def level_names(vectors: np.ndarray, comparisons: Sequence[Comparison]) -> np.ndarray:
    """Level names (``"missing"`` where a side lacks the value) of comparison vectors.

    >>> from linkage.comparisons.sex import SexComparison
    >>> level_names(np.array([[0], [1], [-1]], dtype=np.int8), [SexComparison()]).tolist()
    [['same_sex'], ['different_sex'], ['missing']]
    """
    out = np.empty(vectors.shape, dtype=object)
    for j, c in enumerate(comparisons):
        names = np.array([*c.level_names(), MISSING_LEVEL], dtype=object)
        out[:, j] = names[vectors[:, j].astype(np.int64)]
    return out


#: raw records, day_first, english_sex -> raw plus normalized columns
Normalizer = Callable[[pd.DataFrame, bool, bool], pd.DataFrame]


def prepare(
    data: pd.DataFrame | ReadResult,
    side: str,
    settings: Settings | None = None,
    normalizer: Normalizer = normalize,
) -> tuple[ReadResult, pd.DataFrame]:
    """Read (when given a DataFrame) and normalize one side of a job: ``side`` is "custody" or
    "field", which sets how its dates (day or month first, from ``settings``) and its sex codes
    (custody files are written by English-speaking clerks: "M" is male) are read.

    Returns the read result, its rejects completed with the values that could not be used, and
    the normalized records indexed by record_id. ``normalizer`` stands in for
    :func:`normalizers.frame.normalize` (which also gets the settings' reference date and
    ``sex_m``; without a ``reference_date`` setting, :func:`prepare_both` settles one).
    """
    if side not in ("custody", "field"):
        raise ValueError(f"side must be 'custody' or 'field', not {side!r}")
    settings = settings or Settings()
    read = data if isinstance(data, ReadResult) else read_frame(data, side)
    day_first = settings.custody_day_first if side == "custody" else settings.field_day_first
    if normalizer is normalize:
        normalizer = partial(normalize, **normalize_options(settings))
    normalized = normalizer(read.records, day_first, side == "custody")
    normalized.index = pd.Index(read.records["record_id"].astype(str), name="record_id")
    value_rejects = unreadable_values(normalized, str(read.path))
    rejects = pd.concat([read.rejects, value_rejects], ignore_index=True)
    return replace(read, rejects=rejects), normalized


def prepare_both(
    custody: pd.DataFrame | ReadResult,
    field: pd.DataFrame | ReadResult,
    settings: Settings,
    normalizer: Normalizer = normalize,
) -> tuple[tuple[ReadResult, pd.DataFrame], tuple[ReadResult, pd.DataFrame]]:
    """:func:`prepare` of both sides of a job, custody first (what every engine starts with),
    on the job's reference date (:func:`linkage.reference.settle_reference`)."""
    custody, field, settings, _ = settle_reference(custody, field, settings)
    return (
        prepare(custody, "custody", settings, normalizer),
        prepare(field, "field", settings, normalizer),
    )


def default_rules(settings: Settings) -> tuple[BlockingRule, ...]:
    """The default blocking rules that ``settings.blocking_rules`` names."""
    return tuple(r for r in DEFAULT_RULES if r.name in settings.blocking_rules)


def link(
    custody: pd.DataFrame | ReadResult,
    field: pd.DataFrame | ReadResult,
    settings: Settings | None = None,
    *,
    top_k: int | None = None,
    comparisons: list[Comparison] | None = None,
    rules: Sequence[BlockingRule] | None = None,
    model: FellegiSunter | None = None,
    decisions: pd.DataFrame | None = None,
    normalizer: Normalizer = normalize,
    quiet: bool = True,
    engine: str | None = None,
    spark_master: str | None = None,
) -> LinkResult:
    """Link custody records to field reports and rank candidates for each custody record.

    ``custody`` and ``field`` are DataFrames in the person schema (Spanish or English headers are
    recognised) or :class:`~linkage.io.ReadResult` from :func:`~linkage.io.read_records`.
    ``comparisons`` and ``rules``: the comparisons and blocking rules to use instead of the
    defaults (:func:`~linkage.comparisons.default_comparisons`, :func:`default_rules`).
    ``model``: a fitted model to score with instead of learning one (its comparisons are used).
    ``decisions``: reviewer decisions (see :mod:`linkage.decisions`): the model learns from them,
    confirmed matches go on top and leave other cases' candidates, rejected pairs never come back.
    ``normalizer``: stands in for :func:`normalizers.frame.normalize` (see :func:`prepare`).
    ``engine``: "embedded" (this machine) or "spark" (:mod:`linkage.engines.spark`, on
    ``spark_master`` or the active Spark session); by default ``settings.engine``. Both give
    the same matches.
    """
    settings = (settings or Settings()).replace(
        top_k=top_k, engine=engine, spark_master=spark_master
    )
    if model is not None and comparisons is not None and comparisons is not model.comparisons:
        raise ValueError("give comparisons or a fitted model, not both")
    if settings.engine == "spark":
        from linkage.engines.spark import link_spark

        return link_spark(
            custody,
            field,
            settings,
            comparisons=comparisons,
            rules=rules,
            model=model,
            decisions=decisions,
            normalizer=normalizer,
            quiet=quiet,
            spark_master=settings.spark_master or None,
        )
    progress = Progress(quiet=quiet)
    watch = Stopwatch()
    lap = watch.lap

    with progress.step("normalize"):
        custody, field, settings, reference = settle_reference(custody, field, settings)
        (c_read, c_norm), (f_read, f_norm) = prepare_both(custody, field, settings, normalizer)
    lap("normalize")
    log.info("normalized %d custody and %d field records", len(c_norm), len(f_norm))

    rules = tuple(rules) if rules is not None else default_rules(settings)
    with progress.step("block"):
        positions, rule_mask, blocking = block(
            c_norm, f_norm, rules, settings.max_pairs_per_rule, settings.max_pairs_per_key
        )
    lap("block")
    log.info("blocking made %d candidate pairs", len(positions))
    if len(positions) == 0:
        raise BlockingError(
            f"nothing to match: none of the {len(c_norm)} custody records shares a blocking key "
            f"with any of the {len(f_norm)} field reports (names, birth dates, IDs, phones)"
        )

    if model is not None:
        comparisons = model.comparisons
    elif comparisons is None:
        comparisons = default_comparisons(settings)
    compare_options = {
        "chunk_pairs": settings.chunk_pairs,
        "workers": settings.workers,
        "progress": progress,
    }
    tf_tables = term_frequencies(comparisons, c_norm, f_norm)
    with progress.step("compare"):
        vectors, agreed_tf = compare_all(
            c_norm, f_norm, positions, comparisons, tf_tables, **compare_options
        )
    lap("compare")

    if model is None:
        with progress.step("fit"):
            n_custody, n_field = len(c_norm), len(f_norm)
            random_pos = random_pairs(n_custody, n_field, settings.random_pairs, settings.seed)
            random_vectors, _ = compare_all(
                c_norm, f_norm, random_pos, comparisons, {}, **compare_options
            )
            labels = labels_for_training(decisions) if decisions is not None else None
            forced = forced_matrix(
                rule_mask, [r.evidence for r in rules], [c.name for c in comparisons]
            )
            model = new_model(comparisons, settings).fit(
                vectors,
                random_vectors,
                len(c_norm),
                len(f_norm),
                _pair_labels(labels, positions, c_norm, f_norm),
                forced,
            )
        lap("fit")
        report_fit(model)
    model.term_frequencies_ = tf_tables
    weights = _weights(model, vectors, agreed_tf, settings.chunk_pairs * 20, progress)
    lap("score")

    with progress.step("rank"):
        person = cluster_reports(f_norm, model, settings.cluster_min_bits, settings.workers)
        others, matched_share = competition_bits(
            positions[:, 0], person[positions[:, 1]], weights, len(c_norm)
        )
        scored = pd.DataFrame(
            {
                "custody_id": c_norm.index.to_numpy()[positions[:, 0]],
                "field_id": f_norm.index.to_numpy()[positions[:, 1]],
                "field_person": person[positions[:, 1]],
                "match_weight": weights,
                "competition_bits": others,
                "match_probability": model.probability(weights + others),
                "pair": np.arange(len(positions)),
            }
        )
        ranked = rank_candidates(scored, settings.top_k)
        kept = ranked["pair"].to_numpy()
        bits = model.bits(vectors[kept], {k: v[kept] for k, v in agreed_tf.items()})
        matches = add_reasons(_matches_frame(ranked, vectors, bits, comparisons, settings), model)
        if decisions is not None:
            matches = apply_decisions(matches, decisions)
    lap("rank")

    counts = {
        "custody": _count(c_read, c_norm, matches["custody_id"]),
        "field": _count(f_read, f_norm, matches["field_id"]),
    }
    rejects = pd.concat([c_read.rejects, f_read.rejects], ignore_index=True)[REJECT_COLUMNS]
    return LinkResult(
        matches=matches,
        pairs=scored[
            ["custody_id", "field_id", "match_weight", "competition_bits", "match_probability"]
        ],
        custody=c_norm,
        field=f_norm,
        model=model,
        blocking=blocking,
        rejects=rejects,
        settings=settings,
        counts=counts,
        timings=watch.timings,
        reference=reference,
        matched_share=matched_share,
    )


def report_fit(model: FellegiSunter) -> None:
    """Say on the console how the fit went; warn when EM did not converge or a comparison rests
    on the prior alone (or, without a prior, carries no evidence)."""
    if model.em_.converged:
        log.info(model.em_.describe())
    else:
        log.warning("warning: %s", model.em_.describe())
    for e in model.evidence_:
        if e["source"] == "prior":
            log.warning(
                "warning: the data cannot teach comparison %r (%d pairs where blocking left it "
                "free); its weights are the shipped prior's",
                e["comparison"],
                e["pairs"],
            )
        elif e["source"] == "none":
            log.warning(
                "warning: the data cannot teach comparison %r and there is no prior: it carries "
                "no evidence",
                e["comparison"],
            )


def new_model(comparisons: list[Comparison], settings: Settings) -> FellegiSunter:
    """An unfitted model over ``comparisons``, configured by ``settings`` (EM iterations, the
    shipped prior model and its strength, or no prior)."""
    return FellegiSunter(
        comparisons,
        max_iterations=settings.max_em_iterations,
        prior=load_prior() if settings.use_prior else None,
        prior_strength=settings.prior_strength,
    )


def random_pairs(n_custody: int, n_field: int, n: int, seed: int) -> np.ndarray:
    """``n`` seeded random (custody position, field position) pairs (fewer if the files hold
    fewer pairs), from which the model learns u.

    >>> random_pairs(3, 4, 2, seed=0).tolist()
    [[2, 2], [1, 1]]
    """
    rng = np.random.default_rng(seed)
    n = min(n, n_custody * n_field)
    return np.stack([rng.integers(0, n_custody, n), rng.integers(0, n_field, n)], axis=1)


def _count(read: ReadResult, normalized: pd.DataFrame, matched_ids: pd.Series) -> dict[str, int]:
    matched = int(normalized.index.isin(matched_ids.unique()).sum())
    return {
        "rows_read": read.rows_read,
        "rows_rejected": read.rows_rejected,
        "rows_scored": len(normalized),
        "rows_with_candidates": matched,
        "rows_without_candidates": len(normalized) - matched,
        "values_ignored": int((read.rejects["kind"] == "value").sum()),
    }


def _pair_labels(
    labels: pd.DataFrame | None, positions: np.ndarray, c_norm: pd.DataFrame, f_norm: pd.DataFrame
) -> np.ndarray | None:
    if labels is None or labels.empty:
        return None
    code = pd.Series(
        np.arange(len(positions)),
        index=pd.MultiIndex.from_arrays(
            [c_norm.index.to_numpy()[positions[:, 0]], f_norm.index.to_numpy()[positions[:, 1]]]
        ),
    )
    out = np.full(len(positions), -1, dtype=np.int8)
    keys = pd.MultiIndex.from_frame(labels[["custody_id", "field_id"]].astype(str))
    found = keys.isin(code.index)
    out[code.loc[keys[found]].to_numpy()] = labels.loc[found, "is_match"].astype(int).to_numpy()
    return out


def _weights(
    model: FellegiSunter,
    vectors: np.ndarray,
    agreed_tf: dict[str, np.ndarray],
    chunk: int,
    progress: Progress,
) -> np.ndarray:
    """Match weights of every pair, scored in chunks so that per-comparison bits are never held
    for all pairs at once."""
    starts = progress.iterate(range(0, len(vectors), max(chunk, 1)), "score")
    parts = [
        model.weights(
            model.bits(vectors[s : s + chunk], {k: v[s : s + chunk] for k, v in agreed_tf.items()})
        )
        for s in starts
    ]
    return np.concatenate(parts) if parts else np.empty(0)


def _matches_frame(
    ranked: pd.DataFrame,
    vectors: np.ndarray,
    bits: np.ndarray,
    comparisons: list[Comparison],
    settings: Settings,
) -> pd.DataFrame:
    """The kept pairs with their levels and bits; ``bits`` holds the rows of ``ranked``."""
    idx = ranked["pair"].to_numpy()
    out = ranked[
        [
            "custody_id",
            "field_id",
            "rank",
            "match_probability",
            "match_weight",
            "competition_bits",
            "margin",
            "field_person",
        ]
    ].copy()
    names = level_names(vectors[idx], comparisons)
    for j, c in enumerate(comparisons):
        out[c.name] = names[:, j]
        out[f"{c.name}_bits"] = bits[:, j].round(4)
    out["match_weight"] = out["match_weight"].round(4)
    out["competition_bits"] = out["competition_bits"].round(4)
    out["match_probability"] = out["match_probability"].round(6)
    out["margin"] = out["margin"].round(4)
    if settings.one_to_one:
        out["assigned"] = assign_one_to_one(out, settings.threshold)
    return out.reset_index(drop=True)
