"""Issue 13 item 8: with ``lang="es"`` the run report is Spanish throughout, with ``"en"`` English:
reject reasons, blocking rules, metric names, table headings, the banner, the calibration chart
and the waterfall; no label of the other language leaks in."""

from __future__ import annotations

import html
import json
import logging
import re

import pandas as pd
import pytest
from html_text import table_rows
from small_job import QUICK, small_inputs

from linkage.comparisons import default_comparisons
from linkage.job import run_job
from linkage.reasons import REASONS
from linkage.reports.report_text import TEXT
from linkage.settings import Settings
from tests.conftest import SAMPLE

#: rows appended to the field file: a lone M of a source writing only M and a name that says
#: nothing, an impossible date of birth, a short row, a row without record_id
BAD_ROWS = [
    "F9000001,Alix Inventada Coc,,,,M,,,,,,,,,,,,,Brigada Inventada",
    "F9000002,Rosa Inventada Pop,,,,F,31/02/1985,,,,,,,,,,,,Comité Inventado",
    "F9000003,Fila Corta",
    ",Sin Identificador Inventado,,,,F,,,,,,,,,,,,,Comité Inventado",
]
#: two EM iterations do not converge: the banner shows
SETTINGS = QUICK.replace(max_em_iterations=2)


@pytest.fixture(scope="module")
def jobs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("lang")
    custody, field = small_inputs(folder / "in")
    with field.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(BAD_ROWS) + "\n")
    pages = {}
    for lang in ("es", "en"):
        out = run_job(
            custody, field, folder / lang, SETTINGS, truth=SAMPLE / "truth.csv", lang=lang
        )
        pages[lang] = (out.outdir / "report.html").read_text(encoding="utf-8")
    pages["rejects"] = (folder / "es" / "rejects.csv").as_posix()
    return pages


def _section(page: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', page, re.S)
    assert match, name
    return match.group(1)


def _visible(page: str) -> str:
    """The page's text as a reader sees it, without identifiers (``<code>``: setting names, rule
    and level keys) and styles."""
    page = re.sub(r"<(style|code)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _labels(lang: str) -> set[str]:
    """Every label of the report in ``lang``: its words, the reject reasons (for a group of rows),
    the model's level texts; without templates' fields."""
    texts = _strings(TEXT[lang]) + [REASONS[c][lang][1] for c in REASONS]
    texts += [getattr(lv, lang) for c in default_comparisons(Settings()) for lv in c.levels]
    return {re.split(r"\{", t)[0].strip(" (:") for t in texts}


def _leaks(page: str, lang: str, other: str) -> list[str]:
    own = _labels(lang)
    text = _visible(page)
    return sorted(
        label
        for label in _labels(other) - own
        if len(label) > 2 and re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)
    )


def test_no_label_of_the_other_language_leaks_in(jobs):
    assert _leaks(jobs["es"], "es", "en") == []
    assert _leaks(jobs["en"], "en", "es") == []


SEX_ES = (
    "una M sola puede ser masculino o mujer (la fuente no escribe ni H ni F y el primer nombre "
    'no lo aclara): ponga sex_m = "male" o "female" en la configuración'
)
SEX_EN = (
    "a lone M could be masculino or mujer (the source writes neither H nor F and the first name "
    'does not tell): set sex_m = "male" or "female" in the settings'
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "es",
            [
                ["Archivo", "Columna", "Motivo", "Tipo", "Filas"],
                ["field.csv", "sex", SEX_ES, "valor", "1"],
                [
                    "field.csv",
                    "birth_date",
                    "no se puede leer la fecha de nacimiento; valor ignorado",
                    "valor",
                    "1",
                ],
                ["field.csv", "", "la fila no tiene tantos campos como el encabezado", "fila", "1"],
                ["field.csv", "record_id", "record_id vacío", "fila", "1"],
            ],
        ),
        (
            "en",
            [
                ["File", "Column", "Reason", "Kind", "Rows"],
                ["field.csv", "sex", SEX_EN, "value", "1"],
                ["field.csv", "birth_date", "cannot read birth_date; value ignored", "value", "1"],
                ["field.csv", "", "row has another number of fields than the header", "row", "1"],
                ["field.csv", "record_id", "empty record_id", "row", "1"],
            ],
        ),
    ],
)
def test_rejects_section(jobs, lang, expected):
    rows = table_rows(_section(jobs[lang], "rejects"))
    assert rows[0] == expected[0]
    assert all(row in rows[1:] for row in expected[1:])


