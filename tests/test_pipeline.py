"""The batch job end to end on the committed sample: contract files, reconciliation, determinism."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import cli
import linkage
from linkage.evaluate import evaluate
from linkage.settings import Settings as linkage_settings
from tests.conftest import SAMPLE

CONTRACT_COLUMNS = ["custody_id", "field_id", "rank", "match_probability", "match_weight"]


def test_match_writes_the_contract_files(sample_job):
    for name in ("matches.csv", "matches.parquet", "manifest.json", "rejects.csv", "model.json"):
        assert (sample_job / name).is_file(), name
    matches = pd.read_parquet(sample_job / "matches.parquet")
    assert list(matches.columns[:5]) == CONTRACT_COLUMNS
    assert matches["rank"].min() == 1 and matches["rank"].max() <= 5
    assert matches["match_probability"].between(0, 1).all()
    for comparison in ("name", "birth_date", "place", "national_id", "phone", "children"):
        assert comparison in matches and f"{comparison}_bits" in matches
    assert matches["reason_es"].str.len().gt(0).mean() > 0.9
    csv = pd.read_csv(sample_job / "matches.csv", dtype=str, encoding="utf-8-sig")
    assert len(csv) == len(matches) and list(csv.columns) == list(matches.columns)


def test_manifest_reconciles_every_row(sample_job):
    manifest = json.loads((sample_job / "manifest.json").read_text())
    custody = pd.read_csv(SAMPLE / "custody.csv", dtype=str)
    for side in ("custody", "field"):
        rows = manifest["inputs"][side]["rows"]
        assert rows["rows_read"] == rows["rows_scored"] + rows["rows_rejected"]
        assert manifest["inputs"][side]["reconciled"] is True
        assert len(manifest["inputs"][side]["sha256"]) == 64
    assert manifest["inputs"]["custody"]["rows"]["rows_read"] == len(custody)
    rows = manifest["inputs"]["custody"]["rows"]
    assert rows["rows_with_candidates"] + rows["rows_without_candidates"] == rows["rows_scored"]
    assert manifest["seed"] == 0 and manifest["em"]["iterations"] >= 1


def test_same_inputs_give_identical_bytes(sample_job, tmp_path):
    code = cli.main(
        [
            "match",
            "--custody",
            str(SAMPLE / "custody.csv"),
            "--field",
            str(SAMPLE / "field.csv"),
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert code == 0
    first = sorted(p.relative_to(sample_job) for p in sample_job.rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        if rel.name == "manifest.json":
            a = json.loads((sample_job / rel).read_text())
            b = json.loads((tmp_path / rel).read_text())
            a.pop("timings"), b.pop("timings")
            assert a == b
        else:
            assert (sample_job / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_sample_quality_floor(sample_job):
    truth = pd.read_csv(SAMPLE / "truth.csv", dtype=str)
    matches = pd.read_parquet(sample_job / "matches.parquet")
    pairs = pd.read_parquet(sample_job / "pairs.parquet")
    figures = evaluate(matches, truth, pairs)
    assert figures["recall_at_1"] >= 0.85
    assert figures["recall_at_5"] >= 0.9
    assert figures["blocking_recall"] >= 0.95


def test_bad_input_gives_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Id,Edad\nF1,30\n")
    code = cli.main(
        ["match", "--custody", str(bad), "--field", str(bad), "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err.strip()
    assert code == 3
    assert err.startswith(f"error: {bad}: no usable name column") and "\n" not in err


def test_value_that_cannot_be_read_is_reported_and_row_kept(tmp_path):
    custody = pd.read_csv(SAMPLE / "custody.csv", dtype=str).head(30)
    custody.loc[0, "birth_date"] = "not a date"
    field = pd.read_csv(SAMPLE / "field.csv", dtype=str).head(300)
    result = linkage.link(custody, field)
    bad = result.rejects[result.rejects["kind"] == "value"]
    assert bad[["file", "row", "column"]].values.tolist() == [["custody", 2, "birth_date"]]
    assert result.counts["custody"]["rows_scored"] == 30


def test_api_explain_adds_up_to_the_weight():
    custody = pd.read_csv(SAMPLE / "custody.csv", dtype=str).head(50)
    field = pd.read_csv(SAMPLE / "field.csv", dtype=str)
    result = linkage.link(custody, field, top_k=3)
    top = result.matches.iloc[0]
    why = result.explain(top["custody_id"], top["field_id"])
    evidence = why[why["comparison"] != "competition"]
    assert evidence["bits"].sum() == pytest.approx(top["match_weight"], abs=1e-3)
    assert set(why["comparison"]) >= {"name", "birth_date", "prior", "competition"}
    # with what the record's other candidates add, the bits give the match probability
    assert 1 / (1 + 2.0 ** -why["bits"].sum()) == pytest.approx(top["match_probability"], abs=1e-6)


def test_a_saved_model_scores_new_files_the_same_way(sample_job, tmp_path):
    code = cli.main(
        [
            "match",
            "--custody",
            str(SAMPLE / "custody.csv"),
            "--field",
            str(SAMPLE / "field.csv"),
            "--out",
            str(tmp_path),
            "--model",
            str(sample_job / "model.json"),
            "--quiet",
        ]
    )
    assert code == 0
    first = pd.read_parquet(sample_job / "matches.parquet")
    again = pd.read_parquet(tmp_path / "matches.parquet")
    pd.testing.assert_frame_equal(first, again)


def test_one_to_one_assigns_each_person_once(tmp_path):
    custody = pd.read_csv(SAMPLE / "custody.csv", dtype=str).head(60)
    field = pd.read_csv(SAMPLE / "field.csv", dtype=str)
    result = linkage.link(custody, field, linkage_settings(one_to_one=True))
    assigned = result.matches[result.matches["assigned"]]
    assert assigned.groupby("custody_id")["field_person"].nunique().max() == 1
    assert assigned.groupby("field_person")["custody_id"].nunique().max() == 1
    assert (assigned["match_probability"] >= 0.5).all()


def test_results_do_not_depend_on_the_number_of_workers():
    custody = pd.read_csv(SAMPLE / "custody.csv", dtype=str).head(80)
    field = pd.read_csv(SAMPLE / "field.csv", dtype=str)
    one = linkage.link(custody, field, linkage_settings(workers=1, chunk_pairs=150))
    two = linkage.link(custody, field, linkage_settings(workers=2, chunk_pairs=150))
    pd.testing.assert_frame_equal(one.matches, two.matches)
    assert one.model.to_dict() == two.model.to_dict()


def test_the_engine_is_chosen_by_name_and_an_unknown_one_is_refused(tmp_path):
    from linkage.errors import SettingsError
    from linkage.settings import load_settings

    config = tmp_path / "settings.toml"
    config.write_text('engine = "spark"\nspark_master = "local[2]"\n')
    assert load_settings(config).engine == "spark"
    assert load_settings(config).spark_master == "local[2]"
    config.write_text('engine = "hadoop"\n')
    with pytest.raises(SettingsError, match="engine = 'hadoop': unknown engine"):
        load_settings(config)
    frame = pd.read_csv(SAMPLE / "custody.csv", dtype=str).head(5)
    with pytest.raises(ValueError, match="engine = 'hadoop': unknown engine"):
        linkage.link(frame, frame, engine="hadoop")
