"""Reject reasons as a code with parameters, rendered in English or Spanish.

A reason is written to rejects.csv in English (the ``reason`` column, as it always was) and in
Spanish (``reason_es``), with its ``code``. The English text is the stored form: :func:`parse`
reads the code and parameters back from it, so reasons written by any stage (the reader, the
normalize step) render in both languages.

>>> text = reason_text("unreadable_value", {"column": "birth_date", "value": "'31/02/85'"})
>>> text
"cannot read birth_date; value ignored ('31/02/85')"
>>> render(*parse(text), "es")
"no se puede leer la fecha de nacimiento; valor ignorado ('31/02/85')"
>>> summary(*parse(text), "es")
'no se puede leer la fecha de nacimiento; valor ignorado'
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

#: code -> language -> (the reason of one row, the reason of a group of rows in the run report)
REASONS: dict[str, dict[str, tuple[str, str]]] = {
    "ragged_row": {
        "en": (
            "row has {fields} fields, header has {header}",
            "row has another number of fields than the header",
        ),
        "es": (
            "la fila tiene {fields} campos y el encabezado {header}",
            "la fila no tiene tantos campos como el encabezado",
        ),
    },
    "empty_record_id": {
        "en": ("empty record_id", "empty record_id"),
        "es": ("record_id vacío", "record_id vacío"),
    },
    "duplicate_record_id": {
        "en": ("duplicate record_id {value} (first at row {first})", "duplicate record_id"),
        "es": ("record_id repetido {value} (ya en la fila {first})", "record_id repetido"),
    },
    "no_name": {
        "en": ("no name in any name column", "no name in any name column"),
        "es": (
            "ninguna columna de nombre trae un nombre",
            "ninguna columna de nombre trae un nombre",
        ),
    },
    "unreadable_value": {
        "en": (
            "cannot read {column}; value ignored ({value})",
            "cannot read {column}; value ignored",
        ),
        "es": (
            "no se puede leer {column}; valor ignorado ({value})",
            "no se puede leer {column}; valor ignorado",
        ),
    },
    "age_out_of_range": {
        "en": (
            "age is not a whole number of years from 0 to 120; value ignored ({value})",
            "age is not a whole number of years from 0 to 120; value ignored",
        ),
        "es": (
            "la edad no es un número entero de años de 0 a 120; valor ignorado ({value})",
            "la edad no es un número entero de años de 0 a 120; valor ignorado",
        ),
    },
    "ambiguous_sex": {
        "en": (
            "{value} could be masculino or mujer (the source writes neither H nor F and the "
            'first name does not tell): set sex_m = "male" or "female" in the settings',
            "a lone M could be masculino or mujer (the source writes neither H nor F and the "
            'first name does not tell): set sex_m = "male" or "female" in the settings',
        ),
        "es": (
            "{value} puede ser masculino o mujer (la fuente no escribe ni H ni F y el primer "
            'nombre no lo aclara): ponga sex_m = "male" o "female" en la configuración',
            "una M sola puede ser masculino o mujer (la fuente no escribe ni H ni F y el primer "
            'nombre no lo aclara): ponga sex_m = "male" o "female" en la configuración',
        ),
    },
    "lost_character": {
        "en": (
            "{value} holds U+FFFD, a character lost before the file got here",
            "holds U+FFFD, a character lost before the file got here",
        ),
        "es": (
            "{value} contiene U+FFFD, un carácter perdido antes de que llegara el archivo",
            "contiene U+FFFD, un carácter perdido antes de que llegara el archivo",
        ),
    },
    "undecodable_byte": {
        "en": (
            "{value} holds byte 0x{byte}, which is neither UTF-8 nor Windows-1252",
            "holds a byte that is neither UTF-8 nor Windows-1252",
        ),
        "es": (
            "{value} contiene el byte 0x{byte}, que no es ni UTF-8 ni Windows-1252",
            "contiene un byte que no es ni UTF-8 ni Windows-1252",
        ),
    },
}
#: the code of a reason no template matches (its text is shown as written)
OTHER = "other"
#: columns of the person schema as a Spanish reason names them
COLUMNS_ES = {
    "birth_date": "la fecha de nacimiento",
    "removal_date": "la fecha de deportación",
    "report_date": "la fecha del reporte",
    "a_number": "el número A",
    "phone": "el teléfono",
    "sex": "el sexo",
    "age": "la edad",
    "national_id": "el documento de identidad",
    "record_id": "el record_id",
}
#: a reject's kind ("row": the row was left out; "value": one value was ignored), by language
KINDS = {"en": {"row": "row", "value": "value"}, "es": {"row": "fila", "value": "valor"}}


def reason_text(code: str, params: dict[str, object]) -> str:
    """The English reason of one row (the form stored in rejects.csv's ``reason``)."""
    return render(code, params, "en")


def render(code: str, params: dict[str, object], lang: str) -> str:
    """The reason of one row in ``lang``; an unknown reason as written (``params["text"]``)."""
    return _fill(code, params, lang, 0)


def summary(code: str, params: dict[str, object], lang: str) -> str:
    """The reason of a group of rows (without the values of each row) in ``lang``."""
    return _fill(code, params, lang, 1)


def _fill(code: str, params: dict[str, object], lang: str, which: int) -> str:
    if code == OTHER:
        return str(params["text"])
    values = dict(params)
    if lang == "es" and "column" in values:
        values["column"] = COLUMNS_ES.get(str(values["column"]), values["column"])
    return REASONS[code][lang][which].format(**values)


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for code, texts in REASONS.items():
        parts = re.split(r"\{(\w+)\}", texts["en"][0])
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)" for i, part in enumerate(parts)
        )
        out.append((code, re.compile(f"^{regex}$", re.DOTALL)))
    return out


