"""Name comparison: ordered levels that know Spanish naming, nicknames and Mayan spellings.

Reads the columns of :func:`normalizers.names.normalize_frame` for both records of a pair and puts
the pair in the strongest level it meets, from the exact full name down to ``else``. Given names
agree "up to nicknames" when some formal form of each side matches (Chepe = José, William =
Guillermo); one side may carry fewer given names (José Luis / Luis). Before comparing, a maternal
surname typed into the middle-name slot on one side is put back, and fused or hyphenated surnames
("GARCIALOPEZ") are read against both surnames of the other side.

>>> import pandas as pd
>>> from linkage.comparisons.run import pair_frame
>>> from normalizers.names import normalize_frame
>>> left = normalize_frame(pd.DataFrame({"full_name": ["GARCIA LOPEZ, JOSE", "COC, JUAN"]}))
>>> right = normalize_frame(pd.DataFrame({"full_name": ["Chepe García", "Juan Cuc"]}))
>>> cmp = NameComparison()
>>> [cmp.levels[i].name for i in cmp.levels_of(pair_frame(left, right, cmp.columns))]
['maternal_missing', 'phonetic']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler

from linkage.comparisons.arrays import Sets, any_close, share, share_member
from linkage.comparisons.base import MISSING, Comparison, Level
from linkage.comparisons.run import distinct_rows
from normalizers.names import (
    PARTICLES,
    cell_str,
    given_frequencies,
    surname_core,
    surname_frequencies,
)
from normalizers.nicknames import given_name_forms, representative_form
from normalizers.phonetic import phonetic_key
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
        "Mismos nombres y apellidos (sin contar acentos ni apodos)",
        "Same given names and surnames (accents and nicknames aside)",
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
        "parts_crossed",
        "Mismo nombre, pero nombres y apellidos anotados en las casillas contrarias",
        "Same name, but given names and surnames written in each other's places",
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
    return fold(cell_str(value))


def _compact(surname: str) -> str:
    return surname.replace(" ", "")


@lru_cache(maxsize=262144)
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


def _surnames_close(a: _Side, b: _Side, near: Callable[[str, str, bool], bool]) -> bool:
    """Paternal surnames near, and maternal ones too when both sides have one.

    ``near(x, y, maternal)`` says whether two surnames are near enough.
    """
    if not near(a.paternal, b.paternal, False):
        return False
    return near(a.maternal, b.maternal, True) if a.maternal and b.maternal else True


@lru_cache(maxsize=262144)
def _jw_same(x: str, y: str, threshold: float) -> bool:
    """Same surname, or Jaro-Winkler of their cores at least ``threshold``."""
    return _same_surname(x, y) or _jw(surname_core(x), surname_core(y)) >= threshold


@lru_cache(maxsize=262144)
def _key_same(x: str, y: str) -> bool:
    """Same surname, or the same phonetic key of their cores."""
    return _same_surname(x, y) or phonetic_key(surname_core(x)) == phonetic_key(surname_core(y))


_LEVEL = {level.name: index for index, level in enumerate(LEVELS)}


#: levels that, reached with one side's given names and surnames exchanged, make "parts_crossed"
_CROSSED_ENOUGH = frozenset(
    _LEVEL[n]
    for n in ("exact_full_name", "given_and_both_surnames", "surnames_swapped", "maternal_missing")
)


def _crossed(side: _Side) -> _Side:
    """``side`` with its given names and surnames exchanged ("GAWTHROP CATHERINE" as typed in
    the wrong boxes): surnames become the given names, given names the two surnames."""
    given = tuple(w for s in side.surnames for w in s.split())
    return _Side(given, side.given[0], " ".join(side.given[1:2]), side.nickname, side.married)


@lru_cache(maxsize=262144)
def _compare(left: _Side, right: _Side) -> int:
    """Level index of a pair of parsed names (see :data:`LEVELS`)."""
    if not (left.given and left.paternal and right.given and right.paternal):
        return MISSING
    level = _compare_slots(left, right)
    if level < _LEVEL["given_and_paternal"]:
        return level
    if _given_forms(right) & _link_forms(left)[0] and (
        _compare_slots(left, _crossed(right)) in _CROSSED_ENOUGH
    ):
        return _LEVEL["parts_crossed"]
    if _given_forms(left) & _link_forms(right)[0] and (
        _compare_slots(_crossed(left), right) in _CROSSED_ENOUGH
    ):
        return _LEVEL["parts_crossed"]
    return level


def _compare_slots(left: _Side, right: _Side) -> int:
    """Level index of two names taken slot by slot as parsed."""
    if not _surname_link(left, right):
        return _LEVEL["else"]
    left, right = _reconcile(left, right), _reconcile(right, left)
    same_surnames = _compact(" ".join(left.surnames)) == _compact(" ".join(right.surnames))
    if left.given == right.given and same_surnames:
        return _LEVEL["exact_full_name"]
    given = _given_agreement(left, right)
    compatible = given in ("same", "compatible")
    pat = _same_surname(left.paternal, right.paternal)
    both_maternal = bool(left.maternal and right.maternal)
    mat = _same_surname(left.maternal, right.maternal)
    # where neither record has a second surname, the same given names (up to nicknames: Mary =
    # María) and the one surname is all the agreement there can be: it outranks a look-alike
    # given name (Mayra) that the fuzzy level would take
    only_one = not left.maternal and not right.maternal
    if compatible and pat and (mat if both_maternal else only_one and given == "same"):
        return _LEVEL["given_and_both_surnames"]
    crossed = both_maternal and (
        _same_surname(left.paternal, right.maternal)
        and _same_surname(left.maternal, right.paternal)
    )
    only_maternal = (not left.maternal and _same_surname(left.paternal, right.maternal)) or (
        not right.maternal and _same_surname(right.paternal, left.maternal)
    )
    if compatible and (crossed or only_maternal):
        return _LEVEL["surnames_swapped"]
    if compatible and pat and (not both_maternal or _initial_of(left.maternal, right.maternal)):
        return _LEVEL["maternal_missing"]
    husbands = [(s, right.married) for s in left.surnames] + [
        (s, left.married) for s in right.surnames
    ]
    if compatible and any(_same_surname(s, m) for s, m in husbands):
        return _LEVEL["married_surname"]
    near_maternal = (
        both_maternal
        and not mat
        and (
            _key_same(left.maternal, right.maternal)
            or _jw_same(left.maternal, right.maternal, MATERNAL_JW)
        )
    )
    if given and pat and not near_maternal:  # a maternal typo goes on to the fuzzy levels
        return _LEVEL["given_and_paternal"]
    if (given or _best_jw(left, right) >= GIVEN_JW) and _surnames_close(
        left, right, lambda x, y, m: _jw_same(x, y, MATERNAL_JW if m else SURNAME_JW)
    ):
        return _LEVEL["fuzzy"]
    if (given or _keys(left) & _keys(right)) and _surnames_close(
        left, right, lambda x, y, _m: _key_same(x, y)
    ):
        return _LEVEL["phonetic"]
    initial = len(left.given[0]) == 1 or len(right.given[0]) == 1
    same_initial = left.given[0][0] == right.given[0][0]
    if initial and same_initial and _key_same(left.paternal, right.paternal):
        return _LEVEL["initials"]
    return _LEVEL["else"]


def _surname_link(a: _Side, b: _Side) -> bool:
    """Whether any surname of one side is near any surname of the other (every level but
    ``else`` needs one); a fused surname counts as near the other side's pair."""
    keys_a, cores_a = _link_forms(a)
    keys_b, cores_b = _link_forms(b)
    if keys_a & keys_b:
        return True
    threshold = min(SURNAME_JW, MATERNAL_JW)
    return any(_jw(x, y) >= threshold for x in cores_a for y in cores_b)


