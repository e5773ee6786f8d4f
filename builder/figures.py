"""Figures as data: every figure of a region (and of the regions below it) as one row, in one
stable order, written as `figures.csv` and `figures.json` for each region and for the whole site.

The rows are language-neutral: names come in every site language, values as written in the
front-matter (no scaling, no rounding), URLs absolute. The same rows, in the same order, feed the
region pages' tables and the indicators view (figure_views.py), so the page and the download
never disagree. Column order is part of the format (docs/content.md, "Figures as data"): new
columns go at the end.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from builder import urls
from builder.index import SiteModel
from builder.model import Briefing, Figure, Region
from builder.schema import PERIOD_RE


@dataclass(frozen=True)
class FigureRow:
    """One figure with the briefing that gives it and the region that briefing is about."""

    figure: Figure
    briefing: Briefing
    region: Region
    position: int  # the figure's place in its briefing's front-matter, from 0


@functools.lru_cache(maxsize=4096)  # a few dozen periods, parsed for every sort of every page
def period_span(period: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a period covers ('2023-H1' → 1 Jan to 30 Jun 2023); None without
    one. Periods sort by start, then by end: Q1 2023 before H1 2023 before 2023."""
    if not period:
        return None
    m = PERIOD_RE.match(period)
    if not m:
        return None
    year, part, end = int(m.group(1)), m.group(2), m.group(3)
    if end:
        return dt.date(year, 1, 1), dt.date(int(end), 12, 31)
    if part is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if part[0] in "QH":
        months = 3 if part[0] == "Q" else 6
        first = (int(part[1]) - 1) * months + 1
        return dt.date(year, first, 1), _month_end(year, first + months - 1)
    return dt.date(year, int(part), 1), _month_end(year, int(part))


def _month_end(year: int, month: int) -> dt.date:
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return after - dt.timedelta(days=1)


def _period_key(period: str | None) -> tuple[int, dt.date, dt.date]:
    span = period_span(period)
    # Figures without a period come after the dated ones of their indicator.
    return (0, *span) if span else (1, dt.date.min, dt.date.min)


def region_rows(model: SiteModel, region: Region | None) -> list[FigureRow]:
    """The figures of a region and every region below it (the whole site for None)."""
    return ordered(model, model.in_region(region.slug) if region else model.briefings)


def ordered(model: SiteModel, briefings: Iterable[Briefing]) -> list[FigureRow]:
    """The briefings' figures by region (the gazetteer's tree order), indicator slug, unit,
    period (by start, then end; undated last), kind, then briefing date and slug and the
    figure's place in its briefing: one order for the pages and the downloads."""
    order = {r.slug: n for n, (r, _) in enumerate(model.gazetteer.walk())}
    rows = [
        FigureRow(f, b, model.region_of(b), i) for b in briefings for i, f in enumerate(b.figures)
    ]
    rows.sort(
        key=lambda r: (
            order[r.region.slug],
            r.figure.indicator,
            r.figure.unit,
            _period_key(r.figure.period),
            r.figure.kind,
            r.briefing.date,
            r.briefing.slug,
            r.position,
        )
    )
    return rows


