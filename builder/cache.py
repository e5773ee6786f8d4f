"""Content-hash cache of digest PDFs, so an unchanged digest is not laid out again.

A digest is keyed by the sha256 of everything that can change its bytes: the digest's HTML
(which already holds the briefings' texts and neutral data, the translated UI strings, the
settings and the cover date), the files it may load (stylesheets, images), the installed fonts,
the WeasyPrint version and the PDF options. Keys are content hashes, never mtimes, so a
`git checkout` that touches files without changing them costs nothing.

Entries live in `<root>/.cache/digests/<key>.pdf`, with `<key>.json` beside it holding the page
count and the warnings of the render (replayed on a hit, so a warm build reports what a cold one
does). Only successful renders are stored.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder import atomic

# Bump when the way digests are rendered changes in a way the inputs do not show.
CACHE_VERSION = "1"


def inputs_key(*parts: str | bytes) -> str:
    """sha256 over length-prefixed parts, so ('ab', 'c') and ('a', 'bc') differ."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """One hash over the names and contents of files (sorted: order never matters)."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(path.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    pdf: bytes
    pages: int
    warnings: tuple[tuple[str, str], ...]  # (message, hint) of each warning of the render


@dataclass
class DigestCache:
    """A folder of cached PDFs; `None` folder means a cache that never hits (tests, --no-cache)."""

    folder: Path | None
    hits: list[str] = field(default_factory=list)  # names of digests served from the cache
    misses: list[str] = field(default_factory=list)  # names of digests rendered
    used: set[str] = field(default_factory=set)

    def get(self, key: str, name: str) -> Entry | None:
        self.used.add(key)
        if self.folder is not None:
            pdf_path, meta_path = self._paths(key)
            try:
                meta = json.loads(meta_path.read_text("utf-8"))
                warnings = tuple((str(m), str(h)) for m, h in meta.get("warnings", ()))
                entry = Entry(pdf_path.read_bytes(), int(meta["pages"]), warnings)
            except (OSError, ValueError, KeyError, TypeError):
                entry = None  # absent or damaged: render again
            if entry is not None:
                self.hits.append(name)
                return entry
        self.misses.append(name)
        return None

    def put(self, key: str, entry: Entry) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        pdf_path, meta_path = self._paths(key)
        meta = {"pages": entry.pages, "warnings": [list(w) for w in entry.warnings]}
        # The PDF first, then the metadata: a reader only trusts an entry whose .json exists.
        atomic.write(pdf_path, entry.pdf)
        atomic.write(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))

    def prune(self) -> int:
        """Remove entries not used since this cache object was made; returns how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.iterdir():
            # Only names the cache gives (a 64-hex key): whatever else is there is not ours.
            if (
                path.suffix in (".pdf", ".json")
                and _KEY.fullmatch(path.stem)
                and path.stem not in self.used
                and not path.is_symlink()
            ):
                path.unlink(missing_ok=True)
                removed += path.suffix == ".pdf"
        return removed

    def _paths(self, key: str) -> tuple[Path, Path]:
        assert self.folder is not None
        return self.folder / f"{key}.pdf", self.folder / f"{key}.json"


_KEY = re.compile(r"[0-9a-f]{64}")
