"""Place comparison: same community, same municipality, nearby, same department, same country.

Reads the places columns of :func:`normalizers.places.normalize_frame` on both sides. When a side
has no municipality but its national ID implies one (``id_municipality_code``, from
:mod:`normalizers.ids`), that municipality stands in.

>>> pairs = pd.DataFrame({
...     "country_l": ["GT", "GT", "GT", "HN", None],
...     "country_r": ["GT", "GT", "GT", "GT", "GT"],
...     "department_code_l": ["GT13", "GT09", "GT13", "HN05", None],
...     "department_code_r": ["GT13", "GT09", "GT13", None, "GT13"],
...     "municipality_code_l": ["GT1301", "GT0901", "GT1301", "HN0501", None],
...     "municipality_code_r": ["GT1301", "GT0910", "GT1302", None, "GT1301"],
...     "community_l": ["san jose", None, None, None, None],
...     "community_r": ["san jose", None, None, None, None],
... })
>>> [PlaceComparison().levels[i].name for i in PlaceComparison().levels_of(pairs)[:4]]
['same_community', 'within_km', 'within_km', 'different_countries']
>>> int(PlaceComparison().levels_of(pairs)[4])
-1
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from linkage.comparisons.arrays import by_value, pair_scores
from linkage.comparisons.base import MISSING_LEVEL, Comparison, Level
from normalizers.gazetteer import municipalities
from normalizers.text import is_missing

_EARTH_RADIUS_KM = 6371.0088
_COMMUNITY_SIMILARITY = 90.0


@lru_cache(maxsize=1)
def _seats() -> tuple[dict[str, float], dict[str, float]]:
    df = municipalities().dropna(subset=["lat", "lon"])
    return (
        dict(zip(df.municipality_code, df.lat, strict=True)),
        dict(zip(df.municipality_code, df.lon, strict=True)),
    )


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km, element-wise (NaN where a coordinate is missing).

    >>> round(float(haversine_km(14.64, -90.51, 15.32, -91.47)), 1)  # Guatemala City to Huehue
    127.9
    """
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _present(value: object) -> object:
    """The value, None where missing or blank."""
    return None if is_missing(value) or str(value).strip() == "" else value


def _column(pairs: pd.DataFrame, name: str) -> np.ndarray:
    """A column as an object array with missing and blank values as None; an absent column is
    all missing."""
    if name not in pairs.columns:
        return np.full(len(pairs), None, dtype=object)
    return by_value(pairs[name], _present)


def _fill(values: np.ndarray, code: np.ndarray, width: int) -> np.ndarray:
    """``values``, missing ones taken from the first ``width`` characters of a P-code."""
    prefix = by_value(code, lambda c: None if c is None else str(c)[:width])
    return np.where(np.equal(values, None), prefix, values)


def _side(pairs: pd.DataFrame, side: str) -> dict[str, np.ndarray]:
    """Country, department, municipality and community of one side, filling in from the ID."""
    muni = _column(pairs, f"municipality_code_{side}")
    muni = np.where(np.equal(muni, None), _column(pairs, f"id_municipality_code_{side}"), muni)
    dept = _fill(_column(pairs, f"department_code_{side}"), muni, 4)
    country = _fill(_column(pairs, f"country_{side}"), dept, 2)
    lat_of, lon_of = _seats()
    return {
        "country": country,
        "department": dept,
        "municipality": muni,
        "community": _column(pairs, f"community_{side}"),
        "lat": by_value(muni, lambda c: lat_of.get(c, np.nan), float),
        "lon": by_value(muni, lambda c: lon_of.get(c, np.nan), float),
    }


def _missing(values: np.ndarray) -> np.ndarray:
    return np.equal(values, None)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ~_missing(a) & ~_missing(b) & (a == b)


def _similar(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether two communities are both named and similar (rapidfuzz ratio of at least
    ``_COMMUNITY_SIMILARITY``), each distinct pair of names scored once."""
    rows = np.flatnonzero(~_missing(a) & ~_missing(b))
    out = np.zeros(len(a), dtype=bool)
    if len(rows):
        left, right = by_value(a[rows], str), by_value(b[rows], str)
        scores = pair_scores(left, right, fuzz.ratio, np.float64)
        out[rows] = scores >= _COMMUNITY_SIMILARITY
    return out


class PlaceComparison(Comparison):
    """Where two records place the person, from the same village to different countries.

    ``km`` is the distance between municipal seats under which two different municipalities count
    as neighbours (default 25 km). Where either side has no country (not even one implied by its
    department, municipality or ID), the place could not be resolved: two records that name the
    same community (or street) still count as the same community, two that name different ones
    are ``other_community`` (a town abroad the gazetteer does not hold), and the pair is missing
    when either names none.
    """

    name = "place"
    columns = (
        "country",
        "department_code",
        "municipality_code",
        "community",
        "id_municipality_code",
    )
    tf_column = "municipality_code"

    def __init__(self, km: float = 25.0) -> None:
        self.km = float(km)
        self.levels = (
            Level("same_community", "Misma comunidad", "Same community"),
            Level("same_municipality", "Mismo municipio", "Same municipality", tf=True),
            Level(
                "within_km",
                f"Municipios a menos de {self.km:g} km",
                f"Municipalities less than {self.km:g} km apart",
            ),
            Level("same_department", "Mismo departamento", "Same department or state"),
            Level("same_country", "Mismo país", "Same country"),
            Level(
                "other_community",
                "Otra comunidad (país sin resolver)",
                "Another community (country not resolved)",
            ),
            Level("different_countries", "Países distintos", "Different countries"),
        )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        left, right = _side(pairs, "l"), _side(pairs, "r")
        same_muni = _same(left["municipality"], right["municipality"])
        same_dept = _same(left["department"], right["department"])
        same_country = _same(left["country"], right["country"])
        community = _similar(left["community"], right["community"])
        either_muni_missing = _missing(left["municipality"]) | _missing(right["municipality"])
        distance = haversine_km(left["lat"], left["lon"], right["lat"], right["lon"])
        near = np.nan_to_num(distance, nan=np.inf) <= self.km
        unresolved = _missing(left["country"]) | _missing(right["country"])
        both_communities = ~_missing(left["community"]) & ~_missing(right["community"])
        return self.choose(
            [
                (unresolved & community, "same_community"),
                (unresolved & both_communities, "other_community"),
                (unresolved, MISSING_LEVEL),
                (community & (same_muni | (same_dept & either_muni_missing)), "same_community"),
                (same_muni, "same_municipality"),
                (near, "within_km"),
                (same_dept, "same_department"),
                (same_country, "same_country"),
            ],
            "different_countries",
        )
