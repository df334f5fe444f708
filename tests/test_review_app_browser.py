"""The review app in a real browser: Playwright driving Debian's chromium.

Skipped only outside CI when /usr/bin/chromium is missing; under CI=true a missing browser fails.
"""

from __future__ import annotations

import pytest

from linkage.decisions import read_audit_log, read_decisions
from linkage.review import load_job
from linkage.review_app.app import create_app
from linkage.review_app.server import serve_in_thread
from tests.chromium import launch
from tests.review_app_support import IMG_CHILD, ORG, SCRIPT_NAME, job_copy, make_script_job


@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture
def job(review_job, tmp_path):
    return job_copy(review_job, tmp_path / "job")


@pytest.fixture
def app(job):
    running = serve_in_thread(create_app(job, "Ana"))
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _candidates(job, custody_id: str) -> list[str]:
    rows = job.matches[job.matches["custody_id"] == custody_id]
    rows = rows.sort_values(["rank", "match_weight"], ascending=[True, False])
    return rows["field_id"].astype(str).tolist()


def test_review_three_cases_with_the_keyboard(app, job, page):
    order = app.app.state.review.queue["custody_id"].tolist()
    page.goto(app.url)
    page.click("ol.queue a.case-link >> nth=0")
    page.wait_for_url(f"{app.base}/case/{order[0]}")
    page.keyboard.press("j")
    page.wait_for_url(f"{app.base}/case/{order[1]}")
    page.keyboard.press("k")
    page.wait_for_url(f"{app.base}/case/{order[0]}")

    page.keyboard.press("m")
    page.wait_for_url(f"{app.base}/case/{order[1]}")
    page.fill("#note", "llamar a la <b>familia</b>")
    page.keyboard.press("Escape")
    page.keyboard.press("u")
    page.wait_for_url(f"{app.base}/case/{order[2]}")
    third = _candidates(job, order[2])
    assert len(third) > 1
    page.keyboard.press("n")
    page.wait_for_url(f"{app.base}/case/{order[2]}?sel={third[1]}")
    # the rejected candidate is marked; the page now offers the runner-up
    assert page.inner_text("section.candidates li >> nth=0").endswith("No es la persona")
    assert page.inner_text("section.decide h2").startswith(f"Candidato elegido: {third[1]}")

    decisions = read_decisions(job.outdir / "decisions.csv")
    expected = [
        [order[0], _candidates(job, order[0])[0], "match", "Ana", ""],
        [order[1], _candidates(job, order[1])[0], "unsure", "Ana", "llamar a la <b>familia</b>"],
        [order[2], third[0], "non-match", "Ana", ""],
    ]
    columns = ["custody_id", "field_id", "decision", "reviewer", "note"]
    assert decisions[columns].values.tolist() == expected
    log = read_audit_log(job.outdir / "audit_log.jsonl")
    assert [[e["record"][c] for c in columns] for e in log] == expected
    assert [e["record"]["time"] for e in log] == [t.isoformat() for t in decisions["time"]]
    assert log[1]["prev_hash"] == log[0]["hash"] and log[2]["prev_hash"] == log[1]["hash"]


def test_a_page_without_the_token_is_403(app, page):
    response = page.goto(app.base + "/")
    assert response.status == 403
    assert page.inner_text("body").startswith("Acceso denegado")


def test_a_post_without_the_csrf_token_is_refused(app, job, page):
    page.goto(app.url)
    order = app.app.state.review.queue["custody_id"].tolist()
    page.goto(f"{app.base}/case/{order[0]}")
    page.eval_on_selector("input[name=csrf]", "input => input.remove()")
    page.click("#decide button.match")
    assert page.inner_text("body") == (
        "Solicitud rechazada: falta el token del formulario. Vuelva a cargar la página."
    )
    assert not (job.outdir / "decisions.csv").exists()


def test_a_record_named_like_a_script_shows_as_text(browser, tmp_path):
    out = make_script_job(tmp_path / "xss")
    running = serve_in_thread(create_app(load_job(out), "Ana"))
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(running.url)
        assert SCRIPT_NAME in page.inner_text("ol.queue")
        page.goto(f"{running.base}/case/C1")
        assert page.inner_text("#custody-name") == SCRIPT_NAME
        assert page.inner_text("section.children").count(IMG_CHILD) == 2
        assert ORG in page.inner_text("section.facts")
        page.hover("section.facts")
        assert page.locator("script").count() == 1
        assert page.locator("img, b[onmouseover]").count() == 0
        assert page.title() == "Caso C1 · out"
    finally:
        context.close()
        running.stop()
    assert dialogs == []


@pytest.mark.parametrize("width", [390, 1280])
def test_no_horizontal_overflow(app, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(app.url)
        widths = [page.evaluate("[document.documentElement.scrollWidth, innerWidth]")]
        page.click("ol.queue a.case-link >> nth=0")
        page.wait_for_url(f"{app.base}/case/*")
        widths.append(page.evaluate("[document.documentElement.scrollWidth, innerWidth]"))
    finally:
        context.close()
    assert all(scroll <= inner for scroll, inner in widths), widths
    assert [inner for _, inner in widths] == [width, width]


def test_a_second_app_on_the_job_shows_the_first_ones_decisions(review_job, tmp_path, browser):
    job = job_copy(review_job, tmp_path / "job")
    first = serve_in_thread(create_app(job, "Ana"))
    second = serve_in_thread(create_app(job, "Beto", lang="en"))
    context = browser.new_context()
    page = context.new_page()
    try:
        order = first.app.state.review.queue["custody_id"].tolist()
        page.goto(first.url)
        page.goto(f"{first.base}/case/{order[0]}")
        page.keyboard.press("m")
        page.wait_for_url(f"{first.base}/case/{order[1]}")
        page.goto(second.url)
        page.goto(f"{second.base}/case/{order[0]}")
        assert page.inner_text("#current").startswith("Same person — by Ana, ")
        page.keyboard.press("u")
        page.wait_for_url(f"{second.base}/case/{order[1]}")
        page.goto(f"{first.base}/case/{order[0]}")
        assert page.inner_text("#current").startswith("No estoy seguro/a — por Beto, ")
    finally:
        context.close()
        first.stop()
        second.stop()
    decisions = read_decisions(job.outdir / "decisions.csv")
    assert decisions[["decision", "reviewer"]].values.tolist() == [
        ["match", "Ana"],
        ["unsure", "Beto"],
    ]
    assert len(read_audit_log(job.outdir / "audit_log.jsonl")) == 2
