"""CI is reproducible: Hypothesis derandomized through a profile, dependencies pinned (issue 13,
item 10)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest
from hypothesis import settings

from tests.conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_ci_profile_is_derandomized_and_chosen_by_the_ci_variable():
    ci = settings.get_profile("ci")
    assert ci.derandomize is True and ci.database is None
    assert settings.get_profile("search").derandomize is False
    code = (
        "import tests.conftest; from hypothesis import settings; "
        "print(settings.default.derandomize)"
    )
    for env, expected in [({"CI": "true"}, "True"), ({}, "False")]:
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", **env},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected, env


def test_every_dependency_is_pinned_for_ci():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in project["dependencies"] + extras["dev"] + extras["spark"]}
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            pins[name.lower().replace("_", "-")] = pinned
    assert sorted(wanted - set(pins)) == []
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", v) for v in pins.values())
    install = "pip install -q -c constraints.txt -e '.[dev,spark]'"
    assert install in (ROOT / ".ci" / "run").read_text()


def test_missing_reference_data_fails_in_ci_and_skips_elsewhere(tmp_path, monkeypatch):
    import tests.conftest as conftest

    monkeypatch.setattr(conftest, "REFERENCE", tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"reference file {tmp_path}/x.csv is missing"):
        conftest.reference_file("x.csv")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        conftest.reference_file("x.csv")
    (tmp_path / "x.csv").write_text("a\n")
    assert conftest.reference_file("x.csv") == tmp_path / "x.csv"


def test_the_reference_data_sit_beside_the_repository():
    out = subprocess.run(
        [sys.executable, "-c", "import tests.conftest as c; print(c.REFERENCE)"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == str(ROOT.parent / "shared" / "reference")
