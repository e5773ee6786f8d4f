"""A first build's new site, written while its pages render.

Publishing a site that has no spare (a first build, a clean checkout: every Netlify deploy)
writes every file into a fresh staging folder. Done after rendering, that was a serial stage
of its own (1.0-2.7 s for the 4,600 files and 104 MB of a 2,000-briefing archive, most of it
the kernel's work). Instead each page is written into the staging folder by the process that
rendered it, as it is rendered, so the writes are shared among the render workers and overlap
the rendering; `publish` then only checks the staged files, writes the rest and swaps.

Nothing is trusted that publish cannot vouch for: each staged file's stamp (publish.Stamp:
size, times, inode and the sha256 of the bytes written) is checked against the file and
against the output's bytes under publish's lock, as a spare's are, and anything that does not
match (a write that failed, a file another build's clean-up removed) is written again. A build
that fails before publishing removes the folder; one killed leaves a `.<name>-new-*` folder,
which the next build removes, as before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from builder.publish import MARKER, MARKER_TEXT, SPARE_SUFFIX, inside, is_ours
from builder.stamps import Stamp, stamp


class Staging:
    """The fresh staging folder of a first build and the stamps of the files written in it."""

    def __init__(self, folder: Path, epoch: int | None) -> None:
        self.folder = folder
        self.epoch = epoch
        self.stamps: dict[str, Stamp] = {}
        self._base = f"{folder}/"
        self._folders: set[str] = {str(folder)}

    def put(self, rel: str, data: bytes) -> None:
        """Write one output; a failure is left for publish to find (the file has no stamp)."""
        inside(rel)
        target = self._base + rel  # strings: a Path per page costs more than its write
        parent = os.path.dirname(target)
        try:
            if parent not in self._folders:
                os.makedirs(parent, exist_ok=True)
                self._folders.add(parent)
            with open(target, "wb") as f:
                f.write(data)
            if self.epoch is not None:
                os.utime(target, (self.epoch, self.epoch))
            self.stamps[rel] = stamp(os.stat(target), hashlib.sha256(data).hexdigest())
        except OSError:
            # Another build's clean-up may have removed the folder (publish.remove_leftovers):
            # publish writes what has no stamp, or the whole site when the folder is gone.
            self._folders.discard(parent)

    def in_worker(self) -> None:
        """In a forked render worker: record only what this worker writes (render_share.py)."""
        self.stamps = {}

    def taken(self) -> dict[str, Stamp]:
        return self.stamps

    def absorb(self, taken: dict[str, Stamp]) -> None:
        self.stamps.update(taken)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def begin(out: Path, epoch: int | None) -> Staging | None:
    """A staging folder for the site to be published at `out`, when publish will write a fresh
    one: `out` has no spare of ours to sync (publish._swap_in). None otherwise, or when the
    folder cannot be made (publish reports that, writing the site itself)."""
    out = out.resolve()
    spare = out.parent / f".{out.name}{SPARE_SUFFIX}"
    if out.is_dir() and is_ours(spare):
        return None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    except OSError:
        return None
    # The marker first, as publish does: a folder left by a kill is recognisably a build's.
    staging = Staging(folder, epoch)
    staging.put(MARKER, MARKER_TEXT)
    staging.stamps.pop(MARKER, None)  # not an output: publish writes and checks it itself
    return staging
