"""Watching the site's sources for saves, and turning a burst of saves into one rebuild.

The watcher uses the kernel's file notifications (inotify on Linux) through `watchfiles`, the
Rust `notify` crate's binding that Pelican and uvicorn use: a save is known within milliseconds
and named by its path, with nothing scanned, whatever the size of the archive (polling 26,000
files every 50 ms took a core's worth of stat calls and still saw a save up to a poll late).
The watch is over `content/` and `templates/` (which hold site.yaml, the locale catalogs and the
static assets too). watchfiles groups a burst of saves: it hands them over once nothing has
changed for 50 ms (at most 2 s into a long burst, such as a `git checkout`).

Where notifications cannot run (inotify's watch limit reached, a file system without them), the
watcher says so and falls back to polling every file's modification time, size and inode.

livereload's own Watcher is not used: it polls, stops at the first changed file of a folder (so
a burst of saves rebuilds once per file), and its server drops any change that comes within
three seconds of the last reload.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

# (mtime in ns, size, inode): an editor that saves by writing a new file and renaming it over the
# old one changes the inode even when the size and a coarse mtime stay the same.
Stamp = tuple[int, int, int]
Snapshot = dict[str, Stamp]

# Editors' swap, backup and lock files; vim also probes with a file named 4913.
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", "~")


def ignored(name: str) -> bool:
    """Files and folders a save leaves beside the real one, which the build never reads."""
    return name.startswith((".", "#")) or name.endswith(_IGNORED_SUFFIXES) or name == "4913"


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """The stamp of every file under `roots`, by absolute path."""
    found: Snapshot = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not ignored(d)]
            for name in files:
                if ignored(name):
                    continue
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except FileNotFoundError:  # removed between the listing and the stat
                    continue
                found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths added, removed or modified between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


@dataclass
class Debounce:
    """Decides when a run of changes is over: after `quiet` seconds without a new change.

    `longest` caps the wait so that a stream of changes (a long `git checkout`) still shows
    progress. Times are passed in, so the logic is tested without sleeping.
    """

    quiet: float
    longest: float = 2.0
    pending: set[str] = field(default_factory=set)
    first: float = 0.0
    last: float = 0.0

    def add(self, paths: Iterable[str], now: float) -> None:
        paths = set(paths)
        if not paths:
            return
        if not self.pending:
            self.first = now
        self.pending |= paths
        self.last = now

    def due(self, now: float) -> list[str]:
        """The changed paths when it is time to rebuild, else an empty list."""
        if not self.pending:
            return []
        if now - self.last < self.quiet and now - self.first < self.longest:
            return []
        paths = sorted(self.pending)
        self.pending.clear()
        return paths


class Watcher:
    """A thread that watches `roots` and calls `on_change(paths)` once per burst of changes.

    `prime()` starts watching (before the first build, so no save slips between them); saves
    seen before `start()` are handed over after it. `on_change` (the rebuild) runs on the
    watcher's own thread, so builds never overlap, and a save made during a build is handed over
    when it ends. `polling` forces the fallback (the tests exercise both).
    """

    def __init__(
        self,
        roots: Sequence[Path],
        on_change: Callable[[list[str]], None],
        *,
        interval: float = 0.05,
        quiet: float = 0.05,
        polling: bool = False,
    ) -> None:
        self.roots = [str(r) for r in roots]
        self.on_change = on_change
        self.interval = interval
        self.quiet = quiet
        self.debounce = Debounce(quiet)
        self.mode = "polling" if polling else "notify"
        self._seen: Snapshot = {}
        self._stop = threading.Event()
        self._go = threading.Event()  # set by start(): changes may be handed over
        self._ready = threading.Event()  # the notifications are set up, or have failed
        self._thread = threading.Thread(target=self._run, name="briefings-watch", daemon=True)

    def prime(self) -> None:
        """Start watching; returns once changes from now on are seen."""
        if self.mode == "polling":
            self._seen = snapshot(Path(r) for r in self.roots)
            return
        self._thread.start()
        self._ready.wait(timeout=30)

    def start(self) -> None:
        self._go.set()
        if not self._thread.is_alive():
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        if self.mode == "notify":
            try:
                self._notify()
                return
            except (OSError, RuntimeError) as exc:  # no inotify here, or its limit reached
                print(
                    f"briefings: warning: file notifications unavailable ({exc}); "
                    "polling the sources for changes instead",
                    file=sys.stderr,
                    flush=True,
                )
                self.mode = "polling"
                self._seen = snapshot(Path(r) for r in self.roots)
                self._ready.set()
        self._go.wait()
        self._poll()

    def _wanted(self, _change: object, path: str) -> bool:
        for root in self.roots:
            if path.startswith(root + os.sep):
                return not any(ignored(part) for part in path[len(root) + 1 :].split(os.sep))
        return True

    def _notify(self) -> None:
        pending: set[str] = set()
        for changes in watchfiles.watch(
            *self.roots,
            watch_filter=self._wanted,
            debounce=int(self.debounce.longest * 1000),
            step=int(self.quiet * 1000),
            stop_event=self._stop,
            # Wakes every 50 ms while nothing changes, so that prime() knows the watch is set
            # up and changes held before start() are handed over soon after it.
            rust_timeout=50,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            self._ready.set()
            pending |= {path for _, path in changes}
            if pending and self._go.is_set():
                paths = sorted(pending)
                pending.clear()
                self._call(paths)

    def _poll(self) -> None:
        wait = self.interval
        while not self._stop.wait(wait):
            now = time.monotonic()
            current = snapshot(Path(r) for r in self.roots)
            # An archive of 20,000 files takes a while to stat: poll no more than a third of the
            # time, so the watcher never takes the core (and the GIL) the rebuild needs.
            wait = max(self.interval, 2 * (time.monotonic() - now))
            self.debounce.add(changed(self._seen, current), now)
            self._seen = current
            paths = self.debounce.due(now)
            if paths:
                self._call(paths)

    def _call(self, paths: list[str]) -> None:
        try:
            self.on_change(paths)
        except Exception:  # the last guard: a failing rebuild must not end the watching
            traceback.print_exc()
