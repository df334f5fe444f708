"""Fast cleaning shared by the identifier modules.

>>> clean(" 1234-56789.0101 ")
'1234567890101'
"""

from __future__ import annotations

import re

from normalizers.text import is_missing

_SEPARATORS = str.maketrans("", "", " -./\t\n\r\u00a0")


def clean(number: object) -> str:
    """``number`` as text without spaces, hyphens, dots and slashes."""
    return str(number).translate(_SEPARATORS)


def is_digits(text: str) -> bool:
    """Whether ``text`` is a non-empty run of ASCII digits (``"²"`` and ``"٣"`` are not).

    >>> is_digits("0123"), is_digits("12²"), is_digits("")
    (True, False, False)
    """
    return text.isascii() and text.isdigit()


_FLOAT_TEXT = re.compile(r"\s*(\+?\d+)\.0+\s*")


def cell_text(value: object, limit: int = 100) -> str | None:
    """A number-bearing cell as text: ``None`` when missing; a float's ``.0`` dropped, also when
    a spreadsheet export wrote it as text.

    >>> cell_text(50255551234.0), cell_text("1234567890101.0"), cell_text(float("nan"))
    ('50255551234', '1234567890101', None)
    """
    if is_missing(value) or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value)[:limit]
    match = _FLOAT_TEXT.fullmatch(text)
    return match.group(1) if match else text
