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


def birth_date(number: str) -> dt.date:
    """The date of birth (digits 4 to 9), in the century that makes the holder 16 or older."""
    number = compact(number)
    if not is_digits(number[3:9]) or len(number) < 9:
        raise InvalidFormat()
    day, month, yy = int(number[3:5]), int(number[5:7]), int(number[7:9])
    year = 2000 + yy
    if year > dt.date.today().year - _MIN_AGE:
        year -= 100
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise InvalidComponent() from error


def validate(number: str) -> str:
    """The compact cédula, or raise a :class:`stdnum.exceptions.ValidationError`."""
    number = compact(number)
    if len(number) != 14:
        raise InvalidLength()
    if not is_digits(number[:13]) or number[13] not in _LETTERS:
        raise InvalidFormat()
    birth_date(number)
    if calc_check_letter(number[:13]) != number[13]:
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid cédula."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """The printed form, ``001-030585-0001V``."""
    number = compact(number)
    return f"{number[:3]}-{number[3:9]}-{number[9:]}"
