"""Resolve written places to country, department and municipality codes.

A place arrives as separate parts (country, department, municipality, community) or as one free
text (``place``), typed by clerks or said by relatives: misspelt, without accents, with type words
("aldea", "municipio de", "depto."), English country names and nicknames ("Xela", "Tegus", "SPS",
"DF"). :func:`resolve` reads them all and returns the codes of the gazetteer
(:mod:`normalizers.gazetteer`), a confidence, and whether the municipality stayed ambiguous.

>>> m = resolve(place="ALDEA SAN JOSE, HUEHUETENANGO, GUATE")
>>> (m.country, m.department_code, m.municipality_code, m.community)
('GT', 'GT13', None, 'san jose')
>>> m = resolve(municipality="Xela")
>>> (m.municipality_code, m.department_code, m.country, round(m.lat, 2))
('GT0901', 'GT09', 'GT', 14.83)
>>> m = resolve(country="Honduras", municipality="Concepcion")
>>> (m.municipality_code, m.ambiguous, len(m.alternatives) > 1)
(None, True, True)
>>> resolve(department="copan", municipality="concepcion").municipality_code
'HN0403'
>>> municipality_name("GT0901"), department_name("GT17")
('Quetzaltenango', 'Petén')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pandas as pd

from normalizers import gazetteer as gz
from normalizers.distinct import per_distinct
from normalizers.gazetteer import Entry, name_key
from normalizers.text import fold

#: normalized columns this module produces (linkage.schema.NORMALIZED_COLUMNS["places"])
COLUMNS: tuple[str, ...] = (
    "country",
    "department_code",
    "municipality_code",
    "community",
    "lat",
    "lon",
    "place_confidence",
)
#: raw columns this module reads
INPUTS: tuple[str, ...] = ("country", "department", "municipality", "community", "place")

_COMMUNITY_WORDS = (
    "aldea",
    "ald",
    "caserio",
    "cas",
    "canton",
    "cant",
    "colonia",
    "col",
    "barrio",
    "bo",
    "bario",
    "lotificacion",
    "lot",
    "residencial",
    "res",
    "residenciales",
    "condominio",
    "asentamiento",
    "comunidad",
    "comarca",
    "ejido",
    "finca",
    "parcelamiento",
    "paraje",
    "poblado",
    "lugar poblado",
    "localidad",
    "sector",
    "sitio",
    "fraccionamiento",
    "fracc",
    "rancheria",
    "reparto",
    "urbanizacion",
    "urb",
)
_MUNICIPALITY_WORDS = (
    "municipio de",
    "municipio",
    "municipalidad de",
    "mun",
    "mpio",
    "mpo",
    "muni",
    "distrito de",
    "delegacion",
    "alcaldia",
    "ciudad de",
    "ciudad",
    "cabecera municipal de",
    "cabecera",
)
_DEPARTMENT_WORDS = (
    "departamento de",
    "departamento",
    "depto de",
    "depto",
    "dpto de",
    "dpto",
    "dep",
    "depart",
    "estado de",
    "edo de",
    "edo",
    "state of",
    "provincia de",
)
#: what clerks write when they do not know the place
_NULL_WORDS = frozenset(
    {
        "desconocido",
        "desconocida",
        "no sabe",
        "no se sabe",
        "ninguno",
        "ninguna",
        "no aplica",
        "sin dato",
        "sin datos",
        "sin informacion",
        "na",
        "nd",
        "sd",
        "unknown",
        "none",
        "null",
        "nan",
        "otro",
        "otros",
        "other",
    }
)
_HAS_WORD = re.compile(r"[a-z]{3}")
_COUNTRY_WORDS = ("republica de", "rep de", "pais")
_SEPARATORS = re.compile(r"[,;/|\n]+|\s+-\s+|\s*\(\s*|\s*\)\s*")


def _prefix_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(set(words), key=len, reverse=True)
    return re.compile(r"^(?:(?:{})(?:\s+|$))+".format("|".join(re.escape(w) for w in alternatives)))


_COMMUNITY_PREFIX = _prefix_pattern(_COMMUNITY_WORDS)
_MUNICIPALITY_PREFIX = _prefix_pattern(_MUNICIPALITY_WORDS)
_DEPARTMENT_PREFIX = _prefix_pattern(_DEPARTMENT_WORDS)
_COUNTRY_PREFIX = _prefix_pattern(_COUNTRY_WORDS)


@dataclass(frozen=True)
class PlaceMatch:
    """A resolved place.

    ``confidence`` (0..1) is how sure the returned codes are right: 1 for exact official names,
    less for nicknames, misspellings and contradictions; 0 when nothing was recognised.
    ``ambiguous`` is true when the text names several municipalities (or departments) that
    nothing tells apart; then their codes are in ``alternatives`` and the common levels (country,
    department) are still filled. ``lat``/``lon`` are the municipal seat's.
    """

    country: str | None = None
    department_code: str | None = None
    municipality_code: str | None = None
    community: str | None = None
    lat: float | None = None
    lon: float | None = None
    confidence: float = 0.0
    ambiguous: bool = False
    alternatives: tuple[str, ...] = field(default=())


def _text(value: object) -> str:
    """Any cell as text: None, NaN and pd.NA become ``""``."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        return ""
    return value if isinstance(value, str) else str(value)


