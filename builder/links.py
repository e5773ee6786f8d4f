"""Links between briefings: which file a body's link names, and the checks that can only run
once every body is rendered.

A link to another briefing is resolved while its body renders (markdown.py, markdown_fast.py,
both by `linked_file`); the headings of the page it leads to are known only when that page's
body is rendered too, so links to a heading (`../2023/beta.md#outlook`) are checked here, after
the render stage has every body.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from builder.errors import Report

if TYPE_CHECKING:  # annotations only: markdown.py imports this module
    from builder import markdown
    from builder.index import SiteModel
    from builder.model import Briefing

# What a resolver returns for a briefing that exists but failed to load (Report.left_out): its
# own errors say why, and a "broken link" in every briefing linking to it would bury them. The
# link is left as written; the build fails on those errors anyway. Never a URL.
NOT_LOADED = "\0not loaded"


def linked_file(href: str, page: Path) -> tuple[Path, str] | None:
    """The content file (absolute, normalised) and the fragment a link in the body of `page`
    names, written as a path relative to it (`../2023/beta.md#outlook`); None for any other link
    (a scheme, a host, not a `.md` file)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    return Path(posixpath.normpath((page.parent / unquote(parts.path)).as_posix())), parts.fragment


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
