"""Union Army (real, public): 1900 census records as custody, military service records as field.

Source: the ``CEN`` and ``MSR`` files that Bai, Binette and Reiter derived from the Union Army
Data Set of the Early Indicators of Aging project (Fogel et al., 2000) for "Optimal F-Score
Clustering for Bipartite Record Linkage" (arXiv 2311.13923), as shipped in the mismo repository
(github.com/NickCrews/mismo, ``mismo/_data/_datasets/union_army/``, commit 5c68ab76). True
links are the project's hand-made links (``label_true`` shared by both files).

The job: a census record (given and middle name, surname, birth year and month, birth place, sex)
looks for the soldier's service record, which gives an age at enlistment (1861-1865) and no
birth date: the field side gives an age at a report date. Custody is ``n_matched`` census records
that have a service record plus ``n_custody - n_matched`` others (family members, unlinked men);
field is the matched service records plus others up to ``n_field``; all drawn with ``seed``.

    python -m bench.prepare_union_army --raw /path/to/raw --data-dir /path/to/bench-data
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from linkage.synth import SynthData

NAME = "union_army"


def _given(frame: pd.DataFrame) -> pd.Series:
    return (frame["first_name"].fillna("") + " " + frame["middle_name"].fillna("")).str.strip()


def build(
    cen: pd.DataFrame,
    msr: pd.DataFrame,
    n_custody: int = 1_000,
    n_field: int = 5_000,
    n_matched: int = 500,
    seed: int = 0,
) -> SynthData:
    """Custody, field and truth tables of the job (see the module's docstring)."""
    linked = cen[cen["label_true"].notna() & cen["label_true"].isin(msr["label_true"])]
    matched = linked.sample(n=min(n_matched, len(linked)), random_state=seed)
    others = cen.drop(matched.index)
    others = others[~others["label_true"].isin(matched["label_true"])]
    custody_rows = pd.concat(
        [matched, others.sample(n=n_custody - len(matched), random_state=seed)]
    )
    soldiers = msr[msr["label_true"].isin(matched["label_true"])]
    rest = msr.drop(soldiers.index)
    field_rows = pd.concat(
        [soldiers, rest.sample(n=max(n_field - len(soldiers), 0), random_state=seed)]
    )

    month = custody_rows["birth_month"].fillna("").str.zfill(2)
    custody = pd.DataFrame(
        {
            "record_id": "C" + custody_rows["record_id"],
            "given_names": _given(custody_rows),
            "paternal_surname": custody_rows["last_name"].fillna(""),
            "sex": custody_rows["gender"].where(custody_rows["gender"].isin(["M", "F"]), ""),
            "birth_date": custody_rows["birth_year"].fillna("")
            + ("-" + month).where(month.str.fullmatch(r"(0[1-9]|1[0-2])"), ""),
            "place": custody_rows["birth_place"].fillna(""),
        }
    )
    enlisted = field_rows["enlist_date"].fillna("")
    iso = enlisted.str[:4] + "-" + enlisted.str[4:6] + "-" + enlisted.str[6:8]
    field = pd.DataFrame(
        {
            "record_id": "F" + field_rows["record_id"],
            "given_names": _given(field_rows),
            "paternal_surname": field_rows["last_name"].fillna(""),
            "age": field_rows["enlist_age"].fillna(""),
            "report_date": iso.where(enlisted.str.fullmatch(r"\d{8}"), ""),
            "place": field_rows["birth_place"].fillna(""),
        }
    )
    truth = custody_rows[["record_id", "label_true"]].merge(
        field_rows[["record_id", "label_true"]], on="label_true", suffixes=("_c", "_f")
    )
    truth = pd.DataFrame(
        {"custody_id": "C" + truth["record_id_c"], "field_id": "F" + truth["record_id_f"]}
    )
    return SynthData(
        custody.sort_values("record_id", ignore_index=True),
        field.sort_values("record_id", ignore_index=True),
        truth.sort_values(["custody_id", "field_id"], ignore_index=True),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True, help="folder with CEN.csv and MSR.csv")
    parser.add_argument("--data-dir", type=Path, required=True, help="where job folders go")
    args = parser.parse_args(argv)
    read = {"dtype": str, "keep_default_na": False, "na_values": [""]}
    cen, msr = (pd.read_csv(args.raw / f"{name}.csv", **read) for name in ("CEN", "MSR"))
    job = build(cen, msr)
    job.write(args.data_dir / NAME)
    print(f"{NAME}: {len(job.custody)} custody, {len(job.field)} field, {len(job.truth)} pairs")


if __name__ == "__main__":
    main()
