"""Spanish-language personal names: parse into given names and both surnames, canonical forms.

A name comes in any order and from any source: "GARCIA LOPEZ, MARIA" (U.S. clerk, surnames
first), "MARIA GARCIA", "Maria Lopez-Garcia", or "María de los Ángeles García López (Chayo)".
:func:`parse` returns the canonical parts (folded: lower-case ASCII, accents and ñ folded) with a
confidence; the original is kept for display.

>>> p = parse("GARCIA LOPEZ, MARIA")
>>> (p.given, p.paternal, p.maternal)
('maria', 'garcia', 'lopez')
>>> p = parse("María de los Ángeles García López (Chayo)")
>>> (p.given, p.paternal, p.maternal, p.nickname)
('maria de los angeles', 'garcia', 'lopez', 'chayo')
>>> p = parse("Sra. Rosa Pérez vda. de Morales")
>>> (p.given, p.paternal, p.maternal, p.married)
('rosa', 'perez', '', 'morales')
>>> p = parse(given_names="MARIA", paternal_surname="GARCIA LOPEZ")
>>> (p.given, p.paternal, p.maternal)
('maria', 'garcia', 'lopez')
>>> canonical_name("  Dña. MARÍA  josé Muñoz ")
'maria jose munoz'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from normalizers.distinct import per_distinct
from normalizers.nicknames import (
    formal_names,
    given_name_forms,
    nickname_table,
    representative_form,
)
from normalizers.phonetic import phonetic_key
from normalizers.resources import data_path
from normalizers.text import fold, is_missing

__all__ = [
    "ParsedName",
    "canonical_name",
    "given_frequencies",
    "given_name_forms",
    "normalize_frame",
    "parse",
    "phonetic_key",
    "surname_core",
    "surname_frequencies",
]

#: titles and generational suffixes: not names, dropped wherever they stand
NOISE_WORDS = frozenset(
    {
        *("sr", "sra", "srta", "sres", "senor", "senora", "senorita", "don", "dona", "dna"),
        *("dr", "dra", "lic", "licda", "licdo", "ing", "prof", "profa", "mr", "mrs", "ms", "miss"),
        *("jr", "hijo", "ii", "iii", "iv"),
    }
)
#: words that join the next word into one surname ("de la cruz") or a given-name compound
PARTICLES = frozenset({"de", "del", "la", "las", "los"})
#: markers of a widow's married surname ("viuda de García", "vda. de García")
WIDOW_WORDS = frozenset({"viuda", "vda", "vd", "vva"})
#: "de X" surnames that are a surname in their own right, not a husband's name
DE_SURNAMES = frozenset({"leon", "jesus", "paz", "dios", "santiago", "lima", "lucas", "mata"})
#: given names that take a devotional tail ("María de los Ángeles", "José de Jesús")
DEVOTIONAL_HEADS = frozenset({"maria", "ma", "jose", "juan"})
#: the tails themselves, folded
DEVOTIONAL_TAILS = frozenset(
    tuple(t.split())
    for t in (
        "de los angeles",
        "del carmen",
        "de jesus",
        "de la luz",
        "de lourdes",
        "del rosario",
        "de la paz",
        "de los dolores",
        "de guadalupe",
        "del pilar",
        "de fatima",
        "de la cruz",
        "de dios",
        "de las mercedes",
        "de la o",
        "de los remedios",
        "del socorro",
        "de la asuncion",
        "de la concepcion",
        "de la trinidad",
        "de belen",
        "del refugio",
        "del transito",
        "de la soledad",
        "de los reyes",
        "de la esperanza",
        "del consuelo",
        "de los santos",
        "de la merced",
        "de la natividad",
        "de la candelaria",
        "de la encarnacion",
        "del milagro",
        "de san juan",
    )
)
_LONGEST_TAIL = max(len(t) for t in DEVOTIONAL_TAILS)
#: tails that are also common surnames: a given-name tail only when two surnames follow
SURNAME_TAILS = frozenset(
    {("de", "la", "cruz"), ("de", "jesus"), ("de", "los", "santos"), ("de", "los", "reyes")}
)

_NICK_BRACKETS = re.compile(r"[(\[{«“\"]([^)\]}»”\"]*)[)\]}»”\"]")
_NICK_QUOTES = re.compile(r"(?:^|(?<=\s))'([^']+)'(?=\s|$)")
_NICK_LEGAL = re.compile(r"(?i)\(\s*a\s*\)\s*([^()]*)$")
_NICK_ALIAS = re.compile(r"(?i)\b(?:alias|a\.?k\.?a|conocid[oa] como)\b[\W_]*(.*)$")
_COMMA = re.compile(r"[,;]")


@dataclass(frozen=True)
class ParsedName:
    """A name split into canonical parts (folded), with how sure the split is.

    ``given`` holds all given names space-separated; ``paternal`` and ``maternal`` the first and
    second surname ("" when absent), particles included ("de la cruz"); ``married`` a husband's
    surname ("López de García", "viuda de García"); ``nickname`` a name given in parentheses or
    quotes. ``original`` is the text as received, for display.
    """

    given: str
    paternal: str
    maternal: str
    confidence: float
    original: str
    nickname: str = ""
    married: str = ""

    @property
    def given1(self) -> str:
        """First given name ("maria" for "maria jose")."""
        return self.given.split(" ", 1)[0]

    @property
    def canonical(self) -> str:
        """The parts written surnames-first with a comma; :func:`parse` reads it back unchanged.

        >>> parse("Juana Ixcoy Caal vda de Tzoc (Juanita)").canonical
        'ixcoy caal vda de tzoc, juana (juanita)'
        """
        surnames = " ".join(s for s in (self.paternal, self.maternal) if s)
        if self.married:
            surnames = f"{surnames} vda de {self.married}".strip()
        text = f"{surnames}, {self.given}".strip() if surnames or self.given else ""
        return f"{text} ({self.nickname})".strip() if self.nickname else text


# ---------------------------------------------------------------- lexicons


def _read_table(filename: str) -> list[dict[str, str]]:
    try:
        path = data_path("names", filename)
    except FileNotFoundError:
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _share(row: dict[str, str]) -> float:
    try:
        return max(float(row.get("frequency") or 0.0), 0.0)
    except ValueError:
        return 0.0


@lru_cache(maxsize=1)
def given_frequencies() -> dict[str, float]:
    """Share of people bearing each folded given-name word, both sexes, from ``given_names.csv``.

    Empty when the table is not shipped. A compound ("Santos Alberto") counts for each word.
    """
    rows = _read_table("given_names.csv")
    sexes = max(len({r.get("sex") for r in rows}), 1)
    out: dict[str, float] = {}
    for row in rows:
        for word in fold(row.get("name")).split():
            if word not in PARTICLES:
                out[word] = out.get(word, 0.0) + _share(row) / sexes
    return out


@lru_cache(maxsize=1)
def surname_frequencies() -> dict[str, float]:
    """Share of people bearing each folded surname, from ``surnames.csv`` (empty if absent).

    Keys are the full folded surname ("de la cruz") and, for a one-word core, that word ("cruz").
    """
    out: dict[str, float] = {}
    for row in _read_table("surnames.csv"):
        name = fold(row.get("name"))
        core = [w for w in name.split() if w not in PARTICLES]
        keys = {name, core[0]} if len(core) == 1 else {name}  # "San Juan" says nothing of "juan"
        for key in keys:
            out[key] = out.get(key, 0.0) + _share(row)
    return out


@lru_cache(maxsize=1)
def given_lexicon() -> frozenset[str]:
    """Folded words known as given names: the nickname table and ``given_names.csv`` if shipped."""
    words = set(nickname_table()) | set(given_frequencies())
    for name in formal_names():
        words.update(name.split())
    return frozenset(words - PARTICLES)


@lru_cache(maxsize=1)
def surname_lexicon() -> frozenset[str]:
    """Folded one-word surnames, from ``surnames.csv`` if shipped (else empty)."""
    return frozenset(w for w in surname_frequencies() if " " not in w)


#: a word this many times more common as one kind of name than the other counts as that kind
_KIND_RATIO = 5.0


def _kind(token: str) -> str:
    """G given only, S surname only, A both, I initial, P particle, C "y", U unknown."""
    if token in PARTICLES:
        return "P"
    if token == "y":
        return "C"
    if len(token) == 1 and token.isalpha():
        return "I"
    given, surname = token in given_lexicon(), token in surname_lexicon()
    if given and surname:
        as_given = given_frequencies().get(token, 0.0)
        as_surname = surname_frequencies().get(token, 0.0)
        if as_given and as_surname:
            if as_given > _KIND_RATIO * as_surname:
                return "G"
            if as_surname > _KIND_RATIO * as_given:
                return "S"
        return "A"
    return "G" if given else "S" if surname else "U"


# ---------------------------------------------------------------- tokens


def cell_str(value: object) -> str:
    """Text of a cell, "" for None/NaN/pd.NA.

    >>> cell_str(None), cell_str(float("nan")), cell_str(pd.NA), cell_str("Ana"), cell_str(12)
    ('', '', '', 'Ana', '12')
    """
    if is_missing(value):
        return ""
    return value if isinstance(value, str) else str(value)


def _extract_nickname(text: str) -> tuple[str, str]:
    """Split off a nickname in brackets, quotes or after "alias": (rest, folded nickname)."""
    found: list[str] = []
    legal_alias = _NICK_LEGAL.search(text)  # "Juan Tzoc (a) Chepe": (a) is "alias" in records
    if legal_alias:
        found.append(legal_alias.group(1))
        text = text[: legal_alias.start()]
    for pattern in (_NICK_BRACKETS, _NICK_QUOTES):
        found += [m.group(1) for m in pattern.finditer(text)]
        text = pattern.sub(" ", text)
    alias = _NICK_ALIAS.search(text)
    if alias:
        found.append(alias.group(1))
        text = text[: alias.start()]
    nicks = [fold(n) for n in found if fold(n)]
    return text, nicks[0] if nicks else ""


def _tokens(text: str) -> list[str]:
    """Folded words of ``text`` without titles and suffixes (:data:`NOISE_WORDS`)."""
    return [w for w in fold(text).split() if w not in NOISE_WORDS]


def _units(tokens: list[str]) -> list[tuple[str, bool]]:
    """Group surname words into units: particles join the next word, "y" between units goes.

    Each unit is (text, married) where ``married`` marks a unit after "viuda de"/"vda. de".
    """
    units: list[tuple[str, bool]] = []
    pending: list[str] = []
    widow = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok in WIDOW_WORDS
            and not pending
            and tokens[i + 1 : i + 2] == ["de"]
            and any(t not in PARTICLES for t in tokens[i + 2 :])
        ):
            widow = True
            i += 2
            continue
        # "viuda" not followed by a name says nothing; "y" between two surnames joins them
        says_nothing = tok in WIDOW_WORDS or (tok == "y" and units and not pending and not widow)
        if tok in PARTICLES:
            pending.append(tok)
        elif not says_nothing:
            units.append((" ".join([*pending, tok]), widow))
            pending, widow = [], False
        i += 1
    return units


def _assign(units: list[tuple[str, bool]]) -> tuple[list[str], str]:
    """Surnames and a married surname from surname units (married: "vda de X" or final "de X")."""
    married = ""
    names = []
    for text, widow in units:
        if widow and not married:
            married = text
        else:
            names.append(text)
    if len(names) >= 2 and _married_unit(names[-1]) and not _married_unit(names[-2]):
        husband = names.pop().split()[1]
        married = married or husband
    return names, married


def _married_unit(unit: str) -> bool:
    """Whether a surname unit reads as a husband's name: "de garcia" (not "de leon")."""
    words = unit.split()
    return len(words) == 2 and words[0] == "de" and words[1] not in DE_SURNAMES


