"""The page plan: which pages exist in which language, with their template and data.

Planning is separate from rendering so that alternates (hreflang), the language switcher, the
sitemap and link checks all come from one list of what is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from builder import urls
from builder.index import SiteModel
from builder.model import Briefing

PER_PAGE = 20  # cards per list page: a province with hundreds of briefings reads in pages


@dataclass(frozen=True)
class Page:
    key: tuple[str, ...]  # the same key in every language: ('briefing', slug), ('home',) ...
    lang: str
    url: str
    template: str
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    in_sitemap: bool = True


def plan_pages(model: SiteModel, *, search: bool = False) -> list[Page]:
    """Every page; `search` adds the search page of each language (it needs the search index)."""
    pages: list[Page] = []
    for lang in model.languages:
        pages.append(Page(("home",), lang, urls.home(lang), "home.html"))
        if search:
            pages.append(
                Page(("search",), lang, urls.search(lang), "search.html", in_sitemap=False)
            )
        pages.append(Page(("regions",), lang, urls.regions_index(lang), "regions.html"))
        pages.append(Page(("topics",), lang, urls.topics_index(lang), "topics.html"))
        pages.append(Page(("archive",), lang, urls.archive_index(lang), "archives.html"))
        pages.append(Page(("404",), lang, urls.not_found(lang), "404.html", in_sitemap=False))
        for b in model.briefings:
            if b.has(lang):
                pages += plan_group(model, lang, ("briefing", b.slug))
        for region, _depth in model.gazetteer.walk():
            pages += plan_group(model, lang, ("region", region.slug))
        for slug in model.topics:
            pages += plan_group(model, lang, ("topic", slug))
        for year in model.years:
            pages += plan_group(model, lang, ("year", str(year)))
    return pages


def plan_group(model: SiteModel, lang: str, key: tuple[str, str]) -> list[Page]:
    """The pages of one key in one language: a briefing's page, or every page of a region's,
    topic's or year's list (the preview plans again only the groups a save touched)."""
    kind, name = key
    if kind == "briefing":
        b = model.briefing(name)
        if b is None or not b.has(lang):
            return []
        return [Page(key, lang, urls.briefing(lang, b), "briefing.html", {"briefing": b})]
    if kind == "region":
        region = model.gazetteer[name]
        first = urls.region(lang, region)
        items = model.in_region(name)
        if not items:
            # No briefing in it or below it: no page (nor feed, extras.py). Every list leaves
            # such a region out, so nothing links to it; a page would only say "no briefings"
            # to a reader who came from a search engine through the sitemap.
            return []
        pages = _paged(key, lang, first, "region.html", {"region": region}, items)
        if model.has_figures(name):
            # The indicators view: the region's figures, charted, and those below compared. Its
            # items are in its data so that a change to them changes its plan entry (serve).
            url = urls.region_figures(lang, region)
            view = {"region": region, "items": items}
            pages.append(Page(("figures", name), lang, url, "figures.html", view))
        return pages
    if kind == "topic":
        data: dict[str, Any] = {"topic": model.topics[name]}
        return _paged(key, lang, urls.topic(lang, name), "topic.html", data, model.in_topic(name))
    year = int(name)
    first = urls.archive(lang, year)
    return _paged(key, lang, first, "archive.html", {"year": year}, model.in_year(year))


def _paged(
    key: tuple[str, ...],
    lang: str,
    first: str,
    template: str,
    data: dict[str, Any],
    items: tuple[Briefing, ...],
) -> list[Page]:
    """A list split into pages of PER_PAGE; page n > 1 has the key (*key, 'page', n).

    Each page's data holds its `items` and a `pager`: number, count, total and the URLs of the
    previous and next pages (for rel=prev/next and the links under the list). The sitemap names
    the first page only: later pages hold nothing the briefing pages do not.
    """
    count = max(1, -(-len(items) // PER_PAGE))
    out = []
    for n in range(1, count + 1):
        pager = {
            "number": n,
            "count": count,
            "total": len(items),
            "prev": urls.paged(first, n - 1) if n > 1 else None,
            "next": urls.paged(first, n + 1) if n < count else None,
        }
        out.append(
            Page(
                key if n == 1 else (*key, "page", str(n)),
                lang,
                urls.paged(first, n),
                template,
                {**data, "items": items[(n - 1) * PER_PAGE : n * PER_PAGE], "pager": pager},
                in_sitemap=n == 1,
            )
        )
    return out


def alternates(pages: list[Page]) -> dict[tuple[str, ...], dict[str, str]]:
    """For every page key, the URL of each language that has it."""
    out: dict[tuple[str, ...], dict[str, str]] = {}
    for p in pages:
        out.setdefault(p.key, {})[p.lang] = p.url
    return out


def switch_target(
    page: Page, to_lang: str, model: SiteModel, alts: dict[tuple[str, ...], dict[str, str]]
) -> tuple[str, bool]:
    """Where the language switcher leads: the same page in `to_lang` when it exists (True), else
    the briefing's region page, else that language's home (False)."""
    same = alts.get(page.key, {}).get(to_lang)
    if same:
        return same, True
    briefing = page.data.get("briefing")
    if briefing is not None:
        return urls.region(to_lang, model.region_of(briefing)), False
    return urls.home(to_lang), False
