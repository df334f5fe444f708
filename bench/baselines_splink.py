"""Baseline: Splink 5 on DuckDB, set up as a competent user following its documentation would.

Comparisons: ``NameComparison`` (exact with term-frequency adjustment, then Jaro-Winkler levels)
on the first given name and on each surname; one birth comparison (same date, a one-character
date typo, same year, year within 2) so that a date and a year are not counted twice; exact match
on sex, country, department, identifiers and phone; Jaro-Winkler on town, street and first
child's name. Only columns both files fill are compared. Blocking: several rules, unioned.
Training: the prior from deterministic rules (given name, surname and year, or given name and
surname, when the files share no date or identifier), u by random sampling, m by EM on two
blocking rules (a session that fails on a small job, an m underflowing, is skipped). The top
candidates of each custody record are taken inside DuckDB.

>>> scored = score(custody_df, field_df)      # doctest: +SKIP
>>> scored.matches.columns.tolist()           # doctest: +SKIP
['custody_id', 'field_id', 'match_probability', 'rank']
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from bench.clean import clean, shared_columns

TOP_K = 10
PREDICT_RULES = (
    ("given1", "paternal"),
    ("paternal", "birth_year"),
    ("given1", "birth_year"),
    ("paternal", "maternal"),
    ("substr(given1, 1, 3)", "substr(paternal, 1, 3)"),
    ("phone8",),
    ("national_id",),
    ("a_number",),
)
DETERMINISTIC_RULES = (("given1", "paternal", "dob"), ("national_id",), ("a_number",))
#: the first of these that the files allow, when none of the rules above does (small jobs, ages)
FALLBACK_DETERMINISTIC = (("given1", "paternal", "birth_year"), ("given1", "paternal"))
EM_RULES = (("given1", "paternal"), ("birth_year",))


@dataclass
class SplinkScores:
    """Top candidates per custody record, the number of scored pairs, and the live database."""

    matches: pd.DataFrame
    scored_pairs: int
    con: duckdb.DuckDBPyConnection
    table: str

    def scored_among(self, truth: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``truth`` (custody_id, field_id) that blocking let through to scoring."""
        self.con.register("bench_truth", truth[["custody_id", "field_id"]].astype(str))
        return self.con.sql(
            f"""select t.custody_id, t.field_id from bench_truth t join {self.table} p
                on p.unique_id_l = t.custody_id and p.unique_id_r = t.field_id"""
        ).df()


def _comparisons(usable: set[str]) -> list[object]:
    names = ("given1", "paternal", "maternal")
    out: list[object] = [cl.NameComparison(c) for c in names if c in usable]
    if "birth_year" in usable:
        levels = [cll.NullLevel("birth_year")]
        if "dob" in usable:
            levels += [cll.ExactMatchLevel("dob"), cll.DamerauLevenshteinLevel("dob", 1)]
        levels += [
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 2),
            cll.ElseLevel(),
        ]
        out.append(cl.CustomComparison(levels, output_column_name="birth"))
    for column in ("sex", "country", "department", "national_id", "a_number", "phone8"):
        if column in usable:
            out.append(cl.ExactMatch(column))
    for column in ("town", "street", "child1"):
        if column in usable:
            out.append(cl.JaroWinklerAtThresholds(column, [0.92, 0.8]))
    return out


def _rules(rules: tuple[tuple[str, ...], ...], usable: set[str]) -> list[object]:
    return [block_on(*keys) for keys in rules if usable.issuperset(map(_column, keys))]


def _column(key: str) -> str:
    """The column a blocking key reads: ``substr(given1, 1, 3)`` reads ``given1``."""
    return key.removeprefix("substr(").split(",")[0]


def score(
    custody: pd.DataFrame,
    field: pd.DataFrame,
    custody_day_first: bool = False,
    field_day_first: bool = True,
    seed: int = 0,
) -> SplinkScores:
    """Train a Splink model on the two files and score every blocked pair."""
    left = clean(custody, custody_day_first)
    right = clean(field, field_day_first)
    usable = set(shared_columns(left, right, tuple(left.columns)))
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        comparisons=_comparisons(usable),
        blocking_rules_to_generate_predictions=_rules(PREDICT_RULES, usable),
        retain_matching_columns=False,
    )
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    tables = [
        db_api.register(left, dataset_display_name="custody"),
        db_api.register(right, dataset_display_name="field"),
    ]
    linker = Linker(tables, settings, log_level=logging.WARNING)
    training = linker.training
    deterministic = _rules(DETERMINISTIC_RULES, usable)
    deterministic = deterministic or _rules(FALLBACK_DETERMINISTIC, usable)[:1]
    training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    for rule in _rules(EM_RULES, usable):
        try:
            training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=1e6)
        except ValueError:  # a small job's EM session can underflow an m; keep the others
            continue
    predictions = linker.inference.predict()
    table = predictions.physical_name
    oriented = f"""
        select case when source_dataset_l = 'custody' then record_id_l else record_id_r end
                   as unique_id_l,
               case when source_dataset_l = 'custody' then record_id_r else record_id_l end
                   as unique_id_r,
               match_probability
        from {table}"""
    con.execute(f"create table bench_pairs as {oriented}")
    matches = con.sql(
        f"""select unique_id_l as custody_id, unique_id_r as field_id, match_probability,
                   row_number() over (partition by unique_id_l
                                      order by match_probability desc, unique_id_r) as rank
            from bench_pairs qualify rank <= {TOP_K} order by custody_id, rank"""
    ).df()
    scored_pairs = int(con.execute("select count(*) from bench_pairs").fetchall()[0][0])
    return SplinkScores(matches, scored_pairs, con, "bench_pairs")