@lru_cache(maxsize=262144)
def _link_forms(side: _Side) -> tuple[frozenset[str], tuple[str, ...]]:
    """What :func:`_surname_link` compares, once per side: the surnames' equality keys (their
    spacing-free forms and the phonetic keys of their cores) and their cores."""
    names = {n for n in (*side.surnames, side.married, _compact(" ".join(side.surnames))) if n}
    cores = tuple(sorted({surname_core(n) for n in names}))
    keys = {"=" + _compact(n) for n in names} | {"~" + phonetic_key(c) for c in cores if c}
    return frozenset(keys), cores


@lru_cache(maxsize=262144)
def _given_forms(side: _Side) -> frozenset[str]:
    """Phonetic keys of a side's given names, to tell cheaply whether a crossed reading can
    link them to the other side's surnames."""
    return frozenset("~" + phonetic_key(w) for w in side.given if len(w) > 1)


def _initial_of(a: str, b: str) -> bool:
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


@lru_cache(maxsize=262144)
def _side(
    given: object, paternal: object, maternal: object, nickname: object, married: object
) -> _Side:
    paternal, married = _text(paternal), _text(married)
    return _Side(  # a widow known only by her husband's name ("Rosa vda. de García")
        tuple(_text(given).split()),
        paternal or married,
        _text(maternal),
        _text(nickname),
        married,
    )


