"""The synthetic generator: determinism, shapes, truth integrity, and the noise it promises."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkage.synth import DIFFICULTIES, TRUTH_COLUMNS, SynthData, generate
from linkage.synth.custody import CUSTODY_COLUMNS
from linkage.synth.field import FIELD_COLUMNS, ORGS
from linkage.synth.ids import format_a_number, format_national_id, mistype_digit, national_id
from linkage.synth.noise import (
    english_typo,
    keyboard_typo,
    respell_mayan,
    spanish_typo,
    strip_accents,
    title,
)
from linkage.synth.tables import SynthTables, Weighted
from normalizers.ids import gt_cui, hn_dni, sv_dui
from normalizers.text import fold

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tables() -> SynthTables:
    try:
        return SynthTables.load()
    except FileNotFoundError as missing:  # nicknames and municipalities come from other branches
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def data(tables: SynthTables) -> SynthData:
    return generate(n_custody=400, n_field=4000, seed=7, tables=tables)


def _digest(d: SynthData, out: Path) -> dict[str, str]:
    d.write(out)
    return {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in sorted(os.listdir(out))}


def test_same_seed_gives_identical_bytes(tables, tmp_path):
    a = _digest(generate(60, 500, seed=3, tables=tables), tmp_path / "a")
    b = _digest(generate(60, 500, seed=3, tables=tables), tmp_path / "b")
    assert a == b
    assert sorted(a) == ["custody.csv", "field.csv", "truth.csv"]


def test_different_seed_gives_different_files(tables, tmp_path):
    a = _digest(generate(60, 500, seed=3, tables=tables), tmp_path / "a")
    b = _digest(generate(60, 500, seed=4, tables=tables), tmp_path / "b")
    assert all(a[f] != b[f] for f in a)


def test_bytes_do_not_depend_on_hash_randomisation(tables, tmp_path):
    code = (
        "import sys; from linkage.synth import generate; "
        "generate(40, 300, seed=5).write(sys.argv[1])"
    )
    digests = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", code, str(out)], check=True, cwd=ROOT, env=env)
        digests.append({f: (out / f).read_bytes() for f in sorted(os.listdir(out))})
    assert digests[0] == digests[1]


def test_written_files_read_back_as_the_frames(data, tmp_path):
    data.write(tmp_path)
    custody = pd.read_csv(tmp_path / "custody.csv", dtype=str, keep_default_na=False)
    field = pd.read_csv(tmp_path / "field.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(custody, data.custody)
    pd.testing.assert_frame_equal(field, data.field)
    assert (tmp_path / "truth.csv").read_bytes().startswith(b"custody_id,field_id\n")


def test_shapes_columns_and_ids(data):
    assert list(data.custody.columns) == list(CUSTODY_COLUMNS)
    assert list(data.field.columns) == list(FIELD_COLUMNS)
    assert list(data.truth.columns) == list(TRUTH_COLUMNS)
    assert len(data.custody) == 400 and len(data.field) == 4000
    assert data.custody["record_id"].str.fullmatch(r"C\d{6}").all()
    assert data.field["record_id"].str.fullmatch(r"F\d{7}").all()
    assert data.custody["record_id"].is_unique and data.field["record_id"].is_unique


def test_truth_ids_exist_and_most_custody_people_are_reported(data):
    truth = data.truth
    assert set(truth["custody_id"]) <= set(data.custody["record_id"])
    assert set(truth["field_id"]) <= set(data.field["record_id"])
    assert truth["field_id"].is_unique  # a field report is about one person
    share = truth["custody_id"].nunique() / len(data.custody)
    assert 0.72 <= share <= 0.88  # 20 % of custody people have no field report
    assert len(truth) < 0.25 * len(data.field)  # most field rows are other people


def test_several_reports_of_one_person_come_from_different_organizations(data):
    linked = data.truth.merge(data.field, left_on="field_id", right_on="record_id")
    per_person = linked.groupby("custody_id")["organization"].agg(["size", "nunique"])
    several = per_person[per_person["size"] > 1]
    assert len(several) > 0.15 * len(per_person)
    assert (several["nunique"] > 1).mean() > 0.9


def test_custody_names_are_clerk_style(data):
    names = data.custody["full_name"]
    assert names.str.fullmatch(r"[A-Z][A-Z ,\-]*").all()  # upper case, no accents
    assert names.str.contains(",").mean() > 0.4  # "PATERNAL MATERNAL, GIVEN"
    assert names.str.contains(r"[A-Z]-[A-Z]").any()  # hyphenated surnames


def test_custody_dates_are_us_style_with_placeholders_and_swaps(data):
    dob = data.custody["birth_date"]
    given = dob[dob != ""]
    assert given.str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert given.str.startswith("01/01/").mean() > 0.02
    assert (given.str[:2].astype(int) > 12).any()  # day written first
    assert data.custody["removal_date"].str.fullmatch(r"\d{2}/\d{2}/201[78]").all()


def test_a_numbers_have_nine_digits_in_clerk_formats(data):
    a = data.custody["a_number"]
    given = a[a != ""]
    assert given.str.replace(r"\D", "", regex=True).str.len().eq(9).all()
    assert given.str.startswith("A").any() and given.str.fullmatch(r"\d{9}").any()


def _field_names(field: pd.DataFrame) -> pd.Series:
    split = field["given_names"] + " " + field["paternal_surname"] + " " + field["maternal_surname"]
    return field["full_name"].where(field["full_name"] != "", split).str.strip()


def test_field_names_carry_accents_nicknames_and_married_names(data):
    names = _field_names(data.field)
    assert (names != "").all()
    accented = names != names.map(strip_accents)
    assert 0.1 < accented.mean() < 0.9  # some organizations keep accents, others drop them
    assert names.str.contains(r"\(\w+\)").mean() > 0.01  # "José (Chepe)"
    assert names.str.contains(r"\b[Dd][Ee] [A-ZÁÉÍÓÚ]").any()  # "de García"
    assert names.str.contains("Ã").any()  # UTF-8 misread as Windows-1252 on the way


def test_field_dates_ages_and_sex_codes(data):
    f = data.field
    assert ((f["age"] != "") & (f["birth_date"] != "")).sum() == 0
    ages = f.loc[f["age"] != "", "age"].astype(int)
    assert len(ages) > 0.15 * len(f) and ages.between(14, 80).all()
    assert (f["report_date"] != "").all()
    dob = f["birth_date"]
    assert dob.str.contains(" de ").any()  # "3 de abril de 1985"
    assert dob.str.fullmatch(r"\d{4}").any()  # year only
    assert set(f["sex"]) >= {"H", "M", "F", ""}


def test_national_ids_are_valid_for_their_country(data, tables):
    f = data.field
    compact = f["national_id"].str.replace(r"\D", "", regex=True)
    country = {o.name: o.countries for o in ORGS}
    assert set(country) == set(f["organization"])
    codes = set(tables.municipalities["municipality_code"].str[-4:])
    cui = compact[compact.str.len() == 13]
    gt_ok = cui.map(lambda c: gt_cui.calc_check_digit(c[:8]) == c[8] and c[9:] in codes)
    hn_ok = cui.map(lambda c: c[:4] in codes and 1930 <= int(c[4:8]) <= 2021)
    assert (gt_ok | hn_ok).mean() > 0.9  # the rest: typed with one digit wrong
    dui = compact[compact.str.len() == 9]
    assert dui.map(sv_dui.is_valid).mean() > 0.9
    assert (compact == "").mean() > 0.4  # often missing


def test_distractors_share_names_with_the_people_sought(data):
    f = data.field.assign(name=_field_names(data.field).map(fold))
    key = f["name"].str.split(" ").map(lambda w: " ".join(w[:1] + w[-2:-1]) if len(w) > 2 else "")
    linked = f["record_id"].isin(data.truth["field_id"])
    sought = set(key[linked]) - {""}
    assert key[~linked].isin(sought).sum() > 0.02 * (~linked).sum()


def test_hard_is_harder(tables):
    easy = generate(300, 3000, seed=2, tables=tables)
    hard = generate(300, 3000, seed=2, difficulty="hard", tables=tables)
    assert hard.truth["custody_id"].nunique() < easy.truth["custody_id"].nunique()
    assert (hard.field["national_id"] == "").mean() > (easy.field["national_id"] == "").mean()
    assert (hard.field["birth_date"] == "").mean() > (easy.field["birth_date"] == "").mean()


def test_unknown_difficulty_and_negative_sizes_are_refused(tables):
    with pytest.raises(ValueError, match="difficulty"):
        generate(10, 10, difficulty="easy", tables=tables)
    with pytest.raises(ValueError, match="negative"):
        generate(-1, 10, tables=tables)


@pytest.mark.parametrize(("n_custody", "n_field"), [(0, 10), (10, 0), (5, 3)])
def test_small_sizes(tables, n_custody, n_field):
    d = generate(n_custody, n_field, seed=1, tables=tables)
    assert (len(d.custody), len(d.field)) == (n_custody, n_field)
    assert len(d.truth) <= min(n_field, 4 * n_custody)


def test_all_names_come_from_the_tables(tables):
    """Only table names reach the output: nothing from any real person's record."""
    given_names = {"M": Weighted(("Zorbo", "Quilmo"), np.array([0.5, 0.5])),
                   "F": Weighted(("Pelma", "Trisca"), np.array([0.5, 0.5]))}  # fmt: skip
    surnames = {"hispanic": Weighted(("Vextor", "Brumal", "Oquendi"), np.full(3, 1 / 3)),
                "mayan": Weighted(("Ixqa", "Tzub"), np.array([0.5, 0.5]))}  # fmt: skip
    fake = dataclasses.replace(tables, given=given_names, surnames=surnames, nicknames={})
    base = DIFFICULTIES["realistic"]
    clean = dataclasses.replace(
        base,
        custody_noise=dataclasses.replace(base.custody_noise, typo=0.0, truncate=0.0),
        field_noise=dataclasses.replace(base.field_noise, typo=0.0, mayan_respell=0.0),
    )
    d = generate(50, 400, seed=1, difficulty=clean, tables=fake)
    words = {fold(n) for w in (*given_names.values(), *surnames.values()) for n in w.names}
    fused = {a + b for a in words for b in words}
    texts = pd.concat([d.custody["full_name"], _field_names(d.field), d.field["child_names"],
                       d.custody["child_names"]])  # fmt: skip
    tokens = {t for text in texts for t in re.split(r"[^a-z]+", fold(text)) if t}
    assert tokens - words - fused == {"de"}


