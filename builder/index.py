"""The site model: briefings grouped by region (with descendants), topic, year and language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder import urls
from builder.model import Briefing, Indicator, Region, Topic
from builder.regions import Gazetteer
from builder.schema import SiteConfig


@dataclass(frozen=True)
class SiteModel:
    config: SiteConfig
    gazetteer: Gazetteer
    topics: dict[str, Topic]
    indicators: dict[str, Indicator]
    briefings: tuple[Briefing, ...]  # newest first
    _by_region: dict[str, tuple[Briefing, ...]] = field(repr=False)
    _by_topic: dict[str, tuple[Briefing, ...]] = field(repr=False)
    _by_year: dict[int, tuple[Briefing, ...]] = field(repr=False)
    _by_path: dict[Path, Briefing] = field(repr=False)

    @property
    def languages(self) -> list[str]:
        """The site's language codes, the default first."""
        return self.config.codes

    @property
    def default_lang(self) -> str:
        return self.config.codes[0]

    def in_region(self, slug: str) -> tuple[Briefing, ...]:
        """The region's own briefings and those of every region below it."""
        return self._by_region.get(slug, ())

    def in_topic(self, slug: str) -> tuple[Briefing, ...]:
        return self._by_topic.get(slug, ())

    def in_year(self, year: int) -> tuple[Briefing, ...]:
        return self._by_year.get(year, ())

    @property
    def years(self) -> list[int]:
        return sorted(self._by_year, reverse=True)

    def by_path(self, path: Path) -> Briefing | None:
        """The briefing whose original or translation lives at `path` (absolute)."""
        # Keys are resolved paths; a link through a symlinked folder names the lexical one.
        return self._by_path.get(path) or self._by_path.get(path.resolve())

    def link_url(self, path: Path, lang: str) -> str | None:
        """The page a body link to a content file leads to: that briefing in `lang`, or in its
        original language when it has no translation; None when it is no published briefing."""
        target = self.by_path(path)
        if target is None:
            return None
        return urls.briefing(lang if target.has(lang) else target.original_lang, target)

    def region_of(self, b: Briefing) -> Region:
        return self.gazetteer[b.region]


def build_index(
    config: SiteConfig,
    gazetteer: Gazetteer,
    topics: dict[str, Topic],
    indicators: dict[str, Indicator],
    briefings: list[Briefing],
) -> SiteModel:
    ordered = tuple(sorted(briefings, key=lambda b: (-b.date.toordinal(), b.slug)))
    by_region: dict[str, list[Briefing]] = {}
    by_topic: dict[str, list[Briefing]] = {}
    by_year: dict[int, list[Briefing]] = {}
    by_path: dict[Path, Briefing] = {}
    for b in ordered:
        for slug in gazetteer[b.region].lineage:
            by_region.setdefault(slug, []).append(b)
        for t in b.topics:
            by_topic.setdefault(t, []).append(b)
        by_year.setdefault(b.year, []).append(b)
        for text in b.texts.values():
            by_path[text.path.resolve()] = b
    return SiteModel(
        config,
        gazetteer,
        topics,
        indicators,
        ordered,
        {k: tuple(v) for k, v in by_region.items()},
        {k: tuple(v) for k, v in by_topic.items()},
        {k: tuple(v) for k, v in by_year.items()},
        by_path,
    )
