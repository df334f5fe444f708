"""Why a pair scored as it did, in words and as a table.

A pair's match weight is the prior's log-odds plus one weight per comparison (0 where a value is
missing). :func:`add_reasons` words every pair's evidence in Spanish and English, so a field
worker reads "Mismo nombre y ambos apellidos; pero fecha de nacimiento distinta".
:func:`explanation` lays one pair's evidence out as a table, one row per comparison, which
:meth:`linkage.LinkResult.explain` and :meth:`linkage.review.Job.explain` both return and
:func:`linkage.reports.waterfall.waterfall_svg` draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from linkage.comparisons.arrays import unique_rows
from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level
from linkage.model import FellegiSunter
from normalizers.places import department_name, municipality_name
from normalizers.text import is_missing

#: level name of the explanation row that holds the prior's log-odds
PRIOR_LEVEL = "prior"
#: comparison and level name of the row that holds what the record's other candidates add
#: (:mod:`linkage.competition`)
COMPETITION_LEVEL = "competition"
COMPETITION_TEXT = {
    "es": "Frente a los demás candidatos de este registro",
    "en": "Against this record's other candidates",
}
#: what a reason says when other candidates take at least MIN_BITS from a pair
RIVAL_TEXT = {"es": "Otro candidato también coincide", "en": "Another candidate also fits"}
#: what an explanation says of a comparison whose value one side lacks
MISSING_TEXT = {"es": "Sin dato en uno de los dos registros", "en": "Missing on one side"}
PRIOR_TEXT = {"es": "Probabilidad previa de coincidencia", "en": "Prior odds of a match"}
LANGS = ("es", "en")
#: comparisons weighing less than this (bits, either way) are left out of reasons
MIN_BITS = 1.0
#: at most this many comparisons against the match are named
MOST_AGAINST = 2
BUT = {"es": "pero", "en": "but"}
#: how a normalized column is shown to a person (place codes by their names)
_SHOW = {"department_code": department_name, "municipality_code": municipality_name}
#: levels that are not the last of their comparison but still disagree
AGAINST_LEVELS = frozenset(
    {"different_valid", "child_name_date_differs", "year_close", "year_near"}
)


def check_lang(lang: str) -> None:
    """Refuse a language the reasons are not written in."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")


def _is_missing(level: object) -> bool:
    return is_missing(level) or level == MISSING_LEVEL


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
    levels: np.ndarray,
    bits: np.ndarray,
    comparisons: Sequence[Comparison],
    most: int,
    rival: np.ndarray | None = None,
) -> tuple[list[str], list[str]]:
    """(es, en) reasons for each row of level names and bits, shape (n, n_comparisons).
    ``rival``: per row, whether another candidate of the record also fits (said last).

    Rows are grouped on arrays by what their reasons read (each comparison's level, whether it
    speaks for or against, its place by weight, and the rival), and each group is worded once.
    """
    if rival is None:
        rival = np.zeros(len(levels), dtype=bool)
    tables = [{lv.name: lv for lv in c.levels} for c in comparisons]
    n, width = levels.shape
    codes = np.full((n, width), -1, dtype=np.int64)
    usable = np.zeros((n, width), dtype=bool)
    against = np.zeros((n, width), dtype=bool)
    for j, comparison in enumerate(comparisons):
        code, names = pd.factorize(pd.Series(levels[:, j], dtype=object), use_na_sentinel=True)
        ok = np.array([not _is_missing(v) for v in names] + [False], dtype=bool)
        found = [tables[j].get(v) for v in names]
        is_against = [lv is not None and _is_against(lv, comparison) for lv in found] + [False]
        codes[:, j], usable[:, j] = code, ok[code]
        against[:, j] = np.array(is_against, dtype=bool)[code]
    bits = np.where(usable, np.nan_to_num(bits), 0.0)
    order = np.argsort(-np.abs(bits), axis=1, kind="stable")
    place = np.argsort(order, axis=1, kind="stable")
    pro = bits >= MIN_BITS
    con = (bits <= -MIN_BITS) & against
    said = pro | con
    key = np.concatenate(
        [
            np.where(said, codes, -1),
            pro + 2 * con,
            np.where(said, place, -1),
            np.asarray(rival, dtype=np.int64)[:, None],
        ],
        axis=1,
    )
    _, inverse = unique_rows(key)
    # the first row of each group (every group has one)
    _, first = np.unique(inverse, return_index=True)
    es, en = [], []
    for i in first:
        row_order = order[i]
        pro_j = [j for j in row_order if pro[i, j]][:most]
        con_j = [j for j in row_order if con[i, j]][:MOST_AGAINST]
        words = {
            lang: (
                [getattr(tables[j][levels[i, j]], lang) for j in pro_j],
                [getattr(tables[j][levels[i, j]], lang) for j in con_j]
                + ([RIVAL_TEXT[lang]] if rival[i] else []),
            )
            for lang in LANGS
        }
        es.append(_sentence(*words["es"], BUT["es"]))
        en.append(_sentence(*words["en"], BUT["en"]))
    return list(np.array(es, dtype=object)[inverse]), list(np.array(en, dtype=object)[inverse])


