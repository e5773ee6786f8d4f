"""Saved web pages → title, date, publisher and paragraphs, with trafilatura doing the hard part.

trafilatura finds the main text and drops navigation, related-story lists and footers; it also
reads the page's metadata (Open Graph, `<meta>` dates). The byline the reader sees is found the
same way as in text dumps, on the page's visible lines, because it is what the editor checks
against and metadata dates are sometimes the time of a later edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
import trafilatura

from builder.ingest.byline import trailing_furniture
from builder.ingest.dates import find_dates, parse_date
from builder.ingest.extract_text import (
    Extracted,
    clean_line,
    extract_text,
    is_caption,
    is_chrome,
    is_footer,
)

_BLOCKS = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "blockquote",
    "br",
    "dd",
    "dt",
    "aside",
    "main",
]


_TITLE_SEPARATORS = re.compile(r"\s*(?:_|--|——|\s-\s|\s–\s|\s—\s|\|\s|｜|::)\s*")


@dataclass
class _Page:
    lines: list[str]  # the visible text, one block per line
    h1: str
    og_title: str
    title_tag: str


def visible_lines(html: str) -> _Page:
    """The page's text one block per line (as a dump would have it), and its title sources."""
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return _Page([], "", "", "")
    title_tag = clean_line(str(root.xpath("string(//head/title)")))
    og = root.xpath("//meta[@property='og:title']/@content")
    og_title = clean_line(str(og[0])) if og else ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    for img in root.iter("img"):
        # Image file names are furniture in a dump; a page's alt text often is the file name.
        img.drop_tree()
    h1 = clean_line(str(root.xpath("string(//h1)")))
    text = root.text_content()
    return _Page([clean_line(x) for x in str(text).split("\n")], h1, og_title, title_tag)


def choose_title(page: _Page, dump_title: str) -> str:
    """The headline the page's title sources agree on.

    The `<h1>` is sometimes the site's logo, `<title>` carries the site's name before or after
    the headline ("…_嘉兴市人民政府", "Hailing district - …"), and the line above the byline may
    be missing. Each source votes for its text (each part of `<title>` for itself); the text
    with most votes wins, ties going to og:title, then the visible headline, then `<h1>`.
    """
    parts = [p for p in _TITLE_SEPARATORS.split(page.title_tag) if p]
    votes: dict[str, int] = {}
    ranked = [page.og_title, dump_title, page.h1, *sorted(parts, key=len, reverse=True)]
    for cand in [page.og_title, dump_title, page.h1, page.title_tag, *parts]:
        if cand:
            votes[cand] = votes.get(cand, 0) + 1
    if not votes:
        return ""
    best = max(votes.values())
    return next(c for c in ranked if c and votes.get(c) == best)


def _table_layout(text: str) -> bool:
    # The extractor gives a table-layout page back as rows ("| 首页 | 政务公开 |"): navigation and
    # sidebar included. The visible lines after the byline are then the better body.
    lines = [x for x in text.split("\n") if x.strip()]
    return sum(x.lstrip().startswith("|") for x in lines) * 2 > len(lines)


def extract_html(html: str) -> Extracted:
    page = visible_lines(html)
    # The dump rules find the byline, the visible title and the captions on the page's lines.
    dump = extract_text("\n\n".join(x for x in page.lines if x))
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
    )
    title = choose_title(page, dump.title)
    if doc is None or isinstance(doc, dict) or not doc.text:
        dump.notes.append("page: the main text could not be told from the page furniture")
        dump.title = title or dump.title
        return dump

    result = Extracted(captions=dump.captions, notes=[])
    result.title = title or str(doc.title or "")
    result.date = dump.date or (parse_date(str(doc.date)) if doc.date else None)
    if result.date is None:
        result.notes.append("date: no publication date on the page or in its metadata")
    result.publisher = dump.publisher or str(doc.sitename or "")
    url = str(doc.url or "")
    result.url = url if re.match(r"^https?://\S+$", url) else ""
    if _table_layout(str(doc.text)):
        result.paragraphs = dump.paragraphs
        return result

    body: list[str] = []
    for raw in str(doc.text).split("\n"):
        line = clean_line(raw)
        if not line:
            continue
        if is_footer(line):
            break
        hits = find_dates(line)
        byline = bool(hits) and hits[0].labelled and len(line) < 120
        if line in (result.title, dump.title) or is_chrome(line) or byline:
            continue
        if len(line) < 40 and hits:
            continue
        if is_caption(line):
            if line not in result.captions:
                result.captions.append(line)
            continue
        body.append(line)
    drop = trailing_furniture(body)
    result.paragraphs = body[: len(body) - drop] if drop < len(body) else body
    return result
