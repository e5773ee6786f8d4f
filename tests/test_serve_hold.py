"""The preview's hand-over of a saved page before the rest of its rebuild (serve.py): while the
lists are re-rendered, a request for a page that may show the save waits until the rebuild
knows it will not change, or for its fresh version, instead of being answered with the list
that misses the save; every other file is answered at once. A real
tornado server on loopback, real HTTP; the rebuild's two steps are driven by hand so that the
wait is observed, not raced."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

from tornado import httpclient, httpserver, netutil

from builder.pipeline import Options, Run
from builder.preview_http import application
from builder.serve import Preview

OLD_LIST = b"<html><head></head><body>list without the save</body></html>"
NEW_LIST = b"<html><head></head><body>list with the save</body></html>"
SAVED = b"<html><head></head><body>the saved page</body></html>"
FEED = b"<rss>unchanged</rss>"


async def _scenario(root: Path, fail: bool) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    options = dataclasses.replace(Options(root=root), run=Run.PREVIEW, pdf=False, search=False)
    preview = Preview(options, loop)
    sockets = netutil.bind_sockets(0, "127.0.0.1")
    server = httpserver.HTTPServer(application(preview))
    server.add_sockets(sockets)
    base = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    client = httpclient.AsyncHTTPClient(force_instance=True)
    seen: dict[str, Any] = {}
    try:
        preview.files = {"en/index.html": OLD_LIST, "en/b/index.html": b"before", "feed": FEED}
        preview.files["en/c/index.html"] = b"another page"
        # The early hand-over: the saved page is new, the list is still being re-rendered.
        preview.early_reload = True
        preview._hold(
            {**preview.files, "en/b/index.html": SAVED},
            lambda path: path.endswith(".html") and path != "en/b/index.html",
        )
        seen["saved"] = (await client.fetch(base + "/en/b/")).body
        seen["feed"] = (await client.fetch(base + "/feed")).body
        held = asyncio.ensure_future(client.fetch(base + "/en/", raise_error=False))
        other = asyncio.ensure_future(client.fetch(base + "/en/c/", raise_error=False))
        await asyncio.sleep(0.3)
        seen["other held before narrowing"] = not other.done()
        # The rebuild then finds which outputs change: the other page was not one of them.
        preview.narrowed(frozenset({"en/index.html"}).__contains__)
        seen["other"] = (await asyncio.wait_for(other, 10)).body
        await asyncio.sleep(0.3)
        seen["held after 0.6 s"] = not held.done()
        if fail:
            preview._publish(None, ["content/x.md:3:1: error: something to fix"])
        else:
            preview._publish({**preview.files, "en/index.html": NEW_LIST}, None)
        response = await asyncio.wait_for(held, 10)
        seen["list"] = (response.code, response.body)
        seen["held at the end"] = preview.held("en/index.html")
    finally:
        client.close()
        server.stop()
        preview.search.stop()
    return seen


def test_a_list_still_being_rendered_is_answered_when_fresh(tmp_path: Path) -> None:
    seen = asyncio.run(_scenario(tmp_path, fail=False))
    assert b"the saved page" in seen["saved"]
    assert seen["feed"] == FEED
    assert seen["held after 0.6 s"] is True
    code, body = seen["list"]
    assert code == 200 and b"list with the save" in body
    assert seen["other held before narrowing"] is True
    assert seen["other"] == b"another page"
    assert seen["held at the end"] is False


def test_a_held_request_gets_the_error_page_when_the_rest_of_the_rebuild_fails(
    tmp_path: Path,
) -> None:
    seen = asyncio.run(_scenario(tmp_path, fail=True))
    assert seen["held after 0.6 s"] is True
    code, body = seen["list"]
    assert code == 500 and b"something to fix" in body


def test_the_search_indexer_gives_way_to_a_rebuild_and_to_a_newer_build(tmp_path: Path) -> None:
    async def scenario() -> dict[str, Any]:
        options = dataclasses.replace(Options(root=tmp_path), run=Run.PREVIEW, pdf=False)
        preview = Preview(options, asyncio.get_running_loop())
        seen: dict[str, Any] = {}
        try:
            preview.idle.clear()  # a rebuild runs
            waiting = asyncio.ensure_future(asyncio.to_thread(preview.search._give_way))
            await asyncio.sleep(0.7)
            seen["waited while rebuilding"] = not waiting.done()
            preview.idle.set()
            await asyncio.wait_for(waiting, 10)
            seen["went on after it"] = waiting.exception() is None
            preview.search._wanted = {"en/index.html": b"newer"}  # as request() leaves it
            try:
                preview.search._give_way()
            except Exception as exc:
                seen["newer build"] = type(exc).__name__
        finally:
            preview.search._wanted = None
            preview.search.stop()
        return seen

    seen = asyncio.run(scenario())
    assert seen == {
        "waited while rebuilding": True,
        "went on after it": True,
        "newer build": "_Superseded",
    }
