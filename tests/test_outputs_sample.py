"""The files people act on, checked for content on a real run of the sample (conftest's job)."""

from __future__ import annotations

import csv
import html
import json

import pandas as pd
import pytest
from html_text import assert_self_contained, headings, table_rows
from openpyxl import load_workbook

from linkage.reports.report_text import TEXT
from linkage.reports.run_report import band_counts
from linkage.reports.safety import TRIGGERS


@pytest.fixture(scope="module")
def matches(sample_job):
    return pd.read_parquet(sample_job / "matches.parquet")


@pytest.fixture(scope="module")
def workbooks(sample_job):
    """Every lead workbook's rows as dicts, by department file name."""
    out = {}
    for path in sorted((sample_job / "leads").glob("*.xlsx")):
        ws = load_workbook(path).active
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        out[path.stem] = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    return out


def test_lead_sheets_hold_exactly_the_strong_top_three_candidates(matches, workbooks):
    top = matches[(matches["rank"] <= 3) & (matches["match_probability"] >= 0.5)]
    rows = [r for sheet in workbooks.values() for r in sheet]
    leads = {(r["custody_id"], r["field_id"]) for r in rows if r["field_id"]}
    assert leads == set(zip(top["custody_id"], top["field_id"], strict=True))
    # every other case with candidates says so once, with no names
    weak = [r["custody_id"] for r in rows if not r["field_id"]]
    assert sorted(weak) == sorted(set(matches["custody_id"]) - set(top["custody_id"]))
    assert {r["Candidato/a"] for r in rows if not r["field_id"]} == {"Sin pista fuerte"}


def test_a_case_comes_whole_on_every_sheet_it_is_on(workbooks):
    sheets_of: dict[str, list[tuple]] = {}
    for sheet in workbooks.values():
        for case in {r["custody_id"] for r in sheet}:
            rows = [r for r in sheet if r["custody_id"] == case]
            leads = tuple(sorted((r["N.º"] or 0, r["field_id"] or "") for r in rows))
            sheets_of.setdefault(case, []).append(leads)
    for case, copies in sheets_of.items():
        assert len(set(copies)) == 1, case
        ranks = [rank for rank, _ in copies[0] if rank]
        assert not ranks or min(ranks) == 1, case  # never a "2" without its "1"


def test_lead_cells_match_the_job(matches, workbooks):
    by_pair = matches.set_index(["custody_id", "field_id"])
    for rows in workbooks.values():
        for row in rows:
            if not row["field_id"]:
                continue
            assert (row["Caso"], row["Reporte"]) == (row["custody_id"], row["field_id"])
            pair = by_pair.loc[(row["Caso"], row["Reporte"])]
            assert row["N.º"] == pair["rank"]
            assert row["Probabilidad"] == pytest.approx(pair["match_probability"])
            assert (row["Motivos"] or "") == pair["reason_es"]
            assert row["Resultado de la visita"] is None


def test_each_department_page_shows_its_cases(sample_job, workbooks):
    for stem, rows in workbooks.items():
        page = (sample_job / "leads" / f"{stem}.html").read_text(encoding="utf-8")
        assert_self_contained(page)
        cases = list(dict.fromkeys(r["Caso"] for r in rows if r["field_id"]))
        shown = headings(page)[1:]
        assert shown[: len(cases)] == [f"Caso {case}" for case in cases]
        for reason in {r["Motivos"] for r in rows if r["Motivos"]}:
            assert f"<dd>{html.escape(reason, quote=True)}</dd>" in page


def test_no_output_cell_can_run_as_a_formula(sample_job):
    for path in (sample_job / "leads").glob("*.xlsx"):
        ws = load_workbook(path).active
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, cell.coordinate)
                if isinstance(cell.value, str) and cell.value.lstrip(" ").startswith(TRIGGERS):
                    assert cell.quotePrefix, (path.name, cell.coordinate)
    for path in sample_job.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if cell.lstrip(" ").startswith(TRIGGERS):
                        float(cell)  # only numbers may start with a sign


def test_run_report_matches_the_job(sample_job, matches):
    page = (sample_job / "report.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    manifest = json.loads((sample_job / "manifest.json").read_text(encoding="utf-8"))
    rows = table_rows(page)
    custody_row = next(r for r in rows if r[0] == "Custodia (EE. UU.)")
    counts = manifest["inputs"]["custody"]["rows"]
    assert custody_row[1] == "custody.csv"
    assert custody_row[2] == f"{counts['rows_read']:,}"
    assert custody_row[4] == f"{counts['rows_scored']:,}"
    for rule in manifest["blocking"]:
        described = TEXT["es"]["rules"][rule["rule"]]  # the report is in Spanish
        assert [rule["rule"], described, f"{rule['pairs']:,}"] in [r[:3] for r in rows]
    names = ["Alta (≥ 90 %)", "Media (50–90 %)", "Baja (10–50 %)", "Muy baja (< 10 %)"]
    expected = [
        [name, f"{b['cases']:,}", f"{b['pairs']:,}"]
        for name, b in zip(names, band_counts(matches).to_dict("records"), strict=True)
    ]
    assert [r for r in rows if r and r[0] in names] == expected
    assert sum(int(r[1].replace(",", "")) for r in expected) == matches["custody_id"].nunique()
