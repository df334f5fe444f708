"""The review app over HTTP: access token, CSRF, headers, decisions under a lock, the CLI."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import cli
from linkage.decisions import read_audit_log, read_decisions
from linkage.review_app.app import create_app
from linkage.review_app.cases import (
    Filters,
    Position,
    build_queue,
    impact,
    position,
    selected,
)
from linkage.review_app.security import CSP
from linkage.review_app.server import serve_in_thread
from linkage.settings import Settings
from tests.review_app_support import Client, job_copy

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def job(review_job, tmp_path):
    return job_copy(review_job, tmp_path / "job")


@pytest.fixture
def served(job):
    running = serve_in_thread(create_app(job, "Ana"))
    yield running
    running.stop()


def _token(url: str) -> str:
    return url.split("token=", 1)[1]


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _first_pair(job) -> tuple[str, str]:
    queue = build_queue(job)
    custody_id = queue["custody_id"].iloc[0]
    rows = job.matches[job.matches["custody_id"] == custody_id].sort_values("rank")
    return custody_id, str(rows["field_id"].iloc[0])


def test_requests_without_the_token_get_403(served):
    client = Client(served.base)
    for path in ("/", "/static/review.js", "/case/C000002", "/?token=wrong"):
        status, headers, body = client.request("GET", path)
        assert status == 403, path
        assert body.startswith("Acceso denegado")
        assert headers["x-frame-options"] == "DENY"
    client.cookie = f"reencuentro-review-{client.port}=wrong"
    assert client.request("GET", "/")[0] == 403
    assert client.request("POST", "/decide", form={"decision": "match"})[0] == 403


def test_token_in_the_url_sets_a_strict_httponly_cookie(served):
    client = Client(served.base)
    status, headers, _ = client.request(
        "GET", f"/case/C000002?band=high&token={_token(served.url)}"
    )
    assert status == 303
    assert headers["location"] == "/case/C000002?band=high"
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"reencuentro-review-{client.port}={_token(served.url)};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    client.cookie = cookie.split(";", 1)[0]
    status, headers, body = client.request("GET", "/case/C000002")
    assert status == 200
    assert headers["content-security-policy"] == CSP
    assert CSP.startswith("default-src 'self'; script-src 'self';")
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in body and "style=" not in body
    assert '<script src="/static/review.js" defer></script>' in body


def test_a_request_naming_another_host_is_refused(served):
    client = Client(served.base)
    headers = {"Host": f"attacker.example:{client.port}"}
    assert client.request("GET", f"/?token={_token(served.url)}", headers=headers)[0] == 403


def test_post_without_the_csrf_token_is_refused(served, job):
    client = Client(served.base)
    client.login(_token(served.url))
    custody_id, field_id = _first_pair(job)
    form = {"custody_id": custody_id, "field_id": field_id, "decision": "match"}
    status, _, body = client.request("POST", "/decide", form=form)
    assert (status, body) == (
        403,
        "Solicitud rechazada: falta el token del formulario. Vuelva a cargar la página.",
    )
    assert client.request("POST", "/decide", form={**form, "csrf": "x" * 43})[0] == 403
    assert not (job.outdir / "decisions.csv").exists()
    page = client.request("GET", f"/case/{custody_id}")[2]
    status, headers, _ = client.request("POST", "/decide", form={**form, "csrf": _csrf(page)})
    assert status == 303
    decisions = read_decisions(job.outdir / "decisions.csv")
    assert decisions[["custody_id", "field_id", "decision", "reviewer"]].values.tolist() == [
        [custody_id, field_id, "match", "Ana"]
    ]


def test_a_decision_on_a_pair_not_in_the_job_is_refused(served, job):
    client = Client(served.base)
    client.login(_token(served.url))
    csrf = _csrf(client.request("GET", "/case/C000002")[2])
    form = {"csrf": csrf, "custody_id": "C000002", "field_id": "F9999999", "decision": "match"}
    assert client.request("POST", "/decide", form=form)[0] == 400
    form = {**form, "field_id": _first_pair(job)[1], "decision": "perhaps"}
    assert client.request("POST", "/decide", form=form)[0] == 400
    assert not (job.outdir / "decisions.csv").exists()


def test_english_pages(job):
    running = serve_in_thread(create_app(job, "Ana", lang="en"))
    try:
        client = Client(running.base)
        client.login(_token(running.url))
        body = client.request("GET", f"/case/{_first_pair(job)[0]}")[2]
    finally:
        running.stop()
    assert '<html lang="en">' in body
    assert ">Same person (m)</button>" in body and ">Not the person (n)</button>" in body
    assert f"--labels {job.outdir / 'decisions.csv'}" in body


def _post_many(client: Client, csrf: str, pairs: list[tuple[str, str]], note: str) -> None:
    for custody_id, field_id in pairs:
        form = {
            "csrf": csrf,
            "custody_id": custody_id,
            "field_id": field_id,
            "decision": "unsure",
            "note": note,
        }
        assert client.request("POST", "/decide", form=form)[0] == 303


def test_two_apps_on_one_job_never_lose_or_interleave_a_decision(job):
    """One app in this process, one started by the CLI in another: 4 writers, 40 decisions."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    other = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "cli.py"),
            "review",
            str(job.outdir),
            "--port",
            "0",
            "--reviewer",
            "Beto",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    here = serve_in_thread(create_app(job, "Ana"))
    try:
        assert other.stdout.readline().startswith(f"Revisión de {job.outdir}: abra este enlace")
        url = other.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{43}", url)
        clients = []
        for running_url in (here.url, url):
            client = Client(running_url.split("/?")[0])
            client.login(_token(running_url))
            clients.append((client, _csrf(client.request("GET", "/case/C000002")[2])))
        pairs = list(job.matches[["custody_id", "field_id"]].astype(str).itertuples(False, None))
        batches = [pairs[i * 10 : (i + 1) * 10] for i in range(4)]
        writers = [
            threading.Thread(target=_post_many, args=(*clients[i % 2], batches[i], f"w{i}"))
            for i in range(4)
        ]
        for w in writers:
            w.start()
        for w in writers:
            w.join()
        # each app shows the other's decision
        first = batches[1][0]
        page = clients[0][0].request("GET", f"/case/{first[0]}?sel={first[1]}")[2]
        assert 'id="current">No estoy seguro/a — por Beto, ' in page
    finally:
        here.stop()
        other.send_signal(signal.SIGINT)
        other.wait()
    decisions = read_decisions(job.outdir / "decisions.csv")
    assert len(decisions) == 40
    expected = {
        (c, f, "Ana" if i % 2 == 0 else "Beto", f"w{i}")
        for i, batch in enumerate(batches)
        for c, f in batch
    }
    got = set(decisions[["custody_id", "field_id", "reviewer", "note"]].itertuples(False, None))
    assert got == expected
    log = read_audit_log(job.outdir / "audit_log.jsonl")
    assert [e["seq"] for e in log] == list(range(1, 41))
    assert {
        (
            e["record"]["custody_id"],
            e["record"]["field_id"],
            e["record"]["reviewer"],
            e["record"]["note"],
        )
        for e in log
    } == expected
    assert {e["source"] for e in log} == {"review app"}


