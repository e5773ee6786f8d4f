"""The one orchestrator: content → records → site model → outputs → published site."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from builder import files, forked, heap, manifest, urls
from builder.articles import Catalogs, load_briefings
from builder.buildcache import SourceCache
from builder.cache import DigestCache
from builder.config import load_indicators, load_site, load_topics
from builder.errors import BuildFailed, Report
from builder.hosting import HEADERS_FILE, REDIRECTS_FILE, headers_file, redirects_file
from builder.index import SiteModel, build_index
from builder.markdown import Body
from builder.memo import DiskMemo, Memo
from builder.model import Briefing, Region
from builder.options import Options, Run, build_date, source_date_epoch
from builder.pages import Page, plan_pages
from builder.progress import Stages
from builder.publish import MARKER, MARKER_TEXT, check_output, publish, write_files
from builder.regions import load_gazetteer
from builder.render_html import Outputs, render_site
from builder.search import index_pages
from builder.version import code_version

if TYPE_CHECKING:
    from builder.digests import Digest, Period

# The PDF stage (digests, digest_pool, render_pdf, fonts) is imported where it runs: WeasyPrint
# takes about a second to import, and fonts.py's urllib (with http, ssl, email) 50 ms more.


@dataclass
class BuildResult:
    report: Report
    model: SiteModel | None = None
    outputs: Outputs = field(default_factory=dict)
    cache: DigestCache | None = None  # what the digests' cache served and rendered
    empty: list[Region] = field(default_factory=list)  # `digest`: regions with nothing to send
    stages: Stages | None = None  # time and files per stage, for the summary
    # The page plan, each briefing page's rendered body: the preview patches them (incremental.py)
    pages: list[Page] = field(default_factory=list)
    bodies: dict[str, tuple[Briefing, str, Body]] = field(default_factory=dict)


def build(
    options: Options,
    sources: SourceCache | None = None,
    memo: Memo | None = None,
    *,
    last: bool = False,
) -> BuildResult:
    """Run the whole build; on any error raise BuildFailed and leave the output untouched.

    `sources` and `memo` are caches kept by the caller across builds (the preview); by default
    the build loads them from <root>/.cache/build and saves them when the build succeeds.
    `Run.PREVIEW`: the outputs are returned only, nothing is published, and the search index is
    left to the caller (it is slow, and the pages must not wait for it).
    `last`: the process ends after this build without Python's teardown (heap.thawed_after).
    """
    with heap.thawed_after(last=last):
        return _build(options, sources, memo)


def _build(options: Options, sources: SourceCache | None, memo: Memo | None) -> BuildResult:
    report = Report(options.root.resolve())
    publishing = options.run is Run.BUILD
    if publishing:
        _check_out(options)
    stages = Stages()
    own_cache = sources is None
    # The sources' stamps, taken before anything is read, for the next run's no-op check; a
    # build handed the preview's caches is not the command line's and records none.
    start = manifest.begin(options) if own_cache and memo is None else None
    with stages.stage("load") as stage, heap.no_cycle_collection():
        if sources is None:
            sources = source_cache(options)
        if memo is None and options.cache and publishing:
            epoch = source_date_epoch()
            memo = DiskMemo(options.cache_dir, options.out_dir, code_version(), epoch)
        model = _load(options, report, sources, _jobs(options))
        stage.files = sum(len(b.texts) for b in model.briefings)
    heap.freeze_loaded()  # the model is not scanned again by every collection while rendering

    digests = _plan_site(model) if options.pdf else []
    # Region pages link the latest period's digest (at the region's stable digest URL) and list
    # the earlier periods' digests.
    linked: dict[tuple[str, str], str] = {}
    earlier: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for d in digests:
        key = (d.lang, d.region.slug)
        if d.path == urls.output_path(urls.digest(d.lang, d.region)):
            linked[key] = d.path
        else:
            earlier.setdefault(key, []).append((d.label, d.path))
    pages = plan_pages(model, search=options.search)
    bodies: dict[str, tuple[Briefing, str, Body]] = {}
    with stages.stage("render") as stage:
        outputs = render_site(
            model,
            options.templates_dir,
            report,
            digests=linked,
            content=options.content_dir,
            search=options.search,
            earlier=earlier,
            sources=sources,
            memo=memo,
            bytecode=bytecode_folder(options),
            progress=stages.tick,
            pages=pages,
            bodies=bodies,
            jobs=_jobs(options),
        )
        stage.files = len(outputs)
        if memo is not None:
            stage.note = f"{memo.reused:,} unchanged"
    cache = _cache(options, report)
    if digests:
        with stages.stage("digests") as stage:
            render = options.run is not Run.CHECK
            made = _digests(options, model, digests, report, cache, render=render)
            outputs.update(made)
            stage.files = len(made)
    # Search indexes the rendered HTML, so it runs after every other stage that makes pages;
    # `check` skips it: it writes nothing, and the index cannot be wrong where the HTML is right.
    if options.search and publishing and not report.errors:
        with stages.stage("search") as stage:
            index = index_pages(outputs, report, root=options.root.resolve())
            outputs.update(index)
            stage.files = len(index)
    outputs[REDIRECTS_FILE] = redirects_file(model.config.languages)
    # last: it names the digests' download files
    outputs[HEADERS_FILE] = headers_file(outputs, model.config.languages)

    try:
        _finish(options, report)
    except BuildFailed:
        if memo is not None:
            memo.end_build(ok=False)
        raise
    if publishing:
        with stages.stage("publish") as stage:
            # Nothing changed (the warm build an editor runs again): the site is left as it
            # is, sparing the rewrite and the swap, most of such a build's file-system work.
            epoch = source_date_epoch()
            if isinstance(memo, DiskMemo) and memo.site_holds(outputs, epoch):
                stage.note = "site unchanged, nothing written"
            else:
                known = memo.hashes() if isinstance(memo, DiskMemo) else None
                publish(outputs, options.out_dir, epoch=epoch, hashes=known)
                stage.files = len(outputs)
            if options.pdf:
                cache.prune()  # what this build did not use is stale: keep the cache lean
    sources.end_build(save=own_cache and publishing)
    if memo is not None:
        memo.end_build(ok=True)
    if publishing:
        count = len(model.briefings)
        marker = (MARKER, MARKER_TEXT)
        manifest.record(options, start, report, outputs, marker, count, model.config.timezone)
    return BuildResult(report, model, outputs, cache, stages=stages, pages=pages, bodies=bodies)


def source_cache(options: Options) -> SourceCache:
    """The build cache of parsed sources (a no-op one when caching is off)."""
    return SourceCache(options.cache_dir if options.cache else None)


def bytecode_folder(options: Options) -> Path | None:
    """Where Jinja keeps compiled templates between runs; `check` writes nothing, not even them."""
    if options.cache and options.run is not Run.CHECK:
        return options.cache_dir / "jinja"
    return None


def make_digests(
    options: Options,
    regions: list[str],
    langs: list[str],
    period: Period,
) -> BuildResult:
    """`briefings digest`: digests of a period into options.out, without building the site.

    Unknown region slugs are the caller's to check (the command line does, with suggestions).
    """
    from builder.digests import plan_period

    report = Report(options.root.resolve())
    _check_out(options, replace=False)  # digests are added beside last month's: no swap
    model = _load(options, report)
    digests, empty = plan_period(model, regions, langs or model.languages, period)
    cache = _cache(options, report)
    outputs = _digests(options, model, digests, report, cache, render=True)
    _finish(options, report)
    write_files(outputs, options.out_dir, epoch=source_date_epoch())
    return BuildResult(report, model, outputs, cache, empty)


def period_digests(
    options: Options,
    model: SiteModel,
    regions: list[str],
    langs: list[str],
    period: Period,
    report: Report,
) -> dict[tuple[str, str], bytes]:
    """The PDF digests of these regions and languages for a period, by (lang, region slug),
    rendered through the digest cache and written nowhere (`briefings mail` attaches them).
    Regions without briefings in the period are absent; problems go to `report`."""
    from builder.digests import plan_period

    digests, _ = plan_period(model, regions, langs, period)
    outputs = _digests(options, model, digests, report, _cache(options, report), render=True)
    return {(d.lang, d.region.slug): outputs[d.path] for d in digests if d.path in outputs}


def load_model(options: Options, report: Report | None = None) -> SiteModel:
    """The site model alone (the command line checks region slugs against it); content problems
    go to `report` when one is given."""
    return _load(options, report or Report(options.root.resolve()))


def _jobs(options: Options) -> int:
    # Not in the preview: forking a process that runs a server's threads is unsafe.
    if options.run is Run.PREVIEW:
        return 1
    return forked.usable_jobs(options.jobs) if options.jobs else forked.cores()


def _load(
    options: Options, report: Report, sources: SourceCache | None = None, jobs: int = 1
) -> SiteModel:
    content = options.content_dir
    config = load_site(content, report)
    codes = config.codes if config else None
    gazetteer = load_gazetteer(content, report, codes)
    topics = load_topics(content, report, codes)
    indicators = load_indicators(content, report, codes)
    if config is None:
        raise BuildFailed(report)
    catalogs = Catalogs(config, gazetteer, topics, indicators)
    today = build_date(config.timezone)
    briefings = load_briefings(
        content, catalogs, report, drafts=options.drafts, today=today, cache=sources, jobs=jobs
    )
    return build_index(config, gazetteer, topics, indicators, briefings)


def _check_out(options: Options, *, replace: bool = True) -> None:
    """The output folder may not be, or hold, the project or its sources (configured or not),
    nor (when the build replaces it whole) hold files no build made."""
    root = options.root
    sources = [options.content_dir, options.templates_dir, root / "content", root / "templates"]
    check_output(options.out or options.out_dir, [root, *sources], sources=sources, replace=replace)


def _plan_site(model: SiteModel) -> list[Digest]:
    from builder.digests import plan_site

    return plan_site(model)


def _cache(options: Options, report: Report) -> DigestCache:
    """The digests' cache in <root>/.cache/digests, unless a link takes it out of the project:
    the cache deletes what it did not use, so it must never be someone else's folder."""
    root = options.root.resolve()
    folder = root / ".cache" / "digests"
    if not options.cache:
        return DigestCache(None)
    for step in (folder.parent, folder):
        problem = files.escape(step, (root,)) if step.is_symlink() else None
        if problem is not None:
            report.warn(step, 1, 1, f"digest cache not used: {problem.message}", problem.hint)
            return DigestCache(None)
    return DigestCache(folder)


