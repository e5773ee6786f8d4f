"""What every site page's layout (templates/base.html) shows, prepared for one page: the head's
canonical, hreflang, OpenGraph and feed links, the masthead's navigation and language switcher,
the footer. Page kinds add their own data (page_data.py); this part is the same for all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from builder import urls
from builder.assets import Assets
from builder.index import SiteModel
from builder.pages import Page, switch_target


@dataclass(frozen=True)
class Alternate:
    """The page in one of the languages that have it (this one included), for hreflang."""

    hreflang: str  # the language's HTML lang tag
    href: str  # absolute


@dataclass(frozen=True)
class LanguageLink:
    """A link of the language switcher, to the page in another language or the nearest one."""

    code: str
    html_lang: str
    native_name: str
    href: str
    exact: bool  # the same page in that language (else its region page or home page)


@dataclass(frozen=True)
class Nav:
    """The masthead's links (and the footer's feed)."""

    home: str
    regions: str
    topics: str
    archive: str
    search: str | None  # None when the build makes no search pages
    feed: str  # the language's Atom feed


@dataclass(frozen=True)
class Section:
    """A section of the site in the masthead, marked when the page is in it."""

    name: str  # regions, topics, archive or search: base.html gives each its label
    href: str
    # aria-current: "page" on the section's own page, "true" on the pages inside it, else None
    current: str | None


@dataclass(frozen=True)
class Icons:
    """The favicon in its three forms (fingerprinted static files)."""

    ico: str  # 16 and 32 px, for clients without SVG icons
    svg: str
    apple_touch: str  # 180 px PNG for home screens


@dataclass(frozen=True)
class Layout:
    """base.html's data for one page; links are relative to the page (site-absolute on 404)."""

    site_title: str
    site_description: str
    canonical: str
    alternates: list[Alternate]  # empty on a one-language site
    x_default: str | None  # the default language's version, when it has one
    og_locale: str
    og_locale_alternates: list[str]  # the OpenGraph locales of the page's other languages
    prev: str | None  # rel=prev / rel=next of a paged list
    next: str | None
    stylesheet: str
    icons: Icons
    nav: Nav
    sections: list[Section]  # the masthead's sections, in order
    switcher: list[LanguageLink]  # empty on a one-language site


def nav(lang: str, rel: Callable[[str], str], search: bool) -> Nav:
    return Nav(
        home=rel(urls.home(lang)),
        regions=rel(urls.regions_index(lang)),
        topics=rel(urls.topics_index(lang)),
        archive=rel(urls.archive_index(lang)),
        search=rel(urls.search(lang)) if search else None,
        feed=rel(urls.feed(lang)),
    )


def icons(rel: Callable[[str], str], asset: Callable[[str], str]) -> Icons:
    """The icons' URLs for a page; `asset` names a static file's fingerprinted URL."""
    return Icons(
        rel(asset("favicon.ico")),
        rel(asset("favicon.svg")),
        rel(asset("apple-touch-icon.png")),
    )


def sections(page_url: str, lang: str, rel: Callable[[str], str], search: bool) -> list[Section]:
    targets = [
        ("regions", urls.regions_index(lang)),
        ("topics", urls.topics_index(lang)),
        ("archive", urls.archive_index(lang)),
    ]
    if search:
        targets.append(("search", urls.search(lang)))
    return [
        Section(
            name,
            rel(url),
            "page" if page_url == url else "true" if page_url.startswith(url) else None,
        )
        for name, url in targets
    ]


def layout(
    model: SiteModel,
    page: Page,
    rel: Callable[[str], str],
    alts: dict[tuple[str, ...], dict[str, str]],
    assets: Assets,
    search: bool,
) -> Layout:
    """The layout of `page`; `alts` maps each page key to its URL in each language (pages.py),
    empty on a one-language site."""
    config = model.config
    lang = page.lang
    language = config.language(lang)
    here = alts.get(page.key, {})
    pager = page.data.get("pager")
    return Layout(
        site_title=config.title.get(lang),
        site_description=config.description.get(lang),
        canonical=urls.absolute(config.base_url, page.url),
        alternates=[
            Alternate(config.language(code).html_lang, urls.absolute(config.base_url, url))
            for code, url in here.items()
        ],
        x_default=(
            urls.absolute(config.base_url, here[model.default_lang])
            if model.default_lang in here
            else None
        ),
        og_locale=language.og_locale,
        og_locale_alternates=[config.language(code).og_locale for code in here if code != lang],
        prev=rel(pager["prev"]) if pager and pager["prev"] else None,
        next=rel(pager["next"]) if pager and pager["next"] else None,
        stylesheet=rel(assets.url("style.css")),
        icons=icons(rel, assets.url),
        nav=nav(lang, rel, search),
        sections=sections(page.url, lang, rel, search),
        switcher=[
            _switch(model, page, other, rel, alts) for other in model.languages if other != lang
        ],
    )


def _switch(
    model: SiteModel,
    page: Page,
    other: str,
    rel: Callable[[str], str],
    alts: dict[tuple[str, ...], dict[str, str]],
) -> LanguageLink:
    href, exact = switch_target(page, other, model, alts)
    language = model.config.language(other)
    return LanguageLink(other, language.html_lang, language.native_name, rel(href), exact)
