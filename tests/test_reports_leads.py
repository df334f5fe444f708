import pandas as pd
import pytest
from html_text import assert_self_contained, headings, table_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from outputs_fixture import make_result

from linkage.reports.leads import lead_table, write_lead_sheets

HEADERS_ES = [
    "Caso",
    "Niño/a",
    "Padre/madre buscado/a",
    "Número A",
    "N.º",
    "Candidato/a",
    "Reporte",
    "Documento de identidad",
    "Probabilidad",
    "Motivos",
    "Dónde buscar",
    "Teléfonos",
    "Organización",
    "Resultado de la visita",
]


@pytest.fixture(scope="module")
def result():
    return make_result()


@pytest.fixture(scope="module")
def spanish(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("leads_es")
    return out, write_lead_sheets(result, out)


def _rows(path):
    ws = load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_one_workbook_and_one_page_per_department(spanish):
    out, paths = spanish
    assert [p.relative_to(out).as_posix() for p in paths] == [
        "leads/gt-huehuetenango.xlsx",
        "leads/gt-huehuetenango.html",
        "leads/hn-comayagua.xlsx",
        "leads/hn-comayagua.html",
        "leads/sin-departamento.xlsx",
        "leads/sin-departamento.html",
    ]


def test_workbook_cells_read_back(spanish, result):
    out, _ = spanish
    rows = _rows(out / "leads" / "gt-huehuetenango.xlsx")
    assert rows[0] == HEADERS_ES
    body = [dict(zip(HEADERS_ES, r, strict=True)) for r in rows[1:]]
    assert [(r["Caso"], r["N.º"], r["Reporte"]) for r in body] == [
        ("C1", 1, "F1"),
        ("C1", 2, "F2"),
        ("C1", 3, "F4"),
    ]
    first = body[0]
    kept = result.matches.set_index("field_id").loc["F1"]
    assert first["Probabilidad"] == pytest.approx(kept["match_probability"])
    assert first["Motivos"] == kept["reason_es"]
    assert first["Motivos"].startswith("Mismo nombre y ambos apellidos; Coincide un hijo")
    assert first["Niño/a"] == "Ana García"
    assert first["Padre/madre buscado/a"] == "GARCIA LOPEZ, MARIA"
    assert first["Número A"] == "A012345678"
    assert first["Candidato/a"] == "María García López"
    assert first["Documento de identidad"] == "1234 56789 1301"
    assert first["Dónde buscar"] == "Aldea El Rosario, Huehuetenango"
    assert first["Teléfonos"] == "+502 5555 1234"
    assert first["Organización"] == "Pastoral de Movilidad Humana"
    assert [r["Resultado de la visita"] for r in body] == [None, None, None]
    assert body[1]["Dónde buscar"] == "Caserío Las Flores, Chiantla, Huehuetenango"


def test_workbook_is_laid_out_for_reading_and_printing(spanish):
    out, _ = spanish
    ws = load_workbook(out / "leads" / "gt-huehuetenango.xlsx").active
    assert ws.title == "Pistas"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:N4"
    assert ws.column_dimensions["J"].width == 44
    assert ws["J2"].alignment.wrap_text
    assert ws["A1"].font.b
    assert ws.page_setup.orientation == "landscape"
    assert ws["I2"].number_format.endswith("0%")
    notes = load_workbook(out / "leads" / "gt-huehuetenango.xlsx")["Léame"]
    assert notes["A1"].value == "Pistas para visitas — Huehuetenango"
    assert notes["A2"].value.startswith("Confidencial: datos personales de niñas, niños")
    assert "Resultado de la visita" in notes["A3"].value


def test_no_workbook_cell_can_run_as_a_formula(spanish):
    out, _ = spanish
    ws = load_workbook(out / "leads" / "gt-huehuetenango.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = {c.value: c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"}
    assert set(risky) == {'=HYPERLINK("http://example.invalid")', "@SUM(1)", "+502 5555 1234"}
    assert all(c.quotePrefix and c.data_type == "s" for c in risky.values())
    assert not ws["F2"].quotePrefix


def test_lead_goes_to_field_department_else_custody_department(result):
    table = lead_table(result).set_index("field_id")
    assert table.loc["F3", "slug"] == "hn-comayagua"  # field report's place wins
    assert table.loc["F4", "slug"] == "gt-huehuetenango"  # no field place: the custody record's
    assert table.loc["F4", "where"] == "Siguatepeque"  # where to look stays the field report's
    assert table.loc["F5", "slug"] == "sin-departamento"
    assert table.loc["F5", "department"] == "Sin departamento"


def test_cases_ordered_by_best_probability_and_top_k(result):
    extra = result.matches[result.matches["custody_id"] == "C3"].assign(
        custody_id="C9", match_probability=0.2, rank=1
    )
    result_many = make_result()
    result_many.matches = pd.concat([result.matches, extra], ignore_index=True)
    table = lead_table(result_many, top_k=1)
    assert (table["rank"] == 1).all()
    nodept = table[table["slug"] == "sin-departamento"]
    assert nodept["case"].tolist() == ["C3", "C9"]


def test_page_holds_cases_candidates_and_reasons(spanish, result):
    out, _ = spanish
    page = (out / "leads" / "gt-huehuetenango.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert headings(page) == ["Pistas para visitas — Huehuetenango", "Caso C1"]
    rows = table_rows(page)
    assert rows[0] == [
        "N.º",
        "Candidato/a",
        "Probabilidad",
        "Motivos",
        "Dónde buscar",
        "Teléfonos y organización",
        "Resultado de la visita",
    ]
    assert rows[1] == [
        "1",
        "María García López | Reporte F1 | Documento de identidad: 1234 56789 1301",
        ">99%",
        result.matches.set_index("field_id").loc["F1", "reason_es"],
        "Aldea El Rosario, Huehuetenango",
        "+502 5555 1234 | Pastoral de Movilidad Humana",
        "",
    ]
    assert rows[2][2] == "41%"
    assert rows[3][2] == "<1%"
    assert "Niño/a</dt><dd>Ana García" in page
    assert "Padre/madre buscado/a</dt><dd>GARCIA LOPEZ, MARIA" in page
    assert "&#34;http://example.invalid&#34;" in page  # escaped, never markup


def test_page_prints_on_letter_and_a4(spanish):
    out, _ = spanish
    page = (out / "leads" / "gt-huehuetenango.html").read_text(encoding="utf-8")
    assert "@page { size: auto; margin: 12mm; }" in page
    assert "table-layout: fixed" in page
    assert "page-break-inside: avoid" in page
    widths = [float(w) for w in __import__("re").findall(r'<col style="width: (\d+)%">', page)]
    assert sum(widths) == 100


def test_redact_hides_id_numbers_everywhere(result, tmp_path):
    paths = write_lead_sheets(result, tmp_path, redact=True)
    for path in paths:
        if path.suffix == ".xlsx":
            text = " ".join(str(v) for row in _rows(path) for v in row)
        else:
            text = path.read_text(encoding="utf-8")
        for secret in ("A012345678", "1234 56789 1301", "0301-1979-00001", "A098765432"):
            assert secret not in text
    header = _rows(tmp_path / "leads" / "gt-huehuetenango.xlsx")[0]
    assert "Número A" not in header and "Documento de identidad" not in header
    assert "Teléfonos" in header


def test_english_sheets(result, tmp_path):
    write_lead_sheets(result, tmp_path, lang="en")
    rows = _rows(tmp_path / "leads" / "hn-comayagua.xlsx")
    assert rows[0][:6] == ["Case", "Child", "Parent sought", "A-number", "No.", "Candidate"]
    assert rows[0][-1] == "Result of the visit"
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Reasons"] == result.matches.set_index("field_id").loc["F3", "reason_en"]
    assert record["Child"] == "Luis Pérez; Marta Pérez"
    assert record["Phones"] == "+504 9999-0000; +504 8888-1111"
    page = (tmp_path / "leads" / "sin-departamento.html").read_text(encoding="utf-8")
    assert headings(page) == ["Leads for field visits — No department", "Case C3"]
    assert '<html lang="en">' in page


def test_unknown_language_is_refused(result, tmp_path):
    with pytest.raises(ValueError, match="lang"):
        write_lead_sheets(result, tmp_path, lang="fr")


def test_same_job_gives_the_same_bytes(result, tmp_path):
    first = write_lead_sheets(result, tmp_path / "a")
    second = write_lead_sheets(result, tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    props = load_workbook(first[0]).properties
    assert props.created == props.modified


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(st.text(max_size=40), st.none(), st.integers(), st.floats()),
        min_size=5,
        max_size=5,
    )
)
def test_any_cell_text_gives_inert_sheets_and_escaped_pages(tmp_path, values):
    result = make_result()
    for column in ("full_name", "community", "phone", "organization"):
        result.field[column] = pd.Series(values, index=result.field.index, dtype=object)
    result.field["phones"] = None
    paths = write_lead_sheets(result, tmp_path)
    for path in paths:
        if path.suffix == ".xlsx":
            for row in load_workbook(path).active.iter_rows():
                for cell in row:
                    assert cell.data_type != "f"
        else:
            page = path.read_text(encoding="utf-8")
            assert "<script" not in page.replace("&lt;script", "")
