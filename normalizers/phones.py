"""Phone numbers from free text: several per cell, labels, old prefixes, missing ``+``.

Each number is parsed with :mod:`phonenumbers` using the record's country as the region, after
cleaning what it refuses: ``00`` and ``011`` international prefixes, a country code written
without ``+``, Mexico's pre-2019 prefixes (044, 045, 01 and the 1 after 52), and labels and
conjunctions between numbers. Every number keeps its national significant number as a key, so a
number recorded under the wrong country still matches.

>>> [p.e164 for p in parse_phones("cel. 5555-1234 / 7777 1234 (de su hermana)", "Guatemala")]
['+50255551234', '+50277771234']
>>> [p.e164 for p in parse_phones("044 55 1234 5678", "MX")]
['+525512345678']
>>> [p.national for p in parse_phones("011 502 5555 1234 y 00503 7012 3456")]
['55551234', '70123456']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import phonenumbers
from unidecode import unidecode

from normalizers.distinct import per_distinct
from normalizers.ids.country import iso2
from normalizers.ids.util import cell_text
from normalizers.text import digits

#: national significant number length by country calling code, for codes written without "+"
_NATIONAL_LENGTH = {"502": 8, "503": 8, "504": 8, "505": 8, "52": 10, "1": 10}
#: anything that is not part of a number separates numbers: letters, ; / , | and line breaks
_SEPARATOR = re.compile(r"[;/,|\n\r]+|[a-z][a-z.:']*")
_SHORTEST, _LONGEST = 7, 15
_NON_DIGIT = re.compile(r"[^0-9]+")


@dataclass(frozen=True)
class Phone:
    """One phone number: ``national`` (its national significant number) is always set; ``e164``
    and ``region`` only when phonenumbers accepts it as a possible number."""

    national: str
    e164: str | None = None
    region: str | None = None

    @property
    def valid(self) -> bool:
        """Whether the number is in an assigned range of its country's numbering plan.

        >>> Phone("55551234", "+50255551234", "GT").valid, Phone("5551234").valid
        (True, False)
        """
        return self.e164 is not None and phonenumbers.is_valid_number(phonenumbers.parse(self.e164))


def _digits(text: str) -> str:
    """ASCII digits of ``text``, with a fast path for ASCII text."""
    if text.isascii():
        return _NON_DIGIT.sub("", text)
    return digits(text)


def _strip_prefixes(number: str, international: bool) -> tuple[str, bool]:
    """``(digits, international)``: digits after the country code when ``international``.

    International prefixes (011, 00) and a country code written without ``+`` are recognised.
    Mexico before 2019 put 044/045 before a mobile, 01 before a long-distance number and 1
    between 52 and a mobile; no other country writes 13 digits starting 044/045 or 12 starting
    01, so those mark a Mexican number.
    """
    if not international:
        if number.startswith("011"):
            number, international = number[3:], True
        elif number.startswith("00"):
            number, international = number[2:], True
        elif number[:3] in ("044", "045") and len(number) == 13:
            number, international = "52" + number[3:], True
        elif number.startswith("01") and len(number) == 12:
            number, international = "52" + number[2:], True
        elif number.startswith("521") and len(number) == 13:
            international = True
        else:
            international = any(
                number.startswith(code) and len(number) == len(code) + length
                for code, length in _NATIONAL_LENGTH.items()
            )
    if international and number.startswith("521") and len(number) == 13:
        number = "52" + number[3:]
    return number, international


def _phone(piece: str, region: str | None) -> Phone | None:
    number = _digits(piece)
    if not _SHORTEST <= len(number) <= _LONGEST + 3 or len(set(number)) == 1:
        return None
    number, international = _strip_prefixes(number, piece.lstrip().startswith("+"))
    try:
        parsed = phonenumbers.parse("+" + number if international else number, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        national = phonenumbers.national_significant_number(parsed)
        return Phone(
            national=national,
            e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
            region=phonenumbers.region_code_for_number(parsed),
        )
    if not _SHORTEST <= len(number) <= _LONGEST:
        return None
    return Phone(national=number)


def _pieces(text: str) -> list[str]:
    """Candidate numbers: text between labels/separators, long digit runs split on spaces."""
    pieces = []
    for chunk in _SEPARATOR.split(unidecode(text).lower()):
        if len(_digits(chunk)) <= _LONGEST:
            pieces.append(chunk)
            continue
        current = ""
        for part in chunk.split():
            if current and len(_digits(current)) >= 8:
                pieces.append(current)
                current = ""
            current += " " + part
        pieces.append(current)
    return pieces


@lru_cache(maxsize=200_000)
def _parse(text: str, region: str | None) -> tuple[Phone, ...]:
    found: dict[str, Phone] = {}
    for piece in _pieces(text):
        phone = _phone(piece, region)
        if phone is not None and phone.national not in found:
            found[phone.national] = phone
    return tuple(found.values())


def parse_phones(text: object, country: object = None) -> list[Phone]:
    """Every phone number in a cell, deduplicated, in order.

    ``country`` (name or code, as written) is the region for numbers without a country code.

    >>> parse_phones("52 1 55 1234 5678")[0].e164
    '+525512345678'
    >>> parse_phones("WhatsApp +1 (713) 555-0123")[0].region
    'US'
    >>> parse_phones("n/a")
    []
    """
    text = cell_text(text, limit=300)
    return [] if text is None else list(_parse(text, iso2(country)))


def normalize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The ``phones`` normalized columns: ``phones`` (E.164) and ``phone_keys`` (national
    significant numbers), each ``;``-joined, ``pd.NA`` when none. Reads ``phone`` and
    ``country``."""
    index = df.index
    if "phone" not in df.columns:
        return pd.DataFrame({"phones": pd.NA, "phone_keys": pd.NA}, index=index, dtype="string")
    countries = df["country"] if "country" in df.columns else pd.Series(None, index=index)
    codes, read = per_distinct([df["phone"], countries], _phone_columns)
    out = pd.DataFrame(read, columns=["phones", "phone_keys"], dtype=object).iloc[codes]
    return out.set_index(index).astype("string")


def _phone_columns(value: object, country: object) -> tuple[str | None, str | None]:
    """(E.164 numbers, national significant numbers) of one cell, each ;-joined, None if none."""
    phones = parse_phones(
        None if pd.isna(value) else value, None if pd.isna(country) else str(country)
    )
    numbers = [p.e164 for p in phones if p.e164]
    return ";".join(numbers) or None, ";".join(p.national for p in phones) or None
