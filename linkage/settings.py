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
    near_km = 25              # "nearby municipality" distance
    random_pairs = 200000     # random pairs used to estimate u
    chunk_pairs = 50000       # candidate pairs compared at once
    workers = 0               # processes comparing pairs (0: one per core)

    [blocking]
    rules = ["surname_given", "both_surnames", "a_number"]   # a subset of the default rules
    max_pairs_per_rule = 25000000
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from linkage.blocking import DEFAULT_RULES
from linkage.errors import InputError


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
    near_km: float = 25.0
    random_pairs: int = 200_000
    chunk_pairs: int = 50_000
    workers: int = 0
    blocking_rules: tuple[str, ...] = tuple(r.name for r in DEFAULT_RULES)
    max_pairs_per_rule: int = 25_000_000
    max_em_iterations: int = 100

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["blocking_rules"] = list(self.blocking_rules)
        return data

    def replace(self, **changes: object) -> Settings:
        data = {**asdict(self), **{k: v for k, v in changes.items() if v is not None}}
        return Settings(**data)


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
    if "rules" in blocking:
        known = {r.name for r in DEFAULT_RULES}
        unknown = [r for r in blocking["rules"] if r not in known]
        if unknown:
            raise InputError(path, f"unknown blocking rules {unknown}; known: {sorted(known)}")
        data["blocking_rules"] = tuple(blocking["rules"])
    if "max_pairs_per_rule" in blocking:
        data["max_pairs_per_rule"] = int(blocking["max_pairs_per_rule"])
    names = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise InputError(path, f"unknown settings {unknown}")
    for key in ("threshold", "lead_threshold"):
        if key in data and not (isinstance(data[key], int | float) and 0 <= data[key] <= 1):
            raise InputError(path, f"{key} must be a probability from 0 to 1, not {data[key]!r}")
    try:
        return Settings(**data)
    except TypeError as exc:
        raise InputError(path, str(exc)) from None
