"""What a PDF digest shows, prepared by the digest stage for templates/digest.html (as `digest`).

Like the site pages' data (page_data.py): names in the digest's language, links absolute (a
PDF's links leave it for the site), typography of Han text applied (typeset.py); the template
reads fields, translates and formats values (`fmt`), nothing more.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from builder import urls
from builder.i18n import Formatter
from builder.index import SiteModel
from builder.model import Briefing, Figure, Region, Source
from builder.page_parts import KeyFigure, OtherName
from builder.typeset import headline, keep_units


@dataclass(frozen=True)
class GlanceFigure:
    """A figure of the cover's "At a glance" list."""

    figure: Figure
    indicator: str  # its indicator's name
    region: str  # the name of the region its briefing is about


@dataclass(frozen=True)
class FigureSource:
    """A briefing's rows in a key-figures table."""

    slug: str  # its article's anchor is b-<slug>
    title: str
    rows: list[KeyFigure]


@dataclass(frozen=True)
class FigureGroup:
    """Key-figure rows of the briefings about one region."""

    region: str
    briefings: list[FigureSource]


@dataclass(frozen=True)
class DigestArticle:
    slug: str
    title: str  # as written, for the contents
    headline: Markup  # the title typeset for a heading (typeset.headline)
    summary: Markup  # typeset (typeset.keep_units)
    body: str  # HTML (digests._body)
    date: dt.date
    region: str
    topics: list[str]
    stale: bool
    other_lang: str | None  # the text's lang attribute when it is not in the digest's language
    only_in: str | None  # then the name of the text's language, in the digest's language
    figures: FigureGroup | None  # its own key figures, as a one-briefing group
    source: Source
    online: str  # its page on the site


@dataclass(frozen=True)
class DigestDocument:
    title: str
    subject: str
    keywords: list[str]
    site_title: str
    built: dt.date  # the "as of" date
    # Running header and footer: CSS string values (css_string), per digest and language.
    css_region: Markup
    css_period: Markup
    css_site_title: Markup
    page_counter: Markup
    # The language's punctuation: Chinese joins lists with 、 and uses full-width punctuation.
    list_separator: str
    comma: str
    colon: str
    region_name: str
    other_names: list[OtherName]
    hierarchy: list[str]  # the region and its parents, province first
    level: str
    period: str  # the period covered, formatted
    period_given: bool  # a period was asked for (else `period` spans the briefings' dates)
    dated: str  # the span of the briefings' dates
    omitted: int  # the period's briefings left out, over digest.max_briefings
    region_url: str  # the region's page on the site
    headlines: list[GlanceFigure]
    figure_groups: list[FigureGroup]  # every briefing's figures, by region
    usd: bool  # some amount has a US dollar equivalent: the cover says whose rate
    articles: list[DigestArticle]


def document(
    model: SiteModel,
    lang: str,
    region: Region,
    briefings: Sequence[Briefing],
    bodies: Sequence[str],
    fmt: Formatter,
    *,
    first: dt.date,
    last: dt.date,
    period_given: bool,
    omitted: int,
    built: dt.date,
) -> DigestDocument:
    """The digest of `briefings` (newest first) about a region, with their bodies' HTML."""
    config = model.config
    base = config.base_url
    language = config.language(lang)
    region_name = region.name.get(lang)
    period = fmt.date_range(first, last)
    dates = [b.date for b in briefings]
    topics = sorted({t for b in briefings for t in b.topics})
    return DigestDocument(
        title=fmt.gettext("%(region)s: briefing digest, %(period)s")
        % {"region": region_name, "period": period},
        subject=fmt.ngettext(
            "%(num)d economic briefing on %(region)s",
            "%(num)d economic briefings on %(region)s",
            len(briefings),
        )
        % {"num": len(briefings), "region": region_name},
        keywords=[
            *(r.name.get(lang) for r in model.gazetteer.ancestors(region.slug)),
            *(model.topics[t].name.get(lang) for t in topics),
        ],
        site_title=config.title.get(lang),
        built=built,
        css_region=css_string(region_name),
        css_period=css_string(period),
        css_site_title=css_string(config.title.get(lang)),
        page_counter=page_counter(fmt.gettext("Page %(page)s of %(pages)s")),
        list_separator=language.list_separator,
        comma=language.comma,
        colon=language.colon,
        region_name=region_name,
        other_names=[
            OtherName(other.html_lang, region.name.get(other.code))
            for other in config.languages
            if other.code != lang
        ],
        hierarchy=[r.name.get(lang) for r in model.gazetteer.ancestors(region.slug)],
        level=region.level,
        period=period,
        # The cover names each span for what it is: the period covered, if there is one, and
        # the dates of the briefings in it.
        period_given=period_given,
        dated=fmt.date_range(min(dates), max(dates)),
        omitted=omitted,
        region_url=urls.absolute(base, urls.region(lang, region)),
        headlines=[
            GlanceFigure(
                f,
                model.indicators[f.indicator].name.get(lang),
                model.region_of(b).name.get(lang),
            )
            for b, f in headlines(briefings)
        ],
        figure_groups=figure_groups(model, briefings, lang),
        usd=any(f.equivalent_unit == "usd" for b in briefings for f in b.figures),
        articles=[
            _article(model, b, body, lang) for b, body in zip(briefings, bodies, strict=True)
        ],
    )


