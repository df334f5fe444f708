"""The run report: one self-contained HTML file per match job, for the analyst who checks it.

It holds the inputs and their row counts, the rejects, the blocking rules with their pair
counts, the model's weight for each level (a chart), the distribution of scores, the number of
leads by confidence band, one pair's waterfall and, when a truth file was given, the evaluation
figures. Styles and charts are inline (SVG); the page loads nothing, so it opens offline and can
be mailed as one file. It shows ids and counts, not people's data.

>>> write_run_report(result, "out/job1/report.html", evaluation=figures)   # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.model import FellegiSunter
from linkage.pipeline import LinkResult
from linkage.reasons import parse, summary
from linkage.reports.charts import bar_chart, histogram, reliability_chart
from linkage.reports.render import environment
from linkage.reports.report_text import TEXT
from linkage.reports.waterfall import waterfall_svg

#: confidence bands of a lead's probability: key, lower bound (inclusive)
BANDS: tuple[tuple[str, float], ...] = (
    ("high", 0.9),
    ("medium", 0.5),
    ("low", 0.1),
    ("very_low", 0.0),
)
COUNT_KEYS = (
    "rows_read",
    "rows_rejected",
    "rows_scored",
    "rows_with_candidates",
    "rows_without_candidates",
    "values_ignored",
)


def band_of(probability: pd.Series) -> pd.Series:
    """The confidence band key of each probability.

    >>> band_of(pd.Series([0.95, 0.9, 0.6, 0.2, 0.01])).tolist()
    ['high', 'high', 'medium', 'low', 'very_low']
    """
    out = pd.Series(BANDS[-1][0], index=probability.index, dtype=object)
    for key, low in reversed(BANDS[:-1]):
        out[probability >= low] = key
    return out


def band_counts(matches: pd.DataFrame) -> pd.DataFrame:
    """Per band: cases whose best candidate falls in it, and pairs kept in it.

    >>> m = pd.DataFrame({"custody_id": ["a", "a", "b"], "match_probability": [0.95, 0.3, 0.6]})
    >>> band_counts(m).to_dict("records")[:2]
    [{'band': 'high', 'cases': 1, 'pairs': 1}, {'band': 'medium', 'cases': 1, 'pairs': 1}]
    """
    best = matches.groupby("custody_id")["match_probability"].max()
    cases = band_of(best).value_counts()
    pairs = band_of(matches["match_probability"]).value_counts()
    keys = [key for key, _ in BANDS]
    return pd.DataFrame(
        {
            "band": keys,
            "cases": [int(cases.get(k, 0)) for k in keys],
            "pairs": [int(pairs.get(k, 0)) for k in keys],
        }
    )


def _inputs(result: LinkResult, manifest: dict, text: dict) -> list[dict]:
    counts = getattr(result, "counts", {}) or {}
    files = manifest.get("inputs", {}) if manifest else {}
    rows = []
    for side in ("custody", "field"):
        entry = files.get(side, {})
        side_counts = counts.get(side) or entry.get("rows") or {}
        rows.append(
            {
                "side": text["side"][side],
                "file": Path(str(entry["path"])).name if entry.get("path") else "",
                "sha256": entry.get("sha256", ""),
                "counts": [side_counts.get(k, "") for k in COUNT_KEYS],
                "reading": _reading(entry, text),
                "ignored": [
                    (i["header"], text["closest"].format(column=i["suggestion"]))
                    if i.get("suggestion")
                    else (i["header"], "")
                    for i in entry.get("ignored_columns", [])
                ],
            }
        )
    return rows


def _reading(entry: dict, text: dict) -> str:
    """How a file was read, in words: encoding or sheet, re-decoded rows, repairs, header row."""
    parts = []
    if entry.get("sheet"):
        parts.append(text["sheet"].format(name=entry["sheet"]))
    elif entry.get("encoding"):
        parts.append(text["read_as"].format(encoding=entry["encoding"]))
    if entry.get("rows_redecoded"):
        n, encoding = entry["rows_redecoded"], entry["redecoded_as"]
        parts.append(text["redecoded"].format(n=n, encoding=encoding))
    if entry.get("values_repaired"):
        parts.append(text["repaired"].format(n=entry["values_repaired"]))
    if entry.get("header_row", 1) > 1:
        parts.append(text["header_row"].format(n=entry["header_row"]))
    return "; ".join(parts)


def _rejects(rejects: pd.DataFrame, lang: str) -> list[dict]:
    """Rejects grouped by file, column, reason and kind, most frequent first, in ``lang``; the
    reason without the value or row it quotes (:func:`linkage.reasons.summary`), so that one
    reason is one line."""
    if rejects is None or rejects.empty:
        return []
    keys = [c for c in ("file", "column", "reason", "kind") if c in rejects.columns]
    grouped = rejects.assign(file=rejects["file"].map(lambda p: Path(str(p)).name))
    if "reason" in grouped:
        grouped["reason"] = [summary(*parse(str(r)), lang) for r in grouped["reason"]]
    if "kind" in grouped:
        grouped["kind"] = grouped["kind"].map(lambda k: TEXT[lang]["kinds"].get(k, k))
    grouped = grouped.groupby(keys, dropna=False).size().rename("rows").reset_index()
    return grouped.sort_values(["rows", *keys], ascending=[False] + [True] * len(keys)).to_dict(
        "records"
    )


def _comparison(name: object, text: dict) -> str:
    """A comparison's name in the report's language (its own name when it has none)."""
    return text["comparisons"].get(str(name), str(name))


def _em_text(em: dict, text: dict) -> str:
    """How EM went, in the report's language.

    >>> _em_text({"converged": True, "iterations": 12, "max_iterations": 100,
    ...           "last_change": 1e-7, "tolerance": 1e-6}, TEXT["es"])
    'convergió tras 12 iteraciones (máximo 100, último cambio 1e-07, tolerancia 1e-06)'
    """
    state = text["em_state"][bool(em.get("converged"))].format(iterations=em.get("iterations"))
    details = [t.format(**em) for key, t in text["em_details"].items() if key in em]
    return f"{state} ({', '.join(details)})" if details else state


def _model(model: FellegiSunter, lang: str) -> dict:
    text = TEXT[lang]
    data = model.to_dict()
    labels, values, groups, rows = [], [], [], []
    for comparison in data["comparisons"]:
        for level in comparison["levels"]:
            labels.append(level[lang])
            values.append(float(level["bits"]))
            groups.append(_comparison(comparison["name"], text))
            rows.append(
                {
                    "comparison": _comparison(comparison["name"], text),
                    "level": level["name"],
                    "text": level[lang],
                    "m": level["m"],
                    "u": level["u"],
                    "bits": level["bits"],
                }
            )
    em = data.get("em") or {}
    return {
        "chart": bar_chart(labels, values, unit="bits", groups=groups),
        "levels": rows,
        "prior": float(data["prior"]),
        "em": em,
        "em_text": _em_text(em, text) if em else "",
    }


def _example(result: LinkResult, lang: str, text: dict) -> dict | None:
    """The waterfall of the most probable best candidate."""
    best = result.matches[result.matches["rank"] == 1]
    if best.empty:
        return None
    row = best.loc[best["match_weight"].idxmax()]
    title = text["example"].format(c=row["custody_id"], f=row["field_id"])
    explanation = result.explain(row["custody_id"], row["field_id"])
    return {"title": title, "svg": waterfall_svg(explanation, lang)}


#: at most this many ids of cases without candidates are listed
LIST_LIMIT = 50


def _without_candidates(result: LinkResult) -> list[str]:
    """Ids of custody records that got no candidate (the first :data:`LIST_LIMIT`)."""
    custody = getattr(result, "custody", None)
    if custody is None:
        return []
    matched = set(result.matches["custody_id"].astype(str))
    return [i for i in custody.index.astype(str) if i not in matched][:LIST_LIMIT]


def _decisions(matches: pd.DataFrame, text: dict) -> list[tuple[str, int]]:
    """Pairs kept per reviewers' decision, when decisions were applied."""
    if "decision" not in matches.columns or matches["decision"].isna().all():
        return []
    counts = matches["decision"].value_counts()
    return [(name, int(counts.get(key, 0))) for key, name in text["decision_names"].items()]


