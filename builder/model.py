"""Resolved, immutable records the index and renderers work with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from builder.languages import Localized


@dataclass(frozen=True)
class Region:
    slug: str
    name: Localized
    level: str
    parent: str | None
    aliases: tuple[str, ...]
    # Slugs from the province down to this region, inclusive: the URL path and the breadcrumb.
    lineage: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    slug: str
    name: Localized
    description: Localized | None = None


@dataclass(frozen=True)
class Indicator:
    slug: str
    name: Localized
    counted: Localized | None = None  # what a count of it counts (indicators.yaml `counted`)
    counted_one: Localized | None = None  # the same for a count of one (`counted_one`)


@dataclass(frozen=True)
class Figure:
    indicator: str
    value: int | float
    unit: str
    kind: str
    qualifier: str | None = None
    period: str | None = None
    equivalent_value: int | float | None = None
    equivalent_unit: str | None = None
    counted: Localized | None = None  # for unit "count": the indicator's counted noun
    counted_one: Localized | None = None  # and its form for a count of one, if it has one


@dataclass(frozen=True)
class Source:
    title: str
    published: dt.date
    publisher: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Text:
    """One language version of a briefing: the words only."""

    lang: str
    title: str
    summary: str
    body: str  # Markdown, rendered by the markdown stage once every briefing's URL is known
    body_line: int  # file line where the body starts, for messages
    path: Path  # the source file
    is_original: bool
    stale: bool = False  # a translation made from an older version of the original


@dataclass(frozen=True)
class Briefing:
    """A briefing: language-neutral facts plus a text per available language."""

    slug: str
    date: dt.date
    region: str
    topics: tuple[str, ...]
    source: Source
    figures: tuple[Figure, ...]
    draft: bool
    original_lang: str
    texts: dict[str, Text] = field(hash=False, compare=False)

    @property
    def year(self) -> int:
        return self.date.year

    def text(self, lang: str) -> Text:
        """The text in `lang`, or the original when there is no translation."""
        return self.texts.get(lang) or self.texts[self.original_lang]

    def has(self, lang: str) -> bool:
        return lang in self.texts
