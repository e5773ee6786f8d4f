"""`briefings serve`: build in memory, serve from memory, re-render what a save affects, reload.

How the parts fit:
- The site is built by the normal `pipeline.build` with drafts included, as `Run.PREVIEW`: nothing
  is written anywhere (`site/` is never touched). A save of briefings then reloads only those
  files and re-renders only the outputs that show them (incremental.py); any other save runs the
  whole build again with the preview's caches (parsed sources, and the outputs with their
  signatures: memo.py, deps.py). Each build's files replace the served set whole.
- The search index (Pagefind) is made after the pages, on its own thread at a lower priority once
  saves pause for a second, and swapped in when ready; the pages never wait for it, and the last
  index is served meanwhile.
- A `Watcher` thread is told of saves in content/ and templates/ (inotify), waits for a burst of
  saves to end, and rebuilds on that same thread, so the server keeps answering while it builds.
- Every request passes `Preview.admit` first: the one place for checks on a request (its path
  today; its Host and Origin belong there too).
- Tornado serves the files from memory. From the livereload package comes only the browser
  script (`/livereload.js`, through its public handler); the websocket handshake (ReloadSocket)
  and the transform that injects the script into HTML responses are the few lines owned here,
  so no private state of livereload is touched. livereload's `Server` is not used: it runs
  builds on the IO loop (requests wait), ignores changes within three seconds of the last
  reload, and installs logging handlers as a side effect.
- After a failed build the last good files stay served, and every HTML request gets an error page
  listing the report (the same lines the terminal shows); the next good save reloads it away.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import ipaddress
import os
import signal
import sys
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from tornado import httpserver, netutil, web
from tornado.websocket import WebSocketClosedError

from builder.errors import BuildFailed, Report
from builder.incremental import Handover, Held, PreviewBuilder
from builder.memo import MemoryMemo
from builder.options import Options, Run
from builder.pipeline import source_cache
from builder.preview_http import ReloadSocket, application
from builder.search import index_pages
from builder.watch import Watcher


@dataclass(frozen=True)
class ServeSettings:
    options: Options  # root, content, templates, strict; `out` and `drafts` are set by serve()
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    pdf: bool = False
    verbose: bool = False  # every warning, not one line per kind


def host_warning(host: str) -> str | None:
    """A warning when `host` is reachable from other machines, else None."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: it may resolve to anything
    return (
        f"warning: serving on {host}, which other machines may reach; the preview includes "
        "drafts and has no access control (the default --host 127.0.0.1 keeps it local)"
    )


