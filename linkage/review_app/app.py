"""The review app: a Starlette application over one finished job.

Pages are rendered on the server from Jinja2 templates (autoescaped: every name and value shows
as text); a small script shipped in the package adds the keyboard. A decision is a plain form
POST that carries the app's CSRF token; it is refused (403) without it.
"""

from __future__ import annotations

import json
import secrets
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote

import pandas as pd
from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from linkage.decisions import DECISIONS
from linkage.reports.render import percent
from linkage.review import Job, load_job
from linkage.review_app.cases import Filters, build_queue, case_view, filter_options, position
from linkage.review_app.cases import selected as filtered
from linkage.review_app.security import Guard
from linkage.review_app.store import DecisionStore
from linkage.review_app.text import LANGS, TEXT

#: cases listed on one page of the queue
PAGE = 100
#: largest form body accepted (bytes)
MAX_BODY = 64 * 1024


@dataclass
class Review:
    """What every request needs: the job, its queue, the decisions, who reviews, in which words."""

    job: Job
    queue: pd.DataFrame
    store: DecisionStore
    reviewer: str
    lang: str
    csrf: str
    rerun: str

    @property
    def text(self) -> dict[str, str]:
        return TEXT[self.lang]


def rerun_command(outdir: Path, manifest: dict) -> str:
    """The command that runs the job again with the reviewers' decisions."""
    inputs = manifest.get("inputs", {})
    parts = [".venv/bin/python", "cli.py", "match"]
    for side in ("custody", "field"):
        parts += [f"--{side}", str(inputs.get(side, {}).get("path", side.upper()))]
    parts += ["--out", str(outdir), "--labels", str(outdir / "decisions.csv")]
    return shlex.join(parts)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("linkage.review_app", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = percent
    return env


def _decided_pairs(review: Review) -> dict[tuple[str, str], dict]:
    current = review.store.current()
    return {
        (str(r["custody_id"]), str(r["field_id"])): {
            "decision": str(r["decision"]),
            "reviewer": str(r["reviewer"]),
            "time": "" if pd.isna(r["time"]) else r["time"].strftime("%Y-%m-%d %H:%M UTC"),
            "note": str(r["note"]),
        }
        for r in current.to_dict("records")
    }


def case_url(custody_id: str, filters: Filters, field_id: str | None = None) -> str:
    """The address of a case's page, keeping the queue's filters."""
    query = filters.query()
    if field_id:
        query += ("&" if query else "?") + "sel=" + quote(field_id, safe="")
    return f"/case/{quote(custody_id, safe='')}{query}"


def create_app(
    job: Job | str | Path,
    reviewer: str,
    lang: str = "es",
    token: str | None = None,
    loopback_only: bool = True,
) -> Starlette:
    """The review app over ``job`` (a :class:`Job` or its folder), guarded by ``token``.

    ``token`` defaults to a new random one (``app.state.token``); ``app.state.review`` holds
    the :class:`Review`.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    if not str(reviewer).strip():
        raise ValueError("reviewer: empty")
    job = job if isinstance(job, Job) else load_job(job)
    manifest = json.loads((job.outdir / "manifest.json").read_text(encoding="utf-8"))
    threshold = float(manifest.get("settings", {}).get("threshold", 0.5))
    store = DecisionStore(job.outdir)
    store.check()
    review = Review(
        job=job,
        queue=build_queue(job, threshold),
        store=store,
        reviewer=str(reviewer).strip(),
        lang=lang,
        csrf=secrets.token_urlsafe(32),
        rerun=rerun_command(job.outdir, manifest),
    )
    env = _environment()

    def page(name: str, status: int = 200, **context: object) -> HTMLResponse:
        body = env.get_template(name).render(
            t=review.text,
            lang=review.lang,
            reviewer=review.reviewer,
            job=job.outdir.name,
            rerun=review.rerun,
            csrf=review.csrf,
            **context,
        )
        return HTMLResponse(body, status)

    def queue_page(request: Request) -> Response:
        filters = Filters.of(request.query_params)
        decided = _decided_pairs(review)
        cases = {c for c, _ in decided}
        rows = review.queue[filtered(review.queue, filters, cases)]
        try:
            start = max(int(request.query_params.get("start", "0")), 0)
        except ValueError:
            start = 0
        shown = rows.iloc[start : start + PAGE]
        more = filters.query() + ("&" if filters.query() else "?") + f"start={start + PAGE}"
        return page(
            "queue.html.j2",
            filters=filters,
            options=filter_options(review.queue, review.lang),
            rows=[
                {
                    **r,
                    "url": case_url(r["custody_id"], filters),
                    "decided": r["custody_id"] in cases,
                }
                for r in shown.to_dict("records")
            ],
            total=len(rows),
            start=start,
            more=more if start + PAGE < len(rows) else "",
        )

    def case_page(request: Request) -> Response:
        custody_id = request.path_params["custody_id"]
        filters = Filters.of(request.query_params)
        if custody_id not in set(review.queue["custody_id"]):
            return page("message.html.j2", 404, message=review.text["not_found"])
        view = case_view(job, custody_id, review.lang, request.query_params.get("sel"))
        decided = _decided_pairs(review)
        keep = filtered(review.queue, filters, {c for c, _ in decided})
        where = position(review.queue, keep, custody_id)
        for cand in view["candidates"]:
            cand["url"] = case_url(custody_id, filters, cand["field_id"])
            cand["decided"] = decided.get((custody_id, cand["field_id"]))
        return page(
            "case.html.j2",
            view=view,
            filters=filters,
            where=where,
            previous=case_url(where.previous, filters) if where.previous else "",
            next=case_url(where.next, filters) if where.next else "",
            queue="/" + filters.query(),
        )

    async def decide(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return PlainTextResponse(review.text["bad_request"], 413)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), True).items()}
        if not secrets.compare_digest(form.get("csrf", "").encode(), review.csrf.encode()):
            return PlainTextResponse(review.text["csrf"], 403)
        custody_id, field_id = form.get("custody_id", ""), form.get("field_id", "")
        matches = job.matches
        pair = matches[
            (matches["custody_id"].astype(str) == custody_id)
            & (matches["field_id"].astype(str) == field_id)
        ]
        if pair.empty or form.get("decision") not in DECISIONS:
            return PlainTextResponse(review.text["bad_request"], 400)
        await run_in_threadpool(
            review.store.record,
            custody_id,
            field_id,
            form["decision"],
            review.reviewer,
            form.get("note", "").strip(),
        )
        return RedirectResponse(_after(review, custody_id, field_id, form), 303)

    token = token or secrets.token_urlsafe(32)
    guard = Middleware(Guard, token=token, denied=TEXT[lang]["denied"], loopback_only=loopback_only)
    app = Starlette(
        middleware=[guard],
        routes=[
            Route("/", queue_page),
            Route("/case/{custody_id:path}", case_page),
            Route("/decide", decide, methods=["POST"]),
            Mount("/static", StaticFiles(packages=[("linkage.review_app", "static")])),
        ],
    )
    app.state.review = review
    app.state.token = token
    return app


def _after(review: Review, custody_id: str, field_id: str, form: dict[str, str]) -> str:
    """Where a decision leads: "not the person" to the case's next candidate if there is one,
    any other decision (or the last candidate) to the next case of the queue."""
    filters = Filters.of(form)
    if form["decision"] == "non-match":
        ordered = review.job.matches[review.job.matches["custody_id"].astype(str) == custody_id]
        ids = ordered.sort_values(["rank", "match_weight"], ascending=[True, False])
        ids = ids["field_id"].astype(str).tolist()
        here = ids.index(field_id)
        if here + 1 < len(ids):
            return case_url(custody_id, filters, ids[here + 1])
    cases = {c for c, _ in _decided_pairs(review)}
    where = position(review.queue, filtered(review.queue, filters, cases), custody_id)
    return case_url(where.next, filters) if where.next else "/" + filters.query()