def _strip(pattern: re.Pattern[str], key: str) -> tuple[str, bool]:
    stripped = pattern.sub("", key, count=1)
    return stripped, stripped != key


def canonical_community(text: object) -> str | None:
    """Community name folded, with leading type words removed; None when nothing is left.

    >>> canonical_community("Aldea  San José")
    'san jose'
    >>> canonical_community("CASERIO, ")
    """
    key = fold(_text(text))
    key, _ = _strip(_COMMUNITY_PREFIX, key)
    return key or None


class _State:
    """What the pieces read so far say: candidate entries per level and a community."""

    def __init__(self) -> None:
        self.country: list[Entry] = []
        self.department: list[Entry] = []
        self.municipality: list[Entry] = []
        self.community: str | None = None
        self.penalty = 1.0

    def countries(self) -> frozenset[str]:
        return frozenset(e.code for e in self.country)

    def departments(self) -> frozenset[str]:
        return frozenset(e.code for e in self.department)

    def fits(self, entry: Entry) -> bool:
        """Whether ``entry`` agrees with the country and department already read."""
        return gz.fits(entry, self.countries(), self.departments())

    def take_community(self, key: str) -> None:
        """Keep ``key`` as the community; pieces read later are narrower and replace it."""
        community, _ = _strip(_COMMUNITY_PREFIX, key)
        if community not in _NULL_WORDS and _HAS_WORD.search(community):
            self.community = community


def _lookup(key: str, hint: str | None, state: _State) -> list[Entry]:
    """Entries for ``key`` that fit ``state``: exact names first, else the closest names.

    A name that exactly names places elsewhere only (a municipality of another department) is
    a contradiction: nothing is returned and the confidence drops, more when the piece came from
    a department or municipality field. With the department known, the only municipality whose
    name starts with the piece is taken before trying misspellings.
    """
    exact = gz.index().exact(key)
    found = [e for e in exact if state.fits(e)]
    if found:
        return found
    if exact:
        state.penalty *= 0.7 if hint in ("department", "municipality") else 0.9
        return []
    return list(_closest(key, state.countries(), state.departments()))


@lru_cache(maxsize=100_000)
def _closest(key: str, countries: frozenset[str], departments: frozenset[str]) -> tuple[Entry, ...]:
    """Prefix or fuzzy matches of ``key`` in a scope, cached (many rows share a misspelling)."""
    index = gz.index()
    return tuple(index.prefixed(key, departments) or index.fuzzy(key, countries, departments))


def _read_piece(key: str, hint: str | None, state: _State) -> None:
    """Read one separator-free piece of text into ``state``."""
    if key in _NULL_WORDS:
        return
    body, is_community = _strip(_COMMUNITY_PREFIX, key)
    if is_community or hint == "community":
        if is_community:
            body = _split_off(body, state)
        state.take_community(body)
        return
    key, wanted = _level_word(key, hint, state)
    entries = _lookup(key, hint, state)
    if entries and _assign(entries, wanted, state):
        return
    rest = _split_off(key, state)
    if rest != key:
        _read_piece(rest, hint, state)
    else:
        state.take_community(key)


def _level_word(key: str, hint: str | None, state: _State) -> tuple[str, set[str]]:
    """Strip a leading "municipio de", "depto.", "república de"...; the level it names is wanted.

    A name that is itself official with its type word ("Ciudad de Guatemala", "Estado de
    México") is kept whole.
    """
    for level, pattern in (
        ("municipality", _MUNICIPALITY_PREFIX),
        ("department", _DEPARTMENT_PREFIX),
        ("country", _COUNTRY_PREFIX),
    ):
        stripped, had = _strip(pattern, key)
        if had and stripped:
            if any(state.fits(e) for e in gz.index().exact(key)):
                break
            return stripped, {level}
    return key, {hint} if hint else set()


def _split_off(key: str, state: _State) -> str:
    """Read trailing place names off a piece with no separators; return the rest.

    "san pedro sula cortes" reads Cortés as the department and returns "san pedro sula"; the
    longest trailing run of words that exactly names a country or department (or, once the
    department is known, one of its municipalities) is taken.
    """
    if any(state.fits(e) for e in gz.index().exact(key)):
        return key
    words = key.split()
    levels = {"country", "department"} | ({"municipality"} if state.department else set())
    for i in range(1, len(words)):
        right = " ".join(words[i:])
        entries = [e for e in gz.index().exact(right) if e.level in levels and state.fits(e)]
        if entries and _assign(entries, set(), state):
            return _split_off(" ".join(words[:i]), state)
    return key


