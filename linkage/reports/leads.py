"""Lead sheets for field teams: one XLSX workbook and one printable HTML page per department.

A lead is one candidate field report for one case (a custody record: the parent sought and their
children). A lead belongs to the department of the field report's place, else of the custody
record's place; leads with neither go to ``sin-departamento``. Each sheet lists, case by case,
the top candidates with their probability, the reasons, where to look, phones, the reporting
organization and an empty column for the visit's result. Only what a visit needs is shown;
``redact=True`` leaves out ID numbers. No workbook cell can run as a formula
(:func:`linkage.reports.safety.set_cell`).

>>> paths = write_lead_sheets(result, "out/job1", lang="es")      # doctest: +SKIP
>>> [p.name for p in paths]                                       # doctest: +SKIP
['gt-huehuetenango.xlsx', 'gt-huehuetenango.html', 'sin-departamento.xlsx', ...]
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import phonenumbers
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from linkage.pipeline import LinkResult
from linkage.reports.render import environment
from linkage.reports.safety import set_cell
from linkage.reports.xlsx import save_workbook
from normalizers.places import department_name, municipality_name
from normalizers.text import fold

NO_DEPARTMENT = "sin-departamento"

#: columns: key -> (Spanish header, English header, width in the workbook; 0: page only)
COLUMNS: dict[str, tuple[str, str, int]] = {
    "case": ("Caso", "Case", 10),
    "child": ("Niño/a", "Child", 22),
    "parent": ("Padre/madre buscado/a", "Parent sought", 24),
    "a_number": ("Número A", "A-number", 12),
    "rank": ("N.º", "No.", 5),
    "candidate": ("Candidato/a", "Candidate", 24),
    "field_id": ("Reporte", "Report", 10),
    "national_id": ("Documento de identidad", "ID number", 18),
    "probability": ("Probabilidad", "Probability", 11),
    "reasons": ("Motivos", "Reasons", 44),
    "where": ("Dónde buscar", "Where to look", 30),
    "phones": ("Teléfonos", "Phones", 18),
    "contact": ("Teléfonos y organización", "Phones and organization", 0),
    "organization": ("Organización", "Organization", 20),
    "result": ("Resultado de la visita", "Result of the visit", 30),
}
#: columns left out when ID numbers are redacted
ID_COLUMNS = ("a_number", "national_id")

TEXT = {
    "es": {
        "title": "Pistas para visitas",
        "no_department": "Sin departamento",
        "cases": "Casos",
        "leads": "Pistas",
        "confidential": (
            "Confidencial: datos personales de niñas, niños y sus familias. Úselo solo para la "
            "búsqueda, no lo deje a la vista y destrúyalo al terminar."
        ),
        "result_hint": (
            "Anote en «Resultado de la visita»: encontrado/a, no es la persona, ya no vive ahí "
            "(a dónde se fue), nadie lo conoce; y la fecha."
        ),
        "sheet": "Pistas",
        "notes_sheet": "Léame",
    },
    "en": {
        "title": "Leads for field visits",
        "no_department": "No department",
        "cases": "Cases",
        "leads": "Leads",
        "confidential": (
            "Confidential: personal data of children and their families. Use it only for the "
            "search, keep it out of sight and destroy it when done."
        ),
        "result_hint": (
            "Write in 'Result of the visit': found, not the person, moved away (where to), "
            "nobody knows them; and the date."
        ),
        "sheet": "Leads",
        "notes_sheet": "Read me",
    },
}


def _check_lang(lang: str) -> None:
    if lang not in TEXT:
        raise ValueError(f"lang must be one of {tuple(TEXT)}, not {lang!r}")


def _text(value: object) -> str:
    """A cell as display text: missing values are empty, lists are ``;``-separated already."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _list_text(value: str) -> str:
    """A ``;``-separated list spaced for reading: "Ana;Luis" -> "Ana; Luis"."""
    return "; ".join(part.strip() for part in value.split(";") if part.strip())


def _get(frame: pd.DataFrame, ids: pd.Series, column: str) -> pd.Series:
    """``frame[column]`` looked up for each id (empty text where absent).

    The value as written (``<column>_raw``, kept where normalizing reused the name) is preferred.
    """
    if f"{column}_raw" in frame.columns:
        column = f"{column}_raw"
    if column not in frame.columns:
        return pd.Series("", index=ids.index, dtype=object)
    values = frame[column].reindex(ids.astype(str).to_numpy())
    return pd.Series([_text(v) for v in values], index=ids.index, dtype=object)


