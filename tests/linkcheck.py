"""Reads a built site back: parses every page and checks that internal links resolve."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

LINK_ATTRS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"))


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def ids(page: Path) -> set[str]:
    doc = lxml.html.fromstring(page.read_bytes())
    return {str(e.get("id")) for e in doc.iter() if e.get("id")}


def broken_links(site: Path) -> list[str]:
    """Every internal link or anchor in the site that points nowhere, as 'page -> href'."""
    problems = []
    id_cache: dict[Path, set[str]] = {}
    for page in pages(site):
        doc = lxml.html.fromstring(page.read_bytes())
        for tag, attr in LINK_ATTRS:
            for el in doc.iter(tag):
                href = el.get(attr)
                if href is None:
                    continue
                parts = urlsplit(href)
                if parts.scheme or parts.netloc:
                    continue  # external; checked separately where it matters
                if parts.path.startswith("/"):  # site-absolute (the 404 pages)
                    target = (site / unquote(parts.path).lstrip("/")).resolve()
                elif parts.path:
                    target = (page.parent / unquote(parts.path)).resolve()
                else:
                    target = page
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file() or site.resolve() not in target.resolve().parents:
                    problems.append(f"{page.relative_to(site)} -> {href}")
                    continue
                if parts.fragment and target.suffix == ".html":
                    known = id_cache.setdefault(target, ids(target))
                    if unquote(parts.fragment) not in known:
                        problems.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    return problems
