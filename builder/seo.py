"""Structured data for search engines and link previews: JSON-LD and OpenGraph values.

JSON-LD goes into `<script type="application/ld+json">`: a data block, which browsers never
execute, so the Content-Security-Policy (no inline script) does not apply to it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from builder import urls
from builder.index import SiteModel
from builder.model import Briefing, Region


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON safe inside a <script> element: '<', '>' and '&' escaped, so '</script>' in a title
    cannot end the element. Keys sorted and non-ASCII kept, for stable output; compact, because
    json's C encoder does not indent: indented, it was a twentieth of a briefing page's time."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return Markup(text)


def _absolute(model: SiteModel, url: str) -> str:
    return urls.absolute(model.config.base_url, url)


def breadcrumb_list(model: SiteModel, region: Region, lang: str) -> dict[str, Any]:
    """schema.org BreadcrumbList for the region path, province first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": i,
                "name": r.name.get(lang),
                "item": _absolute(model, urls.region(lang, r)),
            }
            for i, r in enumerate(model.gazetteer.ancestors(region.slug), start=1)
        ],
    }


def news_article(model: SiteModel, b: Briefing, lang: str) -> dict[str, Any]:
    """schema.org NewsArticle for one language version of a briefing."""
    text = b.text(lang)
    page = _absolute(model, urls.briefing(text.lang, b))
    publisher = {
        "@type": "Organization",
        "name": model.config.title.get(lang),
        "url": _absolute(model, urls.home(lang)),
    }
    region = model.region_of(b)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": text.title,
        "description": text.summary,
        "inLanguage": model.config.language(text.lang).html_lang,
        "datePublished": b.date.isoformat(),
        "url": page,
        "mainEntityOfPage": page,
        "author": publisher,
        "publisher": publisher,
        "contentLocation": {"@type": "Place", "name": region.name.get(lang)},
        "about": [model.topics[t].name.get(lang) for t in b.topics],
    }
    if b.source.url:
        data["isBasedOn"] = b.source.url
    if b.has(lang) and len(b.texts) > 1:
        data["workTranslation" if text.is_original else "translationOfWork"] = [
            {"@type": "NewsArticle", "url": _absolute(model, urls.briefing(other, b))}
            for other in sorted(b.texts)
            if other != lang
        ]
    return data
