"""Render a person as a U.S. custody record, the way an English-speaking clerk typed it.

Names are upper-case without accents, often ``PATERNAL MATERNAL, GIVEN``, sometimes with the
maternal surname in the middle-name slot, hyphenated or fused surnames, one surname only, typos and
truncation. Dates are MM/DD/YYYY with ``01/01`` placeholders and day/month swaps.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from linkage.synth.ids import PHONE_PLAN, format_a_number, us_phone
from linkage.synth.noise import english_typo, strip_accents
from linkage.synth.people import REFERENCE_DAY, Person
from linkage.synth.tables import SynthTables

CUSTODY_COLUMNS: tuple[str, ...] = (
    "record_id", "full_name", "sex", "birth_date", "country", "place", "a_number", "phone",
    "child_names", "child_birth_dates", "removal_date",
)  # fmt: skip
#: how clerks wrote each country: full name, ISO code, FIPS 10-4 code (used by U.S. systems)
COUNTRY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "GT": ("GUATEMALA", "GUATEMALA", "GUATEMALA", "GT", "GUAT"),
    "HN": ("HONDURAS", "HONDURAS", "HONDURAS", "HN", "HO"),
    "SV": ("EL SALVADOR", "EL SALVADOR", "SALVADOR", "SV", "ES"),
    "MX": ("MEXICO", "MEXICO", "MEXICO", "MX", "MEX"),
    "NI": ("NICARAGUA", "NICARAGUA", "NICARAGUA", "NI", "NU"),
}


@dataclass(frozen=True)
class CustodyNoise:
    """Rates of the clerk's habits (each a probability per record)."""

    typo: float = 0.12
    drop_second_given: float = 0.3
    one_surname: float = 0.2
    placeholder_dob: float = 0.04
    swapped_dob: float = 0.05
    year_off: float = 0.02
    missing_dob: float = 0.02
    place: float = 0.35
    phone: float = 0.2
    a_number: float = 0.95
    truncate: float = 0.03
    fuse_particle: float = 0.3  # "DE LEON" -> "DELEON"
    children: float = 0.9  # the separated child's name was recorded
    english_name: float = 0.015  # the English form of the given name: "JOSEPH" for José


def us_date(d: dt.date) -> str:
    """``MM/DD/YYYY``."""
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def clerk_name(
    r: random.Random, p: Person, noise: CustodyNoise, tables: SynthTables | None = None
) -> str:
    """The person's name as a clerk typed it.

    >>> from linkage.synth.people import Person
    >>> import datetime as dt
    >>> p = Person(1, "F", "María José", "García", "López", dt.date(1990, 1, 2), "GT",
    ...            "Huehuetenango", "Chiantla", "GT1302", "Aldea", "El Rosario", False,
    ...            "", "", "", "")
    >>> [clerk_name(random.Random(s), p, CustodyNoise(typo=0)) for s in (0, 1, 5)]
    ['GARCIA, MARIA JOSE LOPEZ', 'GARCIA-LOPEZ, MARIA', 'GARCIALOPEZ, MARIA JOSE']
    """
    given = strip_accents(p.given).upper()
    if tables is not None and r.random() < noise.english_name:
        english = tables.nicknames_of(p.given, p.sex, "english_equivalent")
        if english:
            given = english[r.randrange(len(english))].upper()
    pat = strip_accents(p.paternal).upper()
    mat = strip_accents(p.maternal).upper()
    if " " in given and r.random() < noise.drop_second_given:
        given = given.split(" ")[0]
    if r.random() < noise.fuse_particle:
        pat, mat = (_fuse(x) for x in (pat, mat))
    if p.spouse_surname and r.random() < 0.08:
        mat = strip_accents(p.spouse_surname).upper()  # took the husband's name in the U.S.
    u = r.random()
    one = r.random() < noise.one_surname
    if one:
        name = f"{pat}, {given}" if u < 0.55 else f"{given} {pat}"
    elif u < 0.4:
        name = f"{pat} {mat}, {given}"
    elif u < 0.52:
        name = f"{pat}, {given} {mat}"  # maternal surname taken for a middle name
    elif u < 0.67:
        name = f"{given} {pat} {mat}"
    elif u < 0.77:
        name = f"{pat}-{mat}, {given}"
    elif u < 0.81:
        name = f"{pat.replace(' ', '')}{mat.replace(' ', '')}, {given}"
    elif u < 0.88:
        name = f"{given} {mat} {pat}"  # surnames swapped
    elif u < 0.94:
        name = f"{pat} {mat} {given}"
    elif u < 0.97:
        name = f"{given} {pat}-{mat}"
    else:
        name = f"{given}, {pat} {mat}"  # first and last name fields filled the wrong way round
    if r.random() < noise.typo:
        name = english_typo(r, name)
    if r.random() < noise.truncate:
        name = name[: r.randrange(16, 22)].rstrip(" ,-")
    return name