def _tail_length(tokens: list[str], start: int, surnames_after: int = 0) -> int:
    """Length of a devotional tail ("de los angeles") starting at ``start``, else 0.

    ``surnames_after`` is how many surnames must follow it (none for the given names alone).
    """
    for size in range(_LONGEST_TAIL, 1, -1):
        tail = tuple(tokens[start : start + size])
        if tail in DEVOTIONAL_TAILS:
            needed = max(surnames_after, 2) if tail in SURNAME_TAILS and surnames_after else 0
            after = len(_units(tokens[start + size :]))
            return size if after >= max(needed, surnames_after) else 0
    return 0


def _given_run(tokens: list[str]) -> int:
    """How many leading tokens are given names, leaving at least one surname when possible."""
    i = 1
    while i < len(tokens):
        tail = _tail_length(tokens, i, 1) if tokens[i - 1] in DEVOTIONAL_HEADS else 0
        if tail:
            i += tail
            continue
        kind = _kind(tokens[i])
        left = len(_units(tokens[i + 1 :]))
        if (kind in "GI" and left >= 1) or (kind == "A" and left >= 2):
            i += 1
        else:
            break
    return i


def _is_given_run(tokens: list[str]) -> bool:
    """Whether ``tokens`` read as given names only (for surname-first names without a comma)."""
    if not tokens or _kind(tokens[0]) not in ("GI" if len(tokens) > 1 else "GIA"):
        return False
    i = 1
    while i < len(tokens):
        tail = _tail_length(tokens, i) if tokens[i - 1] in DEVOTIONAL_HEADS else 0
        if tail:
            i += tail
        elif _kind(tokens[i]) in "GIA":
            i += 1
        else:
            return False
    return True


