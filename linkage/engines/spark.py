"""The match job on Apache Spark, for jobs beyond one machine: ``link(..., engine="spark")``.

Stages and where they run:

- read, normalize (:func:`linkage.pipeline.prepare`), blocking keys (:func:`~linkage.blocking.
  rule_keys`, the embedded engine's ``keyed`` rows with stop keys removed), term frequencies and
  field-report clusters run on the driver: they grow with the records, not with the pairs;
- blocking pairs are Spark joins of the keyed rows on their key, unioned over the rules with a
  bitmask of the rules that made each pair;
- comparisons run in ``mapInPandas`` on the executors, which hold the compared columns of both
  sides (a broadcast) and call :func:`~linkage.comparisons.run.pair_frame`,
  :func:`~linkage.comparisons.run.compare_pairs` and :func:`~linkage.comparisons.run.tf_values`
  on each batch of pairs: the very code the embedded engine runs;
- EM fits on the driver from the distinct (comparison levels, label, rules) patterns and their
  counts (a ``groupBy``); u from the same seeded random pairs as the embedded engine
  (:func:`linkage.pipeline.random_pairs`), compared on the executors;
- scoring runs in ``mapInPandas`` with the fitted model; ranking uses window functions (people
  per custody record by best weight, ``row_number`` and ``lead`` for rank and margin); only the
  kept pairs come back to the driver for reasons and decisions.

Every pair's levels, bits and weights are computed by the same functions on the same values, so
the matches equal the embedded engine's. ``LinkResult.pairs`` is collected to the driver (it
holds four columns per scored pair) so that every output file is written as today.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from linkage.blocking import (
    MAX_PAIRS_PER_KEY,
    BlockingRule,
    check_pairs,
    count_pairs,
    key_over_limit,
    rule_keys,
)
from linkage.clusters import cluster_reports
from linkage.comparisons import default_comparisons
from linkage.comparisons.base import Comparison
from linkage.comparisons.run import (
    compare_pairs,
    compared_columns,
    pair_frame,
    term_frequencies,
    tf_values,
)
from linkage.competition import competition_bits
from linkage.decisions import apply_decisions, labels_for_training
from linkage.explain import add_reasons
from linkage.io import REJECT_COLUMNS, ReadResult
from linkage.model import FellegiSunter, forced_matrix
from linkage.pipeline import (
    LinkResult,
    Normalizer,
    _count,
    _matches_frame,
    default_rules,
    new_model,
    prepare_both,
    random_pairs,
)
from linkage.progress import Progress, Stopwatch
from linkage.reference import settle_reference
from linkage.settings import Settings

try:
    from pyspark.sql import DataFrame, SparkSession, Window
    from pyspark.sql import functions as F
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "the Spark engine needs pyspark: pip install 'reencuentro[spark]' (and Java 17+)"
    ) from exc

log = logging.getLogger("reencuentro")

#: pair columns every compared batch carries through
PAIR_COLUMNS = ("pos_l", "pos_r", "mask", "label")


def spark_session(master: str | None = None) -> SparkSession:
    """The active Spark session, or a new one on ``master``.

    Without ``master`` and outside ``spark-submit`` (which sets the master and the workers'
    Python itself), Spark runs in local mode on every core with this Python.
    """
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"
    builder = SparkSession.builder.appName("reencuentro").config(
        "spark.sql.execution.arrow.pyspark.enabled", "true"
    )
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            # local workers run this Python, which has the package and its dependencies
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return builder.getOrCreate()


def link_spark(
    custody: pd.DataFrame | ReadResult,
    field: pd.DataFrame | ReadResult,
    settings: Settings,
    *,
    comparisons: list[Comparison] | None = None,
    rules: Sequence[BlockingRule] | None = None,
    model: FellegiSunter | None = None,
    decisions: pd.DataFrame | None = None,
    normalizer: Normalizer,
    quiet: bool = True,
    spark_master: str | None = None,
) -> LinkResult:
    """:func:`linkage.pipeline.link` on Spark (arguments as there; ``spark_master``: a Spark
    master URL such as ``spark://host:7077`` or ``local[4]``; by default the active session's)."""
    spark = spark_session(spark_master)
    progress = Progress(quiet=quiet)
    watch = Stopwatch()
    lap = watch.lap

    with progress.step("normalize"):
        custody, field, settings, reference = settle_reference(custody, field, settings)
        (c_read, c_norm), (f_read, f_norm) = prepare_both(custody, field, settings, normalizer)
    lap("normalize")

    rules = tuple(rules) if rules is not None else default_rules(settings)
    with progress.step("block"):
        pairs, blocking = block_pairs(
            spark,
            c_norm,
            f_norm,
            rules,
            settings.max_pairs_per_rule,
            settings.max_pairs_per_key,
        )
        if decisions is not None:
            pairs = _with_labels(spark, pairs, labels_for_training(decisions), c_norm, f_norm)
        else:
            pairs = pairs.withColumn("label", F.lit(-1).cast("tinyint"))
    lap("block")

    if model is not None:
        comparisons = model.comparisons
    elif comparisons is None:
        comparisons = default_comparisons(settings)
    tf_tables = term_frequencies(comparisons, c_norm, f_norm)
    columns = compared_columns(comparisons)
    sides = spark.sparkContext.broadcast(
        (c_norm[[c for c in columns if c in c_norm]], f_norm[[c for c in columns if c in f_norm]])
    )
    with progress.step("compare"):
        compared = _compare(pairs, sides, comparisons, tf_tables).persist()
        n_pairs = compared.count()
    lap("compare")
    log.info("blocking made %d candidate pairs", n_pairs)

    if model is None:
        with progress.step("fit"):
            model = _fit(spark, compared, sides, comparisons, rules, settings, c_norm, f_norm)
        lap("fit")
        log.info(
            "EM %s after %d iterations (last change %.2g)",
            "converged" if model.em_.converged else "did not converge",
            model.em_.iterations,
            model.em_.last_change,
        )
    model.term_frequencies_ = tf_tables

    with progress.step("rank"):
        person = cluster_reports(f_norm, model, settings.cluster_min_bits, settings.workers)
        ids = spark.sparkContext.broadcast(
            (c_norm.index.to_numpy(), f_norm.index.to_numpy(), person)
        )
        scored = _score(compared, spark.sparkContext.broadcast(model), ids).persist()
        kept = _rank(scored, settings.top_k).toPandas()
        all_pairs = scored.select(
            "pos_l", "pos_r", "custody_id", "field_id", "field_person", "match_weight"
        ).toPandas()
        all_pairs, matched_share = _compete(all_pairs, model, len(c_norm))
        kept = kept.merge(
            all_pairs[["pos_l", "pos_r", "competition_bits", "match_probability"]],
            on=["pos_l", "pos_r"],
        )
        scored.unpersist()
        compared.unpersist()
        for broadcast in (sides, ids):
            broadcast.unpersist()
        matches = add_reasons(_matches(kept, comparisons, model, settings), model)
        if decisions is not None:
            matches = apply_decisions(matches, decisions)
    lap("rank")

    all_pairs = all_pairs.drop(columns=["pos_l", "pos_r", "field_person"])
    rejects = pd.concat([c_read.rejects, f_read.rejects], ignore_index=True)[REJECT_COLUMNS]
    return LinkResult(
        matches=matches,
        pairs=all_pairs,
        custody=c_norm,
        field=f_norm,
        model=model,
        blocking=blocking,
        rejects=rejects,
        settings=settings,
        counts={
            "custody": _count(c_read, c_norm, matches["custody_id"]),
            "field": _count(f_read, f_norm, matches["field_id"]),
        },
        timings=watch.timings,
        reference=reference,
        matched_share=matched_share,
    )


def _compete(
    pairs: pd.DataFrame, model: FellegiSunter, n_custody: int
) -> tuple[pd.DataFrame, float]:
    """Every pair (pos_l, pos_r, ids, field_person, match_weight), ordered as the embedded
    engine orders them, with competition_bits and match_probability
    (:func:`linkage.competition.competition_bits` on the driver), and the matched share."""
    order = np.lexsort((pairs["pos_r"].to_numpy(), pairs["pos_l"].to_numpy()))
    pairs = pairs.iloc[order].reset_index(drop=True)
    weights = pairs["match_weight"].to_numpy(dtype=float)
    others, share = competition_bits(
        pairs["pos_l"].to_numpy(), pairs["field_person"].to_numpy(), weights, n_custody
    )
    return pairs.assign(
        competition_bits=others, match_probability=model.probability(weights + others)
    ), share


def block_pairs(
    spark: SparkSession,
    custody: pd.DataFrame,
    field: pd.DataFrame,
    rules: tuple[BlockingRule, ...],
    max_pairs_per_rule: int,
    max_pairs_per_key: int = MAX_PAIRS_PER_KEY,
) -> tuple[DataFrame, pd.DataFrame]:
    """The union of the rules' pairs as a Spark DataFrame (pos_l, pos_r, mask: the rules that
    made the pair, bit i for rule i), and the blocking table of :func:`linkage.blocking.block`.

    Each rule's pairs are the join on ``key`` of its keyed rows (all rules in one join on rule
    and key). Before any pair is made, as the embedded engine does, its count is checked
    against ``max_pairs_per_rule`` from the key counts, and no key of a main rule may make more
    than ``max_pairs_per_key`` pairs (:func:`check_keys`).
    """
    counted = [count_pairs(custody, field, rule) for rule in rules]
    for rule, (n, _) in zip(rules, counted, strict=True):
        check_pairs(rule, n, max_pairs_per_rule)
    lefts, rights = [], []
    for i, rule in enumerate(rules):
        if counted[i][0] == 0:
            continue
        left, right = rule_keys(custody, field, rule)
        lefts.append(left.assign(rule=i))
        rights.append(right.assign(rule=i))
    if lefts:
        left_keys, right_keys = (
            _keys_frame(spark, lefts, "pos_l"),
            _keys_frame(spark, rights, "pos_r"),
        )
        check_keys(left_keys, right_keys, rules, max_pairs_per_key)
        # one join for every rule: on (rule, key); a pair's bits are its distinct rules' bits
        joined = left_keys.join(right_keys, ["rule", "key"])
        pairs = (
            joined.select("pos_l", "pos_r", "rule")
            .distinct()
            .groupBy("pos_l", "pos_r")
            .agg(F.sum(F.expr("shiftleft(CAST(1 AS BIGINT), rule)")).alias("mask"))
        )
    else:
        pairs = spark.createDataFrame([], "pos_l long, pos_r long, mask long")
    pairs = pairs.persist()
    by_mask = pairs.groupBy("mask").count().toPandas()
    masks = by_mask["mask"].to_numpy(dtype=np.int64)
    sizes = by_mask["count"].to_numpy(dtype=np.int64)
    new = [int(sizes[(masks & ((1 << (i + 1)) - 1)) == (1 << i)].sum()) for i in range(len(rules))]
    table = pd.DataFrame(
        {
            "rule": [r.name for r in rules],
            "description": [r.description for r in rules],
            "pairs": [n for n, _ in counted],
            "new_pairs": new,
            "skipped_stop_keys": [s for _, s in counted],
        }
    )
    return pairs, table


def check_keys(
    left: DataFrame, right: DataFrame, rules: tuple[BlockingRule, ...], limit: int
) -> None:
    """Refuse the first rule (in ``rules``' order) one of whose keys alone would make over
    ``limit`` pairs, naming its commonest such key, with the embedded engine's message.

    ``left``/``right``: keyed rows (rule, pos_l/pos_r, key); the pairs of each (rule, key) are
    counted by a Spark aggregation, never made. Rules with stop keys (``max_key_pairs``) skip
    those keys instead, so they are not checked.
    """
    checked = [i for i, rule in enumerate(rules) if rule.max_key_pairs is None]
    if not checked:
        return
    counts = [
        frame.where(F.col("rule").isin(checked))
        .groupBy("rule", "key")
        .count()
        .withColumnRenamed("count", name)
        for frame, name in ((left, "n_left"), (right, "n_right"))
    ]
    over = (
        counts[0]
        .join(counts[1], ["rule", "key"])
        .where(F.col("n_left") * F.col("n_right") > limit)
        .orderBy("rule", F.desc(F.col("n_left") * F.col("n_right")), "key")
        .first()
    )
    if over is not None:
        rule = rules[over["rule"]]
        raise key_over_limit(rule, over["key"], over["n_left"], over["n_right"], limit)


def _keys_frame(spark: SparkSession, parts: list[pd.DataFrame], pos: str) -> DataFrame:
    keys = pd.concat(parts, ignore_index=True)
    frame = pd.DataFrame(
        {
            "rule": keys["rule"].to_numpy(dtype="int32"),
            pos: keys["pos"].to_numpy(dtype="int64"),
            "key": keys["key"].astype(str).to_numpy(),
        }
    )
    return spark.createDataFrame(frame, f"rule int, {pos} long, key string")


def _with_labels(
    spark: SparkSession,
    pairs: DataFrame,
    labels: pd.DataFrame,
    c_norm: pd.DataFrame,
    f_norm: pd.DataFrame,
) -> DataFrame:
    """``pairs`` with a ``label`` column: 1 match, 0 non-match, -1 not decided (as
    :func:`linkage.pipeline.link` passes reviewer labels to the model)."""
    pos_l = c_norm.index.get_indexer(labels["custody_id"].astype(str))
    pos_r = f_norm.index.get_indexer(labels["field_id"].astype(str))
    known = (pos_l >= 0) & (pos_r >= 0)
    frame = pd.DataFrame(
        {
            "pos_l": pos_l[known].astype("int64"),
            "pos_r": pos_r[known].astype("int64"),
            "label": labels["is_match"].astype(int).to_numpy()[known].astype("int8"),
        }
    ).drop_duplicates(["pos_l", "pos_r"], keep="last")
    decided = spark.createDataFrame(frame, "pos_l long, pos_r long, label tinyint")
    return pairs.join(decided, ["pos_l", "pos_r"], "left").fillna({"label": -1})


def _tf_names(comparisons: Sequence[Comparison], tables: dict[str, dict[str, float]]) -> list[str]:
    return [c.name for c in comparisons if c.tf_column is not None and tables.get(c.name)]


def _compare(
    pairs: DataFrame,
    sides: object,
    comparisons: Sequence[Comparison],
    tables: dict[str, dict[str, float]],
) -> DataFrame:
    """Per pair: its columns, one ``lv_<comparison>`` level column per comparison and one
    ``tf_<comparison>`` column per tf comparison (the frequency of the agreed value)."""
    columns = compared_columns(comparisons)
    tf_names = _tf_names(comparisons, tables)

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        custody, field = sides.value
        for batch in batches:
            frame = pair_frame(
                custody.iloc[batch["pos_l"].to_numpy()],
                field.iloc[batch["pos_r"].to_numpy()],
                columns,
            )
            levels = compare_pairs(frame, comparisons)
            tf = tf_values(frame, comparisons, tables)
            out = batch[list(PAIR_COLUMNS)].reset_index(drop=True)
            for c in comparisons:
                out[f"lv_{c.name}"] = levels[c.name].to_numpy(dtype=np.int8)
            for name in tf_names:
                out[f"tf_{name}"] = tf[name]
            yield out

    schema = ", ".join(
        ["pos_l long", "pos_r long", "mask long", "label tinyint"]
        + [f"lv_{c.name} tinyint" for c in comparisons]
        + [f"tf_{name} double" for name in tf_names]
    )
    return pairs.select(*PAIR_COLUMNS).mapInPandas(run, schema)


def _fit(
    spark: SparkSession,
    compared: DataFrame,
    sides: object,
    comparisons: list[Comparison],
    rules: tuple[BlockingRule, ...],
    settings: Settings,
    c_norm: pd.DataFrame,
    f_norm: pd.DataFrame,
) -> FellegiSunter:
    """u from the embedded engine's random pairs, m and the prior by EM on pattern counts."""
    level_columns = [f"lv_{c.name}" for c in comparisons]
    random_pos = random_pairs(len(c_norm), len(f_norm), settings.random_pairs, settings.seed)
    random_frame = pd.DataFrame(
        {
            "pos_l": random_pos[:, 0].astype("int64"),
            "pos_r": random_pos[:, 1].astype("int64"),
            "mask": np.zeros(len(random_pos), dtype="int64"),
            "label": np.full(len(random_pos), -1, dtype="int8"),
        }
    )
    random_pairs_df = spark.createDataFrame(
        random_frame, "pos_l long, pos_r long, mask long, label tinyint"
    )
    random_vectors = (
        _compare(random_pairs_df, sides, comparisons, {})
        .select(*level_columns)
        .toPandas()
        .to_numpy(dtype=np.int8)
    )
    patterns = compared.groupBy(*level_columns, "label", "mask").count().toPandas()
    forced = forced_matrix(
        patterns["mask"].to_numpy(dtype=np.int64),
        [r.evidence for r in rules],
        [c.name for c in comparisons],
    )
    return new_model(comparisons, settings).fit(
        patterns[level_columns].to_numpy(dtype=np.int8),
        random_vectors,
        len(c_norm),
        len(f_norm),
        patterns["label"].to_numpy(dtype=np.int8),
        forced,
        sample_weight=patterns["count"].to_numpy(dtype=np.int64),
    )


def _score(compared: DataFrame, model: object, ids: object) -> DataFrame:
    """Per pair: ids, the field report's person, weight, levels and bits (probabilities are
    computed on the driver, see :func:`_compete`)."""
    fitted: FellegiSunter = model.value
    names = [c.name for c in fitted.comparisons]
    tf_names = [c for c in compared.columns if c.startswith("tf_")]

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        scorer: FellegiSunter = model.value
        custody_ids, field_ids, person = ids.value
        for batch in batches:
            pos_l, pos_r = batch["pos_l"].to_numpy(), batch["pos_r"].to_numpy()
            vectors = batch[[f"lv_{n}" for n in names]].to_numpy(dtype=np.int8)
            tf = {t[3:]: batch[t].to_numpy(dtype=float) for t in tf_names}
            bits = scorer.bits(vectors, tf)
            weights = scorer.weights(bits)
            out = pd.DataFrame(
                {
                    "pos_l": pos_l,
                    "pos_r": pos_r,
                    "custody_id": custody_ids[pos_l],
                    "field_id": field_ids[pos_r],
                    "field_person": person[pos_r].astype("int64"),
                    "match_weight": weights,
                }
            )
            for j, n in enumerate(names):
                out[f"lv_{n}"] = vectors[:, j]
                out[f"bits_{n}"] = bits[:, j]
            yield out

    schema = ", ".join(
        [
            "pos_l long",
            "pos_r long",
            "custody_id string",
            "field_id string",
            "field_person long",
            "match_weight double",
        ]
        + [f"lv_{n} tinyint, bits_{n} double" for n in names]
    )
    return compared.mapInPandas(run, schema)


def _rank(scored: DataFrame, top_k: int) -> DataFrame:
    """:func:`linkage.rank.rank_candidates` with window functions: each custody record's people
    by their best weight (ties by person number), rank and margin to the next person; the pairs
    of its ``top_k`` best people."""
    people = scored.groupBy("custody_id", "field_person").agg(
        F.max("match_weight").alias("person_weight")
    )
    order = Window.partitionBy("custody_id").orderBy(
        F.col("person_weight").desc(), F.col("field_person").asc()
    )
    people = (
        people.withColumn("rank", F.row_number().over(order))
        .withColumn("margin", F.col("person_weight") - F.lead("person_weight").over(order))
        .where(F.col("rank") <= top_k)
        .drop("person_weight")
    )
    return scored.join(people, ["custody_id", "field_person"])


def _matches(
    kept: pd.DataFrame,
    comparisons: list[Comparison],
    model: FellegiSunter,
    settings: Settings,
) -> pd.DataFrame:
    """The matches table from the kept pairs, in :func:`~linkage.rank.rank_candidates`'s order."""
    ranked = kept.sort_values(
        ["custody_id", "rank", "match_weight", "field_id"], ascending=[True, True, False, True]
    ).reset_index(drop=True)
    ranked["rank"] = ranked["rank"].astype("int64")
    ranked["margin"] = ranked["margin"].astype(float)
    ranked["pair"] = np.arange(len(ranked))
    vectors = ranked[[f"lv_{c.name}" for c in comparisons]].to_numpy(dtype=np.int8)
    bits = ranked[[f"bits_{c.name}" for c in comparisons]].to_numpy(dtype=float)
    return _matches_frame(ranked, vectors, bits, comparisons, settings)
