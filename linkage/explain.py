"""Why a pair scored as it did: each comparison's level, its weight in bits, reasons in words.

A pair's match weight is the prior's log-odds plus one weight per comparison (0 where a value is
missing). Reasons name the comparisons that moved the weight most, strongest first, in Spanish or
English, so a field worker reads "Mismo nombre y ambos apellidos; Fecha de nacimiento distinta".
A waterfall chart draws the same sum bar by bar as plain SVG text (no plotting library), for the
run report, lead sheets and notebooks (``IPython.display.SVG(waterfall_svg(...))``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from linkage.compare import Comparison, Level

#: level name a matches table holds where either side lacks the value
MISSING_LEVEL = "missing"
#: the reason shown for a missing value (it carries no evidence)
MISSING_TEXT = {"es": "Falta el dato en uno de los registros", "en": "Missing on one side"}
LANGS = ("es", "en")
_WORDS = {
    "es": {"prior": "Probabilidad previa", "total": "Total", "bits": "bits"},
    "en": {"prior": "Prior odds", "total": "Total", "bits": "bits"},
}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")


def _is_missing(level: object) -> bool:
    return level is None or level == MISSING_LEVEL or (isinstance(level, float) and level != level)


def _levels_by_name(comparison: Comparison) -> dict[str, Level]:
    return {lv.name: lv for lv in comparison.levels}


def _model_bits(model: object) -> dict[tuple[str, str], float]:
    """(comparison, level) -> weight in bits, from ``model.to_dict()``."""
    return {
        (c["name"], lv["name"]): float(lv["bits"])
        for c in model.to_dict()["comparisons"]
        for lv in c["levels"]
    }


def reasons(
    row_levels: Mapping[str, object],
    model: object,
    lang: str = "es",
    top: int = 4,
    min_bits: float = 0.5,
) -> str:
    """The reasons for one pair, largest |bits| first, joined by ``"; "``.

    ``row_levels`` maps each comparison's name to its level name (``"missing"`` or NA where a
    value is missing) and, optionally, ``<name>_bits`` to the pair's weight for it (without it,
    the model's weight of the level). Comparisons weighing less than ``min_bits`` either way and
    missing values are left out; at most ``top`` reasons are given. For instance a row
    ``{"name": "exact_full_name", "name_bits": 12.0, "dob": "else", "dob_bits": -3.2}`` gives
    ``"Mismo nombre y ambos apellidos; Fecha de nacimiento distinta"``.
    """
    _check_lang(lang)
    fallback: dict[tuple[str, str], float] | None = None
    found: list[tuple[float, int, str]] = []
    for order, comparison in enumerate(model.comparisons):
        level = row_levels.get(comparison.name)
        if _is_missing(level):
            continue
        bits = row_levels.get(f"{comparison.name}_bits")
        if bits is None or (isinstance(bits, float) and math.isnan(bits)):
            fallback = fallback if fallback is not None else _model_bits(model)
            bits = fallback[(comparison.name, level)]
        if abs(bits) < min_bits:
            continue
        text = getattr(_levels_by_name(comparison)[level], lang)
        found.append((-abs(float(bits)), order, text))
    return "; ".join(text for _, _, text in sorted(found)[:top])


def add_reasons(
    matches: pd.DataFrame, model: object, top: int = 4, min_bits: float = 0.5
) -> pd.DataFrame:
    """A copy of ``matches`` with ``reason_es`` and ``reason_en`` for every pair.

    ``matches`` holds, for each comparison ``c`` of the model, the level name in column ``c`` and
    the pair's weight in ``c_bits``. Pairs sharing the same strongest levels share one string.
    """
    comparisons = list(model.comparisons)
    out = matches.copy()
    if out.empty:
        out["reason_es"] = pd.Series(dtype=object)
        out["reason_en"] = pd.Series(dtype=object)
        return out
    names = [c.name for c in comparisons]
    levels = out[names].astype(object).to_numpy()
    bits = out[[f"{n}_bits" for n in names]].to_numpy(dtype=float)
    missing = np.vectorize(_is_missing, otypes=[bool])(levels)
    strength = np.where(missing | ~(np.abs(bits) >= min_bits), -1.0, np.abs(bits))
    order = np.argsort(-strength, axis=1, kind="stable")[:, :top]
    tables = [_levels_by_name(c) for c in comparisons]
    cache: dict[tuple, tuple[str, str]] = {}
    es, en = [], []
    for i in range(len(out)):
        key = tuple((j, levels[i, j]) for j in order[i] if strength[i, j] >= 0)
        if key not in cache:
            chosen = [tables[j][level] for j, level in key]
            cache[key] = ("; ".join(lv.es for lv in chosen), "; ".join(lv.en for lv in chosen))
        es.append(cache[key][0])
        en.append(cache[key][1])
    out["reason_es"] = es
    out["reason_en"] = en
    return out


def _value(record: Mapping[str, object], columns: Sequence[str]) -> str:
    parts = []
    for col in columns:
        value = record.get(col)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        parts.append(str(value))
    return " · ".join(parts)


def explain_pair(
    row: Mapping[str, object],
    comparisons: Sequence[Comparison],
    custody_record: Mapping[str, object],
    field_record: Mapping[str, object],
) -> pd.DataFrame:
    """One row per comparison: comparison, level, es, en, bits, custody_value, field_value.

    ``row`` is the pair's row of the matches table; the records map column names to the
    normalized values the comparison read (``custody_value`` joins its columns with " · ").
    """
    rows = []
    for comparison in comparisons:
        level = row.get(comparison.name)
        if _is_missing(level):
            level, texts, bits = MISSING_LEVEL, MISSING_TEXT, 0.0
        else:
            lv = _levels_by_name(comparison)[level]
            texts, bits = {"es": lv.es, "en": lv.en}, float(row[f"{comparison.name}_bits"])
        rows.append(
            {
                "comparison": comparison.name,
                "level": level,
                "es": texts["es"],
                "en": texts["en"],
                "bits": bits,
                "custody_value": _value(custody_record, comparison.columns),
                "field_value": _value(field_record, comparison.columns),
            }
        )
    return pd.DataFrame(
        rows, columns=["comparison", "level", "es", "en", "bits", "custody_value", "field_value"]
    )


def probability(weight: float) -> float:
    """Match probability of a weight in bits.

    >>> probability(0.0), round(probability(10.0), 4)
    (0.5, 0.999)
    """
    return 1.0 / (1.0 + 2.0 ** (-max(min(weight, 60.0), -60.0)))


def waterfall_data(
    explanation: pd.DataFrame, prior_bits: float | None = None, lang: str = "es"
) -> pd.DataFrame:
    """The bars of a waterfall: label, kind (prior, evidence, total), bits, start, end.

    Evidence bars are the non-missing comparisons of ``explanation``, largest |bits| first; each
    starts where the previous ended. The total bar runs from 0 to the match weight.
    """
    _check_lang(lang)
    words = _WORDS[lang]
    evidence = explanation[explanation["level"] != MISSING_LEVEL]
    evidence = evidence.iloc[np.argsort(-evidence["bits"].abs().to_numpy(), kind="stable")]
    bars = []
    running = 0.0
    if prior_bits is not None:
        bars.append((words["prior"], "prior", float(prior_bits), 0.0, float(prior_bits)))
        running = float(prior_bits)
    for text, bits in zip(evidence[lang], evidence["bits"], strict=True):
        bars.append((text, "evidence", float(bits), running, running + float(bits)))
        running += float(bits)
    bars.append((words["total"], "total", running, 0.0, running))
    return pd.DataFrame(bars, columns=["label", "kind", "bits", "start", "end"])


_COLOURS = {"prior": "#757575", "total": "#1f4e8c", "up": "#2e7d32", "down": "#b3261e"}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def waterfall_svg(
    explanation: pd.DataFrame,
    prior_bits: float | None = None,
    lang: str = "es",
    title: str | None = None,
    width: int = 720,
) -> str:
    """A waterfall chart of one pair's weight as a standalone SVG document (text).

    Green bars add evidence, red bars take it away; the last bar is the match weight, labelled
    with its probability when ``prior_bits`` is given.
    """
    bars = waterfall_data(explanation, prior_bits, lang)
    label_w, value_w, bar_h, gap, top = 300, 110, 18, 8, 34 if title else 12
    plot_w = width - label_w - value_w
    lo = min(0.0, bars["start"].min(), bars["end"].min())
    hi = max(0.0, bars["start"].max(), bars["end"].max())
    span = (hi - lo) or 1.0

    def x(v: float) -> float:
        return label_w + (v - lo) / span * plot_w

    height = top + len(bars) * (bar_h + gap) + 24
    words = _WORDS[lang]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="12">',
        f"<title>{html.escape(title or words['total'])}</title>",
    ]
    if title:
        parts.append(
            f'<text x="4" y="20" font-size="14" font-weight="bold">{html.escape(title)}</text>'
        )
    zero = x(0.0)
    for i, bar in enumerate(bars.itertuples(index=False)):
        y = top + i * (bar_h + gap)
        kind = bar.kind if bar.kind != "evidence" else ("up" if bar.bits >= 0 else "down")
        left, right = sorted((x(bar.start), x(bar.end)))
        value = f"{bar.bits:+.1f} {words['bits']}"
        if bar.kind == "total" and prior_bits is not None:
            value += f" ({probability(bar.bits):.1%})"
        parts.append(
            f"<g><title>{html.escape(bar.label)}: {html.escape(value)}</title>"
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
            f"{html.escape(_clip(bar.label, 46))}</text>"
            f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1.0):.1f}" height="{bar_h}" '
            f'fill="{_COLOURS[kind]}"/>'
            f'<text x="{width - value_w + 6}" y="{y + 13}">{html.escape(value)}</text></g>'
        )
        if bar.kind != "total":
            nxt = x(bar.end)
            parts.append(
                f'<line x1="{nxt:.1f}" y1="{y + bar_h}" x2="{nxt:.1f}" y2="{y + bar_h + gap}" '
                'stroke="#999" stroke-dasharray="2,2"/>'
            )
    axis_y = top + len(bars) * (bar_h + gap)
    parts.append(
        f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{axis_y}" stroke="#333"/>'
        f'<text x="{zero:.1f}" y="{axis_y + 14}" text-anchor="middle">0</text>'
        "</svg>"
    )
    return "".join(parts)
