"""A site body rendered by markdown-it-pyrs (the Rust port of markdown-it), when it gives what
markdown.py's markdown-it-py parser would, byte for byte.

markdown-it-py is pure Python: ~0.5 ms a body, the largest cost of a cold build after Jinja. The
Rust port parses and renders the same CommonMark + tables ~12 times faster. It has no token stream
to rewrite, so what markdown.py does to tokens is done to its HTML instead, which is safe because
raw HTML is off: every `<a href="`, `<img src="` and `<hN>` in the output is the renderer's own.
- heading ids, as mdit_py_plugins' anchors plugin makes them (same slug and de-duplication);
- links to other briefings (`../2023/b.md`), resolved to their pages;
- image sources, resolved by the page's image resolver.

It vouches only for bodies like those it was held to markdown-it-py on: during development the
CommonMark spec's 652 examples, markdown-it-py's own fixtures and 77,000 generated bodies differ
only where the rules below send a body back; tests/test_markdown_fast.py keeps a body for each
rule and compares generated ones. Anything else, or anything that needs a position (a broken
link, a link to a heading, a refused image), returns None and markdown.py renders the body itself.
Without the wheel (none is built for Python 3.13 and later) every body takes markdown-it-py's
way: slower, the same bytes. The port's last release is from October 2024, so the fast way is
kept small enough to delete: markdown.py does not depend on it.
"""

from __future__ import annotations

import html as html_lib
import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.anchors.index import slugify, unique_slug

from builder.images import Refused
from builder.links import NOT_LOADED, linked_file

try:
    import markdown_it_pyrs
except ImportError:  # pragma: no cover - the wheel exists for every Python the CI runs
    markdown_it_pyrs = None  # type: ignore[assignment]

# markdown-it-py's "commonmark" preset with raw HTML off, plus tables (markdown.make_parser).
_RULES: list[Any] = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
    "reference", "autolink", "backticks", "emphasis", "entity", "escape", "image", "link",
    "newline", "table",
]  # fmt: skip
_PARSER = None
if markdown_it_pyrs is not None:
    _PARSER = markdown_it_pyrs.MarkdownIt("zero").enable_many(_RULES)

# Where the two renderers part (found on the spec and markdown-it-py's fixtures):
# - autolinks `<http://…>`: markdown-it-py decodes their text and punycodes hosts; `<` is rare in
#   prose (raw HTML is off), so any `<` sends the body back;
# - link reference definitions with line breaks in their titles: any `]:` does;
# - CR and NUL, which markdown.py normalises itself, and tabs (the port expands a tab after a
#   nested quote's `>` to other columns);
# - a fence left open at the end of a body without a final newline: the port ends its code with
#   one; bodies read from files end with a newline, others are sent back;
# - a backtick after an unclosed `[`: the port panics (markdown-it crate 0.6.0, code_pair.rs,
#   its issue #40); a body with both a backtick and a `[` is sent back, and any other panic too
#   (Rust prints it on stderr; the page is still rendered, by markdown-it-py);
# - where a table or a block quote ends: a line the two would read differently is sent back
#   (_plain_blocks);
# - an empty block quote, rendered with a newline inside;
# - a host that is not ASCII (`//☃.net`): markdown-it-py punycodes it, the port percent-encodes it;
# - block quotes and lists nested deeper than markdown-it-py's limit (20 levels of tokens), which
#   the port nests further: a body nested over _DEEPEST containers is sent back.
_SOURCE_REFUSED = ("<", "]:", "\r", "\0", "\t")
_EMPTY_QUOTE = "<blockquote>\n</blockquote>"
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r'<(a href|img src)="([^"]*)"')
_CONTAINER = re.compile(r"<(/?)(?:blockquote|ul|ol|li)[ >]")
_DEEPEST = 8  # containers (a list and its item are two); markdown-it-py's limit is far above

LinkResolver = Callable[[Path], "str | None"]
ImageResolver = Callable[[str], "str | Refused"]
# What markdown.render makes a Body of: the HTML and each anchored heading's (level, text, id).
Rendered = tuple[str, tuple[tuple[int, str, str], ...]]


def available() -> bool:
    return _PARSER is not None


