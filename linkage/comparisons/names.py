"""Name comparison: ordered levels that know Spanish naming, nicknames and Mayan spellings.

Reads the columns of :func:`normalizers.names.normalize_frame` for both records of a pair and puts
the pair in the strongest level it meets, from the exact full name down to ``else``. Given names
agree "up to nicknames" when some formal form of each side matches (Chepe = José, William =
Guillermo); one side may carry fewer given names (José Luis / Luis). Before comparing, a maternal
surname typed into the middle-name slot on one side is put back, and fused or hyphenated surnames
("GARCIALOPEZ") are read against both surnames of the other side.

>>> import pandas as pd
>>> from normalizers.names import normalize_frame
>>> left = normalize_frame(pd.DataFrame({"full_name": ["GARCIA LOPEZ, JOSE", "COC, JUAN"]}))
>>> right = normalize_frame(pd.DataFrame({"full_name": ["Chepe García", "Juan Cuc"]}))
>>> cmp = NameComparison()
>>> [cmp.levels[i].name for i in cmp.levels_of(pair_frame(left, right, cmp.columns))]
['maternal_missing', 'phonetic']
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler

from linkage.compare import MISSING, Comparison, Level
from normalizers.names import PARTICLES, surname_core
from normalizers.nicknames import given_name_forms
from normalizers.phonetic import phonetic_key
from normalizers.resources import data_path
from normalizers.text import fold

#: Jaro-Winkler similarity at or above which two given names / surnames count as typos of each other
GIVEN_JW = 0.88
SURNAME_JW = 0.90
MATERNAL_JW = 0.85
#: weight of the shipped prior, in records, when blending it with the data's own frequencies
PRIOR_WEIGHT = 1000.0

LEVELS: tuple[Level, ...] = (
    Level(
        "exact_full_name",
        "Nombre completo idéntico",
        "Identical full name",
        tf=True,
    ),
    Level(
        "given_and_both_surnames",
        "Mismos nombres y ambos apellidos (sin contar acentos ni apodos)",
        "Same given names and both surnames (accents and nicknames aside)",
        tf=True,
    ),
    Level(
        "surnames_swapped",
        "Mismos nombres; los apellidos están en otro orden",
        "Same given names; surnames in the other order",
        tf=True,
    ),
    Level(
        "maternal_missing",
        "Mismo nombre y primer apellido; falta el segundo apellido en un registro",
        "Same given name and first surname; one record lacks the second surname",
        tf=True,
    ),
    Level(
        "married_surname",
        "Mismo nombre; un apellido es el de casada del otro registro",
        "Same given name; a surname is the other record's married name",
    ),
    Level(
        "given_and_paternal",
        "Solo coinciden el primer nombre y el primer apellido",
        "Only the first given name and the first surname agree",
        tf=True,
    ),
    Level(
        "fuzzy",
        "Nombre y apellidos casi iguales (posibles errores de escritura)",
        "Given name and surnames nearly equal (likely typing errors)",
    ),
    Level(
        "phonetic",
        "Nombre y apellidos suenan igual pero se escriben distinto",
        "Given name and surnames sound alike but are spelled differently",
    ),
    Level(
        "initials",
        "Solo la inicial del nombre y el apellido coinciden",
        "Only the initial of the given name and the surname agree",
    ),
    Level("else", "Nombres distintos", "Different names"),
)


@dataclass(frozen=True)
class _Side:
    given: tuple[str, ...]
    paternal: str
    maternal: str
    nickname: str
    married: str

    @property
    def surnames(self) -> tuple[str, ...]:
        return tuple(s for s in (self.paternal, self.maternal) if s)


def _text(value: object) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return fold(value)


def _compact(surname: str) -> str:
    return surname.replace(" ", "")


def _same_surname(a: str, b: str) -> bool:
    """Equal surnames, up to particles and spacing ("de la cruz" = "cruz" = "delacruz")."""
    if not a or not b:
        return False
    return a == b or _compact(a) == _compact(b) or surname_core(a) == surname_core(b)


@lru_cache(maxsize=65536)
def _variants(given: tuple[str, ...], nickname: str) -> frozenset[tuple[str, ...]]:
    """Every reading of the given names with nicknames replaced by formal names, particles out."""
    words = [w for w in given if w not in PARTICLES][:4]
    options = [sorted({tuple(f.split()) for f in given_name_forms(w)}) for w in words]
    out: set[tuple[str, ...]] = set()
    for combo in product(*options):
        flat = tuple(w for part in combo for w in part if w not in PARTICLES)
        out.add(flat)
        if len(out) >= 64:
            break
    for form in given_name_forms(" ".join(words)) | given_name_forms(nickname):
        out.add(tuple(w for w in form.split() if w not in PARTICLES))
    return frozenset(v for v in out if v)


def _word_match(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` appears in order within ``long`` (initials after the first match)."""
    pos = 0
    for i, word in enumerate(short):
        while pos < len(long) and not (
            word == long[pos] or (i > 0 and _word_match(word, long[pos]))
        ):
            pos += 1
        if pos == len(long):
            return False
        pos += 1
    return True