def _warnings(model: dict, text: dict) -> list[str]:
    """The banner, from a model's plain data: EM that did not converge, comparisons resting on
    the prior or on nothing."""
    out = []
    em = model.get("em") or {}
    if em.get("max_iterations") and not em.get("converged"):
        out.append(text["warn_not_converged"].format(em=_em_text(em, text)))
    for source, key in (("prior", "warn_prior_only"), ("none", "warn_no_evidence")):
        names = [
            _comparison(e["comparison"], text)
            for e in model.get("evidence", [])
            if e["source"] == source
        ]
        if names:
            out.append(text[key].format(names=", ".join(names)))
    return out


def _reliability(evaluation: dict | None, text: dict) -> str | None:
    rows = (evaluation or {}).get("calibration")
    if not rows:
        return None
    return reliability_chart(rows, text["predicted"], text["observed"])


def _figures(evaluation: dict | None, text: dict) -> list[tuple[str, str, str]]:
    """(name in the report's language, key, value shown) of each evaluation figure."""
    if not evaluation:
        return []
    out = []
    for key, value in evaluation.items():
        if isinstance(value, list):
            continue
        if isinstance(value, float):
            shown = f"{value:.3f}"
        elif isinstance(value, int | np.integer):
            shown = f"{value:,}"
        else:
            shown = str(value)
        out.append((text["metrics"].get(key, key), key, shown))
    return out


