"""Settings of a match job, read from an optional TOML config file.

Example ``config.toml``::

    seed = 7
    top_k = 5
    threshold = 0.5           # match_probability at which a pair counts as a match
    lead_threshold = 0.5      # match_probability a candidate needs to go on a lead sheet
    cluster_min_bits = 10.0   # evidence (bits) two field reports need to be taken as one person
    one_to_one = false        # optimal one-to-one assignment between custody and field people
    custody_day_first = false # custody dates are month-first (U.S.)
    field_day_first = true    # field dates are day-first
    custody_header_row = 0    # row of the custody file's headers (0: found below title rows)
    field_header_row = 0      # the same for the field file
    near_km = 25              # "nearby municipality" distance
    random_pairs = 200000     # random pairs used to estimate u
    chunk_pairs = 50000       # candidate pairs compared at once
    pair_chunk_rows = 1048576 # scored pairs written to pairs.parquet at once (one row group)
    workers = 0               # processes comparing pairs (0: one per core)
    engine = "embedded"       # or "spark": Apache Spark, for jobs beyond one machine
    spark_master = ""         # Spark master URL (spark://host:7077, local[4]); "": the active one
    use_prior = true          # EM starts from the shipped prior model and leans toward it
    prior_strength = 50       # the prior's weight, in pseudo-matches per comparison
    sex_m = "auto"            # a lone "M" its source leaves open: "male" or "female"
    reference_date = ""       # the job's "now" (ISO date); "": the newest report date of the inputs

    [blocking]
    rules = ["surname_given", "both_surnames", "a_number"]   # a subset of the default rules
    max_pairs_per_rule = 25000000
    max_pairs_per_key = 1000000     # pairs one key of a main rule may make
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import asdict, dataclass, fields
from numbers import Integral, Real
from pathlib import Path

from linkage.blocking import DEFAULT_RULES, MAX_PAIRS_PER_KEY
from linkage.engines import ENGINES
from linkage.errors import InputError, SettingsError
from normalizers.sex import SEX_M


@dataclass(frozen=True)
class Settings:
    seed: int = 0
    top_k: int = 5
    threshold: float = 0.5
    #: match_probability a candidate needs to be sent to field teams as a lead. The model is
    #: calibrated (a probability of 0.5 is right about half the time), so at 0.5 a trip is at
    #: least as likely to find the parent as not; below it most trips would knock on a stranger's
    #: door, and a case whose candidates all fall short says "sin pista fuerte" instead. Lower it
    #: where visits are cheap (a phone call), raise it where they are long trips.
    lead_threshold: float = 0.5
    #: evidence, in bits (the model's comparison weights summed, prior left out), two field
    #: reports need to be taken as one person; reports that contradict are never joined
    cluster_min_bits: float = 10.0
    one_to_one: bool = False
    custody_day_first: bool = False
    field_day_first: bool = True
    #: row of each file's headers as the spreadsheet numbers it (1 = first); 0: the row found
    #: among the first rows, below any title rows
    custody_header_row: int = 0
    field_header_row: int = 0
    near_km: float = 25.0
    random_pairs: int = 200_000
    chunk_pairs: int = 50_000
    #: scored pairs written to pairs.parquet at once, each batch one Parquet row group; the
    #: default is Parquet's (pyarrow's) own row-group size, so the file holds the same bytes as
    #: one written whole, while the writer holds only one batch in Arrow form
    pair_chunk_rows: int = 1_048_576
    workers: int = 0
    blocking_rules: tuple[str, ...] = tuple(r.name for r in DEFAULT_RULES)
    max_pairs_per_rule: int = 25_000_000
    max_pairs_per_key: int = MAX_PAIRS_PER_KEY
    max_em_iterations: int = 100
    engine: str = "embedded"
    spark_master: str = ""
    use_prior: bool = True
    prior_strength: float = 50.0
    #: how a lone "M" is read where a source's own letters do not settle it (it writes neither
    #: H nor F): "male" (masculino), "female" (mujer), or "auto": as male in custody records
    #: (U.S. clerks write M/F), by the first given name in field reports when the name is
    #: clearly of one sex, else the value is ignored and rejects.csv says so
    sex_m: str = "auto"
    #: the job's "now", an ISO date: two-digit years fall in the hundred years up to it, dates
    #: more than a year after it are typing slips, a Honduran DNI registered after it is invalid.
    #: "": the newest report date of the inputs, else the newest date of any date column, else
    #: the end of the year this version was released (:func:`linkage.reference.settle_reference`)
    reference_date: str = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            problem = _check(f.name, getattr(self, f.name))
            if problem is not None:
                raise SettingsError(f"{f.name} = {getattr(self, f.name)!r}: {problem}")

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["blocking_rules"] = list(self.blocking_rules)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Settings:
        """Settings from :meth:`to_dict`'s plain data (a manifest's ``settings``).

        >>> Settings.from_dict(Settings(top_k=3).to_dict()) == Settings(top_k=3)
        True
        """
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "blocking_rules" in values:
            values["blocking_rules"] = tuple(values["blocking_rules"])
        return cls(**values)

    def replace(self, **changes: object) -> Settings:
        data = {**asdict(self), **{k: v for k, v in changes.items() if v is not None}}
        return Settings(**data)


#: setting -> (kind, lowest, highest) for the checks of :meth:`Settings.__post_init__`
RANGES: dict[str, tuple[str, float | None, float | None]] = {
    "seed": ("int", 0, None),
    "top_k": ("int", 1, None),
    "threshold": ("float", 0.0, 1.0),
    "lead_threshold": ("float", 0.0, 1.0),
    "cluster_min_bits": ("float", None, None),
    "one_to_one": ("bool", None, None),
    "custody_day_first": ("bool", None, None),
    "field_day_first": ("bool", None, None),
    "custody_header_row": ("int", 0, None),
    "field_header_row": ("int", 0, None),
    "near_km": ("float", 0.0, None),
    "random_pairs": ("int", 1, None),
    "chunk_pairs": ("int", 1, None),
    "pair_chunk_rows": ("int", 1, None),
    "workers": ("int", 0, None),
    "max_pairs_per_rule": ("int", 1, None),
    "max_pairs_per_key": ("int", 1, None),
    "max_em_iterations": ("int", 1, None),
    "use_prior": ("bool", None, None),
    "prior_strength": ("float", 0.0, None),
}
KIND_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}


def _check(name: str, value: object) -> str | None:
    """Why ``value`` cannot be setting ``name``, or None when it can."""
    if name == "blocking_rules":
        known = [r.name for r in DEFAULT_RULES]
        if not isinstance(value, tuple | list) or not value:
            return f"needs at least one rule of {known}"
        unknown = [r for r in value if r not in known]
        return f"unknown rules {unknown}; known: {known}" if unknown else None
    if name == "engine":
        return None if value in ENGINES else f"unknown engine; known: {list(ENGINES)}"
    if name == "sex_m":
        return None if value in SEX_M else f"must be one of {list(SEX_M)}"
    if name == "reference_date":
        return None if value == "" or _is_iso_date(value) else "must be an ISO date (2026-01-31)"
    if name == "spark_master":
        return None if isinstance(value, str) else "must be a Spark master URL (text)"
    kind, low, high = RANGES[name]
    is_bool = isinstance(value, bool)
    ok = {
        "int": isinstance(value, Integral) and not is_bool,
        "float": isinstance(value, Real) and not is_bool and value == value,
        "bool": is_bool,
    }[kind]
    if not ok:
        return f"must be {KIND_WORDS[kind]}"
    if low is not None and value < low:
        return f"must be at least {low}" if high is None else f"must be from {low} to {high}"
    if high is not None and value > high:
        return f"must be from {low} to {high}"
    return None


def _is_iso_date(value: object) -> bool:
    """Whether ``value`` is a date written YYYY-MM-DD.

    >>> _is_iso_date("2026-01-31"), _is_iso_date("2026-02-30"), _is_iso_date("31/01/2026")
    (True, False, False)
    """
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def load_settings(path: str | Path | None) -> Settings:
    """Settings from a TOML file (every key optional); defaults without one."""
    if path is None:
        return Settings()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"cannot read the config file: {exc}") from None
    blocking = data.pop("blocking", {})
    if not isinstance(blocking, dict):
        raise SettingsError(f"{path}: [blocking] must be a table")
    if "rules" in blocking:
        data["blocking_rules"] = blocking.pop("rules")
        if isinstance(data["blocking_rules"], list):
            data["blocking_rules"] = tuple(data["blocking_rules"])
    for key in ("max_pairs_per_rule", "max_pairs_per_key"):
        if key in blocking:
            data[key] = blocking.pop(key)
    if isinstance(data.get("reference_date"), dt.date):  # TOML's bare date: 2026-01-31
        data["reference_date"] = data["reference_date"].isoformat()
    names = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - names) + [f"blocking.{k}" for k in sorted(blocking)]
    if unknown:
        raise SettingsError(f"{path}: unknown settings {unknown}; known: {sorted(names)}")
    try:
        return Settings(**data)
    except SettingsError as exc:
        raise SettingsError(f"{path}: {exc}") from None
