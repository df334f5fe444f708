"""Fold a country cell to the ISO code of the countries whose identifiers and phones we read.

Only what the identifier and phone normalizers need; the places normalizer owns the full
country mapping.

>>> iso2("Guatemala"), iso2("HND"), iso2("el salvador"), iso2("México"), iso2("EE.UU.")
('GT', 'HN', 'SV', 'MX', 'US')
>>> iso2("Guatemala C.A."), iso2("República de Honduras")
('GT', 'HN')
>>> iso2("Narnia") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalizers.text import fold, is_missing

_ALIASES: dict[str, tuple[str, ...]] = {
    "GT": ("gt", "gtm", "guatemala", "guate"),
    "HN": ("hn", "hnd", "honduras"),
    "SV": ("sv", "slv", "el salvador", "salvador"),
    "NI": ("ni", "nic", "nicaragua"),
    "MX": ("mx", "mex", "mexico"),
    "US": (
        "us",
        "usa",
        "eeuu",
        "estados unidos",
        "estados unidos de america",
        "united states",
        "united states of america",
    ),
}
_LOOKUP = {alias: code for code, aliases in _ALIASES.items() for alias in aliases}


#: names long enough to find inside a longer cell ("Guatemala C.A.", "República de Honduras")
_NAME = re.compile(
    r"\b(" + "|".join(sorted((a for a in _LOOKUP if len(a) >= 5), key=len, reverse=True)) + r")\b"
)


@lru_cache(maxsize=4096)
def _iso2(text: str) -> str | None:
    folded = fold(text)
    code = _LOOKUP.get(folded) or _LOOKUP.get(folded.replace(" ", ""))
    if code is None:
        found = {_LOOKUP[name] for name in _NAME.findall(folded)}
        code = found.pop() if len(found) == 1 else None
    return code


def iso2(text: object) -> str | None:
    """ISO 3166-1 alpha-2 code of GT, HN, SV, NI, MX or US from a name or code; else ``None``."""
    if is_missing(text):
        return None
    return _iso2(str(text)[:60])
