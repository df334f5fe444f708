"""Synthetic identity numbers: Guatemalan CUI, Honduran DNI, Salvadoran DUI, U.S. A-number, phones.

Every number is drawn at random; none belongs to a real person except by chance.

>>> gt_cui_check("23456789")
9
>>> gt_cui("23456789", "GT1301")
'2345678991301'
>>> sv_dui_check("00016297")
5
>>> hn_dni("HN0801", 1985, 123)
'0801198500123'
"""

from __future__ import annotations

import random

#: first digits of mobile (then landline) numbers, and the calling code, by country
PHONE_PLAN: dict[str, tuple[str, str, str, int]] = {
    "GT": ("345", "7", "502", 8),
    "HN": ("389", "2", "504", 8),
    "SV": ("67", "2", "503", 8),
    "NI": ("8", "2", "505", 8),
    "MX": ("9", "9", "52", 10),
}
US_AREA_CODES: tuple[str, ...] = (
    "713", "832", "281", "210", "956", "915", "520", "602", "323", "213", "305", "404",
    "704", "919", "703", "301", "917", "718", "516", "631", "615", "502", "816", "407",
)  # fmt: skip


def gt_cui_check(serial: str) -> int:
    """Check digit of an 8-digit CUI serial: weighted sum (weights 2..9) mod 11."""
    return sum(int(d) * (i + 2) for i, d in enumerate(serial)) % 11


def gt_cui(serial: str, municipality_code: str) -> str:
    """CUI: serial, check digit, INE municipality code (the last 4 digits of the P-code)."""
    return f"{serial}{gt_cui_check(serial)}{municipality_code[-4:]}"


def hn_dni(municipality_code: str, year: int, serial: int) -> str:
    """DNI: INE municipality code, year the birth was registered, 5-digit serial."""
    return f"{municipality_code[-4:]}{year:04d}{serial:05d}"


def sv_dui_check(serial: str) -> int:
    """Check digit of an 8-digit DUI: weights 9..2, then (10 - sum mod 10) mod 10."""
    return (10 - sum(int(d) * (9 - i) for i, d in enumerate(serial)) % 10) % 10


def national_id(r: random.Random, country: str, municipality_code: str, year: int) -> str:
    """A valid compact national ID for a person of ``country``, or "" where none is modelled.

    ``municipality_code`` and ``year`` are where and when the birth was registered (a Honduran
    DNI carries both; a Guatemalan CUI the place).
    """
    if country == "GT":
        while True:
            serial = f"{r.randrange(10**7, 10**8):08d}"
            if gt_cui_check(serial) < 10:
                return gt_cui(serial, municipality_code)
    if country == "HN":
        return hn_dni(municipality_code, year, r.randrange(1, 30000))
    if country == "SV":
        serial = f"{r.randrange(0, 7 * 10**7):08d}"
        return f"{serial}{sv_dui_check(serial)}"
    return ""


def format_national_id(r: random.Random, country: str, compact: str) -> str:
    """``compact`` as a form might show it (spaces or dashes in the usual places)."""
    u = r.random()
    if not compact or u < 0.55:
        return compact
    if country == "GT":
        return (
            f"{compact[:4]} {compact[4:9]} {compact[9:]}"
            if u < 0.85
            else (f"{compact[:4]}-{compact[4:9]}-{compact[9:]}")
        )
    if country == "HN":
        return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    if country == "SV":
        return f"{compact[:8]}-{compact[8:]}"
    return compact


def mistype_digit(r: random.Random, number: str) -> str:
    """One digit changed or two neighbouring digits swapped."""
    pos = [i for i, c in enumerate(number) if c.isdigit()]
    if len(pos) < 2:
        return number
    chars = list(number)
    if r.random() < 0.5:
        i = pos[r.randrange(len(pos))]
        chars[i] = str((int(chars[i]) + r.randrange(1, 10)) % 10)
    else:
        k = r.randrange(len(pos) - 1)
        i, j = pos[k], pos[k + 1]
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def a_numbers(r: random.Random, n: int) -> list[str]:
    """``n`` distinct 9-digit A-numbers of the range issued around 2017-2018."""
    return [f"{k:09d}" for k in r.sample(range(200_000_000, 216_000_000), n)]


def format_a_number(r: random.Random, digits9: str) -> str:
    """An A-number as clerks write it: ``A 212-345-678``, ``212345678``, ``A212345678``, ..."""
    u = r.random()
    if u < 0.35:
        return f"A {digits9[:3]}-{digits9[3:6]}-{digits9[6:]}"
    if u < 0.6:
        return digits9
    if u < 0.8:
        return f"A{digits9}"
    if u < 0.9:
        return f"{digits9[:3]}-{digits9[3:6]}-{digits9[6:]}"
    return f"A# {digits9}"


def local_phone(r: random.Random, country: str, mobile: bool = True) -> str:
    """A national significant number for ``country`` (8 digits in Central America)."""
    mobiles, landline, _, length = PHONE_PLAN[country]
    first = r.choice(mobiles) if mobile else landline
    return f"{first}{r.randrange(10 ** (length - 1)):0{length - 1}d}"


def us_phone(r: random.Random) -> str:
    """A U.S. number as a clerk types it, e.g. ``(713) 462-0187``."""
    area = r.choice(US_AREA_CODES)
    rest = f"{r.randrange(200, 1000)}{r.randrange(10000):04d}"
    u = r.random()
    if u < 0.5:
        return f"({area}) {rest[:3]}-{rest[3:]}"
    if u < 0.8:
        return f"{area}-{rest[:3]}-{rest[3:]}"
    return f"{area}{rest}"


def format_phone(r: random.Random, country: str, number: str, style: str) -> str:
    """A local number the way a form shows it; ``style`` is ``plain``, ``intl`` or ``mixed``."""
    cc = PHONE_PLAN[country][2]
    half = len(number) // 2
    spaced = f"{number[:half]} {number[half:]}"
    dashed = f"{number[:half]}-{number[half:]}"
    if style == "intl":
        return r.choice((f"+{cc} {spaced}", f"+{cc}{number}", f"({cc}) {dashed}"))
    if style == "mixed":
        return r.choice((number, dashed, spaced, f"+{cc} {number}", f"{cc}-{number}"))
    return r.choice((number, dashed, spaced))
