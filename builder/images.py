"""The one image rule, for the site, the PDF digests, `check` and `serve` alike (docs/files.md).

A briefing's `![alt](src)` may name:
- a local image: a path relative to the briefing's file, inside content/, read under the file
  rules (builder/files.py), and really a PNG, JPEG, GIF or WebP (by its first bytes). The site
  publishes it fingerprinted as `images/<name>.<hash>.<ext>`; a digest embeds it.
- a `data:image/...` URL: kept as it is.
- a remote `http(s)://` image: refused unless site.yaml says `images: {remote: true}`; then the
  site links it and the digest (which loads nothing from the network) leaves it out, warning.
Anything else (`file:`, `javascript:`, `//host`, a path out of content/) is an error at the
image's line and column.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder import files
from builder.assets import fingerprinted

FOLDER = "images"  # in the site: /images/<name>.<hash>.<ext>

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_LOCAL_HINT = "use a PNG, JPEG, GIF or WebP file under content/, by a path relative to this file"


@dataclass(frozen=True)
class Refused:
    """An image the rule does not allow; `error` False: allowed but left out (a warning)."""

    message: str
    hint: str
    error: bool = True


@dataclass(frozen=True)
class Local:
    path: Path  # resolved
    data: bytes

    @property
    def site_path(self) -> str:
        """Where the site publishes it (output path, no leading slash)."""
        return f"{FOLDER}/{fingerprinted(self.path.name, self.data)}"


@dataclass(frozen=True)
class Passed:
    """A data: URL, or a remote URL the settings allow: used as written."""

    url: str
    remote: bool


Resolved = Local | Passed | Refused


def resolve(src: str, source: Path, content: Path, root: Path, *, remote: bool) -> Resolved:
    """What `src`, written in the briefing file `source`, may be."""
    if src.startswith("data:image/"):
        return Passed(src, remote=False)
    parts = urlsplit(src)
    if parts.scheme in ("http", "https") and parts.netloc:
        if remote:
            return Passed(src, remote=True)
        return Refused(
            f"remote image '{src}' is not allowed",
            "copy it under content/ and use a relative path, or allow remote images with "
            "'images: {remote: true}' in site.yaml",
        )
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return Refused(f"image '{src}' cannot be loaded", _LOCAL_HINT)
    lexical = Path(posixpath.normpath((source.parent / unquote(parts.path)).as_posix()))
    if not lexical.is_relative_to(content):
        return Refused(f"image '{src}' is outside content/", _LOCAL_HINT)
    if not lexical.exists() and not lexical.is_symlink():
        return Refused(f"image '{src}' not found", "check the path, relative to this file")
    try:
        data = files.read_bytes(lexical, (root, content))
    except files.Unreadable as exc:
        return Refused(f"image '{src}': {exc.message}", exc.hint or _LOCAL_HINT)
    if _kind(data) is None:
        return Refused(f"image '{src}' is not a PNG, JPEG, GIF or WebP file", _LOCAL_HINT)
    return Local(lexical.resolve(), data)


def _kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None
