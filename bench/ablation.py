"""What each normalizer family adds: the pipeline with generic stand-ins, on the same data.

    .venv/bin/python bench/ablation.py --custody 1000 --field 5000 --seed 1 [--difficulty hard]

Variants (each scored by the project's evaluate code on one synthetic set):
- ``full``: the project as shipped.
- ``generic_names``: names handled as a generic linkage tool does: the first word is the given
  name and the rest are surnames (or the part before a comma is the surname), Soundex keys, and one
  Jaro-Winkler comparison of the whole folded name; no nicknames, particles or Spanish phonetics.
- ``generic_places_dates_ids_phones``: places compared as folded text (municipality, department,
  country), dates parsed by pandas (month-first, no Spanish months, no precision or swapped
  readings, ages unused), IDs and phones compared as bare digits.
- ``generic_all``: both.

Prints one table of recall@1, recall@5, F1 at the best threshold, blocking recall and wall time.
"""

from __future__ import annotations

import argparse
import time

import jellyfish
import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler

from linkage.comparisons import default_comparisons
from linkage.comparisons.base import MISSING, Comparison, Level
from linkage.comparisons.names import NameComparison
from linkage.evaluate import evaluate
from linkage.pipeline import link
from linkage.settings import Settings
from linkage.synth import generate
from normalizers import frame
from normalizers.names import FRAME_COLUMNS
from normalizers.text import digits, fold


def _generic_parse(full: object, given: object, paternal: object, maternal: object) -> tuple:
    if fold(full):
        text = str(full)
        if "," in text:
            surnames, _, given_text = text.partition(",")
            words = fold(surnames).split()
            given_words = fold(given_text).split()
        else:
            tokens = fold(text).split()
            given_words, words = tokens[:1], tokens[1:]
    else:
        given_words = fold(given).split()
        words = fold(paternal).split() + fold(maternal).split()
    first = given_words[0] if given_words else None
    pat = words[0] if words else None
    mat = words[1] if len(words) > 1 else None
    return (
        " ".join(given_words) or None,
        first,
        pat,
        mat,
        1.0,
        jellyfish.soundex(first) if first else None,
        jellyfish.soundex(pat) if pat else None,
        jellyfish.soundex(mat) if mat else None,
        None,
        None,
        f"{first} {pat}" if first and pat else None,
    )


def generic_names_frame(df: pd.DataFrame) -> pd.DataFrame:
    cols = ("full_name", "given_names", "paternal_surname", "maternal_surname")
    values = [df[c] if c in df else pd.Series(None, index=df.index) for c in cols]
    rows = [_generic_parse(*row) for row in zip(*values, strict=True)]
    out = pd.DataFrame.from_records(
        rows,
        columns=list(FRAME_COLUMNS),
        index=df.index,
    )
    return out.astype(object)


class GenericNameComparison(Comparison):
    name = "name"
    columns = ("given", "paternal", "maternal")
    levels = (
        Level("exact", "Nombre idéntico", "Same name", tf=True),
        Level("jw_95", "Nombre casi idéntico", "Name nearly the same"),
        Level("jw_88", "Nombre parecido", "Name similar"),
        Level("else", "Nombres distintos", "Different names"),
    )
    tf_column = "name_tf"

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        def whole(side: str) -> list[str]:
            parts = [pairs[f"{c}_{side}"].fillna("").astype(str) for c in self.columns]
            return [" ".join(w for w in ws if w) for ws in zip(*parts, strict=True)]

        out = []
        for a, b in zip(whole("l"), whole("r"), strict=True):
            if not a or not b:
                out.append(MISSING)
                continue
            sim = JaroWinkler.normalized_similarity(a, b)
            out.append(0 if a == b else 1 if sim >= 0.95 else 2 if sim >= 0.88 else 3)
        return np.array(out, dtype=np.int8)


def _exact_levels(left: pd.Series, right: pd.Series) -> np.ndarray:
    a, b = left.astype(object), right.astype(object)
    missing = a.isna() | b.isna() | (a == "") | (b == "")
    return np.where(missing, MISSING, np.where(a == b, 0, 1)).astype(np.int8)


