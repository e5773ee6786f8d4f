"""Progress and timings of a build's stages, on the terminal or in a log.

- `Stages`: each stage of `pipeline.build` runs inside `Stages.stage(name)`, which records its
  wall time and the files it handled for the end-of-build summary. A stage that reports progress
  (`tick`) shows a one-line counter on stderr once it has run for `PROGRESS_AFTER` seconds, only
  when stderr is a terminal (logs and tests see no carriage returns), and clears it at the end.
- `ProgressLine`: the digest stage, which can run for minutes, prints plain lines (done of total,
  and time) never more often than every few seconds, to a terminal or a log alike (Netlify's),
  so a long PDF build is never silent; the last digest always gets its line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # digest_pool imports WeasyPrint, a second a `--no-pdf` build need not spend
    from builder.digest_pool import Progress

PROGRESS_AFTER = 2.0  # seconds; shorter stages never show progress


@dataclass
class Stage:
    name: str
    files: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class Stages:
    stream: TextIO | None = None  # where progress goes; None: stderr when it is a terminal
    done: list[Stage] = field(default_factory=list)
    _current: Stage | None = None
    _started: float = 0.0
    _shown: bool = False

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        current = Stage(name)
        self._current, self._started, self._shown = current, time.perf_counter(), False
        try:
            yield current
        finally:
            current.seconds = time.perf_counter() - self._started
            self.done.append(current)
            if self._shown and self._out() is not None:
                print("\r\033[K", end="", file=self._out(), flush=True)
            self._current = None

    def tick(self, n: int, total: int) -> None:
        """Progress of the current stage: `n` of `total` done."""
        # Cheapest test first: this runs for every page, and asking whether stderr is a
        # terminal is a system call (0.8 % of a 20,000-briefing build, asked on every tick).
        if self._current is None or (n % 200 and n != total):
            return
        out = self._out()
        if out is None or time.perf_counter() - self._started < PROGRESS_AFTER:
            return
        self._shown = True
        print(f"\r{self._current.name}: {n:,}/{total:,}", end="", file=out, flush=True)

    def _out(self) -> TextIO | None:
        if self.stream is not None:
            return self.stream
        return sys.stderr if sys.stderr.isatty() else None

    def summary(self) -> str:
        """One line: each stage's files and time, and the total."""
        parts = []
        for s in self.done:
            files = f"{s.files:,} files, " if s.files else ""
            note = f", {s.note}" if s.note else ""
            parts.append(f"{s.name} {files}{s.seconds:.2f} s{note}")
        total = sum(s.seconds for s in self.done)
        return f"stages: {'; '.join(parts)}; total {total:.2f} s"


class ProgressLine:
    def __init__(self, stream: TextIO, every: float = 2.0) -> None:
        self.stream = stream
        self.every = every
        self._last = float("-inf")

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if p.done < p.total and now - self._last < self.every:
            return
        self._last = now
        cached = f" ({p.cached} from the cache)" if p.cached else ""
        print(
            f"digests: {p.done}/{p.total} done{cached}, {p.elapsed:.1f} s",
            file=self.stream,
            flush=True,
        )
