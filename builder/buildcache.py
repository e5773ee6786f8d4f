"""The build cache: parsed front-matter and rendered Markdown bodies, reused across builds.

A warm build reads each content file (it must, to know it did not change) but parses neither its
YAML nor its Markdown again. Entries are keyed by content hashes, never by mtimes:
- front-matter by the sha256 of the file's text;
- a body by the sha256 of its Markdown, file, first line, language and page URL; a hit is used
  only when every link the body resolved still resolves to the same URL (the links are recorded
  with the HTML), so renaming or removing a linked briefing re-renders the bodies that link to it.

Everything lives in one file, `<root>/.cache/build/sources.marshal` (marshal: plain data only, no
objects are constructed on load, unlike pickle). Its header names the cache format, the Python
version and a hash of the builder's own code and parsers' versions; a file whose header differs,
or that fails to load or has the wrong shape, is discarded and rebuilt, never trusted. Only
results that reported no problem are stored (problems must be reported again on the next build),
and only entries the last build used are kept, so the file stays the size of the site.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from builder import atomic, forked
from builder.errors import Report
from builder.images import Refused
from builder.load import FrontMatter, split_front_matter, text_hash
from builder.markdown import Body, Heading, HeadingLink, ImageResolver, render
from builder.version import code_version
from builder.yamlsrc import Positions

# New files whose front-matter is worth parsing in forked workers: below it, forking and
# sending the results back cost about what they save.
AHEAD_FROM = 400
AHEAD_CHUNK = 40  # files a process takes at a time (~10 ms of parsing)
FORMAT = 3  # 2: bodies record the images they resolved; 3: and their links to headings
FILE_NAME = "sources.marshal"


def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _entry(fm: FrontMatter) -> tuple[Any, ...]:
    pos = fm.positions
    return (fm.data, pos.keys, pos.values, pos.start, fm.body, fm.body_line)


def _front(entry: tuple[Any, ...]) -> FrontMatter:
    data, keys, values, start, body, body_line = entry
    return FrontMatter(data, Positions(keys, values, start), body, body_line)


class SourceCache:
    """Front-matter and bodies by content hash; `None` folder: a cache that stores nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.version = code_version() if folder is not None else ""
        self._front: dict[str, Any] = {}
        self._bodies: dict[str, Any] = {}
        self._used_front: dict[str, Any] = {}
        self._used_bodies: dict[str, Any] = {}
        # (sha, text_hash, entry) of files parse_ahead read in this build, by path
        self._ahead: dict[str, tuple[str, str, Any]] = {}
        self.hits = 0
        self.misses = 0
        self.discarded = ""  # why an existing cache file was thrown away, for the summary
        if folder is not None:
            self._load(folder / FILE_NAME)

    def _load(self, path: Path) -> None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.discarded = f"unreadable ({exc.strerror})"
            return
        try:
            header, front, bodies = marshal.loads(raw)
            ok = isinstance(front, dict) and isinstance(bodies, dict)
        except Exception:  # marshal raises ValueError, EOFError or TypeError on bad data
            ok, header = False, None
        if not ok:
            self.discarded = "corrupt"
        elif header != ("briefings-build-cache", FORMAT, self.version):
            self.discarded = "made by another version"
        else:
            self._front, self._bodies = front, bodies

    def parse_ahead(
        self,
        paths: Sequence[Path],
        read: Callable[[Path, Report], str | None],
        root: Path,
        jobs: int,
    ) -> None:
        """Read and parse the front-matter of many new files in `jobs` processes (forked.py)
        before the build asks for them, file by file in its order, through `take_ahead`: the
        build then reads a file parsed ahead no second time, nor hashes its text again.

        Only clean results are kept: a file with a problem is read and parsed again when the
        build comes to it, so its problems are reported in their place. A cold build of 2,000
        briefings spends about two thirds of its load stage here.
        """
        if jobs <= 1 or len(paths) - len(self._front) < AHEAD_FROM or not forked.available():
            return
        # Small chunks: the processes finish within a chunk of each other. With eight chunks
        # (2,500 files each at 20,000 briefings, about a second of parsing) one process could
        # sit idle for most of a chunk while the other parsed its last.
        size = max(AHEAD_CHUNK, -(-len(paths) // forked.MAX_CHUNKS))
        parent = os.getpid()

        def work(
            numbers: Iterator[int], done: Callable[[int], None]
        ) -> dict[str, Any] | list[bytes]:
            found: dict[str, Any] = {}
            sent: list[bytes] = []
            child = os.getpid() != parent
            for number in numbers:
                for path in paths[number * size : (number + 1) * size]:
                    report = Report(root)  # thrown away: the build reports them in order
                    text = read(path, report)
                    fm = split_front_matter(text, path, report) if text is not None else None
                    if text is not None and fm is not None and not report.items:
                        found[str(path)] = (_sha(text), text_hash(text), _entry(fm))
                if child:
                    # A child's share goes back through a pipe. These are plain data, which
                    # marshal writes about three times as fast as pickle (0.25 s against 0.7 s
                    # for a child's half of 20,000 briefings), and reads a little faster; a
                    # chunk at a time, so that the writing is done while this process still
                    # parses, not after, while the other waits.
                    sent.append(marshal.dumps(found))
                    found = {}
            return sent if child else found

        for share in forked.run(-(-len(paths) // size), jobs, work):
            if isinstance(share, dict):
                self._ahead.update(share)
            else:
                for chunk in share:
                    self._ahead.update(marshal.loads(chunk))

    def take_ahead(self, path: Path) -> tuple[FrontMatter, str] | None:
        """The front-matter of a file `parse_ahead` read cleanly, and its `load.text_hash`;
        None when it was not parsed ahead (the caller reads and parses it)."""
        found = self._ahead.pop(str(path), None)
        if found is None:
            return None
        key, short, entry = found
        self.misses += 1  # parsed in this build
        if self.folder is not None:
            self._used_front[key] = entry
        return _front(entry), short

    def front_matter(self, text: str, path: Path, report: Report) -> FrontMatter | None:
        """`load.split_front_matter`, from the cache when this exact text was parsed before."""
        if self.folder is None:
            return split_front_matter(text, path, report)
        key = _sha(text)
        entry = self._front.get(key)
        if entry is not None:
            try:
                fm = _front(entry)
            except (TypeError, ValueError):
                fm = None  # a well-formed file of the wrong shape: parse again
            if fm is not None:
                self.hits += 1
                self._used_front[key] = entry
                return fm
        self.misses += 1
        before = len(report.items)
        fm = split_front_matter(text, path, report)
        if fm is not None and len(report.items) == before:
            self._used_front[key] = _entry(fm)
        return fm

    def body(
        self,
        source: str,
        path: Path,
        first_line: int,
        scope: str,
        resolve: Callable[[Path], str | None],
        report: Report,
        images: ImageResolver | None = None,
    ) -> Body:
        """`markdown.render` of a body for one page (`scope`: its language and URL), cached.

        A cached body is reused only while every link and image it resolved still resolves the
        same way; the image resolver is called again on a hit, since it also collects the image
        files the site publishes (and a changed image has a new fingerprinted URL).
        """
        if self.folder is None:
            return render(source, path, first_line, resolve, report, images)
        key = _sha(source, str(path), str(first_line), scope)
        entry = self._bodies.get(key)
        if entry is not None:
            try:
                html, headings, links, pictures, anchors = entry
                fresh = all(resolve(Path(target)) == url for target, url in links) and all(
                    images is not None and images(src) == url for src, url in pictures
                )
            except (TypeError, ValueError):
                fresh = False
            if fresh:
                self.hits += 1
                self._used_bodies[key] = entry
                return Body(
                    html,
                    tuple(Heading(*h) for h in headings),
                    tuple(HeadingLink(*a) for a in anchors),
                )
        self.misses += 1
        seen: list[tuple[str, str | None]] = []
        seen_images: list[tuple[str, str]] = []

        def recording(target: Path) -> str | None:
            url = resolve(target)
            seen.append((str(target), url))
            return url

        def recording_image(src: str) -> str | Refused:
            assert images is not None
            found = images(src)
            if isinstance(found, str):
                seen_images.append((src, found))
            return found

        before = len(report.items)
        body = render(
            source, path, first_line, recording, report, recording_image if images else None
        )
        if len(report.items) == before:
            headings = tuple((h.level, h.text, h.anchor) for h in body.headings)
            # Links to headings are kept, not checked here: the target's headings may change
            # while this body does not, so the check runs on every build (render_html).
            anchors = tuple((a.target, a.anchor, a.href, a.line, a.col) for a in body.heading_links)
            entry = (body.html, headings, tuple(seen), tuple(seen_images), anchors)
            self._used_bodies[key] = entry
        return body

    def in_worker(self) -> None:
        """In a forked render worker: keep only the bodies the worker uses, to send back with
        `taken` (render_share.py); the process that forked it has the rest."""
        self._used_bodies, self.hits, self.misses = {}, 0, 0

    def taken(self) -> tuple[dict[str, Any], int, int]:
        return (self._used_bodies, self.hits, self.misses)

    def absorb(self, taken: tuple[dict[str, Any], int, int]) -> None:
        bodies, hits, misses = taken
        self._used_bodies.update(bodies)
        self.hits += hits
        self.misses += misses

    def end_build(self, *, save: bool) -> None:
        """Keep what this build used (and write it when `save`); what it did not use is stale.

        The preview keeps one cache for all its rebuilds and saves none of them: its builds
        include drafts, and the next `briefings build` should not pay to load them.
        """
        if self.folder is None:
            return
        # Nothing parsed and nothing dropped (a warm build): the file already holds this.
        same = self._used_front.keys() == self._front.keys()
        same = same and self._used_bodies.keys() == self._bodies.keys()
        if save and not (same and self.misses == 0):
            self._save(self.folder)
        self._front, self._bodies = self._used_front, self._used_bodies
        self._ahead = {}
        self._used_front, self._used_bodies = {}, {}
        self.hits = self.misses = 0

    def _save(self, folder: Path) -> None:
        """Write the entries atomically; a failure to write costs speed only."""
        data = marshal.dumps(
            (("briefings-build-cache", FORMAT, self.version), self._used_front, self._used_bodies)
        )
        atomic.save_cache(folder / FILE_NAME, data)
