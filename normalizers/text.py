"""Text folding shared by every normalizer.

>>> fold("  MUÑOZ  de la  Peña ")
'munoz de la pena'
>>> fold("Ca'al-Xol")
'caal xol'
>>> fold(None)
''
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

import pandas as pd
from unidecode import unidecode

_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def is_missing(value: object) -> bool:
    """True for a cell that holds no value: None, NaN, ``pd.NA`` or ``pd.NaT``.

    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, "", 0)]
    [True, True, True, True, False, False]
    """
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def fold(text: object) -> str:
    """Lower-case ASCII with accents, ñ and punctuation folded and spaces collapsed.

    Apostrophes vanish (Ca'al -> caal); every other non-alphanumeric run becomes one space.
    Anything that is not a string (None, NaN, numbers) folds to ``""`` unless it is a number,
    which folds to its text.
    """
    if isinstance(text, str):
        return _fold_text(text)
    return "" if is_missing(text) else _fold_text(str(text))


@lru_cache(maxsize=1 << 20)
def _fold_text(text: str) -> str:
    """:func:`fold` of a string, computed once per distinct string (names and places repeat)."""
    text = unicodedata.normalize("NFKC", text)
    text = unidecode(_APOSTROPHES.sub("", text)).lower()
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text)).strip()


def digits(text: object) -> str:
    """Only the ASCII digits of ``text`` (other scripts' digits converted first).

    >>> digits("A# 012-345-678")
    '012345678'
    """
    if is_missing(text):
        return ""
    out = []
    for ch in str(text):
        if ch.isdigit():
            try:
                out.append(str(unicodedata.digit(ch)))
            except (TypeError, ValueError):
                continue
    return "".join(out)
