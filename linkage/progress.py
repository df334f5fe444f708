"""Progress display for the steps of a job (tqdm on standard error), silenced by ``quiet``."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


class Progress:
    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """A one-shot step: prints its name and its time when done."""
        start = time.perf_counter()
        yield
        if not self.quiet:
            print(f"{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)

    def iterate(self, items: Iterable[T], name: str, total: int | None = None) -> Iterable[T]:
        """Items with a progress bar on standard error; none when quiet or when standard error
        is not a terminal (a redirected log gets no carriage returns)."""
        return tqdm(
            items,
            desc=name,
            total=total,
            disable=self.quiet or not sys.stderr.isatty(),
            file=sys.stderr,
            leave=False,
            unit="chunk",
        )


class Stopwatch:
    """Seconds per step of a job, for the manifest: each :meth:`lap` records the time since the
    previous one under a step's name.

    >>> watch = Stopwatch()
    >>> watch.lap("normalize"); list(watch.timings)
    ['normalize']
    """

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._clock, 3)
        self._clock = now
