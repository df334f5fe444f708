"""The synthetic population and its records: difficulties, :func:`generate`, :class:`SynthData`.

A population of people is built first (true attributes), then each person is rendered
independently as one U.S. custody record and as 0..n field reports, each with its own noise
model (see :mod:`linkage.synth.custody` and :mod:`linkage.synth.field`). Field files also hold
many other people: namesakes in the same villages, siblings, a father and son with the same name,
cousins, and strangers who merely share common names.

>>> data = generate(n_custody=20, n_field=100, seed=1)
>>> data.custody.shape[0], data.field.shape[0]
(20, 100)
>>> set(data.truth["custody_id"]) <= set(data.custody["record_id"])
True
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.synth.custody import CUSTODY_COLUMNS, CustodyNoise, custody_record
from linkage.synth.field import FIELD_COLUMNS, FieldNoise, FieldRenderer, orgs_for
from linkage.synth.ids import a_numbers
from linkage.synth.people import Geography, Person, PersonMaker, Rng
from linkage.synth.tables import SynthTables

TRUTH_COLUMNS = ("custody_id", "field_id")


@dataclass(frozen=True)
class Difficulty:
    """Everything that makes a synthetic job easy or hard."""

    unmatched: float  # share of custody people with no field report
    reports: tuple[float, ...]  # P(1, 2, 3, 4 reports) for a matched person
    distractor_reports: tuple[float, ...]  # the same for everyone else
    #: shares of distractor kinds: stranger, namesake, sibling, parent/child, cousin
    kinds: tuple[float, float, float, float, float]
    namesake_same_place: float  # a namesake lives in the same municipality
    namesake_same_age: float  # a namesake was born within two years
    custody_noise: CustodyNoise = field(default_factory=CustodyNoise)
    field_noise: FieldNoise = field(default_factory=FieldNoise)


DIFFICULTIES: dict[str, Difficulty] = {
    "realistic": Difficulty(
        unmatched=0.2,
        reports=(0.65, 0.25, 0.08, 0.02),
        distractor_reports=(0.8, 0.15, 0.05),
        kinds=(0.55, 0.2, 0.15, 0.05, 0.05),
        namesake_same_place=0.5,
        namesake_same_age=0.2,
    ),
    "hard": Difficulty(
        unmatched=0.25,
        reports=(0.6, 0.25, 0.1, 0.05),
        distractor_reports=(0.7, 0.2, 0.1),
        kinds=(0.3, 0.3, 0.2, 0.1, 0.1),
        namesake_same_place=0.8,
        namesake_same_age=0.4,
        custody_noise=CustodyNoise(
            typo=0.2, drop_second_given=0.4, one_surname=0.3, placeholder_dob=0.08,
            swapped_dob=0.08, year_off=0.04, missing_dob=0.05, place=0.2, phone=0.12,
            a_number=0.85, truncate=0.06, children=0.75, english_name=0.03,
        ),
        field_noise=FieldNoise(
            typo=0.12, first_given_only=0.45, one_surname=0.25, married_name=0.4,
            mayan_respell=0.3, swapped_dob=0.06, missing_dob=0.2, age_error=0.4,
            other_municipality=0.1, missing_place=0.2, id_typo=0.08, missing_sex=0.1,
            dob_error=0.06, phone_typo=0.06, keep_optional=0.7, community_phone=0.1,
            spelling_variant=0.06, mojibake=0.015,
            swapped_columns=0.04,
        ),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class SynthData:
    """Custody and field records, and the true pairs between them."""

    custody: pd.DataFrame
    field: pd.DataFrame
    truth: pd.DataFrame

    def write(self, outdir: str | Path) -> None:
        """Write ``custody.csv``, ``field.csv`` and ``truth.csv`` (UTF-8, ``\\n`` line ends)."""
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        for name, frame in (
            ("custody", self.custody),
            ("field", self.field),
            ("truth", self.truth),
        ):
            frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")


def generate(
    n_custody: int = 300,
    n_field: int = 3000,
    seed: int = 0,
    difficulty: str | Difficulty = "realistic",
    tables: SynthTables | None = None,
) -> SynthData:
    """Build a population and render it as custody, field and truth tables.

    ``difficulty`` is ``"realistic"`` or ``"hard"`` (more noise, more missing fields, more
    namesakes and relatives in the same villages), or a :class:`Difficulty` of one's own.
    ``tables`` replaces the name and place tables under ``data/``. The same arguments give
    identical tables.
    """
    if n_custody < 0 or n_field < 0:
        raise ValueError("n_custody and n_field must not be negative")
    if isinstance(difficulty, Difficulty):
        diff = difficulty
    elif difficulty in DIFFICULTIES:
        diff = DIFFICULTIES[difficulty]
    else:
        raise ValueError(f"difficulty must be one of {sorted(DIFFICULTIES)}, not {difficulty!r}")
    tables = tables or SynthTables.load()
    seeds = np.random.default_rng(seed).integers(2**62, size=4).tolist()
    r_geo, r_people, r_custody, r_field = (Rng(s) for s in seeds)
    geo = Geography.build(r_geo, tables)
    maker = PersonMaker(r_people, tables, geo)

    parents = [maker.person(with_minor=True) for _ in range(n_custody)]
    order = list(range(n_custody))
    r_people.shuffle(order)
    n_matched = round(n_custody * (1 - diff.unmatched))
    matched = sorted(order[:n_matched])
    reports: list[tuple[Person, int | None]] = []  # (person, custody index or None)
    for i in matched:
        k = 1 + _draw(r_people, diff.reports)
        reports.extend((parents[i], i) for _ in range(k))
    reports = reports[:n_field]
    while len(reports) < n_field:
        other = _distractor(r_people, maker, parents, diff)
        k = 1 + _draw(r_people, diff.distractor_reports)
        reports.extend((other, None) for _ in range(min(k, n_field - len(reports))))

    custody_ids = _custody_ids(r_custody, n_custody)
    anums = a_numbers(r_custody, n_custody)
    custody = pd.DataFrame(
        [
            custody_record(
                r_custody,
                custody_ids[i],
                p,
                anums[i],
                _removal(r_custody),
                diff.custody_noise,
                tables,
            )
            for i, p in enumerate(parents)
        ],
        columns=list(CUSTODY_COLUMNS),
    )
    custody = custody.sort_values("record_id", kind="stable").reset_index(drop=True)

    r_field.shuffle(reports)
    renderer = FieldRenderer(tables, geo, diff.field_noise)
    rows, truth = [], []
    last_org: dict[int, str] = {}
    for j, (p, ci) in enumerate(reports):
        fid = f"F{j + 1:07d}"
        orgs = orgs_for(p.country)
        org = orgs[r_field.randrange(len(orgs))]
        if last_org.get(p.pid) == org.name and len(orgs) > 1:  # repeat reports: other orgs
            org = orgs[(orgs.index(org) + 1) % len(orgs)]
        last_org[p.pid] = org.name
        rows.append(renderer.report(r_field, fid, p, org))
        if ci is not None:
            truth.append((custody_ids[ci], fid))
    field_df = pd.DataFrame(rows, columns=list(FIELD_COLUMNS))
    truth_df = pd.DataFrame(sorted(truth), columns=list(TRUTH_COLUMNS))
    return SynthData(custody, field_df, truth_df)


def _draw(r: random.Random, probs: tuple[float, ...]) -> int:
    u = r.random() * sum(probs)
    for k, p in enumerate(probs):
        u -= p
        if u < 0:
            return k
    return len(probs) - 1


def _distractor(
    r: random.Random, maker: PersonMaker, parents: list[Person], diff: Difficulty
) -> Person:
    kind = _draw(r, diff.kinds)
    if kind == 0 or not parents:
        return maker.person()
    base = parents[r.randrange(len(parents))]
    if kind == 1:
        return maker.namesake(base, diff.namesake_same_place, diff.namesake_same_age)
    if kind == 2:
        return maker.sibling(base)
    if kind == 3:
        return maker.parent_or_child(base)
    return maker.cousin(base)


def _custody_ids(r: random.Random, n: int) -> list[str]:
    """Distinct ids like ``C000123``, in an order unrelated to the field file."""
    numbers = r.sample(range(1, max(10 * n, 1000)), n)
    width = max(6, len(str(10 * n)))
    return [f"C{k:0{width}d}" for k in numbers]


def _removal(r: random.Random) -> dt.date:
    """A removal date in 2017-2018, most of them in mid-2018."""
    if r.random() < 0.7:
        return dt.date(2018, 5, 1) + dt.timedelta(days=r.randrange(150))
    return dt.date(2017, 7, 1) + dt.timedelta(days=r.randrange(549))