def _given_agreement(a: _Side, b: _Side) -> str:
    """ "same", "compatible" (one side's names within the other's), "first" or ""."""
    va, vb = _variants(a.given, a.nickname), _variants(b.given, b.nickname)
    if va & vb:
        return "same"
    for x, y in product(va, vb):
        short, long = (x, y) if len(x) <= len(y) else (y, x)
        if _subsequence(short, long) and len(short[0]) > 1:
            return "compatible"
    if any(x[0] == y[0] and len(x[0]) > 1 for x, y in product(va, vb)):
        return "first"
    return ""


def _reconcile(a: _Side, b: _Side) -> _Side:
    """Put ``a`` in ``b``'s shape where only the slots differ.

    A maternal surname in ``a``'s middle-name slot moves back; a "maternal" that is one of
    ``b``'s given names moves to the given names; a fused surname splits as ``b``'s two.
    """
    if (
        not a.maternal
        and len(a.given) >= 2
        and _same_surname(a.given[-1], b.maternal)
        and a.given[-1] not in b.given
    ):
        a = _Side(a.given[:-1], a.paternal, a.given[-1], a.nickname, a.married)
    if a.maternal and a.maternal in b.given[1:] and a.maternal not in b.surnames:
        a = _Side((*a.given, a.maternal), a.paternal, "", a.nickname, a.married)
    if not a.maternal and b.maternal and _compact(a.paternal) == _compact(b.paternal + b.maternal):
        a = _Side(a.given, b.paternal, b.maternal, a.nickname, a.married)
    return a


def _jw(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b) if a and b else 0.0


def _best_jw(a: _Side, b: _Side) -> float:
    firsts_a = {v[0] for v in _variants(a.given, a.nickname)}
    firsts_b = {v[0] for v in _variants(b.given, b.nickname)}
    return max((_jw(x, y) for x, y in product(firsts_a, firsts_b)), default=0.0)


def _keys(side: _Side) -> frozenset[str]:
    return frozenset(phonetic_key(v[0]) for v in _variants(side.given, side.nickname))


def _surnames_close(a: _Side, b: _Side, same, threshold_p: float, threshold_m: float) -> bool:
    if not same(a.paternal, b.paternal, threshold_p):
        return False
    if a.maternal and b.maternal:
        return same(a.maternal, b.maternal, threshold_m)
    return True


def _jw_same(x: str, y: str, threshold: float) -> bool:
    return _same_surname(x, y) or _jw(surname_core(x), surname_core(y)) >= threshold


def _key_same(x: str, y: str, _threshold: float) -> bool:
    return _same_surname(x, y) or phonetic_key(surname_core(x)) == phonetic_key(surname_core(y))


@lru_cache(maxsize=262144)
def compare_names(left: _Side, right: _Side) -> int:
    """Level index of a pair of parsed names (see :data:`LEVELS`)."""
    if not (left.given and left.paternal and right.given and right.paternal):
        return MISSING
    if left.given == right.given and left.surnames == right.surnames:
        return 0
    left, right = _reconcile(left, right), _reconcile(right, left)
    given = _given_agreement(left, right)
    compatible = given in ("same", "compatible")
    pat = _same_surname(left.paternal, right.paternal)
    both_maternal = bool(left.maternal and right.maternal)
    mat = _same_surname(left.maternal, right.maternal)
    if compatible and pat and both_maternal and mat:
        return 1
    if compatible and (
        (both_maternal and _same_surname(left.paternal, right.maternal))
        and _same_surname(left.maternal, right.paternal)
        or (not left.maternal and _same_surname(left.paternal, right.maternal))
        or (not right.maternal and _same_surname(right.paternal, left.maternal))
    ):
        return 2
    if compatible and pat and (not both_maternal or _initial_of(left.maternal, right.maternal)):
        return 3
    if compatible and any(
        _same_surname(s, m)
        for s, m in [(s, right.married) for s in left.surnames]
        + [(s, left.married) for s in right.surnames]
    ):
        return 4
    if given and pat:
        return 5
    if (given or _best_jw(left, right) >= GIVEN_JW) and _surnames_close(
        left, right, _jw_same, SURNAME_JW, MATERNAL_JW
    ):
        return 6
    if (given or _keys(left) & _keys(right)) and _surnames_close(left, right, _key_same, 0.0, 0.0):
        return 7
    if (
        (len(left.given[0]) == 1 or len(right.given[0]) == 1)
        and left.given[0][0] == right.given[0][0]
        and _key_same(left.paternal, right.paternal, 0.0)
    ):
        return 8
    return len(LEVELS) - 1