def render(
    source: str, path: Path, resolve: LinkResolver, images: ImageResolver | None = None
) -> Rendered | None:
    """The body as markdown.render would make it for a page (not nested in a digest), or None
    when it cannot vouch for that (markdown.render then renders it itself)."""
    if _PARSER is None or any(s in source for s in _SOURCE_REFUSED):
        return None
    if not source.endswith("\n") or ("`" in source and "[" in source):
        return None
    if ("|" in source or ">" in source) and not _plain_blocks(source):
        return None
    try:
        out = _PARSER.render(source)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a Rust panic is a BaseException (pyo3's PanicException)
        return None
    if _EMPTY_QUOTE in out or "](" in out or _deep(out):
        # `](` left as text: a link or image whose URL markdown-it refuses (`javascript:`,
        # `file:`); markdown.py parses those as links to unlink and images to refuse by name.
        return None
    with_ids = _anchor_headings(out)
    if with_ids is None:
        return None
    out, headings = with_ids
    resolved = _resolve_urls(out, path, resolve, images)
    return None if resolved is None else (resolved, headings)


_DELIMITER_ROW = re.compile(r"^[ \t]*\|?[ \t]*:?-[-: \t|]*$")


def _plain_blocks(source: str) -> bool:
    """Whether every table and block quote ends where both renderers end it.

    markdown-it-py ends a table's body at a line that starts another block (a list item, say)
    and lets a list or a table interrupt a quote's lazy continuation lines; the port reads such
    lines as more rows or more of the quote. Where a `|` line meets a delimiter row without
    one, the port sees a heading or a table and markdown-it-py a one-column table or a list.
    Briefings write tables with a `|` on every row and quotes with a `>` on every line.
    """
    lines = source.split("\n")
    row = False  # inside a table's body
    for line, after in itertools.pairwise(lines):
        blank = not after.strip()
        if ">" in line and not blank and ">" not in after:
            return False
        if row:
            if "|" not in after and not blank:
                return False
            row = not blank
        elif _DELIMITER_ROW.match(after) and ("|" in line or "|" in after):
            if "|" not in line or "|" not in after:
                return False  # a one-column table or a heading, a list or a table
            row = True
    return True


def _deep(out: str) -> bool:
    depth = 0
    for m in _CONTAINER.finditer(out):
        depth += -1 if m.group(1) else 1
        if depth > _DEEPEST:
            return True
    return False


def _anchor_headings(out: str) -> Rendered | None:
    """Ids on h2 and h3, as anchors_plugin(min_level=2, max_level=3) sets them: the slug of
    the heading's text and inline code (not its images' alt text), de-duplicated in order."""
    headings: list[tuple[int, str, str]] = []
    slugs: set[str] = set()
    parts: list[str] = []
    last = 0
    for m in _HEADING.finditer(out):
        level, inner = int(m.group(1)), m.group(2)
        if level not in (2, 3):
            continue
        if "\n" in inner:
            return None  # a setext heading over several lines: its soft breaks are no text
        title = html_lib.unescape(_TAG.sub("", inner))
        anchor = unique_slug(slugify(title), slugs)
        parts.append(out[last : m.start()])
        parts.append(f'<h{level} id="{escapeHtml(anchor)}">{inner}</h{level}>')
        last = m.end()
        if anchor:
            headings.append((level, title, anchor))
    parts.append(out[last:])
    return "".join(parts), tuple(headings)


def _resolve_urls(
    out: str, path: Path, resolve: LinkResolver, images: ImageResolver | None
) -> str | None:
    """Links to other briefings' files replaced by their pages' URLs and image sources by what
    `images` makes of them, as markdown.py does to its tokens. None for a host the two
    libraries write differently, and for what needs a position: a broken link, a link to a
    heading, a refused image (markdown.py reports them, or leaves a link to a briefing that
    failed to load as written)."""
    parts: list[str] = []
    last = 0
    for m in _URL.finditer(out):
        url = html_lib.unescape(m.group(2))
        if "//" in url:
            host = urlsplit(url).netloc
            if "%" in host or "xn--" in host:
                return None
        new: str | Refused | None
        if m.group(1) == "img src":
            if images is None:
                continue
            new = images(url)
            if isinstance(new, Refused):
                return None
        else:
            linked = linked_file(url, path)
            if linked is None:
                continue
            target, fragment = linked
            new = None if fragment else resolve(target)
            if new is None or new == NOT_LOADED:
                return None
        parts.append(out[last : m.start(2)])
        parts.append(escapeHtml(new))
        last = m.end(2)
    parts.append(out[last:])
    return "".join(parts)