def test_rejects_csv_keeps_its_english_reason_and_adds_the_spanish_one_and_a_code(jobs):
    rejects = pd.read_csv(jobs["rejects"], dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(rejects.columns) == ["file", "row", "column", "reason", "reason_es", "code", "kind"]
    sex = rejects[rejects["code"] == "ambiguous_sex"].iloc[0]
    assert (sex["column"], sex["kind"]) == ("sex", "value")
    assert sex["row"] == "302"  # the first row after the header and 300 reports
    assert sex["reason"] == SEX_EN.replace("a lone M", "'M'")
    assert sex["reason_es"] == SEX_ES.replace("una M sola", "'M'")


@pytest.mark.parametrize(
    ("lang", "heading", "description", "pairs"),
    [
        (
            "es",
            "Regla",
            "primer apellido y primer nombre que suenan igual",
            "Pares comparados en total",
        ),
        (
            "en",
            "Rule",
            "same-sounding paternal surname and first given name",
            "Pairs compared in all",
        ),
    ],
)
def test_blocking_section(jobs, lang, heading, description, pairs):
    section = _section(jobs[lang], "blocking")
    rows = table_rows(section)
    assert rows[0][:2] == [heading, TEXT[lang]["description"]]
    assert [r[1] for r in rows if r[0] == "surname_given"] == [description]
    assert f"{pairs}: <strong>" in section


@pytest.mark.parametrize(
    ("lang", "banner", "comparison", "metric", "calibration", "axes"),
    [
        (
            "es",
            "Atención: la estimación EM no convergió tras 2 iteraciones (máximo 2, último cambio ",
            "Fecha de nacimiento",
            "Exhaustividad en el primer puesto",
            "Calibración: tasa observada de coincidencias según la probabilidad predicha",
            ("Probabilidad predicha", "Tasa observada"),
        ),
        (
            "en",
            "Warning: EM did NOT converge after 2 iterations (at most 2, last change ",
            "Date of birth",
            "Recall at rank 1",
            "Calibration: observed match rate by predicted probability",
            ("Predicted probability", "Observed rate"),
        ),
    ],
)
def test_banner_model_evaluation_and_calibration(
    jobs, lang, banner, comparison, metric, calibration, axes
):
    page = jobs[lang]
    assert f'<p class="warn" role="alert">{banner}' in page
    model = _section(page, "model")
    assert f">{comparison}</text>" in model  # the chart's heading of the comparison's levels
    assert f"<td>{comparison}</td>" in model
    evaluation = _section(page, "evaluation")
    assert [r[0] for r in table_rows(evaluation)][1:4] == [
        TEXT[lang]["metrics"][k] for k in ("custody_with_true_match", "true_pairs", "recall_at_1")
    ]
    assert metric == TEXT[lang]["metrics"]["recall_at_1"]
    assert f"<h3>{calibration}</h3>" in evaluation
    assert all(f">{axis}</text>" in evaluation for axis in axes)


@pytest.mark.parametrize(
    ("lang", "title", "prior"),
    [
        ("es", "Ejemplo de explicación: caso ", "Probabilidad previa de coincidencia"),
        ("en", "Example explanation: case ", "Prior odds of a match"),
    ],
)
def test_waterfall(jobs, lang, title, prior):
    section = _section(jobs[lang], "example")
    assert f"<h2>{title}" in section
    assert f"<title>{prior}: " in section
    assert "<title>Total: " in section


def test_console_names_file_row_and_column_of_the_ambiguous_m(tmp_path, caplog):
    custody, field = small_inputs(tmp_path / "in")
    with field.open("a", encoding="utf-8") as handle:
        handle.write(BAD_ROWS[0] + "\n")
    with caplog.at_level(logging.WARNING, logger="reencuentro"):
        run_job(custody, field, tmp_path / "out", QUICK)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert (
        f"warning: field.csv, row 302, column 'sex': {SEX_EN.replace('a lone M', repr('M'))}"
        in (warnings)
    )
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["field"]["rows"]["values_ignored"] >= 1


def test_every_default_blocking_rule_has_a_spanish_description():
    from linkage.blocking import DEFAULT_RULES
    from linkage.reports.report_text import TEXT

    assert set(TEXT["es"]["rules"]) == {rule.name for rule in DEFAULT_RULES}
