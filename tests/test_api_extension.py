"""The library is open for extension: own comparisons, rules, normalizer and a job folder, with no
patching of its internals; a reopened job prepares its records as the job did."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linkage
from linkage.blocking import DEFAULT_RULES, BlockingRule
from linkage.comparisons import default_comparisons
from linkage.comparisons.base import Comparison, Level
from linkage.io import read_records
from linkage.job import SAMPLE, run_job
from linkage.pipeline import prepare
from linkage.review import load_job
from linkage.settings import Settings
from normalizers.frame import normalize


class SameMunicipality(Comparison):
    """A comparison written by a researcher: the same municipality code, or not."""

    name = "same_municipality"
    columns = ("municipality_code",)
    levels = (Level("same", "Mismo municipio", "Same municipality"), Level("else", "Otro", "Other"))

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        left, right = pairs["municipality_code_l"], pairs["municipality_code_r"]
        missing = (left.isna() | right.isna()).to_numpy()
        return self.choose([(missing, "missing"), ((left == right).to_numpy(), "same")], "else")


def _sample(n_custody: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    custody = pd.read_csv(SAMPLE / "custody.csv", dtype=str).head(n_custody)
    return custody, pd.read_csv(SAMPLE / "field.csv", dtype=str)


def test_link_takes_own_comparisons_and_rules():
    custody, field = _sample(40)
    comparisons = [*default_comparisons(Settings())[:3], SameMunicipality()]
    rules = [r for r in DEFAULT_RULES if r.name in ("surname_given", "birth_date")]
    rules.append(
        BlockingRule("municipality_given", ("municipality_code", "given1_key"), evidence=("name",))
    )
    result = linkage.link(custody, field, comparisons=comparisons, rules=rules)
    assert result.blocking["rule"].tolist() == ["surname_given", "birth_date", "municipality_given"]
    assert [c.name for c in result.model.comparisons] == [
        "name",
        "sex",
        "birth_date",
        "same_municipality",
    ]
    assert set(result.matches["same_municipality"]) <= {"same", "else", "missing"}
    assert "place" not in result.matches


def test_link_takes_a_normalizer():
    custody, field = _sample(30)
    seen = []

    def counting(records: pd.DataFrame, day_first: bool, english_sex: bool) -> pd.DataFrame:
        seen.append((len(records), day_first, english_sex))
        return normalize(records, day_first, english_sex)

    linkage.link(custody, field, normalizer=counting)
    assert seen == [(30, False, True), (len(field), True, False)]


def test_a_reopened_job_prepares_records_as_the_job_did(sample_job):
    job = load_job(sample_job)
    settings = Settings()
    for side, frame in (("custody", job.custody), ("field", job.field)):
        _, expected = prepare(read_records(SAMPLE / f"{side}.csv"), side, settings)
        pd.testing.assert_series_equal(frame["sex"], expected["sex"])
        pd.testing.assert_series_equal(frame["dob"], expected["dob"])
    # U.S. clerks write "M" for male: the reopened custody side must read it so
    raw = pd.read_csv(SAMPLE / "custody.csv", dtype=str).set_index("record_id")
    males = raw.index[raw["sex"].str.upper().eq("M")]
    assert len(males) > 0 and set(job.custody.loc[males, "sex"]) == {"M"}


def test_reopened_job_explains_a_pair_as_it_was_scored(sample_job):
    job = load_job(sample_job)
    top = job.matches.iloc[0]
    why = job.explain(top["custody_id"], top["field_id"])
    # the comparisons and the prior add up to the weight; the record's other candidates come
    # last, and with them the bits are the log-odds of the match probability
    assert why["comparison"].tolist()[-2:] == ["prior", "competition"]
    assert why["bits"].iloc[:-1].sum() == pytest.approx(top["match_weight"], abs=1e-3)
    assert why["bits"].iloc[-1] == pytest.approx(top["competition_bits"], abs=1e-9)
    total = why["bits"].sum()
    assert 1 / (1 + 2.0**-total) == pytest.approx(top["match_probability"], abs=1e-6)


def test_run_job_writes_a_whole_job_folder(tmp_path):
    custody, field = _sample(25)
    custody.to_csv(tmp_path / "custody.csv", index=False)
    field.to_csv(tmp_path / "field.csv", index=False)
    done = run_job(tmp_path / "custody.csv", tmp_path / "field.csv", tmp_path / "out")
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert names >= {
        "matches.csv",
        "matches.parquet",
        "pairs.parquet",
        "model.json",
        "manifest.json",
        "rejects.csv",
        "report.html",
        "leads",
    }
    assert done.figures is None and len(done.result.matches) > 0
