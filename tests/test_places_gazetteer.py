"""The shipped gazetteer against the reference P-code list (skipped when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from normalizers import gazetteer as gz
from normalizers.text import fold

#: ../shared/reference beside the repository (a worktree sits one level deeper)
REFERENCE = next(
    (
        root / "shared" / "reference" / "admin_pcodes_gt_hn_sv_ni_mx.csv"
        for root in Path(__file__).resolve().parents[2:4]
        if (root / "shared" / "reference").is_dir()
    ),
    Path("missing"),
)
ISO2 = {"GTM": "GT", "HND": "HN", "SLV": "SV", "NIC": "NI", "MEX": "MX"}
WATER = {"GT0100", "GT0700", "SV0399", "SV1099", "SV1298", "SV1299"}


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    if not REFERENCE.exists():
        pytest.skip("reference P-code list not present")
    ref = pd.read_csv(REFERENCE, dtype=str)
    ref["country"] = ref.Location.map(ISO2)
    return ref


def test_counts_per_country():
    munis = gz.municipalities()
    depts = gz.departments()
    assert munis.country.value_counts().to_dict() == {
        "MX": 2457,
        "GT": 340,
        "HN": 298,
        "SV": 262,
        "NI": 153,
    }
    assert depts.country.value_counts().to_dict() == {
        "MX": 32,
        "GT": 22,
        "HN": 18,
        "NI": 17,
        "SV": 14,
        "US": 52,
    }


def test_departments_match_reference(reference):
    ref = reference[reference["Admin Level"] == "1"]
    ours = gz.departments().query("country != 'US'")
    assert set(ours.department_code) == set(ref["P-Code"])
    names = dict(zip(ref["P-Code"], ref.Name.map(fold), strict=True))
    # official names that differ from the reference list's
    renamed = {
        "MX09": "distrito federal",  # Ciudad de México since 2016
        "MX22": "queretaro de arteaga",  # Querétaro since 2008
        "NI91": "region autonoma costa caribe norte",  # "de la Costa" in Ley 854
    }
    for code, name in zip(ours.department_code, ours.department, strict=True):
        assert renamed.get(code, fold(name)) == names[code], code


def test_municipalities_match_reference_codes_and_parents(reference):
    ref = reference[(reference["Admin Level"] == "2") & ~reference["P-Code"].isin(WATER)]
    ours = gz.municipalities()
    assert ours.municipality_code.is_unique
    assert set(ours.municipality_code) == set(ref["P-Code"])
    parents = dict(zip(ref["P-Code"], ref["Parent P-Code"], strict=True))
    assert (ours.department_code == ours.municipality_code.map(parents)).all()
    assert (ours.country == ours.department_code.str[:2]).all()


def test_municipality_names_fold_to_reference_names(reference):
    ref = reference[reference["Admin Level"] == "2"]
    names = dict(zip(ref["P-Code"], ref.Name.map(fold), strict=True))
    ours = gz.municipalities()
    renamed = ours.query("name_source == 'decree'")
    assert len(renamed) <= 7
    same = ours.query("name_source != 'decree'")
    mismatched = [
        code
        for code, name in zip(same.municipality_code, same.municipality, strict=True)
        if fold(name) != names[code]
    ]
    assert mismatched == []


def test_water_bodies_are_not_municipalities():
    assert not set(gz.municipalities().municipality_code) & WATER


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("GT0901", "Quetzaltenango"),
        ("GT0701", "Sololá"),
        ("GT1601", "Cobán"),
        ("GT1406", "Chichicastenango"),
        ("HN0403", "Concepción"),
        ("SV1017", "Soyapango"),
        ("NI3540", "León"),
        ("MX16053", "Morelia"),
    ],
)
def test_accented_names(code, name):
    row = gz.municipalities().set_index("municipality_code").loc[code]
    assert row.municipality == name


def test_coordinates_are_inside_the_region():
    munis = gz.municipalities().dropna(subset=["lat", "lon"])
    assert len(munis) > 2500
    bounds = {
        "GT": (13.7, 17.9, -92.3, -88.2),
        "HN": (12.9, 17.5, -89.4, -83.1),
        "SV": (13.1, 14.5, -90.2, -87.6),
        "NI": (10.7, 15.1, -87.7, -82.7),
        "MX": (14.5, 32.8, -118.5, -86.7),
    }
    for country, (lat0, lat1, lon0, lon1) in bounds.items():
        sub = munis[munis.country == country]
        assert sub.lat.between(lat0, lat1).all(), country
        assert sub.lon.between(lon0, lon1).all(), country


def test_sv_2024_reform_covers_every_former_municipality():
    reform = gz.reform_sv()
    sv = gz.municipalities().query("country == 'SV'")
    assert reform.municipality_2024.nunique() == 44
    assert sorted(reform.district_code) == sorted(sv.municipality_code)
    assert (reform.department_code == reform.district_code.str[:4]).all()


def test_aliases_point_at_known_places():
    aliases = gz.aliases()
    known = (
        set(gz.countries().country)
        | set(gz.departments().department_code)
        | set(gz.municipalities().municipality_code)
    )
    assert set(aliases.code) <= known
    assert aliases.confidence.between(0, 1).all()


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("Xela", "GT0901"),
        ("Xelajú", "GT0901"),
        ("Huehue", "GT1301"),
        ("Tegus", "HN0801"),
        ("SPS", "HN0501"),
        ("DF", "MX09"),
        ("CDMX", "MX09"),
    ],
)
def test_colloquial_names(alias, code):
    assert code in {e.code for e in gz.index().exact(fold(alias))}
