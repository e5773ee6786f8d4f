"""Jinja rendering of every HTML and XML output: pages, feeds, sitemap, robots.txt, root page.

Returns `{output path: bytes}`; nothing here touches the output folder.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from builder import markdown, seo, urls
from builder.assets import Assets, load_assets
from builder.errors import Report
from builder.i18n import Formatter, load_translations
from builder.index import SiteModel
from builder.model import Briefing, Figure, Region
from builder.pages import Page, alternates, plan_pages, switch_target

if TYPE_CHECKING:
    from builder.buildcache import SourceCache

Outputs = dict[str, bytes]


@dataclass(frozen=True)
class Renderer:
    model: SiteModel
    templates: Path
    report: Report
    assets: Assets
    search: bool = False
    # (lang, region slug) -> output path of the PDF digests this build makes, for their links
    digests: Mapping[tuple[str, str], str] | None = None
    sources: SourceCache | None = None  # rendered bodies of earlier builds

    def environment(self, fmt: Formatter) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            extensions=["jinja2.ext.i18n"],
            undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.install_gettext_translations(fmt.translations, newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(
            fmt=fmt,
            lang=fmt.lang,
            site=self.model.config,
            model=self.model,
            urls=urls,
            figure_rows=figure_rows,
            digest_links=self.digest_links,
            asset=self.assets.url,
            search_enabled=self.search,
            seo=seo,
        )
        return env

    def digest_links(self, region: Region) -> list[tuple[str, str]]:
        """(lang, URL) of the region's PDF digests that this build makes, in site language order."""
        made = self.digests or {}
        return [
            (lang, urls.digest(lang, region))
            for lang in self.model.languages
            if (lang, region.slug) in made
        ]


def figure_rows(briefings: Iterable[Briefing]) -> list[tuple[Briefing, Figure]]:
    """(briefing, figure) rows for a key-figures table, in briefing order."""
    return [(b, f) for b in briefings for f in b.figures]


def render_site(
    model: SiteModel,
    templates: Path,
    report: Report,
    digests: Mapping[tuple[str, str], str] | None = None,
    *,
    search: bool = False,
    sources: SourceCache | None = None,
) -> Outputs:
    """All pages of all languages, plus feeds, sitemap, robots.txt, the root page and assets.

    `digests` names the PDF digests the build makes, so region pages link only those; `search`
    adds the search pages, and the pipeline then adds the index they load (search.py).
    """
    assets = load_assets(templates)
    renderer = Renderer(model, templates, report, assets, search, digests, sources)
    pages = plan_pages(model, search=search)
    alts = alternates(pages)
    out: Outputs = {}
    envs = {}
    for lang in model.languages:
        fmt = Formatter(lang, load_translations(templates, lang, report))
        envs[lang] = renderer.environment(fmt)
    failed: set[tuple[str, int, str]] = set()
    for page in pages:
        try:
            out[urls.output_path(page.url)] = _render_page(renderer, envs[page.lang], page, alts)
        except TemplateFailed as exc:
            if (exc.path, exc.line, exc.message) not in failed:  # once, not once per page
                failed.add((exc.path, exc.line, exc.message))
                report.error(
                    Path(exc.path),
                    exc.line,
                    1,
                    f"template error: {exc.message}",
                    f"first seen rendering {page.url}",
                )
    if failed:
        return out  # feeds and the rest would fail the same way
    for lang in model.languages:
        env = envs[lang]
        out[urls.output_path(urls.feed(lang))] = _feed(env, model, lang, None)
        for region, _ in model.gazetteer.walk():
            out[urls.output_path(urls.feed(lang, region))] = _feed(env, model, lang, region)
    default = envs[model.default_lang]
    out["index.html"] = render_template(
        default, "root.html", page_url=urls.ROOT, rel=_rel(urls.ROOT)
    )
    out["sitemap.xml"] = render_template(
        default,
        "sitemap.xml",
        entries=[(p, alts[p.key]) for p in pages if p.in_sitemap and p.lang == model.default_lang]
        + [(p, alts[p.key]) for p in pages if p.in_sitemap and p.lang != model.default_lang],
        absolute=lambda u: urls.absolute(model.config.base_url, u),
    )
    out["robots.txt"] = (
        f"User-agent: *\nAllow: /\n\nSitemap: "
        f"{urls.absolute(model.config.base_url, urls.SITEMAP)}\n"
    ).encode()
    out.update(assets.files)
    return out


def _rel(page_url: str) -> Callable[[str], str]:
    return lambda target: urls.relative(page_url, target)


class TemplateFailed(Exception):
    """A template could not be loaded or rendered; carries its position."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


def render_template(env: jinja2.Environment, name: str, **context: Any) -> bytes:
    try:
        return env.get_template(name).render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailed(exc.filename or name, exc.lineno, exc.message or str(exc)) from exc
    except jinja2.TemplateError as exc:
        path, line = _template_frame(exc, name)
        raise TemplateFailed(path, line, str(exc)) from exc


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """The innermost template file and line in a rendering traceback (Jinja keeps them there)."""
    found = (name, 1)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _render_page(
    renderer: Renderer,
    env: jinja2.Environment,
    page: Page,
    alts: dict[tuple[str, ...], dict[str, str]],
) -> bytes:
    model = renderer.model
    # The host serves a 404 page at whatever URL was missing, so its links must not depend on
    # where it stands: site-absolute (it is the one page that does not read from disk).
    rel = _rel(page.url) if page.key != ("404",) else str
    context: dict[str, Any] = dict(page.data)
    context.update(
        page=page,
        page_url=page.url,
        rel=rel,
        canonical=urls.absolute(model.config.base_url, page.url),
        alternates={
            lang: urls.absolute(model.config.base_url, url)
            for lang, url in alts.get(page.key, {}).items()
        },
        switch={
            other: switch_target(page, other, model, alts)
            for other in model.languages
            if other != page.lang
        },
    )
    briefing = page.data.get("briefing")
    if isinstance(briefing, Briefing):
        context["body"] = _body(renderer, briefing, page.lang, page.url)
    return render_template(env, page.template, **context)


def _body(renderer: Renderer, b: Briefing, lang: str, page_url: str) -> markdown.Body:
    model, text = renderer.model, b.text(lang)

    def resolve(path: Path) -> str | None:
        url = model.link_url(path, lang)
        return None if url is None else urls.relative(page_url, url)

    if renderer.sources is not None:
        scope = f"{lang} {page_url}"
        return renderer.sources.body(
            text.body, text.path, text.body_line, scope, resolve, renderer.report
        )
    return markdown.render(text.body, text.path, text.body_line, resolve, renderer.report)


def _feed(env: jinja2.Environment, model: SiteModel, lang: str, region: Region | None) -> bytes:
    items = model.in_region(region.slug) if region else model.briefings
    items = items[:50]  # untranslated briefings too, in their original language
    zone = zoneinfo.ZoneInfo(model.config.timezone)
    newest = items[0].date if items else (model.briefings[0].date if model.briefings else None)

    def stamp(day: dt.date | None) -> str:
        day = day or dt.date(1970, 1, 1)
        return dt.datetime.combine(day, dt.time(0, 0), zone).isoformat()

    return render_template(
        env,
        "feed.xml",
        region=region,
        items=items,
        updated=stamp(newest),
        stamp=stamp,
        self_url=urls.absolute(model.config.base_url, urls.feed(lang, region)),
        absolute=lambda u: urls.absolute(model.config.base_url, u),
    )