def _initial_of(a: str, b: str) -> bool:
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _side(given: object, paternal: object, maternal: object, nickname: object, married: object):
    return _Side(
        tuple(_text(given).split()),
        _text(paternal),
        _text(maternal),
        _text(nickname),
        _text(married),
    )


# ---------------------------------------------------------------- term frequencies


def _read_table(filename: str) -> list[dict[str, str]]:
    try:
        path = data_path("names", filename)
    except FileNotFoundError:
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def given_prior() -> dict[str, float]:
    """Share of people whose first given name is each folded name (both sexes), if shipped."""
    shares: dict[str, float] = {}
    sexes = set()
    for row in _read_table("given_names.csv"):
        words = fold(row.get("name")).split()
        try:
            freq = float(row.get("frequency") or 0)
        except ValueError:
            continue
        if words and freq > 0:
            sexes.add(row.get("sex"))
            shares[words[0]] = shares.get(words[0], 0.0) + freq
    return {k: v / max(len(sexes), 1) for k, v in shares.items()}


@lru_cache(maxsize=1)
def surname_prior() -> dict[str, float]:
    """Share of people carrying each folded surname, if shipped."""
    out: dict[str, float] = {}
    for row in _read_table("surnames.csv"):
        name = fold(row.get("name"))
        try:
            freq = float(row.get("frequency") or 0)
        except ValueError:
            continue
        if name and freq > 0:
            out[name] = out.get(name, 0.0) + freq
    return out


def prior_frequency(value: str) -> float | None:
    """Prior frequency of a ``name_tf`` value ("jose lopez"), or None without prior tables.

    Given name and surname are taken as independent; a name missing from a table counts as
    common as the table's rarest entry.
    """
    given, surnames = given_prior(), surname_prior()
    if not given or not surnames:
        return None
    first, _, paternal = value.partition(" ")
    pg = given.get(first, min(given.values()))
    ps = surnames.get(paternal, surnames.get(surname_core(paternal), min(surnames.values())))
    return pg * ps


class NameComparison(Comparison):
    """Ordered name levels (see :data:`LEVELS`); term frequencies of given name + surname."""

    name = "name"
    columns = ("given", "paternal", "maternal", "nickname", "married_surname")
    levels = LEVELS
    tf_column = "name_tf"

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        cols = [pairs[f"{c}_{s}"].tolist() for s in ("l", "r") for c in self.columns]
        out = np.empty(len(pairs), dtype=np.int8)
        width = len(self.columns)
        for i, row in enumerate(zip(*cols, strict=True)):
            out[i] = compare_names(_side(*row[:width]), _side(*row[width:]))
        return out

    def term_frequencies(self, values: pd.Series) -> pd.Series:
        """The data's frequencies blended with the prior tables, ``PRIOR_WEIGHT`` records strong.

        ``f = (count + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)``, so a small file leans on the
        prior (José López is common even if it appears once) and a large one on itself.
        """
        counts = values.dropna().value_counts()
        if counts.empty:
            return counts.astype(float)
        n = float(counts.sum())
        priors = [prior_frequency(str(v)) for v in counts.index]
        if any(p is None for p in priors):
            return counts / n
        blended = (counts.to_numpy() + PRIOR_WEIGHT * np.asarray(priors)) / (n + PRIOR_WEIGHT)
        return pd.Series(blended, index=counts.index, name=counts.name)


def pair_frame(left: pd.DataFrame, right: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Row-aligned pairs of two normalized frames, as ``<col>_l`` / ``<col>_r`` columns."""
    data = {}
    for c in columns:
        data[f"{c}_l"] = left[c].to_numpy()
        data[f"{c}_r"] = right[c].to_numpy()
    return pd.DataFrame(data)
