"""Sex as written in either language, to ``"M"`` (male) or ``"F"`` (female).

>>> normalize_sex("Masculino"), normalize_sex("H"), normalize_sex("mujer"), normalize_sex("F")
('M', 'M', 'F', 'F')
>>> normalize_sex("M", spanish_hm=True), normalize_sex("x") is None
('F', True)

"M" is ambiguous: English "male", but Spanish H/M files use it for "mujer". A file that uses H
anywhere is read as H/M (``spanish_hm=True``).
"""

from __future__ import annotations

import pandas as pd

from normalizers.text import fold

_MALE = {"m", "male", "man", "masculino", "masc", "hombre", "h", "varon", "v"}
_FEMALE = {"f", "female", "woman", "femenino", "fem", "mujer", "w"}


def normalize_sex(value: object, spanish_hm: bool = False) -> str | None:
    """``"M"``, ``"F"`` or None for anything else."""
    text = fold(value)
    if spanish_hm and text == "m":
        return "F"
    if text in _MALE:
        return "M"
    if text in _FEMALE:
        return "F"
    return None


def normalize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The ``sex`` column normalized; a column that uses H is read as H/M."""
    raw = df["sex"] if "sex" in df else pd.Series(None, index=df.index, dtype=object)
    spanish_hm = bool(raw.map(fold).eq("h").any())
    return pd.DataFrame(
        {"sex": raw.map(lambda v: normalize_sex(v, spanish_hm)).astype(object)}, index=df.index
    )
