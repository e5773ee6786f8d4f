"""The site model: briefings grouped by region (with descendants), topic, year and language."""

from __future__ import annotations

import bisect
import functools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from builder import urls
from builder.config import Catalog
from builder.model import Briefing, Indicator, Region, Topic
from builder.regions import Gazetteer
from builder.schema import SiteConfig

K = TypeVar("K")


@dataclass(frozen=True)
class SiteModel:
    config: SiteConfig
    gazetteer: Gazetteer
    topics: Catalog[Topic]
    indicators: Catalog[Indicator]
    briefings: tuple[Briefing, ...]  # newest first
    _by_region: dict[str, tuple[Briefing, ...]] = field(repr=False)
    _by_topic: dict[str, tuple[Briefing, ...]] = field(repr=False)
    _by_year: dict[int, tuple[Briefing, ...]] = field(repr=False)
    _by_path: dict[Path, Briefing] = field(repr=False)
    # What figures.DataFiles made of each figure: (briefing slug, position) -> (that briefing,
    # CSV line, JSON object), kept by the models replace_briefings derives from this one: they
    # share the config and the gazetteer those lines name, so the preview does not write
    # 50,000 lines again per save.
    figure_lines: dict[tuple[str, int], tuple[Briefing, str, str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    # Cached: pages ask on every link they make (a list built each time was 0.3 % of a build).
    @functools.cached_property
    def languages(self) -> tuple[str, ...]:
        """The site's language codes, the default first."""
        return tuple(self.config.codes)

    @functools.cached_property
    def default_lang(self) -> str:
        return self.config.codes[0]

    def briefing(self, slug: str) -> Briefing | None:
        return self._by_slug.get(slug)

    @functools.cached_property
    def _by_slug(self) -> dict[str, Briefing]:
        return {b.slug: b for b in self.briefings}

    def in_region(self, slug: str) -> tuple[Briefing, ...]:
        """The region's own briefings and those of every region below it."""
        return self._by_region.get(slug, ())

    def has_figures(self, slug: str) -> bool:
        """Whether the region or one below it has figures: then it has figures downloads and
        an indicators view, and its pages link them (pages.py, figures.py, figure_views.py,
        and the signatures of deps.py, which must agree)."""
        return any(b.figures for b in self.in_region(slug))

    def has_figures_below(self, slug: str) -> bool:
        """Whether a region below this one has figures: its indicators view then compares
        the regions below (figure_compare.py)."""
        return any(b.figures and b.region != slug for b in self.in_region(slug))

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
    topics: Catalog[Topic],
    indicators: Catalog[Indicator],
    briefings: list[Briefing],
) -> SiteModel:
    ordered = tuple(sorted(briefings, key=_order))
    by_region: dict[str, list[Briefing]] = {}
    by_topic: dict[str, list[Briefing]] = {}
    by_year: dict[int, list[Briefing]] = {}
    by_path: dict[Path, Briefing] = {}
    real = _RealPaths()
    for b in ordered:
        for slug in gazetteer[b.region].lineage:
            by_region.setdefault(slug, []).append(b)
        for t in b.topics:
            by_topic.setdefault(t, []).append(b)
        by_year.setdefault(b.year, []).append(b)
        for text in b.texts.values():
            by_path[real(text.path)] = b
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


class _RealPaths:
    """`Path.resolve` of files in a few folders: each folder resolved, and listed for its links,
    once; a file is resolved whole only when it is a link itself. (Resolving 2,600 paths whole
    took a tenth of a warm build; an lstat of each of 26,000 files, and a new Path for each,
    0.1-0.2 s of a cold load of 20,000 briefings.)"""

    def __init__(self) -> None:
        # by the folder's text: (the folder resolved, whether that is the folder as given,
        # the names of the links in it, or None when it could not be listed)
        self.folders: dict[str, tuple[Path, bool, frozenset[str] | None]] = {}

    def __call__(self, path: Path) -> Path:
        folder, _, name = str(path).rpartition("/")
        known = self.folders.get(folder)
        if known is None:
            parent = path.parent
            real = parent.resolve()
            known = self.folders[folder] = (real, real == parent, _links(parent))
        real, same, links = known
        if path.is_symlink() if links is None else name in links:
            return path.resolve()
        return path if same else real / path.name


def _links(folder: Path) -> frozenset[str] | None:
    try:
        with os.scandir(folder) as listing:
            return frozenset(entry.name for entry in listing if entry.is_symlink())
    except OSError:
        return None  # each file is asked whether it is a link


def _order(b: Briefing) -> tuple[int, str]:
    return (-b.date.toordinal(), b.slug)


def replace_briefings(model: SiteModel, slugs: set[str], fresh: list[Briefing]) -> SiteModel:
    """The model with the briefings of `slugs` replaced by `fresh` (those of them that still
    belong in the build), as `build_index` would make it from all the briefings.

    The preview's edit of one briefing: only the lists that held it, or now hold it, are made
    again; every other list keeps its tuple, so a page whose list is the same object lists
    nothing new (incremental.py relies on it), and no path is resolved again but the new ones.
    """
    gone = [b for b in model.briefings if b.slug in slugs]

    def swap(items: tuple[Briefing, ...], add: list[Briefing]) -> tuple[Briefing, ...]:
        kept = [b for b in items if b.slug not in slugs]
        for b in add:
            bisect.insort(kept, b, key=_order)
        return tuple(kept)

    def patch(
        lists: dict[K, tuple[Briefing, ...]],
        keys: Callable[[Briefing], Iterable[K]],
    ) -> None:
        touched = {k for b in (*gone, *fresh) for k in keys(b)}
        for k in touched:
            items = swap(lists.get(k, ()), [b for b in fresh if k in keys(b)])
            if items:
                lists[k] = items
            else:
                lists.pop(k, None)

    by_region = dict(model._by_region)
    by_topic = dict(model._by_topic)
    by_year = dict(model._by_year)
    patch(by_region, lambda b: model.gazetteer[b.region].lineage)
    patch(by_topic, lambda b: b.topics)
    patch(by_year, lambda b: (b.year,))
    by_path = dict(model._by_path)
    real = _RealPaths()
    for b in gone:
        for text in b.texts.values():
            by_path.pop(real(text.path), None)
    for b in fresh:
        for text in b.texts.values():
            by_path[real(text.path)] = b
    return SiteModel(
        model.config,
        model.gazetteer,
        model.topics,
        model.indicators,
        swap(model.briefings, fresh),
        by_region,
        by_topic,
        by_year,
        by_path,
        model.figure_lines,
    )
