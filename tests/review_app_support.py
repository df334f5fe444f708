"""Helpers for the review app's tests: job copies, a synthetic job with hostile names, HTTP."""

from __future__ import annotations

import dataclasses
import http.client
import shutil
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from linkage.review import Job

#: files of a job folder the review app reads (inputs are re-read from the manifest's paths)
JOB_FILES = ("manifest.json", "model.json", "matches.parquet")
SCRIPT_NAME = "<script>alert(1)</script>"
IMG_CHILD = "<img src=x onerror=alert(2)>"
ORG = "<b onmouseover=alert(3)>Org</b>"

CUSTODY_CSV = f"""record_id,full_name,sex,birth_date,country,place,child_names,child_birth_dates
C1,{SCRIPT_NAME},M,1990-01-02,GT,Huehuetenango,{IMG_CHILD},2012-05-06
C2,Juan Pérez López,M,1985-03-04,GT,Quetzaltenango,Ana Pérez,2010-01-01
C3,María García Ruiz,F,1992-07-08,HN,San Pedro Sula,,
"""
FIELD_CSV = f"""record_id,full_name,sex,birth_date,country,department,organization,child_names
F1,{SCRIPT_NAME},M,1990-01-02,GT,Huehuetenango,"{ORG}",{IMG_CHILD}
F2,Juan Perez Lopez,M,1985-03-04,GT,Quetzaltenango,Red,Ana Perez
F3,Maria Garcia Ruiz,F,1992-07-08,HN,Cortés,Mesa,
F4,Jose Perez Lopez,M,1987-03-04,GT,Quetzaltenango,Red,
"""


def job_copy(job: Job, folder: Path) -> Job:
    """``job`` moved to ``folder`` (its files copied there), so decisions land in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in JOB_FILES:
        shutil.copy(job.outdir / name, folder / name)
    return dataclasses.replace(job, outdir=folder)


def make_script_job(folder: Path) -> Path:
    """A tiny match job whose records are named with HTML; its output folder."""
    import cli

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "custody.csv").write_text(CUSTODY_CSV, encoding="utf-8")
    (folder / "field.csv").write_text(FIELD_CSV, encoding="utf-8")
    out = folder / "out"
    args = ["match", "--custody", str(folder / "custody.csv"), "--field", str(folder / "field.csv")]
    assert cli.main([*args, "--out", str(out), "--quiet"]) == 0
    return out


class Client:
    """Plain HTTP to one app, keeping its access cookie; never follows redirects."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = ""

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        """(status, headers with lower-case names, body text)."""
        conn = http.client.HTTPConnection(self.host, self.port)
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8")
        got = {k.lower(): v for k, v in response.getheaders()}
        conn.close()
        return response.status, got, text

    def login(self, token: str) -> None:
        status, headers, _ = self.request("GET", f"/?token={token}")
        assert status == 303
        self.cookie = headers["set-cookie"].split(";", 1)[0]
