"""The review queue and one case's view, read from a reopened job.

Every call into :mod:`linkage.review` and :mod:`linkage.explain` the app makes is in this module.

A case is a custody record and its candidate field reports. The queue puts first the cases whose
decision would change the most (:func:`impact`): the best candidate's probability near the
threshold, a small margin to the runner-up, and several field reports clustered as the best
person (one decision settles them all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from urllib.parse import urlencode

import pandas as pd
from markupsafe import Markup

from linkage.explain import PRIOR_LEVEL
from linkage.reports.render import percent
from linkage.reports.run_report import TEXT as REPORT_TEXT
from linkage.reports.run_report import band_of
from linkage.reports.waterfall import waterfall_svg
from linkage.review import Job, differences, side_by_side
from normalizers.places import department_name

#: margin (bits) at which the "small margin" term of the impact halves
MARGIN_HALF_BITS = 4.0
STATUSES = ("pending", "decided")


@dataclass(frozen=True)
class Filters:
    """The queue's filters, as they travel in a URL's query string ("" = any)."""

    department: str = ""
    organization: str = ""
    band: str = ""
    status: str = ""

    @classmethod
    def of(cls, params: object) -> Filters:
        """The filters read from a mapping of query or form parameters."""
        return cls(**{f.name: str(params.get(f.name, "") or "") for f in fields(cls)})

    def query(self) -> str:
        """The non-empty filters as a query string (with a leading "?"), or ""."""
        pairs = [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name)]
        return "?" + urlencode(pairs) if pairs else ""


def impact(probability: float, margin: float, reports: int, threshold: float = 0.5) -> float:
    """How much a reviewer's decision on a case would change, from 0 to 3.

    The sum of: nearness of the best probability to ``threshold`` (1 at it, 0 at 0 or 1), the
    smallness of the margin to the runner-up (``2 ** (-margin / 4)``: 1 at 0 bits, 0 without a
    runner-up) and the share of the best person's field reports beyond the first (0 for one, 0.5
    for two).

    >>> impact(0.5, 0.0, 1), impact(1.0, float("nan"), 1), round(impact(0.75, 4.0, 2), 2)
    (2.0, 0.0, 1.5)
    """
    near = 1.0 - abs(probability - threshold) / max(threshold, 1.0 - threshold)
    close = 0.0 if math.isnan(margin) else 2.0 ** (-max(margin, 0.0) / MARGIN_HALF_BITS)
    return near + close + (1.0 - 1.0 / max(reports, 1))


def _cell(frame: pd.DataFrame, record_id: str, column: str) -> str:
    if record_id not in frame.index or column not in frame.columns:
        return ""
    value = frame.at[record_id, column]
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def build_queue(job: Job, threshold: float = 0.5) -> pd.DataFrame:
    """One row per case, highest impact first (then by custody id).

    Columns: custody_id, name (as written), best (probability), margin, reports (field reports
    ranked first), department_code, department, organizations (tuple, of the reports ranked
    first), band, impact. The department is the first best report's, else the custody record's.
    """
    matches = job.matches.assign(
        custody_id=job.matches["custody_id"].astype(str),
        field_id=job.matches["field_id"].astype(str),
    )
    top = matches[matches["rank"] == 1].sort_values(
        ["custody_id", "match_probability", "field_id"], ascending=[True, False, True]
    )
    rows = []
    for custody_id, group in top.groupby("custody_id", sort=True):
        first = group.iloc[0]
        margin = float(first["margin"]) if "margin" in group.columns else float("nan")
        code = _cell(job.field, first["field_id"], "department_code") or _cell(
            job.custody, custody_id, "department_code"
        )
        orgs = tuple(
            sorted({o for o in (_cell(job.field, f, "organization") for f in group.field_id) if o})
        )
        best = float(first["match_probability"])
        rows.append(
            {
                "custody_id": custody_id,
                "name": _cell(job.custody, custody_id, "full_name"),
                "best": best,
                "margin": margin,
                "reports": len(group),
                "department_code": code,
                "department": (department_name(code) or code) if code else "",
                "organizations": orgs,
                "impact": impact(best, margin, len(group), threshold),
            }
        )
    queue = pd.DataFrame(rows)
    if queue.empty:
        return queue
    queue["band"] = band_of(queue["best"])
    queue = queue.sort_values(["impact", "custody_id"], ascending=[False, True], kind="stable")
    return queue.reset_index(drop=True)


def filter_options(queue: pd.DataFrame, lang: str) -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices of each filter, from the cases in the queue."""
    departments = (
        queue.loc[queue["department_code"] != "", ["department_code", "department"]]
        .drop_duplicates()
        .sort_values(["department", "department_code"])
    )
    departments["department"] += " (" + departments["department_code"].str[:2] + ")"
    orgs = sorted({o for group in queue["organizations"] for o in group})
    bands = REPORT_TEXT[lang]["band_names"]
    return {
        "department": list(departments.itertuples(index=False, name=None)),
        "organization": [(o, o) for o in orgs],
        "band": [(key, bands[key]) for key in bands],
    }


