"""A job's output folder, written whole or not at all.

:func:`job_folder` locks ``OUTDIR`` (a lock file beside it; the kernel releases the lock when the
process ends, even by SIGKILL), writes the job into a fresh temporary folder beside it, and swaps
that folder in by renames when the job is done. Files of an earlier run are gone afterwards; a
run killed half-way leaves the previous complete outputs (or none), never a mix; a second run into
the same folder at the same time stops with a clear message.

Files named in ``carry`` (an append-only audit log kept inside ``OUTDIR``) are copied from the
previous folder into the new one before the job writes, so their history is kept.

>>> with job_folder("out/job1") as tmp:      # doctest: +SKIP
...     (tmp / "matches.csv").write_text("...")
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from linkage.errors import OutputError

TMP, OLD = ".tmp-", ".old-"


def _siblings(outdir: Path, kind: str) -> list[Path]:
    return sorted(outdir.parent.glob(f".{outdir.name}{kind}*"))


def _prepare_parent(outdir: Path) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(outdir, "exists and is not a folder")
    try:
        outdir.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(outdir, "a part of the path is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(outdir, f"cannot create the folder: {exc.strerror}") from None


def _lock(outdir: Path) -> int:
    path = outdir.parent / f".{outdir.name}.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(outdir, f"cannot write beside the folder: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            raise OutputError(
                outdir,
                f"another job (process {holder}) is writing this folder: wait for it to end "
                "or choose another --out",
            ) from None
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


def _recover(outdir: Path) -> None:
    """Undo what a killed run left: temporary folders, and an old folder not yet swapped back."""
    for tmp in _siblings(outdir, TMP):
        shutil.rmtree(tmp, ignore_errors=True)
    old = _siblings(outdir, OLD)
    if old and not outdir.exists():
        old[-1].rename(outdir)
    for leftover in _siblings(outdir, OLD):
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def job_folder(outdir: str | Path, carry: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a temporary folder to write the job into; swap it in as ``outdir`` on success.

    Raises :class:`OutputError` before any work when ``outdir`` cannot be written or another job
    holds it. On an exception the temporary folder is removed and ``outdir`` left as it was.
    """
    outdir = Path(outdir).absolute()
    _prepare_parent(outdir)
    fd = _lock(outdir)
    try:
        _recover(outdir)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{outdir.name}{TMP}", dir=outdir.parent))
        except OSError as exc:
            raise OutputError(outdir, f"cannot write beside the folder: {exc.strerror}") from None
        try:
            for name in carry:
                if (outdir / name).is_file():
                    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(outdir / name, tmp / name)
            yield tmp
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        tmp.chmod(0o755)
        _swap(tmp, outdir)
    finally:
        os.close(fd)


def _swap(tmp: Path, outdir: Path) -> None:
    if outdir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{outdir.name}{OLD}", dir=outdir.parent))
        old.rmdir()
        outdir.rename(old)
        tmp.rename(outdir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(outdir)
