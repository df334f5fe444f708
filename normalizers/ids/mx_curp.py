"""CURP (Clave Única de Registro de Población, Mexico), delegating to python-stdnum.

>>> validate("BOXW310820HNERXN09")
'BOXW310820HNERXN09'
>>> birth_date("BOXW310820HNERXN09")
datetime.date(1931, 8, 20)
>>> is_valid("BOXW310820HNERXN08")
False
"""

from __future__ import annotations

import datetime as dt

from stdnum.mx import curp


def compact(number: str) -> str:
    """The CURP without spaces and hyphens, upper case."""
    return curp.compact(str(number))


def validate(number: str) -> str:
    """The compact CURP, or raise a :class:`stdnum.exceptions.ValidationError`."""
    return curp.validate(str(number))


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid CURP."""
    return curp.is_valid(str(number))


def format(number: str) -> str:
    """CURPs are written compact."""
    return compact(number)


def birth_date(number: str) -> dt.date:
    """The date of birth encoded in the CURP."""
    return curp.get_birth_date(str(number))
