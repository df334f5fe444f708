"""DUI (Documento Único de Identidad, El Salvador).

Eight digits and a check digit: the digits weighted 9 down to 2, and the check digit brings the
sum to a multiple of 10. Spreadsheets often drop the leading zero, so 8 digits are padded.

>>> validate("04567890-3")
'045678903'
>>> validate("4567890-3")
'045678903'
>>> calc_check_digit("12345678")
'4'
>>> format("045678903")
'04567890-3'
>>> is_valid("045678900")
False
"""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from normalizers.ids.util import clean, is_digits


def compact(number: str) -> str:
    """The number without spaces, hyphens and dots, padded to 9 digits when 8 long."""
    number = clean(number)
    if is_digits(number) and len(number) == 8:
        number = "0" + number
    return number


def calc_check_digit(number: str) -> str:
    """The check digit of the first 8 digits."""
    total = sum(int(d) * w for w, d in zip(range(9, 1, -1), number, strict=False))
    return str(-total % 10)


def validate(number: str) -> str:
    """The compact DUI, or raise a :class:`stdnum.exceptions.ValidationError`."""
    number = compact(number)
    if not is_digits(number):
        raise InvalidFormat()
    if len(number) != 9:
        raise InvalidLength()
    if calc_check_digit(number[:8]) != number[8]:
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid DUI."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """The printed form, ``04567890-3``."""
    number = compact(number)
    return f"{number[:8]}-{number[8:]}"
