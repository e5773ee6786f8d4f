"""Digests rendered in parallel, one worker process per digest, with a time and memory limit.

WeasyPrint is single-threaded and costs about 25 ms a page, so digests are spread over the
cores. Each digest gets a fresh forked process rather than a long-lived pool worker: a digest
that runs too long or grows too big can then be killed without losing the others' work.
Forking is cheap next to a render, and the child inherits the imported WeasyPrint and a warm
fontconfig cache from the parent.

Memory is limited by the parent watching each worker's resident memory (`/proc/<pid>/status`),
not by `setrlimit`: an `RLIMIT_AS` cap also counts the address space glibc reserves for every
thread's stack and malloc arena, so Pango's own threads failed to start (`GLib-ERROR: creating
thread`) and killed workers that had memory to spare. Workers die with the build: they ask the
kernel for SIGKILL when their parent dies (`PR_SET_PDEATHSIG`), so a `kill -9` of the build
leaves no worker blocked on a pipe nobody reads.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from builder import forked, scratch
from builder import render_pdf as rp
from builder.cache import DigestCache, Entry
from builder.render_pdf import PdfJob, PdfResult, Problem


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0  # seconds of wall time per digest
    memory_mb: int = 1024  # resident memory a worker may add to what it starts with
    workers: int = 0  # 0: one per core


@dataclass
class _Running:
    job: PdfJob
    key: str
    process: Any  # multiprocessing.Process (typed loosely: the context's class is private)
    conn: Connection
    deadline: float
    rss_limit: int  # bytes of resident memory; the parent kills the worker above it
    scratch: Path  # the worker's temporary folder, deleted when it ends, however it ends


@dataclass(frozen=True)
class Progress:
    """Reported after every digest: `done` of `total` (`cached` of them from the cache)."""

    done: int
    total: int
    cached: int
    elapsed: float  # seconds since `run` started


def _context() -> Any:
    # fork shares the parent's imported modules and font caches; elsewhere spawn still works
    # because jobs and results are plain picklable data.
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _worker(job: PdfJob, conn: Connection, parent: int, scratch: str) -> None:
    """Entry point of a worker process: tie its life to the build's, render, send, exit."""
    forked.die_with_parent(parent)
    # WeasyPrint copies every @font-face font into a mkdtemp folder per document (21 MB with
    # the CJK fonts) and deletes it only when its FontConfiguration is collected, which a
    # worker's exit never does: 3,500 digests left 74 GB in /tmp. Its folders go in the
    # worker's own scratch folder instead, which the pool deletes (_finish).
    tempfile.tempdir = scratch
    try:
        result = rp.render_pdf(job)
    except MemoryError:
        result = PdfResult(job.name, None, 0, (Problem("ran out of memory"),))
    except Exception as exc:  # a bug in a library must not hang the build: report it
        result = PdfResult(job.name, None, 0, (Problem(f"rendering failed: {exc!r}"),))
    result = PdfResult(result.name, result.pdf, result.pages, result.problems, _status("VmHWM"))
    try:
        conn.send(result)
    finally:
        conn.close()


