"""Benchmark: time from saving one briefing to the rebuilt page being served by `briefings serve`.

Runs the real server on a copy of the seed site, saves one briefing SAVES times, and polls the
page over HTTP until the new text is there. Prints each figure, the median and the maximum.
Usage: .venv/bin/python tests/bench/bench_serve.py [SAVES]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project, for tests.servehelp

from tests.servehelp import BRIEFING, BRIEFING_URL, TITLE_EN, Server, copy_site


def main() -> int:
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        site = copy_site(Path(tmp) / "project")
        server = Server(site)
        try:
            source = site / BRIEFING
            original = source.read_text(encoding="utf-8")
            path = BRIEFING_URL.format(lang="en")
            figures: list[float] = []
            for i in range(saves):
                title = f"{TITLE_EN} (save {i})"
                start = time.perf_counter()
                source.write_text(original.replace(TITLE_EN, title, 1), encoding="utf-8")
                while title not in server.get(path).body:
                    time.sleep(0.01)  # resolution; polling harder slows the build it waits for
                figures.append(time.perf_counter() - start)
                print(f"save {i + 1:2}: {figures[-1] * 1000:6.0f} ms", flush=True)
                time.sleep(0.3)  # let the server settle, so saves do not merge into one burst
            builds = [line for line in server.lines if line.startswith("built ")]
            build_ms = [float(line.split(" in ")[1].split(" ms")[0]) for line in builds[1:]]
        finally:
            server.stop()
    print(f"saves: {saves}")
    print(f"save to served page: median {statistics.median(figures) * 1000:.0f} ms, ", end="")
    print(f"max {max(figures) * 1000:.0f} ms")
    print(f"builds logged by the server: {len(builds)} (the first is the start-up build)")
    # Measured by the server around pipeline.build, which also removes the replaced output folder
    # after the swap: the page is served before that clean-up ends.
    print(f"server-side build time: median {statistics.median(build_ms):.0f} ms, ", end="")
    print(f"max {max(build_ms):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