class FigureOrder:
    """Every figure of the site in `ordered`'s order, sorted once per build: a region's rows and
    a list page's are then cut from it instead of sorted again for each of a thousand pages.
    A region and the regions below it are consecutive in the gazetteer's walk, so their rows
    are one slice."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        self.rows = ordered(model, model.briefings)
        # (briefing slug, position) -> place in rows
        self._rank = {(r.briefing.slug, r.position): n for n, r in enumerate(self.rows)}
        # region slug -> (start, end) of its and its subregions' rows, and of its own alone
        self._spans: dict[str, tuple[int, int]] = {}
        self._own: dict[str, int] = {}  # region slug -> end of its own rows
        walk = list(model.gazetteer.walk())
        place = {r.slug: n for n, (r, _) in enumerate(walk)}
        starts = [place[r.region.slug] for r in self.rows]  # ascending: rows sort by it first
        for n, (region, depth) in enumerate(walk):
            end = n + 1  # past the last region below this one: the next one no deeper
            while end < len(walk) and walk[end][1] > depth:
                end += 1
            self._spans[region.slug] = (
                bisect.bisect_left(starts, n),
                bisect.bisect_left(starts, end),
            )
            self._own[region.slug] = bisect.bisect_left(starts, n + 1)

    def region(self, region: Region | None) -> list[FigureRow]:
        """region_rows(model, region), without sorting."""
        if region is None:
            return list(self.rows)
        start, end = self._spans.get(region.slug, (0, 0))
        return self.rows[start:end]

    def count(self, region: Region) -> int:
        """len(self.region(region)), without the copy."""
        start, end = self._spans.get(region.slug, (0, 0))
        return end - start

    def own(self, region: Region) -> list[FigureRow]:
        """The figures of the region itself, none of the regions below it: the first rows of
        its slice, since a region comes before its subregions in the walk."""
        start, _ = self._spans.get(region.slug, (0, 0))
        return self.rows[start : self._own.get(region.slug, 0)]

    def of(self, briefings: Iterable[Briefing]) -> list[FigureRow]:
        """ordered(model, briefings), without sorting more than their places."""
        rank = self._rank
        places = sorted(rank[(b.slug, i)] for b in briefings for i in range(len(b.figures)))
        return [self.rows[n] for n in places]


_last_order: FigureOrder | None = None


def figure_order(model: SiteModel) -> FigureOrder:
    """The model's FigureOrder, made once for the pages of every language and the downloads
    (a model is never changed, only replaced: the last one made is the one asked for)."""
    global _last_order
    order = _last_order  # read once: another thread may replace it meanwhile
    if order is None or order.model is not model:
        order = _last_order = FigureOrder(model)
    return order


def by_region(rows: Iterable[FigureRow]) -> Iterator[tuple[Region, list[FigureRow]]]:
    """Consecutive rows of one region (rows come ordered by region_rows)."""
    current: list[FigureRow] = []
    for row in rows:
        if current and row.region.slug != current[0].region.slug:
            yield current[0].region, current
            current = []
        current.append(row)
    if current:
        yield current[0].region, current


def by_indicator(rows: Iterable[FigureRow]) -> Iterator[tuple[str, str, list[FigureRow]]]:
    """Consecutive rows of one indicator and unit: (indicator slug, unit, rows). An indicator
    given in two units (yuan and dollars) is two groups: they share no axis."""
    current: list[FigureRow] = []
    for row in rows:
        if current and (row.figure.indicator, row.figure.unit) != (
            current[0].figure.indicator,
            current[0].figure.unit,
        ):
            yield current[0].figure.indicator, current[0].figure.unit, current
            current = []
        current.append(row)
    if current:
        yield current[0].figure.indicator, current[0].figure.unit, current


# ---- the downloads ---------------------------------------------------------------------------


def columns(model: SiteModel) -> list[str]:
    """The CSV header: the record's fields in order, a name column per site language."""
    sample: dict[str, object] = {key: None for key in FIELDS}
    for key in ("indicator_name", "region_name"):
        sample[key] = {code: "" for code in model.languages}
    return [column for column, _ in _cells(model, sample)]


def _number(value: int | float | None) -> str:
    # As the editor wrote it: 100000000000 and 24.1, never 1e+11 or 24.100000000000001.
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else repr(value)


# The fields of a record, in the order of the CSV's columns and of each JSON object's keys.
FIELDS = (
    "indicator",
    "indicator_name",
    "value",
    "unit",
    "kind",
    "qualifier",
    "period",
    "equivalent_value",
    "equivalent_unit",
    "region",
    "region_lineage",
    "region_name",
    "briefing",
    "briefing_date",
    "briefing_url",
    "source_publisher",
    "source_title",
    "source_published",
    "source_url",
)


