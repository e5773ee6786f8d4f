"""Data prepared for templates by the render stage: what a list card and a region page show,
computed in Python once rather than in the templates (figures: figure_views.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jinja2
import jinja2.runtime

from builder import urls
from builder.i18n import Formatter
from builder.index import SiteModel
from builder.languages import Language
from builder.model import Briefing


@dataclass(frozen=True)
class DigestLink:
    url: str
    language: Language


@dataclass(frozen=True)
class RegionPage:
    """A region page's own data, for region.html."""

    subregions: list[tuple[str, str, int]]  # (URL, name, number of briefings)
    digests: list[DigestLink]  # the latest period's PDF digest in each language made
    earlier: list[tuple[str, str]]  # (period label, URL) of earlier periods' digests


@dataclass(frozen=True)
class Card:
    """What a card in a list of briefings shows, for one page in one language."""

    title: str
    summary: str
    href: str
    date_iso: str
    date: str
    region_href: str
    region_name: str
    draft: bool
    text_lang: str  # the language of the text shown
    other_lang: str | None  # its lang attribute when it is not the page's language


@jinja2.pass_context
def cards(context: jinja2.runtime.Context, items: Iterable[Briefing]) -> list[Card]:
    lang: str = context["lang"]
    fmt: Formatter = context["fmt"]
    rel: Callable[[str], str] = context["rel"]
    model: SiteModel = context["model"]
    out = []
    for b in items:
        t = b.text(lang)
        region = model.region_of(b)
        other = None if b.has(lang) else model.config.language(t.lang).html_lang
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
                t.lang,
                other,
            )
        )
    return out
