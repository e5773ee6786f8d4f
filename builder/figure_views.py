"""Figures prepared for the pages, in one language: a briefing's "at a glance" box, a region
page's table grouped by region and indicator, and a region's own figures in its indicators view,
with their charts (the regions below it are compared there by figure_compare.py).

Everything a template shows is computed here once (formatted values, period labels, links,
charts) into frozen records that page_data.py puts on its page kinds (`BriefingPage.glance`,
`RegionPage.figures`, `FiguresPage.view`), so the templates only lay them out. The order of rows
is figures.region_rows', the order of the CSV and JSON downloads too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from markupsafe import Markup, escape

from builder import urls
from builder.charts import Chart, Point, line_chart
from builder.figures import (
    FigureRow,
    by_indicator,
    by_region,
    figure_order,
    ordered,
    period_span,
)
from builder.i18n import Formatter
from builder.index import SiteModel
from builder.model import Briefing, Figure, Region
from builder.page_parts import Scope

GLANCE = 5  # figures in a briefing's "at a glance" box: the first ones of its front-matter


@dataclass(frozen=True)
class Value:
    """A figure as shown: 'over 100 billion yuan ($13.82 billion)' (the note under the table
    says once what the bracketed dollar amounts are), its kind and period."""

    text: Markup
    kind: str  # "target" / "actual": the class of its badge
    kind_label: str
    period: str  # '' when the figure has none (no "—" filler)
    # Its cells in a table row, made once per figure and language: laid out by the templates,
    # a row's value, kind and period were six lookups and five escapes, for 58,000 rows a
    # build. `cells`: the value, kind and period of _figures.html's grouped table; `series`:
    # the value and kind of an indicators view's table. Indented as the template's rows are.
    cells: Markup
    series: Markup


@dataclass(frozen=True)
class Row:
    value: Value
    # The briefing's link, by date: short, and it tells two briefings' rows apart; its title is
    # the tooltip, and hreflang says when the page is in another language. Made here: a macro
    # call per row was a tenth of a province page's rendering.
    briefing: Markup


@dataclass(frozen=True)
class IndicatorGroup:
    ident: str  # unique on the page: anchors, the chart's title id
    name: str
    rows: tuple[Row, ...]
    chart: Chart | None  # two or more periods: drawn; one: the table says it all


@dataclass(frozen=True)
class RegionGroup:
    ident: str
    name: str
    href: str  # the region's page
    figures: int
    indicators: tuple[IndicatorGroup, ...]

    @property
    def charted(self) -> tuple[IndicatorGroup, ...]:
        return tuple(i for i in self.indicators if i.chart)

    @property
    def uncharted(self) -> FigureTable | None:
        """The indicators with no chart (one period or none), as one table: a table each would
        repeat the column heads for every one-row indicator."""
        rest = tuple(i for i in self.indicators if not i.chart)
        if not rest:
            return None
        count = sum(len(i.rows) for i in rest)
        return FigureTable((replace(self, figures=count, indicators=rest),), False)


@dataclass(frozen=True)
class FigureTable:
    regions: tuple[RegionGroup, ...]
    equivalents: bool  # some value has a converted amount: explain the brackets once

    @property
    def charts(self) -> int:
        return sum(1 for r in self.regions for i in r.indicators if i.chart)


@dataclass(frozen=True)
class GlanceItem:
    name: str
    value: Value


@dataclass(frozen=True)
class Glance:
    items: tuple[GlanceItem, ...]
    more: int  # figures beyond the box, in the full table below the body
    equivalents: bool


@dataclass(frozen=True)
class Downloads:
    csv: str
    json: str
    view: str  # the indicators view
    compares: bool  # the view compares regions below (figure_compare.py): some have figures


def value_of(fmt: Formatter, f: Figure) -> Value:
    text, kind_label = escape(fmt.figure_full(f)), fmt.kind(f.kind)
    period = fmt.period(f.period) if f.period else ""
    value_cell = f'<td class="num">{text}</td>'
    kind_cell = f'<td><span class="kind {escape(f.kind)}">{escape(kind_label)}</span></td>'
    return Value(
        text,
        f.kind,
        kind_label,
        period,
        Markup("\n      ".join((value_cell, kind_cell, f"<td>{escape(period)}</td>"))),
        Markup("\n        ".join((value_cell, kind_cell))),
    )


class Memo:
    """What one language's pages share in one build (render_html.render_site makes one per
    language, so the preview never sees an earlier build's): a district's figures are shown on
    its page, its city's and its province's, and Babel's number formatting and the charts are
    most of the cost of those pages. Never part of a page's data."""

    def __init__(self) -> None:
        self.values: dict[Figure, Value] = {}
        self.charts: dict[str, Chart | None] = {}  # by IndicatorGroup.ident
        self.ticks: dict[tuple[Decimal, str], str] = {}  # axis labels
        # A briefing's link in a figure row by (slug, href): the same on every page that links
        # it from the same depth (a district's rows on its page, its city's, its province's).
        self.links: dict[tuple[str, str], Markup] = {}


