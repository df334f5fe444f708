"""The comparisons of a match job, in the order models and outputs list them."""

from __future__ import annotations

from linkage.comparisons.base import Comparison
from linkage.comparisons.dates import BirthDateComparison
from linkage.comparisons.household import HouseholdComparison
from linkage.comparisons.ids import ANumberComparison, NationalIdComparison
from linkage.comparisons.names import NameComparison
from linkage.comparisons.phones import PhoneComparison
from linkage.comparisons.places import PlaceComparison
from linkage.comparisons.sex import SexComparison
from linkage.settings import Settings

#: blocking key column -> comparisons whose agreement that key forces (or makes likely)
KEY_EVIDENCE: dict[str, tuple[str, ...]] = {
    "paternal_key": ("name",),
    "name_pairs": ("name",),
    "maternal_key": ("name",),
    "given1_key": ("name", "sex"),
    "birth_years": ("birth_date",),
    "dob_day": ("birth_date",),
    "municipality_code": ("place",),
    "a_number": ("a_number",),
    "national_id": ("national_id", "birth_date", "place"),
    "phone_keys": ("phone",),
    "child_keys": ("children",),
}


def evidence_of(key_columns: tuple[str, ...]) -> tuple[str, ...]:
    """Names of the comparisons that blocking on ``key_columns`` biases, in a stable order."""
    names = {n for column in key_columns for n in KEY_EVIDENCE.get(column, ())}
    return tuple(sorted(names))


def default_comparisons(settings: Settings) -> list[Comparison]:
    """Name, sex, birth date, place, national ID, A-number, phone and children."""
    return [
        NameComparison(),
        SexComparison(),
        BirthDateComparison(),
        PlaceComparison(km=settings.near_km),
        NationalIdComparison(),
        ANumberComparison(),
        PhoneComparison(),
        HouseholdComparison(),
    ]
