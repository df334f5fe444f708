"""Lead sheets for field teams: one XLSX workbook and one printable HTML page per department.

A case is a custody record (the parent sought and their children); a lead is one of its top
candidates whose match probability reaches the lead threshold (a visit is worth the trip). A lead
belongs to the department of the field report's place, else of the custody record's place, else
to ``sin-departamento``. A case is listed, with all its leads, in every department one of its
leads belongs to, marked with the others, so a "2" never goes out without its "1". A case whose
candidates all fall below the threshold says "sin pista fuerte" in its custody record's department
(no names are listed). Each lead shows what a volunteer checks at the door: both surnames, the
birth date or age and the children as each side states them, the report's date and organization.
``redact=True`` leaves out ID numbers. No workbook cell can run as a formula.

>>> paths = write_lead_sheets(result, "out/job1", lang="es")      # doctest: +SKIP
>>> [p.name for p in paths]                                       # doctest: +SKIP
['gt-huehuetenango.xlsx', 'gt-huehuetenango.html', 'sin-departamento.xlsx', ...]
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import phonenumbers

from linkage.pipeline import LinkResult
from linkage.reports import lead_facts as facts
from linkage.reports.leads_xlsx import write_xlsx
from linkage.reports.render import environment, percent
from linkage.settings import Settings
from normalizers.places import department_name, municipality_name
from normalizers.text import fold

NO_DEPARTMENT = "sin-departamento"
#: the default lead threshold (see :attr:`linkage.settings.Settings.lead_threshold`)
LEAD_THRESHOLD = Settings().lead_threshold

#: columns: key -> (Spanish header, English header)
COLUMNS: dict[str, tuple[str, str]] = {
    "case": ("Caso", "Case"),
    "child": ("Niño/a", "Child"),
    "parent": ("Padre/madre buscado/a", "Parent sought"),
    "parent_born": ("Nacimiento o edad (custodia)", "Birth date or age (custody)"),
    "a_number": ("Número A", "A-number"),
    "rank": ("N.º", "No."),
    "candidate": ("Candidato/a", "Candidate"),
    "surnames": ("Apellidos", "Surnames"),
    "born": ("Nacimiento o edad (reporte)", "Birth date or age (report)"),
    "children": ("Hijos (reporte)", "Children (report)"),
    "national_id": ("Documento de identidad", "ID number"),
    "probability": ("Probabilidad", "Probability"),
    "reasons": ("Motivos", "Reasons"),
    "where": ("Dónde buscar", "Where to look"),
    "phones": ("Teléfonos", "Phones"),
    "field_id": ("Reporte", "Report"),
    "report_date": ("Fecha del reporte", "Report date"),
    "organization": ("Organización", "Organization"),
    "also_in": ("Candidatos también en", "Candidates also in"),
    "result": ("Resultado de la visita", "Result of the visit"),
}
#: columns left out when ID numbers are redacted
ID_COLUMNS = ("a_number", "national_id")
#: case facts shown once above a case's leads on the page
CASE_KEYS = ("child", "parent", "parent_born", "a_number")

TEXT = {
    "es": {
        "title": "Pistas para visitas",
        "no_department": "Sin departamento",
        "cases": "Casos",
        "leads": "Pistas",
        "no_lead": "Sin pista fuerte",
        "no_lead_cases": "Casos sin pista fuerte",
        "no_lead_hint": "Ningún candidato llega al {threshold}: no se listan nombres.",
        "also_in": "Este caso tiene candidatos también en: {departments}",
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
        "page": "Página",
    },
    "en": {
        "title": "Leads for field visits",
        "no_department": "No department",
        "cases": "Cases",
        "leads": "Leads",
        "no_lead": "No strong lead",
        "no_lead_cases": "Cases with no strong lead",
        "no_lead_hint": "No candidate reaches {threshold}: no names are listed.",
        "also_in": "This case has candidates also in: {departments}",
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
        "page": "Page",
    },
}


def _check_lang(lang: str) -> None:
    if lang not in TEXT:
        raise ValueError(f"lang must be one of {tuple(TEXT)}, not {lang!r}")


def header(key: str, lang: str) -> str:
    """A column's header in ``lang``."""
    es, en = COLUMNS[key]
    return es if lang == "es" else en


