"""`cli.py match --labels` end to end: a reviewer's decisions change the next run."""

from __future__ import annotations

import json

import pandas as pd
from openpyxl import load_workbook

import cli
from linkage.decisions import read_audit_log

SAMPLE_CASES = 30


def test_decisions_change_the_next_run(sample_job, tmp_path):
    first = pd.read_parquet(sample_job / "matches.parquet")
    # a field report that is a candidate of two cases: A confirms it, B must lose it
    shared = first.groupby("field_id")["custody_id"].nunique()
    confirmed = first[first["field_id"].isin(shared[shared > 1].index) & (first["rank"] > 1)]
    case_a, field_x = confirmed[["custody_id", "field_id"]].iloc[0]
    case_b = first[(first["field_id"] == field_x) & (first["custody_id"] != case_a)].iloc[0][
        "custody_id"
    ]
    rejected = first[(first["custody_id"] == case_a) & (first["field_id"] != field_x)]
    field_y = rejected["field_id"].iloc[0]

    manifest = json.loads((sample_job / "manifest.json").read_text(encoding="utf-8"))
    custody = pd.read_csv(manifest["inputs"]["custody"]["path"], dtype=str)
    keep = {case_a, case_b, *custody["record_id"].head(SAMPLE_CASES)}
    custody[custody["record_id"].isin(keep)].to_csv(tmp_path / "custody.csv", index=False)
    (tmp_path / "config.toml").write_text("random_pairs = 5000\n", encoding="utf-8")
    (tmp_path / "decisions.csv").write_text(
        "custody_id,field_id,decision,reviewer,time,note\n"
        f"{case_a},{field_x},match,ana,2026-11-01T10:00:00,visited\n"
        f"{case_a},{field_y},no coincide,ana,2026-11-01T10:05:00,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["match", "--custody", str(tmp_path / "custody.csv")]
    args += ["--field", manifest["inputs"]["field"]["path"], "--out", str(out), "--quiet"]
    args += ["--config", str(tmp_path / "config.toml"), "--labels", str(tmp_path / "decisions.csv")]
    assert cli.main(args) == 0

    after = pd.read_parquet(out / "matches.parquet")
    a = after[after["custody_id"] == case_a]
    assert a.iloc[0][["field_id", "rank", "match_probability", "decision"]].tolist() == [
        field_x,
        1,
        1.0,
        "match",
    ]
    assert field_y not in set(a["field_id"])
    assert field_x not in set(after.loc[after["custody_id"] != case_a, "field_id"])

    entries = read_audit_log(out / "audit_log.jsonl")
    assert [(e["record"]["field_id"], e["record"]["decision"]) for e in entries] == [
        (field_x, "match"),
        (field_y, "non-match"),
    ]
    leads = []
    for path in (out / "leads").glob("*.xlsx"):
        rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
        leads += [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    confirmed_lead = next(
        r for r in leads if r["custody_id"] == case_a and r["field_id"] == field_x
    )
    assert confirmed_lead["Motivos"].startswith("Confirmado por revisor/a")
