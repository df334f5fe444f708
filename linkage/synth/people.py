"""The synthetic population: people with true attributes, before any record is written about them.

A person has accented names drawn from the name tables (Mayan surnames where Mayan languages are
spoken), a birth date, a municipality from the gazetteer and a community inside it, a national ID
that agrees with both, phones, and children whose surnames follow the Spanish rule (father's
first surname, then mother's first surname).

>>> import random
>>> from linkage.synth.tables import SynthTables
>>> tables = SynthTables.load()
>>> geo = Geography.build(random.Random(1), tables)
>>> maker = PersonMaker(random.Random(2), tables, geo)
>>> p = maker.person()
>>> p.given != "" and p.paternal != "" and p.country in ("GT", "HN", "SV", "MX", "NI")
True
>>> sib = maker.sibling(p)
>>> (sib.paternal, sib.maternal, sib.community) == (p.paternal, p.maternal, p.community)
True
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from linkage.synth.ids import local_phone, national_id
from linkage.synth.tables import SynthTables, Weighted
from normalizers.text import fold

#: the reference day the population's ages refer to (family separations, mid-2018)
REFERENCE_DAY = dt.date(2018, 6, 1)
#: share of people by country of origin among separated parents (approximate)
COUNTRY_SHARE: tuple[tuple[str, float], ...] = (
    ("GT", 0.46), ("HN", 0.31), ("SV", 0.17), ("MX", 0.04), ("NI", 0.02),
)  # fmt: skip
#: departments that send many migrants get more people (folded department names)
HOTSPOTS: dict[str, float] = {
    "huehuetenango": 4.0, "san marcos": 3.0, "quiche": 2.5, "alta verapaz": 2.5,
    "quetzaltenango": 2.0, "guatemala": 2.0, "totonicapan": 1.5, "chimaltenango": 1.5,
    "cortes": 3.0, "francisco morazan": 2.5, "yoro": 2.0, "olancho": 2.0, "atlantida": 1.5,
    "copan": 1.5, "comayagua": 1.5, "san salvador": 2.0, "san miguel": 2.0, "la libertad": 1.5,
    "usulutan": 1.5, "la union": 1.5, "cabanas": 1.2,
}  # fmt: skip
#: probability that a Guatemalan family from a department is Maya (folded names)
MAYAN_SHARE: dict[str, float] = {
    "alta verapaz": 0.9, "totonicapan": 0.95, "solola": 0.95, "quiche": 0.85,
    "chimaltenango": 0.75, "huehuetenango": 0.6, "baja verapaz": 0.55, "quetzaltenango": 0.5,
    "suchitepequez": 0.4, "sacatepequez": 0.4, "san marcos": 0.3, "izabal": 0.3, "peten": 0.3,
}  # fmt: skip
#: community type words by country
COMMUNITY_TYPES: dict[str, tuple[str, ...]] = {
    "GT": ("Aldea", "Aldea", "Caserío", "Caserío", "Cantón", "Colonia", "Barrio", "Paraje"),
    "HN": ("Aldea", "Aldea", "Caserío", "Barrio", "Colonia", "Colonia"),
    "SV": ("Cantón", "Cantón", "Caserío", "Colonia", "Barrio", "Lotificación"),
    "MX": ("Ranchería", "Colonia", "Ejido", "Barrio"),
    "NI": ("Comarca", "Comarca", "Barrio", "Comunidad"),
}
_PLACE_WORDS: tuple[str, ...] = (
    "El Naranjo", "El Carrizal", "La Esperanza", "Los Encuentros", "El Rosario", "La Ceiba",
    "El Jícaro", "Las Flores", "El Zapote", "La Montañita", "El Jocotillo", "Los Planes",
    "El Tablón", "La Cumbre", "El Llano", "Buena Vista", "Nueva Esperanza", "El Paraíso",
    "La Laguna", "El Mirador", "Los Pinos", "El Cerrito", "Las Lomas", "El Chorro", "La Vega",
    "Agua Blanca", "Piedra Parada", "Ojo de Agua", "El Sauce", "Las Delicias", "El Guayabo",
    "Las Crucitas", "El Porvenir", "La Unión", "Tierra Colorada", "Pie de la Cuesta",
)  # fmt: skip
_SAINTS_M = ("José", "Juan", "Pedro", "Pablo", "Antonio", "Francisco", "Miguel", "Andrés",
             "Bartolomé", "Lorenzo", "Lucas", "Marcos", "Mateo", "Sebastián", "Martín", "Isidro",
             "Vicente", "Rafael", "Cristóbal", "Juan Bautista", "Felipe", "Jerónimo", "Ildefonso",
             "Gaspar", "Diego", "Luis", "Jorge", "Nicolás", "Pascual", "Gabriel")  # fmt: skip
_SAINTS_F = ("Rosa", "María", "Lucía", "Catarina", "Bárbara", "Ana", "Cruz", "Rita", "Isabel",
             "Teresa", "Clara", "Eulalia", "Elena", "Marta", "Inés", "Apolonia")  # fmt: skip
_MAYAN_HEADS = ("Chi", "Xe", "Pa", "Chui", "Tza", "Pacho", "Sac", "Chu", "Tzu", "Ixim")
_MAYAN_TAILS = ("quix", "caj", "mux", "tinamit", "jolom", "cabal", "nimá", "tzé", "poj", "xac",
                "chén", "yá", "ul", "ché", "balam", "cotzij")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Child:
    given: str
    paternal: str
    maternal: str
    dob: dt.date


@dataclass(frozen=True, slots=True)
class Person:
    """True attributes of one synthetic person (accented, as they would spell them)."""

    pid: int
    sex: str
    given: str
    paternal: str
    maternal: str
    dob: dt.date
    country: str
    department: str
    municipality: str
    municipality_code: str
    community_type: str
    community: str
    mayan: bool
    national_id: str
    family_phone: str
    own_phone: str
    spouse_surname: str
    children: tuple[Child, ...] = field(default=())

    def age_on(self, day: dt.date) -> int:
        """Whole years of age on ``day``."""
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))


class _Sampler:
    """Fast weighted draws from a :class:`Weighted` with a ``random.Random``."""

    def __init__(self, w: Weighted) -> None:
        self.names = w.names
        self.cum = list(itertools.accumulate(w.p.tolist()))

    def __call__(self, r: random.Random) -> str:
        return self.names[
            min(bisect.bisect(self.cum, r.random() * self.cum[-1]), len(self.cum) - 1)
        ]


@dataclass(frozen=True)
class Geography:
    """Municipalities with sampling weights, each with its communities (type word, name)."""

    rows: tuple[tuple[str, str, str, str], ...]  # country, department, municipality, code
    by_country: dict[str, tuple[list[int], list[float]]]
    communities: tuple[tuple[tuple[str, str], ...], ...]
    by_department: dict[tuple[str, str], tuple[int, ...]]

    @classmethod
    def build(cls, r: random.Random, tables: SynthTables) -> Geography:
        m = tables.municipalities
        rows = tuple(
            zip(
                m["country"],
                m["department"],
                m["municipality"],
                m["municipality_code"],
                strict=True,
            )
        )
        by_country: dict[str, tuple[list[int], list[float]]] = {}
        by_dept: dict[tuple[str, str], list[int]] = {}
        comms = []
        for i, (country, dept, _muni, _code) in enumerate(rows):
            weight = HOTSPOTS.get(fold(dept), 1.0) if country != "MX" else 1.0
            idx, cum = by_country.setdefault(country, ([], []))
            idx.append(i)
            cum.append((cum[-1] if cum else 0.0) + weight)
            by_dept.setdefault((country, dept), []).append(i)
            mayan = country == "GT" and fold(dept) in MAYAN_SHARE
            comms.append(_communities(r, country, mayan))
        return cls(rows, by_country, tuple(comms), {k: tuple(v) for k, v in by_dept.items()})

    def municipality(self, r: random.Random, country: str) -> int:
        idx, cum = self.by_country[country]
        return idx[min(bisect.bisect(cum, r.random() * cum[-1]), len(idx) - 1)]

    def neighbour(self, r: random.Random, i: int) -> int:
        """Another municipality of the same department (or ``i`` when it is alone)."""
        country, dept = self.rows[i][0], self.rows[i][1]
        others = [j for j in self.by_department[(country, dept)] if j != i]
        return others[r.randrange(len(others))] if others else i

    def community(self, r: random.Random, i: int) -> tuple[str, str]:
        comms = self.communities[i]
        # a few big communities hold most people
        k = min(int(r.paretovariate(1.2)) - 1, len(comms) - 1)
        return comms[k]


def _communities(r: random.Random, country: str, mayan: bool) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    types = COMMUNITY_TYPES[country]
    for _ in range(r.randrange(4, 13)):
        u = r.random()
        if u < 0.3:
            name = "San " + r.choice(_SAINTS_M)
        elif u < 0.45:
            name = "Santa " + r.choice(_SAINTS_F)
        elif mayan and u < 0.75:
            name = r.choice(_MAYAN_HEADS) + r.choice(_MAYAN_TAILS)
        else:
            name = r.choice(_PLACE_WORDS)
        pair = (r.choice(types), name)
        if pair not in out:
            out.append(pair)
    return tuple(out)


class PersonMaker:
    """Draws people, and relatives or namesakes of a given person."""

    def __init__(self, r: random.Random, tables: SynthTables, geo: Geography) -> None:
        self.r = r
        self.geo = geo
        self.given = {sex: _Sampler(w) for sex, w in tables.given.items()}
        self.hispanic = _Sampler(tables.surnames["hispanic"])
        self.mayan_names = _Sampler(tables.surnames["mayan"])
        self.countries = [c for c, _ in COUNTRY_SHARE]
        self.country_cum = list(itertools.accumulate(s for _, s in COUNTRY_SHARE))
        self.next_pid = 0
        self.issued: set[str] = set()  # membership only, never iterated
        self.muni_index = {row[3]: i for i, row in enumerate(geo.rows)}

    def _surname(self, mayan: bool) -> str:
        r = self.r
        return self.mayan_names(r) if mayan and r.random() < 0.85 else self.hispanic(r)

    def _given(self, sex: str) -> str:
        r = self.r
        first = self.given[sex](r)
        if " " not in first and r.random() < 0.45:
            second = self.given[sex](r)
            if second != first and " " not in second:
                return f"{first} {second}"
        return first

    def _dob(self, age_2018: float) -> dt.date:
        days = int(age_2018 * 365.25) + self.r.randrange(365)
        return REFERENCE_DAY - dt.timedelta(days=days)

    def person(
        self,
        sex: str | None = None,
        muni: int | None = None,
        community: tuple[str, str] | None = None,
        age: float | None = None,
        with_minor: bool = False,
        given: str | None = None,
        paternal: str | None = None,
        maternal: str | None = None,
        family_phone: str | None = None,
        mayan: bool | None = None,
    ) -> Person:
        """A new person; arguments pin what a relative or namesake shares."""
        r = self.r
        if muni is None:
            c = self.countries[bisect.bisect(self.country_cum, r.random() * self.country_cum[-1])]
            muni = self.geo.municipality(r, c)
        country, dept, muni_name, code = self.geo.rows[muni]
        comm = community or self.geo.community(r, muni)
        sex = sex or ("M" if r.random() < 0.58 else "F")
        if age is None:
            age = min(18 + r.gammavariate(3.0, 4.5), 62)
        if with_minor:  # a parent who crossed the border with a child
            age = min(age, 46.0 if sex == "F" else 55.0)
        if mayan is None:
            mayan = country == "GT" and r.random() < MAYAN_SHARE.get(fold(dept), 0.04)
        dob = self._dob(age)
        paternal = paternal or self._surname(mayan)
        while maternal is None or maternal == paternal and r.random() < 0.9:
            maternal = self._surname(mayan)
        partner = self._surname(mayan)
        spouse = partner if sex == "F" and r.random() < 0.7 else ""
        if sex == "M" or spouse:
            kid_surnames = (paternal, partner) if sex == "M" else (spouse, paternal)
        else:  # a single mother gives her children her own surnames
            kid_surnames = (paternal, maternal)
        return Person(
            pid=self._pid(),
            sex=sex,
            given=given or self._given(sex),
            paternal=paternal,
            maternal=maternal,
            dob=dob,
            country=country,
            department=dept,
            municipality=muni_name,
            municipality_code=code,
            community_type=comm[0],
            community=comm[1],
            mayan=mayan,
            national_id=self._unique(
                lambda: national_id(r, country, self._registered_in(muni), self._registered(dob))
            ),
            family_phone=family_phone
            or self._unique(lambda: local_phone(r, country, mobile=r.random() < 0.8)),
            own_phone=self._unique(lambda: local_phone(r, country)) if r.random() < 0.55 else "",
            spouse_surname=spouse,
            children=self._children(sex, dob, kid_surnames, with_minor),
        )

    def _unique(self, draw: Callable[[], str]) -> str:
        """A value from ``draw`` that no other person has (IDs and phones are personal)."""
        value = draw()
        while value and value in self.issued:
            value = draw()
        self.issued.add(value)
        return value

    def _registered_in(self, muni: int) -> str:
        """Municipality code where the birth was registered: usually home, else nearby."""
        r = self.r
        if r.random() < 0.9:
            return self.geo.rows[muni][3]
        return self.geo.rows[self.geo.neighbour(r, muni)][3]

    def _registered(self, dob: dt.date) -> int:
        """Year the birth was registered: late registration is common in the countryside."""
        r = self.r
        return dob.year if r.random() < 0.9 else dob.year + 1 + int(r.expovariate(0.25))

    def _pid(self) -> int:
        self.next_pid += 1
        return self.next_pid

    def _children(
        self, sex: str, dob: dt.date, surnames: tuple[str, str], with_minor: bool
    ) -> tuple[Child, ...]:
        """Children born from the parent's 17th-28th year on, 1-4 years apart (at most 7).

        With ``with_minor``, at least one is under 18 on :data:`REFERENCE_DAY`.
        """
        r = self.r
        pat, mat = surnames
        born = dob.year + r.randrange(17, 29)
        kids: list[Child] = []
        for _ in range(min(1 + int(r.expovariate(0.7)), 7)):
            if born > 2018:
                break
            kids.append(self._child(pat, mat, born))
            born += r.randrange(1, 5)
        if with_minor and (not kids or REFERENCE_DAY.year - kids[-1].dob.year >= 18):
            last = min(2017, dob.year + (44 if sex == "F" else 55))
            kids.append(self._child(pat, mat, r.randint(min(max(2001, dob.year + 17), last), last)))
        return tuple(kids)

    def _child(self, paternal: str, maternal: str, year: int) -> Child:
        given = self._given("M" if self.r.random() < 0.5 else "F")
        return Child(given, paternal, maternal, self._kid_dob(year))

    def _kid_dob(self, year: int) -> dt.date:
        day = dt.date(year, 1, 1) + dt.timedelta(days=self.r.randrange(365))
        return min(day, REFERENCE_DAY - dt.timedelta(days=30))

    def namesake(self, p: Person, same_place: float, same_age: float) -> Person:
        """Someone else with ``p``'s first given name and paternal surname, often nearby.

        With probability ``same_place`` they share the municipality (and then half the time
        the community); with ``same_age`` they were born within two years of ``p``.
        """
        r = self.r
        muni = self._muni_of(p) if r.random() < same_place else None
        comm = (p.community_type, p.community) if muni is not None and r.random() < 0.5 else None
        given = p.given.split(" ")[0] if r.random() < 0.5 else p.given
        age = None
        if r.random() < same_age:
            age = max(16.0, p.age_on(REFERENCE_DAY) + r.uniform(-2, 2))
        return self.person(
            sex=p.sex, muni=muni, community=comm, age=age, given=given, paternal=p.paternal
        )

    def sibling(self, p: Person) -> Person:
        """A brother or sister: same surnames, community and family phone."""
        r = self.r
        age = max(16.0, p.age_on(REFERENCE_DAY) + r.choice((-1, 1)) * r.randrange(1, 12))
        return self.person(
            muni=self._muni_of(p),
            community=(p.community_type, p.community),
            age=float(age),
            paternal=p.paternal,
            maternal=p.maternal,
            family_phone=p.family_phone,
            mayan=p.mayan,
        )

    def parent_or_child(self, p: Person) -> Person:
        """Father and son (or mother and daughter) with the same given name and first surname."""
        r = self.r
        gap = r.randrange(19, 31)
        age = p.age_on(REFERENCE_DAY)
        new_age = age + gap if age < 36 else age - gap
        return self.person(
            sex=p.sex,
            muni=self._muni_of(p),
            community=(p.community_type, p.community),
            age=float(max(new_age, 17)),
            given=p.given,
            paternal=p.paternal,
            family_phone=p.family_phone if r.random() < 0.5 else None,
            mayan=p.mayan,
        )

    def cousin(self, p: Person) -> Person:
        """A cousin: same paternal surname, same municipality."""
        return self.person(muni=self._muni_of(p), paternal=p.paternal, mayan=p.mayan)

    def _muni_of(self, p: Person) -> int:
        return self.muni_index[p.municipality_code]


class Rng(random.Random):
    """``random.Random`` with a plain-float ``randrange`` and ``choice``, several times faster.

    The standard methods draw bits until a value falls in range, so that even ranges near 2**53
    are unbiased; the ranges here are small, and speed matters for millions of draws.

    >>> r = Rng(1)
    >>> 5 <= r.randrange(5, 9) < 9 and r.choice("ab") in "ab"
    True
    """

    def randrange(self, start: int, stop: int | None = None) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]
