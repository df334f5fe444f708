"""CUI (Código Único de Identificación, Guatemala), the number on the DPI.

Thirteen digits: an 8-digit serial, a check digit, then the INE code of the department (2
digits) and municipality (2 digits) of registration. The check digit is the weighted sum of the
serial (weights 2 to 9, left to right) modulo 11; RENAP issues no number whose remainder is 10.

More information: https://learn.sayari.com/interpreting-guatemalan-national-id-numbers/

>>> validate("1234 56789 0101")
'1234567890101'
>>> municipality_code("1234567890901")
'GT0901'
>>> validate("1234567800101")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> format("1234567890101")
'1234 56789 0101'
"""

from __future__ import annotations

from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from normalizers.ids.ine import is_municipality
from normalizers.ids.util import clean, is_digits


def compact(number: str) -> str:
    """The number without spaces, hyphens and dots."""
    return clean(number)


def calc_check_digit(serial: str) -> str:
    """The check digit of an 8-digit serial; ``"X"`` when the remainder is 10 (never issued).

    >>> calc_check_digit("12345678")
    '9'
    """
    remainder = sum(int(d) * w for w, d in enumerate(serial, start=2)) % 11
    return "X" if remainder == 10 else str(remainder)


def municipality_code(number: str) -> str:
    """P-code of the municipality of registration (``"GT"`` + the last 4 digits)."""
    return "GT" + compact(number)[-4:]


def validate(number: str) -> str:
    """The compact CUI, or raise a :class:`stdnum.exceptions.ValidationError`."""
    number = compact(number)
    if not is_digits(number):
        raise InvalidFormat()
    if len(number) != 13:
        raise InvalidLength()
    if calc_check_digit(number[:8]) != number[8]:
        raise InvalidChecksum()
    if not is_municipality(municipality_code(number)):
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid CUI."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """The printed form, ``1234 56789 0101``."""
    number = compact(number)
    return f"{number[:4]} {number[4:9]} {number[9:]}"
