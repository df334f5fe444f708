"""Historical persons (real names and dates from Wikidata, with Splink's planted errors).

Source: ``historical_figures_with_errors_50k.parquet`` from github.com/moj-analytical-services/
splink_datasets (MIT licence; the data Splink's own tutorials link): about 5,000 people born in
the United Kingdom, scraped from Wikidata, each written 3 to 21 times with typos, missing
values, name variants and wrong dates; ``cluster`` is the person.

The job: custody is one record of each of ``n_custody`` people; field holds another record of
``share_matched`` of them plus records of other people up to ``n_field``, drawn with ``seed``.
The field side gives an age at a report date instead of a birth date: each field record gets a
report date 18 to 70 years after its own (possibly wrong) birth date, and
:func:`bench.ages_only.ages_only` turns the birth date into the age on that day
(``historical_ages``). ``historical_dates`` is the same job with the birth dates kept.

    python -m bench.prepare_historical --raw /path/to/historical_figures_with_errors_50k.parquet \
        --data-dir /path/to/bench-data
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import pandas as pd

from bench.ages_only import ages_only, read_date
from linkage.synth import SynthData

NAMES = {True: "historical_ages", False: "historical_dates"}
_SEX = {"male": "M", "female": "F"}


def _schema(rows: pd.DataFrame, prefix: str) -> pd.DataFrame:
    surname = rows["surname"].fillna("")
    return pd.DataFrame(
        {
            "record_id": prefix + rows["unique_id"].astype(str),
            "full_name": rows["full_name"].fillna("").where(surname == "", ""),
            "given_names": rows["first_name"].fillna("").where(surname != "", ""),
            "paternal_surname": surname,
            "sex": rows["gender"].map(_SEX).fillna(""),
            "birth_date": rows["dob"].fillna(""),
            "place": rows["birth_place"].fillna(""),
        }
    )


def _report_dates(births: pd.Series, seed: int) -> list[str]:
    """A report date 18 to 70 years after each readable birth date, else ""."""
    rng = random.Random(seed)
    out = []
    for text in births:
        lived = rng.randrange(18 * 365, 70 * 365)
        birth, year = read_date(text)
        start = birth or (dt.date(year, 7, 1) if year and year > 0 else None)
        out.append((start + dt.timedelta(days=lived)).isoformat() if start else "")
    return out


def build(
    people: pd.DataFrame,
    n_custody: int = 1_000,
    n_field: int = 5_000,
    share_matched: float = 0.8,
    seed: int = 0,
    ages: bool = True,
) -> SynthData:
    """Custody, field and truth tables of the job (see the module's docstring)."""
    people = people.sort_values("unique_id", ignore_index=True)
    clusters = pd.Series(people["cluster"].unique()).sample(frac=1.0, random_state=seed)
    chosen = clusters.iloc[:n_custody]
    matched = chosen.iloc[: round(share_matched * n_custody)]
    shuffled = people.sample(frac=1.0, random_state=seed)
    custody_rows = shuffled[shuffled["cluster"].isin(chosen)].drop_duplicates("cluster")
    left = shuffled.drop(custody_rows.index)
    pairs = left[left["cluster"].isin(matched)].drop_duplicates("cluster")
    others = left[~left["cluster"].isin(chosen)]
    field_rows = pd.concat([pairs, others.iloc[: max(n_field - len(pairs), 0)]])

    custody = _schema(custody_rows, "C")
    field = _schema(field_rows, "F")
    if ages:
        field["report_date"] = _report_dates(field["birth_date"], seed)
        field = ages_only(field, day_first=True, seed=seed)
    truth = custody_rows[["unique_id", "cluster"]].merge(
        pairs[["unique_id", "cluster"]], on="cluster", suffixes=("_c", "_f")
    )
    truth = pd.DataFrame(
        {
            "custody_id": "C" + truth["unique_id_c"].astype(str),
            "field_id": "F" + truth["unique_id_f"].astype(str),
        }
    )
    return SynthData(
        custody.sort_values("record_id", ignore_index=True),
        field.sort_values("record_id", ignore_index=True),
        truth.sort_values(["custody_id", "field_id"], ignore_index=True),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True, help="the parquet file")
    parser.add_argument("--data-dir", type=Path, required=True, help="where job folders go")
    args = parser.parse_args(argv)
    people = pd.read_parquet(args.raw)
    for ages, name in NAMES.items():
        job = build(people, ages=ages)
        job.write(args.data_dir / name)
        print(f"{name}: {len(job.custody)} custody, {len(job.field)} field, {len(job.truth)} pairs")


if __name__ == "__main__":
    main()
