"""The preview answers only to its own host names (DNS rebinding), refuses cross-origin websocket
upgrades, and answers malformed paths with a clean 400, over real HTTP to a real server."""

from __future__ import annotations

import base64
import os
import socket
from collections.abc import Iterator

import pytest

from builder.preview_http import host_allowed
from tests.servehelp import Server, copy_site


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(copy_site(tmp_path_factory.mktemp("serve-safety") / "project"))
    yield srv
    srv.stop()


def _raw(server: Server, lines: list[str]) -> tuple[int, str]:
    """One request with exactly these header lines; the status and the whole answer."""
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        upgrade = "Upgrade: websocket" in lines
        data = b""
        while not (upgrade and b"\r\n\r\n" in data):  # else: until the server closes
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.decode("latin-1")
    return int(head.split(" ", 2)[1]), head


def _get(server: Server, path: str, host: str) -> tuple[int, str]:
    return _raw(server, [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"])


def test_only_its_own_host_names_are_answered(server: Server) -> None:
    port = server.port
    assert _get(server, "/en/", f"127.0.0.1:{port}")[0] == 200
    assert _get(server, "/en/", f"localhost:{port}")[0] == 200
    for evil in ("evil.example", f"evil.example:{port}", f"127.0.0.1.nip.io:{port}"):
        status, answer = _get(server, "/en/", evil)
        assert status == 403, evil
        assert "only to its own host name" in answer
        assert _get(server, "/livereload.js", evil)[0] == 403


def _upgrade(server: Server, origin: str) -> int:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /livereload HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        f"Origin: {origin}",
    ]
    return _raw(server, lines)[0]


def test_cross_origin_websocket_upgrades_are_refused(server: Server) -> None:
    assert _upgrade(server, "http://evil.example") == 403
    assert _upgrade(server, f"http://evil.example:{server.port}") == 403
    assert _upgrade(server, f"http://127.0.0.1:{server.port}") == 101


@pytest.mark.parametrize(
    "path", ["/en/index.html%00.txt", "/en/%C0%AE%C0%AE/site.yaml", "/%FF%FE/", "/en/%00"]
)
def test_malformed_paths_get_a_clean_400(server: Server, path: str) -> None:
    start = len(server.lines)
    status, _ = _get(server, path, f"127.0.0.1:{server.port}")
    assert status == 400
    assert _get(server, "/en/", f"127.0.0.1:{server.port}")[0] == 200  # still serving
    assert not any("Traceback" in line for line in server.lines[start:]), server.output()


def test_host_rule() -> None:
    assert host_allowed("127.0.0.1:8000", "127.0.0.1")
    assert host_allowed("[::1]:8000", "127.0.0.1")
    assert host_allowed("192.168.1.5:8000", "0.0.0.0")  # an address cannot be rebound
    assert host_allowed("Preview.Lan:8000", "preview.lan")
    assert host_allowed("localhost", "127.0.0.1")
    assert not host_allowed("evil.example", "127.0.0.1")
    assert not host_allowed("localhost.evil.example", "127.0.0.1")
    assert not host_allowed("", "127.0.0.1")