def _fuse(surname: str) -> str:
    """``DE LEON`` -> ``DELEON``, ``DEL CID`` -> ``DELCID``."""
    for particle in ("DE LA ", "DE LOS ", "DEL ", "DE "):
        if surname.startswith(particle):
            return surname.replace(" ", "")
    return surname


def _dob(r: random.Random, d: dt.date, noise: CustodyNoise) -> str:
    u = r.random()
    if u < noise.missing_dob:
        return ""
    u -= noise.missing_dob
    if u < noise.placeholder_dob:
        return f"01/01/{d.year}"
    u -= noise.placeholder_dob
    if u < noise.swapped_dob:  # copied from a Central American document, day first
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    u -= noise.swapped_dob
    if u < noise.year_off:
        return f"{d.month:02d}/{d.day:02d}/{d.year + r.choice((-1, 1))}"
    return us_date(d)


def _place(r: random.Random, p: Person) -> str:
    muni = strip_accents(p.municipality).upper()
    dept = strip_accents(p.department).upper()
    u = r.random()
    if u < 0.35:
        return muni
    if u < 0.6:
        return dept
    if u < 0.85:
        return f"{muni}, {dept}"
    return english_typo(r, muni)


def custody_record(
    r: random.Random,
    record_id: str,
    p: Person,
    a_number: str,
    removal: dt.date,
    noise: CustodyNoise,
    tables: SynthTables | None = None,
) -> dict[str, str]:
    """One custody row for ``p`` with the 9-digit ``a_number`` (strings, ``""`` when missing)."""
    sex = p.sex if r.random() > 0.01 else ""
    minors = [c for c in p.children if (REFERENCE_DAY - c.dob).days < 18 * 365]
    listed = minors[-(1 + int(r.random() < 0.25) + int(r.random() < 0.05)) :]
    if r.random() >= noise.children:
        listed = []
    kid_names = []
    for c in listed:
        name = strip_accents(f"{c.given} {c.paternal} {c.maternal}").upper()
        if r.random() < 0.3:
            name = strip_accents(f"{c.given} {c.paternal}").upper()
        if r.random() < noise.typo / 2:
            name = english_typo(r, name)
        kid_names.append(name)
    kid_dobs = [us_date(c.dob) for c in listed] if r.random() > 0.1 else []
    phone = ""
    if r.random() < noise.phone:
        phone = us_phone(r) if r.random() < 0.55 else p.family_phone
        if phone == p.family_phone and r.random() < 0.5:
            phone = f"011 {PHONE_PLAN[p.country][2]} {phone}"
    return {
        "record_id": record_id,
        "full_name": clerk_name(r, p, noise, tables),
        "sex": sex,
        "birth_date": _dob(r, p.dob, noise),
        "country": r.choice(COUNTRY_SPELLINGS[p.country]) if r.random() > 0.03 else "",
        "place": _place(r, p) if r.random() < noise.place else "",
        "a_number": format_a_number(r, a_number) if r.random() < noise.a_number else "",
        "phone": phone,
        "child_names": ";".join(kid_names),
        "child_birth_dates": ";".join(kid_dobs),
        "removal_date": us_date(removal),
    }
