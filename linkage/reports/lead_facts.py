"""The facts a volunteer checks at the door, as each record states them, for the lead sheets.

Values are shown as written in the source file (a volunteer compares them with what the person
says), looked up by record id. Every function takes a normalized frame (raw columns kept, indexed
by record_id) and a Series of ids, and returns display text aligned with the ids.
"""

from __future__ import annotations

import re

import pandas as pd

from normalizers.children import split_list
from normalizers.text import fold

#: particles of compound surnames, written in lower case ("de León")
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})

#: words of the facts, by language
WORDS = {
    "es": {"age": "{age} años", "at": "{text} (al {date})", "no_maternal": "sin 2.º apellido"},
    "en": {"age": "{age} years old", "at": "{text} (on {date})", "no_maternal": "no 2nd surname"},
}


def text(value: object) -> str:
    """A cell as display text: missing values are empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def column(frame: pd.DataFrame, ids: pd.Series, name: str) -> pd.Series:
    """``frame[name]`` looked up for each id (empty text where absent).

    The value as written (``<name>_raw``, kept where normalizing reused the name) is preferred.
    """
    if f"{name}_raw" in frame.columns:
        name = f"{name}_raw"
    if name not in frame.columns:
        return pd.Series("", index=ids.index, dtype=object)
    values = frame[name].reindex(ids.astype(str).to_numpy())
    return pd.Series([text(v) for v in values], index=ids.index, dtype=object)


def person_name(frame: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """The name as written: full_name, else given names and surnames."""
    full = column(frame, ids, "full_name")
    parts = [column(frame, ids, c) for c in ("given_names", "paternal_surname", "maternal_surname")]
    composed = pd.Series(
        [" ".join(p for p in row if p) for row in zip(*parts, strict=True)],
        index=ids.index,
        dtype=object,
    )
    return full.where(full != "", composed)


def _as_written(part: str, written: str) -> str:
    """A normalized name part in the spelling of the name as written.

    >>> _as_written("garcia", "MARIA GARCÍA"), _as_written("de leon", "Ana de León")
    ('García', 'de León')
    """
    tokens = {fold(t): t for t in re.findall(r"[^\s,;]+", written)}
    words = []
    for word in part.split():
        token = tokens.get(word, word)
        words.append(token.title() if token.isupper() or token.islower() else token)
    return " ".join(w.lower() if fold(w) in PARTICLES else w for w in words)


def surnames(frame: pd.DataFrame, ids: pd.Series, lang: str) -> pd.Series:
    """Both surnames as the name was read: "García · López"; a missing second one is said.

    Read from the normalized ``paternal``/``maternal`` parts in the spelling of the name as
    written, so a volunteer sees which word is which surname whatever order it was written in.
    """
    paternal, maternal = column(frame, ids, "paternal"), column(frame, ids, "maternal")
    written = person_name(frame, ids)
    rows = []
    for first, second, name in zip(paternal, maternal, written, strict=True):
        if not first:
            rows.append("")
            continue
        second = _as_written(second, name) if second else WORDS[lang]["no_maternal"]
        rows.append(f"{_as_written(first, name)} · {second}")
    return pd.Series(rows, index=ids.index, dtype=object)


def born(frame: pd.DataFrame, ids: pd.Series, lang: str) -> pd.Series:
    """The birth date as written, else the age with the date it was stated ("34 años (al ...)")."""
    dates = column(frame, ids, "birth_date")
    ages = column(frame, ids, "age")
    reported = column(frame, ids, "report_date")
    words = WORDS[lang]
    rows = []
    for date, age, when in zip(dates, ages, reported, strict=True):
        if date or not age:
            rows.append(date)
            continue
        stated = words["age"].format(age=age)
        rows.append(words["at"].format(text=stated, date=when) if when else stated)
    return pd.Series(rows, index=ids.index, dtype=object)


def children(frame: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """Each child's name with the birth date as written: "Ana López (3/4/2015); Luis López"."""
    names = column(frame, ids, "child_names")
    dates = column(frame, ids, "child_birth_dates")
    rows = []
    for name_cell, date_cell in zip(names, dates, strict=True):
        # dates stay aligned with names: an empty item is a child without a date
        child_names = split_list(name_cell)
        child_dates = [d.strip() for d in date_cell.split(";")] if date_cell else []
        child_dates += [""] * (len(child_names) - len(child_dates))
        rows.append(
            "; ".join(
                f"{n} ({d})" if d else n for n, d in zip(child_names, child_dates, strict=False)
            )
        )
    return pd.Series(rows, index=ids.index, dtype=object)
