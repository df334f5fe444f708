"""The place tables shipped in ``data/places/`` and a name index over them.

Tables (sources in ``data/places/README.md``): ``countries.csv``, ``departments.csv`` (admin 1 of
GT, HN, SV, NI, MX), ``us_states.csv``, ``municipalities.csv`` (admin 2, with the seat's
coordinates), ``sv_2024_municipalities.csv`` (the 44 Salvadoran municipalities of the 2024 reform,
each old municipality one of their districts) and ``aliases.csv`` (colloquial and former names).

:func:`index` maps every folded name to the places it can mean:

>>> [(e.level, e.code) for e in index().exact(name_key("Xela"))]
[('municipality', 'GT0901')]
>>> sorted(e.code for e in index().exact("la paz") if e.level == "department")
['HN12', 'SV06']
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import pandas as pd
from rapidfuzz import fuzz, process

from normalizers.resources import data_path
from normalizers.text import fold

_FUZZY_MIN_LENGTH = 5
_FUZZY_CUTOFF = 86.0


@dataclass(frozen=True)
class Entry:
    """One meaning of a name: a place at ``level`` (country, department, reform_municipality or
    municipality) with its code and how sure the name means it.

    ``code`` is ISO 3166-1 alpha-2 for countries and a P-code otherwise; for a
    ``reform_municipality`` (El Salvador, 2024) ``code`` is its name and ``members`` the P-codes of
    its districts (the municipalities before 2024). ``alias`` marks colloquial or former names
    (``aliases.csv``).
    """

    level: str
    code: str
    country: str
    department: str | None
    quality: float
    members: tuple[str, ...] = ()
    alias: bool = False


_INITIALS = re.compile(r"\b(?:[a-z] )+[a-z]\b")


def name_key(text: object) -> str:
    """Folded text with spelled-out initials joined, the form names are indexed under.

    >>> name_key("E. U. A."), name_key("N.L."), name_key("Zona 3, Xelajú")
    ('eua', 'nl', 'zona 3 xelaju')
    """
    return _joined_initials(fold(text))


@lru_cache(maxsize=1 << 18)
def _joined_initials(folded: str) -> str:
    """Spelled-out initials of folded text joined, once per distinct text."""
    return _INITIALS.sub(lambda m: m.group(0).replace(" ", ""), folded)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(data_path("places", name), dtype=str, keep_default_na=False)


@cache
def municipalities() -> pd.DataFrame:
    """``municipalities.csv``: country, department_code, department, municipality_code,
    municipality, lat, lon (float, NaN where no source has the seat), name_source."""
    df = _read("municipalities.csv")
    for col in ("lat", "lon"):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df


@cache
def departments() -> pd.DataFrame:
    """Admin-1 units of the five countries and the U.S. states: country, department_code,
    department (display name), and for U.S. states department_es and abbreviation."""
    us = _read("us_states.csv")
    return pd.concat([_read("departments.csv"), us.drop(columns=["lat", "lon"])], ignore_index=True)


@cache
def countries() -> pd.DataFrame:
    """``countries.csv``: country (ISO2), name (Spanish), name_en."""
    return _read("countries.csv")


@cache
def reform_sv() -> pd.DataFrame:
    """``sv_2024_municipalities.csv``: department_code, department, municipality_2024,
    district_code (P-code of the pre-2024 municipality), district."""
    return _read("sv_2024_municipalities.csv")


@cache
def aliases() -> pd.DataFrame:
    """``aliases.csv``: alias, level, code, confidence (float), note."""
    df = _read("aliases.csv")
    df["confidence"] = df["confidence"].astype(float)
    return df


class NameIndex:
    """Folded name -> the places it can mean, with exact and fuzzy look-up."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[Entry]] = defaultdict(list)
        self._by_department: dict[str, list[tuple[str, Entry]]] = defaultdict(list)
        munis = municipalities()
        depts = departments()
        muni_info = dict(
            zip(
                munis.municipality_code,
                zip(munis.country, munis.department_code, strict=True),
                strict=True,
            )
        )
        dept_country = dict(zip(depts.department_code, depts.country, strict=True))
        for row in countries().itertuples():
            for name in (row.name, row.name_en):
                self._add(name, Entry("country", row.country, row.country, None, 1.0))
        for row in depts.itertuples():
            entry = Entry("department", row.department_code, row.country, row.department_code, 1.0)
            self._add(row.department, entry)
            if row.country == "US":
                self._add(row.department_es, entry)
                self._add(row.abbreviation, replace(entry, quality=0.8))
        for row in munis.itertuples():
            entry = Entry(
                "municipality", row.municipality_code, row.country, row.department_code, 1.0
            )
            self._add(row.municipality, entry)
            self._by_department[row.department_code].append((name_key(row.municipality), entry))
        reform = reform_sv()
        for (dept, name), group in reform.groupby(["department_code", "municipality_2024"]):
            members = tuple(group.district_code)
            self._add(name, Entry("reform_municipality", name, "SV", dept, 1.0, members))
        for row in aliases().itertuples():
            if row.level == "country":
                entry = Entry("country", row.code, row.code, None, row.confidence, alias=True)
            elif row.level == "department":
                country = dept_country[row.code]
                entry = Entry("department", row.code, country, row.code, row.confidence, alias=True)
            else:
                country, dept = muni_info[row.code]
                entry = Entry("municipality", row.code, country, dept, row.confidence, alias=True)
            self._add(row.alias, entry)
        self._scopes: dict[tuple[frozenset[str], frozenset[str]], list[str]] = {}
        self._local: dict[str, set[str]] = defaultdict(set)
        self._broad: dict[str, set[str]] = defaultdict(set)
        self._in_country: dict[str, set[str]] = defaultdict(set)
        for key, entries in self._by_key.items():
            for e in entries:
                self._in_country[e.country].add(key)
                if e.level in ("municipality", "reform_municipality"):
                    self._local[e.department].add(key)
                else:
                    self._broad[e.country].add(key)

    def _add(self, name: str, entry: Entry) -> None:
        key = name_key(name)
        if key and entry not in self._by_key[key]:
            self._by_key[key].append(entry)

    def exact(self, key: str) -> list[Entry]:
        """Entries whose folded name is ``key``."""
        return list(self._by_key.get(key, ()))

    def prefixed(self, key: str, departments: set[str]) -> list[Entry]:
        """The one municipality of ``departments`` whose official name starts with ``key``.

        People drop the tail of long names ("Ecatepec" for Ecatepec de Morelos, "Tecpán" for
        Tecpán Guatemala); with the department known, a unique match is taken at quality 0.85.

        >>> [e.code for e in index().prefixed("comitan", {"MX07"})]
        ['MX07019']
        """
        if len(key) < _FUZZY_MIN_LENGTH:
            return []
        found = [
            replace(entry, quality=0.85)
            for dept in departments
            for name, entry in self._by_department.get(dept, ())
            if name.startswith(key + " ")
        ]
        return found if len(found) == 1 else []

    def fuzzy(
        self,
        key: str,
        countries: frozenset[str] = frozenset(),
        departments: frozenset[str] = frozenset(),
    ) -> list[Entry]:
        """Entries that :func:`fits` the scope whose name is closest to ``key`` by edit distance.

        Only names of 5 letters or more are matched fuzzily, and only at a similarity of 86% or
        more; quality is scaled down by the similarity. Several names tied at the best score are
        all returned (the caller sees the ambiguity).

        >>> [(e.code, round(e.quality, 2)) for e in index().fuzzy("huehuetenago")
        ...  if e.level == "department"]
        [('GT13', 0.86)]
        >>> [e.code for e in index().fuzzy("chiantal", departments=frozenset({"GT13"}))]
        ['GT1302']
        """
        if len(key) < _FUZZY_MIN_LENGTH:
            return []
        found = process.extract(
            key,
            self._choices(countries, departments),
            scorer=fuzz.ratio,
            score_cutoff=_FUZZY_CUTOFF,
            limit=None,
        )
        if not found:
            return []
        best = max(score for _, score, _ in found)
        out = []
        for name, score, _ in found:
            if score >= best - 1e-9:
                factor = 0.9 * score / 100
                out.extend(
                    replace(e, quality=e.quality * factor)
                    for e in self._by_key[name]
                    if fits(e, countries, departments)
                )
        return out

    def _choices(self, countries: frozenset[str], departments: frozenset[str]) -> list[str]:
        """Names that may hold an entry fitting the scope (cached per scope)."""
        scope = (countries, departments)
        if scope not in self._scopes:
            if departments:
                outer = countries or frozenset(self._broad)
                names = set().union(*(self._local.get(d, ()) for d in departments))
                names |= set().union(*(self._broad.get(c, ()) for c in outer))
            elif countries:
                names = set().union(*(self._in_country.get(c, ()) for c in countries))
            else:
                names = set(self._by_key)
            self._scopes[scope] = sorted(names)
        return self._scopes[scope]


def fits(entry: Entry, countries: frozenset[str], departments: frozenset[str]) -> bool:
    """Whether ``entry`` lies in the scope: one of ``countries`` and, for a municipality, one of
    ``departments`` (an empty set does not restrict)."""
    if countries and entry.country not in countries:
        return False
    return not (
        departments
        and entry.level in ("municipality", "reform_municipality")
        and entry.department not in departments
    )


@cache
def index() -> NameIndex:
    """The shared :class:`NameIndex`, built once."""
    return NameIndex()
