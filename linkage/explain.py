"""Why a pair scored as it did, in words and as a waterfall chart.

A pair's match weight is the prior's log-odds plus one weight per comparison (0 where a value is
missing). :func:`add_reasons` words every pair's evidence in Spanish and English, so a field
worker reads "Mismo nombre y ambos apellidos; pero fecha de nacimiento distinta". A waterfall chart
draws the sum bar by bar as plain SVG text (no plotting library) for the run report and for
notebooks: ``IPython.display.SVG(waterfall_svg(result.explain(custody_id, field_id)))``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from linkage.comparisons.base import Comparison, Level
from linkage.reports.charts import label_lines, svg_label
from linkage.reports.render import percent

#: level name a matches table holds where either side lacks the value
MISSING_LEVEL = "missing"
#: level name of the explanation row that holds the prior's log-odds
PRIOR_LEVEL = "prior"
LANGS = ("es", "en")
#: comparisons weighing less than this (bits, either way) are left out of reasons
MIN_BITS = 1.0
#: at most this many comparisons against the match are named
MOST_AGAINST = 2
BUT = {"es": "pero", "en": "but"}
#: levels that are not the last of their comparison but still disagree
AGAINST_LEVELS = frozenset({"different_valid", "child_name_date_differs", "year_close"})
_WORDS = {"es": {"total": "Total", "bits": "bits"}, "en": {"total": "Total", "bits": "bits"}}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")


def _is_missing(level: object) -> bool:
    return level is None or level == MISSING_LEVEL or (isinstance(level, float) and level != level)


def _lower_first(text: str) -> str:
    """``text`` to continue a sentence: "Mismo sexo" -> "mismo sexo"; "DPI ..." stays."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _sentence(pro: list[str], con: list[str], but: str) -> str:
    """One sentence: facts for, then "pero" and facts against; capitalised, ``;``-separated.

    >>> _sentence(["Mismo sexo", "Mismo municipio"], ["Nombres distintos"], "pero")
    'Mismo sexo; mismo municipio; pero nombres distintos'
    >>> _sentence([], ["Nombres distintos", "Sexo distinto"], "pero")
    'Nombres distintos; sexo distinto'
    """
    parts = [*pro, *con]
    if not parts:
        return ""
    words = [parts[0]] + [_lower_first(p) for p in parts[1:]]
    if pro and con:
        words[len(pro)] = f"{but} {words[len(pro)]}"
    return "; ".join(words)


def continue_reason(first: str, reason: str) -> str:
    """``first`` put before a reason: ("Confirmado", "Mismo sexo") -> "Confirmado; mismo sexo"."""
    return f"{first}; {_lower_first(reason)}" if reason else first


def _is_against(level: Level, comparison: Comparison) -> bool:
    """Whether a level states a fact against a match (so it may follow "pero").

    The last level of a comparison is its disagreement; :data:`AGAINST_LEVELS` names the others
    that disagree; levels saying only part agrees ("Solo coinciden ...") limit the match too. Any
    other level agrees, and an agreement the model weighs slightly against (same country only) is
    left out of the reasons rather than put under "pero".
    """
    return (
        level == comparison.levels[-1]
        or level.name in AGAINST_LEVELS
        or level.es.startswith("Solo ")
    )


def _reason_texts(
    levels: np.ndarray, bits: np.ndarray, comparisons: Sequence[Comparison], most: int
) -> tuple[list[str], list[str]]:
    """(es, en) reasons for each row of level names and bits, shape (n, n_comparisons)."""
    tables = [{lv.name: lv for lv in c.levels} for c in comparisons]
    usable = ~np.vectorize(_is_missing, otypes=[bool])(levels) if levels.size else levels
    bits = np.where(usable, np.nan_to_num(bits), 0.0) if levels.size else bits
    order = np.argsort(-np.abs(bits), axis=1, kind="stable")
    cache: dict[tuple, tuple[str, str]] = {}
    es, en = [], []
    for row_bits, row_levels, row_order in zip(bits, levels, order, strict=True):
        pro = tuple((j, row_levels[j]) for j in row_order if row_bits[j] >= MIN_BITS)[:most]
        con = tuple(
            (j, row_levels[j])
            for j in row_order
            if row_bits[j] <= -MIN_BITS and _is_against(tables[j][row_levels[j]], comparisons[j])
        )[:MOST_AGAINST]
        key = (pro, con)
        if key not in cache:
            words = {
                lang: (
                    [getattr(tables[j][lv], lang) for j, lv in pro],
                    [getattr(tables[j][lv], lang) for j, lv in con],
                )
                for lang in LANGS
            }
            cache[key] = (
                _sentence(*words["es"], BUT["es"]),
                _sentence(*words["en"], BUT["en"]),
            )
        es.append(cache[key][0])
        en.append(cache[key][1])
    return es, en