def add_reasons(matches: pd.DataFrame, model: FellegiSunter, most: int = 4) -> pd.DataFrame:
    """A copy of ``matches`` with ``reason_es`` and ``reason_en`` for every pair.

    ``matches`` holds, for each comparison ``c`` of ``model.comparisons``, the level name in
    column ``c`` and the pair's weight in ``c_bits``. A reason lists up to ``most`` comparisons
    that speak for the match, strongest first, then up to two facts against it after "pero" /
    "but" (see :func:`_is_against`), and "Otro candidato también coincide" when the record's
    other candidates take :data:`MIN_BITS` or more (``competition_bits``); comparisons weighing
    less than :data:`MIN_BITS` and missing values are left out. Pairs with the same evidence
    share one string.
    """
    comparisons = list(model.comparisons)
    names = [c.name for c in comparisons]
    levels = matches[names].to_numpy(dtype=object)
    bits = matches[[f"{n}_bits" for n in names]].to_numpy(dtype=float)
    rival = (
        matches["competition_bits"].to_numpy(dtype=float) <= -MIN_BITS
        if "competition_bits" in matches
        else None
    )
    es, en = _reason_texts(levels, bits, comparisons, most, rival)
    return matches.assign(
        reason_es=pd.Series(es, index=matches.index, dtype=object),
        reason_en=pd.Series(en, index=matches.index, dtype=object),
    )


def reasons(row_levels: Mapping[str, object], model: FellegiSunter, lang: str = "es") -> str:
    """The reasons for one pair, worded as :func:`add_reasons` words them.

    ``row_levels`` maps each comparison's name to its level name and ``<name>_bits`` to the
    pair's weight for it; a comparison it lacks counts as missing. For instance
    ``{"name": "exact_full_name", "name_bits": 12.0, "dob": "else", "dob_bits": -3.2}`` gives
    ``"Mismo nombre y ambos apellidos; pero fecha de nacimiento distinta"``.
    """
    check_lang(lang)
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


def record_value(record: pd.Series, column: str) -> str:
    """A normalized value as a person reads it: place codes by name, lists ``; ``-joined, ""
    where missing.

    >>> record_value(pd.Series({"municipality_code": "GT1301", "phone_keys": "5555;7777"}),
    ...              "municipality_code")
    'Huehuetenango'
    >>> record_value(pd.Series({"phone_keys": "55551234;77771234"}), "phone_keys")
    '55551234; 77771234'
    """
    if column not in record.index or is_missing(record[column]):
        return ""
    value = record[column]
    if column in _SHOW:
        return _SHOW[column](value) or str(value)
    return "; ".join(part.strip() for part in str(value).split(";") if part.strip())


def explanation(
    comparisons: Sequence[Comparison],
    levels: Mapping[str, str],
    bits: Mapping[str, float],
    prior_bits: float,
    custody: pd.Series,
    field: pd.Series,
    competition: float = 0.0,
) -> pd.DataFrame:
    """One pair's evidence: a row per comparison (comparison, level, es, en, bits,
    custody_value, field_value), then the prior's row; the bits add up to the match weight.
    ``competition``: what the custody record's other candidates add (its row comes last when
    not 0; with it the bits add up to the log-odds of the match probability).

    ``levels`` and ``bits`` map each comparison's name to the pair's level name and weight;
    ``custody`` and ``field`` are the two normalized records.
    """
    rows = []
    for c in comparisons:
        level = levels.get(c.name, MISSING_LEVEL)
        found = {lv.name: lv for lv in c.levels}.get(level)
        rows.append(
            {
                "comparison": c.name,
                "level": level if found else MISSING_LEVEL,
                "es": found.es if found else MISSING_TEXT["es"],
                "en": found.en if found else MISSING_TEXT["en"],
                "bits": float(bits.get(c.name, 0.0)),
                "custody_value": _values(custody, c.columns),
                "field_value": _values(field, c.columns),
            }
        )
    rows.append(
        {
            "comparison": PRIOR_LEVEL,
            "level": PRIOR_LEVEL,
            **PRIOR_TEXT,
            "bits": float(prior_bits),
            "custody_value": "",
            "field_value": "",
        }
    )
    if competition:
        rows.append(
            {
                "comparison": COMPETITION_LEVEL,
                "level": COMPETITION_LEVEL,
                **COMPETITION_TEXT,
                "bits": float(competition),
                "custody_value": "",
                "field_value": "",
            }
        )
    return pd.DataFrame(rows)


def _values(record: pd.Series, columns: Sequence[str]) -> str:
    return " | ".join(v for v in (record_value(record, c) for c in columns) if v)
