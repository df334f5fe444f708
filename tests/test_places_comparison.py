"""PlaceComparison levels over pairs of normalized places."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.comparisons.base import MISSING
from linkage.comparisons.places import PlaceComparison, haversine_km
from normalizers.places import normalize_frame

LEVELS = [
    "same_community",
    "same_municipality",
    "within_km",
    "same_department",
    "same_country",
    "other_community",
    "different_countries",
]


def pairs_of(left: dict, right: dict, with_id: bool = True) -> pd.DataFrame:
    """Candidate pairs from raw places on each side, normalized as the pipeline does."""
    norm_l = normalize_frame(pd.DataFrame(left))
    norm_r = normalize_frame(pd.DataFrame(right))
    if with_id:
        norm_l["id_municipality_code"] = left.get("id_municipality_code", [pd.NA] * len(norm_l))
        norm_r["id_municipality_code"] = right.get("id_municipality_code", [pd.NA] * len(norm_r))
    return pd.concat([norm_l.add_suffix("_l"), norm_r.add_suffix("_r")], axis=1)


def level_names(pairs: pd.DataFrame, comparison: PlaceComparison | None = None) -> list[str]:
    comparison = comparison or PlaceComparison()
    return [
        "missing" if i == MISSING else comparison.levels[i].name for i in comparison.vector(pairs)
    ]


def test_level_order_and_reasons():
    comparison = PlaceComparison()
    assert comparison.name == "place"
    assert [lv.name for lv in comparison.levels] == LEVELS
    assert [lv.es for lv in comparison.levels] == [
        "Misma comunidad",
        "Mismo municipio",
        "Municipios a menos de 25 km",
        "Mismo departamento",
        "Mismo país",
        "Otra comunidad (país sin resolver)",
        "Países distintos",
    ]
    assert PlaceComparison(km=40).levels[2].en == "Municipalities less than 40 km apart"
    assert "id_municipality_code" in comparison.columns


def test_levels_from_raw_places():
    pairs = pairs_of(
        {
            "municipality": [
                "Huehuetenango",
                "Xela",
                "Huehuetenango",
                "Chiantla",
                "Cobán",
                "Tegus",
                None,
                "San Pedro Sula",
            ],
            "community": ["Aldea San José", None, None, None, None, None, None, None],
            "country": ["GT", "GT", "GT", "GT", "GT", "HN", None, "HN"],
        },
        {
            "municipality": [
                "Huehuetenango",
                "Quetzaltenango",
                "Chiantla",
                "San Mateo Ixtatán",
                "Xela",
                "Xela",
                "Xela",
                "Choloma",
            ],
            "community": ["San Jose", None, None, None, None, None, None, None],
            "country": ["Guatemala"] * 7 + ["Honduras"],
        },
    )
    assert level_names(pairs) == [
        "same_community",
        "same_municipality",
        "within_km",
        "same_department",
        "same_country",
        "different_countries",
        "missing",
        "within_km",
    ]


def test_km_threshold_is_configurable():
    pairs = pairs_of({"municipality": ["Huehuetenango"]}, {"municipality": ["San Juan Ixcoy"]})
    assert level_names(pairs) == ["same_department"]
    assert level_names(pairs, PlaceComparison(km=40)) == ["within_km"]


def test_same_community_needs_the_same_municipality():
    pairs = pairs_of(
        {"municipality": ["Chiantla"], "community": ["Aldea San José"], "country": ["GT"]},
        {"municipality": ["Huehuetenango"], "community": ["San José"], "country": ["GT"]},
    )
    assert level_names(pairs) == ["within_km"]


def test_same_community_when_one_side_lacks_the_municipality():
    pairs = pairs_of(
        {"place": ["Aldea San José, Huehuetenango, Guatemala"]},
        {"municipality": ["Huehuetenango"], "community": ["San José"], "country": ["GT"]},
    )
    assert level_names(pairs) == ["same_community"]


def test_municipality_implied_by_national_id_stands_in():
    pairs = pairs_of(
        {"country": ["GT", "GT"], "id_municipality_code": ["GT0901", "GT1301"]},
        {"municipality": ["Xela", "Xela"], "country": ["GT", "GT"]},
    )
    assert level_names(pairs) == ["same_municipality", "same_country"]


def test_id_municipality_alone_gives_the_country():
    pairs = pairs_of(
        {"country": [None], "id_municipality_code": ["HN0801"]},
        {"municipality": ["Tegus"]},
    )
    assert level_names(pairs) == ["same_municipality"]


def test_absent_id_column_is_missing_not_an_error():
    pairs = pairs_of({"municipality": ["Xela"]}, {"municipality": ["Xela"]}, with_id=False)
    assert PlaceComparison().levels_of(pairs).tolist() == [1]


def test_country_only_on_one_side():
    pairs = pairs_of({"country": ["Guatemala"]}, {"municipality": ["Chiantla"]})
    assert level_names(pairs) == ["same_country"]


def test_empty_pairs():
    pairs = pairs_of({"country": []}, {"country": []})
    assert PlaceComparison().vector(pairs).tolist() == []


def test_haversine_missing_coordinates_are_nan():
    assert np.isnan(haversine_km([np.nan], [1.0], [2.0], [3.0])[0])
    assert haversine_km([0.0], [0.0], [0.0], [1.0])[0] == pytest.approx(111.2, abs=0.1)


codes = st.one_of(
    st.none(),
    st.just(pd.NA),
    st.sampled_from(["GT", "HN", "GT13", "GT1301", "HN0801", "SV1014", "MX09007", "USTX", ""]),
    st.text(max_size=8),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*([codes] * 10)), min_size=1, max_size=6))
def test_arbitrary_values_never_raise(rows):
    columns = [f"{c}_{s}" for c in PlaceComparison.columns for s in ("l", "r")]
    pairs = pd.DataFrame(rows, columns=columns, dtype=object)
    levels = PlaceComparison().vector(pairs)
    assert len(levels) == len(rows)
    assert set(levels.tolist()) <= {MISSING, 0, 1, 2, 3, 4, 5, 6}


def test_unresolved_places_still_agree_on_the_same_community():
    # places outside the gazetteer (an Australian suburb, a village with no municipality) give no
    # country: the same written community agrees, two different ones are another community (a
    # town the gazetteer does not hold, not a missing value), one side without any is missing
    pairs = pairs_of(
        {"community": ["14 Smith Street", "Aldea El Rosario", "Caserío Los Pinos", "Leeds"]},
        {"community": ["14 smith street", "El Rosario", "Los Encuentros", None]},
    )
    assert level_names(pairs) == [
        "same_community",
        "same_community",
        "other_community",
        "missing",
    ]
