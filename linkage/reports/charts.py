"""Small charts as inline SVG text, so an HTML report needs no script, font or file beside it.

>>> svg = bar_chart(["Mismo nombre", "Nombres distintos"], [12.5, -6.0], unit="bits")
>>> svg.startswith("<svg") and "Mismo nombre" in svg
True
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

import numpy as np

POSITIVE, NEGATIVE, NEUTRAL = "#2e7d32", "#b3261e", "#1f4e8c"


#: a chart label's line height, px
LINE = 12


def label_lines(text: str, width: int = 46, most: int = 2) -> list[str]:
    """``text`` wrapped to lines of at most ``width`` characters; past ``most`` lines, clipped.

    >>> label_lines("Solo la inicial del nombre y el apellido coinciden", 30)
    ['Solo la inicial del nombre y', 'el apellido coinciden']
    """
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def svg_label(x: float, middle: float, lines: list[str], anchor: str = "end") -> str:
    """A right-aligned (by default) label of one or more lines centred on ``middle``."""
    first = middle + 4 - (len(lines) - 1) * LINE / 2
    if len(lines) == 1:
        return (
            f'<text x="{x:.1f}" y="{first:.1f}" text-anchor="{anchor}">'
            f"{html.escape(lines[0])}</text>"
        )
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * LINE:.1f}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}">{spans}</text>'


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    groups: Sequence[str] | None = None,
    width: int = 720,
    signed: bool = True,
) -> str:
    """Horizontal bars, one per label; with ``signed`` green for positive, red for negative.

    ``groups`` (one per label) prints a heading row above each run of labels of the same group.
    """
    label_w, value_w, bar_h, gap = 300, 90, 14, 5
    plot_w = width - label_w - value_w
    vals = np.asarray(values, dtype=float)
    lo, hi = min(0.0, float(vals.min(initial=0.0))), max(0.0, float(vals.max(initial=0.0)))
    span = (hi - lo) or 1.0

    def x(v: float) -> float:
        return label_w + (v - lo) / span * plot_w

    parts, y, previous = [], 4, None
    for i, (label, value) in enumerate(zip(labels, vals, strict=True)):
        group = groups[i] if groups is not None else None
        if group is not None and group != previous:
            y += 6
            parts.append(f'<text x="4" y="{y + 11}" font-weight="bold">{html.escape(group)}</text>')
            y += bar_h + gap
            previous = group
        left, right = sorted((x(0.0), x(value)))
        colour = NEUTRAL if not signed else (POSITIVE if value >= 0 else NEGATIVE)
        shown = f"{value:+.1f}" if signed else f"{value:,.0f}"
        shown = f"{shown} {unit}".strip()
        lines = label_lines(label, 48)
        pitch = max(bar_h + gap, len(lines) * LINE + gap)
        top = y + (pitch - gap - bar_h) / 2
        parts.append(
            f"<g><title>{html.escape(label)}: {html.escape(shown)}</title>"
            + svg_label(label_w - 6, top + bar_h / 2, lines)
            + f'<rect x="{left:.1f}" y="{top:.1f}" width="{max(right - left, 1.0):.1f}" '
            f'height="{bar_h}" fill="{colour}"/>'
            f'<text x="{width - value_w + 6}" y="{top + 11:.1f}">{html.escape(shown)}</text></g>'
        )
        y += pitch
    zero = x(0.0)
    parts.append(f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{y}" stroke="#333"/>')
    return _svg(width, y + 4, parts)


def histogram(
    values: Sequence[float],
    bin_width: float,
    x_label: str,
    y_label: str,
    width: int = 720,
    height: int = 240,
    log: bool = True,
) -> str:
    """A histogram of ``values`` in bins of ``bin_width`` (counts on a log scale by default)."""
    vals = np.asarray(values, dtype=float)
    vals = vals[np.isfinite(vals)]
    left_m, bottom_m, top_m = 56, 36, 10
    plot_w, plot_h = width - left_m - 10, height - bottom_m - top_m
    parts = []
    if len(vals):
        start = np.floor(vals.min() / bin_width) * bin_width
        stop = max(np.ceil(vals.max() / bin_width) * bin_width, start + bin_width)
        edges = np.arange(start, stop + bin_width / 2, bin_width)
        counts, edges = np.histogram(vals, bins=edges)
        scale = np.log10(counts + 1) if log else counts.astype(float)
        top = float(scale.max()) or 1.0
        bar_w = plot_w / len(counts)
        for i, (count, s) in enumerate(zip(counts, scale, strict=True)):
            h = s / top * plot_h
            parts.append(
                f"<g><title>{edges[i]:.0f} … {edges[i + 1]:.0f}: {count:,}</title>"
                f'<rect x="{left_m + i * bar_w:.1f}" y="{top_m + plot_h - h:.1f}" '
                f'width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}" fill="{NEUTRAL}"/></g>'
            )
        step = max(1, len(edges) // 10)
        for i in range(0, len(edges), step):
            xe = left_m + i * bar_w
            parts.append(
                f'<text x="{xe:.1f}" y="{top_m + plot_h + 14}" text-anchor="middle">'
                f"{edges[i]:.0f}</text>"
            )
        ticks = [10**k for k in range(int(np.log10(counts.max())) + 1)] if log else []
        for tick in ticks:
            yt = top_m + plot_h - np.log10(tick + 1) / top * plot_h
            parts.append(
                f'<text x="{left_m - 4}" y="{yt + 4:.1f}" text-anchor="end">{tick:,}</text>'
                f'<line x1="{left_m}" y1="{yt:.1f}" x2="{left_m + plot_w}" y2="{yt:.1f}" '
                'stroke="#ddd"/>'
            )
    parts.append(
        f'<line x1="{left_m}" y1="{top_m + plot_h}" x2="{left_m + plot_w}" '
        f'y2="{top_m + plot_h}" stroke="#333"/>'
        f'<text x="{left_m + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle">'
        f"{html.escape(x_label)}</text>"
        f'<text transform="translate(12 {top_m + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{html.escape(y_label)}</text>'
    )
    return _svg(width, height, parts)


def _svg(width: int, height: float, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" role="img" font-family="sans-serif" font-size="11">'
        + "".join(parts)
        + "</svg>"
    )


def reliability_chart(
    rows: Sequence[dict], x_label: str, y_label: str, width: int = 360, height: int = 300
) -> str:
    """Observed match rate against predicted probability, one dot per bin (``predicted``,
    ``observed``, ``pairs``), beside the diagonal a calibrated model follows.

    >>> svg = reliability_chart([{"predicted": 0.95, "observed": 0.9, "pairs": 40}], "p", "rate")
    >>> svg.startswith("<svg") and "<circle" in svg
    True
    """
    left_m, bottom_m, top_m, right_m = 56, 40, 10, 14
    plot_w, plot_h = width - left_m - right_m, height - bottom_m - top_m

    def x(v: float) -> float:
        return left_m + v * plot_w

    def y(v: float) -> float:
        return top_m + (1 - v) * plot_h

    parts = [
        f'<rect x="{left_m}" y="{top_m}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#333"/>',
        f'<line x1="{x(0):.1f}" y1="{y(0):.1f}" x2="{x(1):.1f}" y2="{y(1):.1f}" '
        'stroke="#999" stroke-dasharray="4 3"/>',
    ]
    for tick in (0.0, 0.5, 1.0):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{top_m + plot_h + 14}" text-anchor="middle">{tick:.1f}'
            f'</text><text x="{left_m - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.1f}'
            "</text>"
        )
    points = sorted((float(r["predicted"]), float(r["observed"]), int(r["pairs"])) for r in rows)
    if points:
        path = " ".join(f"{x(p):.1f},{y(o):.1f}" for p, o, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{NEUTRAL}"/>')
    for p, o, n in points:
        parts.append(
            f"<g><title>{p:.2f} → {o:.2f} ({n:,})</title>"
            f'<circle cx="{x(p):.1f}" cy="{y(o):.1f}" r="4" fill="{NEUTRAL}"/></g>'
        )
    parts.append(
        f'<text x="{left_m + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
        f"{html.escape(x_label)}</text>"
        f'<text transform="translate(14 {top_m + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{html.escape(y_label)}</text>'
    )
    return _svg(width, height, parts)
