"""The match job as one function: read, normalize, block, compare, score, rank.

>>> result = link(custody_df, field_df, top_k=5)        # doctest: +SKIP
>>> result.matches.head()                               # doctest: +SKIP
>>> result.explain("C000001", "F0000042")               # doctest: +SKIP
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from linkage.blocking import DEFAULT_RULES, block
from linkage.comparisons import default_comparisons, evidence_of
from linkage.comparisons.base import MISSING, Comparison
from linkage.comparisons.run import (
    compare_all,
    compare_pairs,
    compared_columns,
    pair_frame,
    term_frequencies,
    tf_values,
)
from linkage.decisions import apply_decisions, labels_for_training
from linkage.explain import add_reasons
from linkage.io import REJECT_COLUMNS, ReadResult, read_frame
from linkage.model import FellegiSunter, Session
from linkage.progress import Progress
from linkage.rank import assign_one_to_one, cluster_reports, rank_candidates
from linkage.settings import Settings
from normalizers.frame import normalize, unreadable_values

log = logging.getLogger("reencuentro")


@dataclass
class LinkResult:
    """What a match job produced; every DataFrame is plain pandas.

    ``matches``: one row per kept pair (custody_id, field_id, rank, match_probability,
    match_weight, margin, field_person, then per comparison its level name and ``<name>_bits``,
    reason_es, reason_en). ``pairs``: every scored pair (custody_id, field_id, match_weight,
    match_probability). ``custody``/``field``: input records indexed by record_id, raw and
    normalized columns. ``blocking``: pairs per rule. ``rejects``: file, row, column, reason, kind.
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

    def explain(self, custody_id: str, field_id: str) -> pd.DataFrame:
        """Why a pair scored as it did: one row per comparison with its level, bits and values."""
        left = self.custody.loc[custody_id]
        right = self.field.loc[field_id]
        pair = pair_frame(
            left.to_frame().T, right.to_frame().T, compared_columns(self.model.comparisons)
        )
        vector = compare_pairs(pair, self.model.comparisons).to_numpy()
        tf = tf_values(pair, self.model.comparisons, self.model.term_frequencies)
        bits = self.model.bits(vector, tf)[0]
        rows = []
        for j, c in enumerate(self.model.comparisons):
            level = int(vector[0, j])
            lv = c.levels[level] if level != MISSING else None
            rows.append(
                {
                    "comparison": c.name,
                    "level": lv.name if lv else "missing",
                    "es": lv.es if lv else "Sin dato en uno de los dos registros",
                    "en": lv.en if lv else "Missing on one side",
                    "bits": float(bits[j]),
                    "custody_value": _show(left, c.columns),
                    "field_value": _show(right, c.columns),
                }
            )
        rows.append(
            {
                "comparison": "prior",
                "level": "prior",
                "es": "Probabilidad previa de coincidencia",
                "en": "Prior odds of a match",
                "bits": self.model.prior_bits,
                "custody_value": "",
                "field_value": "",
            }
        )
        return pd.DataFrame(rows)


def _show(record: pd.Series, columns: tuple[str, ...]) -> str:
    values = [str(record[c]) for c in columns if c in record and not _isna(record[c])]
    return " | ".join(values)


