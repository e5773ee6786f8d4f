"""Python's cycle collector during a build: off while loading, and blind to what was loaded.

A build makes millions of small objects (records, positions, rendered bodies) and almost no
garbage cycles. The collector scans the whole tracked heap each time it has grown by a quarter,
so on a large archive it scanned the same site model again and again: a cold load of 20,000
briefings took 2.5-4 times as long as ten loads of 2,000, and in a warm build of 20,000 about a
fifth of the time went to collections during rendering.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Loading makes no garbage cycles worth collecting: the collector is off, then back on."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# Objects allocated between two youngest-generation collections while rendering. A page makes
# tens of thousands of short-lived objects and a few cycles (Jinja's contexts): at Python's
# 700, a cold build of 2,000 briefings ran about 1,500 collections (0.5-0.6 s); at 20,000 it
# runs about 20 (0.3 s), collects as much, and peaks at the same memory.
RENDER_THRESHOLD = 20_000


def freeze_loaded() -> None:
    """Leave everything that exists now (the loaded site model, the caches) out of collections
    until `thawed_after` ends (`gc.freeze`); garbage made meanwhile, such as a template's
    cycles, is still collected, by scans of the new objects only, and less often."""
    gc.freeze()
    gc.set_threshold(RENDER_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def thawed_after(*, last: bool = False) -> Iterator[None]:
    """The block may call `freeze_loaded`; at its end every object is collectable again, and
    collections run as often as before.

    `last`: the process ends soon after the block, without tearing its heap down (the command
    line: __main__.py). The collector is then switched off: given the thawed heap, its next
    full collection scanned the whole site model for nothing while the report printed (0.58 s
    after a cold build of 20,000 briefings, none at 2,000)."""
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        if last:
            gc.disable()
        gc.unfreeze()
        gc.set_threshold(*threshold)
