"""Legislators (real, public, Spanish names): official parliament rolls vs. Wikidata.

Source: EveryPolitician (github.com/everypolitician/everypolitician-data), which scraped each
chamber's official roll and the Wikidata items of its members and joined them by hand
(``sources/reconciliation/*.csv``: Wikidata item -> EveryPolitician person). Four chambers, as of
the 2015 snapshot (commit 0642e77a, fork tijmenb/everypolitician-data), plus the later
reconciliation of Mexico's deputies (commit 34ba66ef of the upstream repository):

- Spain, Congreso (10th term): ``morph/data.csv`` (the Congreso's roll, "Surnames, Given"),
  ``morph/data-ids.csv``, ``morph/wikidata.csv``, ``reconciliation/wikidata.csv``;
- Mexico, Cámara de Diputados (LXII and LXIII): ``morph/official-LXII*.csv``,
  ``morph/official-LXIII*.csv`` ("Paternal Maternal Given", no comma), ``morph/wikidata.csv``
  (LXII) and the later ``reconciliation/wikidata.csv``;
- Puerto Rico, Cámara de Representantes (29th): ``morph/data*.csv``, ``morph/wikidata.csv``,
  ``reconciliation/wikidata.csv``;
- Costa Rica, Asamblea (2014-2018): ``morph/data*.csv`` (upper case), the hand reconciliation
  to Wikipedia articles (``reconciliation/wikimedia.csv``, ``morph/wikipedia.csv``) and the
  Wikidata items of those articles (``morph/wikidata.csv``, by the article's title).

The job: custody is every record of the official rolls (name as the chamber writes it, the
constituency's state or province as place) except a seeded ``share_dropped`` of those that have a
Wikidata match; field is the Wikidata records (Spanish label, else the default label; birth date;
sex) of the hand-reconciled people, so the dropped people's Wikidata records have no match. True
pairs are the hand reconciliation only: EveryPolitician's exact-name joins are left out with their
Wikidata records, and so are Wikidata records nobody reconciled (several are people of the roll
under a short or duplicate item, not decoys). No official roll gives a birth date or sex, so the
only evidence both sides share is the name. ``legislators_es_ages`` is the same job with each
field birth date turned into an age on the term's first day (:func:`bench.ages_only.ages_only`).

    python -m bench.prepare_legislators --raw ~/bench-raw/everypolitician-2015 \
        --data-dir ~/bench-data
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bench.ages_only import ages_only
from linkage.synth import SynthData

NAMES = {False: "legislators_es", True: "legislators_es_ages"}
_SEX = {"male": "M", "female": "F"}


@dataclass(frozen=True)
class Chamber:
    """One chamber: its folder under --raw, id prefix, first day of its (first) term, reader."""

    prefix: str
    folder: str
    term_start: dt.date
    read: Callable[[Path], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _roll(src: Path, stem: str, name: str, place: str | None) -> pd.DataFrame:
    """official id, person (uuid), full_name, place of one roll and its id map."""
    rows = _csv(src / f"morph/{stem}.csv").merge(_csv(src / f"morph/{stem}-ids.csv"), on="id")
    places = rows[place].str.replace(r"\s+\d+$", "", regex=True) if place else ""
    return pd.DataFrame(
        {"id": rows["id"], "uuid": rows["uuid"], "full_name": rows[name], "place": places}
    )


def _wikidata(src: Path) -> pd.DataFrame:
    """item, full_name (Spanish label, else the default one), birth_date, sex."""
    rows = _csv(src / "morph/wikidata.csv")
    spanish = rows["name__es"] if "name__es" in rows else pd.Series("", index=rows.index)
    return pd.DataFrame(
        {
            "qid": rows["id"],
            "full_name": spanish.where(spanish.str.strip() != "", rows["name"]),
            "birth_date": rows["birth_date"],
            "sex": rows["gender"].map(_SEX).fillna(""),
        }
    )


def _hand(src: Path) -> pd.DataFrame:
    return _csv(src / "reconciliation/wikidata.csv").rename(columns={"id": "qid"})


def _spain(src: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _roll(src, "data", "sort_name", "area"), _wikidata(src), _hand(src)


def _mexico(src: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    roll = pd.concat(
        [_roll(src, f"official-{term}", "sort_name", "area") for term in ("LXII", "LXIII")]
    )
    return roll, _wikidata(src), _hand(src)


def _puerto_rico(src: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _roll(src, "data", "name", None), _wikidata(src), _hand(src)


def _costa_rica(src: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    articles = _csv(src / "morph/wikipedia.csv")[["id", "wikiname"]]
    hand = _csv(src / "reconciliation/wikimedia.csv").merge(articles, on="id")
    items = _csv(src / "morph/wikidata.csv")[["id", "wikipedia__en"]]
    pairs = hand.merge(items, left_on="wikiname", right_on="wikipedia__en", suffixes=("", "_q"))
    pairs = pairs.rename(columns={"id_q": "qid"})[["qid", "uuid"]]
    return _roll(src, "data", "name", None), _wikidata(src), pairs


CHAMBERS = (
    Chamber("ES", "Spain/Congress", dt.date(2011, 11, 28), _spain),
    Chamber("MX", "Mexico/Deputies", dt.date(2012, 9, 1), _mexico),
    Chamber("PR", "Puerto_Rico/House_of_Representatives", dt.date(2013, 1, 14), _puerto_rico),
    Chamber("CR", "Costa_Rica/Assembly", dt.date(2014, 5, 1), _costa_rica),
)


def _chamber(raw: Path, chamber: Chamber) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Custody rows, field rows and true pairs of one chamber, ids prefixed."""
    roll, items, hand = chamber.read(raw / chamber.folder / "sources")
    pairs = hand.merge(roll[["id", "uuid"]], on="uuid").merge(items[["qid"]], on="qid")
    custody = roll.assign(record_id="C" + chamber.prefix + roll["id"]).drop(columns=["id", "uuid"])
    field = items[items["qid"].isin(pairs["qid"])].drop_duplicates("qid")
    field = field.assign(
        record_id="F" + chamber.prefix + field["qid"],
        report_date=chamber.term_start.isoformat(),
    ).drop(columns=["qid"])
    truth = pd.DataFrame(
        {
            "custody_id": "C" + chamber.prefix + pairs["id"],
            "field_id": "F" + chamber.prefix + pairs["qid"],
        }
    )
    return custody, field, truth


