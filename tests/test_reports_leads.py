import pandas as pd
import pytest
from html_text import assert_self_contained, headings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from outputs_fixture import make_result

from linkage.reports.leads import lead_table, write_lead_sheets
from linkage.reports.leads_xlsx import PERCENT_FORMAT, wrapped_lines

HEADERS_ES = [
    "Caso",
    "Niño/a",
    "Padre/madre buscado/a",
    "Nacimiento o edad (custodia)",
    "Número A",
    "N.º",
    "Candidato/a",
    "Apellidos",
    "Nacimiento o edad (reporte)",
    "Hijos (reporte)",
    "Documento de identidad",
    "Probabilidad",
    "Motivos",
    "Dónde buscar",
    "Teléfonos",
    "Reporte",
    "Fecha del reporte",
    "Organización",
    "Candidatos también en",
    "Resultado de la visita",
    "custody_id",
    "field_id",
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


def _records(path):
    rows = _rows(path)
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


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


def test_workbook_shows_what_to_confirm_at_the_door(spanish, result):
    out, _ = spanish
    rows = _rows(out / "leads" / "gt-huehuetenango.xlsx")
    assert rows[0] == HEADERS_ES
    body = _records(out / "leads" / "gt-huehuetenango.xlsx")
    # F2 (41%) and F4 (<1%) are below the lead threshold: only F1 is worth a trip
    assert [(r["Caso"], r["N.º"], r["Reporte"]) for r in body] == [("C1", 1, "F1")]
    first = body[0]
    kept = result.matches.set_index("field_id").loc["F1"]
    assert first["Probabilidad"] == pytest.approx(kept["match_probability"])
    assert first["Motivos"] == kept["reason_es"]
    assert first["Motivos"].startswith("Mismo nombre y ambos apellidos; coincide un hijo")
    assert first["Niño/a"] == "Ana García (05/14/2012)"
    assert first["Padre/madre buscado/a"] == "GARCIA LOPEZ, MARIA"
    assert first["Nacimiento o edad (custodia)"] == "04/03/1985"
    assert first["Número A"] == "A012345678"
    assert first["Candidato/a"] == "María García López"
    assert first["Apellidos"] == "García · López"
    assert first["Nacimiento o edad (reporte)"] == "4 de marzo de 1985"
    assert first["Hijos (reporte)"] == "ana garcia (14/05/2012)"
    assert first["Documento de identidad"] == "1234 56789 1301"
    assert first["Dónde buscar"] == "Aldea El Rosario, Huehuetenango"
    assert first["Teléfonos"] == "+502 5555 1234"
    assert first["Fecha del reporte"] == "02/03/2021"
    assert first["Organización"] == "Pastoral de Movilidad Humana"
    assert first["Candidatos también en"] is None
    assert first["Resultado de la visita"] is None
    assert (first["custody_id"], first["field_id"]) == ("C1", "F1")


def test_lead_threshold_keeps_weak_candidates_off_and_says_so(result, tmp_path):
    paths = write_lead_sheets(result, tmp_path, threshold=0.999999)
    assert [p.name for p in paths if p.suffix == ".xlsx"] == [
        "gt-huehuetenango.xlsx",
        "hn-cortes.xlsx",
        "sin-departamento.xlsx",
    ]
    # no candidate reaches the threshold: the case goes to its custody record's department
    rows = _records(tmp_path / "leads" / "hn-cortes.xlsx")
    assert [(r["Caso"], r["Candidato/a"], r["N.º"], r["Probabilidad"]) for r in rows] == [
        ("C2", "Sin pista fuerte", None, None)
    ]
    assert rows[0]["Niño/a"] == "Luis Pérez; Marta Pérez (02/01/2015)"
    assert (rows[0]["custody_id"], rows[0]["field_id"]) == ("C2", None)
    page = (tmp_path / "leads" / "hn-cortes.html").read_text(encoding="utf-8")
    assert "José Pérez" not in page and "%</span>" not in page
    assert "Casos sin pista fuerte" in page
    assert "Ningún candidato llega al &gt;99%: no se listan nombres." in page
    nodept = _records(tmp_path / "leads" / "sin-departamento.xlsx")
    assert [(r["Caso"], r["Candidato/a"]) for r in nodept] == [("C3", "Sin pista fuerte")]
    english = lead_table(result, lang="en", threshold=0.999999)
    assert english["candidate"].tolist() == ["No strong lead"] * 3


def test_lower_threshold_lists_more_candidates(result):
    table = lead_table(result, threshold=0.3)
    assert table.loc[table["case"] == "C1", "field_id"].tolist() == ["F1", "F2"]
    assert lead_table(result, threshold=0.0)["field_id"].tolist() == [
        "F1", "F2", "F4", "F3", "F5"
    ]


def test_a_case_is_listed_whole_in_every_department_of_its_candidates(tmp_path):
    spread = make_result()
    spread.field.loc["F2", "department_code"] = "HN03"
    write_lead_sheets(spread, tmp_path, threshold=0.3)
    for sheet, other in (("gt-huehuetenango", "Comayagua"), ("hn-comayagua", "Huehuetenango")):
        rows = [r for r in _records(tmp_path / "leads" / f"{sheet}.xlsx") if r["Caso"] == "C1"]
        assert [(r["N.º"], r["Reporte"]) for r in rows] == [(1, "F1"), (2, "F2")]
        assert {r["Candidatos también en"] for r in rows} == {other}
        page = (tmp_path / "leads" / f"{sheet}.html").read_text(encoding="utf-8")
        assert f"Este caso tiene candidatos también en: {other}" in page
    comayagua = _records(tmp_path / "leads" / "hn-comayagua.xlsx")
    assert [r["Caso"] for r in comayagua] == ["C1", "C1", "C2"]


def test_workbook_is_laid_out_for_reading_and_printing(result, tmp_path):
    write_lead_sheets(result, tmp_path, threshold=0.0)
    book = load_workbook(tmp_path / "leads" / "gt-huehuetenango.xlsx")
    ws = book.active
    assert ws.title == "Pistas"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:V4"
    assert ws.column_dimensions["M"].width == 44
    assert ws["M2"].alignment.wrap_text
    assert ws["A1"].font.b
    assert ws.page_setup.orientation == "landscape"
    # the ids a visit's result is read back by are there, out of the way
    assert [ws["U1"].value, ws["V1"].value] == ["custody_id", "field_id"]
    assert ws.column_dimensions["U"].hidden and ws.column_dimensions["V"].hidden
    assert not ws.column_dimensions["T"].hidden
    # every printed page carries the confidentiality note
    assert ws.oddHeader.center.text.startswith("Confidencial: datos personales de niñas, niños")
    assert ws.oddFooter.right.text == "Página &P / &N"
    # probabilities show as on the page: ">99%", "41%", "<1%"
    formats = [ws.cell(row=r, column=12).number_format for r in (2, 3, 4)]
    assert formats == [PERCENT_FORMAT, PERCENT_FORMAT, '"<1%"']
    assert 0 < ws["L4"].value < 0.005
    # rows are tall enough for their wrapped text
    for r in range(1, ws.max_row + 1):
        needed = max(
            wrapped_lines(c.value, int(ws.column_dimensions[c.column_letter].width))
            for c in ws[r][:20]
            if c.value is not None
        )
        assert ws.row_dimensions[r].height >= 15 * needed
    assert ws.row_dimensions[2].height >= 15 * 3  # the reasons take three lines
    notes = book["Léame"]
    assert notes["A1"].value == "Pistas para visitas — Huehuetenango"
    assert notes["A2"].value.startswith("Confidencial: datos personales de niñas, niños")
    assert "Resultado de la visita" in notes["A3"].value


def test_wrapped_lines_counts_words_not_characters():
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("uno dos tres", 10) == 2
    assert wrapped_lines("uno\ndos", 30) == 2
    assert wrapped_lines("x" * 25, 10) == 3


def test_no_workbook_cell_can_run_as_a_formula(result, tmp_path):
    write_lead_sheets(result, tmp_path, threshold=0.0)
    ws = load_workbook(tmp_path / "leads" / "gt-huehuetenango.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = {c.value: c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"}
    assert set(risky) == {'=HYPERLINK("http://example.invalid")', "@SUM(1)", "+502 5555 1234"}
    assert all(c.quotePrefix and c.data_type == "s" for c in risky.values())
    assert not ws["G2"].quotePrefix


def test_lead_goes_to_field_department_else_custody_department(result):
    table = lead_table(result, threshold=0.0).set_index("field_id")
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
    table = lead_table(result_many, top_k=1, threshold=0.1)
    assert (table["rank"] == 1).all()
    nodept = table[table["slug"] == "sin-departamento"]
    assert nodept["case"].tolist() == ["C3", "C9"]


def test_page_shows_each_lead_as_a_card(result, tmp_path):
    write_lead_sheets(result, tmp_path, threshold=0.0)
    page = (tmp_path / "leads" / "gt-huehuetenango.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert "<table" not in page
    assert headings(page) == ["Pistas para visitas — Huehuetenango", "Caso C1"]
    cards = page.split('<article class="lead"')[1:]
    assert len(cards) == 3
    first = cards[0]
    assert '<span>1 · María García López</span><span class="probability">&gt;99%</span>' in first
    assert "<dt>Apellidos</dt><dd>García · López</dd>" in first
    assert "<dt>Nacimiento o edad (reporte)</dt><dd>4 de marzo de 1985</dd>" in first
    assert "<dt>Hijos (reporte)</dt><dd>ana garcia (14/05/2012)</dd>" in first
    reason = result.matches.set_index("field_id").loc["F1", "reason_es"]
    assert f"<dt>Motivos</dt><dd>{reason}</dd>" in first
    assert '<a class="tel" href="tel:+50255551234">+502 5555 1234</a>' in first
    assert "F1 · 02/03/2021 · Pastoral de Movilidad Humana" in first
    assert "<dt>Nacimiento o edad (reporte)</dt><dd>39 años (al 15/06/2024)</dd>" in cards[1]
    assert '<span class="probability">41%</span>' in cards[1]
    assert '<span class="probability">&lt;1%</span>' in cards[2]
    assert "<dt>Niño/a</dt><dd>Ana García (05/14/2012)</dd>" in page
    assert "<dt>Padre/madre buscado/a</dt><dd>GARCIA LOPEZ, MARIA</dd>" in page
    assert "<dt>Nacimiento o edad (custodia)</dt><dd>04/03/1985</dd>" in page
    assert "&#34;http://example.invalid&#34;" in page  # escaped, never markup


def test_page_prints_the_note_on_every_page(spanish):
    out, _ = spanish
    page = (out / "leads" / "gt-huehuetenango.html").read_text(encoding="utf-8")
    assert '@top-center { content: "Confidencial: datos personales de niñas, niños' in page
    assert "page-break-inside: avoid" in page


def test_redact_hides_id_numbers_everywhere(result, tmp_path):
    paths = write_lead_sheets(result, tmp_path, redact=True, threshold=0.0)
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
    assert rows[0][:7] == [
        "Case", "Child", "Parent sought", "Birth date or age (custody)", "A-number", "No.",
        "Candidate",
    ]
    assert rows[0][-3:] == ["Result of the visit", "custody_id", "field_id"]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Reasons"] == result.matches.set_index("field_id").loc["F3", "reason_en"]
    assert record["Child"] == "Luis Pérez; Marta Pérez (02/01/2015)"
    assert record["Phones"] == "+504 9999-0000; +504 8888-1111"
    assert record["Surnames"] == "Pérez · no 2nd surname"
    assert record["Birth date or age (report)"] == "44 years old"
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
    paths = write_lead_sheets(result, tmp_path, threshold=0.0)
    for path in paths:
        if path.suffix == ".xlsx":
            for row in load_workbook(path).active.iter_rows():
                for cell in row:
                    assert cell.data_type != "f"
        else:
            page = path.read_text(encoding="utf-8")
            assert "<script" not in page.replace("&lt;script", "")
