"""What each kind of site page shows, prepared by the render stage for its template.

Every planned page (pages.py) is rendered with two values: `layout` (layout.py, what base.html
shows) and `page`, the dataclass of its kind below. Names come in the page's language and links
relative to the page; templates only read fields, translate (`_`, `ngettext`) and format values
(`fmt`: dates, periods, amounts), so what a page shows is computed once, in Python, and typed.
A page kind that grows (say, a briefing's key figures at a glance) grows a field here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from builder import seo, urls
from builder.i18n import Formatter
from builder.index import SiteModel
from builder.model import Briefing, Figure, Region, Source
from builder.pages import Page


@dataclass(frozen=True)
class Scope:
    """What preparing one page needs: the site, the page's language, how the page links."""

    model: SiteModel
    fmt: Formatter
    rel: Callable[[str], str]  # a site-absolute URL -> the link from this page

    @property
    def lang(self) -> str:
        return self.fmt.lang


# Parts of pages.


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class Counted:
    """A link with the number of briefings behind it: a topic, a subregion, a region tree line."""

    href: str
    text: str
    count: int
    depth: int = 0  # in the region tree: 0 for a province, 1 for a city, 2 below


@dataclass(frozen=True)
class YearLink:
    href: str
    year: int
    count: int


@dataclass(frozen=True)
class Card:
    """What a card in a list of briefings shows."""

    title: str
    summary: str
    href: str
    date_iso: str
    date: str
    region_href: str
    region_name: str
    draft: bool
    other_lang: str | None  # the text's lang attribute when it is not in the page's language
    only_in: str | None  # then the name of the text's language, in the page's language


@dataclass(frozen=True)
class FigureRow:
    """A row of a key-figures table; the template formats the figure."""

    indicator: str  # the indicator's name
    figure: Figure
    briefing: Link | None  # where the figure comes from, in tables of several briefings


@dataclass(frozen=True)
class Pager:
    """The place of a list page among the pages of its list (pages.py splits long lists)."""

    number: int
    count: int
    total: int  # briefings in the whole list
    prev: str | None  # newer page
    next: str | None  # older page


@dataclass(frozen=True)
class OtherName:
    """A name in another of the site's languages, with its lang attribute."""

    html_lang: str
    text: str


@dataclass(frozen=True)
class DigestLink:
    """The latest PDF digest of a region in one language."""

    href: str
    html_lang: str
    native_name: str


@dataclass(frozen=True)
class Translation:
    """The briefing of a page in another language."""

    code: str  # its language code (hreflang)
    language: str  # the language's name, in the page's language
    href: str


@dataclass(frozen=True)
class EarlierDigest:
    period: str  # its period's label ('2024-Q1'), formatted by the template
    href: str


# Page kinds, one per template.


@dataclass(frozen=True)
class HomePage:
    latest: list[Card]
    regions: list[Counted]  # the region tree


@dataclass(frozen=True)
class RegionsPage:
    regions: list[Counted]  # the region tree


@dataclass(frozen=True)
class TopicsPage:
    topics: list[Counted]


@dataclass(frozen=True)
class ArchivePage:
    years: list[YearLink]  # newest first


@dataclass(frozen=True)
class OtherSearch:
    """Another language's search, which search.js asks when this one finds nothing."""

    index: str  # Pagefind's name of that language's index (its HTML lang, lowercase)
    html_lang: str
    code: str
    href: str  # its search page
    native_name: str


@dataclass(frozen=True)
class SearchPage:
    ui_stylesheet: str  # Pagefind's UI, from the search stage's bundle
    ui_script: str
    module: str  # Pagefind's search module, which search.js loads for the other languages
    script: str  # search.js, which starts the UI
    excerpt_words: int  # the language's excerpt length (languages.Language.excerpt_words)
    native_name: str  # this language's name
    elsewhere: list[OtherSearch]
    regions: str  # where to browse instead
    topics: str
    archive: str


@dataclass(frozen=True)
class NotFoundPage:
    home: str
    regions: str


@dataclass(frozen=True)
class BriefingPage:
    title: str
    summary: str
    date: dt.date
    year: int
    draft: bool
    stale: bool  # a translation made from an older version of the original
    breadcrumb: list[Link]  # the region and its parents, province first
    topics: list[Link]
    translations: list[Translation]  # the briefing in each other language that has it
    body: str  # HTML, from the Markdown stage
    figures: list[FigureRow]
    source: Source
    structured_data: list[Markup]  # JSON-LD blocks (seo.py)