class PageFigures:
    """What every record of one page needs: the model, the language and its links."""

    def __init__(self, scope: Scope, memo: Memo) -> None:
        self.model: SiteModel = scope.model
        self.fmt: Formatter = scope.fmt
        self.rel = scope.rel
        self.lang = scope.lang
        self.memo = memo
        self.links: dict[str, Markup] = {}  # by briefing slug: a briefing gives several rows

    def value(self, f: Figure) -> Value:
        found = self.memo.values.get(f)
        if found is None:
            found = self.memo.values[f] = value_of(self.fmt, f)
        return found

    def tick(self, value: Decimal, unit: str) -> str:
        found = self.memo.ticks.get((value, unit))
        if found is None:
            found = self.memo.ticks[(value, unit)] = self.fmt.amount(_plain(value), unit)
        return found

    def row(self, r: FigureRow) -> Row:
        return Row(self.value(r.figure), self.link(r.briefing))

    def link(self, b: Briefing) -> Markup:
        found = self.links.get(b.slug)
        if found is None:
            found = self.links[b.slug] = self._link(b)
        return found

    def _link(self, b: Briefing) -> Markup:
        text = b.text(self.lang)
        href = self.rel(urls.briefing(text.lang, b))
        key = (b.slug, href)
        found = self.memo.links.get(key)
        if found is None:
            other = None if b.has(self.lang) else self.model.config.language(text.lang).html_lang
            # Escaped values joined by an f-string, one Markup at the end: Markup.format goes
            # through string.Formatter in pure Python.
            hreflang = f' hreflang="{escape(other)}"' if other else ""
            found = self.memo.links[key] = Markup(
                f'<a href="{escape(href)}" title="{escape(text.title)}"{hreflang}>'
                f"{escape(self.fmt.date(b.date))}</a>"
            )
        return found

    def indicator_name(self, slug: str) -> str:
        found = self.model.indicators.get(slug)
        return found.name.get(self.lang) if found else slug

    def table(self, rows: Iterable[FigureRow], *, charts: bool) -> FigureTable:
        regions = []
        equivalents = False
        for region, region_rows_ in by_region(rows):
            groups = []
            for slug, unit, group in by_indicator(region_rows_):
                ident = f"{region.slug}--{slug}--{unit}"
                name = self.indicator_name(slug)
                chart = None
                if charts:
                    # A group's figures are its region's own, whichever page shows them.
                    if ident not in self.memo.charts:
                        self.memo.charts[ident] = self.chart(region, name, unit, group, ident)
                    chart = self.memo.charts[ident]
                groups.append(IndicatorGroup(ident, name, tuple(self.row(r) for r in group), chart))
                equivalents |= any(r.figure.equivalent_value is not None for r in group)
            regions.append(
                RegionGroup(
                    region.slug,
                    region.name.get(self.lang),
                    self.rel(urls.region(self.lang, region)),
                    len(region_rows_),
                    tuple(groups),
                )
            )
        return FigureTable(tuple(regions), equivalents)

    def chart(
        self, region: Region, name: str, unit: str, rows: list[FigureRow], ident: str
    ) -> Chart | None:
        if not charted(rows):
            return None
        dated = [r for r in rows if period_span(r.figure.period)]
        periods: dict[str, float] = {}  # rows come in period order
        for r in dated:
            period = str(r.figure.period)
            if period not in periods:
                start, end = period_span(period) or (dt.date.min, dt.date.min)
                periods[period] = (start.toordinal() + end.toordinal()) / 2
        names = list(periods)
        fmt = self.fmt
        title = fmt.gettext(
            "%(indicator)s in %(region)s, %(start)s to %(end)s; the table gives each figure"
        ) % {
            "indicator": name,
            "region": region.name.get(self.lang),
            "start": fmt.period(names[0]),
            "end": fmt.period(names[-1]),
        }
        points = [
            Point(str(r.figure.period), r.figure.value, r.figure.kind, _months(r.figure.period))
            for r in dated
        ]
        return line_chart(
            points,
            # by middle: a span of years sorts by its start but sits at its middle
            sorted(periods.items(), key=lambda item: item[1]),
            period_label=fmt.period,
            value_label=lambda tick: self.tick(tick, unit),
            ident=f"chart-{ident}",
            title=title,
            whole=unit == "count",
        )