class Preview:
    """What the handlers read: the served files, the last build's failure, the open tabs.

    `rebuild` runs on the watcher thread and hands the reload to the IO loop thread; `files` and
    `failure` are replaced whole (never mutated), so a handler always sees one build's set.
    """

    def __init__(
        self, options: Options, loop: asyncio.AbstractEventLoop, host: str = "127.0.0.1"
    ) -> None:
        self.options = options
        self.host = host  # the --host it serves: requests must name it (or localhost, an IP)
        self.loop = loop
        self.verbose = False
        self.last_site = options.root.resolve() / "site"  # digests of the last `briefings build`
        self.files: dict[str, bytes] = {}
        self.failure: list[str] | None = None
        self.default_lang = ""  # the site's first language, once a build has read it
        self.tabs: set[ReloadSocket] = set()
        self.builds = 0
        # Outputs an incremental rebuild is still making after it handed over the saved pages:
        # requests for them wait for `fresh`, so no tab is served a list that misses the save.
        self.held: Held = _nothing
        self.fresh: asyncio.Future[None] | None = None
        self.early_reload = False  # this rebuild's tabs were reloaded when its first pages were
        self._started = 0.0
        # Clear while a rebuild runs: the search indexer's own Python work waits for it.
        self.idle = threading.Event()
        self.idle.set()
        handover = Handover(self.saved_pages_ready, self.narrowed)
        self.builder = PreviewBuilder(options, source_cache(options), MemoryMemo(), handover)
        self.search = SearchIndexer(self)

    def admit(self, handler: web.RequestHandler) -> str:
        """Check a request before any handler answers it; returns the site path it names.

        The one place for request checks: a path that climbs out of the site ('..', also
        percent-encoded) or holds a backslash is refused here, a NUL is malformed (400); a
        request for another host never gets this far (`_Application`).
        """
        path = handler.path_args[0] if handler.path_args else ""
        if "\0" in path:
            raise web.HTTPError(400, "NUL in the path")  # malformed, not forbidden
        parts = path.split("/")
        if any(p in (".", "..") for p in parts) or "\\" in path:
            raise web.HTTPError(403)  # refused, not missing: the site's 404 page is no answer
        return path

    def saved_pages_ready(self, outputs: dict[str, bytes], held: Held) -> None:
        """The watcher thread's hand-over of the saved briefings' pages (incremental.py):
        served, and the tabs reloaded, at once; requests for `held` outputs wait for the rest."""
        self.early_reload = True
        ms = (time.perf_counter() - self._started) * 1000
        print(f"saved page ready in {ms:.0f} ms", flush=True)
        self.loop.call_soon_threadsafe(self._hold, {**self.search.files, **outputs}, held)

    def narrowed(self, held: Held) -> None:
        """Fewer outputs are held: those the rebuild found will change (the others are ready)."""
        self.loop.call_soon_threadsafe(self._hold, None, held)

    def _hold(self, files: dict[str, bytes] | None, held: Held) -> None:
        # On the IO loop: the files, the held paths and the future change in one step, and the
        # reload reaches the tabs after them. Requests waiting look again at the new `held`.
        waiting = self.fresh
        self.fresh = self.loop.create_future()
        if waiting is not None and not waiting.done():
            waiting.set_result(None)
        self.held = held
        if files is not None:
            self.files, self.failure = files, None
            self.reload_tabs()

    def _publish(self, files: dict[str, bytes] | None, failure: list[str] | None) -> None:
        # On the IO loop, after any _hold of the same rebuild (the loop runs callbacks in
        # order): a rebuild's end can never be overtaken by its own early hand-over.
        if files is not None:
            self.files = files
        self.failure = failure
        self.held = _nothing
        if self.fresh is not None and not self.fresh.done():
            self.fresh.set_result(None)
        # The tabs reloaded when the saved pages were handed over, and the pages they asked for
        # since then were held until now; a failure still reloads them, to show it.
        if not self.early_reload or failure is not None:
            self.reload_tabs()

    def rebuild(self, paths: list[str]) -> None:
        """Runs on the watcher thread (and once on the loop's, before it serves)."""
        started = self._started = time.perf_counter()
        self.early_reload = False
        files: dict[str, bytes] | None = None
        failure: list[str] | None = None
        self.idle.clear()
        try:
            done = self.builder.rebuild(paths)
        except BuildFailed as exc:
            failure = exc.report.lines()
            for line in failure:
                print(line, file=sys.stderr)
            n = len(exc.report.errors)
            print(
                f"build failed with {n} error{'s' if n != 1 else ''}; "
                "the browser shows them until the next good save",
                file=sys.stderr,
                flush=True,
            )
        except Exception as exc:  # a bug in a stage must not take the preview down with it
            traceback.print_exc()
            failure = [f"internal error: {type(exc).__name__}: {exc}"]
        else:
            result = done.result
            # The last search index stays until the new one is ready (SearchIndexer).
            files = {**self.search.files, **result.outputs}
            if result.model is not None:
                self.default_lang = result.model.default_lang
            for line in result.report.summary(verbose=self.verbose):
                print(line, file=sys.stderr)
            ms = (time.perf_counter() - started) * 1000
            what = _describe(paths, self.options.root)
            how = "" if done.incremental else ", whole build"
            print(
                f"built {len(result.outputs)} files in {ms:.0f} ms "
                f"({done.rendered} rendered, {done.reused} unchanged{how}){what}",
                flush=True,
            )
            if self.options.search:
                self.search.request(result.outputs)
        finally:
            self.idle.set()
        self.builds += 1
        self.loop.call_soon_threadsafe(self._publish, files, failure)

    def reload_tabs(self) -> None:
        # The message livereload's own server sends; the client reloads the whole page.
        message = {"command": "reload", "path": "*", "liveCSS": True, "liveImg": True}
        for tab in list(self.tabs):
            try:
                tab.write_message(message)
            except WebSocketClosedError:
                self.tabs.discard(tab)


def _nothing(_path: str) -> bool:
    return False


SEARCH_QUIET = 1.0  # seconds without a new build before the search index is made


