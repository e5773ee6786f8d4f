"""The one orchestrator: content → records → site model → outputs → published site."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from builder.articles import Catalogs, load_briefings
from builder.config import load_indicators, load_site, load_topics
from builder.errors import BuildFailed, Report
from builder.hosting import HEADERS_FILE, headers_file
from builder.index import SiteModel, build_index
from builder.publish import check_output, publish
from builder.regions import load_gazetteer
from builder.render_html import Outputs, render_site
from builder.search import build_index as build_search_index


@dataclass(frozen=True)
class Options:
    root: Path
    content: Path | None = None
    templates: Path | None = None
    out: Path | None = None
    drafts: bool = False
    strict: bool = False
    write: bool = True  # False for `briefings check`
    search: bool = True  # False for --no-search: no search pages, no Pagefind run

    @property
    def content_dir(self) -> Path:
        return (self.content or self.root / "content").resolve()

    @property
    def templates_dir(self) -> Path:
        return (self.templates or self.root / "templates").resolve()

    @property
    def out_dir(self) -> Path:
        return (self.out or self.root / "site").resolve()


@dataclass
class BuildResult:
    report: Report
    model: SiteModel | None = None
    outputs: Outputs = field(default_factory=dict)


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def build_date(timezone: str) -> dt.date:
    """Today in the site's time zone, or the day of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = source_date_epoch()
    zone = zoneinfo.ZoneInfo(timezone)
    now = dt.datetime.fromtimestamp(epoch, zone) if epoch is not None else dt.datetime.now(zone)
    return now.date()


def build(options: Options) -> BuildResult:
    """Run the whole build; on any error raise BuildFailed and leave the output untouched."""
    report = Report(options.root.resolve())
    content = options.content_dir
    if options.write:
        protected = [options.root, content, options.templates_dir]
        check_output(
            options.out_dir, [*protected, options.root / "content", options.root / "templates"]
        )

    config = load_site(content, report)
    gazetteer = load_gazetteer(content, report)
    topics = load_topics(content, report)
    indicators = load_indicators(content, report)
    if config is None:
        raise BuildFailed(report)

    catalogs = Catalogs(config, gazetteer, topics, indicators)
    today = build_date(config.timezone)
    briefings = load_briefings(content, catalogs, report, drafts=options.drafts, today=today)
    model = build_index(config, gazetteer, topics, indicators, briefings)
    outputs = render_site(model, options.templates_dir, report, search=options.search)
    # Search indexes the rendered HTML, so it runs after every other stage that makes pages;
    # `check` skips it: it writes nothing, and the index cannot be wrong where the HTML is right.
    if options.search and options.write and not report.errors:
        outputs.update(build_search_index(outputs, report, root=options.root.resolve()))
    outputs[HEADERS_FILE] = headers_file(outputs)

    if options.strict:
        report.strict()
    if report.errors:
        raise BuildFailed(report)
    if options.write:
        publish(outputs, options.out_dir, epoch=source_date_epoch())
    return BuildResult(report, model, outputs)