def test_national_ids_encode_place_and_pass_their_checks():
    r = random.Random(0)
    for _ in range(50):
        cui = national_id(r, "GT", "GT1301", 1985)
        assert gt_cui.validate(cui) == cui and cui.endswith("1301")
        dni = national_id(r, "HN", "HN0801", 1985)
        assert hn_dni.validate(dni) == dni and dni.startswith("08011985")
        dui = national_id(r, "SV", "SV0614", 1985)
        assert sv_dui.validate(dui) == dui
    assert national_id(r, "MX", "MX0901", 1985) == ""


@given(st.integers(0, 2**32), st.sampled_from(["GT", "HN", "SV"]))
def test_printed_national_ids_read_back_as_the_number(seed, country):
    """Whatever form a synthetic ID is printed in, the normalizer reads back the same number."""
    r = random.Random(seed)
    code = {"GT": "GT0101", "HN": "HN0801", "SV": "SV0614"}[country]
    compact = national_id(r, country, code, 1990)
    module = {"GT": gt_cui, "HN": hn_dni, "SV": sv_dui}[country]
    assert module.validate(format_national_id(r, country, compact)) == compact


def test_mistyped_digit_changes_one_digit_or_swaps_two():
    r = random.Random(1)
    for _ in range(100):
        typed = mistype_digit(r, "0801-1985-00123")
        assert len(typed) == 15 and typed[4] == "-" and typed[9] == "-"
        diff = [i for i, (a, b) in enumerate(zip(typed, "0801-1985-00123", strict=True)) if a != b]
        assert len(diff) <= 2


