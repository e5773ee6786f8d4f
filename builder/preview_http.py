"""The preview's HTTP side: tornado handlers for the site (from memory), the live-reload socket
and script, and the one gate every request passes (its Host, then its path; Preview.admit).

`serve.py` owns the preview's state and its rebuilds; this module only answers requests from it.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import os
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadJSHandler
from tornado import httputil, web, websocket

if TYPE_CHECKING:
    from builder.serve import Preview

# livereload's own snippet (livereload.server.Server.application): it loads the client from the
# host and port the page came from, so it works whatever --host and --port are.
LIVE_SCRIPT = (
    b'<script type="text/javascript">(function(){'
    b'var s=document.createElement("script");'
    b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    b"document.head.appendChild(s);"
    b"})();</script>"
)


def host_allowed(host_header: str, served: str) -> bool:
    """Whether a request's Host (or a websocket's Origin host) names this server.

    A DNS-rebinding page reaches the preview under its own host name (`evil.example` resolving to
    127.0.0.1), so only the name the server was started for, `localhost` and IP addresses (which
    no rebinding can forge) are answered.
    """
    name = urlsplit(f"//{host_header}").hostname or ""
    if name == served.lower().strip("[]") or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def is_html_request(path: str) -> bool:
    """Whether a request path names a page (folder URLs and .html), not an asset."""
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith((".html", ".htm")) or "." not in last


def error_page(lines: list[str]) -> bytes:
    """The page shown for every HTML request while the last build has failed."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Build failed — Regional Briefings preview</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; }}
body {{ padding: 0 1rem; }}
h1 {{ color: #a4000f; }}
li {{ margin: .4rem 0; }}
code {{ white-space: pre-wrap; word-break: break-word; }}
</style>
</head>
<body>
<h1>Build failed</h1>
<p>The preview shows this page until the next save that builds. The terminal shows the same.</p>
<ul class="build-errors">
{items}
</ul>
</body>
</html>
""".encode()


class ReloadSocket(websocket.WebSocketHandler):
    """The server side of the LiveReload protocol (livereload.js, protocol official-7), owned
    here: a `hello` answered with `hello`, then `info` registers the tab in this preview's set.

    livereload's own handler keeps every tab in a class attribute shared by all servers of the
    process and accepts any origin; these few lines replace it rather than reach into it.
    """

    HELLO: ClassVar[dict[str, object]] = {
        "command": "hello",
        "protocols": ["http://livereload.com/protocols/official-7"],
        "serverName": "briefings-serve",
    }

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def check_origin(self, origin: str) -> bool:
        # A page of another site may not open the socket.
        parts = urlsplit(origin)
        host = self.request.host or ""
        return parts.netloc.lower() == host.lower() and host_allowed(host, self.preview.host)

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except (ValueError, UnicodeDecodeError):
            return  # not the protocol: ignored, as livereload does with unknown commands
        command = data.get("command") if isinstance(data, dict) else None
        if command == "hello":
            self.write_message(self.HELLO)
        elif command == "info" and "url" in data and self not in self.preview.tabs:
            self.preview.tabs.add(self)
            print(f"browser tab connected ({len(self.preview.tabs)} open)", flush=True)

    def on_close(self) -> None:
        self.preview.tabs.discard(self)


class SiteHandler(web.RequestHandler):
    """The site from memory, never cached, with the error page after a failed build."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        self.site_path = self.preview.admit(self)

    def compute_etag(self) -> None:
        return None  # a reload must show the rebuilt file, whatever the browser cached

    async def head(self, path: str) -> None:
        await self._answer(body=False)

    async def get(self, path: str) -> None:
        await self._answer(body=True)

    async def _answer(self, *, body: bool) -> None:
        path = self.site_path
        self.set_header("Cache-Control", "no-store")
        name = path + "index.html" if path == "" or path.endswith("/") else path
        # A file the rebuild under way is still making: wait for it rather than serve the
        # version without the save (serve.Preview.saved_pages_ready).
        while self.preview.held(name) and self.preview.fresh is not None:
            await self.preview.fresh
        failure = self.preview.failure
        if failure is not None and is_html_request(path):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(error_page(failure) if body else None)
            return
        files = self.preview.files
        data = files.get(name)
        if data is None and f"{name}/index.html" in files:
            self.redirect(f"/{path}/", permanent=True)
            return
        if data is None and path.startswith("digests/"):
            # Without --pdf no digests are built here: serve those of the last `briefings build`.
            data = self._last_built(path)
        if data is None:
            raise web.HTTPError(404)
        self.set_header("Content-Type", _content_type(name))
        self.finish(data if body else None)

    def _last_built(self, path: str) -> bytes | None:
        root = os.path.realpath(self.preview.last_site)
        target = os.path.realpath(os.path.join(root, path))
        if os.path.commonpath([root, target]) != root or not os.path.isfile(target):
            return None  # outside site/ (a link out of it too) or missing
        with open(target, "rb") as fh:
            return fh.read()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # path_args is unset when the path could not be decoded (overlong UTF-8: a 400).
        args = getattr(self, "path_args", None)
        first = args[0].split("/", 1)[0] if args else ""
        for lang in (first, self.preview.default_lang):
            page = self.preview.files.get(f"{lang}/404.html")
            if status_code == 404 and lang and page is not None:
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page)
                return
        super().write_error(status_code, **kwargs)


def _content_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/xml", "application/javascript"):
        return f"{guessed}; charset=utf-8"
    return guessed


class _Inject(web.OutputTransform):
    """Adds the live-reload script before `</head>` of every HTML response."""

    def transform_first_chunk(
        self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, httputil.HTTPHeaders, bytes]:
        if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
            chunk = chunk.replace(b"</head>", LIVE_SCRIPT + b"</head>", 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(LIVE_SCRIPT))
        return status_code, headers, chunk


class _WrongHost(web.RequestHandler):
    def prepare(self) -> None:
        raise web.HTTPError(403, "unknown Host")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish(f"{status_code}: this preview answers only to its own host name\n")


class _Application(web.Application):
    """Every request (pages, script, websocket) is answered only for an allowed Host."""

    def find_handler(self, request: Any, **kwargs: Any) -> web._HandlerDelegate:
        preview: Preview = self.settings["preview"]
        if not host_allowed(request.host or "", preview.host):
            return self.get_handler_delegate(request, _WrongHost)
        return super().find_handler(request, **kwargs)


def application(preview: Preview) -> web.Application:
    return _Application(
        [
            (r"/livereload", ReloadSocket, {"preview": preview}),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"/(.*)", SiteHandler, {"preview": preview}),
        ],
        transforms=[_Inject],
        preview=preview,
    )