def _assign(entries: list[Entry], wanted: set[str], state: _State) -> bool:
    """Put the entries of one piece at the level it most likely names; False if none fits."""
    by_level: dict[str, list[Entry]] = {}
    for e in entries:
        level = "municipality" if e.level == "reform_municipality" else e.level
        by_level.setdefault(level, []).append(e)
    free = [lv for lv in ("country", "department", "municipality") if not getattr(state, lv)]
    order = [lv for lv in by_level if lv in wanted]
    order += [lv for lv in free if lv in by_level and lv not in order]
    order += [lv for lv in ("municipality", "department", "country") if lv in by_level]
    for level in order:
        chosen = by_level[level]
        current = getattr(state, level)
        if not current:
            setattr(state, level, chosen)
            return True
        codes = {e.code for e in current}
        narrowed = [e for e in chosen if e.code in codes]
        if not narrowed and level == "municipality":
            members = {m for e in current for m in e.members}
            narrowed = [e for e in chosen if e.code in members]
        if narrowed:
            setattr(state, level, narrowed)
            return True
    return False


def _pieces(fields: dict[str, str]) -> list[tuple[str, str | None]]:
    """(folded piece, hint) from the broadest field to the narrowest; free text right to left."""
    out: list[tuple[str, str | None]] = []
    for name in ("country", "department", "municipality", "place", "community"):
        out.extend(_field_pieces(name, fields[name]))
    return out


@lru_cache(maxsize=1 << 16)
def _field_pieces(name: str, text: str) -> tuple[tuple[str, str | None], ...]:
    """(folded piece, hint) of one field, right to left; once per distinct field text."""
    parts = [name_key(p) for p in _SEPARATORS.split(text)]
    parts = [p for p in parts if p]
    hint = None if name == "place" or len(parts) > 1 else name
    return tuple((p, hint) for p in reversed(parts))


def _settle(state: _State) -> PlaceMatch:
    """Reconcile the candidates of each level into one match."""
    munis = [e for e in state.municipality if state.fits(e)]
    if len(munis) < len(state.municipality) and not munis:
        state.penalty *= 0.7
    expanded: list[Entry] = []
    members = {m for e in munis for m in e.members}
    if members and state.community:
        district, _ = _strip(_MUNICIPALITY_PREFIX, state.community)
        named = [e for e in gz.index().exact(district) if e.code in members]
        if named:
            munis = named
    for e in munis:
        if e.level == "reform_municipality":
            expanded.extend(
                Entry("municipality", c, "SV", e.department, e.quality * 0.9) for c in e.members
            )
        else:
            expanded.append(e)
    colloquial = {e.code for e in expanded if e.alias}
    if len(colloquial) == 1 and len({e.code for e in expanded}) > 1:
        expanded = [replace(e, quality=e.quality * 0.9) for e in expanded if e.alias]
    codes = sorted({e.code for e in expanded})
    best: dict[str, float] = {}
    for e in expanded:
        best[e.code] = max(best.get(e.code, 0.0), e.quality)
    qualities = [min(best.values())] if best else []
    if expanded:
        depts = {e.department for e in expanded}
        countries = {e.country for e in expanded}
    else:
        dept_entries = [
            e for e in state.department if not state.country or e.country in state.countries()
        ]
        if state.department and not dept_entries:
            state.penalty *= 0.7
        depts = {e.department for e in dept_entries}
        countries = {e.country for e in dept_entries} or state.countries()
        if dept_entries:
            qualities.append(min(e.quality for e in dept_entries))
    if state.country:
        qualities.append(min(e.quality for e in state.country))
    if not qualities:
        return PlaceMatch(community=state.community)
    country = next(iter(countries)) if len(countries) == 1 else None
    dept = next(iter(depts)) if len(depts) == 1 else None
    muni = codes[0] if len(codes) == 1 else None
    ambiguous = len(codes) > 1 or (not codes and len(depts) > 1) or len(countries) > 1
    alternatives = (
        tuple(codes) if len(codes) > 1 else tuple(sorted(depts)) if len(depts) > 1 else ()
    )
    confidence = min(qualities) * state.penalty * (0.8 if ambiguous else 1.0)
    lat = lon = None
    if muni:
        row = _muni_rows().get(muni)
        if row is not None and not pd.isna(row[0]):
            lat, lon = float(row[0]), float(row[1])
    return PlaceMatch(
        country=country,
        department_code=dept,
        municipality_code=muni,
        community=state.community,
        lat=lat,
        lon=lon,
        confidence=round(confidence, 3),
        ambiguous=ambiguous,
        alternatives=alternatives,
    )