def build(raw: Path, share_dropped: float = 0.2, seed: int = 0, ages: bool = False) -> SynthData:
    """Custody, field and truth tables of the pooled job (see the module's docstring)."""
    parts = [_chamber(raw, chamber) for chamber in CHAMBERS]
    custody = pd.concat([p[0] for p in parts], ignore_index=True)
    field = pd.concat([p[1] for p in parts], ignore_index=True)
    truth = pd.concat([p[2] for p in parts], ignore_index=True).drop_duplicates()
    matched = pd.Series(sorted(truth["custody_id"].unique()))
    dropped = set(matched.sample(frac=share_dropped, random_state=seed))
    custody = custody[~custody["record_id"].isin(dropped)]
    truth = truth[~truth["custody_id"].isin(dropped)]
    if ages:
        field = ages_only(field, day_first=False, seed=seed)
    else:
        field = field.drop(columns=["report_date"])
    columns = ["record_id", "full_name", "place"]
    return SynthData(
        custody[columns].sort_values("record_id", ignore_index=True),
        field[["record_id", *[c for c in field if c != "record_id"]]].sort_values(
            "record_id", ignore_index=True
        ),
        truth.sort_values(["custody_id", "field_id"], ignore_index=True),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True, help="everypolitician-2015 folder")
    parser.add_argument("--data-dir", type=Path, required=True, help="where job folders go")
    args = parser.parse_args(argv)
    for ages, name in NAMES.items():
        job = build(args.raw, ages=ages)
        job.write(args.data_dir / name)
        print(f"{name}: {len(job.custody)} custody, {len(job.field)} field, {len(job.truth)} pairs")


if __name__ == "__main__":
    main()