# ---------------------------------------------------------------- arrays of distinct pairs


def _distinct_sides(
    pairs: pd.DataFrame, suffix: str, columns: tuple[str, ...]
) -> tuple[np.ndarray, list[_Side]]:
    """Each row's code among the distinct names of one side, and those names parsed."""
    frame = pairs[[f"{c}_{suffix}" for c in columns]]
    code, first = distinct_rows(frame, list(frame.columns))
    rows = frame.iloc[first].itertuples(index=False, name=None)
    return code, [_side(*row) for row in rows]


def _unlinked(left: list[_Side], right: list[_Side], lc: np.ndarray, rc: np.ndarray) -> np.ndarray:
    """Pairs of complete names that :func:`_compare` puts in ``else`` without a ladder: no
    surname of one side near one of the other (:func:`_surname_link`), and no given name of one
    side sounding like a surname of the other (the test before a crossed reading)."""
    keys: dict[str, int] = {}
    link_l = Sets([_link_forms(s)[0] for s in left], keys)
    link_r = Sets([_link_forms(s)[0] for s in right], keys)
    given_l = Sets([_given_forms(s) for s in left], keys)
    given_r = Sets([_given_forms(s) for s in right], keys)
    size = max(len(keys), 1)
    linked = share(link_l, link_r, lc, rc, size)
    linked |= share(given_r, link_l, rc, lc, size)
    linked |= share(given_l, link_r, lc, rc, size)
    words: dict[str, int] = {}
    cores_l = Sets([[c for c in _link_forms(s)[1] if c] for s in left], words)
    cores_r = Sets([[c for c in _link_forms(s)[1] if c] for s in right], words)
    rest = np.flatnonzero(~linked)
    threshold = min(SURNAME_JW, MATERNAL_JW)
    linked[rest] = any_close(cores_l, cores_r, list(words), lc[rest], rc[rest], threshold)
    return ~linked


# ---------------------------------------------------------------- term frequencies


def prior_frequency(value: str) -> float | None:
    """Prior frequency of a ``name_tf`` value ("jose lopez"), or None without prior tables.

    Given name and surname are taken as independent; a name missing from a table counts as
    common as the table's rarest entry.
    """
    given, surnames = given_frequencies(), surname_frequencies()
    if not given or not surnames:
        return None
    first, _, paternal = value.partition(" ")
    pg = given.get(first, min(given.values()))
    ps = surnames.get(paternal, surnames.get(surname_core(paternal), min(surnames.values())))
    return pg * ps


def _given_keys(given: object, paternal: object) -> set[str]:
    """``name_tf`` keys of each given name with the paternal surname ("jose lopez", "elmer
    lopez"), given names in their formal form as ``name_tf`` writes them."""
    if not isinstance(given, str) or not isinstance(paternal, str):
        return set()
    return {f"{representative_form(g)} {paternal}" for g in given.split() if len(g) > 1}


