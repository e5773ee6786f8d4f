"""The outputs made from the site model and the page plan alone, besides the pages: the feeds
of every language and region, the figures downloads and the sitemap.

render_html renders them with the pages, through the same memo and signatures, and shares them
among the render workers ahead of the pages (render_share.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import jinja2

from builder import figures, site_data, urls
from builder.deps import Signatures
from builder.index import SiteModel
from builder.model import Briefing, Region
from builder.pages import Page
from builder.templating import render_template


@dataclass(frozen=True)
class Extra:
    """An output made from the model and the plan alone, through the memo like a page."""

    target: str
    signature: Callable[[], str | None]
    make: Callable[[], bytes]


def plan_extras(
    model: SiteModel,
    envs: dict[str, jinja2.Environment],
    sigs: Signatures | None,
    pages: list[Page],
    alts: dict[tuple[str, ...], dict[str, str]],
) -> list[Extra]:
    """The feeds of every language and of each region with briefings (as its pages, pages.py),
    the figures downloads and the sitemap."""
    extras = []
    for lang in model.languages:
        env = envs[lang]
        for region in [None, *(r for r, _ in model.gazetteer.walk() if model.in_region(r.slug))]:
            items = (model.in_region(region.slug) if region else model.briefings)[:50]
            newest = _newest(model, items)
            url = urls.feed(lang, region)
            extras.append(
                Extra(
                    urls.output_path(url),
                    partial(sigs.feed, lang, items, newest, url) if sigs else _unsigned,
                    partial(_feed, env, model, lang, region, items, newest),
                )
            )
    data = figures.DataFiles(model)
    for region in data.regions():  # language-neutral: once, not per language
        items = model.in_region(region.slug) if region else model.briefings
        for output, make in data.outputs(region):
            extras.append(
                Extra(output, partial(sigs.data, output, items) if sigs else _unsigned, make)
            )
    entries = [
        (p.url, alts.get(p.key, {})) for p in pages if p.in_sitemap and p.lang == model.default_lang
    ]
    entries += [
        (p.url, alts.get(p.key, {})) for p in pages if p.in_sitemap and p.lang != model.default_lang
    ]
    default = envs[model.default_lang]
    extras.append(
        Extra(
            "sitemap.xml",
            (lambda: sigs.sitemap((url, sorted(a.items())) for url, a in entries))
            if sigs
            else _unsigned,
            lambda: render_template(
                default, "sitemap.xml", sitemap=site_data.sitemap(model, entries)
            ),
        )
    )
    return extras


def _unsigned() -> None:
    return None


def _feed(
    env: jinja2.Environment,
    model: SiteModel,
    lang: str,
    region: Region | None,
    items: tuple[Briefing, ...],
    newest: dt.date | None,
) -> bytes:
    return render_template(env, "feed.xml", feed=site_data.feed(model, lang, region, items, newest))


def _newest(model: SiteModel, items: tuple[Briefing, ...]) -> dt.date | None:
    return items[0].date if items else (model.briefings[0].date if model.briefings else None)