def _record(model: SiteModel, row: FigureRow) -> dict[str, object]:
    """One row as JSON values (names per language as objects, numbers as numbers)."""
    f, b = row.figure, row.briefing
    indicator = model.indicators.get(f.indicator)
    base = model.config.base_url
    return {
        "indicator": f.indicator,
        "indicator_name": {c: indicator.name.get(c) if indicator else "" for c in model.languages},
        "value": f.value,
        "unit": f.unit,
        "kind": f.kind,
        "qualifier": f.qualifier,
        "period": f.period,
        "equivalent_value": f.equivalent_value,
        "equivalent_unit": f.equivalent_unit,
        "region": row.region.slug,
        "region_lineage": list(row.region.lineage),
        "region_name": {c: row.region.name.get(c) for c in model.languages},
        "briefing": b.slug,
        "briefing_date": b.date.isoformat(),
        # The original's page: every briefing has one, translated or not.
        "briefing_url": urls.absolute(base, urls.briefing(b.original_lang, b)),
        "source_publisher": b.source.publisher,
        "source_title": b.source.title,
        "source_published": b.source.published.isoformat(),
        "source_url": b.source.url,
    }


def _cells(model: SiteModel, record: dict[str, object]) -> Iterator[tuple[str, str]]:
    """(column, cell) pairs of a record: a name per language as one column per language (in
    site.yaml's order), lineage as slugs joined by '/', an absent field as an empty cell."""
    for key, value in record.items():
        if isinstance(value, dict):
            for code in model.languages:
                yield f"{key}_{code}", str(value[code])
        elif isinstance(value, list):
            yield key, "/".join(value)
        elif value is None:
            yield key, ""
        elif isinstance(value, int | float):
            yield key, _number(value)
        else:
            yield key, str(value)


def _csv_line(cells: Iterable[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue()


class DataFiles:
    """The downloads of one build. A figure is a row of its region's file and of each file above
    it, so each row's CSV line and JSON object are written once and joined per file."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        # An entry counts only for the very briefing it was made from (a saved briefing is a
        # new object).
        self._lines = model.figure_lines

    def _line(self, row: FigureRow) -> tuple[str, str]:
        """The row as a CSV line and a JSON object."""
        key = (row.briefing.slug, row.position)
        found = self._lines.get(key)
        if found is not None and found[0] is row.briefing:
            return found[1], found[2]
        record = _record(self.model, row)
        made = (
            _csv_line(cell for _, cell in _cells(self.model, record)),
            json.dumps(record, ensure_ascii=False),
        )
        self._lines[key] = (row.briefing, *made)
        return made

    def to_csv(self, rows: Iterable[FigureRow]) -> bytes:
        """RFC 4180 CSV in UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese
        names as UTF-8), one header row, then a row per figure."""
        lines = [_csv_line(columns(self.model)), *(self._line(row)[0] for row in rows)]
        return ("\ufeff" + "".join(lines)).encode("utf-8")

    def to_json(self, region: Region | None, rows: Iterable[FigureRow]) -> bytes:
        """{"region": slug or null, "languages": [...], "figures": [record, ...]}, keys in the
        CSV's column order, absent fields as null; one record a line (readable, diffable, and
        written by the json module's C encoder, which an indented dump does not use)."""
        head = json.dumps(
            {"region": region.slug if region else None, "languages": self.model.languages}
        )
        records = ",\n".join(self._line(row)[1] for row in rows)
        body = f"[\n{records}\n]" if records else "[]"
        return f'{head[:-1]}, "figures": {body}}}\n'.encode()

    def regions(self) -> list[Region | None]:
        """The site (None) and every region with at least one figure: the downloads made."""
        found: list[Region | None] = [None]
        for region, _ in self.model.gazetteer.walk():
            if self.model.has_figures(region.slug):
                found.append(region)
        return found

    def outputs(self, region: Region | None) -> list[tuple[str, Callable[[], bytes]]]:
        """The CSV and JSON of one region (or the site): (output path, what makes its bytes), so
        the render stage makes them only when its memo has no copy with the same inputs."""
        rows: list[FigureRow] = []

        def made(write: Callable[[list[FigureRow]], bytes]) -> Callable[[], bytes]:
            def make() -> bytes:
                if not rows:  # made when a file is, not on a warm build
                    rows.extend(figure_order(self.model).region(region))
                return write(rows)

            return make

        return [
            (urls.output_path(urls.figures_data(region, "csv")), made(self.to_csv)),
            (
                urls.output_path(urls.figures_data(region, "json")),
                made(lambda r: self.to_json(region, r)),
            ),
        ]
