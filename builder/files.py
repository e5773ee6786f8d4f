"""Reading project files: one symlink rule and one reading rule for every file the build reads.

- Symlink rule: a symbolic link (to a file or a folder, anywhere below the folder being read) is
  followed only when its target, fully resolved, stays inside the project: the project root or
  the folder being read (content/, templates/, which may be configured elsewhere). A link that
  leaves it, or leads nowhere, is an error naming the link and its target.
- Reading rule: only regular files are read (a FIFO would block forever, a device never ends),
  and no more than `limit` bytes of them.

These are the rules of `docs/files.md`; content, templates, static files and images all use them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from builder.errors import Report

MB = 1024 * 1024
TEXT_LIMIT = 4 * MB  # a briefing is ~10 KB; a catalogue of every Chinese county is ~1 MB
FILE_LIMIT = 32 * MB  # static files and images


class Unreadable(Exception):
    """A file the rules refuse; `hint` says how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def escape(path: Path, inside: Sequence[Path]) -> Unreadable | None:
    """The problem with following `path`'s symlinks, or None when it may be read."""
    if not path.is_symlink() and path.resolve() == path.absolute():
        return None  # no link anywhere on the way
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return Unreadable(
            f"broken symbolic link to '{os.readlink(path) if path.is_symlink() else path}'",
            "remove the link or make it point at a file in the project",
        )
    if any(target.is_relative_to(root.resolve()) for root in inside):
        return None
    return Unreadable(
        f"symbolic link to '{target}', outside the project",
        "links are followed only inside the project: copy the file in instead",
    )


# Linux names the file behind an open descriptor: one readlink instead of resolving the path
# component by component (os.path.realpath is Python, an lstat per folder: a third of a warm
# build's loading was spent there).
_PROC_FD = os.path.isdir("/proc/self/fd")


def read_bytes(path: Path, inside: Sequence[Path] | None, limit: int = FILE_LIMIT) -> bytes:
    """The bytes of a regular file within the rules; raises Unreadable. `inside` None: no link
    rule (a file the user named on the command line, such as an article to ingest).

    With /proc the file is opened first (non-blocking, never read before the check) and the
    path the kernel opened is compared with the one asked for: equal, no link was on the way;
    otherwise the whole symlink rule decides, as it does before opening where /proc is missing.
    """
    checked = inside is None or not _PROC_FD
    problem = None if inside is None or not checked else escape(path, inside)
    if problem is not None:
        raise problem
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        problem = None if checked or inside is None else escape(path, inside)
        if problem is not None:  # a broken link says so, not "no such file"
            raise problem from None
        raise Unreadable(f"cannot read: {exc.strerror}") from exc
    try:
        if not checked and inside is not None and _opened(fd) != os.fspath(path.absolute()):
            problem = escape(path, inside)
            if problem is not None:
                raise problem
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"not a regular file ({_kind(info.st_mode)})", "remove it")
        if info.st_size > limit:
            raise Unreadable(
                f"file too large ({info.st_size / MB:.1f} MB, at most {limit // MB} MB)",
                "split it or make it smaller",
            )
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:  # grew while we read
                raise Unreadable(f"file too large (over {limit // MB} MB)")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror}") from exc
    finally:
        os.close(fd)


def _opened(fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def walk(base: Path, inside: Sequence[Path], report: Report) -> Iterator[tuple[Path, bool]]:
    """Every entry below `base` (files and folders, sorted) and whether it is a folder (a link
    to one counts), following folder links only within the symlink rule; a link that breaks it
    is reported and skipped. Loops are walked once.

    The folder listing says which entries are links and folders (os.scandir): no stat of every
    file, which took most of finding 26,000 articles (0.5 s)."""
    seen: set[Path] = set()

    def visit(folder: Path) -> Iterator[tuple[Path, bool]]:
        real = folder.resolve()
        if real in seen:
            return
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)  # as Paths of one folder sort
        except OSError as exc:
            report.error(folder, 1, 1, f"cannot list folder: {exc.strerror}")
            return
        for entry in entries:
            path = folder / entry.name
            if entry.is_symlink():
                problem = escape(path, inside)
                if problem is not None:
                    report.error(path, 1, 1, problem.message, problem.hint)
                    continue
            is_folder = entry.is_dir()  # a link is followed, as Path.is_dir does
            yield path, is_folder
            if is_folder:
                yield from visit(path)

    problem = escape(base, inside) if base.is_symlink() else None
    if problem is not None:  # `articles -> /` would walk the whole machine
        report.error(base, 1, 1, problem.message, problem.hint)
    elif base.is_dir():
        yield from visit(base)
