"""Outputs of earlier builds, found again by signature (deps.py) instead of rendered again.

- `MemoryMemo` keeps the bytes: the preview holds its whole site in memory and re-renders only
  the outputs whose signature changed after a save.
- `DiskMemo` keeps signatures and content hashes in `<root>/.cache/build/outputs.marshal` and
  takes the bytes from the last published site: an output is reused only when the file there
  still has the recorded hash (a file edited or removed by hand is rendered again), known from
  the stamp publish recorded for it while its stat still matches, else by hashing it. A corrupt
  or foreign memo file is discarded, as the source cache is.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from builder import atomic
from builder.publish import MARKER, site_stamps
from builder.stamps import Stamp

FILE_NAME = "outputs.marshal"


class MemoryMemo:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, bytes]] = {}
        self._next: dict[str, tuple[str, bytes]] = {}
        self.reused = 0
        self.rendered = 0
        self.last = (0, 0)  # (reused, rendered) by the last build

    def get(self, path: str, signature: str) -> bytes | None:
        entry = self._entries.get(path)
        if entry is None or entry[0] != signature:
            return None
        self._next[path] = entry
        self.reused += 1
        return entry[1]

    def put(self, path: str, signature: str, data: bytes) -> None:
        self._next[path] = (signature, data)
        self.rendered += 1

    def knows(self, path: str) -> bool:
        """Whether an earlier build made this output (it may be reused if unchanged)."""
        return path in self._entries

    def in_worker(self) -> None:
        """In a forked render worker: count and keep only what the worker finds and makes, to
        send back with `taken` (render_share.py); the process that forked it has the rest."""
        self._next, self.reused, self.rendered = {}, 0, 0

    def taken(self) -> tuple[dict[str, tuple[str, bytes]], int, int]:
        return (self._next, self.reused, self.rendered)

    def absorb(self, taken: tuple[dict[str, tuple[str, bytes]], int, int]) -> None:
        entries, reused, rendered = taken
        self._next.update(entries)
        self.reused += reused
        self.rendered += rendered

    def end_build(self, *, ok: bool) -> None:
        """After a good build its outputs are the memo; after a failed one the old stay too."""
        self._entries = self._next if ok else {**self._entries, **self._next}
        self._next = {}
        self.last = (self.reused, self.rendered)
        self.reused = self.rendered = 0


class DiskMemo:
    def __init__(self, folder: Path, site: Path, version: str, epoch: int | None) -> None:
        self.folder = folder
        self.site = site
        self.header = ("briefings-outputs", 1, version, str(site))
        self.epoch = epoch
        self._previous_epoch: int | str | None = "none yet"
        self.verified: set[str] = set()
        self._stamps: dict[str, Stamp] | None = None  # publish's, read on the first `get`
        self._entries: dict[str, tuple[str, str]] = {}
        self._next: dict[str, tuple[str, str]] = {}
        self.reused = 0
        self.rendered = 0
        self.last = (0, 0)  # (reused, rendered) by the last build
        try:
            header, entries, previous_epoch = marshal.loads((folder / FILE_NAME).read_bytes())
            if header == self.header and isinstance(entries, dict):
                self._entries = entries
                self._previous_epoch = previous_epoch
        except Exception:  # missing, unreadable, corrupt or of another shape: start afresh
            self._entries = {}

    def get(self, path: str, signature: str) -> bytes | None:
        entry = self._entries.get(path)
        if entry is None or entry[0] != signature:
            return None
        try:
            with open(self.site / path, "rb") as fh:
                data = fh.read()
                st = os.fstat(fh.fileno())  # after the read: a later write shows here
        except OSError:
            return None
        # A file publish wrote with this hash, whose stat has not changed since, holds those
        # bytes (publish trusts the same stamps): hashing every output was a tenth of a warm
        # build. Any other file is hashed.
        if self._stamps is None:
            self._stamps = site_stamps(self.site)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, entry[1])
        if self._stamps.get(path) != stamp and hashlib.sha256(data).hexdigest() != entry[1]:
            return None
        self._next[path] = entry
        self.verified.add(path)
        self.reused += 1
        return data

    def site_holds(self, outputs: dict[str, bytes], epoch: int | None) -> bool:
        """Whether the published site already is exactly `outputs` (then nothing is written).

        Files reused through `get` were read and hashed there; every other output is compared
        byte for byte, and the site may hold no file more or less, with the same mtimes' epoch.
        """
        if self._previous_epoch != epoch or not self.site.is_dir():
            return False
        found: set[str] = set()
        stack = [os.fspath(self.site)]
        skip = len(stack[0]) + 1  # relative paths by slicing: pathlib cost 1 s on 41,000 files
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        found.add(entry.path[skip:].replace(os.sep, "/"))
        if MARKER not in found:  # publish writes it; a site without it is rewritten whole
            return False
        found.discard(MARKER)
        if found != outputs.keys():
            return False
        for path, data in outputs.items():
            if path in self.verified:
                continue
            try:
                if (self.site / path).read_bytes() != data:
                    return False
            except OSError:
                return False
        return True

    def hashes(self) -> dict[str, str]:
        """The sha256 of every output this build found or made (publish needs not hash them)."""
        return {path: entry[1] for path, entry in self._next.items()}

    def put(self, path: str, signature: str, data: bytes) -> None:
        self._next[path] = (signature, hashlib.sha256(data).hexdigest())
        self.rendered += 1

    def knows(self, path: str) -> bool:
        """Whether an earlier build made this output (it may be reused if unchanged)."""
        return path in self._entries

    def in_worker(self) -> None:
        """In a forked render worker: count and keep only what the worker finds and makes, to
        send back with `taken` (render_share.py); the process that forked it has the rest."""
        self._next, self.verified, self.reused, self.rendered = {}, set(), 0, 0

    def taken(self) -> tuple[dict[str, tuple[str, str]], set[str], int, int]:
        return (self._next, self.verified, self.reused, self.rendered)

    def absorb(self, taken: tuple[dict[str, tuple[str, str]], set[str], int, int]) -> None:
        entries, verified, reused, rendered = taken
        self._next.update(entries)
        self.verified |= verified
        self.reused += reused
        self.rendered += rendered

    def end_build(self, *, ok: bool) -> None:
        """Save the memo of a published build; a failed build leaves the old memo in place."""
        if ok:
            data = marshal.dumps((self.header, self._next, self.epoch))
            atomic.save_cache(self.folder / FILE_NAME, data)
        self._next = {}


Memo = MemoryMemo | DiskMemo
