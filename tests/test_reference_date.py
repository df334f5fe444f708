"""Issue 13 item 15: results depend on the job's reference date, never on the day it runs."""

from __future__ import annotations

import datetime
import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from small_job import QUICK, small_inputs

from linkage.errors import SettingsError
from linkage.job import run_job
from linkage.pipeline import prepare_both
from linkage.reference import find_reference, settle_reference
from linkage.settings import load_settings
from normalizers.dates import expand_year, parse_date
from normalizers.ids import detect

REAL_DATE = datetime.date


def fake_today(monkeypatch: pytest.MonkeyPatch, today: datetime.date) -> None:
    """``datetime.date.today()`` answers ``today`` (instances of the real date still count)."""

    class _Meta(type):
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, REAL_DATE)

    class FakeDate(REAL_DATE, metaclass=_Meta):
        @classmethod
        def today(cls) -> REAL_DATE:
            return today

    monkeypatch.setattr(datetime, "date", FakeDate)


#: dates and IDs whose reading depends on "now": a two-digit year 30, a Honduran DNI registered
#: in 2030, a Nicaraguan cédula of a birth year 11
CUSTODY = pd.DataFrame(
    {
        "record_id": ["C1", "C2"],
        "full_name": ["Ana Lopez Cruz", "Jose Perez Diaz"],
        "birth_date": ["04/03/30", "12/01/11"],
        "removal_date": ["03/15/2024", "11/02/2025"],
    }
)
FIELD = pd.DataFrame(
    {
        "record_id": ["F1", "F2", "F3"],
        "full_name": ["Ana Lopez Cruz", "Jose Perez Diaz", "Rosa Diaz Mejia"],
        "birth_date": ["3/4/30", "", "1/2/28"],
        "national_id": ["0801-2030-01234", "0801-2025-01234", "001-010111-0003U"],
        "country": ["Honduras", "Honduras", "Nicaragua"],
        "report_date": ["15/06/25", "30/06/2025", ""],
        "child_names": ["", "Luis Perez", ""],
        "child_birth_dates": ["", "5/5/20", ""],
    }
)


