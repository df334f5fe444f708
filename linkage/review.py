"""Review one case: a custody record beside its candidates, with what differs highlighted.

For notebooks. :func:`load_job` reopens a finished job from its output folder (matches, model,
and the input records re-read from the paths in its manifest). :func:`side_by_side` gives one
column per record (the custody record first, then each candidate in rank order) and one row per
fact a reviewer compares; :func:`highlight` colours a candidate's cell where it disagrees with
the custody record, and greys it where either side lacks the value (missing is not a mismatch).

>>> job = load_job("out/demo")                        # doctest: +SKIP
>>> highlight(side_by_side(job, "C000001"))           # doctest: +SKIP
>>> SVG(waterfall_svg(job.explain("C000001", "F000042")))   # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from linkage.comparisons import default_comparisons
from linkage.explain import explanation, record_value
from linkage.io import read_records
from linkage.model import FellegiSunter
from linkage.pipeline import LinkResult, prepare
from linkage.reports.render import percent
from linkage.settings import Settings
from normalizers.text import fold

#: facts shown: (row label es, row label en, column read, compared when both sides have it)
FACTS: tuple[tuple[str, str, str, bool], ...] = (
    ("Nombre como está escrito", "Name as written", "full_name", False),
    ("Nombre(s)", "Given names", "given", True),
    ("Primer apellido", "First surname", "paternal", True),
    ("Segundo apellido", "Second surname", "maternal", True),
    ("Sexo", "Sex", "sex", True),
    ("Fecha de nacimiento", "Date of birth", "dob", True),
    ("Edad declarada", "Age given", "age", False),
    ("Departamento", "Department", "department_code", True),
    ("Municipio", "Municipality", "municipality_code", True),
    ("Comunidad", "Community", "community", True),
    ("Documento de identidad", "ID number", "national_id", True),
    ("Número A", "A-number", "a_number", True),
    ("Teléfonos", "Phones", "phone_keys", True),
    ("Hijos/as", "Children", "children", True),
    ("Organización", "Organization", "organization", False),
)
DIFFERENT, MISSING = "background-color: #f8d7d3", "color: #888"


def side_by_side(result: LinkResult | Job, custody_id: str, lang: str = "es") -> pd.DataFrame:
    """One row per fact, one column per record: the custody record, then its candidates.

    Candidate columns are headed "<rank> · <field_id> (<probability>)". The frame's ``attrs``
    keep which rows are compared (``compared``) for :func:`highlight`.
    """
    if lang not in ("es", "en"):
        raise ValueError(f"lang must be es or en, not {lang!r}")
    matches = result.matches[result.matches["custody_id"].astype(str) == str(custody_id)]
    labels = [es if lang == "es" else en for es, en, _, _ in FACTS]
    custody = result.custody.loc[str(custody_id)]
    columns = {str(custody_id): [record_value(custody, col) for _, _, col, _ in FACTS]}
    for row in matches.sort_values(["rank", "match_weight"], ascending=[True, False]).itertuples():
        record = result.field.loc[str(row.field_id)]
        head = f"{row.rank} · {row.field_id} ({percent(row.match_probability)})"
        columns[head] = [record_value(record, col) for _, _, col, _ in FACTS]
    table = pd.DataFrame(columns, index=labels)
    table.attrs["compared"] = [label for label, f in zip(labels, FACTS, strict=True) if f[3]]
    return table


def differences(table: pd.DataFrame) -> pd.DataFrame:
    """ "different", "missing" or "" for every candidate cell of a :func:`side_by_side` table.

    Values are compared folded (case, accents and punctuation ignored); the custody column and
    rows that are not compared are "".
    """
    compared = set(table.attrs.get("compared", table.index))
    base = table.iloc[:, 0]
    out = pd.DataFrame("", index=table.index, columns=table.columns)
    for label in table.index:
        if label not in compared:
            continue
        for col in table.columns[1:]:
            left, right = base[label], table.at[label, col]
            if not left or not right:
                out.at[label, col] = "missing"
            elif fold(left) != fold(right):
                out.at[label, col] = "different"
    return out


def highlight(table: pd.DataFrame) -> Styler:
    """The table styled for a notebook: differing cells red, missing ones grey."""
    marks = differences(table)
    css = marks.replace({"different": DIFFERENT, "missing": MISSING})
    return table.style.apply(lambda _: css, axis=None)


@dataclass
class Job:
    """A finished match job, reopened: what review needs, without scoring again."""

    outdir: Path
    matches: pd.DataFrame
    custody: pd.DataFrame
    field: pd.DataFrame
    #: the model as saved in model.json, over the job's comparisons
    model: FellegiSunter
    settings: Settings

    def explain(self, custody_id: str, field_id: str) -> pd.DataFrame:
        """The pair's levels and weights as scored, term-frequency adjustments included (read
        from the matches table), as :func:`linkage.explain.explanation` lays them out."""
        pair = self.matches[
            (self.matches["custody_id"].astype(str) == str(custody_id))
            & (self.matches["field_id"].astype(str) == str(field_id))
        ]
        if pair.empty:
            raise KeyError(f"pair {custody_id} / {field_id} is not among the job's matches")
        row = pair.iloc[0]
        names = [c.name for c in self.model.comparisons]
        return explanation(
            self.model.comparisons,
            {n: row[n] for n in names},
            {n: float(row[f"{n}_bits"]) for n in names},
            self.model.prior_bits,
            self.custody.loc[str(custody_id)],
            self.field.loc[str(field_id)],
            float(row.get("competition_bits", 0.0)),
        )


def load_job(outdir: str | Path) -> Job:
    """Reopen the job written to ``outdir`` by :func:`linkage.job.run_job` (``cli.py match``).

    Reads matches.parquet, model.json and manifest.json, and re-reads the input files named in
    the manifest and prepares them as the job did (same header mapping, sheet, header row and
    settings).
    """
    outdir = Path(outdir)
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    settings = Settings.from_dict(manifest["settings"])
    model = FellegiSunter.load(outdir / "model.json", default_comparisons(settings))
    matches = pd.read_parquet(outdir / "matches.parquet")
    frames = {}
    for side in ("custody", "field"):
        entry = manifest["inputs"][side]
        if not Path(entry.get("path", "")).is_file():
            raise FileNotFoundError(f"{side} input {entry.get('path')!r} of the manifest not found")
        mapping = {fold(h): c for h, c in (entry.get("headers") or {}).items()}
        read = read_records(entry["path"], mapping, entry.get("sheet"), entry.get("header_row"))
        _, frames[side] = prepare(read, side, settings)
    return Job(outdir, matches, frames["custody"], frames["field"], model, settings)
