"""Stage timings for the end-of-build summary, and progress on a terminal for long stages.

Each stage of `pipeline.build` runs inside `Stages.stage(name)`, which records its wall time and
the files it handled. A stage that reports progress (`tick`) shows a one-line counter on stderr
once it has run for `PROGRESS_AFTER` seconds, only when stderr is a terminal (logs and tests see
no carriage returns), and clears the line when the stage ends.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

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
        out = self._out()
        if out is None or self._current is None:
            return
        elapsed = time.perf_counter() - self._started
        if elapsed < PROGRESS_AFTER or (n % 200 and n != total):
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
