"""Progress of the digest stage on the terminal (or Netlify's log): done of total, and time.

One plain line at a time, never more often than every few seconds, so a log stays readable and
a terminal is not flooded by hundreds of cached digests; the last digest always gets its line.
"""

from __future__ import annotations

import time
from typing import TextIO

from builder.digest_pool import Progress


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
