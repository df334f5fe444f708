"""Legislators (real, public, Spanish names): official parliament rolls vs. Wikidata.

Source: EveryPolitician (github.com/everypolitician/everypolitician-data), which scraped each
chamber's official roll and the Wikidata items of its members and recorded which item is which
roll member (``sources/reconciliation/wikidata.csv``: Wikidata item -> EveryPolitician person),
as of 8 July 2016 (commit b2e033ee, fork beastie87/everypolitician-data). Per chamber, under
``<Country>/<Chamber>/sources/``: the roll ``morph/<roll>.csv`` with its ids
``morph/<roll>-ids.csv`` (roll id -> person), the Wikidata records ``morph/wikidata.csv`` and the
reconciliation.

The job: custody is every member of twelve rolls (name as the chamber writes it; the state,
province or department as place; sex where the roll gives it) except a seeded ``share_dropped`` of
those with a Wikidata match; field is the Wikidata records (Spanish label, else the default label;
birth date; sex) of the reconciled members, so the dropped members' records have no match. True
pairs are the reconciliation's, less those EveryPolitician could have made by a name rule: a pair
whose Wikidata label equals the roll's ``name`` exactly (its automatic join) is left out with its
Wikidata record. Wikidata records nobody reconciled are left out too: several are members of the
roll under a short name or a duplicate item, not other people. No roll gives a birth date, so the
name (and sex, on two rolls) is the only evidence both sides share. ``legislators_es_ages`` is the
same job with each field birth date turned into an age on the chamber's term start
(:func:`bench.ages_only.ages_only`).

    python -m bench.prepare_legislators --raw ~/bench-raw/everypolitician-2016 \
        --data-dir ~/bench-data
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bench.ages_only import ages_only
from linkage.synth import SynthData

NAMES = {False: "legislators_es", True: "legislators_es_ages"}
_SEX = {"male": "M", "female": "F"}


@dataclass(frozen=True)
class Roll:
    """One roll file of a chamber and which of its columns give name, place and sex."""

    stem: str
    name: str = "name"
    place: str = ""
    sex: str = ""


@dataclass(frozen=True)
class Chamber:
    """A chamber: id prefix, folder under --raw, first day of its term, its rolls (the first
    listed wins for a member on two)."""

    prefix: str
    folder: str
    term_start: dt.date
    rolls: tuple[Roll, ...]


CHAMBERS = (
    Chamber("ES", "Spain/Congress", dt.date(2011, 11, 28), (Roll("data", "sort_name", "area"),)),
    Chamber(
        "MX",
        "Mexico/Deputies",
        dt.date(2012, 9, 1),
        (Roll("official-LXII", "sort_name", "area"), Roll("official-LXIII", "sort_name", "area")),
    ),
    Chamber("PR", "Puerto_Rico/House_of_Representatives", dt.date(2013, 1, 14), (Roll("data"),)),
    Chamber("CR", "Costa_Rica/Assembly", dt.date(2014, 5, 1), (Roll("data"),)),
    Chamber(
        "AR", "Argentina/Diputados", dt.date(2015, 12, 10), (Roll("data", "sort_name", "district"),)
    ),
    Chamber(
        "ARS",
        "Argentina/Senado",
        dt.date(2015, 12, 10),
        (Roll("official", "sort_name", "district"),),
    ),
    Chamber("CL", "Chile/Deputies", dt.date(2014, 3, 11), (Roll("data", sex="gender"),)),
    Chamber("CO", "Colombia/Representatives", dt.date(2014, 7, 20), (Roll("data", place="area"),)),
    Chamber(
        "EC", "Ecuador/Asamblea", dt.date(2013, 5, 14), (Roll("data", "name", "area", "gender"),)
    ),
    Chamber("PE", "Peru/Congreso", dt.date(2011, 7, 27), (Roll("data", "sort_name", "area"),)),
    Chamber("UY", "Uruguay/Deputies", dt.date(2015, 2, 15), (Roll("data", place="area"),)),
    Chamber(
        "VE",
        "Venezuela/Assembly",
        dt.date(2016, 1, 5),
        (Roll("official2016", place="area"), Roll("official2011", place="area")),
    ),
)


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _roll(src: Path, roll: Roll) -> pd.DataFrame:
    """id, uuid (the person), roll_name (EveryPolitician's join key), full_name, place, sex."""
    rows = _csv(src / f"morph/{roll.stem}.csv").drop_duplicates("id")
    rows = rows.merge(_csv(src / f"morph/{roll.stem}-ids.csv"), on="id")
    blank = pd.Series("", index=rows.index)
    place = rows[roll.place].str.replace(r"\s+\d+$", "", regex=True) if roll.place else blank
    return pd.DataFrame(
        {
            "id": rows["id"],
            "uuid": rows["uuid"],
            "roll_name": rows["name"],
            "full_name": rows[roll.name],
            "place": place,
            "sex": rows[roll.sex].map(_SEX).fillna("") if roll.sex else blank,
        }
    )


def _wikidata(src: Path) -> pd.DataFrame:
    """qid, label (EveryPolitician's join key), full_name (Spanish label, else the default),
    birth_date, sex."""
    rows = _csv(src / "morph/wikidata.csv")
    spanish = rows["name__es"] if "name__es" in rows else pd.Series("", index=rows.index)
    return pd.DataFrame(
        {
            "qid": rows["id"],
            "label": rows["name"],
            "full_name": spanish.where(spanish.str.strip() != "", rows["name"]),
            "birth_date": rows["birth_date"],
            "sex": rows["gender"].map(_SEX).fillna(""),
        }
    )


def _chamber(raw: Path, chamber: Chamber) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Custody rows, field rows and true pairs of one chamber, ids prefixed."""
    src = raw / chamber.folder / "sources"
    roll = pd.concat([_roll(src, r) for r in chamber.rolls]).drop_duplicates("uuid")
    items = _wikidata(src)
    pairs = (
        _csv(src / "reconciliation/wikidata.csv")
        .rename(columns={"id": "qid"})
        .merge(roll[["id", "uuid", "roll_name"]], on="uuid")
        .merge(items[["qid", "label"]], on="qid")
    )
    pairs = pairs[pairs["label"] != pairs["roll_name"]]
    custody = roll.assign(record_id=f"C{chamber.prefix}-" + roll["id"])
    field = items[items["qid"].isin(pairs["qid"])].drop_duplicates("qid")
    field = field.assign(
        record_id=f"F{chamber.prefix}-" + field["qid"], report_date=chamber.term_start.isoformat()
    )
    truth = pd.DataFrame(
        {
            "custody_id": f"C{chamber.prefix}-" + pairs["id"],
            "field_id": f"F{chamber.prefix}-" + pairs["qid"],
        }
    )
    return custody, field, truth


def build(
    raw: Path,
    share_dropped: float = 0.2,
    seed: int = 0,
    ages: bool = False,
    chambers: tuple[Chamber, ...] = CHAMBERS,
) -> SynthData:
    """Custody, field and truth tables of the pooled job (see the module's docstring)."""
    parts = [_chamber(raw, chamber) for chamber in chambers]
    custody = pd.concat([p[0] for p in parts], ignore_index=True)
    field = pd.concat([p[1] for p in parts], ignore_index=True)
    truth = pd.concat([p[2] for p in parts], ignore_index=True)
    matched = pd.Series(sorted(truth["custody_id"].unique()))
    dropped = set(matched.sample(frac=share_dropped, random_state=seed))
    custody = custody[~custody["record_id"].isin(dropped)]
    truth = truth[~truth["custody_id"].isin(dropped)]
    field_columns = ["record_id", "full_name", "birth_date", "sex"]
    if ages:
        field = ages_only(field[[*field_columns, "report_date"]], day_first=False, seed=seed)
    else:
        field = field[field_columns]
    return SynthData(
        custody[["record_id", "full_name", "place", "sex"]].sort_values(
            "record_id", ignore_index=True
        ),
        field.sort_values("record_id", ignore_index=True),
        truth.sort_values(["custody_id", "field_id"], ignore_index=True),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True, help="everypolitician-2016 folder")
    parser.add_argument("--data-dir", type=Path, required=True, help="where job folders go")
    args = parser.parse_args(argv)
    for ages, name in NAMES.items():
        job = build(args.raw, ages=ages)
        job.write(args.data_dir / name)
        print(f"{name}: {len(job.custody)} custody, {len(job.field)} field, {len(job.truth)} pairs")


if __name__ == "__main__":
    main()
