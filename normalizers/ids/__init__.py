"""National identifiers and A-numbers: detect the kind, validate, and read what they imply.

One module per identifier, in python-stdnum's style (``compact``, ``validate``, ``is_valid``,
``format``): :mod:`~normalizers.ids.gt_cui`, :mod:`~normalizers.ids.hn_dni`,
:mod:`~normalizers.ids.sv_dui`, :mod:`~normalizers.ids.ni_cedula`,
:mod:`~normalizers.ids.mx_curp` and :mod:`~normalizers.ids.a_number`.

An identifier that fails its check is kept (``valid`` False) as lower-trust evidence.

>>> detect("1234 56789 0101")
('gt_cui', '1234567890101', True)
>>> detect("0801-1985-01234", country="Honduras")
('hn_dni', '0801198501234', True)
>>> detect("04567890-3")
('sv_dui', '045678903', True)
>>> detect("1234567800101", country="GT")
('gt_cui', '1234567800101', False)
>>> detect("DPI: 55")
(None, '55', False)
>>> detect("801198501234")
('hn_dni', '0801198501234', True)
>>> detect("no tiene")
(None, '', False)
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from types import ModuleType

import pandas as pd
from unidecode import unidecode

from normalizers.dates import DEFAULT_REFERENCE
from normalizers.distinct import mapped, per_distinct
from normalizers.ids import a_number, gt_cui, hn_dni, mx_curp, ni_cedula, sv_dui
from normalizers.ids.country import iso2
from normalizers.ids.util import cell_text, clean, is_digits
from normalizers.text import digits

#: identifier kind -> its module
KINDS: dict[str, ModuleType] = {
    "gt_cui": gt_cui,
    "hn_dni": hn_dni,
    "sv_dui": sv_dui,
    "ni_cedula": ni_cedula,
    "mx_curp": mx_curp,
}
#: kinds whose validity depends on the job's reference date (a year of registration or birth)
_DATED = frozenset({"hn_dni", "ni_cedula"})
#: the identifier kind of each country
COUNTRY_KIND = {"GT": "gt_cui", "HN": "hn_dni", "SV": "sv_dui", "NI": "ni_cedula", "MX": "mx_curp"}

_CURP = re.compile(r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d")
_CEDULA = re.compile(r"\d{3}[\s\-.]?\d{6}[\s\-.]?\d{4}[\s\-.]?[A-Z]\b")
_BY_LENGTH = {13: ("gt_cui", "hn_dni", "ni_cedula"), 9: ("sv_dui",), 8: ("sv_dui",)}
#: a run of digits with short runs of spaces, hyphens, dots or slashes between them
_NUMBER = re.compile(r"\d(?:[\s\-./]{0,3}\d)*")


def is_valid(kind: str, value: str, reference: dt.date = DEFAULT_REFERENCE) -> bool:
    """Whether ``value`` passes the check of identifier ``kind`` on the ``reference`` date.

    >>> is_valid("hn_dni", "0801202601234"), is_valid("hn_dni", "0801202701234")
    (True, False)
    """
    if kind in _DATED:
        return KINDS[kind].is_valid(value, reference=reference)
    return KINDS[kind].is_valid(value)


def _pick(
    candidates: tuple[str, ...], value: str, country_kind: str | None, reference: dt.date
) -> str | None:
    """The country's kind when valid, else any valid kind, else the country's kind if it fits."""
    ordered = sorted(candidates, key=lambda kind: kind != country_kind)
    for kind in ordered:
        if is_valid(kind, value, reference):
            return kind
    return country_kind if country_kind in candidates else None


@lru_cache(maxsize=200_000)
def _detect(
    text: str, country: str | None, reference: dt.date
) -> tuple[str | None, str, bool]:
    upper = unidecode(text).upper()
    country_kind = COUNTRY_KIND.get(country) if country else None
    if match := _CURP.search(upper.replace(" ", "").replace("-", "")):
        value = match.group()
        return "mx_curp", value, mx_curp.is_valid(value)
    if match := _CEDULA.search(upper):
        value = ni_cedula.compact(match.group())
        return "ni_cedula", value, ni_cedula.is_valid(value, reference=reference)
    runs = [clean(run) if is_digits(clean(run)) else digits(run) for run in _NUMBER.findall(text)]
    if not runs:
        return None, "", False
    number = max(runs, key=len)
    if len(number) == 12 and _pick(_BY_LENGTH[13], "0" + number, None, reference):
        number = "0" + number  # a leading zero lost in a spreadsheet
    kind = _pick(_BY_LENGTH.get(len(number), ()), number, country_kind, reference)
    if kind is None:
        return None, number, False
    value = KINDS[kind].compact(number)
    return kind, value, is_valid(kind, value, reference)


def detect(
    value: object, country: object = None, reference: dt.date = DEFAULT_REFERENCE
) -> tuple[str | None, str, bool]:
    """``(kind, compact, valid)`` of an identifier cell; ``kind`` is ``None`` when unknown.

    ``country`` (a name or code, as written) breaks ties: a 13-digit number is a Guatemalan CUI
    or a Honduran DNI; without a country, whichever passes its check wins. ``reference``: the
    job's reference date, for identifiers holding a year of registration or birth.
    """
    text = cell_text(value)
    if text is None:
        return None, "", False
    return _detect(text, iso2(country), reference)


def implied(
    kind: str | None, value: str, valid: bool, reference: dt.date = DEFAULT_REFERENCE
) -> tuple[str | None, str | None, int | None]:
    """``(municipality P-code, ISO birth date, birth year)`` a valid identifier implies.

    >>> implied("hn_dni", "0801198501234", True)
    ('HN0801', None, 1985)
    >>> implied("ni_cedula", "0010305850001V", True)
    (None, '1985-05-03', 1985)
    """
    if not valid or kind is None:
        return None, None, None
    if kind == "gt_cui":
        return gt_cui.municipality_code(value), None, None
    if kind == "hn_dni":
        return hn_dni.municipality_code(value), None, hn_dni.registration_year(value)
    if kind == "ni_cedula":
        born = ni_cedula.birth_date(value, reference)
        return None, born.isoformat(), born.year
    if kind == "mx_curp":
        born = mx_curp.birth_date(value)
        return None, born.isoformat(), born.year
    return None, None, None


@lru_cache(maxsize=200_000)
def _a_number(text: str) -> str | None:
    """The A-number in a cell (its longest digit run), padded to 9 digits; ``None`` if none.

    >>> _a_number("A-number: 12 345 678"), _a_number("A000000000"), _a_number("n/a")
    ('012345678', None, None)
    """
    runs = [clean(run) for run in _NUMBER.findall(text)]
    if not runs:
        return None
    number = a_number.compact(max(runs, key=len))
    return number if is_digits(number) and number.strip("0") else None


@lru_cache(maxsize=200_000)
def _national(text: str, country: str | None, reference: dt.date) -> tuple:
    kind, compact, valid = detect(text, country, reference)
    if not compact:
        return (None,) * 6
    return (compact, kind, valid, *implied(kind, compact, valid, reference))


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name not in df.columns:
        return pd.Series(None, index=df.index, dtype=object)
    return df[name].astype(object)


def _national_cell(value: object, country: object, reference: dt.date) -> tuple:
    """:func:`_national` of a national ID cell and a country cell, as read by ``cell_text``."""
    text = cell_text(value)
    return _national(text, cell_text(country), reference) if text else (None,) * 6


def _a_number_cell(value: object) -> str | None:
    """:func:`_a_number` of an A-number cell, as read by ``cell_text``."""
    text = cell_text(value)
    return _a_number(text) if text else None


def normalize_frame(df: pd.DataFrame, reference: dt.date = DEFAULT_REFERENCE) -> pd.DataFrame:
    """The ``ids`` normalized columns of ``df`` plus ``id_birth_year`` (same index), checked on
    the job's ``reference`` date.

    Reads ``national_id``, ``country`` and ``a_number`` where present; missing values are
    ``pd.NA``. ``id_municipality_code``, ``id_dob`` and ``id_birth_year`` are filled only from
    identifiers that pass their check.
    """
    codes, rows = per_distinct(
        [_column(df, "national_id"), _column(df, "country")],
        lambda value, country: _national_cell(value, country, reference),
    )
    names = ["national_id", "id_kind", "id_valid", "id_municipality_code", "id_dob", "year"]
    out = pd.DataFrame(rows, columns=names, dtype=object).iloc[codes].set_index(df.index)
    a_numbers = mapped([_column(df, "a_number")], _a_number_cell)
    return pd.DataFrame(
        {
            "national_id": out["national_id"].astype("string"),
            "id_kind": out["id_kind"].astype("string"),
            "id_valid": out["id_valid"].astype("boolean"),
            "id_municipality_code": out["id_municipality_code"].astype("string"),
            "id_dob": out["id_dob"].astype("string"),
            "a_number": pd.Series(a_numbers, index=df.index, dtype=object).astype("string"),
            "id_birth_year": out["year"].astype("Int64"),
        },
        index=df.index,
    )
