"""Evaluation of a match job against known true pairs.

Figures: recall@1, @5 and @10 and mean reciprocal rank over custody records that have a true
match; pairwise precision, recall and F1 of the kept pairs at a probability threshold and at the
best threshold; blocking recall (share of true pairs that reached scoring); calibration: the
Brier score and, per tenth of predicted probability, the pairs, their mean predicted probability
and the share that are true matches (over every scored pair when they are given, else the kept
ones), so one can see whether a probability means what it says.
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
    with_probability = pairs is not None and "match_probability" in pairs
    scored_pairs = pairs if with_probability else matches
    out.update(calibration(scored_pairs, true_keys))
    if pairs is not None:
        scored = set(
            zip(pairs["custody_id"].astype(str), pairs["field_id"].astype(str), strict=True)
        )
        out["blocking_recall"] = _ratio(len(true_keys & scored), len(true_keys))
        out["scored_pairs"] = len(pairs)
    return out


def calibration(pairs: pd.DataFrame, true_keys: set[tuple[str, str]]) -> dict[str, object]:
    """Brier score and the calibration table of ``pairs`` (custody_id, field_id,
    match_probability) against the true pairs: one row per tenth of predicted probability that
    holds pairs, with their count, mean predicted probability and observed match rate.

    >>> pairs = pd.DataFrame({"custody_id": ["a", "a", "b"], "field_id": ["x", "y", "x"],
    ...                       "match_probability": [0.95, 0.05, 0.15]})
    >>> out = calibration(pairs, {("a", "x")})
    >>> out["brier"], [(r["bin"], r["pairs"], r["observed"]) for r in out["calibration"]]
    (0.0092, [('0.0-0.1', 1, 0.0), ('0.1-0.2', 1, 0.0), ('0.9-1.0', 1, 1.0)])
    """
    prob = pairs["match_probability"].to_numpy(dtype=float)
    keys = zip(pairs["custody_id"].astype(str), pairs["field_id"].astype(str), strict=True)
    observed = np.array([k in true_keys for k in keys], dtype=float)
    if len(prob) == 0:
        return {"brier": 0.0, "calibration": []}
    tenth = np.minimum((prob * 10).astype(int), 9)
    rows = []
    for b in range(10):
        inside = tenth == b
        if inside.any():
            rows.append(
                {
                    "bin": f"{b / 10:.1f}-{(b + 1) / 10:.1f}",
                    "pairs": int(inside.sum()),
                    "predicted": round(float(prob[inside].mean()), 4),
                    "observed": round(float(observed[inside].mean()), 4),
                }
            )
    return {"brier": round(float(np.mean((prob - observed) ** 2)), 4), "calibration": rows}


def _prf(predicted: np.ndarray, is_true: np.ndarray, n_true: int) -> dict[str, float]:
    tp = int((predicted & is_true).sum())
    precision = _ratio(tp, int(predicted.sum()))
    recall = _ratio(tp, n_true)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def format_figures(figures: dict[str, object]) -> str:
    """One figure per line, aligned, for the terminal; the calibration table after them."""
    plain = {k: v for k, v in figures.items() if not isinstance(v, list)}
    width = max(len(k) for k in plain)
    lines = [f"{k:<{width}}  {v}" for k, v in plain.items()]
    rows = figures.get("calibration") or []
    if rows:
        lines += ["", "calibration  pairs  predicted  observed"]
        lines += [
            f"{r['bin']:<11}  {r['pairs']:>5}  {r['predicted']:>9.3f}  {r['observed']:>8.3f}"
            for r in rows
        ]
    return "\n".join(lines)


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
