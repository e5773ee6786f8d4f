"""The only stage that writes the output folder: build beside it, then swap it into place.

The new site is written to a temporary sibling folder and renamed over the old one only when it
is complete, so a failed or interrupted build never leaves `site/` half-written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class UnsafeOutput(ValueError):
    """The output folder would overwrite the project's own sources."""


def check_output(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or contains, the project root, content or templates."""
    out = out.resolve()
    for p in protected:
        p = p.resolve()
        if out == p or out in p.parents:
            raise UnsafeOutput(
                f"refusing to write the site to {out}: it is or contains {p}; choose another --out"
            )


def publish(outputs: dict[str, bytes], out: Path, *, epoch: int | None = None) -> None:
    """Write `outputs` ({relative path: bytes}) as the new contents of `out`, atomically swapped.

    `epoch` (SOURCE_DATE_EPOCH) sets every file's mtime, for reproducible archives.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        for rel, data in sorted(outputs.items()):
            target = staging / rel
            if ".." in Path(rel).parts or Path(rel).is_absolute():
                raise ValueError(f"output path escapes the site: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            if epoch is not None:
                os.utime(target, (epoch, epoch))
        staging.chmod(0o755)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            old.rmdir()
            out.rename(old)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_files(outputs: dict[str, bytes], out: Path, *, epoch: int | None = None) -> list[Path]:
    """Add files to `out` without touching what else it holds (`briefings digest` output, where
    last month's digests stay beside this month's). Each file is replaced atomically."""
    out = out.resolve()
    written = []
    for rel, data in sorted(outputs.items()):
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise ValueError(f"output path escapes the output folder: {rel}")
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
            if epoch is not None:
                os.utime(tmp, (epoch, epoch))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
