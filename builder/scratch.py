"""Scratch folders in the system's temporary folder, named after the process that made them.

A build killed with SIGKILL (or by the kernel for memory) cannot delete its scratch folders, and
they can be large (Pagefind's copy of the pages is 164 MB at 20,000 briefings; WeasyPrint's
font copies 21 MB per document). The process id in the name lets the next run remove the
folders of processes that no longer exist, and leave those of builds still running alone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def make(prefix: str) -> Path:
    """A new scratch folder `<tmp>/<prefix><pid>-<random>`; the caller removes it."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def remove_stale(prefix: str) -> list[Path]:
    """Remove the scratch folders `make(prefix)` left behind in processes that have died."""
    removed = []
    for folder in sorted(Path(tempfile.gettempdir()).glob(f"{prefix}*-*")):
        pid = folder.name[len(prefix) :].split("-", 1)[0]
        if not pid.isdigit() or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # that process is still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # another user's live process
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed
