"""What a file the build wrote holds, vouched for by its stat (docs/files.md).

A stamp is a file's size, modification and change times and inode as the build left them, with
the sha256 of the bytes it wrote. A file whose stat still matches its stamp holds those bytes:
any write changes its change time, which no program can set back. So the publish stage compares
such a file by hash, without reading it, in the spare (the last site but one) that the publish
stage syncs into the new site.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Mapping
from pathlib import Path

from builder import atomic

# (size, mtime ns, ctime ns, inode, sha256 hex) of a file as written by a build
Stamp = tuple[int, int, int, int, str]
STAMPS = ".briefings-stamps"  # in the spare only: the stamps of its files and the site's


class Hashes:
    """The sha256 of each output, from the caller (the build's memo) or computed once."""

    def __init__(self, outputs: dict[str, bytes], given: Mapping[str, str]) -> None:
        self.outputs = outputs
        self.known = dict(given)

    def __getitem__(self, rel: str) -> str:
        found = self.known.get(rel)
        if found is None:
            found = self.known[rel] = hashlib.sha256(self.outputs[rel]).hexdigest()
        return found


def stamp(st: os.stat_result, sha: str) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, sha)


def holds(
    path: str, st: os.stat_result, data: bytes, known: Stamp | None, hashes: Hashes, rel: str
) -> bool:
    """Whether the file holds `data`: by its recorded stamp when its stat still matches it,
    else by reading it."""
    if st.st_size != len(data):
        return False
    if known is not None and known[:4] == stamp(st, "")[:4]:
        return known[4] == hashes[rel]
    return Path(path).read_bytes() == data


def read_stamps(path: Path) -> dict[int, dict[str, Stamp]]:
    """The recorded stamps by folder inode; anything unreadable or of another shape is none."""
    try:
        found = marshal.loads(path.read_bytes())
    except Exception:  # missing, unreadable or corrupt: every file is read instead
        return {}
    if not isinstance(found, dict) or not all(
        isinstance(k, int) and isinstance(v, dict) for k, v in found.items()
    ):
        return {}
    return found


def write_stamps(path: Path, folders: dict[int, dict[str, Stamp]]) -> None:
    """Written after the swap; a kill before it only costs the next sync reading the files."""
    atomic.write(path, marshal.dumps(folders))
