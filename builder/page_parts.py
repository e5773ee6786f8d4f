"""The parts that several kinds of page share (page_data.py): links, cards of briefings,
key figures, the region tree, a pager, and the functions that prepare them for one page.
Like the page kinds, every part is a frozen dataclass whose names are in the page's language
and whose links are relative to the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from builder import urls
from builder.i18n import Formatter
from builder.index import SiteModel
from builder.languages import HAN_SCRIPTS, Language
from builder.model import Briefing, Figure, Region


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
class OtherName:
    """A name in another of the site's languages, with its lang attribute."""

    html_lang: str
    text: str


@dataclass(frozen=True)
class Counted:
    """A link with the number of briefings behind it: a topic, a subregion, a region tree line."""

    href: str
    text: str
    count: int
    depth: int = 0  # in the region tree: 0 for a province, 1 for a city, 2 below
    # A region's name in the site's other scripts, where it differs (region_tree)
    other_names: tuple[OtherName, ...] = ()


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
    # The region with the parents the page does not already give: "Jiangyan, Taizhou, Jiangsu"
    # on the home page, "Jiangyan, Taizhou" on Jiangsu's page (lineage)
    region_lineage: str
    draft: bool
    other_lang: str | None  # the text's lang attribute when it is not in the page's language
    only_in: str | None  # then the name of the text's language, in the page's language


@dataclass(frozen=True)
class KeyFigure:
    """A figure with its indicator's name (the home page's headline figures, the digests'
    tables); the template formats the figure. The site's figure tables and charts are
    figure_views.py's."""

    indicator: str  # the indicator's name
    figure: Figure


@dataclass(frozen=True)
class Pager:
    """The place of a list page among the pages of its list (pages.py splits long lists)."""

    number: int
    count: int
    total: int  # briefings in the whole list
    prev: str | None  # newer page
    next: str | None  # older page


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


def listed(
    scope: Scope, data: Mapping[str, Any], within: Region | None = None
) -> tuple[list[Card], Pager]:
    """A list page's cards and its place in the list (pages._paged gives `items`, `pager`);
    `within`: the region of a region page."""
    p = data["pager"]
    rel = scope.rel
    pager = Pager(
        p["number"],
        p["count"],
        p["total"],
        rel(p["prev"]) if p["prev"] else None,
        rel(p["next"]) if p["next"] else None,
    )
    return cards(scope, data["items"], within), pager


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


def lineage(model: SiteModel, region: Region, lang: str, within: Region | None = None) -> str:
    """The region with its parents, as the language writes places (its `places_largest_first`
    and `place_separator`): "Jiangyan, Taizhou, Jiangsu", "江苏省泰州市姜堰区". The parents from
    `within` up are left out, since the reader is already there: on Jiangsu's page "Jiangyan,
    Taizhou"; on Jiangyan's own page "Jiangyan"."""
    language = model.config.language(lang)
    chain = model.gazetteer.ancestors(region.slug)
    if within is not None and within in chain:
        chain = chain[chain.index(within) + 1 :] or chain[-1:]
    names = [r.name.get(lang) for r in chain]
    if not language.places_largest_first:
        names.reverse()
    return language.place_separator.join(names)


def _script_family(language: Language) -> str:
    # Simplified and Traditional Chinese count as one: a reader of either reads the other's
    # place names, so "南山區" beside "南山区" would only add noise.
    return "Han" if language.script in HAN_SCRIPTS else language.script


def region_tree(scope: Scope) -> list[Counted]:
    """The regions that have briefings, in tree order (an empty region's children are empty
    too, so no line loses its parent), each with its name in the site's other scripts: the
    reader of "Jiangyan" meets "姜堰区" in sources and on the Chinese side, and the other way
    round. One name per other script, from the first language written in it."""
    model, lang = scope.model, scope.lang
    here = model.config.language(lang)
    families = {language.code: _script_family(language) for language in model.config.languages}
    others: list[Language] = []
    for language in model.config.languages:
        if families[language.code] not in {families[lang]} | {families[o.code] for o in others}:
            others.append(language)
    out = []
    for r, depth in model.gazetteer.walk():
        count = len(model.in_region(r.slug))
        if not count:
            continue
        name = r.name.get(here.code)
        out.append(
            Counted(
                scope.rel(urls.region(lang, r)),
                name,
                count,
                depth,
                tuple(
                    OtherName(o.html_lang, r.name.get(o.code))
                    for o in others
                    if r.name.get(o.code) != name
                ),
            )
        )
    return out


def topic_links(scope: Scope, b: Briefing) -> list[Link]:
    lang, topics = scope.lang, scope.model.topics
    return [Link(scope.rel(urls.topic(lang, t)), topics[t].name.get(lang)) for t in b.topics]


def cards(scope: Scope, items: Iterable[Briefing], within: Region | None = None) -> list[Card]:
    model, fmt, rel, lang = scope.model, scope.fmt, scope.rel, scope.lang
    # A region's link and name, once per region: a district's page lists it on every card.
    places: dict[str, tuple[str, str]] = {}
    out = []
    for b in items:
        t = b.text(lang)
        place = places.get(b.region)
        if place is None:
            region = model.region_of(b)
            place = places[b.region] = (
                rel(urls.region(lang, region)),
                lineage(model, region, lang, within),
            )
        other = None if b.has(lang) else model.config.language(t.lang)
        out.append(
            Card(
                t.title,
                t.summary,
                rel(urls.briefing(t.lang, b)),
                b.date.isoformat(),
                fmt.date(b.date),
                *place,
                b.draft,
                other.html_lang if other else None,
                other.name.get(lang) if other else None,
            )
        )
    return out