class SearchIndexer:
    """Makes the search index of the newest build on its own thread, after the pages are served.

    Requests made while it indexes collapse into one: only the newest build is indexed next.
    """

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.files: dict[str, bytes] = {}  # the newest index made
        self._wanted: dict[str, bytes] | None = None
        self.stopping = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="briefings-search", daemon=True)
        self._thread.start()

    def request(self, outputs: dict[str, bytes]) -> None:
        with self._wake:
            self._wanted = outputs
            self._wake.notify()

    def stop(self) -> None:
        """End the thread; wait for an index under way (Pagefind had the Ctrl-C too), so its
        temporary folder is removed by it and not raced by the interpreter's exit."""
        with self._wake:
            self.stopping = True
            self._wake.notify()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        _lower_priority()
        while True:
            with self._wake:
                while self._wanted is None and not self.stopping:
                    self._wake.wait()
                # Saves come in runs: index once the pages have been quiet for a moment, so
                # Pagefind's threads do not take the cores the next save's rebuild needs.
                while not self.stopping:
                    waiting = self._wanted
                    self._wake.wait(timeout=SEARCH_QUIET)
                    if self._wanted is waiting:
                        break
                outputs, self._wanted = self._wanted, None
                if self.stopping or outputs is None:
                    return
            root = self.preview.options.root.resolve()
            report = Report(root)
            started = time.perf_counter()
            try:
                index = index_pages(outputs, report, root=root, between=self._give_way)
            except _Superseded:
                continue  # a newer build waits: index that one instead
            except Exception as exc:  # the preview goes on without search rather than stopping
                if not self.stopping:  # Ctrl-C reaches Pagefind too: that is no failure
                    print(f"search index not updated: {exc}", file=sys.stderr, flush=True)
                continue
            if self.stopping:
                return
            for line in report.lines():
                print(f"search: {line}", file=sys.stderr)
            with self._wake:
                stale = self._wanted is not None
            if not index or stale:
                continue  # a newer build is waiting: index that instead
            self.files = index
            self.preview.files = {**self.preview.files, **index}
            ms = (time.perf_counter() - started) * 1000
            print(f"search index updated in {ms:.0f} ms", flush=True)

    def _give_way(self) -> None:
        """Wait while the preview rebuilds, and give up for a newer build once one is waiting:
        the copying would take turns with the rebuild for the interpreter's lock (a saved page
        at 20,000 briefings came 0.33 s after the save instead of 0.1 s), for an index that
        would be thrown away."""
        while not self.preview.idle.wait(timeout=0.5):
            if self.stopping:
                return
        with self._wake:
            if self._wanted is not None:
                raise _Superseded


class _Superseded(Exception):
    """The build being indexed is no longer the newest (SearchIndexer._give_way)."""


def _lower_priority() -> None:
    """Run this thread, and the Pagefind it starts, at a lower priority than the rebuilds.

    On Linux a thread has its own nice value and a process it starts inherits it; elsewhere
    the call may fail, and indexing then merely competes as before.
    """
    with contextlib.suppress(OSError, AttributeError):
        me = threading.get_native_id()
        # Relative to the server's own: a preview started under `nice` lowers it further.
        os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + 10))


def _describe(paths: list[str], root: Path) -> str:
    if not paths:
        return ""
    first = Path(paths[0])
    try:
        shown = first.relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = first.as_posix()
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    return f" after a change to {shown}{more}"


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(settings: ServeSettings) -> int:
    """Run the preview until Ctrl-C or SIGTERM. Exit status 0, or 2 when it cannot listen."""
    warning = host_warning(settings.host)
    if warning:
        print(f"briefings: {warning}", file=sys.stderr, flush=True)
    try:
        return asyncio.run(_serve(settings))
    except KeyboardInterrupt:  # Ctrl-C before the loop's own handler was installed
        print("stopped", flush=True)
        return 0


async def _serve(settings: ServeSettings) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    # Installed first, so a Ctrl-C during the first build also ends the run cleanly.
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    # Digests are slow: the preview makes them only with --pdf.
    options = dataclasses.replace(settings.options, drafts=True, run=Run.PREVIEW, pdf=settings.pdf)
    try:
        # Bound before the first build, so a port in use fails at once; requests that arrive
        # during that build wait in the listen queue until the server takes the sockets.
        sockets = netutil.bind_sockets(settings.port, address=settings.host)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"briefings: error: port {settings.port} on {settings.host} is already in use; "
                f"stop the other server or choose another port, e.g. --port {settings.port + 1}",
                file=sys.stderr,
            )
        else:
            print(f"briefings: error: cannot listen on {settings.host}: {exc}", file=sys.stderr)
        return 2
    preview = Preview(options, loop, settings.host)
    preview.verbose = settings.verbose
    watcher = Watcher([options.content_dir, options.templates_dir], preview.rebuild)
    watcher.prime()
    preview.rebuild([])
    server = httpserver.HTTPServer(application(preview))
    server.add_sockets(sockets)
    url = url_for(settings.host, sockets[0].getsockname()[1])
    print(f"serving {options.root.resolve()} at {url} (from memory); Ctrl-C stops", flush=True)

    watcher.start()
    if settings.open_browser:
        # webbrowser.open can block until the browser starts; the server must already answer.
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        await stop.wait()
    finally:
        server.stop()
        watcher.stop()
        preview.search.stop()
        for tab in list(preview.tabs):
            tab.close()
        await server.close_all_connections()
    print("stopped", flush=True)
    return 0
