"""The job folder is written whole or not at all (issue 13, items 7 and 11)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

import cli
from linkage.errors import OutputError
from linkage.job import run_job
from linkage.jobdir import job_folder
from tests.small_job import QUICK, folder_bytes, small_inputs


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


def test_files_of_an_earlier_run_are_replaced(tmp_path):
    out = tmp_path / "job"
    out.mkdir()
    (out / "stale.txt").write_text("earlier run")
    with job_folder(out) as work:
        (work / "new.txt").write_text("this run")
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert leftovers(tmp_path) == []


def test_a_failed_job_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "job"
    out.mkdir()
    (out / "kept.txt").write_text("complete earlier run")
    with pytest.raises(RuntimeError), job_folder(out) as work:
        (work / "half.txt").write_text("half")
        raise RuntimeError("job failed")
    assert sorted(p.name for p in out.iterdir()) == ["kept.txt"]
    assert leftovers(tmp_path) == []


def test_a_second_job_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "job"
    with job_folder(out) as work:
        (work / "a.txt").write_text("first")
        with pytest.raises(OutputError) as caught, job_folder(out):
            raise AssertionError("a second job was given the folder")
    assert str(caught.value) == (
        f"{out}: another job (process {os.getpid()}) is writing this folder: wait for it to end "
        "or choose another --out"
    )
    assert (out / "a.txt").read_text() == "first"


def test_the_audit_log_inside_the_folder_is_carried_over(tmp_path):
    out = tmp_path / "job"
    out.mkdir()
    (out / "audit_log.jsonl").write_text('{"seq": 1}\n')
    (out / "matches.csv").write_text("old")
    with job_folder(out, carry=("audit_log.jsonl",)) as work:
        (work / "audit_log.jsonl").write_text(
            (work / "audit_log.jsonl").read_text() + '{"seq": 2}\n'
        )
    assert (out / "audit_log.jsonl").read_text() == '{"seq": 1}\n{"seq": 2}\n'
    assert not (out / "matches.csv").exists()


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(lambda p: (p / "file").write_text("x") and p / "file" / "job", id="parent"),
        pytest.param(lambda p: (p / "job").write_text("x") and p / "job", id="outdir"),
    ],
)
def test_an_output_path_through_a_file_is_one_line_before_any_work(tmp_path, capsys, make_bad):
    out = make_bad(tmp_path)
    code = cli.main(
        ["match", "--custody", "missing.csv", "--field", "missing.csv", "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 4
    assert err.count("\n") == 1 and err.startswith(f"error: {out.absolute()}")
    assert "missing.csv" not in err  # refused before the inputs were even looked at


def test_an_unwritable_output_folder_is_one_line(tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("linkage.jobdir.tempfile.mkdtemp", refuse)
    out = tmp_path / "job"
    code = cli.main(["match", "--custody", "c.csv", "--field", "f.csv", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 4
    assert err == f"error: {out}: cannot write beside the folder: Permission denied\n"


def _killed_run(custody: Path, field: Path, out: Path, stage: str) -> None:
    """Run the job in a forked child that SIGKILLs itself at ``stage``; wait for it."""
    pid = os.fork()
    if pid == 0:  # the child
        import linkage.job
        import linkage.jobdir

        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        if stage == "writing":
            linkage.job.write_lead_sheets = die
        elif stage == "swapping":
            renames = []
            real = Path.rename

            def rename(self, target):
                renames.append(target)
                if len(renames) == 2:  # the old folder moved away, the new not yet in
                    die()
                return real(self, target)

            Path.rename = rename
        else:  # the new folder in, the old one not yet removed
            linkage.jobdir.shutil.rmtree = die
        run_job(custody, field, out, QUICK.replace(top_k=3))
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_a_killed_run_started_again_gives_the_same_complete_outputs(tmp_path):
    custody, field = small_inputs(tmp_path / "in")
    run_job(custody, field, tmp_path / "reference", QUICK.replace(top_k=3))
    expected = folder_bytes(tmp_path / "reference")
    out = tmp_path / "job"
    run_job(custody, field, out, QUICK)
    previous = folder_bytes(out)
    assert previous != expected
    for stage, after_kill in [
        ("writing", previous),
        ("swapping", None),
        ("cleanup", expected),
    ]:
        _killed_run(custody, field, out, stage)
        assert (folder_bytes(out) if out.exists() else None) == after_kill, stage
        run_job(custody, field, out, QUICK.replace(top_k=3))
        assert folder_bytes(out) == expected, stage
        assert leftovers(out.parent) == [], stage
        run_job(custody, field, out, QUICK)
        assert folder_bytes(out) == previous