def _split_fused(surname: str) -> tuple[str, str] | None:
    """Split a fused pair of known surnames ("garcialopez" -> garcia, lopez)."""
    known = surname_lexicon()
    if " " in surname or surname in known:
        return None
    for cut in range(3, len(surname) - 2):
        head, tail = surname[:cut], surname[cut:]
        if head in known and tail in known:
            return head, tail
    return None


# ---------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Parts:
    given: tuple[str, ...]
    surnames: tuple[str, ...]
    married: str
    confidence: float


def _trim_particles(given: list[str]) -> list[str]:
    """Given names without dangling particles at the end ("maria de")."""
    while given and given[-1] in PARTICLES:
        given = given[:-1]
    return list(given)


def _finish(given: list[str], surnames: list[str], married: str, conf: float) -> _Parts:
    """Common last steps: a maternal surname in the middle-name slot, fused surnames."""
    given = _trim_particles([g for g in given if g not in WIDOW_WORDS])
    if len(surnames) == 1 and len(given) >= 2 and _kind(given[0]) in "GA":
        kind = _kind(given[-1])
        if kind in "SU":
            surnames = [surnames[0], given.pop()]
            given = _trim_particles(given)
            conf *= 0.9 if kind == "S" else 0.7
    if len(surnames) == 1:
        fused = _split_fused(surnames[0])
        if fused:
            surnames = list(fused)
            conf *= 0.85
    if len(surnames) > 2:
        surnames = [surnames[0], " ".join(surnames[1:])]
        conf *= 0.6
    return _Parts(tuple(given), tuple(surnames), married, conf)


