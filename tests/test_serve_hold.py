"""The preview's hand-over of a saved page before the rest of its rebuild (serve.py): while the
lists are re-rendered, a request for one of them waits for the fresh version instead of being
answered with the list that misses the save; every other file is answered at once. A real
tornado server on loopback, real HTTP; the rebuild's two steps are driven by hand so that the
wait is observed, not raced."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from tornado import httpclient, httpserver, netutil

from builder.pipeline import Options, Run
from builder.preview_http import application
from builder.serve import Preview

OLD_LIST = b"<html><head></head><body>list without the save</body></html>"
NEW_LIST = b"<html><head></head><body>list with the save</body></html>"
SAVED = b"<html><head></head><body>the saved page</body></html>"
FEED = b"<rss>unchanged</rss>"


async def _scenario(root: Path, fail: bool) -> dict[str, object]:
    loop = asyncio.get_running_loop()
    options = dataclasses.replace(Options(root=root), run=Run.PREVIEW, pdf=False, search=False)
    preview = Preview(options, loop)
    sockets = netutil.bind_sockets(0, "127.0.0.1")
    server = httpserver.HTTPServer(application(preview))
    server.add_sockets(sockets)
    base = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    client = httpclient.AsyncHTTPClient(force_instance=True)
    seen: dict[str, object] = {}
    try:
        preview.files = {"en/index.html": OLD_LIST, "en/b/index.html": b"before", "feed": FEED}
        # The early hand-over: the saved page is new, the list is still being re-rendered.
        preview.early_reload = True
        preview._hold(
            {"en/index.html": OLD_LIST, "en/b/index.html": SAVED, "feed": FEED},
            frozenset({"en/index.html"}),
        )
        seen["saved"] = (await client.fetch(base + "/en/b/")).body
        seen["feed"] = (await client.fetch(base + "/feed")).body
        held = asyncio.ensure_future(client.fetch(base + "/en/", raise_error=False))
        await asyncio.sleep(0.5)
        seen["held after 0.5 s"] = not held.done()
        if fail:
            preview._publish(None, ["content/x.md:3:1: error: something to fix"])
        else:
            preview._publish(
                {"en/index.html": NEW_LIST, "en/b/index.html": SAVED, "feed": FEED}, None
            )
        response = await asyncio.wait_for(held, 10)
        seen["list"] = (response.code, response.body)
        seen["pending"] = preview.pending
    finally:
        client.close()
        server.stop()
        preview.search.stop()
    return seen


def test_a_list_still_being_rendered_is_answered_when_fresh(tmp_path: Path) -> None:
    seen = asyncio.run(_scenario(tmp_path, fail=False))
    assert b"the saved page" in seen["saved"]  # type: ignore[operator]
    assert seen["feed"] == FEED
    assert seen["held after 0.5 s"] is True
    code, body = seen["list"]  # type: ignore[misc]
    assert code == 200 and b"list with the save" in body
    assert seen["pending"] == frozenset()


def test_a_held_request_gets_the_error_page_when_the_rest_of_the_rebuild_fails(
    tmp_path: Path,
) -> None:
    seen = asyncio.run(_scenario(tmp_path, fail=True))
    assert seen["held after 0.5 s"] is True
    code, body = seen["list"]  # type: ignore[misc]
    assert code == 500 and b"something to fix" in body
