"""Writing a file so that a reader finds the old version or the new one whole, never half of it:
the bytes go to a temporary file beside the target, which is then renamed over it (a rename
within one folder is atomic). A failed write leaves no temporary file behind.

Used for the published site's files, the digest and font caches, and the build's own caches.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write(path: Path, data: bytes, *, mode: int | None = None, mtime: int | None = None) -> None:
    """Replace `path` with `data`; `mode` and `mtime` are set before the file appears."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        if mtime is not None:
            os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_cache(path: Path, data: bytes) -> None:
    """Write one of the build's caches (.cache/build): a failure to write costs the next build
    speed only, so it is a warning, not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, data)
    except OSError as exc:
        print(f"briefings: warning: could not write the build cache: {exc}", file=sys.stderr)