def _list_text(value: str) -> str:
    """A ``;``-separated list spaced for reading: "Ana;Luis" -> "Ana; Luis"."""
    return "; ".join(part.strip() for part in value.split(";") if part.strip())


def _department_names(codes: pd.Series) -> pd.Series:
    return codes.map(lambda c: (department_name(c) or "") if c else "")


def _slug(code: str, name: str) -> str:
    return f"{code[:2].lower()}-{fold(name).replace(' ', '-')}" if name else NO_DEPARTMENT


def _where(field: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """The field report's community, municipality and department, as written where possible."""
    departments = _department_names(facts.column(field, ids, "department_code"))
    community = facts.column(field, ids, "community")
    municipality = facts.column(field, ids, "municipality")
    codes = facts.column(field, ids, "municipality_code")
    municipality = municipality.where(
        municipality != "", codes.map(lambda c: municipality_name(c) or "")
    )
    place = facts.column(field, ids, "place")
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
    normalized = facts.column(field, ids, "phones").map(
        lambda cell: "; ".join(_readable_phone(p.strip()) for p in cell.split(";") if p.strip())
    )
    return normalized.where(normalized != "", facts.column(field, ids, "phone").map(_list_text))


def tel_href(phone: str) -> str:
    """The ``tel:`` link of a phone as shown: "+502 5555 1234" -> "tel:+50255551234"."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)


def _case_facts(custody: pd.DataFrame, cid: pd.Series, lang: str) -> dict[str, pd.Series]:
    return {
        "case": cid,
        "child": facts.children(custody, cid),
        "parent": facts.person_name(custody, cid),
        "parent_born": facts.born(custody, cid, lang),
        "a_number": facts.column(custody, cid, "a_number"),
    }


def _custody_departments(custody: pd.DataFrame, cid: pd.Series) -> pd.Series:
    return facts.column(custody, cid, "department_code")


def lead_table(
    result: LinkResult,
    lang: str = "es",
    redact: bool = False,
    top_k: int = 3,
    threshold: float = LEAD_THRESHOLD,
) -> pd.DataFrame:
    """One row per lead and sheet, then one row per case without a strong lead; sheet keys.

    A lead is a candidate of rank <= ``top_k`` with ``match_probability`` >= ``threshold``; a case
    with leads in several departments has its leads repeated in each (``also_in`` names the
    others). Extra columns: ``kind`` ("lead" or "none"), ``department_code``, ``department``
    (display name) and ``slug`` (file name) of the sheet, ``custody_id`` and ``field_id`` (the
    ids a visit's result is read back by), ``best`` (the case's best probability, for ordering).
    """
    _check_lang(lang)
    matches = result.matches[result.matches["rank"] <= top_k]
    custody, field = result.custody, result.field
    strong = matches[matches["match_probability"] >= threshold]
    cid, fid = strong["custody_id"].astype(str), strong["field_id"].astype(str)
    codes = facts.column(field, fid, "department_code")
    codes = codes.where(codes != "", _custody_departments(custody, cid))
    leads = pd.DataFrame(
        {
            **_case_facts(custody, cid, lang),
            "rank": strong["rank"].astype(int),
            "candidate": facts.person_name(field, fid),
            "surnames": facts.surnames(field, fid, lang),
            "born": facts.born(field, fid, lang),
            "children": facts.children(field, fid),
            "national_id": facts.column(field, fid, "national_id"),
            "probability": strong["match_probability"].astype(float),
            "reasons": strong[f"reason_{lang}"].map(facts.text),
            "where": _where(field, fid),
            "phones": _phones(field, fid),
            "field_id": fid,
            "report_date": facts.column(field, fid, "report_date"),
            "organization": facts.column(field, fid, "organization"),
            "result": "",
            "kind": "lead",
            "department_code": codes,
        }
    )
    leads = _spread_over_departments(leads, lang)
    weak_ids = pd.Series(sorted(set(matches["custody_id"].astype(str)) - set(cid)), dtype=object)
    weak = pd.DataFrame(
        {
            **_case_facts(custody, weak_ids, lang),
            "candidate": TEXT[lang]["no_lead"],
            "result": "",
            "kind": "none",
            "department_code": _custody_departments(custody, weak_ids),
            "probability": float("nan"),
            "also_in": "",
        }
    )
    table = pd.concat([leads, _name_departments(weak, lang)], ignore_index=True)
    table["custody_id"] = table["case"]
    table["field_id"] = table["field_id"].fillna("") if "field_id" in table else ""
    table["best"] = table.groupby(["slug", "case"])["probability"].transform("max").fillna(-1.0)
    table = table.sort_values(
        ["slug", "best", "case", "rank", "field_id"],
        ascending=[True, False, True, True, True],
        kind="stable",
        na_position="last",
    )
    table["rank"] = [int(v) if pd.notna(v) else "" for v in table["rank"]]
    if redact:
        table = table.drop(columns=list(ID_COLUMNS))
    return table.reset_index(drop=True)


def _name_departments(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = _department_names(table["department_code"])
    return table.assign(
        department_code=table["department_code"].where(names != "", ""),
        department=names.where(names != "", TEXT[lang]["no_department"]),
        slug=[_slug(c, n) for c, n in zip(table["department_code"], names, strict=True)],
    )


def _spread_over_departments(leads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every case's leads repeated in each department one of them belongs to."""
    own = _name_departments(leads, lang)
    sheets = own[["case", "department_code", "department", "slug"]].drop_duplicates()
    spread = own.drop(columns=["department_code", "department", "slug"]).merge(
        sheets, on="case", how="inner"
    )
    names = sheets.groupby("case")["department"].agg(lambda s: sorted(set(s)))
    spread["also_in"] = [
        ", ".join(n for n in names[case] if n != department)
        for case, department in zip(spread["case"], spread["department"], strict=True)
    ]
    return spread


def write_html(table: pd.DataFrame, path: Path, lang: str, threshold: float) -> Path:
    """One department's leads as a page for a phone and for paper (Letter and A4).

    Each case is a block of cards, one per lead, that never breaks across printed pages; the
    confidentiality note is in every printed page's header.
    """
    cases: list[dict] = []
    weak: list[dict] = []
    # one pass over plain records: a groupby with a frame per case is slow on large jobs
    for record in table.to_dict("records"):
        case_facts = [(header(k, lang), record[k]) for k in CASE_KEYS if record.get(k)]
        if record["kind"] == "none":
            weak.append({"id": record["case"], "facts": case_facts})
            continue
        if not cases or cases[-1]["id"] != record["case"]:
            cases.append(
                {
                    "id": record["case"],
                    "facts": case_facts,
                    "also_in": record["also_in"],
                    "leads": [],
                }
            )
        record["phone_links"] = [
            (p, tel_href(p)) for p in str(record["phones"]).split("; ") if p.strip()
        ]
        cases[-1]["leads"].append(record)
    page = (
        environment()
        .get_template("leads.html.j2")
        .render(
            lang=lang,
            text=TEXT[lang],
            department=table["department"].iloc[0],
            headers={k: header(k, lang) for k in COLUMNS},
            cases=cases,
            weak=weak,
            no_lead_hint=TEXT[lang]["no_lead_hint"].format(threshold=percent(threshold)),
            n_leads=int((table["kind"] == "lead").sum()),
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
    threshold: float = LEAD_THRESHOLD,
) -> list[Path]:
    """Write ``OUTDIR/leads/<department>.xlsx`` and ``.html`` for every department with cases.

    Returns the paths written, XLSX then HTML for each department in name order.
    """
    table = lead_table(result, lang=lang, redact=redact, top_k=top_k, threshold=threshold)
    folder = Path(outdir) / "leads"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for slug, part in table.groupby("slug", sort=True):
        sheet = {
            **TEXT[lang],
            "title": f"{TEXT[lang]['title']} — {part['department'].iloc[0]}",
            "columns": {k: header(k, lang) for k in COLUMNS if k in part.columns},
        }
        paths.append(write_xlsx(part, folder / f"{slug}.xlsx", sheet))
        paths.append(write_html(part, folder / f"{slug}.html", lang, threshold))
    return paths