def _both_differ(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether both values are strings and they differ, for every pair (one test per distinct
    value)."""
    codes, uniques = pd.factorize(np.concatenate([left, right]).astype(object))
    is_str = np.array([isinstance(v, str) for v in uniques] + [False], dtype=bool)
    code_l, code_r = codes[: len(left)], codes[len(left) :]
    return is_str[code_l] & is_str[code_r] & (code_l != code_r)


def _key_sets(
    given: np.ndarray, paternal: np.ndarray, keys: dict[str, int]
) -> tuple[np.ndarray, Sets]:
    """Each row's code among the distinct (given, paternal) of one side, and the
    :func:`_given_keys` of each distinct one as :class:`Sets` over ``keys``."""
    frame = pd.DataFrame({"given": given, "paternal": paternal}, dtype=object)
    code, first = distinct_rows(frame, ["given", "paternal"])
    sets = [_given_keys(given[i], paternal[i]) for i in first]
    return code, Sets(sets, keys)


class NameComparison(Comparison):
    """Ordered name levels (see :data:`LEVELS`); term frequencies of given name + surname."""

    name = "name"
    columns = ("given", "paternal", "maternal", "nickname", "married_surname")
    levels = LEVELS
    tf_column = "name_tf"
    tf_extra_columns = ("given", "paternal")

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        """Levels of every row: missing and unrelated names (no surname or crossed-slot link,
        see :func:`_unlinked`) decided on arrays, the ladder of :func:`_compare` run on the rest.
        """
        left_code, left = _distinct_sides(pairs, "l", self.columns)
        right_code, right = _distinct_sides(pairs, "r", self.columns)
        complete_l = np.array([bool(s.given and s.paternal) for s in left], dtype=bool)
        complete_r = np.array([bool(s.given and s.paternal) for s in right], dtype=bool)
        out = np.full(len(pairs), MISSING, dtype=np.int8)
        complete = complete_l[left_code] & complete_r[right_code]
        rows = np.flatnonzero(complete)
        unlinked = _unlinked(left, right, left_code[rows], right_code[rows])
        out[rows[unlinked]] = _LEVEL["else"]
        for i in rows[~unlinked]:
            out[i] = _compare(left[left_code[i]], right[right_code[i]])
        return out

    def pair_frequencies(
        self, left: dict[str, np.ndarray], right: dict[str, np.ndarray], table: dict[str, float]
    ) -> np.ndarray:
        """Frequency of the given name + paternal surname the pair agreed on.

        Where the two sides' first given names differ but they share another given name
        ("JOSE ELMER" and "Elmer"), that shared name is the one agreed on: "elmer lopez" is rarer
        than "jose lopez" and weighs more. A shared name no record has first counts as rare as
        the rarest in ``table``. Elsewhere, the larger of the two sides' frequencies.
        """
        freq = super().pair_frequencies(left, right, table)
        rows = np.flatnonzero(_both_differ(left["name_tf"], right["name_tf"]))
        if len(rows) == 0:
            return freq
        keys: dict[str, int] = {}
        code_l, sets_l = _key_sets(left["given"][rows], left["paternal"][rows], keys)
        code_r, sets_r = _key_sets(right["given"][rows], right["paternal"][rows], keys)
        # one answer per distinct pair of sides, the freq of its first row where none is shared
        groups, first, back = np.unique(
            code_l * len(sets_r.start) + code_r, return_index=True, return_inverse=True
        )
        rarest = min(table.values(), default=np.nan)
        key_freq = np.array([table.get(k, rarest) for k in keys], dtype=float)
        shared = np.full(len(groups), np.inf)
        which, member = sets_l.explode(code_l[first])
        found = share_member(sets_r, code_r[first][which], member, len(keys))
        np.minimum.at(shared, which[found], key_freq[member[found]])
        value = np.where(np.isinf(shared), freq[rows[first]], shared)
        freq[rows] = value[back.reshape(-1)]
        return freq

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
