"""Runs the real `briefings serve` in a subprocess against a copy of the seed site.

Shared by the serve tests and tests/bench/bench_serve.py. Waits are deadlines for something to
happen, never assertions about how fast it happened.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
BRIEFING = Path("content/articles/2024/hailing-project-targets-2024.md")
BRIEFING_ZH = BRIEFING.with_suffix(".zh.md")
BRIEFING_URL = "/{lang}/briefings/2024/hailing-project-targets-2024/"
TITLE_EN = "Hailing sets out its major-project targets for 2024"
TITLE_ZH = "海陵区公布2024年重大项目目标"
DEADLINE = 60.0  # seconds; generous, for a loaded CI machine

T = TypeVar("T")


def copy_site(dest: Path) -> Path:
    """A private copy of the project's content/ and templates/ that a test may edit."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates", ignore=shutil.ignore_patterns("*.mo"))
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def eventually(probe: Callable[[], T | None], what: str, deadline: float | None = None) -> T:
    """Poll `probe` until it returns something truthy; fail after `deadline` seconds (by default
    DEADLINE, read at the call: the benchmark raises it for archives that take minutes)."""
    end = time.monotonic() + (DEADLINE if deadline is None else deadline)
    last: T | None = None
    while time.monotonic() < end:
        last = probe()
        if last:
            return last
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}; last saw {last!r}")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    data: bytes = b""  # the body as sent


class Server:
    """`python -m builder serve --port 0 ...` with its output collected line by line."""

    def __init__(self, root: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", "--root", str(root), "--port", "0", *args],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            found = self.wait_for_line(r"at (http://\S+) \(from memory\); Ctrl-C stops")
        except BaseException:
            self.proc.kill()  # a server that never came up must not outlive the test
            self.proc.wait()
            raise
        self.url = found[1].rstrip("/")
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname or "", parts.port or 80

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, start: int = 0) -> re.Match[str]:
        def probe() -> re.Match[str] | None:
            if self.proc.poll() is not None and not self._reader.is_alive():
                raise AssertionError(f"server exited:\n{self.output()}")
            for line in self.lines[start:]:
                m = re.search(pattern, line)
                if m:
                    return m
            return None

        return eventually(probe, f"a line matching {pattern!r}")

    def get(self, path: str) -> Response:
        """One GET with the path sent exactly as written (no client-side '..' clean-up)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, dict(r.getheaders()), data.decode("utf-8", "replace"), data)
        finally:
            conn.close()

    def wait_for_page(self, path: str, text: str, status: int = 200) -> Response:
        def probe() -> Response | None:
            r = self.get(path)
            return r if r.status == status and text in r.body else None

        return eventually(probe, f"{path} to answer {status} with {text!r}")

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=DEADLINE)
        self._reader.join(timeout=DEADLINE)
        return code
