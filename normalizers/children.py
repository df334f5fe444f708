"""The children a record lists, normalized for the household comparison and blocking.

``child_names`` and ``child_birth_dates`` are ``;``-separated and aligned. Output columns:
``children`` (canonical names, ``;``-joined), ``children_dobs`` (ISO dates at their precision,
``;``-joined and aligned, empty where unknown) and ``child_keys`` (phonetic key of each child's
first given name with the birth year, ``;``-joined, for blocking).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from normalizers import dates, names
from normalizers.distinct import per_distinct

_SPLIT = re.compile(r"\s*[;|\n]\s*")


def split_list(value: object) -> list[str]:
    """Items of a ``;``-separated cell (also ``|`` or new lines), blanks dropped.

    >>> split_list("Ana López; José López |")
    ['Ana López', 'José López']
    """
    if not isinstance(value, str):
        return []
    return [part for part in _SPLIT.split(value.strip()) if part]


def given_first(name: str) -> str:
    """A child's name with the given names first, as a field report writes it: U.S. custody
    records put the surnames before a comma.

    >>> given_first("LOPEZ GARCIA, DAYANA YAMILETH")
    'DAYANA YAMILETH LOPEZ GARCIA'
    >>> given_first("Dayana López")
    'Dayana López'
    """
    surnames, comma, given = name.partition(",")
    if not comma or not given.strip() or not surnames.strip():
        return name
    return f"{given.strip()} {surnames.strip()}"


def _children(
    name_cell: object, dob_cell: object, day_first: bool, reference: dt.date
) -> tuple[object, object, object]:
    child_names = [names.canonical_name(given_first(n)) for n in split_list(name_cell)]
    child_names = [n for n in child_names if n]
    if not child_names:
        return pd.NA, pd.NA, pd.NA
    raw_dobs = split_list(dob_cell) if isinstance(dob_cell, str) else []
    parsed = [dates.parse_date(d, day_first, reference) for d in raw_dobs]
    dobs = [p.iso if p is not None else "" for p in parsed]
    dobs = (dobs + [""] * len(child_names))[: len(child_names)]
    keys = []
    for name, dob in zip(child_names, dobs, strict=True):
        first = name.split()[0]
        if dob:
            keys.append(f"{names.phonetic_key(first)}:{dob[:4]}")
    return ";".join(child_names), ";".join(dobs), ";".join(sorted(set(keys))) or pd.NA


def normalize_frame(
    df: pd.DataFrame, day_first: bool, reference: dt.date = dates.DEFAULT_REFERENCE
) -> pd.DataFrame:
    """children, children_dobs and child_keys for each row (missing when no child is listed);
    dates read against the job's ``reference`` date (:func:`normalizers.dates.parse_date`)."""
    name_col = df["child_names"] if "child_names" in df else pd.Series(None, index=df.index)
    dob_col = (
        df["child_birth_dates"] if "child_birth_dates" in df else pd.Series(None, index=df.index)
    )
    codes, rows = per_distinct(
        [name_col, dob_col], lambda n, d: _children(n, d, day_first, reference)
    )
    columns = ["children", "children_dobs", "child_keys"]
    return pd.DataFrame(rows, columns=columns, dtype=object).iloc[codes].set_index(df.index)
