"""Render a person as a Central American field report, in the style of the reporting organization.

Each (fictional) organization has its habits: full name or split name columns, accents kept or
dropped, upper or title case, H/M or F/M for sex, dates as ``DD/MM/YYYY``, ``3 de abril de 1985``,
year only or an age, the place in columns or as one free-text line, IDs and phones more or less
often. On top of those habits each report has its own noise: nicknames, one surname, married
names (``de García``), spelling doubts, Mayan orthographies, swapped day and month, a neighbouring
municipality, a mistyped ID digit.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

from linkage.synth.ids import format_national_id, format_phone, local_phone, mistype_digit
from linkage.synth.noise import respell_mayan, spanish_typo, strip_accents, title
from linkage.synth.people import Geography, Person
from linkage.synth.tables import SynthTables

FIELD_COLUMNS: tuple[str, ...] = (
    "record_id", "full_name", "given_names", "paternal_surname", "maternal_surname", "sex",
    "birth_date", "age", "report_date", "country", "department", "municipality", "community",
    "place", "national_id", "phone", "child_names", "child_birth_dates", "organization",
)  # fmt: skip
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
COUNTRY_NAMES = {"GT": "Guatemala", "HN": "Honduras", "SV": "El Salvador", "MX": "México",
                 "NI": "Nicaragua"}  # fmt: skip
#: how hurried hands shorten some given names
ABBREVIATIONS = {"María": "Ma.", "Francisco": "Fco.", "Guadalupe": "Gpe.", "José": "J."}
#: colloquial names of some places, as people say them
COLLOQUIAL = {
    "Quetzaltenango": "Xela",
    "Huehuetenango": "Huehue",
    "Distrito Central": "Tegucigalpa",
    "Alta Verapaz": "A.V.",
    "San Salvador": "S.S.",
    "Francisco Morazán": "Fco. Morazán",
}


@dataclass(frozen=True)
class Org:
    """Habits of one reporting organization."""

    name: str
    countries: tuple[str, ...]
    split_names: bool
    accents: float  # probability a report keeps its accents
    upper: bool
    sex_code: str  # "HM" (hombre/mujer) or "FM" (femenino/masculino)
    dates: tuple[str, ...]  # date styles: dmy, dmy2, d/m, long, dmon, iso, year, age
    free_place: float  # probability the place is one free-text line
    id_rate: float
    phone_rate: float
    phone_style: str
    children_rate: float
    nickname_rate: float
    surname_first: float = 0.0  # probability the full name is written "PEREZ LOPEZ JUAN"


ORGS: tuple[Org, ...] = (
    Org(
        "Red de Familias Reencontradas", countries=("GT", "HN", "SV"), split_names=True,
        accents=0.9, upper=False, sex_code="HM", dates=("dmy", "dmy", "dmy", "age", "year"),
        free_place=0.1, id_rate=0.5, phone_rate=0.7, phone_style="plain", children_rate=0.8,
        nickname_rate=0.05,
    ),
    Org(
        "Pastoral de Movilidad Humana", countries=("GT", "HN", "SV", "MX", "NI"),
        split_names=False, accents=0.7, upper=False, sex_code="HM",
        dates=("long", "long", "dmy", "age", "age"), free_place=0.6, id_rate=0.15,
        phone_rate=0.6, phone_style="mixed", children_rate=0.6, nickname_rate=0.2,
    ),
    Org(
        "Comité de Retornados del Occidente", countries=("GT",), split_names=False, accents=0.05,
        upper=True, sex_code="FM", dates=("age", "age", "dmy", "dmy2", "year"), free_place=0.3,
        id_rate=0.35, phone_rate=0.8, phone_style="mixed", children_rate=0.5, nickname_rate=0.1,
        surname_first=0.4,
    ),
    Org(
        "Centro de Atención al Migrante Retornado", countries=("HN", "SV"), split_names=True,
        accents=0.6, upper=True, sex_code="FM", dates=("dmy", "iso", "dmy", "age"),
        free_place=0.0, id_rate=0.7, phone_rate=0.7, phone_style="intl", children_rate=0.7,
        nickname_rate=0.03,
    ),
    Org(
        "Mesa de Búsqueda Comunitaria", countries=("SV", "HN"), split_names=False, accents=0.8,
        upper=False, sex_code="HM", dates=("d/m", "dmy", "long", "age", "dmon"), free_place=0.7,
        id_rate=0.4, phone_rate=0.5, phone_style="plain", children_rate=0.5, nickname_rate=0.12,
    ),
    Org(
        "Brigada de Promotores de Salud", countries=("GT", "HN", "SV", "MX", "NI"),
        split_names=False, accents=0.3, upper=True, sex_code="FM",
        dates=("age", "age", "age", "year", "dmy2"), free_place=0.5, id_rate=0.1,
        phone_rate=0.85, phone_style="mixed", children_rate=0.3, nickname_rate=0.15,
        surname_first=0.2,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class FieldNoise:
    """Rates of per-report noise (each a probability per report)."""

    typo: float = 0.06
    first_given_only: float = 0.35
    second_given_only: float = 0.06  # known by the second name: "José Luis" -> "Luis"
    one_surname: float = 0.15
    married_name: float = 0.3
    mayan_respell: float = 0.2
    swapped_dob: float = 0.03
    missing_dob: float = 0.1
    age_error: float = 0.25
    other_municipality: float = 0.05
    missing_place: float = 0.1
    id_typo: float = 0.04
    missing_sex: float = 0.05
    dob_error: float = 0.03  # the family gives another day or month than the documents
    phone_typo: float = 0.03
    keep_optional: float = 1.0  # multiplies each organization's ID, phone and children rates
    community_phone: float = 0.05  # the village shop's or the health promoter's number
    swapped_columns: float = 0.02  # municipality written under department and back
    partial_accents: float = 0.1  # one part of the name typed without its accents
    abbreviation: float = 0.03  # "Ma. José", "Fco."
    spelling_variant: float = 0.03  # the name as the civil register spelt it: "Marbin", "Jesenia"
    mojibake: float = 0.005  # UTF-8 read as Windows-1252 on the way: "GarcÃ­a"


def mojibake(text: str) -> str:
    """UTF-8 bytes misread as Windows-1252, as spreadsheets do.

    >>> mojibake("José Muñoz")
    'JosÃ© MuÃ±oz'
    """
    return text.encode("utf-8").decode("cp1252", errors="replace")


@lru_cache(maxsize=131072)
def styled(text: str, accents: bool, upper: bool) -> str:
    """``text`` in an organization's style.

    >>> styled("maría de la o", False, True), styled("maría de la o", True, False)
    ('MARIA DE LA O', 'María de la O')
    """
    if not accents:
        text = strip_accents(text)
    return text.upper() if upper else title(text)


def orgs_for(country: str) -> tuple[Org, ...]:
    """Organizations that report from ``country``."""
    return tuple(o for o in ORGS if country in o.countries)


def _date(r: random.Random, d: dt.date, style: str) -> str:
    if style == "dmy":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "d/m":
        return f"{d.day}/{d.month}/{d.year}" if r.random() < 0.5 else f"{d.day}-{d.month}-{d.year}"
    if style == "dmy2":
        return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}"
    if style == "long":
        return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"
    if style == "dmon":
        return f"{d.day:02d}-{MONTHS_ES[d.month - 1][:3]}-{d.year}"
    if style == "iso":
        return d.isoformat()
    return str(d.year)


class FieldRenderer:
    """Writes field reports; holds the tables (nicknames) and the geography it needs."""

    def __init__(self, tables: SynthTables, geo: Geography, noise: FieldNoise) -> None:
        self.tables = tables
        self.geo = geo
        self.noise = noise
        self.muni_index = {row[3]: i for i, row in enumerate(geo.rows)}
        self.shared_phones: dict[tuple[str, str], str] = {}

    def report(self, r: random.Random, record_id: str, p: Person, org: Org) -> dict[str, str]:
        """One field row about ``p`` written by ``org`` (strings, ``""`` when missing)."""
        nz = self.noise
        keep_accents = r.random() < org.accents
        report_day = dt.date(2019, 1, 1) + dt.timedelta(days=r.randrange(3 * 365))
        row = dict.fromkeys(FIELD_COLUMNS, "")
        row["record_id"] = record_id
        row["organization"] = org.name
        given, pat, mat = self._name_parts(r, p, org)
        if org.split_names:
            row["given_names"] = styled(given, keep_accents, org.upper)
            row["paternal_surname"] = styled(pat, keep_accents, org.upper)
            row["maternal_surname"] = styled(mat, keep_accents, org.upper)
        else:
            if r.random() < org.surname_first:
                surnames = " ".join(x for x in (pat, mat) if x)
                full = f"{surnames}, {given}" if r.random() < 0.4 else f"{surnames} {given}"
            else:
                full = " ".join(x for x in (given, pat, mat) if x)
            row["full_name"] = styled(full, keep_accents, org.upper)
        if r.random() >= nz.missing_sex:
            row["sex"] = ("H" if p.sex == "M" else "M") if org.sex_code == "HM" else p.sex
            if org.sex_code == "FM" and r.random() < 0.2:
                row["sex"] = "Masculino" if p.sex == "M" else "Femenino"
        self._birth(r, p, org, report_day, row)
        self._place(r, p, org, keep_accents, row)
        if keep_accents and r.random() < nz.mojibake:
            for col in ("full_name", "given_names", "paternal_surname", "maternal_surname"):
                row[col] = mojibake(row[col])
        keep = nz.keep_optional
        if p.national_id and r.random() < org.id_rate * keep:
            nid = format_national_id(r, p.country, p.national_id)
            row["national_id"] = mistype_digit(r, nid) if r.random() < nz.id_typo else nid
        if r.random() < org.phone_rate * keep:
            phones = self._phones(r, p, org)
            row["phone"] = mistype_digit(r, phones) if r.random() < nz.phone_typo else phones
        if p.children and r.random() < org.children_rate * keep:
            self._children(r, p, org, keep_accents, row)
        return row

    def _name_parts(self, r: random.Random, p: Person, org: Org) -> tuple[str, str, str]:
        nz = self.noise
        given = p.given
        if " " in given:
            u = r.random()
            second = nz.second_given_only * (3 if given.startswith(("María ", "José ")) else 1)
            if u < nz.first_given_only:
                given = given.split(" ")[0]
            elif u < nz.first_given_only + second and not given.startswith(("María de", "Juan de")):
                given = given.split(" ", 1)[1]
        first = given.split(" ")[0]
        if first in ABBREVIATIONS and r.random() < nz.abbreviation * (3 if " " in given else 1):
            given = ABBREVIATIONS[first] + given[len(first) :]
        elif r.random() < nz.spelling_variant:
            variants = self.tables.nicknames_of(first, p.sex, "spelling_variant")
            if variants:
                given = variants[r.randrange(len(variants))] + given[len(first) :]
        elif r.random() < org.nickname_rate:
            nicks = self.tables.nicknames_of(given, p.sex)
            if nicks:
                nick = nicks[r.randrange(len(nicks))]
                given = f"{given} ({nick})" if r.random() < 0.5 else nick
        pat, mat = p.paternal, p.maternal
        if p.mayan and r.random() < nz.mayan_respell:
            if r.random() < 0.5:
                pat = respell_mayan(r, pat)
            else:
                mat = respell_mayan(r, mat)
        if p.spouse_surname and r.random() < nz.married_name:
            mat = f"{mat} de {p.spouse_surname}" if r.random() < 0.5 else f"de {p.spouse_surname}"
        elif r.random() < nz.one_surname:
            mat = ""
        if r.random() < nz.partial_accents:
            k = r.randrange(3)
            given, pat, mat = (
                strip_accents(x) if i == k else x for i, x in enumerate((given, pat, mat))
            )
        if r.random() < nz.typo:
            k = r.randrange(3)
            if k == 0:
                given = spanish_typo(r, given)
            elif k == 1 or not mat:
                pat = spanish_typo(r, pat)
            else:
                mat = spanish_typo(r, mat)
        return given, pat, mat

    def _birth(self, r: random.Random, p: Person, org: Org, day: dt.date, row: dict) -> None:
        nz = self.noise
        row["report_date"] = _date(r, day, "iso" if org.split_names else "dmy")
        if r.random() < nz.missing_dob:
            return
        style = org.dates[r.randrange(len(org.dates))]
        if style == "age":
            age = p.age_on(day)
            if r.random() < nz.age_error:
                age += r.choice((-2, -1, -1, 1, 1, 2))
            row["age"] = str(age)
            return
        d = p.dob
        if r.random() < nz.swapped_dob and d.day <= 12:
            d = dt.date(d.year, d.day, d.month)
        elif r.random() < nz.dob_error:
            d = (
                d.replace(day=r.randrange(1, 29))
                if r.random() < 0.6
                else d.replace(month=r.randrange(1, 13), day=min(d.day, 28))
            )
        row["birth_date"] = _date(r, d, style)

    def _place(self, r: random.Random, p: Person, org: Org, accents: bool, row: dict) -> None:
        nz = self.noise
        if r.random() < nz.missing_place:
            return
        country, dept, muni, _code = p.country, p.department, p.municipality, ""
        if r.random() < nz.other_municipality:  # the next town, or where they moved on return
            here = self.muni_index[p.municipality_code]
            i = (
                self.geo.neighbour(r, here)
                if r.random() < 0.5
                else self.geo.municipality(r, country)
            )
            country, dept, muni, _code = self.geo.rows[i]
        comm = p.community
        u = r.random()
        if u < 0.55:
            comm = f"{p.community_type} {comm}"
        elif u < 0.6:
            comm = f"{p.community_type[:3]}. {comm}"
        if r.random() < 0.08:
            comm = spanish_typo(r, comm)
        if r.random() < 0.08:
            dept = COLLOQUIAL.get(dept, dept)
            muni = COLLOQUIAL.get(muni, muni)

        def fmt(x: str) -> str:
            return styled(x, accents, org.upper) if x else ""

        if r.random() < org.free_place:
            parts = [comm, muni if r.random() < 0.6 else "", dept]
            row["place"] = ", ".join(fmt(x) for x in parts if x)
            return
        row["country"] = fmt(COUNTRY_NAMES[country]) if r.random() < 0.5 else ""
        if r.random() < nz.swapped_columns:
            dept, muni = muni, dept
        row["department"] = fmt(dept) if r.random() < 0.9 else ""
        row["municipality"] = fmt(muni) if r.random() < 0.85 else ""
        row["community"] = fmt(comm) if r.random() < 0.8 else ""

    def _phones(self, r: random.Random, p: Person, org: Org) -> str:
        numbers = [p.family_phone]
        if r.random() < self.noise.community_phone:
            key = (p.municipality_code, p.community)
            if key not in self.shared_phones:
                self.shared_phones[key] = local_phone(r, p.country, mobile=r.random() < 0.7)
            numbers = [self.shared_phones[key]]
        elif p.own_phone and r.random() < 0.5:
            numbers = [p.own_phone] if r.random() < 0.5 else [p.own_phone, p.family_phone]
        shown = [format_phone(r, p.country, n, org.phone_style) for n in numbers]
        if len(shown) == 2:
            sep = r.choice((" / ", "; ", " y "))
            return ("cel. " if r.random() < 0.4 else "") + sep.join(shown)
        return shown[0]

    def _children(self, r: random.Random, p: Person, org: Org, accents: bool, row: dict) -> None:
        kids = list(p.children)
        if len(kids) > 1 and r.random() < 0.4:
            kids = kids[-r.randrange(1, len(kids)) :]
        names = []
        for c in kids:
            u = r.random()
            if u < 0.35:
                name = c.given.split(" ")[0]
            elif u < 0.6:
                name = f"{c.given} {c.paternal}"
            else:
                name = f"{c.given} {c.paternal} {c.maternal}"
            names.append(styled(name, accents, org.upper))
        row["child_names"] = ";".join(names)
        if r.random() < 0.6:
            style = "dmy" if r.random() < 0.8 else "year"
            row["child_birth_dates"] = ";".join(_date(r, c.dob, style) for c in kids)
