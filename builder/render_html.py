"""Jinja rendering of every HTML and XML output: pages, feeds, sitemap, robots.txt, root page;
and the figures downloads (figures.py), which go through the same signatures and memo.

Returns `{output path: bytes}`; nothing here touches the output folder.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import jinja2.runtime

from builder import (
    images,
    markdown,
    render_share,
    site_data,
    urls,
)
from builder.assets import load_assets
from builder.deps import Signatures
from builder.errors import Report
from builder.extras import plan_extras
from builder.i18n import Formatter, catalog_path
from builder.index import SiteModel
from builder.layout import layout
from builder.links import NOT_LOADED, check_heading_links
from builder.model import Briefing
from builder.page_data import page_data
from builder.page_parts import Scope
from builder.pages import Page, alternates, plan_pages
from builder.templating import (
    Renderer,
    TemplateFailed,
    environments,
    render_template,
)
from builder.version import code_version

if TYPE_CHECKING:
    from builder.buildcache import SourceCache
    from builder.memo import Memo

Outputs = dict[str, bytes]


def render_site(
    model: SiteModel,
    templates: Path,
    report: Report,
    digests: Mapping[tuple[str, str], str] | None = None,
    *,
    content: Path,
    search: bool = False,
    earlier: Mapping[tuple[str, str], Sequence[tuple[str, str]]] | None = None,
    sources: SourceCache | None = None,
    memo: Memo | None = None,
    bytecode: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    pages: list[Page] | None = None,
    keep: Callable[[str], bytes | None] | None = None,
    bodies: dict[str, tuple[Briefing, str, markdown.Body]] | None = None,
    jobs: int = 1,
) -> Outputs:
    """All pages of all languages, plus feeds, figures downloads, sitemap, robots.txt, the root
    page and assets.

    `digests` names the PDF digests the build makes, so region pages link only those; `search`
    adds the search pages, and the pipeline then adds the index they load (search.py). With a
    `memo`, an output whose inputs (deps.py) did not change since it was made is reused.

    `jobs`: processes to render the pages in when many are new (render_share.py).

    The preview's incremental path (incremental.py) passes the page plan it compared, `keep`
    (an output's bytes when the caller knows it is unchanged, else None) and the rendered bodies
    of the kept pages in `bodies`, which this fills with the rest (heading links are checked
    across all of them).
    """
    assets = load_assets(templates, report)
    renderer = Renderer(
        model,
        templates,
        report,
        assets,
        search,
        digests,
        content=content,
        earlier=earlier,
        sources=sources,
        bytecode=bytecode,
    )
    if pages is None:
        pages = plan_pages(model, search=search)
    # A site in one language has no alternates: no hreflang links, no language switcher.
    alts = alternates(pages) if len(model.languages) > 1 else {}
    out: Outputs = {}
    envs = environments(renderer)
    catalogs = []
    for lang in envs:
        path = catalog_path(templates, lang)
        catalogs.append(path.read_bytes() if path.is_file() else b"")
    sigs = None
    if memo is not None:
        common = (
            sorted(assets.names.items()),
            sorted((digests or {}).items()),
            sorted((k, tuple(v)) for k, v in (earlier or {}).items()),
            search,
        )
        sigs = Signatures(model, templates, (code_version(), *catalogs, *common), alts)

    def reuse(path: str, signature: str | None, make: Callable[[], bytes]) -> None:
        found = keep(path) if keep else None
        if found is None and memo and signature:
            found = memo.get(path, signature)
        if found is None:
            found = make()
            if memo and signature:
                memo.put(path, signature, found)
        out[path] = found

    # Feeds, figures downloads and the sitemap depend on the model and the plan only: they are
    # shared among the render workers with the pages, first, so the process that takes them
    # does not finish last (they were 0.5-0.8 s of one process after the pages).
    extras = plan_extras(model, envs, sigs, pages, alts)

    def one(index: int) -> render_share.Rendered:
        if index < len(extras):
            extra = extras[index]
            try:
                reuse(extra.target, extra.signature(), extra.make)
            except TemplateFailed as exc:
                return None, None, (exc.path, exc.line, exc.message)
            return out.pop(extra.target), None, None
        page = pages[index - len(extras)]
        target = urls.output_path(page.url)
        kept = keep(target) if keep else None
        if kept is not None:
            return kept, None, None
        body = None
        try:
            briefing = page.data.get("briefing")
            if isinstance(briefing, Briefing):
                body = _body(renderer, briefing, page.lang, page.url)
            reuse(
                target,
                sigs.page(page, body.html if body else None) if sigs else None,
                lambda: _render_page(renderer, envs[page.lang], page, alts, body),
            )
        except TemplateFailed as exc:
            return None, body, (exc.path, exc.line, exc.message)
        return out.pop(target), body, None

    failed: set[render_share.Failure] = set()

    def failing(index: int, failure: render_share.Failure) -> None:
        if failure not in failed:  # once, not once per page
            failed.add(failure)
            path, line, message = failure
            shown = extras[index].target if index < len(extras) else pages[index - len(extras)].url
            where = f"first seen rendering {shown}"
            report.error(Path(path), line, 1, f"template error: {message}", where)

    done = render_share.render(
        [e.target for e in extras] + [urls.output_path(p.url) for p in pages],
        one,
        report,
        renderer.image_files,
        jobs=1 if keep else jobs,
        memo=memo,
        sources=sources,
        progress=progress,
        failing=failing,
        before_fork=lambda: _compile(envs, {p.template for p in pages}),
    )
    if bodies is None:
        bodies = {}  # page URL -> its body
    made = {extras[d.index].target: d.output for d in done[: len(extras)] if d.output is not None}
    for d in done[len(extras) :]:
        page = pages[d.index - len(extras)]
        briefing = page.data.get("briefing")
        if d.body is not None and isinstance(briefing, Briefing):
            bodies[page.url] = (briefing, page.lang, d.body)
        if d.output is not None:
            out[urls.output_path(page.url)] = d.output
    check_heading_links(model, bodies, report)
    if failed:
        return out
    # In the order they always had (the outputs' order is part of a deterministic build).
    out.update((e.target, made[e.target]) for e in extras if e.target != "sitemap.xml")
    try:
        out["index.html"] = render_template(
            envs[model.default_lang], "root.html", page=site_data.root_page(model, assets.url)
        )
    except TemplateFailed as exc:
        report.error(
            Path(exc.path), exc.line, 1, f"template error: {exc.message}", "rendering index.html"
        )
        return out
    out["sitemap.xml"] = made["sitemap.xml"]
    out["robots.txt"] = (
        f"User-agent: *\nAllow: /\n\nSitemap: "
        f"{urls.absolute(model.config.base_url, urls.SITEMAP)}\n"
    ).encode()
    out.update(assets.files)
    out.update(renderer.image_files)
    return out


def _compile(envs: dict[str, jinja2.Environment], names: set[str]) -> None:
    """Compile the templates before the render workers are forked, which then share them
    (each compiled its own: 0.15 s of CPU a language). A template that fails to compile is
    left to fail where a page uses it, which reports it with its position."""
    for env in envs.values():
        for name in sorted(names | {"feed.xml", "sitemap.xml"}):
            with contextlib.suppress(jinja2.TemplateError):
                env.get_template(name)


def render_briefing_pages(
    model: SiteModel,
    templates: Path,
    report: Report,
    pages: list[Page],
    *,
    content: Path,
    search: bool,
    sources: SourceCache | None,
    bytecode: Path | None,
    bodies: dict[str, tuple[Briefing, str, markdown.Body]],
) -> Outputs:
    """These briefing pages alone, all of one briefing's languages (the preview's early
    hand-over, incremental.py: their alternates are each other), their rendered bodies put in
    `bodies` as render_site does. Raises TemplateFailed."""
    renderer = Renderer(
        model,
        templates,
        report,
        load_assets(templates, report),
        search,
        content=content,
        sources=sources,
        bytecode=bytecode,
    )
    envs = environments(renderer)
    alts = alternates(pages) if len(model.languages) > 1 else {}
    out: Outputs = {}
    for page in pages:
        briefing = page.data["briefing"]
        body = _body(renderer, briefing, page.lang, page.url)
        out[urls.output_path(page.url)] = _render_page(renderer, envs[page.lang], page, alts, body)
        bodies[page.url] = (briefing, page.lang, body)
    return out


def _rel(page_url: str) -> Callable[[str], str]:
    return lambda target: urls.relative(page_url, target)


def _render_page(
    renderer: Renderer,
    env: jinja2.Environment,
    page: Page,
    alts: dict[tuple[str, ...], dict[str, str]],
    body: markdown.Body | None = None,
) -> bytes:
    """A planned page, rendered with its layout (layout.py) and its kind's data (page_data.py)."""
    model = renderer.model
    # The host serves a 404 page at whatever URL was missing, so its links must not depend on
    # where it stands: site-absolute (it is the one page that does not read from disk).
    rel = _rel(page.url) if page.key != ("404",) else str
    fmt = env.globals["fmt"]
    assert isinstance(fmt, Formatter)
    data = page_data(
        Scope(model, fmt, rel),
        page,
        here=alts.get(page.key, {}),
        body=body.html if body is not None else None,
        asset=renderer.assets.url,
        digests=renderer.digests or {},
        earlier=renderer.earlier or {},
        memo=renderer.figure_memos[page.lang],
    )
    return render_template(
        env,
        page.template,
        layout=layout(model, page, rel, alts, renderer.assets, renderer.search),
        page=data,
    )


def _body(renderer: Renderer, b: Briefing, lang: str, page_url: str) -> markdown.Body:
    model, report = renderer.model, renderer.report
    text = b.text(lang)

    def resolve(path: Path) -> str | None:
        url = model.link_url(path, lang)
        if url is None:
            return NOT_LOADED if report.is_left_out(path) else None
        return urls.relative(page_url, url)

    def image(src: str) -> str | images.Refused:
        assert renderer.content is not None, "render_site passes the content folder"
        found = images.resolve(
            src, text.path, renderer.content, report.root, remote=model.config.images.remote
        )
        if isinstance(found, images.Local):
            renderer.image_files[found.site_path] = found.data
            return urls.relative(page_url, "/" + found.site_path)
        return found.url if isinstance(found, images.Passed) else found

    if renderer.sources is not None:
        scope = f"{lang} {page_url}"
        return renderer.sources.body(
            text.body, text.path, text.body_line, scope, resolve, report, image
        )
    return markdown.render(text.body, text.path, text.body_line, resolve, report, image)
