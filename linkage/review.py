"""Review one case: a custody record beside its candidates, with what differs highlighted.

For notebooks: ``side_by_side`` gives one column per record (the custody record first, then each
candidate in rank order) and one row per fact a reviewer compares; ``highlight`` colours a
candidate's cell where it disagrees with the custody record, and greys it where either side
lacks the value (missing is not a mismatch).

>>> table = side_by_side(result, "C000001")           # doctest: +SKIP
>>> highlight(table)                                  # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from linkage.reports.render import percent
from normalizers.places import department_name, municipality_name
from normalizers.text import fold

#: facts shown: (row label es, row label en, column read, compared when both sides have it)
FACTS: tuple[tuple[str, str, str, bool], ...] = (
    ("Nombre como está escrito", "Name as written", "full_name", False),
    ("Nombre(s)", "Given names", "given", True),
    ("Primer apellido", "First surname", "paternal", True),
    ("Segundo apellido", "Second surname", "maternal", True),
    ("Sexo", "Sex", "sex", True),
    ("Fecha de nacimiento", "Date of birth", "dob", True),
    ("Edad declarada", "Age given", "age", False),
    ("Departamento", "Department", "department_code", True),
    ("Municipio", "Municipality", "municipality_code", True),
    ("Comunidad", "Community", "community", True),
    ("Documento de identidad", "ID number", "national_id", True),
    ("Número A", "A-number", "a_number", True),
    ("Teléfonos", "Phones", "phone_keys", True),
    ("Hijos/as", "Children", "children", True),
    ("Organización", "Organization", "organization", False),
)
_SHOW = {"department_code": department_name, "municipality_code": municipality_name}
DIFFERENT, MISSING = "background-color: #f8d7d3", "color: #888"


def _value(record: pd.Series, column: str) -> str:
    if column not in record.index:
        return ""
    value = record[column]
    if isinstance(value, pd.Series):  # a raw and a normalized column of one name: the last
        value = value.iloc[-1]
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return (_SHOW[column](value) or str(value)) if column in _SHOW else str(value)


def side_by_side(result: object, custody_id: str, lang: str = "es") -> pd.DataFrame:
    """One row per fact, one column per record: the custody record, then its candidates.

    Candidate columns are headed "<rank> · <field_id> (<probability>)". The frame's ``attrs``
    keep which rows are compared (``compared``) for :func:`highlight`.
    """
    if lang not in ("es", "en"):
        raise ValueError(f"lang must be es or en, not {lang!r}")
    matches = result.matches[result.matches["custody_id"].astype(str) == str(custody_id)]
    labels = [es if lang == "es" else en for es, en, _, _ in FACTS]
    custody = result.custody.loc[str(custody_id)]
    columns = {str(custody_id): [_value(custody, col) for _, _, col, _ in FACTS]}
    for row in matches.sort_values(["rank", "match_weight"], ascending=[True, False]).itertuples():
        record = result.field.loc[str(row.field_id)]
        head = f"{row.rank} · {row.field_id} ({percent(row.match_probability)})"
        columns[head] = [_value(record, col) for _, _, col, _ in FACTS]
    table = pd.DataFrame(columns, index=labels)
    table.attrs["compared"] = [label for label, f in zip(labels, FACTS, strict=True) if f[3]]
    return table


def differences(table: pd.DataFrame) -> pd.DataFrame:
    """ "different", "missing" or "" for every candidate cell of a :func:`side_by_side` table.

    Values are compared folded (case, accents and punctuation ignored); the custody column and
    rows that are not compared are "".
    """
    compared = set(table.attrs.get("compared", table.index))
    base = table.iloc[:, 0]
    out = pd.DataFrame("", index=table.index, columns=table.columns)
    for label in table.index:
        if label not in compared:
            continue
        for col in table.columns[1:]:
            left, right = base[label], table.at[label, col]
            if not left or not right:
                out.at[label, col] = "missing"
            elif fold(left) != fold(right):
                out.at[label, col] = "different"
    return out


def highlight(table: pd.DataFrame) -> Styler:
    """The table styled for a notebook: differing cells red, missing ones grey."""
    marks = differences(table)
    css = marks.replace({"different": DIFFERENT, "missing": MISSING})
    return table.style.apply(lambda _: css, axis=None)