def _status(field: str, pid: int | str = "self") -> int:
    """A memory figure of /proc/<pid>/status in bytes (VmRSS now, VmHWM the peak); 0 if none."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _too_big(memory_mb: int) -> Problem:
    return Problem(
        f"stopped: needed more than {memory_mb} MB of memory",
        "split the region's briefings into shorter periods, or raise digest.memory_mb",
    )


# How often the parent looks at the workers' memory: often enough that a runaway render cannot
# grow far past its budget (WeasyPrint allocates in small steps), rarely enough to cost nothing.
POLL_SECONDS = 0.1


def run(
    jobs: Sequence[tuple[PdfJob, str]],
    cache: DigestCache,
    limits: Limits,
    progress: Callable[[Progress], None] | None = None,
) -> list[PdfResult]:
    """Render (job, cache key) pairs; results in the order of `jobs`, whatever finished first.
    `progress` is called after each digest, cached or rendered."""
    started = time.monotonic()
    results: dict[str, PdfResult] = {}
    todo: list[tuple[PdfJob, str]] = []
    for job, key in jobs:
        entry = cache.get(key, job.name)
        if entry is None:
            todo.append((job, key))
        else:
            warnings = tuple(Problem(m, h, error=False) for m, h in entry.warnings)
            results[job.name] = PdfResult(job.name, entry.pdf, entry.pages, warnings)
    cached = len(results)

    def report() -> None:
        if progress is not None:
            progress(Progress(len(results), len(jobs), cached, time.monotonic() - started))

    if cached:
        report()
    if todo:
        scratch.remove_stale(SCRATCH_PREFIX)
    width = max(1, min(limits.workers or os.cpu_count() or 1, len(todo) or 1))
    ctx = _context()
    running: dict[Connection, _Running] = {}
    # Longest documents first (popped from the end): a big province digest started last would
    # leave the other cores idle while it finishes.
    queue = sorted(todo, key=lambda jk: len(jk[0].html))
    try:
        while queue or running:
            while queue and len(running) < width:
                job, key = queue.pop()
                parent_end, child_end = ctx.Pipe(duplex=False)
                # The child starts as a copy of this process: its budget is on top of that.
                rss_limit = _status("VmRSS") + limits.memory_mb * 1024 * 1024
                folder = scratch.make(SCRATCH_PREFIX)
                proc = ctx.Process(
                    target=_worker, args=(job, child_end, os.getpid(), str(folder)), daemon=True
                )
                proc.start()
                child_end.close()  # the child holds its own copy; EOF then means it died
                running[parent_end] = _Running(
                    job,
                    key,
                    proc,
                    parent_end,
                    time.monotonic() + limits.timeout,
                    rss_limit,
                    folder,
                )
            next_deadline = min(r.deadline for r in running.values())
            timeout = min(POLL_SECONDS, max(0.0, next_deadline - time.monotonic()))
            ready = wait(list(running), timeout=timeout)
            for conn in ready:
                assert isinstance(conn, Connection)
                done = running.pop(conn)
                result = _receive(done, limits)
                results[done.job.name] = result
                if result.ok and result.pdf is not None:
                    kept = tuple((p.message, p.hint) for p in result.problems)
                    cache.put(done.key, Entry(result.pdf, result.pages, kept))
                report()
            for conn, big in list(running.items()):
                if conn not in ready and _status("VmRSS", big.process.pid) > big.rss_limit:
                    running.pop(conn)
                    _stop(big)
                    results[big.job.name] = PdfResult(
                        big.job.name, None, 0, (_too_big(limits.memory_mb),)
                    )
                    report()
            now = time.monotonic()
            for conn, late in list(running.items()):
                if late.deadline <= now and conn not in ready:
                    running.pop(conn)
                    _stop(late)
                    results[late.job.name] = PdfResult(
                        late.job.name,
                        None,
                        0,
                        (
                            Problem(
                                f"stopped after {limits.timeout:g} s",
                                "split the region's briefings into shorter periods, "
                                "or raise digest.timeout_seconds",
                            ),
                        ),
                    )
                    report()
    finally:
        for leftover in running.values():  # an interrupt (Ctrl-C) must not leave orphans
            _stop(leftover)
    return [results[job.name] for job, _ in jobs]


# Per-worker scratch folders (builder/scratch.py): WeasyPrint's font copies go there.
SCRATCH_PREFIX = "briefings-digest-"


def _receive(done: _Running, limits: Limits) -> PdfResult:
    try:
        result: PdfResult = done.conn.recv()
    except (EOFError, OSError):
        # The process died without a word: killed by the kernel, usually for memory.
        done.process.join()
        code = done.process.exitcode
        result = PdfResult(
            done.job.name,
            None,
            0,
            (Problem(f"the worker process died (exit status {code})"),),
        )
    finally:
        done.conn.close()
    done.process.join()
    shutil.rmtree(done.scratch, ignore_errors=True)
    return result


def _stop(running: _Running) -> None:
    running.process.kill()
    running.process.join()
    running.conn.close()
    shutil.rmtree(running.scratch, ignore_errors=True)