def charted(rows: Iterable[FigureRow]) -> bool:
    """Whether an indicator's figures are drawn as a chart: they cover two or more periods."""
    return len({r.figure.period for r in rows if period_span(r.figure.period)}) >= 2


def _months(period: str | None) -> int:
    """How many months a period covers (2023-Q1: 3, 2023-H1: 6, 2021..2023: 36): the chart joins
    only figures of equal length, so a first half's total never continues a first quarter's."""
    start, end = period_span(period) or (dt.date.min, dt.date.min)
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _plain(tick: Decimal) -> int | float:
    return int(tick) if tick == tick.to_integral_value() else float(tick)


def figure_table(scope: Scope, memo: Memo, items: Sequence[Briefing]) -> FigureTable:
    """The figures of a list page's briefings, grouped by region and indicator (no charts: a
    list page holds twenty briefings, not a series), or of one briefing for its own page."""
    page = PageFigures(scope, memo)
    if len(items) == 1:
        # Its own rows, sorted alone: the preview renders a saved briefing's page before
        # anything else, and must not wait for the site's order (a sort of every figure).
        return page.table(ordered(page.model, items), charts=False)
    return page.table(figure_order(page.model).of(items), charts=False)


def indicators_view(scope: Scope, memo: Memo, region: Region) -> FigureTable:
    """Every figure of the region itself (none of the regions below it: figure_compare.py
    compares those), with a chart per indicator that has figures for two or more periods."""
    page = PageFigures(scope, memo)
    return page.table(figure_order(page.model).own(region), charts=True)


def glance(scope: Scope, memo: Memo, briefing: Briefing) -> Glance:
    """A briefing's first figures, for the box above its body."""
    page = PageFigures(scope, memo)
    shown = briefing.figures[:GLANCE]
    return Glance(
        tuple(GlanceItem(page.indicator_name(f.indicator), page.value(f)) for f in shown),
        len(briefing.figures) - len(shown),
        any(f.equivalent_value is not None for f in shown),
    )


def downloads(scope: Scope, region: Region) -> Downloads | None:
    """The region's figures downloads and indicators view; None when it has no figures."""
    if not scope.model.has_figures(region.slug):
        return None
    rel = scope.rel
    return Downloads(
        rel(urls.figures_data(region, "csv")),
        rel(urls.figures_data(region, "json")),
        rel(urls.region_figures(scope.lang, region)),
        scope.model.has_figures_below(region.slug),
    )
