"""`kill -9` of the build process alone (not its group): its digest workers must die with it.

Before, workers outlived it, each blocked for ever writing its result into a pipe whose read end
its siblings still held. The build here is the real `briefings build` of the digest sample
site, in its own session so that the SIGKILL reaches the main process only; its renderer is
slowed down and made to return a result larger than a pipe's buffer, so that the workers are
caught mid-render and would block if they outlived the parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import EPOCH, PROJECT, copy_sample

DRIVER = """
import sys, time
from builder import digest_pool
from builder.cli import main
from builder.render_pdf import PdfResult

def slow(job):
    time.sleep(4)
    return PdfResult(job.name, b"%PDF-" + b"x" * (8 * 1024 * 1024), 1)

digest_pool.rp.render_pdf = slow
sys.exit(main(sys.argv[1:]))
"""


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its entry waits for a reaper


def test_workers_die_when_the_build_is_killed(tmp_path: Path) -> None:
    root = copy_sample("digest", tmp_path / "root")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(PROJECT)}
    args = ["build", "--root", str(root), "--templates", str(PROJECT / "templates"), "--no-search"]
    build = subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(build.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its digest workers"
        os.kill(build.pid, signal.SIGKILL)  # the main process only, not the group
        build.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        survivors = [w for w in workers if _alive(w)]
        assert survivors == [], f"workers {survivors} outlived the build"
    finally:  # whatever happened, leave nothing of this test running
        for pid in [build.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        build.wait(10)