def parse(text: str) -> tuple[str, dict[str, str]]:
    """The code and parameters of an English reason; :data:`OTHER` with the text if unknown.

    >>> parse("row has 3 fields, header has 5")
    ('ragged_row', {'fields': '3', 'header': '5'})
    >>> parse("something new")
    ('other', {'text': 'something new'})
    """
    for code, pattern in _patterns():
        match = pattern.match(text)
        if match:
            return code, match.groupdict()
    return OTHER, {"text": text}


def localized(rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejects with the ``code`` and the Spanish reason (``reason_es``) of each row, after
    ``reason``, for rejects.csv.

    >>> r = pd.DataFrame({"file": ["f.csv"], "row": [3], "column": ["record_id"],
    ...                   "reason": ["empty record_id"], "kind": ["row"]})
    >>> localized(r)[["reason", "reason_es", "code"]].to_dict("records")
    [{'reason': 'empty record_id', 'reason_es': 'record_id vacío', 'code': 'empty_record_id'}]
    """
    parsed = [parse(str(text)) for text in rejects["reason"]]
    out = rejects.copy()
    at = list(out.columns).index("reason") + 1
    out.insert(at, "reason_es", [render(code, params, "es") for code, params in parsed])
    out.insert(at + 1, "code", [code for code, _ in parsed])
    return out


def first_of_each(rejects: pd.DataFrame) -> list[str]:
    """One console line per file and reason: where it first happened (file, row, column), the
    reason in English and how many more rows share it.

    >>> r = pd.DataFrame({"file": ["/d/f.csv"] * 2, "row": [4, 9], "column": ["sex"] * 2,
    ...                   "reason": ["empty record_id"] * 2, "kind": ["row"] * 2})
    >>> first_of_each(r)
    ["f.csv, row 4, column 'sex': empty record_id (and 1 more like it in rejects.csv)"]
    """
    seen: dict[tuple[str, str], list[object]] = {}
    for file, row, column, reason in zip(
        rejects["file"], rejects["row"], rejects["column"], rejects["reason"], strict=True
    ):
        code = parse(str(reason))[0]
        key = (str(file), code if code != OTHER else str(reason))
        if key in seen:
            seen[key][-1] += 1
        else:
            seen[key] = [file, row, column, reason, 0]
    lines = []
    for file, row, column, reason, more in seen.values():
        where = f"{Path(str(file)).name}, row {row}" + (f", column {column!r}" if column else "")
        tail = f" (and {more} more like it in rejects.csv)" if more else ""
        lines.append(f"{where}: {reason}{tail}")
    return lines
