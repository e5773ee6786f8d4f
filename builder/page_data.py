"""What each kind of site page shows, prepared by the render stage for its template.

Every planned page (pages.py) is rendered with two values: `layout` (layout.py, what base.html
shows) and `page`, the dataclass of its kind below. Names come in the page's language and links
relative to the page; templates only read fields, translate (`_`, `ngettext`) and format values
(`fmt`: dates, periods, amounts), so what a page shows is computed once, in Python, and typed.
A page kind that grows (say, a briefing's key figures at a glance) grows a field here; the
figures' own records (glance box, grouped tables, charts) are figure_views.py's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from builder import seo, urls
from builder.figure_compare import Comparison, comparison
from builder.figure_views import (
    Downloads,
    FigureTable,
    Glance,
    Memo,
    downloads,
    figure_table,
    glance,
    indicators_view,
)
from builder.model import Briefing, Region, Source
from builder.page_parts import (
    Card,
    Counted,
    DigestLink,
    EarlierDigest,
    KeyFigure,
    Link,
    OtherName,
    Pager,
    Scope,
    Translation,
    YearLink,
    breadcrumb,
    cards,
    lineage,
    listed,
    other_names,
    region_tree,
    topic_links,
)
from builder.pages import Page

# Page kinds, one per template.


@dataclass(frozen=True)
class Newest:
    """A briefing in the home page's list of what is new."""

    card: Card  # its lineage in full: the home page is in no region
    region_name: str  # the region alone, to name its digest
    topics: list[Link]
    headline: KeyFigure | None  # its first key figure, which editors put first for a reason
    digest: str | None  # its region's latest PDF digest in the page's language, when made


@dataclass(frozen=True)
class HomePage:
    # The newest briefing's date: what changed and when, from the content (a build-time date
    # would change every build's bytes and say nothing); None on a site with no briefings
    updated: dt.date | None
    latest: list[Newest]
    regions: list[Counted]  # the region tree, regions with briefings only


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
    # Its first figures, in a box above the body (outside the search text: data-pagefind-body
    # marks only the summary and body)
    glance: Glance
    body: str  # HTML, from the Markdown stage
    figures: FigureTable | None  # every figure, below the body, when the box could not hold all
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
    figures: FigureTable  # the figures of the briefings listed on this page
    # A Region column: the table holds the figures of subregions (a province's districts)
    figures_by_region: bool
    downloads: Downloads | None  # figures.csv and .json and the indicators view, if any figures
    cards: list[Card]
    pager: Pager


@dataclass(frozen=True)
class FiguresPage:
    """A region's indicators view: its own figures, charted, and the regions below it
    compared, each linked to its own view."""

    name: str
    full_name: str
    breadcrumb: list[Link]
    region: str  # the region's page, with its briefings
    count: int  # figures of its own
    downloads: Downloads  # every figure of the region and below it
    view: FigureTable  # its own figures
    below: Comparison | None  # None when no region below it has figures (a district's view)


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
    | FiguresPage
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
    memo: Memo,
) -> PageData:
    """The data of a planned page. `here` is its URL in each language that has it; `body` a
    briefing page's HTML; `asset` a static file's URL; `digests` and `earlier` the PDF digests
    the build makes (render_html.render_site); `memo` what the language's pages share."""
    model, rel, lang = scope.model, scope.rel, scope.lang
    kind, data = page.key[0], page.data
    if kind == "briefing":
        return briefing_page(scope, memo, data["briefing"], here, body or "")
    if kind == "region":
        return region_page(scope, memo, data["region"], data, digests, earlier)
    if kind == "figures":
        return figures_page(scope, memo, data["region"])
    if kind == "topic":
        topic = data["topic"]
        description = topic.description.get(lang) if topic.description else None
        return TopicPage(topic.name.get(lang), description, *listed(scope, data))
    if kind == "year":
        return YearPage(data["year"], rel(urls.archive_index(lang)), *listed(scope, data))
    if kind == "home":
        return home_page(scope, digests)
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


def home_page(scope: Scope, digests: Mapping[tuple[str, str], str]) -> HomePage:
    model, rel, lang = scope.model, scope.rel, scope.lang
    newest = model.briefings[:10]  # deps.Signatures.page signs these ten
    latest = []
    for b, card in zip(newest, cards(scope, newest), strict=True):
        region = model.region_of(b)
        first = b.figures[0] if b.figures else None
        latest.append(
            Newest(
                card,
                region.name.get(lang),
                topic_links(scope, b),
                KeyFigure(model.indicators[first.indicator].name.get(lang), first)
                if first
                else None,
                rel(urls.digest(lang, region)) if (lang, region.slug) in digests else None,
            )
        )
    return HomePage(
        updated=newest[0].date if newest else None,
        latest=latest,
        regions=region_tree(scope),
    )


def briefing_page(
    scope: Scope, memo: Memo, b: Briefing, here: Mapping[str, str], body: str
) -> BriefingPage:
    model, rel, lang = scope.model, scope.rel, scope.lang
    text = b.text(lang)
    region = model.region_of(b)
    box = glance(scope, memo, b)
    return BriefingPage(
        title=text.title,
        summary=text.summary,
        date=b.date,
        year=b.year,
        draft=b.draft,
        stale=text.stale,
        breadcrumb=breadcrumb(scope, region),
        topics=topic_links(scope, b),
        translations=[
            Translation(code, model.config.language(code).name.get(lang), rel(here[code]))
            for code in model.languages
            if code != lang and code in here
        ],
        glance=box,
        body=body,
        figures=figure_table(scope, memo, [b]) if box.more else None,
        source=b.source,
        # JSON-LD data blocks, prepared by the SEO stage.
        structured_data=[
            seo.json_ld(seo.news_article(model, b, lang)),
            seo.json_ld(seo.breadcrumb_list(model, region, lang)),
        ],
    )


def region_page(
    scope: Scope,
    memo: Memo,
    region: Region,
    data: Mapping[str, Any],
    digests: Mapping[tuple[str, str], str],
    earlier: Mapping[tuple[str, str], Sequence[tuple[str, str]]],
) -> RegionPage:
    model, rel, lang = scope.model, scope.rel, scope.lang
    listed_cards, pager = listed(scope, data, region)
    table = figure_table(scope, memo, data["items"])
    return RegionPage(
        name=region.name.get(lang),
        full_name=lineage(model, region, lang),
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
        # Only subregions with briefings: a link to an empty page tells the reader nothing.
        subregions=[
            Counted(rel(urls.region(lang, c)), c.name.get(lang), count)
            for c in model.gazetteer.children(region.slug)
            if (count := len(model.in_region(c.slug)))
        ],
        figures=table,
        figures_by_region=any(r.ident != region.slug for r in table.regions),
        downloads=downloads(scope, region),
        cards=listed_cards,
        pager=pager,
    )


def figures_page(scope: Scope, memo: Memo, region: Region) -> FiguresPage:
    found = downloads(scope, region)
    assert found is not None, "pages.plan_pages plans the view only for regions with figures"
    view = indicators_view(scope, memo, region)
    return FiguresPage(
        name=region.name.get(scope.lang),
        full_name=lineage(scope.model, region, scope.lang),
        breadcrumb=breadcrumb(scope, region),
        region=scope.rel(urls.region(scope.lang, region)),
        count=sum(r.figures for r in view.regions),
        downloads=found,
        view=view,
        below=comparison(scope, memo, region),
    )
