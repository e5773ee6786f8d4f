"""What a run of the build is asked to do: `Options`, `Run`, and the build's date and epoch.

Kept apart from pipeline.py, with nothing heavy imported, so that the command line can decide
whether the last build still stands (manifest.py) before Jinja, Babel, markdown-it and pydantic
are loaded: importing those is a third of a second, more than a no-op build costs otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.digest_pool import Progress


class Run(Enum):
    """What a run of the site build is for: one setting instead of flags that imply each other."""

    BUILD = "build"  # make the site, index it for search, publish it into the output folder
    CHECK = "check"  # validate everything (the digests' HTML included), write nothing
    PREVIEW = "preview"  # `serve`: outputs in memory only; no search index, nothing published


@dataclass(frozen=True)
class Options:
    root: Path
    content: Path | None = None
    templates: Path | None = None
    out: Path | None = None
    drafts: bool = False
    strict: bool = False
    run: Run = Run.BUILD
    pdf: bool = True  # PDF digests (`--no-pdf` turns them off)
    # reuse what an earlier build made from the same inputs: digests (<root>/.cache/digests),
    # parsed front-matter and rendered Markdown (<root>/.cache/build), the whole last build
    # when nothing changed (manifest.py)
    cache: bool = True
    search: bool = True  # False for --no-search: no search pages, no Pagefind run
    jobs: int | None = None  # processes rendering a cold build's pages; None: one per core
    # Told how the digests are getting on while they render (the command line prints it).
    progress: Callable[[Progress], None] | None = None

    @property
    def content_dir(self) -> Path:
        return (self.content or self.root / "content").resolve()

    @property
    def templates_dir(self) -> Path:
        return (self.templates or self.root / "templates").resolve()

    @property
    def out_dir(self) -> Path:
        return (self.out or self.root / "site").resolve()

    @property
    def cache_dir(self) -> Path:
        """The build cache: sources, outputs' signatures, compiled templates, the manifest."""
        return self.root.resolve() / ".cache" / "build"


# 9999-12-30 23:59:59 UTC: the last second whose date exists in every time zone.
MAX_EPOCH = 253_402_214_399


class BadEnvironment(ValueError):
    """An environment variable the build reads holds something it cannot use."""


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970, or unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or int(value) > MAX_EPOCH:
        raise BadEnvironment(
            f"SOURCE_DATE_EPOCH={value!r} is not a time: give whole seconds since 1970-01-01 "
            f"UTC (0 to {MAX_EPOCH}), or unset it"
        )
    return int(value)


def build_date(timezone: str, at: float | None = None) -> dt.date:
    """Today in the site's time zone (or the day of the time `at`, seconds since 1970), or the
    day of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = source_date_epoch()
    zone = zoneinfo.ZoneInfo(timezone)
    moment = epoch if epoch is not None else (time.time() if at is None else at)
    return dt.datetime.fromtimestamp(moment, zone).date()
