import json

import pandas as pd
import pytest
from outputs_fixture import make_result

from linkage.decisions import (
    AuditLogError,
    DecisionsError,
    append_audit_log,
    apply_decisions,
    labels_for_training,
    latest,
    read_audit_log,
    read_decisions,
    write_decisions_template,
)

HEADER = "custody_id,field_id,decision,reviewer,time,note\n"


def _write(tmp_path, text, name="decisions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _decisions(rows):
    frame = pd.DataFrame(rows, columns=["custody_id", "field_id", "decision", "reviewer", "time"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame.assign(note="")


def test_read_decisions_canonicalises_words_and_times(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "C1,F1,Sí,ana,2026-11-01T10:00:00,\n"
        + 'C1,F2,no coincide,ana,2026-11-01 10:05,"dijo que no, es su prima"\n'
        + "C2,F3,duda,luis,,\n",
    )
    out = read_decisions(path)
    assert out["decision"].tolist() == ["match", "non-match", "unsure"]
    assert out["note"].tolist() == ["", "dijo que no, es su prima", ""]
    assert out["time"].iloc[0] == pd.Timestamp("2026-11-01T10:00:00Z")
    assert pd.isna(out["time"].iloc[2])
    assert out["row"].tolist() == [2, 3, 4]


def test_read_decisions_names_file_row_and_column_of_each_problem(tmp_path):
    path = _write(tmp_path, HEADER + "C1,F1,tal vez,ana,,\nC1,,match,,ayer,\n")
    with pytest.raises(DecisionsError) as err:
        read_decisions(path)
    assert err.value.problems == [
        "decisions.csv row 2, column decision: 'tal vez' is not one of match, non-match, unsure",
        "decisions.csv row 3, column field_id: empty",
        "decisions.csv row 3, column reviewer: empty",
        "decisions.csv row 3, column time: 'ayer' is not a date and time",
    ]


def test_read_decisions_missing_column(tmp_path):
    path = _write(tmp_path, "custody_id,field_id,reviewer\nC1,F1,ana\n")
    with pytest.raises(DecisionsError, match="decisions.csv: missing column decision"):
        read_decisions(path)


def test_read_decisions_from_xlsx_and_windows_1252(tmp_path):
    frame = pd.DataFrame(
        {"custody_id": ["C1"], "field_id": ["F1"], "decision": ["no"], "reviewer": ["José"]}
    )
    frame.to_excel(tmp_path / "d.xlsx", index=False)
    assert read_decisions(tmp_path / "d.xlsx")["decision"].tolist() == ["non-match"]
    (tmp_path / "d.csv").write_bytes(
        "custody_id,field_id,decision,reviewer\nC1,F1,sí,José\n".encode("cp1252")
    )
    out = read_decisions(tmp_path / "d.csv")
    assert out[["decision", "reviewer"]].values.tolist() == [["match", "José"]]


def test_latest_decision_wins_by_time_then_file_order():
    decisions = _decisions(
        [
            ("C1", "F1", "match", "ana", "2026-11-02"),
            ("C1", "F1", "non-match", "luis", "2026-11-01"),
            ("C1", "F2", "unsure", "ana", None),
            ("C1", "F2", "non-match", "ana", None),
        ]
    )
    assert latest(decisions)[["field_id", "decision"]].values.tolist() == [
        ["F1", "match"],
        ["F2", "non-match"],
    ]


def test_labels_for_training_skip_unsure():
    decisions = _decisions(
        [
            ("C1", "F1", "match", "ana", None),
            ("C1", "F2", "non-match", "ana", None),
            ("C2", "F3", "unsure", "ana", None),
        ]
    )
    labels = labels_for_training(decisions)
    assert labels.values.tolist() == [["C1", "F1", True], ["C1", "F2", False]]


def test_confirmed_match_goes_first_and_leaves_other_cases():
    matches = make_result().matches
    decisions = _decisions(
        [
            ("C1", "F2", "match", "ana", None),
            ("C1", "F4", "non-match", "ana", None),
            ("C2", "F3", "unsure", "luis", None),
        ]
    )
    out = apply_decisions(matches, decisions)
    c1 = out[out["custody_id"] == "C1"]
    assert c1["field_id"].tolist() == ["F2", "F1"]
    assert c1["rank"].tolist() == [1, 2]
    assert c1["match_probability"].iloc[0] == 1.0
    assert c1["decision"].iloc[0] == "match"
    assert c1["reason_es"].iloc[0] == (
        "Confirmado por revisor/a; misma fecha de nacimiento; mismo nombre y primer apellido; "
        "pero el DPI indica otro municipio"
    )
    assert c1["reason_en"].iloc[0].startswith("Confirmed by reviewer; ")
    weights = matches.set_index("field_id")["match_weight"]
    assert c1["margin"].iloc[0] == pytest.approx(weights["F2"] - weights["F1"])
    assert out.loc[out["custody_id"] == "C2", "decision"].tolist() == ["unsure"]
    assert out["decision"].isna().sum() == 2


def test_rejected_pair_never_comes_back_and_confirmed_field_leaves_other_records():
    matches = make_result().matches
    other = matches[matches["field_id"] == "F1"].assign(custody_id="C2", rank=2)
    matches = pd.concat([matches, other], ignore_index=True)
    decisions = _decisions(
        [("C1", "F1", "match", "ana", None), ("C3", "F5", "non-match", "ana", None)]
    )
    out = apply_decisions(matches, decisions)
    pairs = set(zip(out["custody_id"], out["field_id"], strict=True))
    assert ("C2", "F1") not in pairs
    assert ("C3", "F5") not in pairs
    assert ("C1", "F1") in pairs


def test_confirmed_pair_the_model_did_not_keep_is_added():
    matches = make_result().matches
    out = apply_decisions(matches, _decisions([("C3", "F9", "match", "ana", None)]))
    c3 = out[out["custody_id"] == "C3"]
    assert c3["field_id"].tolist() == ["F9", "F5"]
    assert c3["match_probability"].tolist()[0] == 1.0
    assert c3["reason_en"].iloc[0] == "Confirmed by reviewer"


def test_audit_log_appends_each_decision_once_and_chains(tmp_path):
    log = tmp_path / "audit_log.jsonl"
    first = _decisions([("C1", "F1", "match", "ana", "2026-11-01T10:00:00")])
    assert append_audit_log(log, first, source="d1.csv") == 1
    assert append_audit_log(log, first, source="d1.csv") == 0
    more = pd.concat([first, _decisions([("C1", "F1", "non-match", "luis", None)])])
    assert append_audit_log(log, more, source="d2.csv") == 1
    entries = read_audit_log(log)
    assert [e["seq"] for e in entries] == [1, 2]
    assert [e["record"]["decision"] for e in entries] == ["match", "non-match"]
    assert entries[0]["record"]["time"] == "2026-11-01T10:00:00+00:00"
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    assert entries[1]["source"] == "d2.csv"


def test_audit_log_shows_tampering(tmp_path):
    log = tmp_path / "audit_log.jsonl"
    append_audit_log(
        log,
        _decisions([("C1", "F1", "match", "ana", None), ("C1", "F2", "non-match", "ana", None)]),
    )
    lines = log.read_text(encoding="utf-8").splitlines()

    entry = json.loads(lines[0])
    entry["record"]["decision"] = "non-match"
    log.write_text(json.dumps(entry) + "\n" + lines[1] + "\n", encoding="utf-8")
    with pytest.raises(AuditLogError, match="line 1: entry changed"):
        read_audit_log(log)

    log.write_text(lines[1] + "\n", encoding="utf-8")
    with pytest.raises(AuditLogError, match="line 1: chain broken"):
        append_audit_log(log, _decisions([("C9", "F9", "match", "ana", None)]))
    assert log.read_text(encoding="utf-8") == lines[1] + "\n", "nothing written to a broken log"


def test_decisions_template_lists_every_kept_pair(tmp_path):
    matches = make_result().matches
    path = write_decisions_template(matches, tmp_path / "decisions.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == ["custody_id", "field_id", "decision", "reviewer", "time", "note"]
    assert (
        back[["custody_id", "field_id"]].values.tolist()
        == matches[["custody_id", "field_id"]].values.tolist()
    )
    assert read_decisions(path).empty, "rows left blank are not decisions"


def test_rows_without_a_decision_are_skipped(tmp_path):
    path = _write(tmp_path, HEADER + "C1,F1,,,,\nC1,F2,no,ana,,\n")
    out = read_decisions(path)
    assert out[["field_id", "decision", "row"]].values.tolist() == [["F2", "non-match", 3]]


def test_record_decision_appends_rows_read_decisions_accepts(tmp_path):
    from datetime import UTC, datetime

    from linkage.decisions import record_decision

    path = tmp_path / "decisions.csv"
    record_decision(path, "C1", "F1", "sí", "ana", note="=confirmó por teléfono")
    record_decision(
        path, "C1", "F2", "non-match", "luis", time=datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    )
    out = read_decisions(path)
    assert out[["custody_id", "field_id", "decision", "reviewer"]].values.tolist() == [
        ["C1", "F1", "match", "ana"],
        ["C1", "F2", "non-match", "luis"],
    ]
    assert out["note"].iloc[0] == "'=confirmó por teléfono"
    assert out["time"].iloc[1] == pd.Timestamp("2026-11-02T09:30:00Z")
    assert path.read_text(encoding="utf-8").count("custody_id") == 1
    with pytest.raises(DecisionsError, match="'quizás' is not one of"):
        record_decision(path, "C1", "F3", "quizás", "ana")


def test_decisions_built_in_code_without_times_or_with_naive_times():
    decisions = pd.DataFrame(
        {
            "custody_id": ["C1", "C1", "C2"],
            "field_id": ["F1", "F1", "F3"],
            "decision": ["non-match", "match", "unsure"],
            "reviewer": "tour",
            "time": [pd.NaT, pd.Timestamp("2026-11-01 10:00"), pd.NaT],
            "note": "",
        }
    )
    assert latest(decisions)[["field_id", "decision"]].values.tolist() == [
        ["F1", "match"],
        ["F3", "unsure"],
    ]
    out = apply_decisions(make_result().matches, decisions.assign(time=pd.NaT))
    assert out.loc[out["field_id"] == "F3", "decision"].tolist() == ["unsure"]
