"""Fingerprinted static assets: `style.css` is published as `style.<hash>.css`.

A name that changes whenever the bytes change lets the host cache assets forever (`immutable`)
while a new build still reaches every reader at once: the HTML, which is always revalidated,
points at the new name. Contexts (layout.py, page_data.py) ask for assets by their plain name
through `Assets.url`.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path

from builder import files, urls
from builder.errors import Report

HASH_LENGTH = 10  # 40 bits: collisions between versions of one small file are not a concern
# Also published under their plain name at the site root: browsers, feed readers and crawlers
# ask for /favicon.ico without reading any page (pages link the fingerprinted copies).
AT_ROOT = frozenset({"favicon.ico"})


@dataclass(frozen=True)
class Assets:
    names: dict[str, str]  # plain name ('style.css') -> published name ('style.3f2a9c0d1e.css')
    files: dict[str, bytes]  # output path ('static/style.3f2a9c0d1e.css') -> bytes

    def url(self, name: str) -> str:
        """The site-absolute URL of an asset; an unknown name raises, so a typo fails the build."""
        try:
            return urls.static(self.names[name])
        except KeyError:
            raise KeyError(f"no static asset {name!r} in templates/static/") from None


def fingerprinted(name: str, data: bytes) -> str:
    """`dir/name.ext` -> `dir/name.<hash>.ext`, the hash taken from the content."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    head, ext = posixpath.splitext(name)
    return f"{head}.{digest}{ext}"


def load_assets(templates: Path, report: Report) -> Assets:
    """Every file of templates/static/, read under the project's file rules (builder/files.py):
    a link out of the project (`notes.txt -> /etc/passwd`) is an error, never published."""
    base = templates / "static"
    inside = (report.root, templates)
    names: dict[str, str] = {}
    published: dict[str, bytes] = {}
    for path, is_folder in files.walk(base, inside, report):
        if is_folder:
            continue
        try:
            data = files.read_bytes(path, inside)
        except files.Unreadable as exc:
            report.error(path, 1, 1, exc.message, exc.hint)
            continue
        name = path.relative_to(base).as_posix()
        names[name] = fingerprinted(name, data)
        published[urls.output_path(urls.static(names[name]))] = data
        if name in AT_ROOT:
            published[name] = data
    return Assets(names, published)