def add_reasons(matches: pd.DataFrame, model: object, most: int = 4) -> pd.DataFrame:
    """A copy of ``matches`` with ``reason_es`` and ``reason_en`` for every pair.

    ``matches`` holds, for each comparison ``c`` of ``model.comparisons``, the level name in
    column ``c`` and the pair's weight in ``c_bits``. A reason lists up to ``most`` comparisons
    that speak for the match, strongest first, then up to two facts against it after "pero" /
    "but" (see :func:`_is_against`); comparisons weighing less than :data:`MIN_BITS` and missing
    values are left out. Pairs with the same evidence share one string.
    """
    comparisons = list(model.comparisons)
    names = [c.name for c in comparisons]
    levels = matches[names].to_numpy(dtype=object)
    bits = matches[[f"{n}_bits" for n in names]].to_numpy(dtype=float)
    es, en = _reason_texts(levels, bits, comparisons, most)
    return matches.assign(
        reason_es=pd.Series(es, index=matches.index, dtype=object),
        reason_en=pd.Series(en, index=matches.index, dtype=object),
    )


def reasons(row_levels: Mapping[str, object], model: object, lang: str = "es") -> str:
    """The reasons for one pair, worded as :func:`add_reasons` words them.

    ``row_levels`` maps each comparison's name to its level name and ``<name>_bits`` to the
    pair's weight for it; a comparison it lacks counts as missing. For instance
    ``{"name": "exact_full_name", "name_bits": 12.0, "dob": "else", "dob_bits": -3.2}`` gives
    ``"Mismo nombre y ambos apellidos; pero fecha de nacimiento distinta"``.
    """
    _check_lang(lang)
    comparisons = list(model.comparisons)
    levels = np.array([[row_levels.get(c.name) for c in comparisons]], dtype=object)
    bits = np.array([[_float(row_levels.get(f"{c.name}_bits")) for c in comparisons]], dtype=float)
    es, en = _reason_texts(levels, bits, comparisons, most=4)
    return es[0] if lang == "es" else en[0]


def _float(value: object) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def probability(weight: float) -> float:
    """Match probability of a weight in bits.

    >>> probability(0.0), round(probability(10.0), 4)
    (0.5, 0.999)
    """
    return 1.0 / (1.0 + 2.0 ** (-max(min(weight, 60.0), -60.0)))


def waterfall_data(explanation: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """The bars of a waterfall: label, kind (prior, evidence, total), bits, start, end.

    ``explanation`` is :meth:`linkage.LinkResult.explain`'s table: one row per comparison
    (level, es, en, bits) and a row whose level is ``prior``. The prior bar comes first; evidence
    bars are the non-missing comparisons, largest |bits| first, each starting where the previous
    ended; the total bar runs from 0 to the match weight.
    """
    _check_lang(lang)
    is_prior = explanation["level"] == PRIOR_LEVEL
    evidence = explanation[~is_prior & (explanation["level"] != MISSING_LEVEL)]
    evidence = evidence.iloc[np.argsort(-evidence["bits"].abs().to_numpy(), kind="stable")]
    bars = []
    running = 0.0
    for text, bits in zip(
        explanation.loc[is_prior, lang], explanation.loc[is_prior, "bits"], strict=True
    ):
        bars.append((text, "prior", float(bits), running, running + float(bits)))
        running += float(bits)
    for text, bits in zip(evidence[lang], evidence["bits"], strict=True):
        bars.append((text, "evidence", float(bits), running, running + float(bits)))
        running += float(bits)
    bars.append((_WORDS[lang]["total"], "total", running, 0.0, running))
    return pd.DataFrame(bars, columns=["label", "kind", "bits", "start", "end"])


_COLOURS = {"prior": "#757575", "total": "#1f4e8c", "up": "#2e7d32", "down": "#b3261e"}


def waterfall_svg(
    explanation: pd.DataFrame, lang: str = "es", title: str | None = None, width: int = 720
) -> str:
    """A waterfall chart of one pair's weight as a standalone SVG document (text).

    Green bars add evidence, red bars take it away; the last bar is the match weight, labelled
    with its probability when the explanation holds the prior.
    """
    bars = waterfall_data(explanation, lang)
    has_prior = bool((bars["kind"] == "prior").any())
    label_w, value_w, bar_h, gap, top = 300, 110, 18, 12, 34 if title else 12
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
        if bar.kind == "total" and has_prior:
            value += f" ({percent(probability(bar.bits))})"
        parts.append(
            f"<g><title>{html.escape(bar.label)}: {html.escape(value)}</title>"
            + svg_label(label_w - 6, y + bar_h / 2, label_lines(bar.label, 46))
            + f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1.0):.1f}" height="{bar_h}" '
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
