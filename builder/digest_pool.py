"""Digests rendered in parallel, one worker process per digest, with a time and memory limit.

WeasyPrint is single-threaded and costs about 25 ms a page, so digests are spread over the
cores. Each digest gets a fresh forked process rather than a long-lived pool worker: a digest
that runs too long can then be killed without losing the others' work, and a memory limit set
with `setrlimit` applies to that digest alone. Forking is cheap next to a render, and the child
inherits the imported WeasyPrint and a warm fontconfig cache from the parent.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from builder import render_pdf as rp
from builder.cache import DigestCache, Entry
from builder.render_pdf import PdfJob, PdfResult, Problem


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0  # seconds of wall time per digest
    memory_mb: int = 1024  # address space a worker may add to what it inherits
    workers: int = 0  # 0: one per core


@dataclass
class _Running:
    job: PdfJob
    key: str
    process: Any  # multiprocessing.Process (typed loosely: the context's class is private)
    conn: Connection
    deadline: float


def _context() -> Any:
    # fork shares the parent's imported modules and font caches; elsewhere spawn still works
    # because jobs and results are plain picklable data.
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _worker(job: PdfJob, conn: Connection, memory_mb: int) -> None:
    """Entry point of a worker process: limit memory, render, send the result, exit."""
    try:
        _limit_memory(memory_mb)
        result = rp.render_pdf(job)
    except MemoryError:
        result = PdfResult(job.name, None, 0, (_too_big(job, memory_mb),))
    except Exception as exc:  # a bug in a library must not hang the build: report it
        result = PdfResult(job.name, None, 0, (Problem(f"rendering failed: {exc!r}"),))
    try:
        conn.send(result)
    finally:
        conn.close()


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the process already maps plus `memory_mb`.

    The forked child already maps the parent's interpreter and libraries, so an absolute cap would
    mean different things on different machines; a cap relative to the start is the budget of
    this one digest.
    """
    current = _mapped_bytes()
    limit = current + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _too_big(job: PdfJob, memory_mb: int) -> Problem:
    return Problem(
        f"stopped: needed more than {memory_mb} MB of memory",
        "split the region's briefings into shorter periods, or raise digest.memory_mb",
    )


def run(
    jobs: Sequence[tuple[PdfJob, str]],
    cache: DigestCache,
    limits: Limits,
) -> list[PdfResult]:
    """Render (job, cache key) pairs; results in the order of `jobs`, whatever finished first."""
    results: dict[str, PdfResult] = {}
    todo: list[tuple[PdfJob, str]] = []
    for job, key in jobs:
        entry = cache.get(key, job.name)
        if entry is None:
            todo.append((job, key))
        else:
            warnings = tuple(Problem(m, h, error=False) for m, h in entry.warnings)
            results[job.name] = PdfResult(job.name, entry.pdf, entry.pages, warnings)
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
                proc = ctx.Process(
                    target=_worker, args=(job, child_end, limits.memory_mb), daemon=True
                )
                proc.start()
                child_end.close()  # the child holds its own copy; EOF then means it died
                running[parent_end] = _Running(
                    job, key, proc, parent_end, time.monotonic() + limits.timeout
                )
            next_deadline = min(r.deadline for r in running.values())
            ready = wait(list(running), timeout=max(0.0, next_deadline - time.monotonic()))
            for conn in ready:
                assert isinstance(conn, Connection)
                done = running.pop(conn)
                result = _receive(done, limits)
                results[done.job.name] = result
                if result.ok and result.pdf is not None:
                    kept = tuple((p.message, p.hint) for p in result.problems)
                    cache.put(done.key, Entry(result.pdf, result.pages, kept))
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
    finally:
        for leftover in running.values():  # an interrupt (Ctrl-C) must not leave orphans
            _stop(leftover)
    return [results[job.name] for job, _ in jobs]


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
    return result


def _stop(running: _Running) -> None:
    running.process.kill()
    running.process.join()
    running.conn.close()
