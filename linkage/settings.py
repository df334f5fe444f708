"""Settings of a match job, read from an optional TOML config file.

Example ``config.toml``::

    seed = 7
    top_k = 5
    threshold = 0.5           # match_probability at which a pair counts as a match
    one_to_one = false        # optimal one-to-one assignment between custody and field people
    custody_day_first = false # custody dates are month-first (U.S.)
    field_day_first = true    # field dates are day-first
    near_km = 25              # "nearby municipality" distance
    random_pairs = 200000     # random pairs used to estimate u
    chunk_pairs = 50000       # candidate pairs compared at once
    workers = 0               # processes comparing pairs (0: one per core)
    use_prior = true          # EM starts from the shipped prior model and leans toward it
    prior_strength = 50       # the prior's weight, in pseudo-matches per comparison

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
    use_prior: bool = True
    prior_strength: float = 50.0

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
    try:
        return Settings(**data)
    except TypeError as exc:
        raise InputError(path, str(exc)) from None