def test_the_audit_log_holds_each_decision_as_labels_read_it(served, job):
    """A note that could run as a formula is quoted in the file, and logged as read back."""
    client = Client(served.base)
    client.login(_token(served.url))
    custody_id, field_id = _first_pair(job)
    csrf = _csrf(client.request("GET", f"/case/{custody_id}")[2])
    form = {
        "csrf": csrf,
        "custody_id": custody_id,
        "field_id": field_id,
        "decision": "non-match",
        "note": "=HYPERLINK(1)",
    }
    assert client.request("POST", "/decide", form=form)[0] == 303
    decision = read_decisions(job.outdir / "decisions.csv").iloc[0]
    assert decision["note"] == "'=HYPERLINK(1)"
    (entry,) = read_audit_log(job.outdir / "audit_log.jsonl")
    assert entry["record"] == {
        "custody_id": custody_id,
        "field_id": field_id,
        "decision": "non-match",
        "reviewer": "Ana",
        "time": decision["time"].isoformat(),
        "note": "'=HYPERLINK(1)",
    }


def test_review_refuses_another_address_without_the_flag(job, capsys):
    assert cli.main(["review", str(job.outdir), "--host", "0.0.0.0"]) == 2
    assert capsys.readouterr().err == (
        "error: binding to 0.0.0.0 exposes the data to the network: add --allow-remote\n"
    )
    assert cli.main(["review", str(job.outdir.parent / "nowhere")]) == 2
    assert "no manifest.json, not a match job's output folder" in capsys.readouterr().err