def test_a_number_formats_keep_nine_digits():
    r = random.Random(2)
    shown = {format_a_number(r, "212345678") for _ in range(200)}
    assert {"A 212-345-678", "212345678", "A212345678", "212-345-678", "A# 212345678"} == shown


def test_clerk_and_writer_typos():
    r = random.Random(3)
    assert {english_typo(r, "VASQUEZ") for _ in range(200)} >= {"BASQUEZ", "VASKEZ", "VASQUES"}
    assert {spanish_typo(r, "Velásquez") for _ in range(200)} >= {"Belásquez", "Velázquez"}
    assert all(english_typo(r, "LOPEZ").isupper() for _ in range(100))


def test_mayan_respellings():
    variants = {
        respell_mayan(random.Random(s), name) for s in range(40) for name in ("Quej", "Coc")
    }
    assert variants == {"Kej", "Queej", "Koc", "Cok", "Cooc"}


@given(st.text(max_size=30))
def test_text_noise_never_raises(text):
    r = random.Random(len(text))
    for noisy in (english_typo, spanish_typo, keyboard_typo, respell_mayan):
        assert isinstance(noisy(r, text), str)
    assert isinstance(title(text), str) and isinstance(strip_accents(text), str)


def test_home_phones_link_some_custody_records_to_their_reports(data):
    linked = data.truth.merge(data.custody, left_on="custody_id", right_on="record_id").merge(
        data.field, left_on="field_id", right_on="record_id", suffixes=("_c", "_f")
    )
    custody_phone = linked["phone_c"].str.replace(r"\D", "", regex=True).str[-8:]
    field_phones = linked["phone_f"].str.replace(r"\D", "", regex=True)
    shared = [bool(c) and c in f for c, f in zip(custody_phone, field_phones, strict=True)]
    assert 0.01 < sum(shared) / len(linked) < 0.2


def test_identifiers_are_personal(data):
    a = data.custody["a_number"].str.replace(r"\D", "", regex=True)
    assert a[a != ""].is_unique
    nid = data.field["national_id"].str.replace(r"\D", "", regex=True)
    linked = data.field["record_id"].isin(data.truth["field_id"])
    sought, others = set(nid[linked & (nid != "")]), set(nid[~linked & (nid != "")])
    assert sought and others and not sought & others