def _person_name(frame: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """The name as written: full_name, else given names and surnames."""
    full = _get(frame, ids, "full_name")
    parts = [_get(frame, ids, c) for c in ("given_names", "paternal_surname", "maternal_surname")]
    composed = pd.Series(
        [" ".join(p for p in row if p) for row in zip(*parts, strict=True)],
        index=ids.index,
        dtype=object,
    )
    return full.where(full != "", composed)


def _department_names(codes: pd.Series) -> pd.Series:
    return codes.map(lambda c: (department_name(c) or "") if c else "")


def _where(field: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """The field report's community, municipality and department, as written where possible."""
    departments = _department_names(_get(field, ids, "department_code"))
    community = _get(field, ids, "community")
    municipality = _get(field, ids, "municipality")
    codes = _get(field, ids, "municipality_code")
    municipality = municipality.where(
        municipality != "", codes.map(lambda c: municipality_name(c) or "")
    )
    place = _get(field, ids, "place")
    rows = []
    for parts in zip(community, municipality, departments, place, strict=True):
        community_, municipality_, department_, place_ = parts
        named = [p for p in (community_, municipality_) if p]
        text = ", ".join(named) if named else place_
        if department_ and fold(department_) not in fold(text):
            text = f"{text}, {department_}" if text else department_
        rows.append(text)
    return pd.Series(rows, index=ids.index, dtype=object)


@lru_cache(maxsize=65536)
def _readable_phone(e164: str) -> str:
    """An E.164 number spaced for dialling: "+50255551234" -> "+502 5555 1234"."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _phones(field: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """The numbers read from the report, spaced for dialling; else the phones as written."""
    normalized = _get(field, ids, "phones").map(
        lambda cell: "; ".join(_readable_phone(p.strip()) for p in cell.split(";") if p.strip())
    )
    return normalized.where(normalized != "", _get(field, ids, "phone").map(_list_text))


def lead_table(
    result: LinkResult, lang: str = "es", redact: bool = False, top_k: int = 3
) -> pd.DataFrame:
    """One row per lead (the top ``top_k`` candidates of every case), sheet columns by key.

    Extra columns: ``department_code`` and ``department`` (display name), ``slug`` (file name),
    ``best`` (the case's best probability in that department, for ordering).
    """
    _check_lang(lang)
    matches = result.matches[result.matches["rank"] <= top_k]
    custody, field = result.custody, result.field
    cid, fid = matches["custody_id"].astype(str), matches["field_id"].astype(str)
    codes = _get(field, fid, "department_code")
    codes = codes.where(codes != "", _get(custody, cid, "department_code"))
    names = _department_names(codes)
    slugs = [
        f"{code[:2].lower()}-{fold(name).replace(' ', '-')}" if name else NO_DEPARTMENT
        for code, name in zip(codes, names, strict=True)
    ]
    table = pd.DataFrame(
        {
            "case": cid,
            "child": _get(custody, cid, "child_names").map(_list_text),
            "parent": _person_name(custody, cid),
            "a_number": _get(custody, cid, "a_number"),
            "rank": matches["rank"].astype(int),
            "candidate": _person_name(field, fid),
            "field_id": fid,
            "national_id": _get(field, fid, "national_id"),
            "probability": matches["match_probability"].astype(float),
            "reasons": matches[f"reason_{lang}"].map(_text),
            "where": _where(field, fid),
            "phones": _phones(field, fid),
            "organization": _get(field, fid, "organization"),
            "result": "",
            "department_code": codes.where(names != "", ""),
            "department": names.where(names != "", TEXT[lang]["no_department"]),
            "slug": slugs,
        }
    )
    table["best"] = table.groupby(["slug", "case"])["probability"].transform("max")
    table = table.sort_values(
        ["slug", "best", "case", "rank"], ascending=[True, False, True, True], kind="stable"
    )
    if redact:
        table = table.drop(columns=list(ID_COLUMNS))
    return table.reset_index(drop=True)


def _sheet_columns(table: pd.DataFrame) -> list[str]:
    return [key for key in COLUMNS if key in table.columns and COLUMNS[key][2]]


def _header(key: str, lang: str) -> str:
    es, en, _ = COLUMNS[key]
    return es if lang == "es" else en


def write_xlsx(table: pd.DataFrame, path: Path, lang: str) -> Path:
    """One department's leads as a workbook: header frozen, filters, wrapped text, print setup."""
    keys = _sheet_columns(table)
    wb = Workbook()
    ws = wb.active
    ws.title = TEXT[lang]["sheet"]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, key in enumerate(keys, start=1):
        cell = ws.cell(row=1, column=col)
        set_cell(cell, _header(key, lang))
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
    shade = PatternFill("solid", fgColor="F3F3F3")
    line = Border(top=Side(style="thin", color="888888"))
    previous, shaded = None, False
    for r, row in enumerate(table[keys].itertuples(index=False), start=2):
        values = dict(zip(keys, row, strict=True))
        new_case = values["case"] != previous
        shaded = shaded != new_case
        previous = values["case"]
        for col, key in enumerate(keys, start=1):
            cell = ws.cell(row=r, column=col)
            set_cell(cell, values[key] if values[key] != "" else None)
            cell.alignment = wrap
            if shaded:
                cell.fill = shade
            if new_case:
                cell.border = line
    for i, key in enumerate(keys, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = COLUMNS[key][2]
    probability_col = keys.index("probability") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=probability_col, max_col=probability_col):
        cell.number_format = '[=1]"100%";[>=0.995]">99%";0%'
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    notes = wb.create_sheet(TEXT[lang]["notes_sheet"])
    for r, key in enumerate(("title", "confidential", "result_hint"), start=1):
        cell = notes.cell(row=r, column=1)
        set_cell(
            cell,
            TEXT[lang][key]
            if key != "title"
            else f"{TEXT[lang]['title']} — {table['department'].iloc[0]}",
        )
        cell.alignment = wrap
    notes["A1"].font = bold
    notes.column_dimensions["A"].width = 100
    save_workbook(wb, path)
    return path


#: the printed page's columns (candidate and contact details stacked) and their share, %
HTML_COLUMNS: tuple[tuple[str, int], ...] = (
    ("rank", 4),
    ("candidate", 19),
    ("probability", 11),
    ("reasons", 25),
    ("where", 15),
    ("contact", 13),
    ("result", 13),
)


def write_html(table: pd.DataFrame, path: Path, lang: str) -> Path:
    """One department's leads as a page that prints on Letter and A4, one block per case."""
    keys = _sheet_columns(table)
    case_keys = [k for k in ("child", "parent", "a_number") if k in keys]
    cases: list[dict] = []
    # one pass over plain records: a groupby with a frame per case is slow on large jobs
    for record in table.to_dict("records"):
        if not cases or cases[-1]["id"] != record["case"]:
            cases.append(
                {
                    "id": record["case"],
                    "facts": [(_header(k, lang), record[k]) for k in case_keys],
                    "leads": [],
                }
            )
        cases[-1]["leads"].append(record)
    page = (
        environment()
        .get_template("leads.html.j2")
        .render(
            lang=lang,
            text=TEXT[lang],
            department=table["department"].iloc[0],
            headers={k: _header(k, lang) for k in COLUMNS},
            html_columns=HTML_COLUMNS,
            cases=cases,
            n_leads=len(table),
        )
    )
    path.write_text(page, encoding="utf-8")
    return path


def write_lead_sheets(
    result: LinkResult,
    outdir: str | Path,
    lang: str = "es",
    redact: bool = False,
    top_k: int = 3,
) -> list[Path]:
    """Write ``OUTDIR/leads/<department>.xlsx`` and ``.html`` for every department with leads.

    Returns the paths written, XLSX then HTML for each department in name order.
    """
    table = lead_table(result, lang=lang, redact=redact, top_k=top_k)
    folder = Path(outdir) / "leads"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for slug, part in table.groupby("slug", sort=True):
        paths.append(write_xlsx(part, folder / f"{slug}.xlsx", lang))
        paths.append(write_html(part, folder / f"{slug}.html", lang))
    return paths