@lru_cache(maxsize=1)
def _muni_rows() -> dict[str, tuple[float, float]]:
    df = gz.municipalities()
    return dict(zip(df.municipality_code, zip(df.lat, df.lon, strict=True), strict=True))


@lru_cache(maxsize=200_000)
def _resolve(country: str, department: str, municipality: str, community: str, place: str):
    fields = {
        "country": country,
        "department": department,
        "municipality": municipality,
        "community": community,
        "place": place,
    }
    state = _State()
    for key, hint in _pieces(fields):
        _read_piece(key, hint, state)
    return _settle(state)


def resolve(
    country: object = None,
    department: object = None,
    municipality: object = None,
    community: object = None,
    place: object = None,
) -> PlaceMatch:
    """Resolve a written place; any argument may be missing, None, NaN or not a string.

    Each field, and each comma-separated piece of ``place`` read from right to left, is looked up
    as an exact (folded) name, then as the start of a municipality name within the department,
    then as a misspelling. A piece with a type word ("aldea", "colonia") is the community; an
    unlabelled piece fills the broadest level still empty, so a name that is both a department
    and its capital ("Huehuetenango", "León") names the department unless a municipality field
    says otherwise. A colloquial name wins over official namesakes it is told apart from
    ("San Pedro" in Honduras is San Pedro Sula). A municipality of another department or
    country than the one written is not taken: it stays as the community and lowers the
    confidence. Unrecognised pieces become the community.

    >>> m = resolve(country="GUATEMALA", department="QUETZALTENANGO", municipality="XELAJU")
    >>> (m.municipality_code, m.confidence, m.ambiguous)
    ('GT0901', 1.0, False)
    >>> resolve(place="Houston, Texas").department_code
    'USTX'
    >>> resolve(None, None, None, None, float("nan"))
    PlaceMatch(country=None, department_code=None, municipality_code=None, community=None, \
lat=None, lon=None, confidence=0.0, ambiguous=False, alternatives=())
    """
    return _resolve(
        _text(country), _text(department), _text(municipality), _text(community), _text(place)
    )


def gazetteer() -> pd.DataFrame:
    """The municipalities table (a copy): country, department_code, department,
    municipality_code, municipality, lat, lon, name_source.

    >>> gazetteer().query("municipality_code == 'HN0801'").municipality.item()
    'Distrito Central'
    """
    return gz.municipalities().copy()


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, str], dict[str, str]]:
    depts = gz.departments()
    munis = gz.municipalities()
    return (
        dict(zip(depts.department_code, depts.department, strict=True)),
        dict(zip(munis.municipality_code, munis.municipality, strict=True)),
    )


def department_name(code: object) -> str | None:
    """Display name of a department or state P-code ("GT13" -> "Huehuetenango")."""
    return _names()[0].get(_text(code).strip().upper())


def municipality_name(code: object) -> str | None:
    """Display name of a municipality P-code ("HN0501" -> "San Pedro Sula")."""
    return _names()[1].get(_text(code).strip().upper())


def normalize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The places columns (:data:`COLUMNS`) for every row of ``df``, same index.

    Reads whichever of country, department, municipality, community, place exist; each distinct
    combination is resolved once. Missing values are ``pd.NA``.

    >>> raw = pd.DataFrame({"municipality": ["Tegus", None], "country": ["Honduras", "USA"]})
    >>> normalize_frame(raw)[["country", "municipality_code", "place_confidence"]]
      country municipality_code  place_confidence
    0      HN            HN0801               1.0
    1      US              <NA>               1.0
    """
    present = [c for c in INPUTS if c in df.columns]
    columns = [df[c] for c in present] or [pd.Series(None, index=df.index, dtype=object)]

    def read(*values: object) -> tuple:
        return _columns(resolve(**dict(zip(present, values, strict=False))))

    codes, resolved = per_distinct(columns, read)
    out = pd.DataFrame(resolved, columns=list(COLUMNS), dtype=object).iloc[codes]
    out = out.set_index(df.index)
    for col in ("country", "department_code", "municipality_code", "community"):
        out[col] = out[col].where(out[col].notna(), pd.NA)
    for col in ("lat", "lon", "place_confidence"):
        out[col] = pd.to_numeric(out[col]).astype("Float64")
    return out


def _columns(match: PlaceMatch) -> tuple:
    """A match as the values of :data:`COLUMNS`; no confidence when nothing was recognised."""
    recognised = match.country or match.community or match.ambiguous
    return (
        match.country,
        match.department_code,
        match.municipality_code,
        match.community,
        match.lat,
        match.lon,
        match.confidence if recognised else None,
    )
