"""The benchmark's data converters: ages instead of birth dates, the real sets' job files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from bench.ages_only import age_on, ages_only, read_date
from bench.prepare_historical import build as build_historical
from bench.prepare_legislators import Chamber, Roll
from bench.prepare_legislators import build as build_legislators
from bench.prepare_union_army import build as build_union_army
from bench.run_tool import brier_kept


def test_read_date_reads_the_field_styles() -> None:
    day = dt.date(1985, 4, 3)
    for text in ("03/04/1985", "3-4-1985", "03/04/85", "3 de abril de 1985", "03-abr-1985",
                 "1985-04-03", "19850403"):  # fmt: skip
        assert read_date(text) == (day, 1985), text
    assert read_date("04/03/1985", day_first=False) == (day, 1985)
    assert read_date("1985") == (None, 1985)
    assert read_date("31/02/1985") == (None, 1985)
    assert read_date("no sabe") == (None, None)


@given(st.dates(dt.date(1930, 1, 1), dt.date(2005, 12, 31)), st.integers(0, 30_000))
def test_age_counts_the_birthdays_passed(birth: dt.date, days: int) -> None:
    birth = birth.replace(day=28) if (birth.month, birth.day) == (2, 29) else birth
    report = birth + dt.timedelta(days=days)
    passed = [k for k in range(0, 90) if birth.replace(year=birth.year + k) <= report]
    assert age_on(birth, report) == max(passed)


def test_ages_only_keeps_report_dates_and_draws_missing_ones() -> None:
    field = pd.DataFrame(
        {
            "record_id": ["F1", "F2", "F3", "F4"],
            "birth_date": ["03/04/1985", "1990", "", "no sabe"],
            "report_date": ["02/04/2020", "2020-01-10", "2020-05-05", ""],
        }
    )
    out = ages_only(field, seed=1)
    assert out["birth_date"].tolist() == ["", "", "", "no sabe"]
    assert out["age"].tolist() == ["34", "29", "", ""]
    assert out["report_date"].tolist() == ["2020-04-02", "2020-01-10", "2020-05-05", ""]
    drawn = ages_only(field.assign(report_date=""), seed=1)
    assert drawn["report_date"].str.startswith(("2019", "2020", "2021")).tolist() == [
        True, True, False, False,
    ]  # fmt: skip
    assert drawn.equals(ages_only(field.assign(report_date=""), seed=1))
    assert field["birth_date"].tolist()[0] == "03/04/1985"  # the input is not changed


def test_union_army_job_links_census_to_service_records() -> None:
    cen = pd.DataFrame(
        {
            "record_id": ["1", "2", "3", "4"],
            "label_true": ["10", "11", None, "12"],
            "first_name": ["ANA", "BEN", "CAL", "DAN"],
            "middle_name": ["B", None, None, None],
            "last_name": ["XX", "YY", "ZZ", "WW"],
            "birth_year": ["1840", "1841", "1842", "1843"],
            "birth_month": ["3", None, "12", "13"],
            "birth_place": ["OH", "NY", "PA", "IN"],
            "gender": ["M", "M", "F", "("],
        }
    )
    msr = pd.DataFrame(
        {
            "record_id": ["7", "8", "9"],
            "label_true": ["10", "11", "99"],
            "first_name": ["ANA", "BEN", "EVE"],
            "middle_name": [None, None, None],
            "last_name": ["XX", "YY", "VV"],
            "birth_date": ["18400301", None, None],
            "birth_place": ["OH", None, "IR"],
            "enlist_date": ["18610722", "1862", "18630101"],
            "enlist_age": ["21", "20", "30"],
        }
    )
    job = build_union_army(cen, msr, n_custody=4, n_field=3, n_matched=2)
    assert job.custody["birth_date"].tolist() == ["1840-03", "1841", "1842-12", "1843"]
    assert job.custody["given_names"].tolist()[0] == "ANA B"
    assert job.custody["sex"].tolist() == ["M", "M", "F", ""]
    assert job.field["report_date"].tolist() == ["1861-07-22", "", "1863-01-01"]
    assert job.field["age"].tolist() == ["21", "20", "30"]
    assert "birth_date" not in job.field
    assert job.truth.values.tolist() == [["C1", "F7"], ["C2", "F8"]]


def test_historical_job_pairs_two_records_of_a_person() -> None:
    people = pd.DataFrame(
        {
            "unique_id": [f"Q{i}-{j}" for i in range(6) for j in range(2)],
            "cluster": [f"Q{i}" for i in range(6) for _ in range(2)],
            "full_name": ["a b"] * 12,
            "first_name": ["a"] * 12,
            "surname": ["b"] * 11 + [None],
            "dob": ["1900-05-01"] * 11 + [None],
            "birth_place": ["x"] * 12,
            "gender": ["male", "female"] * 6,
        }
    )
    job = build_historical(people, n_custody=2, n_field=4, share_matched=0.5, ages=True)
    assert len(job.custody) == 2 and len(job.field) == 4 and len(job.truth) == 1
    custody_id, field_id = job.truth.iloc[0]
    assert custody_id[1:].split("-")[0] == field_id[1:].split("-")[0]  # the same person
    with_age = job.field[job.field["age"] != ""]
    assert (with_age["birth_date"] == "").all()
    assert with_age["age"].astype(int).between(18, 70).all()
    dated = build_historical(people, n_custody=2, n_field=4, share_matched=0.5, ages=False)
    assert dated.truth.equals(job.truth) and "age" not in dated.field


def test_brier_of_kept_pairs() -> None:
    kept = pd.DataFrame(
        {"custody_id": ["C1", "C1", "C2"], "field_id": ["F1", "F2", "F1"],
         "match_probability": [1.0, 0.5, 0.0]}
    )  # fmt: skip
    truth = pd.DataFrame({"custody_id": ["C1", "C2"], "field_id": ["F1", "F3"]})
    assert brier_kept(kept, truth) == round(0.25 / 3, 4)
    assert brier_kept(kept.iloc[:0], truth) == 0.0


def _write(root: Path, files: dict[str, dict[str, list[str]]]) -> None:
    for name, columns in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(columns).to_csv(path, index=False)


def test_legislators_job_pairs_reconciled_members_not_joined_by_name(tmp_path: Path) -> None:
    """Two invented chambers laid out as EveryPolitician's sources/ folders."""
    items = {"id": ["Q1", "Q2", "Q3", "Q4"], "name": ["Ana Xa", "Bea Yu", "Cid Zo", "Dan Vi"],
             "name__es": ["Ana Xa Wo", "", "Cid Zo", "Dan Vi"],
             "birth_date": ["1960-02-03", "", "1970", "1955-05-05"],
             "gender": ["female", "female", "male", "male"]}  # fmt: skip
    roll = {"id": ["1", "2", "3", "4"],
            "sort_name": ["Xa Wo, Ana", "Yu Ro, Bea", "Zo, Cid", "Vi Lu Dan"],
            "name": ["Ana Xa Wo", "Bea Yu Ro", "Cid Zo", "Dan Vi Lu"],
            "area": ["Toledo", "Colima 1", "Lugo", "Lima"]}  # fmt: skip
    # Q3's label is the roll's name (EveryPolitician's exact join): not a label; Q4: unreconciled
    uuids = ["u1", "u2", "u3", "u4"]
    _write(tmp_path / "Es/Congress/sources", {
        "morph/data.csv": roll, "morph/data-ids.csv": {"id": roll["id"], "uuid": uuids},
        "morph/wikidata.csv": items,
        "reconciliation/wikidata.csv": {"id": ["Q1", "Q2", "Q3"], "uuid": uuids[:3]}})  # fmt: skip
    # the second chamber: two rolls sharing member u6 (the first listed wins), a repeated row
    _write(tmp_path / "Cl/Deputies/sources", {
        "morph/new.csv": {"id": ["5", "6", "6"], "name": ["EVA RU", "IVO PE", "IVO PE"],
                          "gender": ["female", "male", "male"]},
        "morph/new-ids.csv": {"id": ["5", "6"], "uuid": ["u5", "u6"]},
        "morph/old.csv": {"id": ["9", "7"], "name": ["Ivo Pe", "Ona Mi"], "gender": ["male", ""]},
        "morph/old-ids.csv": {"id": ["9", "7"], "uuid": ["u6", "u7"]},
        "morph/wikidata.csv": {"id": ["Q5", "Q6"], "name": ["Eva Ru", "Ivo Pe"],
                               "birth_date": ["1950-01-01", ""], "gender": ["female", "male"]},
        "reconciliation/wikidata.csv": {"id": ["Q5", "Q6"], "uuid": ["u5", "u6"]}})  # fmt: skip
    chambers = (
        Chamber("ES", "Es/Congress", dt.date(2011, 11, 28), (Roll("data", "sort_name", "area"),)),
        Chamber("CL", "Cl/Deputies", dt.date(2014, 3, 11),
                (Roll("new", sex="gender"), Roll("old", sex="gender"))),
    )  # fmt: skip
    job = build_legislators(tmp_path, share_dropped=0.0, chambers=chambers)
    assert job.truth.values.tolist() == [
        ["CCL-5", "FCL-Q5"],
        ["CCL-6", "FCL-Q6"],
        ["CES-1", "FES-Q1"],
        ["CES-2", "FES-Q2"],
    ]
    assert job.custody["record_id"].tolist() == [
        "CCL-5", "CCL-6", "CCL-7", "CES-1", "CES-2", "CES-3", "CES-4"]  # fmt: skip
    assert job.field["record_id"].tolist() == ["FCL-Q5", "FCL-Q6", "FES-Q1", "FES-Q2"]
    custody = job.custody.set_index("record_id")
    assert custody.loc["CES-1", "full_name"] == "Xa Wo, Ana"  # as the roll writes it
    assert custody.loc["CES-2", "place"] == "Colima" and custody.loc["CCL-5", "place"] == ""
    assert custody["sex"].tolist() == ["F", "M", "", "", "", "", ""]
    field = job.field.set_index("record_id")
    assert field.loc["FES-Q1", "full_name"] == "Ana Xa Wo"  # the Spanish label
    assert field.loc["FES-Q2", "full_name"] == "Bea Yu"  # no Spanish label: the default one
    assert field.loc["FCL-Q5", ["birth_date", "sex"]].tolist() == ["1950-01-01", "F"]
    assert list(job.field.columns) == ["record_id", "full_name", "birth_date", "sex"]

    dropped = build_legislators(tmp_path, share_dropped=0.5, seed=3, chambers=chambers)
    assert len(dropped.truth) == 2 and len(dropped.field) == 4 and len(dropped.custody) == 5
    assert set(dropped.truth["custody_id"]) <= set(dropped.custody["record_id"])
    again = build_legislators(tmp_path, share_dropped=0.5, seed=3, chambers=chambers)
    assert dropped.truth.equals(again.truth) and dropped.custody.equals(again.custody)

    ages = build_legislators(tmp_path, share_dropped=0.0, ages=True, chambers=chambers).field
    ages = ages.set_index("record_id")
    assert ages.loc["FES-Q1", ["birth_date", "age", "report_date"]].tolist() == [
        "", "51", "2011-11-28"]  # fmt: skip
    assert ages.loc["FCL-Q5", ["age", "report_date"]].tolist() == ["64", "2014-03-11"]
    assert ages.loc["FCL-Q6", ["birth_date", "age"]].tolist() == ["", ""]
