"""The model on the jobs users run: small files, ages instead of birth dates, the hard cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.ages_only import ages_only
from linkage.comparisons.names import NameComparison
from linkage.comparisons.run import (
    compare_pairs,
    compared_columns,
    pair_frame,
    term_frequencies,
    tf_values,
)
from linkage.evaluate import evaluate
from linkage.model import FellegiSunter, load_prior
from linkage.pipeline import level_names, link, prepare
from linkage.settings import Settings
from linkage.synth import generate

SETTINGS = Settings(workers=1)


@pytest.fixture(scope="module")
def small():
    return generate(40, 60, seed=3)


@pytest.fixture(scope="module")
def small_job(small):
    return link(small.custody, small.field, SETTINGS)


@pytest.fixture(scope="module")
def ages_job(small):
    return link(small.custody, ages_only(small.field.astype(str).replace("nan", "")), SETTINGS)


def test_a_small_job_ranks_its_planted_people_first(small, small_job):
    figures = evaluate(small_job.matches, small.truth, small_job.pairs)
    assert figures["recall_at_1"] >= 0.9
    assert figures["f1_at_threshold"] >= 0.85
    assert small_job.model.to_dict()["prior_model"]["version"] == load_prior()["version"]


def test_a_job_with_ages_only_learns_positive_name_weights(ages_job):
    name = dict(zip(NameComparison().level_names(), ages_job.model.level_bits()[0], strict=True))
    assert name["exact_full_name"] > 5 and name["given_and_both_surnames"] > 5
    assert name["else"] < 0


def test_without_shared_birth_dates_an_identical_name_beats_a_different_one(small, ages_job):
    assert ages_job.field["dob"].isna().all()
    levels = ages_job.matches[["name", "name_bits"]]
    identical = levels.loc[levels["name"] == "exact_full_name", "name_bits"]
    different = levels.loc[levels["name"] == "else", "name_bits"]
    assert len(identical) and len(different)
    assert identical.min() > 5 > 0 > different.max()


def test_no_prior_learns_from_the_data_alone(small):
    job = link(small.custody, small.field, SETTINGS.replace(use_prior=False))
    assert job.model.prior is None and job.model.to_dict()["prior_model"] is None


def test_a_saved_model_scores_and_fits_nothing(small, small_job, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a job given a model must not fit one")

    monkeypatch.setattr(FellegiSunter, "fit", refuse)
    again = link(small.custody, small.field, SETTINGS, model=small_job.model)
    np.testing.assert_allclose(
        again.pairs["match_weight"].to_numpy(), small_job.pairs["match_weight"].to_numpy()
    )


def test_cli_no_prior_sets_the_setting():
    from cli import _parser

    args = _parser().parse_args(["match", "--custody", "c", "--field", "f", "--out", "o"])
    assert args.use_prior is None
    args = _parser().parse_args(
        ["match", "--custody", "c", "--field", "f", "--out", "o", "--no-prior"]
    )
    assert args.use_prior is False


def name_bits(custody: list[str], field: list[str]) -> tuple[list[str], list[float]]:
    """Name levels and bits, under the shipped prior, of custody[i] against field[i]."""
    c = pd.DataFrame({"record_id": [f"C{i}" for i in range(len(custody))], "full_name": custody})
    f = pd.DataFrame({"record_id": [f"F{i}" for i in range(len(field))], "full_name": field})
    _, cn = prepare(c, "custody")
    _, fn = prepare(f, "field")
    name = NameComparison()
    saved = next(x for x in load_prior()["comparisons"] if x["name"] == "name")
    by_level = {lv["name"]: lv for lv in saved["levels"]}
    model = FellegiSunter([name])
    model.m_ = [np.array([by_level[n]["m"] for n in name.level_names()])]
    model.u_ = [np.array([by_level[n]["u"] for n in name.level_names()])]
    model.prior_ = 1e-4
    pairs = pair_frame(cn, fn, [*name.columns, "name_tf"])
    vectors = compare_pairs(pairs, [name]).to_numpy()
    bits = model.bits(vectors, tf_values(pairs, [name], term_frequencies([name], cn, fn)))
    return level_names(vectors, [name])[:, 0].tolist(), bits[:, 0].tolist()


def test_an_exact_name_outweighs_a_sound_alike_even_when_common():
    levels, bits = name_bits(["CAL CHUB, ROBERTO"] * 2, ["Roberto Cal Chub", "Roberto Caal Chub"])
    assert levels == ["exact_full_name", "fuzzy"]
    assert bits[0] > bits[1]


def test_a_known_english_form_outranks_a_look_alike_name():
    levels, bits = name_bits(["CASTRO, MARY"] * 2, ["María Castro", "Mayra Castro"])
    assert levels == ["given_and_both_surnames", "fuzzy"]
    assert bits[0] > bits[1]


def test_the_frequency_of_a_pair_is_that_of_the_given_name_both_sides_share():
    # "JOSE ELMER" and "Elmer" agree on Elmer: the name's frequency is Elmer López's, not José's
    c = pd.DataFrame({"record_id": ["C0", "C1"], "full_name": ["LOPEZ GARCIA, JOSE ELMER"] * 2})
    f = pd.DataFrame(
        {"record_id": ["F0", "F1"], "full_name": ["Elmer López García", "José López García"]}
    )
    _, cn = prepare(c, "custody")
    _, fn = prepare(f, "field")
    name = NameComparison()
    tables = term_frequencies([name], cn, fn)
    freq = tf_values(pair_frame(cn, fn, compared_columns([name])), [name], tables)["name"]
    assert freq.tolist() == [tables["name"]["elmer lopez"], tables["name"]["jose lopez"]]
    assert freq[0] < freq[1]
