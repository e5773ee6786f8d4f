"""The preview's rebuilds: a save of briefings reloads those files only, patches the site model and
renders only the outputs that show them; any other save runs the whole build with its caches.

Why: the whole build, even with every output found in the memo, reads and validates every source
and signs every output (about a second at 2,000 briefings, half a minute at 20,000), while an
editor's save changes one file. The watcher names the files a save touched (watch.py), so:

1. Every saved path is the text of a briefing the last good build loaded, and still a file (no
   briefing added, removed or renamed; no catalog, template or static file saved), no region
   gains its first briefing (its pages and feed come into the plan), and the preview makes no
   digests: otherwise the whole build runs (`pipeline.build` with the preview's
   source cache and memo, which skip the unchanged parsing and rendering).
2. The files of the saved briefings' slugs (the original and its translations) are loaded alone
   (`articles.briefings_from`: every check between files is within one slug) with the last
   build's catalogs. The briefing must keep its URLs (same year, same languages) and use no
   images: a changed URL changes the bodies that link to it, an image the outputs it adds;
   both take the whole build.
3. `index.replace_briefings` swaps them into the model; every list that did not hold them keeps
   its very tuple. The groups of the plan the save touched (the saved briefings' pages, the
   lists of every region, topic and year that held them or holds them) are planned again in
   their places and compared with the last plan's: the input→outputs index is the plan itself,
   since a page reads its template, the common inputs (unchanged here) and what its plan entry
   and kind name (deps.py declares the same). A page is rendered when its briefing was saved,
   or any item it lists, its pager, its alternates or a count it prints changed; an index page
   when a count it prints moved; a feed when its entries or date did (replan.py). The sitemap
   changes only when a region's pages or indicators view go. Everything else is the last
   build's bytes.
4. With a `Handover` (the preview's), the saved briefings' own pages are rendered first, before
   any of step 3's bookkeeping, and handed over with every page, feed and data file held; once
   step 3 knows which outputs change, only those stay held (serve.py makes requests for held
   outputs wait), so the editor sees the page they saved while the lists that show it are made.
   Those pages, their bodies and their problems are then the rebuild's own: not rendered twice.
5. Problems: the last build's items about other files stay, the saved files' items are those of
   this load and render; heading links are checked across all bodies again. Errors fail the
   rebuild as a whole build would, and the saved paths stay pending until a build succeeds.

`tests/test_serve_incremental.py` compares the preview, over HTTP, with a cold `briefings build`
after each kind of save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder import heap, images, replan
from builder.articles import Catalogs, briefings_from
from builder.buildcache import SourceCache
from builder.errors import BuildFailed, Report, SourceError
from builder.hosting import HEADERS_FILE, REDIRECTS_FILE, headers_file, redirects_file
from builder.index import SiteModel, replace_briefings
from builder.markdown import Body
from builder.memo import MemoryMemo
from builder.model import Briefing
from builder.options import Options, build_date
from builder.pages import plan_group
from builder.pipeline import BuildResult, build, bytecode_folder
from builder.render_html import render_briefing_pages, render_site
from builder.sources import ArticleFile
from builder.templating import TemplateFailed

Held = Callable[[str], bool]  # whether the output at a path is still being made


@dataclass(frozen=True)
class Handover:
    """How an incremental rebuild hands the saved briefings' pages over early (the preview's):
    `saved` gets the outputs with those pages rendered and every other output as it was, and
    which of those may still change; `narrowed` then says which will."""

    saved: Callable[[dict[str, bytes], Held], None]
    narrowed: Callable[[Held], None]


@dataclass
class Rebuilt:
    """One preview rebuild: the build's result and what it did."""

    result: BuildResult
    rendered: int
    reused: int
    incremental: bool


@dataclass
class _Good:
    """The last good build, which the next save patches."""

    result: BuildResult
    model: SiteModel
    today: dt.date
    slug_of: dict[str, str]  # article file (absolute path) -> its briefing's slug
    items: list[SourceError] = field(default_factory=list)


