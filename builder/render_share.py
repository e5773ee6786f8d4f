"""The page plan rendered in one process or, on a cold build, shared with forked workers.

Every page leaves a record (`PageDone`): its bytes, its body, the problems reported while it was
rendered, a template failure, the body images it added. The records are applied in page order
(render_html), so a build with workers reports the same problems in the same order, fills the
same bodies and publishes the same bytes as a build in one process:
- a problem first met on page 7 by one worker and on page 3 by another is reported at page 3,
  as one process would; the report's de-duplication keeps the first;
- the memo and the source cache of each worker (the signatures and hashes of what it rendered,
  the Markdown it rendered for the next warm build) are merged into this process's.

Workers pay off only when there is much to render: a cold build, a new version of the code, a
template changed. A warm build reuses nearly every page, and the preview's incremental path
renders a few; both stay in one process (`PARALLEL_FROM`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder import forked
from builder.errors import Report, SourceError
from builder.markdown import Body

if TYPE_CHECKING:
    from builder.buildcache import SourceCache
    from builder.memo import Memo

# Pages to render before workers are forked: below it, forking, pickling the results back and
# merging cost more than they save (a worker's start is ~1 ms, but the results of 500 pages
# are ~15 MB to send back).
PARALLEL_FROM = 500
# Chunks: large ones first, as neighbours share figure values and charts (a process formats and
# draws what it shows itself: 48 equal chunks a process cost a fifth more CPU than 4); then
# smaller and smaller ones, each a share of what is left, so that the processes finish together
# (with four equal chunks a process, one idled for up to a chunk: 0.4 s of a 2.4 s render).
SHARE = 2  # each chunk is 1/(SHARE * jobs) of the pages not yet in a chunk
SMALLEST = 24  # pages: below it, a chunk's start costs more than the balance gains

# (path, line, message) of a template error
Failure = tuple[str, int, str]
# One page: its bytes (None when its template failed), its rendered body, the failure.
Rendered = tuple[bytes | None, Body | None, Failure | None]


@dataclass(frozen=True)
class PageDone:
    index: int  # in the page plan
    output: bytes | None
    body: Body | None
    failure: Failure | None
    problems: tuple[SourceError, ...]  # reported while rendering it
    images: tuple[tuple[str, bytes], ...]  # body images it added (output path, bytes)


@dataclass(frozen=True)
class _Share:
    """What one process rendered, with what its caches learned while doing it."""

    pages: list[PageDone]
    memo: Any  # Memo.taken() (the kind of memo this build has)
    sources: Any  # SourceCache.taken()


def render(
    targets: Sequence[str],
    one: Callable[[int], Rendered],
    report: Report,
    images: dict[str, bytes],
    *,
    jobs: int,
    memo: Memo | None,
    sources: SourceCache | None,
    progress: Callable[[int, int], None] | None = None,
    failing: Callable[[int, Failure], None] = lambda index, failure: None,
    before_fork: Callable[[], None] = lambda: None,
) -> list[PageDone]:
    """`one(i)` for the page of each output path in `targets`, in up to `jobs` processes; the
    records in page order. Problems and images stay in `report` and `images` in page order as
    well, and `failing` is told of each page's template failure in that order, after its
    problems. `before_fork`: work every process would otherwise repeat
    (compiling the templates), done once here when there will be workers."""
    count = len(targets)
    # Reusing a page is a read and a hash: only pages the memo does not know are worth workers.
    new = sum(1 for t in targets if not memo.knows(t)) if memo is not None else count
    if jobs <= 1 or new < PARALLEL_FROM or not forked.available():
        tick = _tick(progress, count)
        return _pages([range(count)], one, report, images, tick, failing)
    chunks = _chunks(count, jobs)
    problems_from, images_from = len(report.items), len(images)

    parent = os.getpid()

    def work(numbers: Iterator[int], done: Callable[[int], None]) -> _Share:
        if os.getpid() != parent:
            for cache in (memo, sources):
                if cache is not None:
                    cache.in_worker()
        ranges = (chunks[n] for n in numbers)
        pages = _pages(ranges, one, report, images, done, None)
        return _Share(
            pages,
            memo.taken() if memo is not None else None,
            sources.taken() if sources is not None else None,
        )

    before_fork()
    shares = forked.run(len(chunks), jobs, work, _tick(progress, count))
    # This process's own problems and images were added as it went: take them back out, to be
    # added again in page order with everyone else's.
    report.take_since(problems_from)
    for path in list(images)[images_from:]:
        del images[path]
    done: list[PageDone] = []
    for share in shares[1:]:
        if memo is not None:
            memo.absorb(share.memo)
        if sources is not None:
            sources.absorb(share.sources)
    for share in shares:
        done += share.pages
    done.sort(key=lambda d: d.index)
    for d in done:
        report.extend(d.problems)
        for path, data in d.images:
            images.setdefault(path, data)
        if d.failure is not None:
            failing(d.index, d.failure)
    return done


def _tick(progress: Callable[[int, int], None] | None, total: int) -> Callable[[int], None]:
    return (lambda n: progress(n, total)) if progress is not None else (lambda n: None)


def _chunks(count: int, jobs: int) -> list[range]:
    """The pages cut into chunks of decreasing size (guided self-scheduling), in page order."""
    out = []
    start = 0
    while start < count:
        size = max(SMALLEST, -(-(count - start) // (SHARE * jobs)))
        out.append(range(start, min(count, start + size)))
        start += size
    return out


def _pages(
    chunks: Iterable[range],
    one: Callable[[int], Rendered],
    report: Report,
    images: dict[str, bytes],
    done: Callable[[int], None],
    failing: Callable[[int, Failure], None] | None,
) -> list[PageDone]:
    out = []
    for chunk in chunks:
        for index in chunk:
            problems, pictures = len(report.items), len(images)
            output, body, failure = one(index)
            added: tuple[tuple[str, bytes], ...] = ()
            if len(images) != pictures:  # rare: most bodies have no image of their own
                added = tuple(list(images.items())[pictures:])
            out.append(
                PageDone(index, output, body, failure, tuple(report.items[problems:]), added)
            )
            if failing is not None and failure is not None:
                failing(index, failure)
            done(len(out))
    return out
