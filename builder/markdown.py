"""Markdown bodies: markdown-it-py with raw HTML off, tables, heading anchors, briefing links.

A link to another briefing is written as its content path (`../2023/other.md#anchor`), relative
to the file; it is resolved to that briefing's page in the same language (or its original when
there is no translation). A link to a content file that is not a published briefing is an error
at the link's line and column. Links to a heading (`#anchor`) are recorded in the Body: the
headings of the page they lead to are known once every body is rendered (render_html checks them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from builder import markdown_fast
from builder.errors import Report
from builder.images import Refused
from builder.links import NOT_LOADED, linked_file


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # its text and inline code, as its anchor is made from (not its markup)
    anchor: str


@dataclass(frozen=True)
class HeadingLink:
    """A link to a heading of another briefing, where it is written: checked after rendering."""

    target: str  # the content file linked to (absolute, normalised)
    anchor: str
    href: str  # as written
    line: int
    col: int


@dataclass(frozen=True)
class Body:
    html: str
    headings: tuple[Heading, ...]
    heading_links: tuple[HeadingLink, ...] = ()


def make_parser() -> MarkdownIt:
    # "commonmark" enables raw HTML by default: editors' text must never inject markup.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.core.ruler.at("normalize", _normalize)
    anchors_plugin(md, min_level=2, max_level=3)
    return md


def _normalize(state: StateCore) -> None:
    """markdown-it's first core rule, with the same effect: CR LF and a lone CR to LF, NUL to
    U+FFFD. markdown-it's own runs two regular expressions over every body, the first replacing
    each LF with itself: ~0.02 ms a body, 4% of its parse on the synthetic archive, for text that
    seldom has a CR or a NUL (tests/test_markdown.py holds it to markdown-it's)."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


_PARSER = make_parser()
_ANCHOR_TEXT = ("text", "code_inline")  # what anchors_plugin makes a heading's slug of
# For PDF digests: markdown-it silently leaves `![x](file:///etc/passwd)` as text, but a digest must
# fail on such an image with its position, so every image URL reaches the image resolver; links
# are still held to markdown-it's rules (see _resolve_images).
_ALL_IMAGES = make_parser()
_ALL_IMAGES.validateLink = lambda url: True  # type: ignore[method-assign]

# Resolves a content file (absolute, normalised) to a page URL, or None when it is no briefing.
LinkResolver = Callable[[Path], str | None]
# Resolves an image's src to the URL to load it from, or says why it may not be (images.py).
ImageResolver = Callable[[str], str | Refused]


def render(
    source: str,
    path: Path,
    first_line: int,
    resolve: LinkResolver,
    report: Report,
    images: ImageResolver | None = None,
    nest: str | None = None,
) -> Body:
    """Render a briefing body; `first_line` is the file line where `source` starts.

    `nest` (a briefing slug, for a digest that holds several bodies under their titles): every
    heading one level down, and its id and the body's own `#...` links prefixed by the slug.

    With `images`, every image is checked and its src replaced by what the resolver returns;
    one it refuses is an error (or warning) at its position, and loses its src.
    """
    if nest is None:
        fast = markdown_fast.render(source, path, resolve, images)
        if fast is not None:
            html, anchored = fast
            return Body(html, tuple(Heading(*h) for h in anchored))
    env: dict[str, object] = {}
    parser = _PARSER if images is None else _ALL_IMAGES
    tokens = parser.parse(source, env)
    if nest is not None:
        _nest(tokens, nest)  # before links are rewritten: only the body's own '#...' links
    lines = source.split("\n")
    headings = []
    heading_links: list[HeadingLink] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.attrGet("id"):
            text = "".join(
                c.content for c in tokens[i + 1].children or [] if c.type in _ANCHOR_TEXT
            )
            headings.append(Heading(int(tok.tag[1]), text, str(tok.attrGet("id"))))
        if tok.type == "inline" and tok.children:
            _rewrite_links(tok, lines, path, first_line, resolve, report, heading_links)
            if images is not None:
                _resolve_images(tok, lines, path, first_line, images, report)
    html = parser.renderer.render(tokens, parser.options, env)
    return Body(html, tuple(headings), tuple(heading_links))


def _rewrite_links(
    inline: Token,
    lines: list[str],
    path: Path,
    first_line: int,
    resolve: LinkResolver,
    report: Report,
    heading_links: list[HeadingLink],
) -> None:
    for child in inline.children or []:
        if child.type != "link_open":
            continue
        href = str(child.attrGet("href") or "")
        linked = linked_file(href, path)
        if linked is None:
            continue
        target, fragment = linked
        url = resolve(target)
        if url == NOT_LOADED:
            continue
        if url is None:
            line, col = _locate(href, lines, inline.map)
            report.error(
                path,
                first_line + line,
                col,
                f"broken link to '{href}'",
                "link to another briefing by its path, e.g. ../2024/slug.md",
            )
            continue
        if fragment:
            line, col = _locate(href, lines, inline.map)
            anchor = unquote(fragment)
            heading_links.append(HeadingLink(str(target), anchor, href, first_line + line, col))
        child.attrSet("href", url + (f"#{fragment}" if fragment else ""))


def _nest(tokens: list[Token], slug: str) -> None:
    """Headings one level down (the briefing title above them is an h2), ids and fragment links
    prefixed with `slug--`: two briefings in one digest may both have a '## Key points'."""
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close") and int(tok.tag[1]) < 6:
            tok.tag = f"h{int(tok.tag[1]) + 1}"
        if tok.type == "heading_open" and tok.attrGet("id"):
            tok.attrSet("id", f"{slug}--{tok.attrGet('id')}")
        for child in tok.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and href.startswith("#"):
                child.attrSet("href", f"#{slug}--{href[1:]}")


def _locate(href: str, lines: list[str], span: list[int] | None) -> tuple[int, int]:
    """Line offset and 1-based column of `href` within the block that holds it."""
    start, end = span if span else (0, len(lines))
    for n in range(start, min(end, len(lines))):
        col = lines[n].find(href)
        if col >= 0:
            return n, col + 1
    return start, 1


def _resolve_images(
    inline: Token,
    lines: list[str],
    path: Path,
    first_line: int,
    images: ImageResolver,
    report: Report,
) -> None:
    for child in inline.children or []:
        if child.type == "link_open" and not validateLink(str(child.attrGet("href") or "")):
            # The permissive parser let it through; the site would show it as text, so it is
            # no link in the digest either (javascript:, file: ...).
            child.attrs.pop("href", None)
        if child.type != "image":
            continue
        src = str(child.attrGet("src") or "")
        target = images(src)
        if isinstance(target, Refused):
            line, col = _locate(src, lines, inline.map)
            say = report.error if target.error else report.warn
            say(path, first_line + line, col, target.message, target.hint)
            child.attrs.pop("src", None)
            continue
        child.attrSet("src", target)