def test_impact_puts_uncertain_cases_first():
    assert impact(0.5, 0.0, 3) == pytest.approx(1 + 1 + 2 / 3)
    assert impact(0.99, 20.0, 1) == pytest.approx(0.02 + 2**-5)
    assert impact(0.2, float("nan"), 1, threshold=0.2) == 1.0


def _toy_job():
    from linkage.review import Job

    matches = pd.DataFrame(
        {
            "custody_id": ["A", "A", "B", "C", "C", "D"],
            "field_id": ["f1", "f2", "f3", "f4", "f5", "f6"],
            "rank": [1, 2, 1, 1, 1, 1],
            "match_probability": [0.99, 0.01, 0.55, 0.9, 0.9, 0.3],
            "match_weight": [7.0, -7.0, 0.3, 3.2, 3.2, -1.2],
            "margin": [14.0, float("nan"), float("nan"), 10.0, 10.0, 0.5],
        }
    )
    custody = pd.DataFrame({"full_name": ["a", "b", "c", "d"]}, index=list("ABCD"))
    field = pd.DataFrame(
        {
            "department_code": ["GT13", "", "HN05", "GT13", "GT13", ""],
            "organization": ["Red", "", "Mesa", "Red", "Mesa", "Red"],
        },
        index=["f1", "f2", "f3", "f4", "f5", "f6"],
    )
    return Job(Path("."), matches, custody, field, {}, Settings())


def test_queue_order_filters_and_neighbours():
    queue = build_queue(_toy_job())
    # D: near 0.5 and margin 0.5 bits; B: nearest, no runner-up; C: two reports; A: sure
    assert queue["custody_id"].tolist() == ["D", "B", "C", "A"]
    assert queue["reports"].tolist() == [1, 1, 2, 1]
    assert queue["organizations"].tolist() == [("Red",), ("Mesa",), ("Mesa", "Red"), ("Red",)]
    assert queue["band"].tolist() == ["low", "medium", "high", "high"]
    keep = selected(queue, Filters(organization="Mesa"), set())
    assert queue["custody_id"][keep].tolist() == ["B", "C"]
    keep = selected(queue, Filters(department="GT13", status="pending"), {"C"})
    assert queue["custody_id"][keep].tolist() == ["A"]
    keep = selected(queue, Filters(band="high"), set())
    assert position(queue, keep, "C") == Position(None, "A", 1, 2)
    assert position(queue, keep, "B").next == "C" and position(queue, keep, "B").number is None
    assert Filters.of({"band": "high", "status": ""}).query() == "?band=high"


def test_another_address_with_the_flag_warns(job):
    other = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "review", str(job.outdir), "--port", "0",
         "--host", "0.0.0.0", "--allow-remote", "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert other.stdout.readline() == (
            f"Review of {job.outdir}: open this link in your browser (Ctrl+C to stop):\n"
        )
        url = other.stdout.readline().strip()
        assert re.fullmatch(r"http://0\.0\.0\.0:\d+/\?token=[\w-]{43}", url)
    finally:
        other.send_signal(signal.SIGINT)
        _, err = other.communicate()
    assert err.splitlines()[0] == (
        "WARNING: the review listens on 0.0.0.0, not only on this computer; anyone on the "
        "network with the link can see the data. Use a trusted network."
    )


def test_a_port_in_use_is_one_line_error(job, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["review", str(job.outdir), "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use): try another --port\n"
    )
