"""Light, generic cleaning a competent user does before handing records to a linkage library.

Both baselines get the same cleaned columns from the same raw input files; nothing here uses the
project's normalizers (no nickname tables, no gazetteer, no phonetic keys, no ID check digits).
What it does: lower-case and strip accents, split a full name at its comma ("GARCIA LOPEZ, MARIA"),
keep Spanish particles with their surname, parse dates with the file's known day/month order,
derive a birth year from a date, a bare year or an age, keep the last 8 digits of a phone, and
map the five countries' names and codes to ISO.

>>> clean(pd.DataFrame({"record_id": ["C1"], "full_name": ["DE LEON LOPEZ, JOSÉ MARIA"],
...                     "birth_date": ["04/03/1985"]}), day_first=False).iloc[0][
...     ["given1", "paternal", "maternal", "dob"]].tolist()
['jose', 'de leon', 'lopez', '1985-04-03']
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

import pandas as pd

#: columns every cleaned frame has, in this order (``record_id`` first)
CLEAN_COLUMNS = (
    "record_id",
    "given",
    "given1",
    "paternal",
    "maternal",
    "surnames",
    "sex",
    "dob",
    "birth_year",
    "country",
    "department",
    "town",
    "street",
    "national_id",
    "a_number",
    "phone8",
    "child1",
)

_PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "van", "von", "san"}
_NON_ALPHA = re.compile(r"[^a-z, ]+")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PHONE_SPLIT = re.compile(r"[;,/]| y | o ")
_SEX = {"m": "M", "h": "M", "male": "M", "masculino": "M", "hombre": "M", "f": "F"}
_SEX.update({"female": "F", "femenino": "F", "mujer": "F"})
_COUNTRIES = {
    "GT": ("guatemala", "gt", "gtm", "guat"),
    "HN": ("honduras", "hn", "hnd", "ho", "hond"),
    "SV": ("el salvador", "salvador", "sv", "slv", "es", "salv"),
    "NI": ("nicaragua", "ni", "nic", "nu", "nica"),
    "MX": ("mexico", "mx", "mex"),
}
_COUNTRY = {alias: code for code, aliases in _COUNTRIES.items() for alias in aliases}


@cache
def fold(text: str) -> str:
    """Lower-case ASCII letters, commas and single spaces; hyphens become spaces.

    >>> fold("  Muñoz-Peña,  JOSÉ ")
    'munoz pena, jose'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _NON_ALPHA.sub(" ", ascii_text.lower().replace("-", " "))
    return re.sub(r"\s+", " ", text.replace(" ,", ",")).strip(" ,")


def _words(text: str) -> list[str]:
    """Words with particles glued to the word after them: ``de leon`` stays one surname."""
    out: list[str] = []
    pending: list[str] = []
    for word in text.split():
        if word in _PARTICLES:
            pending.append(word)
            continue
        out.append(" ".join([*pending, word]))
        pending = []
    if pending:
        out.append(" ".join(pending))
    return out


@cache
def split_full_name(full: str) -> tuple[str, str, str]:
    """(given names, paternal, maternal) of a whole name, surnames before a comma if any.

    Without a comma the order is taken as given names then surnames: two words are a given name
    and a surname, three or more end with both surnames.

    >>> split_full_name("garcia lopez, maria jose")
    ('maria jose', 'garcia', 'lopez')
    >>> split_full_name("edgar de leon lopez")
    ('edgar', 'de leon', 'lopez')
    """
    if "," in full:
        surnames, _, given = full.partition(",")
        words = _words(surnames)
        return given.replace(",", " ").strip(), words[0] if words else "", " ".join(words[1:])
    words = _words(full)
    if len(words) <= 1:
        return full, "", ""
    if len(words) == 2:
        return words[0], words[1], ""
    return " ".join(words[:-2]), words[-2], words[-1]


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index)
    return frame[column].fillna("").astype(str).map(fold).str.replace(",", " ").str.strip()


def _names(frame: pd.DataFrame) -> pd.DataFrame:
    given = _text(frame, "given_names")
    paternal = _text(frame, "paternal_surname")
    maternal = _text(frame, "maternal_surname")
    full = (
        frame["full_name"].fillna("").astype(str).map(fold)
        if "full_name" in frame
        else pd.Series("", index=frame.index)
    )
    parsed = full.map(split_full_name)
    use_full = (given == "") & (paternal == "")
    given = given.where(~use_full, parsed.str[0])
    paternal = paternal.where(~use_full, parsed.str[1])
    maternal = maternal.where(~use_full, parsed.str[2])
    out = pd.DataFrame({"given": given, "paternal": paternal, "maternal": maternal})
    out["given1"] = given.str.split(" ").str[0].fillna("")
    out["surnames"] = (paternal + " " + maternal).str.strip()
    return out


