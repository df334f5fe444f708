"""INE municipality codes of Guatemala and Honduras (the codes inside a CUI and a DNI).

>>> is_municipality("GT0901"), is_municipality("HN0801"), is_municipality("GT2399")
(True, True, False)
"""

from __future__ import annotations

import csv
from functools import lru_cache

from normalizers.resources import data_path


@lru_cache(maxsize=1)
def municipalities() -> dict[str, str]:
    """P-code (``"GT0901"``) to municipality name, for Guatemala and Honduras."""
    with data_path("ids", "ine_municipalities.csv").open(encoding="utf-8") as handle:
        return {row["pcode"]: row["name"] for row in csv.DictReader(handle)}


def is_municipality(pcode: str) -> bool:
    """Whether ``pcode`` is a municipality P-code of Guatemala or Honduras."""
    return pcode in municipalities()
