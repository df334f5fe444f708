"""The frame-level normalize step: every normalizer applied column by column to one side.

``normalize(records, day_first)`` returns the records with their raw columns and every normalized
column of :data:`linkage.schema.NORMALIZED_COLUMNS`, plus the list-valued blocking keys
(``birth_years``, ``child_keys``) and the children's normalized names and dates. A raw column
that a normalized column of the same name replaces keeps its text as ``<column>_raw``. Values
present in the raw data that no normalizer could read are reported by :func:`unreadable_values`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from linkage.reasons import reason_text
from normalizers import children, dates, ids, names, phones, places, sex
from normalizers.dates import DEFAULT_REFERENCE
from normalizers.distinct import mapped
from normalizers.ids.hn_dni import LATE_REGISTRATION_YEARS
from normalizers.text import fold

#: raw column -> normalized column that must be filled when the raw value is readable
READ_CHECKS: dict[str, str] = {
    "birth_date": "dob",
    "removal_date": "removal_date",
    "a_number": "a_number",
    "phone": "phone_keys",
    "sex": "sex",
}


def normalize(
    records: pd.DataFrame,
    day_first: bool,
    english_sex: bool = False,
    parse_names: Callable[[pd.DataFrame], pd.DataFrame] = names.normalize_frame,
    *,
    reference: dt.date = DEFAULT_REFERENCE,
    sex_m: str = "auto",
) -> pd.DataFrame:
    """Raw records (person schema) plus their normalized columns, same index.

    ``day_first``: how to read ambiguous dates. ``english_sex``: a lone "M" means male unless the
    source shows otherwise (U.S. records); else it is read from the source's H/M or F/M use.
    ``parse_names``: records -> the name columns of :data:`normalizers.names.FRAME_COLUMNS`
    (another name parser can stand in, as the ablation benchmark's generic one does).
    ``reference``: the job's reference date (two-digit years, plausible dates, ID validity).
    ``sex_m``: "male" or "female" reads a lone "M" so where the source's own letters do not
    settle it (:data:`normalizers.sex.SEX_M`); "auto" leaves it to ``english_sex`` and names.
    """
    name_parts = parse_names(records)
    parts = [
        name_parts,
        sex.normalize_frame(records, name_parts["given1"], sex.m_convention(sex_m, english_sex)),
        dates.normalize_frame(records, day_first, reference),
        places.normalize_frame(records),
        ids.normalize_frame(records, reference),
        phones.normalize_frame(records),
        children.normalize_frame(records, day_first, reference),
    ]
    # a raw column that a normalized one replaces (sex, national_id, a_number, removal_date)
    # keeps its text as <column>_raw
    produced = {c for part in parts for c in part.columns}
    raw = records.rename(columns={c: f"{c}_raw" for c in records.columns if c in produced})
    out = pd.concat([raw, *parts], axis=1)
    out["birth_years"] = _birth_years(out)
    out["name_pairs"] = _name_pairs(out)
    out["dob_day"] = out["dob"].where(out["dob_precision"] == "day")
    out["birth_years_near"] = _birth_years(out, spread=2)
    out["given1_start"] = _start(out["given1"])
    out["paternal_start"] = _start(out["paternal"])
    out["given_initial"] = _start(out["given1"], 1)
    out["given_initial_only"] = out["given_initial"].where(out["given1"].str.len() == 1)
    out["place_key"] = _place_key(out)
    return out


def _start(names_: pd.Series, letters: int = 3) -> pd.Series:
    """The first ``letters`` letters of a normalized name as written (not as it sounds), for the
    blocking rules that catch spellings whose sound keys differ ("Ruppenhal", "Ruppenthal").

    >>> _start(pd.Series(["van houten", "jo", None])).tolist()
    ['van', <NA>, <NA>]
    """
    codes, distinct = pd.factorize(names_.astype("string"))
    letters_only = pd.Series(distinct, dtype="string").str.replace(r"[^a-z]", "", regex=True)
    starts = letters_only.str[:letters].where(letters_only.str.len() >= letters).astype(object)
    starts = np.append(starts.to_numpy(dtype=object), pd.NA)  # code -1 (missing) reads NA
    return pd.Series(starts[codes], index=names_.index, dtype=object)


def _place_key(frame: pd.DataFrame) -> pd.Series:
    """The most precise place a record gives: its municipality code, else its community (as
    normalized text), else its department code (for blocking; sides that give different levels
    do not meet on it)."""
    key = frame["municipality_code"].astype(object)
    for column in ("community", "department_code"):
        if column in frame:
            key = key.where(key.notna(), frame[column].astype(object))
    return key.where(key.notna() & (key.astype(str) != ""), pd.NA)


def _name_pairs(frame: pd.DataFrame, most_tokens: int = 5) -> pd.Series:
    """Every pair of the name's words, as sorted phonetic keys, ;-joined (for blocking).

    Catches a name whose parts landed in the wrong slots ("EDWIN JUAN, CUC PACAY" typed with the
    given names before the comma): any two words it shares with the other side still meet.
    Particles and initials are left out.

    >>> _name_pairs(pd.DataFrame({"given": ["juan"], "paternal": ["de leon"], "maternal": ["coc"]}))
    0    juan+kuk;juan+leun;kuk+leun
    dtype: object
    """

    def pairs(*parts: object) -> object:
        words = [w for part in parts if isinstance(part, str) for w in part.split()]
        keys = sorted(
            {names.phonetic_key(w) for w in words if len(w) > 1 and w not in names.PARTICLES}
            - {""}
        )[:most_tokens]
        combos = [f"{a}+{b}" for i, a in enumerate(keys) for b in keys[i + 1 :]]
        return ";".join(combos) if combos else pd.NA

    parts = [frame["given"], frame["paternal"], frame["maternal"]]
    return pd.Series(mapped(parts, pairs), index=frame.index, dtype=object)


def _birth_years(frame: pd.DataFrame, widest: int = 4, spread: int = 0) -> pd.Series:
    """Candidate birth years as a ;-joined list (for blocking); missing if unknown or wider than
    ``widest``. ``spread``: years added on each side (ages misstated by a year or two).

    >>> _birth_years(pd.DataFrame({"birth_year_min": [1980], "birth_year_max": [1981]}), spread=1)
    0    1979;1980;1981;1982
    dtype: object
    """
    lo, hi = frame["birth_year_min"], frame["birth_year_max"]
    if "id_birth_year" in frame:
        # an ID's year may be a late registration: born that year or a few years before
        lo = lo.fillna(frame["id_birth_year"] - LATE_REGISTRATION_YEARS)
        hi = hi.fillna(frame["id_birth_year"])

    def years(a: object, b: object) -> object:
        if pd.isna(a) or pd.isna(b) or int(b) - int(a) > widest:
            return pd.NA
        return ";".join(str(y) for y in range(int(a) - spread, int(b) + spread + 1))

    return pd.Series(mapped([lo, hi], years), index=frame.index, dtype=object)


def _unreadable(raw_column: str, value: object) -> tuple[str, dict[str, str]]:
    """The reason code and parameters of a raw value no normalizer could read."""
    if raw_column == "sex" and fold(value) == "m":
        return "ambiguous_sex", {"value": quoted(value)}
    return "unreadable_value", {"column": raw_column, "value": quoted(value)}


def quoted(value: object, limit: int = 30) -> str:
    """A cell's value for a message, quoted and cut to ``limit`` characters."""
    text = " ".join(str(value).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def unreadable_values(normalized: pd.DataFrame, file: str) -> pd.DataFrame:
    """Rejects of kind "value": raw values present but unreadable (the row itself is kept)."""
    rows = []
    for raw_column, column in READ_CHECKS.items():
        source = f"{raw_column}_raw" if f"{raw_column}_raw" in normalized else raw_column
        if source not in normalized or column not in normalized:
            continue
        bad = normalized[source].notna() & normalized[column].isna()
        for row, value in zip(
            normalized.loc[bad, "source_row"], normalized.loc[bad, source], strict=True
        ):
            rows.append(
                {
                    "file": file,
                    "row": int(row),
                    "column": raw_column,
                    "reason": reason_text(*_unreadable(raw_column, value)),
                    "kind": "value",
                }
            )
    if "age" in normalized:
        age = pd.to_numeric(normalized["age"], errors="coerce")
        bad = normalized["age"].notna() & ~age.between(0, 120)
        for row, value in zip(
            normalized.loc[bad, "source_row"], normalized.loc[bad, "age"], strict=True
        ):
            rows.append(
                {
                    "file": file,
                    "row": int(row),
                    "column": "age",
                    "reason": reason_text("age_out_of_range", {"value": quoted(value)}),
                    "kind": "value",
                }
            )
    return pd.DataFrame(rows, columns=["file", "row", "column", "reason", "kind"])
