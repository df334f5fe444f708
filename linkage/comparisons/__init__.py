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