_FORMATS = {
    True: ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%Y%m%d"),
    False: ("%m/%d/%Y", "%m-%d-%Y", "%Y-%m-%d", "%Y%m%d"),
}


@cache
def _parse_date(text: str, day_first: bool) -> tuple[str, int | None]:
    """(ISO date or "", year or None) of a free-text date.

    >>> _parse_date("3/4/1985", True), _parse_date("3 de abril de 1985", True)
    (('1985-04-03', 1985), ('', 1985))
    """
    text = text.strip()
    for form in _FORMATS[day_first]:
        try:
            day = dt.datetime.strptime(text, form)
        except ValueError:
            continue
        return day.strftime("%Y-%m-%d"), day.year
    year = _YEAR.search(text)
    return "", int(year.group(1)) if year else None


def _dates(frame: pd.DataFrame, day_first: bool) -> pd.DataFrame:
    raw = frame.get("birth_date", pd.Series("", index=frame.index)).fillna("").astype(str)
    parsed = raw.map(lambda t: _parse_date(t, day_first))
    dob = parsed.str[0]
    year = pd.to_numeric(parsed.str[1], errors="coerce")
    if "age" in frame and "report_date" in frame:
        report_text = frame["report_date"].fillna("").astype(str)
        report = report_text.map(lambda t: _parse_date(t, day_first))
        report_year = pd.to_numeric(report.str[1], errors="coerce")
        age = pd.to_numeric(frame["age"], errors="coerce")
        year = year.fillna(report_year - age)
    return pd.DataFrame({"dob": dob, "birth_year": year.astype("Int64")})


@cache
def _phone8(text: str) -> str:
    for part in _PHONE_SPLIT.split(text.lower()):
        digits = re.sub(r"\D", "", part)
        if len(digits) >= 8:
            return digits[-8:]
    return ""


def _sex(frame: pd.DataFrame) -> pd.Series:
    """M/F; a bare "M" means mujer for an organization that writes "H" for men."""
    sex = _text(frame, "sex")
    if "organization" in frame:
        org = frame["organization"].fillna("")
        hm_orgs = set(org[sex == "h"])
        sex = sex.where(~((sex == "m") & org.isin(hm_orgs)), "f")
    return sex.map(_SEX)


def _first_child(text: str) -> str:
    names = sorted(fold(n).split(" ")[0] for n in text.split(";") if fold(n))
    return names[0] if names else ""


def clean(frame: pd.DataFrame, day_first: bool) -> pd.DataFrame:
    """Cleaned columns (:data:`CLEAN_COLUMNS`) of a raw frame in the project's input schema.

    ``day_first``: the file writes dates day before month (field reports) or not (U.S. custody).
    Missing values are ``None`` (``pd.NA`` for ``birth_year``), never empty strings.
    """
    out = _names(frame)
    out.insert(0, "record_id", frame["record_id"].astype(str))
    out = pd.concat([out, _dates(frame, day_first)], axis=1)
    out["sex"] = _sex(frame)
    out["country"] = _text(frame, "country").map(_COUNTRY)
    out["department"] = _text(frame, "department")
    place = frame.get("place", pd.Series("", index=frame.index)).fillna("").astype(str)
    municipality = _text(frame, "municipality")
    first_part = place.str.split(",").str[0].map(fold)
    out["town"] = municipality.where(municipality != "", first_part)
    out["street"] = place.map(fold).str.replace(",", "").where(municipality != "", "")
    for column in ("national_id", "a_number"):
        raw = frame.get(column, pd.Series("", index=frame.index)).fillna("").astype(str)
        out[column] = raw.str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    out["a_number"] = out["a_number"].str.lstrip("A")
    phone = frame.get("phone", pd.Series("", index=frame.index)).fillna("").astype(str)
    out["phone8"] = phone.map(_phone8)
    children = frame.get("child_names", pd.Series("", index=frame.index)).fillna("").astype(str)
    out["child1"] = children.map(_first_child)
    out = out[list(CLEAN_COLUMNS)].reset_index(drop=True)
    for column in CLEAN_COLUMNS:
        if column != "birth_year":
            out[column] = out[column].astype(object).where(out[column].fillna("") != "", None)
    return out


def shared_columns(left: pd.DataFrame, right: pd.DataFrame, columns: tuple[str, ...]) -> list[str]:
    """Those of ``columns`` that hold a value on both sides: the ones worth comparing."""
    return [c for c in columns if left[c].notna().any() and right[c].notna().any()]
