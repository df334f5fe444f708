"""A pair's match weight drawn bar by bar: a waterfall chart as plain SVG text.

For the run report and for notebooks, with no plotting library:
``IPython.display.SVG(waterfall_svg(result.explain(custody_id, field_id)))``. The bars come from
an explanation table (:func:`linkage.explain.explanation`): the prior first, then the evidence
largest first, then the total.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from linkage.explain import MISSING_LEVEL, PRIOR_LEVEL, check_lang
from linkage.model import FellegiSunter
from linkage.reports.charts import label_lines, svg_label
from linkage.reports.render import percent

_WORDS = {"es": {"total": "Total", "bits": "bits"}, "en": {"total": "Total", "bits": "bits"}}


def waterfall_data(explanation: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """The bars of a waterfall: label, kind (prior, evidence, total), bits, start, end.

    ``explanation`` is :meth:`linkage.LinkResult.explain`'s table: one row per comparison
    (level, es, en, bits) and a row whose level is ``prior``. The prior bar comes first; evidence
    bars are the non-missing comparisons, largest |bits| first, each starting where the previous
    ended; the total bar runs from 0 to the match weight.
    """
    check_lang(lang)
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
            value += f" ({percent(float(FellegiSunter.probability(bar.bits)))})"
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
