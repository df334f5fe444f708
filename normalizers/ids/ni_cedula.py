"""Cédula de identidad (Nicaragua).

Fourteen characters: a 3-digit municipality code (the Consejo Supremo Electoral's, not INETER's),
the date of birth as DDMMYY, a 4-digit serial and a check letter: the 13 digits read as one number,
modulo 23, index the letters ``ABCDEFGHJKLMNPQRSTUVWXY``.

>>> validate("001-030585-0001V")
'0010305850001V'
>>> birth_date("0010305850001V")
datetime.date(1985, 5, 3)
>>> format("0010305850001v")
'001-030585-0001V'
>>> is_valid("001-030585-0001A")
False

The century of the birth year is the one that makes the holder 16 or older on the job's
reference date (by default :data:`normalizers.dates.DEFAULT_REFERENCE`):

>>> birth_date("0010101110003U", reference=dt.date(2026, 1, 1))
datetime.date(1911, 1, 1)
>>> birth_date("0010101110003U", reference=dt.date(2027, 1, 1))
datetime.date(2011, 1, 1)
"""

from __future__ import annotations

import datetime as dt

from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from normalizers.dates import DEFAULT_REFERENCE
from normalizers.ids.util import clean, is_digits

_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"
#: a cédula is issued from the age of 16
_MIN_AGE = 16


def compact(number: str) -> str:
    """The number without spaces, hyphens and dots, upper case."""
    return clean(number).upper()


def calc_check_letter(digits: str) -> str:
    """The check letter of the first 13 digits.

    >>> calc_check_letter("0010305850001")
    'V'
    """
    return _LETTERS[int(digits) % 23]


def birth_date(number: str, reference: dt.date = DEFAULT_REFERENCE) -> dt.date:
    """The date of birth (digits 4 to 9), in the century that makes the holder 16 or older in
    ``reference``'s year (the job's reference date)."""
    number = compact(number)
    if not is_digits(number[3:9]) or len(number) < 9:
        raise InvalidFormat()
    day, month, yy = int(number[3:5]), int(number[5:7]), int(number[7:9])
    year = 2000 + yy
    if year > reference.year - _MIN_AGE:
        year -= 100
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise InvalidComponent() from error


def validate(number: str, reference: dt.date = DEFAULT_REFERENCE) -> str:
    """The compact cédula, or raise a :class:`stdnum.exceptions.ValidationError`
    (``reference``: see :func:`birth_date`)."""
    number = compact(number)
    if len(number) != 14:
        raise InvalidLength()
    if not is_digits(number[:13]) or number[13] not in _LETTERS:
        raise InvalidFormat()
    birth_date(number, reference)
    if calc_check_letter(number[:13]) != number[13]:
        raise InvalidChecksum()
    return number


def is_valid(number: str, reference: dt.date = DEFAULT_REFERENCE) -> bool:
    """Whether ``number`` is a valid cédula (``reference``: see :func:`birth_date`)."""
    try:
        return bool(validate(number, reference))
    except ValidationError:
        return False


def format(number: str) -> str:
    """The printed form, ``001-030585-0001V``."""
    number = compact(number)
    return f"{number[:3]}-{number[3:9]}-{number[9:]}"
