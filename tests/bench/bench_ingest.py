"""How fast `briefings ingest` drafts pages: the 52-page corpus copied up to 1,040 pages.

Prints pages per second for the whole command (reading, extraction, place matching, figures,
writing drafts) on a scratch site. Compare runs on one machine as ratios, never as seconds.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).parents[2]
sys.path.insert(0, str(REPO))

from builder.cli import main  # noqa: E402

COPIES = 20


def run() -> None:
    pages = sorted(p for p in (REPO / "tests" / "ingest_corpus").glob("*/*") if p.suffix != ".yaml")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        (site / "content" / "articles").mkdir(parents=True)
        for name in ("site.yaml", "regions.yaml", "topics.yaml", "indicators.yaml"):
            shutil.copy(REPO / "content" / name, site / "content" / name)
        src = Path(tmp) / "pages"
        for i in range(COPIES):
            folder = src / f"batch{i:02d}"
            folder.mkdir(parents=True)
            for page in pages:
                # A distinct byte per copy: each copy is a new source, not "already present".
                data = page.read_bytes() + f"\n<!-- copy {i} -->\n".encode()
                (folder / page.name).write_bytes(data)
        count = len(pages) * COPIES
        out = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(out):
            main(["ingest", "--root", str(site), "--date", "2024-01-01", str(src)])
        seconds = time.perf_counter() - start
        statuses = Counter(
            line.split(": ", 1)[1].split("  ")[0] for line in out.getvalue().splitlines()
        )
        print(f"ingest: {count} pages in {seconds:.1f} s ({count / seconds:.0f} pages/s)")
        # Copies share titles, so after the first copy most are "slug taken": same work done.
        print("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))


if __name__ == "__main__":
    run()
