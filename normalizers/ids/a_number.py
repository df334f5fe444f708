"""A-number (U.S. Alien Registration Number).

Seven to nine digits, written with or without a leading ``A`` and any punctuation; the
canonical form pads it to nine digits.

>>> compact("A# 12-345-678")
'012345678'
>>> validate("a 098 765 432")
'098765432'
>>> format("12345678")
'A012-345-678'
>>> is_valid("A123")
False
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

from normalizers.ids.util import is_digits

_PREFIX = re.compile(r"^\s*(?:a\s*#?|#)", re.IGNORECASE)
_NOISE = re.compile(r"[\s\-./#:,]")


def compact(number: str) -> str:
    """The digits without the ``A`` prefix and punctuation, padded to nine when 7 or 8 long."""
    digits = _NOISE.sub("", _PREFIX.sub("", str(number))).strip()
    if is_digits(digits) and 7 <= len(digits) < 9:
        digits = digits.zfill(9)
    return digits


def validate(number: str) -> str:
    """The compact A-number, or raise a :class:`stdnum.exceptions.ValidationError`."""
    number = compact(number)
    if not is_digits(number):
        raise InvalidFormat()
    if len(number) != 9:
        raise InvalidLength()
    if number == "000000000":
        raise InvalidFormat()
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a well-formed A-number."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """The usual written form, ``A012-345-678``."""
    number = compact(number)
    return f"A{number[:3]}-{number[3:6]}-{number[6:]}"