class PreviewBuilder:
    def __init__(
        self,
        options: Options,
        sources: SourceCache,
        memo: MemoryMemo,
        handover: Handover | None = None,
    ) -> None:
        self.options = options
        self.sources = sources
        self.memo = memo
        self.handover = handover
        self.good: _Good | None = None
        # Saved since the last good build: a failed rebuild's paths are tried again with the next.
        self.pending: set[str] = set()

    def rebuild(self, paths: Iterable[str]) -> Rebuilt:
        """Raises BuildFailed (its report holds every problem) and keeps the last good build."""
        self.pending |= set(paths)
        done = None
        if self.good is not None and self.pending:
            # The kept model is millions of objects at archive scale: the collector leaves
            # them alone while a save is patched in, as during a build (heap.py).
            with heap.thawed_after():
                heap.freeze_loaded()
                done = self._patch(self.pending)
        if done is None:
            done = self._whole()
        self.pending = set()
        return done

    def _whole(self) -> Rebuilt:
        result = build(self.options, self.sources, self.memo)
        model = result.model
        assert model is not None
        slug_of = {str(t.path): b.slug for b in model.briefings for t in b.texts.values()}
        today = build_date(model.config.timezone)
        self.good = _Good(result, model, today, slug_of, list(result.report.items))
        reused, rendered = self.memo.last
        return Rebuilt(result, rendered, reused, incremental=False)

    def _patch(self, paths: set[str]) -> Rebuilt | None:
        """The incremental rebuild, or None when this save needs the whole build."""
        good = self.good
        assert good is not None
        options = self.options
        if options.pdf or any(p not in good.slug_of or not Path(p).is_file() for p in paths):
            return None
        model = good.model
        today = build_date(model.config.timezone)
        if today != good.today:  # a new day: future-dated briefings may be due
            return None
        slugs = {good.slug_of[p] for p in paths}
        old = {b.slug: b for b in model.briefings if b.slug in slugs}
        group = [
            ArticleFile(t.path, b.slug, None if t.is_original else t.lang, t.path.parent.name)
            for b in old.values()
            for t in b.texts.values()
        ]
        report = Report(options.root.resolve())
        catalogs = Catalogs(model.config, model.gazetteer, model.topics, model.indicators)
        fresh = briefings_from(
            group,
            options.content_dir,
            catalogs,
            report,
            drafts=options.drafts,
            today=today,
            cache=self.sources,
        )
        if not report.errors:
            new = {b.slug: b for b in fresh}
            if new.keys() != old.keys() or not all(_same_urls(old[s], new[s]) for s in old):
                return None
            if any("![" in t.body for b in (*old.values(), *fresh) for t in b.texts.values()):
                return None
        mine = {report.rel(f.path) for f in group}
        previous = good.result.outputs
        patched = None
        first: dict[str, bytes] = {}  # the saved pages, when handed over early
        bodies = {
            url: entry for url, entry in good.result.bodies.items() if entry[0].slug not in slugs
        }
        if not report.errors:
            patched = replace_briefings(model, slugs, fresh)
            if replan.regions_filled(model, patched, slugs):
                return None
            if self.handover is not None:
                first = self._hand_over_saved(patched, slugs, previous, report, bodies)
        # The other files' problems (warnings: their build was good) are the last build's.
        report.extend(item for item in good.items if item.path not in mine)
        if report.errors or patched is None:
            raise BuildFailed(report)

        touched = replan.touched_groups(model, patched, slugs)
        pages = replan.plan_again(good.result.pages, patched, touched)
        redo = replan.changed_outputs(good.result.pages, pages, model, patched, slugs, touched)
        if [p.url for p in pages] != [p.url for p in good.result.pages]:
            redo.add("sitemap.xml")  # a region's indicators view came or went
        if first and self.handover is not None:
            pending = frozenset(redo - first.keys())
            self.handover.narrowed(pending.__contains__)
        outputs = render_site(
            patched,
            options.templates_dir,
            report,
            content=options.content_dir,
            search=options.search,
            sources=self.sources,
            bytecode=bytecode_folder(options),
            pages=pages,
            # The pages handed over are kept as they were handed over, never rendered again.
            keep=lambda path: (
                first[path] if path in first else None if path in redo else previous.get(path)
            ),
            bodies=bodies,
        )
        # Body images: the saved briefings use none (checked above), the others' stay as they were.
        for path, data in previous.items():
            if path.startswith(images.FOLDER + "/"):
                outputs.setdefault(path, data)
        outputs[REDIRECTS_FILE] = redirects_file(patched.config.languages)
        outputs[HEADERS_FILE] = headers_file(outputs, patched.config.languages)
        if options.strict:
            report.strict()
        if report.errors:
            raise BuildFailed(report)
        rendered = len(redo)
        result = BuildResult(report, patched, outputs, pages=pages, bodies=bodies)
        slug_of = good.slug_of  # the same files: step 1 allows no other save
        self.good = _Good(result, patched, today, slug_of, list(report.items))
        return Rebuilt(result, rendered, len(outputs) - rendered, incremental=True)

    def _hand_over_saved(
        self,
        model: SiteModel,
        slugs: set[str],
        previous: dict[str, bytes],
        report: Report,
        bodies: dict[str, tuple[Briefing, str, Body]],
    ) -> dict[str, bytes]:
        """Render the saved briefings' own pages and hand them over before anything else.

        The editor looks at the page they saved: it is a few dozen milliseconds of rendering,
        while the bookkeeping of what else changed and its region's lists, indicators views and
        figure downloads take the better part of a second at 2,000 briefings and seconds at
        20,000. Every other output is the last build's here, so the preview is told to hold
        requests for every page, feed and data file until `narrowed` says which will change.
        With an error (or a warning under --strict) nothing is handed over and nothing kept:
        the pass that follows renders these pages and reports it. Otherwise their warnings go
        to `report`, their bodies to `bodies`, and the pages are returned for that pass to keep.
        """
        assert self.handover is not None
        options = self.options
        pages = [
            page
            for slug in sorted(slugs)
            for lang in model.languages
            for page in plan_group(model, lang, ("briefing", slug))
        ]
        scratch = Report(report.root)
        scratch.extend(report.items)
        mark = len(scratch.items)
        made: dict[str, tuple[Briefing, str, Body]] = {}
        try:
            saved = render_briefing_pages(
                model,
                options.templates_dir,
                scratch,
                pages,
                content=options.content_dir,
                search=options.search,
                sources=self.sources,
                bytecode=bytecode_folder(options),
                bodies=made,
            )
        except TemplateFailed:
            return {}
        problems = scratch.items[mark:]
        if options.strict:
            scratch.strict()
        if scratch.errors:
            return {}
        report.extend(problems)
        bodies.update(made)
        held = lambda path: _listing(path) and path not in saved  # noqa: E731 (one use)
        self.handover.saved({**previous, **saved}, held)
        return saved


def _listing(path: str) -> bool:
    """Whether an output may show a saved briefing: a page, feed, sitemap or data file (not a
    stylesheet, script, font, image or search index file)."""
    return path.endswith((".html", ".xml", ".csv", ".json")) and not path.startswith("pagefind/")


def _same_urls(a: Briefing, b: Briefing) -> bool:
    """Whether a briefing keeps every URL (its pages', and those other bodies link to)."""
    return (a.year, a.original_lang, sorted(a.texts)) == (b.year, b.original_lang, sorted(b.texts))
