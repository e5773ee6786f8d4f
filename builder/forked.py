"""Work shared between this process and forked copies of it, for a cold build's rendering.

Why fork: after loading, the site model is a few hundred megabytes of Python objects; a forked
child shares them copy-on-write and starts in about a millisecond, where a spawned worker would
import everything again and be sent the model (seconds on a large archive). Only the results
travel back, pickled through a pipe. Linux only (the build's platform); elsewhere, and when
there is one core, the caller's single-process path runs instead (`available`).

How the work is shared: the items are cut into chunks of neighbouring items (a region's pages
share figure values and charts, so neighbours are cheaper together); the chunk numbers are
written into a pipe, and each process, this one included, reads the next number from it when it
is free. A read of four bytes from a pipe is atomic, so no lock is needed and no process idles
while another has a long tail.

Failure: an exception in a child is sent back and raised here (its traceback in the message);
a child that dies without answering (killed, out of memory) raises `WorkerDied`; an exception
here kills the children first, and a build killed from outside takes its children with it
(`die_with_parent`, which the digest workers use too). The parent reads until every child's
pipe is closed, which happens when the child exits, however it exits: nothing waits forever.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import pickle
import select
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

R = TypeVar("R")

_SLOT = struct.Struct("q")  # items done by one process, in shared memory
MAX_CHUNKS = 65536 // _SLOT.size  # the queue of chunk numbers fits a pipe's buffer
_MISSING = object()  # no result came from a child


class WorkerDied(RuntimeError):
    """A forked worker ended without sending its results."""


@dataclass(frozen=True)
class _Failed:
    """An exception raised in a child, as the parent re-raises it."""

    error: BaseException | None  # None when it could not be pickled
    trace: str


# Processes per core a build runs at most, whatever --jobs asks: the work is CPU-bound, so a
# second process per core only fills the moments one waits on the disk, and more add nothing
# but memory (every worker holds its results until it sends them) and switching. `--jobs 1000`
# forked 999 workers.
PER_CORE = 2


def usable_jobs(asked: int) -> int:
    """The processes a build runs for `--jobs asked`: at most PER_CORE per core it may use."""
    return max(1, min(asked, PER_CORE * cores()))


def jobs_note(asked: int) -> str | None:
    """What the command line says when --jobs asks for more than usable_jobs gives."""
    used = usable_jobs(asked)
    if used >= asked:
        return None
    return f"--jobs {asked}: using {used} processes ({PER_CORE} for each of the {cores()} cores)"


def available() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this forked process when the build process dies, whatever kills
    it (a `kill -9` of the build would otherwise leave its workers finishing their work).

    The parent may already be gone between fork and prctl: then exit at once. Elsewhere than
    Linux there is no such call, and the pipe's EOF on the parent's side is all there is.
    """
    if not sys.platform.startswith("linux"):
        return
    # The process's own symbols include libc's: ctypes.util.find_library would import 24 ms of
    # modules in the build and run `ldconfig -p` in every worker.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def run(
    chunks: int,
    jobs: int,
    work: Callable[[Iterator[int], Callable[[int], None]], R],
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """`work(chunk numbers, done)` in this process and `jobs - 1` forked children; each call
    takes chunk numbers from one shared queue until none is left and calls `done(n)` with the
    items it has finished so far. Returns the results, this process's first; `progress` is told
    the items done by all processes together.
    """
    # The queue is written whole before any process reads it, so it must fit a pipe's buffer.
    assert chunks <= MAX_CHUNKS, "fewer, larger chunks"
    jobs = max(1, min(jobs, chunks))  # a process with no chunk to take would only start and end
    counts = mmap.mmap(-1, _SLOT.size * jobs)  # anonymous and shared: children write, we read
    queue_r, queue_w = os.pipe()
    os.write(queue_w, b"".join(_SLOT.pack(n) for n in range(chunks)))  # < 64 KiB: never blocks
    os.close(queue_w)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # a child must not print what this process had buffered
    children: list[tuple[int, int]] = []  # (pid, read end of its result pipe)
    parent = os.getpid()
    try:
        for slot in range(1, jobs):
            result_r, result_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns
                die_with_parent(parent)
                os.close(result_r)
                for _, other in children:
                    os.close(other)
                _child(slot, queue_r, result_w, counts, work)
            os.close(result_w)
            children.append((pid, result_r))

        def done(n: int) -> None:
            _SLOT.pack_into(counts, 0, n)
            if progress is not None:
                progress(_total(counts, jobs))

        mine = work(_take(queue_r), done)
        others: list[R] = []
        while children:
            pid, fd = children.pop(0)  # reaped by _collect whatever happens
            others.append(cast(R, _collect(pid, fd, counts, jobs, progress)))
    finally:
        for pid, fd in children:  # only after an exception here: stop and reap the children
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)
        os.close(queue_r)
        counts.close()
    return [mine, *others]


def _take(queue: int) -> Iterator[int]:
    while True:
        data = os.read(queue, _SLOT.size)
        if not data:
            return
        yield _SLOT.unpack(data)[0]


def _total(counts: mmap.mmap, jobs: int) -> int:
    return sum(_SLOT.unpack_from(counts, _SLOT.size * n)[0] for n in range(jobs))


def _child(
    slot: int,
    queue: int,
    result: int,
    counts: mmap.mmap,
    work: Callable[[Iterator[int], Callable[[int], None]], object],
) -> None:
    status = 0
    try:
        try:
            offset = slot * _SLOT.size
            outcome: object = work(_take(queue), lambda n: _SLOT.pack_into(counts, offset, n))
        except BaseException as exc:  # every failure goes back to the parent, to raise there
            trace = traceback.format_exc()
            outcome = _Failed(exc if _picklable(exc) else None, trace)
        with os.fdopen(result, "wb") as out:  # streamed: no second copy of the results
            pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the results could not be sent: the parent sees an empty pipe
        status = 1
    finally:
        # No atexit handlers, no flushing of buffers inherited from the parent: they are its.
        os._exit(status)


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


def _collect(
    pid: int,
    fd: int,
    counts: mmap.mmap,
    jobs: int,
    progress: Callable[[int], None] | None,
) -> object:
    """A child's pickled result, showing the progress of all until it comes. A child writes
    once its work is done; the result is unpickled as it is read (at 20,000 briefings it is
    half a gigabyte: a buffer of it would be a second copy)."""
    with os.fdopen(fd, "rb") as stream:
        try:
            while not select.select([fd], [], [], 0.2)[0]:
                if progress is not None:
                    progress(_total(counts, jobs))
            if progress is not None:
                progress(_total(counts, jobs))
            outcome = pickle.load(stream)
        except Exception:
            outcome = _MISSING  # cut short: the child died while writing, or never wrote
        finally:
            _, status = os.waitpid(pid, 0)
    if outcome is _MISSING:
        raise WorkerDied(
            f"a build worker ended without its results ({_status(status)}); "
            "run again with --jobs 1 to build in one process"
        )
    if isinstance(outcome, _Failed):
        if outcome.error is not None:
            outcome.error.add_note(f"in a forked build worker:\n{outcome.trace}")
            raise outcome.error
        raise WorkerDied(f"a build worker failed:\n{outcome.trace}")
    return outcome


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
