"""The no-op build: `briefings build` run again with nothing changed keeps the last build whole.

As make and ninja skip a step whose inputs did not change, the command line asks `reuse` before
it loads the build's heavy modules; when the last build still stands it prints that build's
warnings and counts again and writes nothing. After every build that publishes the site,
`record` writes `<root>/.cache/build/manifest.marshal`, holding:
- the stamp (size, mtime, ctime, inode) of every file and the name of every folder under the
  content and templates folders (catalogs and static files included), so an edit, an addition
  or a removal shows;
- the builder's code version (version.py), the versions of WeasyPrint and Pagefind when their
  stages run, the options that change the output (folders, drafts, strict, pdf, search),
  SOURCE_DATE_EPOCH and, with PDFs on, the font cache's folder;
- the build date in the site's time zone: a briefing dated in the future appears the day it is
  due, with no file changing;
- the problems the build reported (printed again, in full with --verbose) and its counts;
- the stamp of every file and folder of the published site, taken after publishing, so a site
  edited, added to or emptied by hand is built again.

Stamps are trusted as make trusts mtimes, with two guards:
- The ctime is part of a stamp: every write, rename or `touch` sets it and no program can set it
  back, so an edit that restores the mtime, or a copy put in a file's place, does not match.
- A file changed in the same clock tick as its stamp was taken could change again without its
  stamp changing ("racily clean", in git's words). A source that new when the build starts gets
  no manifest written (the next build is a normal warm one and records it); a site file that
  new (the build has just written it) has its sha256 recorded, and `reuse` reads and hashes it.
  A tick is at most a few milliseconds on Linux's file systems; FAT and some network file
  systems keep whole seconds (or two), recognisable by stamps with no fraction of a second.

A manifest that is missing, unreadable, corrupt, of another format or with any field of the
wrong shape is discarded, never trusted; a build that does not reuse removes it before it
starts, so a failed or interrupted build leaves none. Sources holding a symbolic link get no
manifest: the file a link leads to can change with no stamp under the source folders changing.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import time
from dataclasses import dataclass
from pathlib import Path

from builder import atomic
from builder.errors import Report, Severity, SourceError
from builder.options import Options, Run, build_date
from builder.progress import Stages
from builder.version import code_version, package_versions

FILE_NAME = "manifest.marshal"
FORMAT = 1
SECOND = 1_000_000_000
FINE_NS = SECOND // 10  # far above a Linux clock tick, the granularity of local file systems
COARSE_NS = 2 * SECOND  # FAT's mtimes are even seconds

# (size, mtime ns, ctime ns, inode) of a file, a link or a special file
Stamp = tuple[int, int, int, int]
# every file's stamp by its path below the folder, and the folders, sorted
Tree = tuple[dict[str, Stamp], list[str]]
# a problem of the build: path, line, column, message, hint, severity
Item = tuple[str, int, int, str, str, str]


class Links(Exception):
    """A source folder holds a symbolic link."""


@dataclass(frozen=True)
class Start:
    """What `begin` found before the build read anything."""

    started: int  # time.time_ns() just before the sources were stamped
    key: tuple[str | bool, ...]
    sources: dict[str, Tree]


@dataclass(frozen=True)
class Reused:
    """The last build, standing: what the command line prints for it."""

    report: Report
    outputs: int
    briefings: int
    stages: Stages


def begin(options: Options) -> Start | None:
    """For a build that publishes with its caches on: remove the last manifest (this build
    replaces it) and stamp the sources before the build reads them. None: record nothing."""
    if options.run is not Run.BUILD or not options.cache:
        return None
    _remove(options)
    started = time.time_ns()
    try:
        return Start(started, _key(options), _sources(options))
    except (Links, OSError):
        return None


def record(
    options: Options,
    start: Start | None,
    report: Report,
    outputs: dict[str, bytes],
    marker: tuple[str, bytes],
    briefings: int,
    timezone: str,
) -> None:
    """Write the manifest of a build that has just published `outputs` (and the marker file)."""
    if start is None:
        return
    stamps = (s for files, _ in start.sources.values() for s in files.values())
    if any(_racy(s, start.started) for s in stamps):
        return
    # The build read its date in the site's time zone at some moment between the two.
    day = build_date(timezone, start.started / SECOND)
    if build_date(timezone) != day:
        return
    try:
        site = _scan(options.out_dir, links=True)
    except OSError:
        return
    now = time.time_ns()
    hashes = {}
    for path, stamp in site[0].items():
        if _racy(stamp, now):
            data = marker[1] if path == marker[0] else outputs.get(path)
            if data is None:  # a file no build made: the site is not what was published
                return
            hashes[path] = hashlib.sha256(data).hexdigest()
    items = [(e.path, e.line, e.col, e.message, e.hint, e.severity.value) for e in report.items]
    body = (start.key, start.sources, timezone, day.isoformat(), items, len(outputs), briefings)
    data = marshal.dumps(("briefings-manifest", FORMAT, body, site, hashes))
    atomic.save_cache(options.cache_dir / FILE_NAME, data)


def reuse(options: Options) -> Reused | None:
    """The last build, when nothing it read or wrote has changed since; else None."""
    if options.run is not Run.BUILD or not options.cache:
        return None
    stages = Stages()
    with stages.stage("check") as stage:
        try:
            raw = (options.cache_dir / FILE_NAME).read_bytes()
        except OSError:
            return None
        try:
            found = _check(options, raw)
        except (Links, OSError):
            return None
        except Exception:  # a corrupt manifest or one of another shape: never trusted
            return None
        if found is None:
            return None
        report, outputs, briefings, stamped = found
        stage.files = stamped
        stage.note = "nothing changed since the last build: its site is kept, nothing written"
    return Reused(report, outputs, briefings, stages)


def _check(options: Options, raw: bytes) -> tuple[Report, int, int, int] | None:
    """(the report, outputs, briefings, files stamped) of the manifest `raw` if it still
    stands. Any field of an unexpected shape raises: the caller discards the manifest."""
    kind, version, body, site, hashes = marshal.loads(raw)
    if (kind, version) != ("briefings-manifest", FORMAT):
        return None
    key, sources, timezone, day, items, outputs, briefings = body
    if key != _key(options) or build_date(str(timezone)).isoformat() != day:
        return None
    if sources != _sources(options):
        return None
    if _scan(options.out_dir, links=True) != site:
        return None
    for path, sha in hashes.items():
        data = (options.out_dir / path).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            return None
    report = Report(options.root.resolve())
    report.extend(_item(i) for i in items)
    stamped = sum(len(t[0]) for t in sources.values()) + len(site[0])
    return report, int(outputs), int(briefings), stamped


def _item(item: Item) -> SourceError:
    path, line, col, message, hint, severity = item
    return SourceError(str(path), int(line), int(col), str(message), str(hint), Severity(severity))


def _key(options: Options) -> tuple[str | bool, ...]:
    """Everything besides the files that decides what the build makes."""
    names: tuple[str, ...] = ()
    fonts = ""
    if options.pdf:
        # The digests' fonts are pinned by checksum (in the code) and verified where they are
        # used, so only where they are kept counts, not what the cache holds (whose first
        # fetch would otherwise cost a second build): the digest cache keys PDFs the same way.
        from builder.fonts import cache_folder

        names += ("weasyprint", "pydyf")
        fonts = str(cache_folder(options.root.resolve()))
    if options.search:
        names += ("pagefind", "pagefind-bin-extended")
    return (
        code_version(),
        package_versions(names),
        str(options.root.resolve()),
        str(options.content_dir),
        str(options.templates_dir),
        str(options.out_dir),
        options.drafts,
        options.strict,
        options.pdf,
        options.search,
        os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
        fonts,
    )


def _sources(options: Options) -> dict[str, Tree]:
    """The stamps of every source folder; raises Links when one holds a symbolic link."""
    trees = {
        "content": _scan(options.content_dir, links=False),
        "templates": _scan(options.templates_dir, links=False),
    }
    return trees


def _scan(folder: Path, *, links: bool) -> Tree:
    """Every file's stamp and every folder below `folder` (os.scandir: pathlib cost a third)."""
    top = os.fspath(folder)
    skip = len(top) + 1
    files: dict[str, Stamp] = {}
    dirs: list[str] = []
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if not links and entry.is_symlink():
                    raise Links(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    dirs.append(entry.path[skip:])
                    stack.append(entry.path)
                else:
                    st = entry.stat(follow_symlinks=False)
                    stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                    files[entry.path[skip:]] = stamp
    dirs.sort()
    return files, dirs


def _racy(stamp: Stamp, taken: int) -> bool:
    """Whether a file could have changed after `taken` and kept this stamp (see the top)."""
    ctime = stamp[2]
    return ctime >= taken - (COARSE_NS if ctime % SECOND == 0 else FINE_NS)


def _remove(options: Options) -> None:
    # Failing is harmless: a manifest vouches for itself, since it names the site it was
    # written with, and whatever build follows changes that site or the inputs.
    with contextlib.suppress(OSError):
        (options.cache_dir / FILE_NAME).unlink(missing_ok=True)
