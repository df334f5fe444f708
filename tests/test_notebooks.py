"""The notebooks run top to bottom on the sample data, so they never rot."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from linkage.decisions import read_decisions

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _run(name: str, parameters: dict[str, object] | None = None) -> nbformat.NotebookNode:
    """Execute a notebook from notebooks/, with ``parameters`` set after its parameters cell."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    if parameters:
        at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
        lines = [f"{key} = {value!r}" for key, value in parameters.items()]
        nb.cells.insert(at + 1, new_code_cell("\n".join(lines)))
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    return nb


def _shown(nb: nbformat.NotebookNode) -> str:
    """Everything the notebook displayed: printed text, tables, HTML and SVG."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            for kind in ("text/plain", "text/html", "image/svg+xml"):
                parts.append(str(output.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def test_review_notebook_run_all_records_no_decision(sample_job, tmp_path):
    job = tmp_path / "job"
    shutil.copytree(sample_job, job)
    nb = _run("review.ipynb", {"JOB": str(job)})
    assert sorted(p.name for p in job.iterdir()) == sorted(p.name for p in sample_job.iterdir())
    shown = _shown(nb)
    assert "No decision recorded for " in shown
    assert "--labels" not in shown


def test_review_notebook_records_a_decision_when_asked(sample_job, tmp_path):
    job = tmp_path / "job"
    shutil.copytree(sample_job, job)
    nb = _run("review.ipynb", {"JOB": str(job), "DECISION": "match", "REVIEWER": "test-reviewer"})
    decisions = read_decisions(job / "decisions.csv")
    assert decisions[["decision", "reviewer"]].values.tolist() == [["match", "test-reviewer"]]
    case, field_id = decisions[["custody_id", "field_id"]].iloc[0]
    shown = _shown(nb)
    assert f"Recorded 'match' by test-reviewer for {case} / {field_id}" in shown
    assert f"{case} / {field_id}" in shown  # the waterfall's title
    assert "<svg" in shown
    assert "background-color: #f8d7d3" in shown or "color: #888" in shown  # differences marked
    assert "--labels" in shown


def test_api_tour_runs_every_step():
    shown = _shown(_run("api_tour.ipynb"))
    assert "custody records," in shown
    assert "recall_at_1" in shown
    assert "leads/" in shown and "report.html" in shown
    assert "<svg" in shown
    assert "non-match" in shown  # the Spanish "no coincide" read as a decision
    assert "Confirmed by reviewer" in shown
    adapter = re.search(r"(\d+) candidate pairs; link\(\) scored (\d+)", shown)
    assert adapter and adapter[1] == adapter[2]  # the recordlinkage adapter blocks as link does
    assert "held-out custody records:" in shown
