"""The Spark engine gives the embedded engine's matches, pairs, blocking table and model.

Spark runs in local mode (two cores). Outside CI the tests skip when pyspark or Java is missing;
under CI=true they run (CI installs both).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linkage.pipeline import LinkResult, link

MISSING = [
    name
    for name, present in (
        ("pyspark", importlib.util.find_spec("pyspark") is not None),
        ("java", shutil.which("java") is not None),
    )
    if not present
]
pytestmark = pytest.mark.skipif(
    bool(MISSING) and os.environ.get("CI") != "true",
    reason=f"the Spark engine needs {' and '.join(MISSING)}",
)


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """A local Spark session on two cores, bound to this machine, without its web UI."""
    from pyspark.sql import SparkSession

    saved = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("reencuentro-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if saved is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = saved


def assert_same_result(embedded: LinkResult, spark: LinkResult) -> None:
    """Same ids and ranks; probabilities and weights to 1e-9; same pairs, blocking and model."""
    a, b = embedded.matches, spark.matches
    assert len(a) > 0
    assert a[["custody_id", "field_id", "rank"]].equals(b[["custody_id", "field_id", "rank"]])
    np.testing.assert_allclose(b["match_probability"], a["match_probability"], rtol=0, atol=1e-9)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=0, atol=1e-9)
    pd.testing.assert_frame_equal(embedded.pairs, spark.pairs, check_exact=False, atol=1e-9)
    pd.testing.assert_frame_equal(embedded.blocking, spark.blocking)
    assert embedded.model.to_dict() == spark.model.to_dict()
    assert embedded.counts == spark.counts


def test_cli_spark_job_writes_the_embedded_jobs_matches(spark, sample_job: Path, tmp_path):
    """``cli.py match --engine spark`` on the sample: matches.csv byte for byte, matches.parquet
    and pairs.parquet (probabilities to 1e-9) equal the embedded job's."""
    import cli
    from linkage.job import SAMPLE

    out = tmp_path / "spark_job"
    code = cli.main(
        [
            "match",
            "--custody",
            str(SAMPLE / "custody.csv"),
            "--field",
            str(SAMPLE / "field.csv"),
            "--out",
            str(out),
            "--engine",
            "spark",
            "--quiet",
        ]
    )
    assert code == 0
    assert (out / "matches.csv").read_bytes() == (sample_job / "matches.csv").read_bytes()
    assert (out / "model.json").read_bytes() == (sample_job / "model.json").read_bytes()
    matches = pd.read_parquet(out / "matches.parquet")
    pd.testing.assert_frame_equal(matches, pd.read_parquet(sample_job / "matches.parquet"))
    pairs, embedded_pairs = (pd.read_parquet(p / "pairs.parquet") for p in (out, sample_job))
    assert len(pairs) == len(embedded_pairs) > len(matches)
    pd.testing.assert_frame_equal(pairs, embedded_pairs, check_exact=False, rtol=0, atol=1e-9)


@pytest.mark.slow
def test_spark_equals_embedded_on_2000_by_20000_with_reviewer_decisions(spark):
    """2,000 x 20,000 synthetic records, with reviewer decisions (labels held in EM, confirmed
    and rejected pairs applied): the same result from both engines."""
    from linkage.synth import generate

    data = generate(2_000, 20_000, seed=3)
    truth = data.truth.head(30)
    decisions = pd.DataFrame(
        {
            "custody_id": truth["custody_id"].astype(str),
            "field_id": truth["field_id"].astype(str),
            "decision": ["match"] * 20 + ["non-match"] * 5 + ["unsure"] * 5,
            "reviewer": "r1",
            "time": "2024-05-01T10:00:00Z",
            "note": "",
        }
    )
    embedded = link(data.custody, data.field, decisions=decisions)
    on_spark = link(data.custody, data.field, decisions=decisions, engine="spark")
    assert_same_result(embedded, on_spark)
    assert len(embedded.pairs) > 20_000
    assert set(on_spark.matches["decision"].dropna()) >= {"match", "unsure"}


def test_a_key_over_max_pairs_per_key_is_refused_as_the_embedded_engine_refuses_it(
    spark, tmp_path
):
    """One invented person repeated (20 custody records x 2,000 reports): the Spark engine
    counts each key's pairs with a Spark aggregation and refuses the rule with the embedded
    engine's message, before any pair is made; at the limit both engines make the same pairs."""
    from bench.one_common_name import write_inputs
    from linkage.blocking import BlockingError, block
    from linkage.engines.spark import block_pairs
    from linkage.io import load_mapping, read_records
    from linkage.pipeline import default_rules, prepare_both
    from linkage.settings import Settings

    paths = write_inputs(tmp_path, 20, 2000)
    custody, field = (read_records(p, load_mapping(None), None) for p in paths)
    settings = Settings(max_pairs_per_key=10_000)
    with pytest.raises(BlockingError) as embedded:
        link(custody, field, settings)
    with pytest.raises(BlockingError) as on_spark:
        link(custody, field, settings, engine="spark")
    assert str(on_spark.value) == str(embedded.value) == (
        "blocking rule 'surname_given' (same-sounding paternal surname and first given name): "
        "the key 'lupes + juse' alone would make 40,000 pairs (20 custody records x 2,000 field "
        "reports), over max_pairs_per_key = 10,000: remove the reports that repeat one another, "
        "or drop the rule in the config file ([blocking] rules), or raise max_pairs_per_key"
    )
    # at the limit: the same pairs as the embedded engine's blocking
    (_, left), (_, right) = prepare_both(custody, field, settings)
    rules = default_rules(settings)
    pairs, table = block_pairs(spark, left, right, rules, 25_000_000, 40_000)
    positions, _, expected = block(left, right, rules, 25_000_000, 40_000)
    pd.testing.assert_frame_equal(table, expected)
    assert pairs.count() == len(positions) == 40_000
