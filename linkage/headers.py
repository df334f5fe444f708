"""Which row of a file holds the headers, what each header stands for, and what is left unused.

Headers are recognised from ``data/headers.csv`` (folded: lower case, no accents or punctuation,
so "Fecha de nac." is "fecha de nac") and from a ``--mapping`` file. A sheet may carry title rows
above its headers ("Informe de visitas — Octubre", a blank row): the header row is the first of
the leading rows with the most recognised headers, or the row the user names. A header that maps
to nothing is listed as ignored with the closest known header, never dropped in silence.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from linkage.errors import InputError
from normalizers.resources import data_path
from normalizers.text import fold

#: leading rows searched for the header row
HEADER_SEARCH_ROWS = 10
#: columns several headers may feed ("Tel.", "Cel."): their values are joined with "; "
JOINED_COLUMNS = frozenset({"phone"})
#: WRatio (0-100) a header needs with a known one to have it suggested
SUGGEST_SCORE = 85


@cache
def header_aliases() -> dict[str, str]:
    """Folded header text -> schema column, from ``data/headers.csv``."""
    table = pd.read_csv(data_path("headers.csv"), dtype=str)
    return {fold(a): c for a, c in zip(table["alias"], table["column"], strict=True)}


def column_for(header: object, mapping: dict[str, str]) -> str | None:
    """The schema column (or "ignore") ``header`` stands for, or None when it is unknown.

    >>> column_for("Fecha de nac.", {}), column_for("N° DPI", {}), column_for("Obs.", {})
    ('birth_date', 'national_id', None)
    """
    key = fold(header.replace("°", "o") if isinstance(header, str) else header)
    aliases = header_aliases()
    return mapping.get(key) or aliases.get(key) or aliases.get(key.replace(" ", "_"))


def map_headers(path: Path, headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """File header -> schema column for the headers that are recognised."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header in headers:
        column = column_for(header, mapping)
        if column is None or column == "ignore":
            continue
        if column in seen and column not in JOINED_COLUMNS:
            raise InputError(
                path,
                f"headers {seen[column]!r} and {header!r} both map to {column!r}",
                column=header,
            )
        seen[column] = header
        out[header] = column
    return out


def find_header_row(
    path: Path,
    rows: list[tuple[int, list]],
    mapping: dict[str, str],
    header_row: int | None = None,
) -> int:
    """Index in ``rows`` (non-blank rows with their row numbers) of the header row.

    ``header_row``: the row number the user gave (1-based, as the spreadsheet shows it).
    Otherwise the first of the leading :data:`HEADER_SEARCH_ROWS` rows with the most recognised
    headers, when it has at least two; else the first row.
    """
    if header_row is not None:
        for i, (number, _) in enumerate(rows):
            if number == header_row:
                return i
        raise InputError(path, f"row {header_row} is empty or past the end: no headers there")
    scores = [
        sum(column_for(v, mapping) not in (None, "ignore") for v in values if v is not None)
        for _, values in rows[:HEADER_SEARCH_ROWS]
    ]
    best = max(scores, default=0)
    return scores.index(best) if best >= 2 else 0


@cache
def _suggestion_choices() -> dict[str, str]:
    return {a: c for a, c in header_aliases().items() if len(a) >= 3}


def suggest_column(header: str) -> str | None:
    """The schema column whose known header is closest to ``header``, if one is close.

    >>> suggest_column("Fecha visita"), suggest_column("Obs.")
    ('report_date', None)
    """
    choices = _suggestion_choices()
    found = process.extractOne(
        fold(header), list(choices), scorer=fuzz.WRatio, score_cutoff=SUGGEST_SCORE
    )
    return choices[found[0]] if found else None


def ignored_columns(
    headers: list[str],
    header_map: dict[str, str],
    mapping: dict[str, str],
    unnamed: frozenset[int] = frozenset(),
) -> list[dict[str, str | None]]:
    """Columns no schema column is read from, in file order: ``header``, and ``suggestion`` (the
    closest schema column; None when the mapping says "ignore" or none is close). A column
    without a header counts when it holds values (its 0-based position in ``unnamed``).

    >>> ignored_columns(["Id", "Nombre", "", "Obs."], {"Id": "record_id"}, {"nombre": "ignore"},
    ...                 frozenset({2}))  # doctest: +NORMALIZE_WHITESPACE
    [{'header': 'Nombre', 'suggestion': None}, {'header': '(column 3, no header)',
      'suggestion': None}, {'header': 'Obs.', 'suggestion': None}]
    """
    out: list[dict[str, str | None]] = []
    for position, header in enumerate(headers):
        if not header and position in unnamed:
            out.append({"header": f"(column {position + 1}, no header)", "suggestion": None})
        if not header or header in header_map:
            continue
        told = column_for(header, mapping) == "ignore"
        out.append({"header": header, "suggestion": None if told else suggest_column(header)})
    return out


def describe_ignored(ignored: list[dict[str, str | None]]) -> str:
    """One line for the console.

    >>> describe_ignored([{"header": "Fecha visita", "suggestion": "report_date"},
    ...                   {"header": "Obs.", "suggestion": None}])
    "'Fecha visita' (closest known column: report_date), 'Obs.'"
    """
    return ", ".join(
        repr(i["header"])
        + (f" (closest known column: {i['suggestion']})" if i["suggestion"] else "")
        for i in ignored
    )
