"""Links between briefings that can only be checked once every body is rendered.

A link to another briefing is resolved while its body renders (markdown.py); the headings of the
page it leads to are known only when that page's body is rendered too, so links to a heading
(`../2023/beta.md#outlook`) are checked here, after the render stage has every body.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from builder import markdown
from builder.errors import Report
from builder.index import SiteModel
from builder.model import Briefing


def check_heading_links(
    model: SiteModel, bodies: Mapping[str, tuple[Briefing, str, markdown.Body]], report: Report
) -> None:
    """Every link to a heading of another briefing (`../2023/beta.md#outlook`) leads to a heading
    of the page it opens (that briefing in the link's language, or its original): an error at
    the link otherwise. Run on every build, cached bodies included, since the target's headings
    can change while the linking body does not."""
    seen: set[tuple[str, int, int]] = set()
    for briefing, lang, body in bodies.values():
        path = briefing.text(lang).path
        for link in body.heading_links:
            url = model.link_url(Path(link.target), lang)
            found = bodies.get(url) if url else None
            if found is None or (str(path), link.line, link.col) in seen:
                continue  # not a page of this build (a broken link is reported already)
            anchors = [h.anchor for h in found[2].headings]
            if link.anchor in anchors:
                continue
            seen.add((str(path), link.line, link.col))
            hint = (
                f"its headings: {', '.join('#' + a for a in anchors)}"
                if anchors
                else "it has no headings to link to: link the briefing without '#...'"
            )
            report.error(
                path, link.line, link.col, f"no heading '#{link.anchor}' in '{link.href}'", hint
            )