def selected(queue: pd.DataFrame, filters: Filters, decided: set[str]) -> pd.Series:
    """Which of the queue's cases pass the filters (a boolean Series aligned with the queue)."""
    keep = pd.Series(True, index=queue.index)
    if filters.department:
        keep &= queue["department_code"] == filters.department
    if filters.organization:
        keep &= queue["organizations"].map(lambda orgs: filters.organization in orgs)
    if filters.band:
        keep &= queue["band"] == filters.band
    if filters.status in STATUSES:
        is_decided = queue["custody_id"].isin(decided)
        keep &= is_decided if filters.status == "decided" else ~is_decided
    return keep


@dataclass(frozen=True)
class Position:
    """Where a case stands in the filtered queue: its neighbours and its number."""

    previous: str | None
    next: str | None
    number: int | None
    total: int


def position(queue: pd.DataFrame, keep: pd.Series, custody_id: str) -> Position:
    """Neighbours of ``custody_id`` among the kept cases, in queue order.

    The case itself need not pass the filters (it may have just been decided): the neighbours
    are the kept cases before and after its place in the whole queue.
    """
    ids = queue["custody_id"].tolist()
    kept = keep.tolist()
    here = ids.index(custody_id)
    before = [c for c, k in zip(ids[:here], kept[:here], strict=True) if k]
    after = [c for c, k in zip(ids[here + 1 :], kept[here + 1 :], strict=True) if k]
    return Position(
        before[-1] if before else None,
        after[0] if after else None,
        len(before) + 1 if kept[here] else None,
        int(sum(kept)),
    )


def _children(frame: pd.DataFrame, record_id: str) -> list[tuple[str, str]]:
    """(name, birth date) of each child, as written in the record."""
    names = [n.strip() for n in _cell(frame, record_id, "child_names").split(";")]
    dates = [d.strip() for d in _cell(frame, record_id, "child_birth_dates").split(";")]
    dates += [""] * max(0, len(names) - len(dates))
    return [(n, d) for n, d in zip(names, dates, strict=False) if n]


def case_view(job: Job, custody_id: str, lang: str, field_id: str | None = None) -> dict:
    """What the case page shows for ``custody_id``, with candidate ``field_id`` selected.

    Keys: custody_id, name, candidates (field_id, rank, probability, band, margin, reason, head),
    selected (a candidate), facts (rows of label and cells of text and mark: "different",
    "missing" or ""), heads (column headings), explanation (rows of text, bits, values), waterfall
    (SVG markup), children (custody and selected candidate's lists).
    """
    matches = job.matches[job.matches["custody_id"].astype(str) == custody_id]
    if matches.empty:
        raise KeyError(custody_id)
    table = side_by_side(job, custody_id, lang)
    marks = differences(table)
    ordered = matches.sort_values(["rank", "match_weight"], ascending=[True, False])
    bands = REPORT_TEXT[lang]["band_names"]
    candidates = []
    for head, row in zip(table.columns[1:], ordered.itertuples(index=False), strict=True):
        margin = getattr(row, "margin", float("nan"))
        candidates.append(
            {
                "field_id": str(row.field_id),
                "rank": int(row.rank),
                "probability": percent(float(row.match_probability)),
                "band": bands[band_of(pd.Series([float(row.match_probability)])).iloc[0]],
                "margin": "" if pd.isna(margin) else f"{float(margin):.1f}",
                "reason": str(getattr(row, f"reason_{lang}") or ""),
                "head": str(head),
            }
        )
    ids = [c["field_id"] for c in candidates]
    chosen = ids.index(field_id) if field_id in ids else 0
    facts = [
        {
            "label": str(label),
            "cells": [
                {"text": str(table.iat[i, j]), "mark": str(marks.iat[i, j])}
                for j in range(len(table.columns))
            ],
        }
        for i, label in enumerate(table.index)
    ]
    explanation = job.explain(custody_id, ids[chosen])
    evidence = explanation[explanation["level"] != PRIOR_LEVEL]
    return {
        "custody_id": custody_id,
        "name": _cell(job.custody, custody_id, "full_name"),
        "candidates": candidates,
        "chosen": chosen,
        "selected": candidates[chosen],
        "heads": [str(custody_id), *(c["head"] for c in candidates)],
        "facts": facts,
        "explanation": [
            {
                "text": str(r[lang]),
                "bits": f"{float(r['bits']):+.1f}",
                "custody": str(r["custody_value"]),
                "field": str(r["field_value"]),
            }
            for _, r in evidence.iterrows()
        ],
        "waterfall": Markup(waterfall_svg(explanation, lang)),
        "children": {
            "custody": _children(job.custody, custody_id),
            "field": _children(job.field, ids[chosen]),
        },
    }
