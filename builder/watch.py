"""Watching the site's sources for saves, and turning a burst of saves into one rebuild.

The watcher polls instead of using inotify: it needs no extra package, behaves the same on every
platform and file system (network mounts, containers), and walking the seed content's few dozen
files costs well under a millisecond a poll. The walk is over `content/` and `templates/` (which
hold site.yaml, the locale catalogs and the static assets too).

livereload's own Watcher is not used: it stops at the first changed file of a folder, so a burst
of saves is seen one file per poll and rebuilds once per file, and its server drops any change
that comes within three seconds of the last reload.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
    """A thread that polls `roots` and calls `on_change(paths)` once per burst of changes.

    `on_change` (the rebuild) runs on the watcher's own thread, so builds never overlap, and a
    save made during a build is seen by the next poll and triggers the next build.
    """

    def __init__(
        self,
        roots: Sequence[Path],
        on_change: Callable[[list[str]], None],
        *,
        interval: float = 0.05,
        quiet: float = 0.05,
    ) -> None:
        self.roots = list(roots)
        self.on_change = on_change
        self.interval = interval
        self.debounce = Debounce(quiet)
        self._seen: Snapshot = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="briefings-watch", daemon=True)

    def prime(self) -> None:
        """Take the first snapshot; call before the first build so no save slips between them."""
        self._seen = snapshot(self.roots)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        wait = self.interval
        while not self._stop.wait(wait):
            now = time.monotonic()
            current = snapshot(self.roots)
            # An archive of 20,000 files takes a while to stat: poll no more than a third of the
            # time, so the watcher never takes the core (and the GIL) the rebuild needs.
            wait = max(self.interval, 2 * (time.monotonic() - now))
            self.debounce.add(changed(self._seen, current), now)
            self._seen = current
            paths = self.debounce.due(now)
            if not paths:
                continue
            try:
                self.on_change(paths)
            except Exception:  # the last guard: a failing rebuild must not end the watching
                traceback.print_exc()