def _article(model: SiteModel, b: Briefing, body: str, lang: str) -> DigestArticle:
    config = model.config
    t = b.text(lang)
    written = config.language(t.lang)  # the text's language: an untranslated briefing's own
    region = model.region_of(b)
    return DigestArticle(
        slug=b.slug,
        title=t.title,
        headline=headline(t.title, written.keep_units),
        summary=keep_units(t.summary, written.keep_units),
        body=body,
        date=b.date,
        region=region.name.get(lang),
        topics=[model.topics[slug].name.get(lang) for slug in b.topics],
        stale=t.stale,
        other_lang=written.html_lang if t.lang != lang else None,
        only_in=written.name.get(lang) if t.lang != lang else None,
        figures=(
            FigureGroup(region.name.get(lang), [_figure_source(model, b, lang)])
            if b.figures
            else None
        ),
        source=b.source,
        online=urls.absolute(config.base_url, urls.briefing(t.lang, b)),
    )


def _figure_source(model: SiteModel, b: Briefing, lang: str) -> FigureSource:
    rows = [KeyFigure(model.indicators[f.indicator].name.get(lang), f) for f in b.figures]
    return FigureSource(b.slug, b.text(lang).title, rows)


def headlines(briefings: Sequence[Briefing], most: int = 5) -> list[tuple[Briefing, Figure]]:
    """Page 1's figures: each briefing's first figure, newest briefing first, then their
    second figures and so on, up to `most`: as many briefings as possible get a say."""
    out: list[tuple[Briefing, Figure]] = []
    depth = max((len(b.figures) for b in briefings), default=0)
    for i in range(depth):
        for b in briefings:
            if i < len(b.figures) and len(out) < most:
                out.append((b, b.figures[i]))
    return out


def figure_groups(model: SiteModel, briefings: Sequence[Briefing], lang: str) -> list[FigureGroup]:
    """Key-figure rows grouped by the region each briefing is about, in gazetteer order, so a
    province digest never shows a district's target as the province's own."""
    by_region: dict[str, list[FigureSource]] = {}
    for b in briefings:
        if b.figures:
            by_region.setdefault(b.region, []).append(_figure_source(model, b, lang))
    order = [r for r, _ in model.gazetteer.walk()]
    return [FigureGroup(r.name.get(lang), by_region[r.slug]) for r in order if r.slug in by_region]


def css_string(text: str) -> Markup:
    """A CSS string literal for a <style> element, where HTML escaping does not apply: quotes
    and backslashes escaped, and '<' as a CSS escape so no text can close the element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return Markup('"' + escaped.replace("<", "\\3c ") + '"')


def page_counter(message: str) -> Markup:
    """'Page %(page)s of %(pages)s' → the CSS `content` value with real page counters.

    The sentence comes from the catalog so the footer reads naturally in each language
    (in Chinese: 'page N, of M pages' in its own word order); only the counters are CSS.
    """
    parts = re.split(r"%\((page|pages)\)s", message)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"counter({part})")
        elif part:
            out.append(css_string(part))
    return Markup(" ".join(out))
