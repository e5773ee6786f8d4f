"""What the site-wide files show, prepared by the render stage: an Atom feed (feed.xml, as
`feed`), the sitemap (sitemap.xml, as `sitemap`) and the root page's language chooser
(root.html, as `page`). Like page_data.py: templates read fields, nothing more.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from builder import urls
from builder.index import SiteModel
from builder.layout import Alternate, Icons, icons
from builder.model import Briefing, Region


@dataclass(frozen=True)
class Category:
    term: str  # the topic's slug
    label: str  # its name


@dataclass(frozen=True)
class FeedEntry:
    html_lang: str  # the text's language: an untranslated briefing is in its original one
    url: str  # absolute; also the entry's id
    title: str
    published: str  # RFC 3339
    summary: str
    categories: list[Category]


@dataclass(frozen=True)
class AtomFeed:
    self_url: str
    site_title: str
    region_name: str | None  # a region's feed; None for the language's whole feed
    subtitle: str
    alternate: str  # the page the feed follows: the region page or the home page
    updated: str  # RFC 3339
    entries: list[FeedEntry]


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    alternates: list[Alternate]  # the page in each language that has it, for hreflang
    x_default: str | None


@dataclass(frozen=True)
class Sitemap:
    entries: list[SitemapEntry]


@dataclass(frozen=True)
class RootLanguage:
    code: str
    html_lang: str
    title: str  # the site's title in this language
    description: str
    native_name: str
    href: str  # its home page, relative
    home: str  # the same, absolute (hreflang)
    tags: list[str]  # browser language tags that choose it (choose-language.js)


@dataclass(frozen=True)
class RootPage:
    """The page at the site's root: a chooser of languages (the host redirects by browser
    language before it is seen; hosting.py)."""

    html_lang: str  # the default language's
    canonical: str
    languages: list[RootLanguage]  # the default first
    stylesheet: str
    icons: Icons
    script: str


def feed(
    model: SiteModel,
    lang: str,
    region: Region | None,
    items: Iterable[Briefing],  # the newest 50, untranslated ones in their original language
    newest: dt.date | None,
) -> AtomFeed:
    config = model.config
    zone = zoneinfo.ZoneInfo(config.timezone)

    def stamp(day: dt.date | None) -> str:
        day = day or dt.date(1970, 1, 1)
        return dt.datetime.combine(day, dt.time(0, 0), zone).isoformat()

    def absolute(url: str) -> str:
        return urls.absolute(config.base_url, url)

    entries = []
    for b in items:
        t = b.text(lang)
        entries.append(
            FeedEntry(
                config.language(t.lang).html_lang,
                absolute(urls.briefing(t.lang, b)),
                t.title,
                stamp(b.date),
                t.summary,
                [Category(slug, model.topics[slug].name.get(lang)) for slug in b.topics],
            )
        )
    return AtomFeed(
        self_url=absolute(urls.feed(lang, region)),
        site_title=config.title.get(lang),
        region_name=region.name.get(lang) if region else None,
        subtitle=config.description.get(lang),
        alternate=absolute(urls.region(lang, region) if region else urls.home(lang)),
        updated=stamp(newest),
        entries=entries,
    )


def sitemap(model: SiteModel, entries: Iterable[tuple[str, Mapping[str, str]]]) -> Sitemap:
    """From (page URL, its URL in each language that has it) pairs."""
    config = model.config

    def absolute(url: str) -> str:
        return urls.absolute(config.base_url, url)

    return Sitemap(
        [
            SitemapEntry(
                absolute(url),
                [
                    Alternate(config.language(code).html_lang, absolute(u))
                    for code, u in alts.items()
                ],
                absolute(alts[model.default_lang]) if model.default_lang in alts else None,
            )
            for url, alts in entries
        ]
    )


def root_page(model: SiteModel, asset: Callable[[str], str]) -> RootPage:
    config = model.config

    def rel(url: str) -> str:
        return urls.relative(urls.ROOT, url)

    return RootPage(
        html_lang=config.language(model.default_lang).html_lang,
        canonical=urls.absolute(config.base_url, urls.ROOT),
        languages=[
            RootLanguage(
                language.code,
                language.html_lang,
                config.title.get(language.code),
                config.description.get(language.code),
                language.native_name,
                rel(urls.home(language.code)),
                urls.absolute(config.base_url, urls.home(language.code)),
                language.tags,
            )
            for language in config.languages
        ],
        stylesheet=rel(asset("style.css")),
        icons=icons(rel, asset),
        script=rel(asset("choose-language.js")),
    )
