"""Evaluation of a match job against known true pairs.

Figures: recall@1, @5 and @10 and mean reciprocal rank over custody records that have a true
match; pairwise precision, recall and F1 of the kept pairs at a probability threshold and at the
best threshold; blocking recall (share of true pairs that reached scoring).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError


def evaluate(
    matches: pd.DataFrame,
    truth: pd.DataFrame,
    pairs: pd.DataFrame | None = None,
    threshold: float = 0.5,
) -> dict[str, float | int]:
    """Figures for ``matches`` (custody_id, field_id, rank, match_probability) against ``truth``
    (custody_id, field_id). ``pairs``: every scored pair, for blocking recall."""
    truth = truth[["custody_id", "field_id"]].astype(str).drop_duplicates()
    matches = matches.assign(
        custody_id=matches["custody_id"].astype(str), field_id=matches["field_id"].astype(str)
    )
    true_keys = set(zip(truth["custody_id"], truth["field_id"], strict=True))
    is_true = np.array(
        [
            (c, f) in true_keys
            for c, f in zip(matches["custody_id"], matches["field_id"], strict=True)
        ],
        dtype=bool,
    )
    best_rank = matches[is_true].groupby("custody_id")["rank"].min()
    with_match = truth["custody_id"].unique()
    ranks = best_rank.reindex(with_match)
    out: dict[str, float | int] = {
        "custody_with_true_match": len(with_match),
        "true_pairs": len(truth),
    }
    for k in (1, 5, 10):
        out[f"recall_at_{k}"] = _ratio(int((ranks <= k).sum()), len(with_match))
    out["mrr"] = round(float((1.0 / ranks).fillna(0).mean()) if len(ranks) else 0.0, 4)

    prob = matches["match_probability"].to_numpy(dtype=float)
    out.update(
        {f"{k}_at_threshold": v for k, v in _prf(prob >= threshold, is_true, len(truth)).items()}
    )
    out["threshold"] = threshold
    best = {"f1": 0.0, "precision": 0.0, "recall": 0.0}
    best_t = 1.0
    for t in np.unique(np.round(prob, 4)):
        scores = _prf(prob >= t, is_true, len(truth))
        if scores["f1"] > best["f1"]:
            best, best_t = scores, float(t)
    out.update({f"{k}_at_best": v for k, v in best.items()})
    out["best_threshold"] = best_t
    if pairs is not None:
        scored = set(
            zip(pairs["custody_id"].astype(str), pairs["field_id"].astype(str), strict=True)
        )
        out["blocking_recall"] = _ratio(len(true_keys & scored), len(true_keys))
        out["scored_pairs"] = len(pairs)
    return out


def _prf(predicted: np.ndarray, is_true: np.ndarray, n_true: int) -> dict[str, float]:
    tp = int((predicted & is_true).sum())
    precision = _ratio(tp, int(predicted.sum()))
    recall = _ratio(tp, n_true)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def format_figures(figures: dict[str, float | int]) -> str:
    """One figure per line, aligned, for the terminal."""
    width = max(len(k) for k in figures)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in figures.items())


def read_truth(path: str | Path) -> pd.DataFrame:
    """True pairs from a CSV with ``custody_id`` and ``field_id`` columns.

    Raises :class:`~linkage.errors.InputError` when the file is missing, unreadable or lacks a
    column.
    """
    path = Path(path)
    try:
        truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"cannot read as CSV: {exc}") from None
    truth.columns = [str(c).strip() for c in truth.columns]
    missing = [c for c in ("custody_id", "field_id") if c not in truth.columns]
    if missing:
        raise InputError(
            path,
            f"a truth file needs columns custody_id and field_id; missing {missing}, "
            f"found {list(truth.columns)}",
        )
    return truth
