"""Bad settings, bad companion files and faults end in one line and a documented exit code
(issue 13, items 6 and 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import cli
from linkage.errors import SettingsError
from linkage.settings import Settings, load_settings
from tests.conftest import ROOT
from tests.small_job import small_inputs


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('top_k = "five"', "top_k = 'five': must be a whole number"),
        ("threshold = 2.5", "threshold = 2.5: must be from 0.0 to 1.0"),
        ("top_k = 0", "top_k = 0: must be at least 1"),
        ("workers = -1", "workers = -1: must be at least 0"),
        ("one_to_one = 1", "one_to_one = 1: must be true or false"),
        ("near_km = -3.0", "near_km = -3.0: must be at least 0.0"),
        ("[blocking]\nrules = []", "blocking_rules = (): needs at least one rule of ["),
        (
            '[blocking]\nrules = ["soundex"]',
            "blocking_rules = ('soundex',): unknown rules ['soundex']",
        ),
        ("[blocking]\nmax_pairs_per_rule = 0", "max_pairs_per_rule = 0: must be at least 1"),
        ("topk = 5", "unknown settings ['topk']; known: ["),
    ],
)
def test_a_bad_setting_is_one_line_with_exit_code_2(tmp_path, capsys, toml, message):
    config = tmp_path / "settings.toml"
    config.write_text(toml + "\n")
    custody, field = small_inputs(tmp_path / "in")
    code, err = run(
        capsys,
        "match",
        "--custody",
        str(custody),
        "--field",
        str(field),
        "--out",
        str(tmp_path / "out"),
        "--config",
        str(config),
    )
    assert code == 2
    assert err.startswith(f"error: {config}: {message}") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_settings_in_code_are_checked_too():
    with pytest.raises(SettingsError, match=r"^top_k = 'five': must be a whole number$"):
        Settings(top_k="five")
    with pytest.raises(SettingsError, match=r"^top_k = -2: must be at least 1$"):
        Settings().replace(top_k=-2)
    assert load_settings(None) == Settings()


def test_a_negative_top_k_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["match", "--custody", "c.csv", "--field", "f.csv", "--out", "o", "--top-k", "-2"])
    assert exit_.value.code == 2
    assert "argument --top-k: -2 is less than 1" in capsys.readouterr().err


@pytest.fixture
def job_folder_with_matches(tmp_path) -> Path:
    """A folder holding the matches.parquet that ``evaluate`` reads."""
    folder = tmp_path / "job"
    folder.mkdir()
    pd.DataFrame(
        {
            "custody_id": ["C1", "C1", "C2"],
            "field_id": ["F1", "F2", "F3"],
            "rank": [1, 2, 1],
            "match_probability": [0.9, 0.2, 0.7],
        }
    ).to_parquet(folder / "matches.parquet", index=False)
    return folder


def test_evaluate_with_a_truth_file_of_wrong_columns(tmp_path, capsys, job_folder_with_matches):
    truth = tmp_path / "truth.csv"
    truth.write_text("custody,field\nC1,F1\n")
    code, err = run(
        capsys, "evaluate", "--matches", str(job_folder_with_matches), "--truth", str(truth)
    )
    assert code == 3
    assert err == (
        f"error: {truth}: a truth file needs columns custody_id and field_id; missing "
        "['custody_id', 'field_id'], found ['custody', 'field']\n"
    )


def test_evaluate_with_a_missing_truth_file(tmp_path, capsys, job_folder_with_matches):
    truth = tmp_path / "nope.csv"
    code, err = run(
        capsys, "evaluate", "--matches", str(job_folder_with_matches), "--truth", str(truth)
    )
    assert (code, err) == (3, f"error: {truth}: no such file\n")


def test_evaluate_prints_its_figures(tmp_path, capsys, job_folder_with_matches):
    truth = tmp_path / "truth.csv"
    truth.write_text("custody_id,field_id\nC1,F1\nC2,F9\n")
    assert (
        cli.main(
            ["evaluate", "--matches", str(job_folder_with_matches), "--truth", str(truth), "--json"]
        )
        == 0
    )
    figures = json.loads(capsys.readouterr().out)
    assert figures["custody_with_true_match"] == 2
    assert figures["recall_at_1"] == 0.5
    assert figures["true_pairs"] == 2


def test_evaluate_into_a_closed_pipe_ends_quietly(tmp_path, job_folder_with_matches):
    truth = tmp_path / "truth.csv"
    truth.write_text("custody_id,field_id\nC1,F1\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "cli.py"),
            "evaluate",
            "--matches",
            str(job_folder_with_matches),
            "--truth",
            str(truth),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.close()  # the reader is gone before anything is written, like `| head -0`
    err = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert err == ""


def test_a_missing_model_file(tmp_path, capsys):
    custody, field = small_inputs(tmp_path / "in")
    model = tmp_path / "model.json"
    code, err = run(
        capsys,
        "match",
        "--custody",
        str(custody),
        "--field",
        str(field),
        "--out",
        str(tmp_path / "out"),
        "--model",
        str(model),
    )
    assert (code, err) == (3, f"error: {model}: no such file\n")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "cannot read as a model.json: Expecting property name enclosed in double"),
        (
            '{"comparisons": [{"name": "name", "levels": [{"name": "same", "m": 0.9, "u": 0.1}]}],'
            ' "prior": 0.01}',
            "not a model of this version (saved model does not match comparison 'name': it has "
            "levels ['same'], the comparison has ['else', 'exact_full_name',",
        ),
        ('{"prior": 0.01}', "not a model of this version ('comparisons'): fit a new one"),
    ],
)
def test_a_model_file_that_does_not_fit(tmp_path, capsys, text, reason):
    custody, field = small_inputs(tmp_path / "in")
    model = tmp_path / "model.json"
    model.write_text(text)
    code, err = run(
        capsys,
        "match",
        "--custody",
        str(custody),
        "--field",
        str(field),
        "--out",
        str(tmp_path / "out"),
        "--model",
        str(model),
    )
    assert code == 3
    assert err.startswith(f"error: {model}: {reason}") and err.count("\n") == 1


def test_a_missing_labels_file(tmp_path, capsys):
    custody, field = small_inputs(tmp_path / "in")
    labels = tmp_path / "decisions.csv"
    code, err = run(
        capsys,
        "match",
        "--custody",
        str(custody),
        "--field",
        str(field),
        "--out",
        str(tmp_path / "out"),
        "--labels",
        str(labels),
    )
    assert (code, err) == (3, f"error: {labels}: no such file\n")


def test_an_internal_error_is_one_line_with_exit_code_5(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("linkage.job.link", broken)
    custody, field = small_inputs(tmp_path / "in")
    code, err = run(
        capsys,
        "match",
        "--custody",
        str(custody),
        "--field",
        str(field),
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 5
    assert err == (
        "error: internal error (ZeroDivisionError: division by zero); see "
        "REENCUENTRO_TRACEBACK in README\n"
    )
    assert not (tmp_path / "out").exists()
