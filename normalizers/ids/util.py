"""Fast cleaning shared by the identifier modules.

>>> clean(" 1234-56789.0101 ")
'1234567890101'
"""

from __future__ import annotations

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