def _parse_surnames_given(surname_text: str, given_text: str, conf: float) -> _Parts:
    """Surnames and given names already apart (a comma, or parts columns)."""
    names, married = _assign(_units(_tokens(surname_text)))
    return _finish(_tokens(given_text), names, married, conf)


def _parse_words(tokens: list[str]) -> _Parts:
    """A name without a comma: decide the order, then split."""
    if not tokens:
        return _Parts((), (), "", 0.0)
    first, last = _kind(tokens[0]), _kind(tokens[-1])
    if first not in "GI" and last in "GIA" and not (first == "U" and last == "A"):
        for k in range(1, len(tokens)):
            if _is_given_run(tokens[k:]) and _units(tokens[:k]):
                names, married = _assign(_units(tokens[:k]))
                conf = 0.75 if first == "S" or last == "G" else 0.6
                return _finish(list(tokens[k:]), names, married, conf)
    while len(tokens) > 1 and tokens[0] in PARTICLES:
        tokens = tokens[1:]
    run = _given_run(tokens)
    given, rest = list(tokens[:run]), tokens[run:]
    names, married = _assign(_units(rest))
    conf = 0.9 if first == "G" else 0.75 if first in "AI" else 0.6
    if len(names) > 2 and _kind(names[0].split()[-1]) not in "SA":
        given += " ".join(names[:-2]).split()  # unknown middle words: more given names
        names = names[-2:]
        conf *= 0.6
    if not names:
        conf *= 0.5
    return _finish(given, names, married, conf)


