"""A phonetic key for Spanish names, with rules for Mayan and Nahuatl spellings.

Two spellings that a clerk could write for the same sound share a key: b/v, s/z/c before e or i,
ll/y, silent h, g before e or i and j, qu/k/c, gü and w, rr/r, doubled letters, and x/ch/sh (the
/ʃ/ and /tʃ/ of Mayan and Nahuatl names). Mayan spelling variants also share it: the glottal stop
(Ca'al, Caal), doubled vowels (Caal, Cal), final i/y (Ixcoy, Ixcoi) and o/u (Coc, Cuc), so those
pairs agree only at the phonetic level, never as equal names.

>>> phonetic_key("Vásquez") == phonetic_key("Basques")
True
>>> phonetic_key("Jiménez") == phonetic_key("Giménez") == phonetic_key("Ximénez")
False
>>> phonetic_key("Jiménez") == phonetic_key("Giménez")
True
>>> phonetic_key("Hernández") == phonetic_key("Ernandes")
True
>>> phonetic_key("Argüello") == phonetic_key("Arguello") == phonetic_key("Argueyo")
True
>>> phonetic_key("Güicho") == phonetic_key("Wicho")
True
>>> phonetic_key("Ca'al") == phonetic_key("Cal") == phonetic_key("Caal")
True
>>> phonetic_key("Tzoc") == phonetic_key("Tzok")
True
>>> phonetic_key("Ixcoy") == phonetic_key("Ishcoi")
True
>>> phonetic_key("Coc") == phonetic_key("Cuc")
True
>>> phonetic_key("Chávez")
'xabes'

>>> phonetic_key(None)
''
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalizers.text import fold

# Applied in order to the folded word; upper-case letters are codes and never rewritten again.
_RULES: tuple[tuple[str, str], ...] = (
    (r"[^a-z]", ""),
    (r"w", "gu"),  # Wicho = Güicho, Wendy = Güendy
    (r"sh|ch|x", "X"),  # mayan x, ch, sh
    (r"gu(?=[ei])", "G"),  # guerra, guillermo: hard g, silent u
    (r"g(?=[ei])", "J"),  # gerardo = jerardo
    (r"j", "J"),
    (r"qu(?=[ei])", "K"),  # quique
    (r"c(?=[ei])", "S"),  # cecilia = sesilia
    (r"[ckq]", "K"),
    (r"tz", "TS"),
    (r"[sz]", "S"),
    (r"ph", "F"),
    (r"ll", "Y"),
    (r"y(?=[aeiou])", "Y"),  # consonant y; other y is the vowel i
    (r"y", "i"),
    (r"h", ""),  # silent h (ch and sh already coded)
    (r"[bv]", "B"),
    (r"g", "G"),
    (r"o", "u"),  # mayan o/u
    (r"rr", "r"),
)
_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in _RULES)
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=131072)
def phonetic_key(word: object) -> str:
    """Spanish phonetic key of ``word`` (a name or a few words, spaces ignored)."""
    text = fold(word)
    if not text:
        return ""
    for pattern, repl in _COMPILED:
        text = pattern.sub(repl, text)
    return _DOUBLED.sub(r"\1", text).lower()