class TextPlaceComparison(Comparison):
    name = "place"
    columns = ("gen_municipality", "gen_department", "gen_country")
    levels = (
        Level("same_municipality", "Mismo municipio", "Same municipality"),
        Level("same_department", "Mismo departamento", "Same department"),
        Level("same_country", "Mismo país", "Same country"),
        Level("else", "Lugar distinto", "Different place"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        out = np.full(len(pairs), 3, dtype=np.int8)
        known = np.zeros(len(pairs), dtype=bool)
        for level, column in reversed(list(enumerate(self.columns))):
            lv = _exact_levels(pairs[f"{column}_l"], pairs[f"{column}_r"])
            known |= lv != MISSING
            out = np.where(lv == 0, level, out)
        return np.where(known, out, MISSING).astype(np.int8)


class PandasDateComparison(Comparison):
    name = "birth_date"
    columns = ("gen_dob",)
    levels = (
        Level("exact", "Misma fecha", "Same date"),
        Level("same_year", "Mismo año", "Same year"),
        Level("else", "Fecha distinta", "Different date"),
    )

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        a, b = pairs["gen_dob_l"].astype(object), pairs["gen_dob_r"].astype(object)
        missing = a.isna() | b.isna()
        same_year = a.fillna("").str[:4] == b.fillna("").str[:4]
        out = np.where(a == b, 0, np.where(same_year, 1, 2))
        return np.where(missing, MISSING, out).astype(np.int8)


class DigitsComparison(Comparison):
    levels = (Level("same", "Mismo número", "Same number"), Level("else", "Distinto", "Different"))

    def __init__(self, name: str, column: str):
        self.name, self.columns = name, (column,)

    def levels_of(self, pairs: pd.DataFrame) -> np.ndarray:
        column = self.columns[0]
        return _exact_levels(pairs[f"{column}_l"], pairs[f"{column}_r"])


def _generic_columns(records: pd.DataFrame) -> pd.DataFrame:
    def col(name: str) -> pd.Series:
        return records[name] if name in records else pd.Series(None, index=records.index)

    place = col("place").map(fold)
    dob = pd.to_datetime(col("birth_date"), errors="coerce", format="mixed", dayfirst=False)
    return pd.DataFrame(
        {
            "gen_municipality": col("municipality").map(fold).where(lambda s: s != "", place),
            "gen_department": col("department").map(fold),
            "gen_country": col("country").map(fold),
            "gen_dob": dob.dt.strftime("%Y-%m-%d").astype(object),
            "gen_id": col("national_id").map(digits),
            "gen_a": col("a_number").map(digits),
            "gen_phone": col("phone").map(digits),
        },
        index=records.index,
    ).replace("", None)


def variant(names: bool, others: bool) -> dict[str, object]:
    """``link`` arguments that swap in generic normalizers and comparisons."""

    def normalizer(records: pd.DataFrame, day_first: bool, english_sex: bool) -> pd.DataFrame:
        parse_names = generic_names_frame if names else frame.names.normalize_frame
        out = frame.normalize(records, day_first, english_sex, parse_names)
        return pd.concat([out, _generic_columns(records)], axis=1) if others else out

    comparisons = []
    for c in default_comparisons(Settings()):
        if names and isinstance(c, NameComparison):
            c = GenericNameComparison()
        elif others and c.name == "place":
            c = TextPlaceComparison()
        elif others and c.name == "birth_date":
            c = PandasDateComparison()
        elif others and c.name in ("national_id", "a_number", "phone"):
            column = {"national_id": "gen_id", "a_number": "gen_a", "phone": "gen_phone"}
            c = DigitsComparison(c.name, column[c.name])
        comparisons.append(c)
    return {"normalizer": normalizer, "comparisons": comparisons}


VARIANTS: dict[str, tuple[bool, bool]] = {
    "full": (False, False),
    "generic_names": (True, False),
    "generic_places_dates_ids_phones": (False, True),
    "generic_all": (True, True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--custody", type=int, default=1000)
    parser.add_argument("--field", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--difficulty", default="realistic")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    data = generate(args.custody, args.field, seed=args.seed, difficulty=args.difficulty)
    rows = []
    for name in args.variants.split(","):
        start = time.perf_counter()
        result = link(data.custody, data.field, Settings(seed=0), **variant(*VARIANTS[name]))
        seconds = time.perf_counter() - start
        f = evaluate(result.matches, data.truth, result.pairs)
        rows.append(
            {
                "variant": name,
                "recall@1": f["recall_at_1"],
                "recall@5": f["recall_at_5"],
                "F1 best": f["f1_at_best"],
                "F1 @0.5": f["f1_at_threshold"],
                "blocking recall": f["blocking_recall"],
                "seconds": round(seconds, 1),
            }
        )
    print(f"{args.custody} custody x {args.field} field, seed {args.seed}, {args.difficulty}")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
