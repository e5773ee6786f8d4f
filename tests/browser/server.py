"""A static server for the built site that behaves like the Netlify set-up: netlify.toml and
the site's generated `_headers` and `_redirects` (builder/hosting.py).

It sends the headers of every matching rule (so the browser enforces the real
Content-Security-Policy) and answers a missing path with the language's 404 page and status 404,
as the `_redirects` 404 rules do. Bound to 127.0.0.1 on a free port, served from a thread.
"""

from __future__ import annotations

import functools
import http.server
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

NETLIFY = Path(__file__).resolve().parents[2] / "netlify.toml"


def matches(pattern: str, path: str) -> bool:
    """Netlify's path patterns as used in netlify.toml: exact, or a prefix ending in `*`."""
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


def headers_for(config: dict[str, Any], path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for rule in config.get("headers", []):
        if matches(rule["for"], path):
            for name, value in rule["values"].items():
                # Netlify joins the values of a header set by two rules; so does this server,
                # and a test then sees the doubled header.
                out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def not_found_page(config: dict[str, Any], path: str) -> str | None:
    for rule in config.get("redirects", []):
        if rule.get("status") == 404 and matches(rule["from"], path):
            return str(rule["to"])
    return None


def site_config(site: Path) -> dict[str, Any]:
    """netlify.toml with the site's generated `_headers` and `_redirects` rules added, in the
    same shape (Netlify reads all three)."""
    config = tomllib.loads(NETLIFY.read_text())
    headers = config.setdefault("headers", [])
    if (site / "_headers").is_file():
        for line in (site / "_headers").read_text().splitlines():
            if line.startswith("/"):
                headers.append({"for": line, "values": {}})
            elif line.startswith("  ") and headers:
                name, _, value = line.strip().partition(": ")
                headers[-1]["values"][name] = value
    redirects = config.setdefault("redirects", [])
    if (site / "_redirects").is_file():
        for line in (site / "_redirects").read_text().splitlines():
            fields = line.split()
            if fields and not line.startswith("#"):
                status = int(fields[2].rstrip("!"))
                redirects.append({"from": fields[0], "to": fields[1], "status": status})
    return config


class Handler(http.server.SimpleHTTPRequestHandler):
    config: ClassVar[dict[str, Any]] = {}  # set on a subclass made per server, in serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean

    def end_headers(self) -> None:
        for name, value in headers_for(self.config, self.path.split("?")[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = not_found_page(self.config, self.path.split("?")[0]) if code == 404 else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / page.lstrip("/")).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


Handler.extensions_map = {**Handler.extensions_map, ".wasm": "application/wasm"}


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` until the block ends; yields the origin, e.g. 'http://127.0.0.1:41234'."""
    configured = type("SiteHandler", (Handler,), {"config": site_config(site)})
    handler = functools.partial(configured, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