@dataclass(frozen=True)
class RegionPage:
    name: str
    full_name: str  # with its parents, which tells namesakes apart: "Taizhou, Zhejiang"
    other_names: list[OtherName]
    level: str  # province, city, district or county; the template names it
    breadcrumb: list[Link]
    feed: str
    digests: list[DigestLink]  # the latest period's digest in each language made
    earlier: list[EarlierDigest]  # earlier periods' digests in this language
    subregions: list[Counted]
    figures: list[FigureRow]  # the key figures of the briefings listed on this page
    cards: list[Card]
    pager: Pager


@dataclass(frozen=True)
class TopicPage:
    name: str
    description: str | None
    cards: list[Card]
    pager: Pager


@dataclass(frozen=True)
class YearPage:
    year: int
    archive: str
    cards: list[Card]
    pager: Pager


PageData = (
    HomePage
    | RegionsPage
    | TopicsPage
    | ArchivePage
    | SearchPage
    | NotFoundPage
    | BriefingPage
    | RegionPage
    | TopicPage
    | YearPage
)


def page_data(
    scope: Scope,
    page: Page,
    *,
    here: Mapping[str, str],
    body: str | None = None,
    asset: Callable[[str], str],
    digests: Mapping[tuple[str, str], str],
    earlier: Mapping[tuple[str, str], Sequence[tuple[str, str]]],
) -> PageData:
    """The data of a planned page. `here` is its URL in each language that has it; `body` a
    briefing page's HTML; `asset` a static file's URL; `digests` and `earlier` the PDF digests
    the build makes (render_html.render_site)."""
    model, rel, lang = scope.model, scope.rel, scope.lang
    kind, data = page.key[0], page.data
    if kind == "briefing":
        return briefing_page(scope, data["briefing"], here, body or "")
    if kind == "region":
        return region_page(scope, data["region"], data, digests, earlier)
    if kind == "topic":
        topic = data["topic"]
        description = topic.description.get(lang) if topic.description else None
        return TopicPage(topic.name.get(lang), description, *_listed(scope, data))
    if kind == "year":
        return YearPage(data["year"], rel(urls.archive_index(lang)), *_listed(scope, data))
    if kind == "home":
        return HomePage(cards(scope, model.briefings[:10]), region_tree(scope))
    if kind == "regions":
        return RegionsPage(region_tree(scope))
    if kind == "topics":
        return TopicsPage(
            [
                Counted(rel(urls.topic(lang, slug)), t.name.get(lang), len(model.in_topic(slug)))
                for slug, t in model.topics.items()
            ]
        )
    if kind == "archive":
        return ArchivePage(
            [YearLink(rel(urls.archive(lang, y)), y, len(model.in_year(y))) for y in model.years]
        )
    if kind == "search":
        language = model.config.language(lang)
        return SearchPage(
            rel("/pagefind/pagefind-ui.css"),
            rel("/pagefind/pagefind-ui.js"),
            rel("/pagefind/pagefind.js"),
            rel(asset("search.js")),
            language.excerpt_words,
            language.native_name,
            [
                OtherSearch(
                    other.html_lang.lower(),
                    other.html_lang,
                    other.code,
                    rel(urls.search(other.code)),
                    other.native_name,
                )
                for other in model.config.languages
                if other.code != lang
            ],
            rel(urls.regions_index(lang)),
            rel(urls.topics_index(lang)),
            rel(urls.archive_index(lang)),
        )
    if kind == "404":
        return NotFoundPage(rel(urls.home(lang)), rel(urls.regions_index(lang)))
    raise ValueError(f"no page data for page kind {kind!r}")


def briefing_page(scope: Scope, b: Briefing, here: Mapping[str, str], body: str) -> BriefingPage:
    model, rel, lang = scope.model, scope.rel, scope.lang
    text = b.text(lang)
    region = model.region_of(b)
    return BriefingPage(
        title=text.title,
        summary=text.summary,
        date=b.date,
        year=b.year,
        draft=b.draft,
        stale=text.stale,
        breadcrumb=breadcrumb(scope, region),
        topics=[Link(rel(urls.topic(lang, t)), model.topics[t].name.get(lang)) for t in b.topics],
        translations=[
            Translation(code, model.config.language(code).name.get(lang), rel(here[code]))
            for code in model.languages
            if code != lang and code in here
        ],
        body=body,
        figures=figure_rows(scope, [b], with_briefing=False),
        source=b.source,
        # JSON-LD data blocks, prepared by the SEO stage.
        structured_data=[
            seo.json_ld(seo.news_article(model, b, lang)),
            seo.json_ld(seo.breadcrumb_list(model, region, lang)),
        ],
    )


