"""Sex as written in either language, to ``"M"`` (male) or ``"F"`` (female).

>>> normalize_sex("Masculino"), normalize_sex("H"), normalize_sex("mujer"), normalize_sex("F")
('M', 'M', 'F', 'F')
>>> normalize_sex("M", convention="HM"), normalize_sex("M", convention="FM"), normalize_sex("x")
('F', 'M', None)

A lone "M" is ambiguous: "male" (or masculino) where a source writes F/M, "mujer" where it
writes H/M. Each source (organization, else the whole file) is read by the letters it uses; where
they do not settle it, the first given name does when it is clearly of one sex
(``data/names/given_names.csv``), and otherwise the value is left unknown. The ``sex_m``
setting (:data:`SEX_M`) says how such an "M" is read instead.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from normalizers.distinct import mapped
from normalizers.resources import data_path
from normalizers.text import fold

_MALE = {"male", "man", "masculino", "masc", "hombre", "h", "varon", "v"}
_FEMALE = {"f", "female", "woman", "femenino", "fem", "mujer", "w"}
#: the ``sex_m`` setting -> the convention a lone "M" is read by where a source's letters leave
#: it open ("auto": custody M/F as U.S. clerks write it, field reports by the first given name)
SEX_M = {"auto": None, "male": "FM", "female": "HM"}
#: share of one sex among bearers of a given name at which the name settles an ambiguous "M"
NAME_CERTAINTY = 0.95


def normalize_sex(value: object, convention: str | None = None) -> str | None:
    """``"M"``, ``"F"`` or None. ``convention``: "HM" (M = mujer), "FM" (M = male) or None."""
    text = fold(value)
    if text == "m":
        return {"HM": "F", "FM": "M"}.get(convention or "")
    if text in _MALE:
        return "M"
    if text in _FEMALE:
        return "F"
    return None


def m_convention(sex_m: str, english: bool) -> str | None:
    """The default convention of a file: the ``sex_m`` setting's, else "FM" for U.S. records.

    >>> m_convention("auto", True), m_convention("auto", False), m_convention("female", True)
    ('FM', None, 'HM')
    """
    return SEX_M[sex_m] or ("FM" if english else None)


def convention(values: pd.Series) -> str | None:
    """ "HM" if the values use H and no F, "FM" if F and no H, else None (undecided)."""
    letters = set(values.dropna().map(fold))
    uses_h = bool(letters & {"h", "hombre"})
    uses_f = bool(letters & {"f", "femenino", "female"})
    if uses_h != uses_f:
        return "HM" if uses_h else "FM"
    return None


@cache
def _name_sex() -> dict[str, str]:
    shares: dict[str, dict[str, float]] = {}
    with data_path("names", "given_names.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            words = fold(row["name"]).split()
            if words and row["sex"] in ("M", "F"):
                by_sex = shares.setdefault(words[0], {"M": 0.0, "F": 0.0})
                by_sex[row["sex"]] += float(row["frequency"] or 0)
    out = {}
    for name, by_sex in shares.items():
        total = by_sex["M"] + by_sex["F"]
        for sex in ("M", "F"):
            if total and by_sex[sex] / total >= NAME_CERTAINTY:
                out[name] = sex
    return out


def sex_of_name(first_given: object) -> str | None:
    """The sex a folded first given name clearly indicates, if any.

    >>> sex_of_name("jose"), sex_of_name("maria"), sex_of_name("xyz")
    ('M', 'F', None)
    """
    return _name_sex().get(fold(first_given))


def normalize_frame(
    df: pd.DataFrame, given1: pd.Series | None = None, default: str | None = None
) -> pd.DataFrame:
    """The ``sex`` column normalized, reading each organization's H/M or F/M convention.

    ``default``: the convention where a source's letters leave it open ("FM" for U.S. records).
    ``given1``: first given names (folded), to settle a lone "M" that is still open.
    """
    raw = df["sex"] if "sex" in df else pd.Series(None, index=df.index, dtype=object)
    groups = (
        df["organization"].fillna("") if "organization" in df else pd.Series("", index=df.index)
    )
    rules = {g: convention(raw[groups == g]) or default for g in groups.unique()}

    def read(value: object, group: str, name: object) -> str | None:
        sex = normalize_sex(value, rules[group])
        if sex is None and given1 is not None and fold(value) == "m":
            return sex_of_name(name)
        return sex

    names_ = given1 if given1 is not None else pd.Series(None, index=df.index, dtype=object)
    out = mapped([raw, groups, names_], read)
    return pd.DataFrame({"sex": pd.Series(out, index=df.index, dtype=object)})
