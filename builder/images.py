"""The one image rule, for the site, the PDF digests, `check` and `serve` alike (docs/files.md).

A briefing's `![alt](src)` may name:
- a local image: a path relative to the briefing's file, inside content/, read under the file
  rules (builder/files.py), and really an intact PNG, JPEG, GIF or WebP of at most 40 megapixels
  (by its content, read with Pillow). The site
  publishes it fingerprinted as `images/<name>.<hash>.<ext>`; a digest embeds it.
- a base64 `data:` URL: checked as a local file is, then kept as it is.
- a remote `http(s)://` image: refused unless site.yaml says `images: {remote: true}`; then the
  site links it and the digest (which loads nothing from the network) leaves it out, warning.
Anything else (`file:`, `javascript:`, `//host`, a path out of content/) is an error at the
image's line and column.
"""

from __future__ import annotations

import base64
import io
import posixpath
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder import files
from builder.assets import fingerprinted

FOLDER = "images"  # in the site: /images/<name>.<hash>.<ext>

FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}
# 40 megapixels: a large photo; beyond, decoding one for a PDF takes hundreds of MB (a small
# file can declare 100,000 x 100,000 pixels: a decompression bomb).
MAX_PIXELS = 40_000_000
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
        # A name safe in any URL: `chart #2 (final).png` would break the src at '#'.
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", self.path.stem).strip("-") or "image"
        suffix = re.sub(r"[^A-Za-z0-9.]", "", self.path.suffix)
        return f"{FOLDER}/{fingerprinted(stem + suffix, self.data)}"


@dataclass(frozen=True)
class Passed:
    """A data: URL, or a remote URL the settings allow: used as written."""

    url: str
    remote: bool


Resolved = Local | Passed | Refused


def resolve(src: str, source: Path, content: Path, root: Path, *, remote: bool) -> Resolved:
    """What `src`, written in the briefing file `source`, may be."""
    if src.startswith("data:"):
        problem = _check(_data_url(src))
        if problem is not None:
            return Refused(f"data: image {problem}", "embed a PNG, JPEG, GIF or WebP, base64")
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
    problem = _check(data)
    if problem is not None:
        return Refused(f"image '{src}' {problem}", _LOCAL_HINT)
    return Local(lexical.resolve(), data)


def _data_url(src: str) -> bytes:
    """The bytes of a base64 `data:` URL (b"" when it is something else)."""
    head, _, payload = src.partition(",")
    if not head.endswith(";base64"):
        return b""
    try:
        return base64.b64decode(unquote(payload), validate=False)
    except ValueError:
        return b""


def _check(data: bytes) -> str | None:
    """Why the bytes are no usable image (format by content, size, integrity), or None."""
    import PIL.Image  # here: most builds check no image, and Pillow takes 20 ms to import

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PIL.Image.DecompressionBombWarning)
            with PIL.Image.open(io.BytesIO(data)) as image:  # reads the header only
                kind, (width, height) = image.format, image.size
                if kind not in FORMATS:
                    return "is not a PNG, JPEG, GIF or WebP file"
                if width * height > MAX_PIXELS:
                    return f"is {width} x {height} pixels, more than {MAX_PIXELS:,} in all"
                image.verify()  # checksums and structure, without decoding the pixels
    except (PIL.UnidentifiedImageError, PIL.Image.DecompressionBombWarning):
        return "is not a PNG, JPEG, GIF or WebP file"
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return f"is damaged ({exc or 'truncated'})"
    return None