def _digests(
    options: Options,
    model: SiteModel,
    digests: list[Digest],
    report: Report,
    cache: DigestCache,
    *,
    render: bool,
) -> Outputs:
    """The digests' HTML always (it checks their images); their PDFs when `render` is set and
    nothing has failed yet, since a failed build would throw them away."""
    if not digests:
        return {}
    from builder import digest_pool, fonts, render_pdf
    from builder.digests import compose

    settings = model.config.digest
    font_files = None
    if render and not report.errors:
        folder = fonts.cache_folder(options.root.resolve())
        try:
            font_files = fonts.ensure(folder)
        except fonts.FontsUnavailable as exc:
            report.error(folder, 1, 1, str(exc))
    composed = compose(
        model,
        digests,
        options.templates_dir,
        options.content_dir,
        build_date(model.config.timezone),
        report,
        pdf_ua=settings.pdf_ua,
        fonts=fonts.fingerprint(),
        engine=render_pdf.engine_version(),
        font_files=font_files,
    )
    failing = report.errors or (options.strict and report.warnings)
    if not render or failing:
        return {}
    limits = digest_pool.Limits(settings.timeout_seconds, settings.memory_mb, settings.workers)
    results = digest_pool.run(
        [(c.job, c.key) for c in composed], cache, limits, progress=options.progress
    )
    outputs: Outputs = {}
    for c, result in zip(composed, results, strict=True):
        where = options.out_dir / c.digest.path
        for p in result.problems:
            if p.url in c.images:  # an image a briefing embeds: report it there
                path, line, col = c.images[p.url]
                hint = f"{p.hint}; in the digest {c.digest.path}"
                (report.error if p.error else report.warn)(path, line, col, p.message, hint)
                continue
            (report.error if p.error else report.warn)(where, 1, 1, p.message, p.hint)
        if result.ok and result.pdf is not None:
            outputs[c.digest.path] = result.pdf
    return outputs


def _finish(options: Options, report: Report) -> None:
    if options.strict:
        report.strict()
    if report.errors:
        raise BuildFailed(report)
