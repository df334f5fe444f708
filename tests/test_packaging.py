"""The wheel holds what an installed copy needs; an installed copy finds it without the checkout.

The wheel is built offline from a copy of the sources (``pip wheel --no-build-isolation``, with
the setuptools of the dev environment), so the checkout gets no ``build/`` folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from linkage.synth import generate

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "cli.py", "linkage", "normalizers", "data")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=IGNORED)
        else:
            shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    command += ["--no-index", "--quiet", "--wheel-dir", str(out), str(src)]
    subprocess.run(command, check=True, capture_output=True)
    (built,) = out.glob("reencuentro-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel unpacked, as pip would lay it out in site-packages."""
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_wheel_holds_every_source_and_data_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if ".dist-info/" not in n}
    expected = {"cli.py"}
    for package in ("linkage", "normalizers"):
        expected |= {f"{package}/{f}" for f in _files(ROOT / package)}
    expected |= {f"reencuentro_data/{f}" for f in _files(ROOT / "data")}
    assert names == expected
    assert {
        "linkage/py.typed",
        "normalizers/py.typed",
        "linkage/reports/templates/run_report.html.j2",
        "linkage/reports/templates/leads.html.j2",
        "reencuentro_data/sample/custody.csv",
        "reencuentro_data/names/nicknames.csv",
        "reencuentro_data/places/municipalities.csv",
        "reencuentro_data/ids/ine_municipalities.csv",
    } <= names


def test_wheel_declares_the_command(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = (n for n in archive.namelist() if n.endswith("entry_points.txt"))
        text = archive.read(entry_points).decode()
    assert "[console_scripts]\nreencuentro = cli:main" in text


def test_installed_copy_runs_without_the_checkout(installed, tmp_path):
    """Version, data tables, sample and templates all come from the installed copy."""
    script = (
        "import sys, cli, linkage, linkage.job\n"
        "from linkage.reports.render import environment\n"
        "from normalizers.resources import data_path\n"
        "print(cli.__file__, linkage.__file__, linkage.job.SAMPLE, sep='\\n')\n"
        "print(data_path('headers.csv'), environment().get_template('leads.html.j2').filename)\n"
        "sys.stdout.flush()\n"
        "code = cli.main(['synth', '--out', 'synth', '--custody', '5', '--field', '20'])\n"
        "assert code == 0, code\n"
        "cli.main(['--version'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(installed)}
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    *lines, synth_line, version_line = run.stdout.splitlines()
    paths = [p for line in lines for p in line.split(" ")]
    assert len(paths) == 5 and all(p.startswith(str(installed)) for p in paths)
    assert paths[2] == str(installed / "reencuentro_data" / "sample")
    assert synth_line == "wrote 5 custody, 20 field and 8 true pairs to synth"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert version_line == f"reencuentro {version}"
    generate(5, 20, seed=0).write(tmp_path / "checkout")  # the same tables give the same bytes
    for name in ("custody.csv", "field.csv", "truth.csv"):
        installed_bytes = (tmp_path / "synth" / name).read_bytes()
        assert installed_bytes == (tmp_path / "checkout" / name).read_bytes()


def test_pytest_runs_the_doctests_of_every_package():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in options["addopts"].split()
    assert set(options["testpaths"]) == {"tests", "linkage", "normalizers", "cli.py"}