def _parse_full(text: str) -> _Parts:
    comma = _COMMA.search(text)
    if comma:
        head, tail = text[: comma.start()], _COMMA.sub(" ", text[comma.end() :])
        return _parse_surnames_given(head, tail, 0.95 if head.strip() and tail.strip() else 0.5)
    return _parse_words(_tokens(text))


def _parse_parts(given: str, paternal: str, maternal: str) -> _Parts:
    """Parts columns, checked: a whole name in the given column, both surnames in one column."""
    if not fold(paternal) and not fold(maternal):
        if len(_tokens(given)) > 1 or _COMMA.search(given):
            whole = _parse_full(given)
            return _Parts(whole.given, whole.surnames, whole.married, whole.confidence * 0.8)
        return _Parts(tuple(_tokens(given)), (), "", 0.5 if given.strip() else 0.0)
    pat_units = _units(_tokens(paternal))
    mat_units = _units(_tokens(maternal))
    given_tokens = _tokens(given)
    conf = 1.0
    start = _find(given_tokens, [w for u, _ in pat_units for w in u.split()])
    if start:  # the whole name in the given column
        after = given_tokens[start + sum(len(u.split()) for u, _ in pat_units) :]
        given_tokens = given_tokens[:start]
        if after and not mat_units:
            mat_units = _units(after)
        conf = 0.9
    if len(pat_units) <= 1 or all(widow for _, widow in mat_units):
        names, married = _assign(pat_units + mat_units)
        if len(pat_units) > 1:
            conf *= 0.9  # both surnames in one column
    else:
        plain = [[u for u, widow in units if not widow] for units in (pat_units, mat_units)]
        names = [" ".join(words) for words in plain if words]
        married = next((u for u, widow in pat_units + mat_units if widow), "")
        conf *= 0.8
    if not given_tokens:
        conf *= 0.5
    return _finish(given_tokens, names, married, conf)


def _find(tokens: list[str], words: list[str]) -> int:
    """First index >= 1 where ``words`` occur in ``tokens``, else 0."""
    for i in range(1, len(tokens) - len(words) + 1):
        if words and tokens[i : i + len(words)] == words:
            return i
    return 0


def _display(*values: str) -> str:
    return " ".join(v.strip() for v in values if v and v.strip())


@lru_cache(maxsize=262144)
def _parse_cached(full: str, given: str, paternal: str, maternal: str) -> ParsedName:
    full, nick_full = _extract_nickname(full)
    given, nick_given = _extract_nickname(given)
    nickname = nick_full or nick_given
    parts_result = (
        _parse_parts(given, paternal, maternal) if given or paternal or maternal else None
    )
    full_result = _parse_full(full) if full.strip() else None
    result = parts_result or full_result or _Parts((), (), "", 0.0)
    if parts_result and full_result:
        if not parts_result.given or not parts_result.surnames:
            result = full_result
        elif set(full_result.given) | set(full_result.surnames) == set(parts_result.given) | set(
            parts_result.surnames
        ):
            result = _Parts(
                parts_result.given,
                parts_result.surnames,
                parts_result.married or full_result.married,
                min(1.0, parts_result.confidence + 0.1),
            )
    surnames = (*result.surnames, "", "")
    return ParsedName(
        given=" ".join(result.given),
        paternal=surnames[0],
        maternal=surnames[1],
        confidence=round(result.confidence, 3) if result.given or result.surnames else 0.0,
        original=_display(full, given, paternal, maternal) or _display(nickname),
        nickname=nickname,
        married=result.married,
    )