def normalized(settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    (_, custody), (_, field) = prepare_both(CUSTODY, FIELD, settings)
    return custody, field


def test_outputs_do_not_depend_on_the_day_the_job_runs(monkeypatch):
    pinned = QUICK.replace(reference_date="2026-01-01")
    expected = normalized(pinned)
    from_inputs = normalized(QUICK)
    for today in (REAL_DATE(2041, 6, 1), REAL_DATE(2019, 1, 1)):
        with monkeypatch.context() as m:
            fake_today(m, today)
            assert datetime.date.today() == today
            for got, want in zip(normalized(pinned), expected, strict=True):
                pd.testing.assert_frame_equal(got, want)
            for got, want in zip(normalized(QUICK), from_inputs, strict=True):
                pd.testing.assert_frame_equal(got, want)
    custody, field = expected
    assert custody["dob"].tolist() == ["1930-04-03", "2011-12-01"]
    assert field["dob"].tolist() == ["1930-04-03", pd.NA, "1928-02-01"]
    assert field["id_valid"].tolist() == [False, True, True]
    assert field["id_dob"].tolist() == [pd.NA, pd.NA, "1911-01-01"]
    assert field["children_dobs"].tolist() == [pd.NA, "2020-05-05", pd.NA]


def test_two_digit_years_fall_in_the_hundred_years_up_to_the_reference():
    reference = REAL_DATE(2026, 1, 1)
    assert parse_date("3/4/30", True, reference).iso == "1930-04-03"
    assert parse_date("3/4/26", True, reference).iso == "2026-04-03"
    assert parse_date("3/4/27", True, reference).iso == "1927-04-03"
    assert parse_date("3/4/30", True, REAL_DATE(2030, 12, 31)).iso == "2030-04-03"
    # the exact rule: 00..26 are 2000..2026, 27..99 are 1927..1999
    assert [expand_year(yy, 2026) for yy in range(100)] == [
        2000 + yy if yy <= 26 else 1900 + yy for yy in range(100)
    ]
    assert [expand_year(yy, 2105) for yy in (5, 6)] == [2105, 2006]


def test_dates_after_the_reference_s_next_year_are_typing_slips():
    reference = REAL_DATE(2026, 1, 1)
    assert parse_date("2027-12-31", True, reference).iso == "2027-12-31"
    assert parse_date("2028-02-01", True, reference) is None
    assert parse_date("2028-02-01", True, REAL_DATE(2027, 1, 1)).iso == "2028-02-01"


def test_a_honduran_dni_registered_after_the_reference_year_is_invalid():
    reference = REAL_DATE(2026, 1, 1)
    assert detect("0801-2026-01234", "Honduras", reference) == ("hn_dni", "0801202601234", True)
    assert detect("0801-2027-01234", "Honduras", reference) == ("hn_dni", "0801202701234", False)
    assert detect("0801-2027-01234", "Honduras", REAL_DATE(2027, 1, 1))[2] is True


def test_the_reference_comes_from_the_newest_report_date():
    custody, field, settings, reference = settle_reference(CUSTODY, FIELD, QUICK)
    # "15/06/25" is read 2025-06-15 while looking; "30/06/2025" is newer
    assert reference == {
        "date": "2025-06-30",
        "file": "field",
        "row": 3,
        "column": "report_date",
        "source": "report_date",
    }
    assert settings.reference_date == "2025-06-30"


def test_without_report_dates_the_newest_four_digit_date_else_the_default():
    custody, field, _, _ = settle_reference(CUSTODY, FIELD.drop(columns="report_date"), QUICK)
    # removal 11/02/2025 (month first) is newer than any birth date written with four digits
    assert find_reference([(custody, False), (field, True)]) == {
        "date": "2025-11-02",
        "file": "custody",
        "row": 3,
        "column": "removal_date",
        "source": "dates",
    }
    bare = pd.DataFrame({"record_id": ["1"], "full_name": ["Ana Lopez"], "birth_date": ["3/4/85"]})
    _, _, settings, reference = settle_reference(bare, bare, QUICK)
    assert reference == {"date": "2026-12-31", "source": "default"}


def test_the_manifest_records_the_reference_date_and_its_source(tmp_path):
    custody, field = small_inputs(tmp_path / "in")
    done = run_job(custody, field, tmp_path / "out", QUICK)
    manifest = json.loads((done.outdir / "manifest.json").read_text(encoding="utf-8"))
    newest = manifest["reference_date"]
    assert newest["source"] == "report_date"
    assert (newest["file"], newest["column"]) == ("field.csv", "report_date")
    reports = pd.read_csv(field, dtype=str)
    row = int(newest["row"]) - 2
    assert parse_date(reports.loc[row, "report_date"], True).iso == newest["date"]
    assert manifest["settings"]["reference_date"] == newest["date"]

    pinned = run_job(
        custody, field, tmp_path / "pinned", QUICK.replace(reference_date="2026-01-01")
    )
    manifest = json.loads((pinned.outdir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reference_date"] == {"date": "2026-01-01", "source": "settings"}


def test_reference_date_setting_is_checked(tmp_path):
    config = tmp_path / "s.toml"
    config.write_text("reference_date = 2026-01-31\n")  # a TOML date
    assert load_settings(config).reference_date == "2026-01-31"
    config.write_text('reference_date = "31/01/2026"\n')
    with pytest.raises(SettingsError, match=r"reference_date = '31/01/2026': must be an ISO date"):
        load_settings(config)


@given(st.text(max_size=40), st.booleans(), st.dates(REAL_DATE(1900, 1, 1), REAL_DATE(2200, 1, 1)))
def test_any_text_on_any_reference_date_parses_or_not_but_never_crashes(text, day_first, ref):
    parsed = parse_date(text, day_first, ref)
    assert parsed is None or parsed.year <= ref.year + 1
    if parsed is not None and parsed.swapped is not None:
        assert parsed.swapped.year == parsed.year


@given(st.text(max_size=20), st.dates(REAL_DATE(1900, 1, 1), REAL_DATE(2200, 1, 1)))
def test_any_id_text_on_any_reference_date_never_crashes(text, ref):
    kind, compact, valid = detect(text, "Honduras", ref)
    assert isinstance(valid, bool)
    if kind == "hn_dni" and valid:
        assert int(compact[4:8]) <= ref.year
