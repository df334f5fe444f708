"""Reference tables the synthetic generator draws people from.

>>> t = SynthTables.load()
>>> "José" in t.given["M"].names
True
>>> "Chepe" in t.nicknames_of("José", "M")
True
>>> "Joseph" in t.nicknames_of("José", "M", "english_equivalent")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from normalizers.resources import data_path
from normalizers.text import fold

#: kinds of rows in nicknames.csv (its ``source`` column)
NICKNAME_KINDS = ("hypocorism", "spelling_variant", "english_equivalent", "abbreviation")


@dataclass(frozen=True)
class Weighted:
    """Names with sampling probabilities (summing to 1), in table order."""

    names: tuple[str, ...]
    p: np.ndarray

    @classmethod
    def of(cls, names: pd.Series, freq: pd.Series) -> Weighted:
        w = pd.to_numeric(freq).to_numpy(dtype=float)
        return cls(tuple(names.astype(str)), w / w.sum())


@dataclass(frozen=True)
class SynthTables:
    """Given names by sex, surnames by origin, nicknames, and municipalities.

    ``municipalities`` has the columns of ``data/places/municipalities.csv``; ``nicknames`` maps
    ``(kind, folded formal name, sex)`` to nicknames of that kind, sorted; the kinds are the
    ``source`` values of ``nicknames.csv`` (:data:`NICKNAME_KINDS`).
    """

    given: dict[str, Weighted]
    surnames: dict[str, Weighted]
    nicknames: dict[tuple[str, str, str], tuple[str, ...]]
    municipalities: pd.DataFrame

    @classmethod
    def load(
        cls,
        given_names: Path | None = None,
        surnames: Path | None = None,
        nicknames: Path | None = None,
        municipalities: Path | None = None,
    ) -> SynthTables:
        """Read the tables, from ``data/`` unless paths are given."""
        g = _read(given_names or data_path("names", "given_names.csv"))
        s = _read(surnames or data_path("names", "surnames.csv"))
        k = _read(nicknames or data_path("names", "nicknames.csv"))
        m = _read(municipalities or data_path("places", "municipalities.csv"))
        given = {sex: Weighted.of(d["name"], d["frequency"]) for sex, d in g.groupby("sex")}
        sur = {o: Weighted.of(d["name"], d["frequency"]) for o, d in s.groupby("origin")}
        nick: dict[tuple[str, str, str], list[str]] = {}
        sources = k["source"] if "source" in k else pd.Series("hypocorism", index=k.index)
        for nickname, formal, sex, source in zip(
            k["nickname"], k["formal"], k["sex"], sources, strict=True
        ):
            kind = source if source in NICKNAME_KINDS else "hypocorism"
            for sx in ("M", "F") if sex not in ("M", "F") else (sex,):
                nick.setdefault((kind, fold(formal), sx), []).append(str(nickname))
        nick_sorted = {key: tuple(sorted(set(v))) for key, v in nick.items()}
        m = m[m["country"].isin(["GT", "HN", "SV", "MX", "NI"])].reset_index(drop=True)
        return cls(given, sur, nick_sorted, m)

    def nicknames_of(self, given: str, sex: str, kind: str = "hypocorism") -> tuple[str, ...]:
        """Other forms of a given name (whole compound first, else its first word)."""
        key = fold(given)
        found = self.nicknames.get((kind, key, sex))
        if found is None and " " in key:
            found = self.nicknames.get((kind, key.split(" ")[0], sex))
        return found or ()


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
