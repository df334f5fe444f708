"""DNI (Documento Nacional de Identificación, Honduras), formerly the Tarjeta de Identidad.

Thirteen digits: the INE code of the department (2) and municipality (2) of registration, the
year of registration (4), usually the year of birth since most people are registered at birth,
and a 5-digit serial. There is no check digit, so validation checks the structure.

>>> validate("0801-1985-01234")
'0801198501234'
>>> municipality_code("0801198501234"), registration_year("0801198501234")
('HN0801', 1985)
>>> format("0801198501234")
'0801-1985-01234'
>>> is_valid("9901198501234")
False

A DNI registered after the job's reference date (by default
:data:`normalizers.dates.DEFAULT_REFERENCE`) is not valid:

>>> is_valid("0801202701234", reference=dt.date(2026, 1, 1))
False
"""

from __future__ import annotations

import datetime as dt

from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from normalizers.dates import DEFAULT_REFERENCE
from normalizers.ids.ine import is_municipality
from normalizers.ids.util import clean, is_digits

_FIRST_YEAR = 1880
#: a DNI's registration year can follow the birth by a few years (late registration): a holder
#: is taken as born that year or up to this many years before
LATE_REGISTRATION_YEARS = 2


def compact(number: str) -> str:
    """The number without spaces, hyphens and dots."""
    return clean(number)


def municipality_code(number: str) -> str:
    """P-code of the municipality of registration (``"HN"`` + the first 4 digits)."""
    return "HN" + compact(number)[:4]


def registration_year(number: str) -> int:
    """Year of registration (digits 5 to 8), the year of birth for most holders."""
    return int(compact(number)[4:8])


def validate(number: str, reference: dt.date = DEFAULT_REFERENCE) -> str:
    """The compact DNI, or raise a :class:`stdnum.exceptions.ValidationError`; a registration
    year after ``reference``'s (the job's reference date) is invalid."""
    number = compact(number)
    if not is_digits(number):
        raise InvalidFormat()
    if len(number) != 13:
        raise InvalidLength()
    if not is_municipality(municipality_code(number)):
        raise InvalidComponent()
    if not _FIRST_YEAR <= registration_year(number) <= reference.year:
        raise InvalidComponent()
    return number


def is_valid(number: str, reference: dt.date = DEFAULT_REFERENCE) -> bool:
    """Whether ``number`` is a structurally valid DNI, registered by ``reference``'s year."""
    try:
        return bool(validate(number, reference))
    except ValidationError:
        return False


def format(number: str) -> str:
    """The printed form, ``0801-1985-01234``."""
    number = compact(number)
    return f"{number[:4]}-{number[4:8]}-{number[8:]}"