def _blocking(blocking: pd.DataFrame, text: dict) -> list[dict]:
    """The blocking table's rows, each default rule described in the report's language."""
    rows = blocking.to_dict("records")
    for row in rows:
        if "description" in row:
            row["description"] = text["rules"].get(str(row.get("rule")), row["description"])
    return rows


def _settings(result: LinkResult) -> list[tuple[str, str]]:
    settings = getattr(result, "settings", None)
    if settings is None:
        return []
    return [(key, _toml(value)) for key, value in settings.to_dict().items()]


def _toml(value: object) -> str:
    """A setting's value as the config file writes it.

    >>> _toml(True), _toml(["a", "b"]), _toml(""), _toml(0.5)
    ('true', '["a", "b"]', '""', '0.5')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value) if isinstance(value, str) else str(value)


def write_run_report(
    result: LinkResult,
    path: str | Path,
    evaluation: dict | None = None,
    manifest: dict | None = None,
    lang: str = "es",
) -> Path:
    """Write the run report of ``result`` to ``path`` (HTML, self-contained); returns ``path``.

    ``evaluation``: figures of :func:`linkage.evaluate.evaluate`, when a truth file was given.
    ``manifest``: the job's manifest (input paths and hashes); by default ``manifest.json``
    beside ``path`` when it exists.
    """
    if lang not in TEXT:
        raise ValueError(f"lang must be one of {tuple(TEXT)}, not {lang!r}")
    path = Path(path)
    text = TEXT[lang]
    if manifest is None and (path.parent / "manifest.json").exists():
        manifest = json.loads((path.parent / "manifest.json").read_text(encoding="utf-8"))
    manifest = manifest or {}
    matches = result.matches
    pairs = getattr(result, "pairs", None)
    weights = (pairs if pairs is not None else matches)["match_weight"]
    bands = band_counts(matches)
    counts = getattr(result, "counts", {}) or {}
    page = (
        environment()
        .get_template("run_report.html.j2")
        .render(
            lang=lang,
            text=text,
            version=manifest.get("version", ""),
            seed=manifest.get("seed", getattr(getattr(result, "settings", None), "seed", "")),
            count_keys=COUNT_KEYS,
            inputs=_inputs(result, manifest, text),
            rejects=_rejects(result.rejects, lang),
            blocking=_blocking(result.blocking, text),
            blocking_columns=[
                c for c in ("rule", "description", "pairs", "new_pairs") if c in result.blocking
            ],
            pairs_scored=len(weights),
            model=_model(result.model, lang),
            scores=histogram(weights, 2.0, text["weight"], text["n_pairs"]),
            bands=[
                {"name": text["band_names"][b["band"]], "cases": b["cases"], "pairs": b["pairs"]}
                for b in bands.to_dict("records")
            ],
            no_candidates=counts.get("custody", {}).get("rows_without_candidates"),
            without=_without_candidates(result),
            decisions=_decisions(matches, text),
            example=_example(result, lang, text),
            figures=_figures(evaluation, text),
            reliability=_reliability(evaluation, text),
            warnings=_warnings(result.model.to_dict(), text),
            settings=_settings(result),
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
