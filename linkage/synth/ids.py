"""Synthetic identity numbers: Guatemalan CUI, Honduran DNI, Salvadoran DUI, U.S. A-number, phones.

Every number is drawn at random; none belongs to a real person except by chance. Check digits
and printed forms come from :mod:`normalizers.ids`, the code that reads them back.

>>> import random
>>> national_id(random.Random(0), "GT", "GT1301", 1985)
'6644816201301'
>>> national_id(random.Random(0), "HN", "HN0801", 1985)
'0801198527671'
>>> national_id(random.Random(0), "SV", "SV0614", 1985)
'517067490'
"""

from __future__ import annotations

import random

from normalizers.ids import gt_cui, hn_dni, sv_dui

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


def national_id(r: random.Random, country: str, municipality_code: str, year: int) -> str:
    """A valid compact national ID for a person of ``country``, or "" where none is modelled.

    ``municipality_code`` and ``year`` are where and when the birth was registered (a Honduran
    DNI carries both, then a 5-digit serial; a Guatemalan CUI the place, after the check digit).
    """
    if country == "GT":
        while True:
            serial = f"{r.randrange(10**7, 10**8):08d}"
            check = gt_cui.calc_check_digit(serial)
            if check != "X":  # RENAP issues no number whose remainder is 10
                return f"{serial}{check}{municipality_code[-4:]}"
    if country == "HN":
        return f"{municipality_code[-4:]}{year:04d}{r.randrange(1, 30000):05d}"
    if country == "SV":
        serial = f"{r.randrange(0, 7 * 10**7):08d}"
        return f"{serial}{sv_dui.calc_check_digit(serial)}"
    return ""


def format_national_id(r: random.Random, country: str, compact: str) -> str:
    """``compact`` as a form might show it (spaces or dashes in the usual places)."""
    u = r.random()
    if not compact or u < 0.55:
        return compact
    if country == "GT":
        printed = gt_cui.format(compact)
        return printed if u < 0.85 else printed.replace(" ", "-")
    if country == "HN":
        return hn_dni.format(compact)
    if country == "SV":
        return sv_dui.format(compact)
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
