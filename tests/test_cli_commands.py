"""The CLI's commands and flags do what they say (issue 13, items 12, 13 and 14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import cli
from linkage.outputs import sha256
from tests.conftest import SAMPLE
from tests.html_text import table_rows
from tests.small_job import quick_config, small_inputs


def match(custody: Path, field: Path, out: Path, *flags: str) -> None:
    config = quick_config(out.parent)
    argv = ["match", "--custody", str(custody), "--field", str(field), "--out", str(out)]
    assert cli.main([*argv, "--config", str(config), "--quiet", *flags]) == 0


@pytest.fixture(scope="module")
def first_job(tmp_path_factory) -> Path:
    """A job on the first slice of the sample, with the default flags."""
    folder = tmp_path_factory.mktemp("first")
    custody, field = small_inputs(folder / "in")
    match(custody, field, folder / "out")
    return folder


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def test_a_saved_model_scores_other_files_without_fitting(first_job, tmp_path):
    saved = first_job / "out" / "model.json"
    custody, field = small_inputs(tmp_path / "in", part=1)
    match(custody, field, tmp_path / "scored", "--model", str(saved))
    manifest = _manifest(tmp_path / "scored")
    assert manifest["model"] == {"fitted": False, "path": str(saved), "sha256": sha256(saved)}
    assert "fit" not in manifest["timings"]
    used = json.loads((tmp_path / "scored" / "model.json").read_text())
    fitted_elsewhere = json.loads(saved.read_text())
    for key in ("prior", "comparisons", "em"):
        assert used[key] == fitted_elsewhere[key], key
    # the same files fitted on their own give another model: ignoring --model would show
    match(custody, field, tmp_path / "fitted")
    own = json.loads((tmp_path / "fitted" / "model.json").read_text())
    assert own["prior"] != fitted_elsewhere["prior"]
    assert _manifest(tmp_path / "fitted")["model"] == {"fitted": True}


def _id_numbers(*paths: Path) -> set[str]:
    ids = set()
    for path in paths:
        frame = pd.read_csv(path, dtype=str)
        for column in {"national_id", "a_number"} & set(frame.columns):
            ids |= {v for v in frame[column].dropna() if sum(ch.isdigit() for ch in v) >= 8}
    return ids


def _leads_text(out: Path) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((out / "leads").glob("*.html"))]
    for book in sorted((out / "leads").glob("*.xlsx")):
        workbook = load_workbook(book, read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                texts.append(" ".join(str(v) for v in row if v is not None))
        workbook.close()
    return "\n".join(texts)


def test_one_to_one_english_redacted_with_an_audit_log_elsewhere(first_job, tmp_path):
    custody, field = first_job / "in" / "custody.csv", first_job / "in" / "field.csv"
    top = pd.read_csv(first_job / "out" / "matches.csv", dtype=str, encoding="utf-8-sig").iloc[0]
    labels = tmp_path / "decisions.csv"
    labels.write_text(
        "custody_id,field_id,decision,reviewer,time,note\n"
        f"{top['custody_id']},{top['field_id']},match,R1,2024-05-01T10:00:00Z,\n"
    )
    audit = tmp_path / "logs" / "audit.jsonl"
    out = tmp_path / "out"
    flags = ["--one-to-one", "--lang", "en", "--redact", "--labels", str(labels)]
    match(custody, field, out, *flags, "--audit-log", str(audit))

    matches = pd.read_parquet(out / "matches.parquet")
    assigned = matches[matches["assigned"]]
    assert len(assigned) > 0
    assert assigned.groupby("custody_id")["field_person"].nunique().max() == 1
    assert assigned.groupby("field_person")["custody_id"].nunique().max() == 1
    assert _manifest(out)["settings"]["one_to_one"] is True

    report = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in report and "<h2>Rejects</h2>" in report
    leads = _leads_text(out)
    assert all('<html lang="en">' in p.read_text() for p in (out / "leads").glob("*.html"))
    ids = _id_numbers(custody, field)
    unredacted = _leads_text(first_job / "out")
    assert {i for i in ids if i in unredacted}, "the check below would prove nothing"
    assert {i for i in ids if i in leads} == set()

    entries = [json.loads(line) for line in audit.read_text().splitlines()]
    assert [(e["seq"], e["record"]["custody_id"], e["record"]["decision"]) for e in entries] == [
        (1, top["custody_id"], "match")
    ]
    assert not (out / "audit_log.jsonl").exists()
    first = matches[matches["custody_id"] == top["custody_id"]].iloc[0]
    assert (first["field_id"], first["rank"]) == (top["field_id"], 1)


def test_the_default_audit_log_lives_in_the_folder_and_keeps_its_chain(first_job, tmp_path):
    custody, field = first_job / "in" / "custody.csv", first_job / "in" / "field.csv"
    top = pd.read_csv(first_job / "out" / "matches.csv", dtype=str, encoding="utf-8-sig")
    out = tmp_path / "out"
    labels = tmp_path / "decisions.csv"
    header = "custody_id,field_id,decision,reviewer,time,note\n"
    row = "{},{},{},R1,2024-05-0{}T10:00:00Z,\n"
    labels.write_text(
        header + row.format(top.loc[0, "custody_id"], top.loc[0, "field_id"], "match", 1)
    )
    match(custody, field, out, "--labels", str(labels))
    match(custody, field, out)  # a run without labels keeps the log
    labels.write_text(
        header + row.format(top.loc[1, "custody_id"], top.loc[1, "field_id"], "non-match", 2)
    )
    match(custody, field, out, "--labels", str(labels))
    entries = [json.loads(line) for line in (out / "audit_log.jsonl").read_text().splitlines()]
    assert [e["seq"] for e in entries] == [1, 2]
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    assert [e["record"]["decision"] for e in entries] == ["match", "non-match"]


def test_demo_runs_the_job_on_the_sample_and_evaluates_it(tmp_path, capsys, monkeypatch):
    sample = tmp_path / "sample"
    custody, field = small_inputs(sample)
    ids = set(pd.read_csv(custody, dtype=str)["record_id"])
    truth = pd.read_csv(SAMPLE / "truth.csv", dtype=str)
    truth[truth["custody_id"].isin(ids)].to_csv(sample / "truth.csv", index=False)
    monkeypatch.setattr("linkage.job.SAMPLE", sample)
    out = tmp_path / "demo"
    config = quick_config(tmp_path)
    assert cli.main(["demo", "--out", str(out), "--quiet", "--config", str(config)]) == 0
    printed = capsys.readouterr().out
    pattern = (
        r"(\d+) of (\d+) custody records with a true match had it ranked first \(recall@1 "
        r"(0\.\d{3}|1\.000), recall@5 \d\.\d{3}, F1 \d\.\d{3} at best threshold\); outputs in "
    )
    found = re.fullmatch(pattern + re.escape(str(out)) + "\n", printed)
    assert found is not None, printed
    first, total = int(found[1]), int(found[2])
    assert total == truth.loc[truth["custody_id"].isin(ids), "custody_id"].nunique()
    assert 0 < first <= total
    assert f"{first / total:.3f}" == found[3]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert ["Exhaustividad en el primer puesto", found[3]] in table_rows(report)


def test_synth_writes_a_set_and_says_so(tmp_path, capsys):
    argv = ["synth", "--custody", "20", "--field", "60", "--seed", "3"]
    assert cli.main([*argv, "--out", str(tmp_path / "a")]) == 0
    printed = capsys.readouterr().out
    truth = pd.read_csv(tmp_path / "a" / "truth.csv", dtype=str)
    assert (
        printed == f"wrote 20 custody, 60 field and {len(truth)} true pairs to {tmp_path / 'a'}\n"
    )
    assert len(pd.read_csv(tmp_path / "a" / "custody.csv", dtype=str)) == 20
    assert len(pd.read_csv(tmp_path / "a" / "field.csv", dtype=str)) == 60
    assert len(truth) > 0 and list(truth.columns) == ["custody_id", "field_id"]
    assert cli.main([*argv, "--out", str(tmp_path / "b")]) == 0
    for name in ("custody.csv", "field.csv", "truth.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_rejects_are_accounted_for_in_every_output(first_job, tmp_path, caplog):
    custody = tmp_path / "custody.csv"
    good = (first_job / "in" / "custody.csv").read_text(encoding="utf-8")
    first_id = good.splitlines()[1].split(",")[0]
    bad = [
        f"{first_id},Duplicada Inventada,F,1980-01-01,GT,,,,,,",  # row 32
        ",Sin Identificador,F,1980-01-01,GT,,,,,,",  # row 33
        "C999001,,F,1980-01-01,GT,,,,,,",  # row 34
        "C999002,Fila Corta",  # row 35
        "C999003,Fecha Mala Inventada,F,not a date,GT,,,,,,",  # row 36: kept, value ignored
    ]
    custody.write_text(good + "\n".join(bad) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    match(custody, first_job / "in" / "field.csv", out)
    assert "custody: 35 rows read, 4 rejected, 1 values ignored (see rejects.csv)" in [
        r.getMessage() for r in caplog.records if r.levelname == "WARNING"
    ]

    rejects = pd.read_csv(
        out / "rejects.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False
    )
    assert rejects[["file", "row", "column", "reason", "kind"]].values.tolist() == [
        [
            str(custody),
            "32",
            "record_id",
            f"duplicate record_id '{first_id}' (first at row 2)",
            "row",
        ],
        [str(custody), "33", "record_id", "empty record_id", "row"],
        [str(custody), "34", "full_name", "no name in any name column", "row"],
        [str(custody), "35", "", "row has 2 fields, header has 11", "row"],
        [
            str(custody),
            "36",
            "birth_date",
            "cannot read birth_date; value ignored ('not a date')",
            "value",
        ],
    ]
    rows = _manifest(out)["inputs"]["custody"]["rows"]
    assert {
        k: rows[k] for k in ("rows_read", "rows_rejected", "rows_scored", "values_ignored")
    } == {
        "rows_read": 35,
        "rows_rejected": 4,
        "rows_scored": 31,
        "values_ignored": 1,
    }
    report = (out / "report.html").read_text(encoding="utf-8")
    table = [r for r in table_rows(report) if r and r[0] == "custody.csv" and len(r) == 5]
    assert sorted(table) == sorted(
        [
            ["custody.csv", "record_id", "record_id repetido", "fila", "1"],
            ["custody.csv", "record_id", "record_id vacío", "fila", "1"],
            ["custody.csv", "full_name", "ninguna columna de nombre trae un nombre", "fila", "1"],
            ["custody.csv", "", "la fila no tiene tantos campos como el encabezado", "fila", "1"],
            [
                "custody.csv",
                "birth_date",
                "no se puede leer la fecha de nacimiento; valor ignorado",
                "valor",
                "1",
            ],
        ]
    )