def parse(
    full_name: object = None,
    given_names: object = None,
    paternal_surname: object = None,
    maternal_surname: object = None,
) -> ParsedName:
    """Parse a name given whole, in parts, or both (parts are checked against each other).

    Any value may be missing (None, NaN, pd.NA) or not a string; nothing raises. ``confidence``
    is high for a comma or parts columns that agree, lower when the order had to be guessed,
    words were moved between slots, or extra words were folded into the given names; 0 for no name.

    >>> p = parse("MARIA LOPEZ-GARCIA")
    >>> (p.given, p.paternal, p.maternal)
    ('maria', 'lopez', 'garcia')
    >>> p = parse("GARCIA MARIA JOSE")
    >>> (p.given, p.paternal, p.maternal)
    ('maria jose', 'garcia', '')
    >>> p = parse(given_names="MARIA GARCIA LOPEZ", paternal_surname="GARCIA")
    >>> (p.given, p.paternal, p.maternal)
    ('maria', 'garcia', 'lopez')
    """
    return _parse_cached(
        cell_str(full_name),
        cell_str(given_names),
        cell_str(paternal_surname),
        cell_str(maternal_surname),
    )


@lru_cache(maxsize=262144)
def canonical_name(text: object) -> str:
    """A whole name folded and cleaned, order kept: no titles, suffixes or bracketed nicknames.

    >>> canonical_name("José Luis GARCÍA (Pepe), Jr.")
    'jose luis garcia'
    >>> canonical_name(float("nan"))
    ''
    """
    rest, _ = _extract_nickname(cell_str(text))
    return " ".join(_tokens(rest))


@lru_cache(maxsize=65536)
def surname_core(surname: str) -> str:
    """A canonical surname without particles, for keys: "de la cruz" -> "cruz"."""
    words = [w for w in surname.split() if w not in PARTICLES]
    return " ".join(words) if words else surname


# ---------------------------------------------------------------- frames

#: columns :func:`normalize_frame` produces, in order
FRAME_COLUMNS: tuple[str, ...] = (
    "given",
    "given1",
    "paternal",
    "maternal",
    "name_confidence",
    "given1_key",
    "paternal_key",
    "maternal_key",
    "nickname",
    "married_surname",
    "name_tf",
)


def _row(parsed: ParsedName) -> tuple[object, ...]:
    given1 = parsed.given1
    formal1 = representative_form(given1) if given1 else ""
    values = (
        parsed.given,
        given1,
        parsed.paternal,
        parsed.maternal,
        parsed.confidence,
        phonetic_key(formal1),
        phonetic_key(surname_core(parsed.paternal)),
        phonetic_key(surname_core(parsed.maternal)),
        parsed.nickname,
        parsed.married,
        f"{formal1} {parsed.paternal}" if formal1 and parsed.paternal else "",
    )
    return tuple(None if v == "" else v for v in values)


def normalize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Name columns for every row of ``df`` (same index), parsing each distinct raw tuple once.

    Reads whichever of ``full_name``, ``given_names``, ``paternal_surname``, ``maternal_surname``
    exist; produces :data:`FRAME_COLUMNS`, missing values as None.

    >>> raw = pd.DataFrame({"full_name": ["GARCIA LOPEZ, MARIA", None]})
    >>> normalize_frame(raw).loc[0, ["given", "paternal", "maternal", "name_tf"]].tolist()
    ['maria', 'garcia', 'lopez', 'maria garcia']
    """
    names = ("full_name", "given_names", "paternal_surname", "maternal_surname")
    absent = pd.Series(None, index=df.index, dtype=object)
    columns = [df[c] if c in df.columns else absent for c in names]
    codes, rows = per_distinct(columns, lambda *values: _row(parse(*values)))
    out = pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS)) if rows else None
    if out is None:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in FRAME_COLUMNS})
    out = out.iloc[codes].set_index(df.index)
    out["name_confidence"] = out["name_confidence"].astype(float)
    return out.astype({c: object for c in FRAME_COLUMNS if c != "name_confidence"})
