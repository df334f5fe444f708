"""Text noise: how clerks and field workers actually mis-write Spanish and Mayan names.

>>> strip_accents("Ramírez Muñoz")
'Ramirez Munoz'
>>> import random
>>> english_typo(random.Random(3), "GUILLERMO")
'GILLERMO'
>>> sorted({respell_mayan(random.Random(s), "Caal") for s in range(30)})
["Ca'al", 'Cal', 'Kaal']
"""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache

#: Spanish spellings an English-speaking typist hears or writes another way (upper-case)
_ENGLISH_SWAPS: tuple[tuple[str, str], ...] = (
    ("GUI", "GI"), ("GUE", "GE"), ("QU", "K"), ("LL", "Y"), ("V", "B"), ("B", "V"), ("Z", "S"),
    ("CE", "SE"), ("CI", "SI"), ("J", "H"), ("X", "SH"), ("Y", "I"), ("RR", "R"), ("EZ", "ES"),
    ("H", ""), ("NI", "NY"), ("ELL", "EL"), ("ON", "ONE"),
)  # fmt: skip
#: the spelling doubts of Spanish writers (lower-case, applied to folded or accented text)
_SPANISH_SWAPS: tuple[tuple[str, str], ...] = (
    ("v", "b"), ("b", "v"), ("z", "s"), ("s", "z"), ("ce", "se"), ("ci", "si"), ("ll", "y"),
    ("y", "ll"), ("h", ""), ("gue", "ge"), ("gui", "gi"), ("x", "j"), ("j", "g"), ("ge", "je"),
    ("qu", "k"), ("rr", "r"), ("i", "y"),
)  # fmt: skip
_KEYBOARD = {
    "A": "QSZ", "B": "VGHN", "C": "XVDF", "D": "SEFC", "E": "WRD", "F": "DRGV", "G": "FTHB",
    "H": "GYJN", "I": "UOK", "J": "HUKM", "K": "JIL", "L": "KO", "M": "NJ", "N": "BHM",
    "O": "IPL", "P": "OL", "Q": "WA", "R": "ETF", "S": "ADWX", "T": "RYG", "U": "YIJ",
    "V": "CFB", "W": "QES", "X": "ZSC", "Y": "TUH", "Z": "ASX",
}  # fmt: skip


@lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    """Accents and tildes removed, case kept (``Ñ`` becomes ``N``)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _swap(r: random.Random, text: str, swaps: tuple[tuple[str, str], ...]) -> str | None:
    hits = [(a, b) for a, b in swaps if a in text]
    if not hits:
        return None
    a, b = hits[r.randrange(len(hits))]
    starts = [m.start() for m in re.finditer(re.escape(a), text)]
    i = starts[r.randrange(len(starts))]
    return text[:i] + b + text[i + len(a) :]


def keyboard_typo(r: random.Random, text: str) -> str:
    """One slip of the fingers: a neighbouring key, a dropped, doubled or swapped letter."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 3:
        return text
    i = letters[r.randrange(1, len(letters))]
    u = r.random()
    if u < 0.35:
        near = _KEYBOARD.get(text[i].upper())
        if not near:
            return text
        c = near[r.randrange(len(near))]
        return text[:i] + (c if text[i].isupper() else c.lower()) + text[i + 1 :]
    if u < 0.6:
        return text[:i] + text[i + 1 :]
    if u < 0.8:
        return text[:i] + text[i] + text[i:]
    j = i - 1
    return text[:j] + text[i] + text[j] + text[i + 1 :]


def english_typo(r: random.Random, upper: str) -> str:
    """An English-speaking clerk's error on an upper-case name: heard or keyed wrong."""
    if r.random() < 0.6:
        out = _swap(r, upper, _ENGLISH_SWAPS)
        if out is not None and len(out.replace(" ", "")) >= 2:
            return out
    return keyboard_typo(r, upper)


def spanish_typo(r: random.Random, text: str) -> str:
    """A Spanish writer's spelling doubt (b/v, s/z/c, ll/y, silent h) or a slip of the pen."""
    if r.random() < 0.7:
        low = text.lower()
        out = _swap(r, low, _SPANISH_SWAPS)
        if out is not None and len(out) >= 2:
            return _recase(text, out)
    return keyboard_typo(r, text)


def _recase(model: str, low: str) -> str:
    if model.isupper():
        return low.upper()
    if model[:1].isupper():
        return " ".join(w[:1].upper() + w[1:] for w in low.split(" "))
    return low


def respell_mayan(r: random.Random, name: str) -> str:
    """A Mayan surname in another orthography: glottal stop, ALMG ``k``, single vowel.

    ``Caal`` -> ``Ca'al``, ``Kaal`` or ``Cal``; ``Quej`` -> ``Kej``; ``Xol`` -> ``Xool``.
    """
    low = name.lower()
    doubled = re.search(r"([aeiou])\1", low)
    options = []
    if doubled:
        i = doubled.start() + 1
        options.append(name[:i] + "'" + name[i:])
        options.append(name[:i] + name[i + 1 :])
    if low.startswith("qu"):
        options.append("K" + name[2:])
    elif low.startswith("c") and low[1:2] in ("a", "o", "u"):
        options.append("K" + name[1:])
    if low.endswith("c"):
        options.append(name[:-1] + "k")
    if not doubled and len(low) <= 4:
        m = re.search(r"(?<![qg])[aeiou]", low)
        if m:
            options.append(name[: m.end()] + low[m.start()] + name[m.end() :])
    if not options:
        return name
    return options[r.randrange(len(options))]


@lru_cache(maxsize=65536)
def title(text: str) -> str:
    """Title case that keeps Spanish particles low.

    >>> title("maría de la cruz (MARI)")
    'María de la Cruz (Mari)'
    """
    small = {"de", "del", "la", "las", "los", "y"}
    words = text.lower().split(" ")
    return " ".join(w if (w in small and i > 0) else _cap(w) for i, w in enumerate(words))


def _cap(word: str) -> str:
    for i, c in enumerate(word):
        if c.isalpha():
            return word[:i] + c.upper() + word[i + 1 :]
    return word
