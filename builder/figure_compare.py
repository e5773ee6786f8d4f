"""The regions below a region, compared on its indicators view instead of repeated there.

A region's view shows its own figures in full, charted (figure_views.indicators_view). Below
them it used to repeat every figure of every region beneath it, table for table and chart for
chart, what each of those regions' own views already shows: a province of the 2,000-briefing
archive had 2,056 rows and 790 charts on one page. What it shows of them instead, prepared here:

- a comparison: per indicator and unit, one table of the regions directly below with each one's
  latest figure of its own (`latest`), its name linked to its own view (at that indicator's
  chart, when it has one); a region with no figure of its own for the indicator is not in it.
  An indicator only one of them reports would make a table of one row, which compares nothing:
  those figures share one table instead, a row each with the indicator named (`single`; an
  editor's briefings often give figures no neighbour gives);
- every region below that has figures, as a tree of links to their views with the number of
  figures in each and below it: every figure stays one click from the region's view, and the
  regions further down are compared on their parents' views.

The downloads (figures.py) still hold every figure of the region and below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from builder import urls
from builder.figure_views import Memo, PageFigures, Value, charted
from builder.figures import FigureOrder, FigureRow, by_indicator, figure_order, period_span
from builder.model import Region
from builder.page_parts import Scope


@dataclass(frozen=True)
class Compared:
    """A region's row in an indicator's comparison: its latest figure of its own."""

    name: str
    href: str  # its indicators view, at the indicator's chart when it has one
    value: Value


@dataclass(frozen=True)
class ComparedIndicator:
    ident: str  # unique on the page (a slug has no "_": no region's figures share it)
    name: str
    rows: tuple[Compared, ...]  # the regions directly below, in the region tree's order


@dataclass(frozen=True)
class SingleFigure:
    """The latest figure of an indicator only one region directly below reports: a table of
    one row compares nothing, so these share one table, a row each."""

    ident: str  # as a ComparedIndicator's: the row's id
    indicator: str
    row: Compared


@dataclass(frozen=True)
class RegionBelow:
    """A region below the one viewed, with figures in it or below it (so it has a view)."""

    name: str
    href: str  # its indicators view
    figures: int  # in it and below it
    below: tuple[RegionBelow, ...]


@dataclass(frozen=True)
class Comparison:
    indicators: tuple[ComparedIndicator, ...]  # reported by two or more regions below
    single: tuple[SingleFigure, ...]  # the others, by region below, then indicator and unit
    regions: tuple[RegionBelow, ...]  # the tree of regions below with figures
    figures: int  # every figure below the region
    equivalents: bool  # a compared value has a converted amount: explain the brackets once


def latest(rows: Sequence[FigureRow]) -> FigureRow:
    """The figure a region is compared by, of one indicator and unit: the one of the most
    recent period (the latest end, then the latest start: 2025 before 2021-2025), an actual
    result before a target for the same period (the outcome replaces the plan), then the one of
    the latest briefing (the rows' order breaks the last ties). A figure without a period only
    when none has one."""

    def key(n: int) -> tuple[bool, dt.date, dt.date, bool, dt.date, int]:
        row = rows[n]
        span = period_span(row.figure.period)
        start, end = span or (dt.date.min, dt.date.min)
        return (span is not None, end, start, row.figure.kind == "actual", row.briefing.date, n)

    return rows[max(range(len(rows)), key=key)]


def comparison(scope: Scope, memo: Memo, region: Region) -> Comparison | None:
    """The regions below `region` compared, with the tree of their views; None when no region
    below it has a figure (its view is then a district's: its own figures alone)."""
    page = PageFigures(scope, memo)
    order = figure_order(page.model)
    tree = _tree(page, order, region)
    if not tree:
        return None
    groups: dict[tuple[str, str], list[tuple[int, Compared]]] = {}
    equivalents = False
    for place, child in enumerate(page.model.gazetteer.children(region.slug)):
        own = order.own(child)
        if not own:
            continue
        view = page.rel(urls.region_figures(page.lang, child))
        name = child.name.get(page.lang)
        for slug, unit, rows in by_indicator(own):
            pick = latest(rows).figure
            # The child's view heads a charted indicator with this id (figure_views.table).
            at = f"#{child.slug}--{slug}--{unit}" if charted(rows) else ""
            compared = Compared(name, view + at, page.value(pick))
            groups.setdefault((slug, unit), []).append((place, compared))
            equivalents |= pick.equivalent_value is not None
    indicators: list[ComparedIndicator] = []
    single: list[tuple[int, SingleFigure]] = []
    for (slug, unit), placed in sorted(groups.items()):
        ident, title = f"compare_{slug}--{unit}", page.indicator_name(slug)
        if len(placed) > 1:
            indicators.append(ComparedIndicator(ident, title, tuple(c for _, c in placed)))
        else:
            ((place, compared),) = placed
            single.append((place, SingleFigure(ident, title, compared)))
    # The shared table by region (in the tree's order), then indicator: a region's rows together.
    single.sort(key=lambda entry: entry[0])
    figures = sum(r.figures for r in tree)
    alone = tuple(s for _, s in single)
    return Comparison(tuple(indicators), alone, tree, figures, equivalents)


def _tree(page: PageFigures, order: FigureOrder, region: Region) -> tuple[RegionBelow, ...]:
    found = []
    for child in page.model.gazetteer.children(region.slug):
        count = order.count(child)
        if count:  # a region with no figure in it or below has no view
            found.append(
                RegionBelow(
                    child.name.get(page.lang),
                    page.rel(urls.region_figures(page.lang, child)),
                    count,
                    _tree(page, order, child),
                )
            )
    return tuple(found)