def _isna(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _prepare(
    data: pd.DataFrame | ReadResult, label: str, day_first: bool
) -> tuple[ReadResult, pd.DataFrame]:
    read = data if isinstance(data, ReadResult) else read_frame(data, label)
    normalized = normalize(read.records, day_first=day_first, english_sex=label == "custody")
    normalized.index = pd.Index(read.records["record_id"].astype(str), name="record_id")
    value_rejects = unreadable_values(normalized, str(read.path))
    rejects = pd.concat([read.rejects, value_rejects], ignore_index=True)
    return ReadResult(
        read.path, read.records, rejects, read.rows_read, read.encoding, read.header_map
    ), normalized


def link(
    custody: pd.DataFrame | ReadResult,
    field: pd.DataFrame | ReadResult,
    settings: Settings | None = None,
    *,
    top_k: int | None = None,
    model: FellegiSunter | None = None,
    decisions: pd.DataFrame | None = None,
    quiet: bool = True,
) -> LinkResult:
    """Link custody records to field reports and rank candidates for each custody record.

    ``custody`` and ``field`` are DataFrames in the person schema (Spanish or English headers are
    recognised) or :class:`~linkage.io.ReadResult` from :func:`~linkage.io.read_records`.
    ``model``: a fitted model to score with instead of learning one. ``decisions``: reviewer
    decisions (see :mod:`linkage.decisions`): the model learns from them, confirmed matches go on
    top and leave other cases' candidates, rejected pairs never come back.
    """
    settings = (settings or Settings()).replace(top_k=top_k)
    progress = Progress(quiet=quiet)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    with progress.step("normalize"):
        c_read, c_norm = _prepare(custody, "custody", settings.custody_day_first)
        f_read, f_norm = _prepare(field, "field", settings.field_day_first)
    lap("normalize")
    log.info("normalized %d custody and %d field records", len(c_norm), len(f_norm))

    rules = tuple(r for r in DEFAULT_RULES if r.name in settings.blocking_rules)
    with progress.step("block"):
        positions, rule_mask, blocking = block(c_norm, f_norm, rules, settings.max_pairs_per_rule)
    lap("block")
    log.info("blocking made %d candidate pairs", len(positions))

    comparisons = model.comparisons if model is not None else default_comparisons(settings)
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
        model = FellegiSunter(comparisons, max_iterations=settings.max_em_iterations)
        with progress.step("fit"):
            rng = np.random.default_rng(settings.seed)
            n_random = min(settings.random_pairs, len(c_norm) * len(f_norm))
            random_pos = np.stack(
                [rng.integers(0, len(c_norm), n_random), rng.integers(0, len(f_norm), n_random)],
                axis=1,
            )
            random_vectors, _ = compare_all(
                c_norm, f_norm, random_pos, comparisons, {}, **compare_options
            )
            model.fit_u(random_vectors)
            labels = labels_for_training(decisions) if decisions is not None else None
            pair_labels = _pair_labels(labels, positions, c_norm, f_norm)
            sessions = [
                Session(r.name, (rule_mask & (1 << i)) != 0, evidence_of(r.left + r.right_columns))
                for i, r in enumerate(rules)
            ]
            model.fit_m(vectors, len(c_norm), len(f_norm), pair_labels, sessions)
        lap("fit")
        log.info(
            "EM %s after %d iterations (last change %.2g)",
            "converged" if model.em.converged else "did not converge",
            model.em.iterations,
            model.em.last_change,
        )
    model.term_frequencies = tf_tables
    weights = _weights(model, vectors, agreed_tf, settings.chunk_pairs * 20)
    lap("score")

    with progress.step("rank"):
        person = cluster_reports(f_norm)
        scored = pd.DataFrame(
            {
                "custody_id": c_norm.index.to_numpy()[positions[:, 0]],
                "field_id": f_norm.index.to_numpy()[positions[:, 1]],
                "field_person": person[positions[:, 1]],
                "match_weight": weights,
                "match_probability": model.probability(weights),
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
        pairs=scored[["custody_id", "field_id", "match_weight", "match_probability"]],
        custody=c_norm,
        field=f_norm,
        model=model,
        blocking=blocking,
        rejects=rejects,
        settings=settings,
        counts=counts,
        timings=timings,
    )


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
    model: FellegiSunter, vectors: np.ndarray, agreed_tf: dict[str, np.ndarray], chunk: int
) -> np.ndarray:
    """Match weights of every pair, scored in chunks so that per-comparison bits are never held
    for all pairs at once."""
    parts = [
        model.weights(
            model.bits(vectors[s : s + chunk], {k: v[s : s + chunk] for k, v in agreed_tf.items()})
        )
        for s in range(0, len(vectors), max(chunk, 1))
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
            "margin",
            "field_person",
        ]
    ].copy()
    for j, c in enumerate(comparisons):
        names = np.array([lv.name for lv in c.levels] + ["missing"], dtype=object)
        out[c.name] = names[vectors[idx, j].astype(np.int64)]
        out[f"{c.name}_bits"] = bits[:, j].round(4)
    out["match_weight"] = out["match_weight"].round(4)
    out["match_probability"] = out["match_probability"].round(6)
    out["margin"] = out["margin"].round(4)
    if settings.one_to_one:
        out["assigned"] = assign_one_to_one(out, settings.threshold)
    return out.reset_index(drop=True)