def region_page(
    scope: Scope,
    region: Region,
    data: Mapping[str, Any],
    digests: Mapping[tuple[str, str], str],
    earlier: Mapping[tuple[str, str], Sequence[tuple[str, str]]],
) -> RegionPage:
    model, rel, lang = scope.model, scope.rel, scope.lang
    language = model.config.language(lang)
    names = [r.name.get(lang) for r in model.gazetteer.ancestors(region.slug)]
    if not language.places_largest_first:
        names.reverse()
    listed = _listed(scope, data)
    return RegionPage(
        name=region.name.get(lang),
        full_name=language.place_separator.join(names),
        other_names=other_names(model, region, lang),
        level=region.level,
        breadcrumb=breadcrumb(scope, region),
        feed=rel(urls.feed(lang, region)),
        digests=[
            DigestLink(rel(urls.digest(other.code, region)), other.html_lang, other.native_name)
            for other in model.config.languages
            if (other.code, region.slug) in digests
        ],
        earlier=[
            EarlierDigest(label, rel("/" + path))
            for label, path in earlier.get((lang, region.slug), ())
        ],
        subregions=[
            Counted(rel(urls.region(lang, c)), c.name.get(lang), len(model.in_region(c.slug)))
            for c in model.gazetteer.children(region.slug)
        ],
        figures=figure_rows(scope, data["items"], with_briefing=True),
        cards=listed[0],
        pager=listed[1],
    )


def _listed(scope: Scope, data: Mapping[str, Any]) -> tuple[list[Card], Pager]:
    """A list page's cards and its place in the list (pages._paged gives `items`, `pager`)."""
    p = data["pager"]
    rel = scope.rel
    pager = Pager(
        p["number"],
        p["count"],
        p["total"],
        rel(p["prev"]) if p["prev"] else None,
        rel(p["next"]) if p["next"] else None,
    )
    return cards(scope, data["items"]), pager


def other_names(model: SiteModel, region: Region, lang: str) -> list[OtherName]:
    return [
        OtherName(other.html_lang, region.name.get(other.code))
        for other in model.config.languages
        if other.code != lang
    ]


def breadcrumb(scope: Scope, region: Region) -> list[Link]:
    lang = scope.lang
    return [
        Link(scope.rel(urls.region(lang, r)), r.name.get(lang))
        for r in scope.model.gazetteer.ancestors(region.slug)
    ]


def region_tree(scope: Scope) -> list[Counted]:
    model, lang = scope.model, scope.lang
    return [
        Counted(
            scope.rel(urls.region(lang, r)), r.name.get(lang), len(model.in_region(r.slug)), depth
        )
        for r, depth in model.gazetteer.walk()
    ]


def cards(scope: Scope, items: Iterable[Briefing]) -> list[Card]:
    model, fmt, rel, lang = scope.model, scope.fmt, scope.rel, scope.lang
    out = []
    for b in items:
        t = b.text(lang)
        region = model.region_of(b)
        other = None if b.has(lang) else model.config.language(t.lang)
        out.append(
            Card(
                t.title,
                t.summary,
                rel(urls.briefing(t.lang, b)),
                b.date.isoformat(),
                fmt.date(b.date),
                rel(urls.region(lang, region)),
                region.name.get(lang),
                b.draft,
                other.html_lang if other else None,
                other.name.get(lang) if other else None,
            )
        )
    return out


def figure_rows(
    scope: Scope, briefings: Iterable[Briefing], *, with_briefing: bool
) -> list[FigureRow]:
    """The rows of a key-figures table, in briefing order."""
    model, lang = scope.model, scope.lang
    out = []
    for b in briefings:
        source = None
        if with_briefing:
            t = b.text(lang)
            source = Link(scope.rel(urls.briefing(t.lang, b)), t.title)
        for f in b.figures:
            out.append(FigureRow(model.indicators[f.indicator].name.get(lang), f, source))
    return out
