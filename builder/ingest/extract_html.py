"""Saved web pages → title, date, publisher and paragraphs, with trafilatura doing the hard part.

trafilatura finds the main text and drops navigation, related-story lists and footers; it also
reads the page's metadata (Open Graph, `<meta>` dates). The byline the reader sees is found the
same way as in text dumps, on the page's visible lines, because it is what the editor checks
against and metadata dates are sometimes the time of a later edit.
"""

from __future__ import annotations

import re

import lxml.html
import trafilatura

from builder.ingest.dates import find_dates, parse_date
from builder.ingest.extract_text import (
    Extracted,
    clean_line,
    extract_text,
    is_caption,
    is_footer,
    is_widget,
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


def visible_lines(html: str) -> tuple[list[str], str]:
    """The page's text one block per line (as a dump would have it), and its first `<h1>`."""
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return [], ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    for img in root.iter("img"):
        # Image file names are furniture in a dump; a page's alt text often is the file name.
        img.drop_tree()
    h1 = root.xpath("string(//h1)")
    text = root.text_content()
    return [clean_line(x) for x in str(text).split("\n")], clean_line(str(h1))


def extract_html(html: str) -> Extracted:
    lines, h1 = visible_lines(html)
    # The dump rules find the byline, the visible title and the captions on the page's lines.
    dump = extract_text("\n\n".join(x for x in lines if x))
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
    )
    if doc is None or isinstance(doc, dict) or not doc.text:
        dump.notes.append("page: the main text could not be told from the page furniture")
        return dump

    result = Extracted(captions=dump.captions, notes=[])
    result.title = h1 or str(doc.title or "") or dump.title
    result.date = dump.date or (parse_date(str(doc.date)) if doc.date else None)
    if result.date is None:
        result.notes.append("date: no publication date on the page or in its metadata")
    result.publisher = dump.publisher or str(doc.sitename or "")
    url = str(doc.url or "")
    result.url = url if re.match(r"^https?://\S+$", url) else ""

    body: list[str] = []
    for raw in str(doc.text).split("\n"):
        line = clean_line(raw)
        if not line:
            continue
        if is_footer(line):
            break
        hits = find_dates(line)
        byline = bool(hits) and hits[0].labelled and len(line) < 120
        if line == result.title or is_widget(line) or byline or (len(line) < 40 and hits):
            continue
        if is_caption(line):
            if line not in result.captions:
                result.captions.append(line)
            continue
        body.append(line)
    result.paragraphs = body
    return result
