"""PDF digests: which digests exist, and the HTML of each (rendered from templates/digest.html).

A digest gathers a region's briefings (its own and its descendants', as on the region page) in
one language. The site build makes one per region with briefings and language, covering all of
them; `briefings digest` makes them for a period. This module only plans and writes HTML; the
PDFs are made by `render_pdf.py` in worker processes (`digest_pool.py`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from builder import markdown, urls
from builder.assets import load_assets
from builder.cache import files_digest, inputs_key
from builder.errors import Report
from builder.fonts import Face, face_css
from builder.i18n import Formatter, load_translations
from builder.index import SiteModel
from builder.model import Briefing, Region
from builder.render_html import Renderer, TemplateFailed, render_template
from builder.render_pdf import PdfJob


@dataclass(frozen=True)
class Period:
    """Inclusive dates; None leaves that end open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Digest:
    lang: str
    region: Region
    briefings: tuple[Briefing, ...]  # newest first, as on the region page
    first: dt.date  # the period the cover shows: the one asked for, else the briefings' span
    last: dt.date
    path: str  # output path, relative to the output folder


def plan_site(model: SiteModel) -> list[Digest]:
    """The site's digests: every region with briefings, in every language, all briefings."""
    return [
        _digest(model, lang, region, model.in_region(region.slug), Period(), None)
        for lang in model.languages
        for region, _ in model.gazetteer.walk()
        if model.in_region(region.slug)
    ]


def plan_period(
    model: SiteModel, regions: Sequence[str], langs: Sequence[str], period: Period
) -> tuple[list[Digest], list[Region]]:
    """Digests for a period, named `<lang>/<region>_<first>_<last>.pdf`; also the regions left
    out because they have no briefings in the period. No `regions` means every region."""
    chosen = [model.gazetteer[s] for s in regions] or [r for r, _ in model.gazetteer.walk()]
    digests: list[Digest] = []
    empty: list[Region] = []
    for region in chosen:
        items = tuple(b for b in model.in_region(region.slug) if period.contains(b.date))
        if not items:
            empty.append(region)
            continue
        for lang in langs:
            digests.append(_digest(model, lang, region, items, period, "dated"))
    return digests, empty


def _digest(
    model: SiteModel,
    lang: str,
    region: Region,
    items: tuple[Briefing, ...],
    period: Period,
    naming: str | None,
) -> Digest:
    first = period.start or min(b.date for b in items)
    last = period.end or max(b.date for b in items)
    if naming == "dated":
        path = f"{lang}/{region.slug}_{first.isoformat()}_{last.isoformat()}.pdf"
    else:
        path = urls.output_path(urls.digest(lang, region))
    return Digest(lang, region, items, first, last, path)


@dataclass(frozen=True)
class Composed:
    digest: Digest
    job: PdfJob
    key: str  # cache key: a hash of every input of the PDF


def compose(
    model: SiteModel,
    digests: Sequence[Digest],
    templates: Path,
    content: Path,
    built: dt.date,
    report: Report,
    *,
    pdf_ua: bool = True,
    fonts: str = "",
    engine: str = "",
    font_files: dict[Face, Path] | None = None,
) -> list[Composed]:
    """The HTML of each digest and its cache key. Problems (refused images, template errors)
    go to `report`, naming the briefing or template at fault. `fonts` identifies the fonts in
    the key; `font_files` (from `fonts.ensure`) are loaded with @font-face when rendering."""
    renderer = Renderer(model, templates, report, load_assets(templates))
    envs = {}
    for lang in sorted({d.lang for d in digests}):
        envs[lang] = renderer.environment(
            Formatter(lang, load_translations(templates, lang, report))
        )
    static = files_digest(p for p in (templates / "static").rglob("*") if p.is_file())
    roots = (templates.resolve(), content.resolve())
    font_css = face_css(font_files) if font_files else ""
    font_roots = tuple(dict.fromkeys(str(p.parent.resolve()) for p in (font_files or {}).values()))
    out: list[Composed] = []
    for d in digests:
        fmt = envs[d.lang].globals["fmt"]
        assert isinstance(fmt, Formatter)
        loaded: set[Path] = set()
        bodies = [_body(model, b, d.lang, roots, loaded, report) for b in d.briefings]
        try:
            html = render_template(
                envs[d.lang],
                "digest.html",
                **_context(model, d, fmt, bodies, built),
            ).decode("utf-8")
        except TemplateFailed as exc:
            report.error(Path(exc.path), exc.line, 1, f"template error: {exc.message}", d.path)
            continue
        key = inputs_key(html, static, files_digest(loaded), fonts, engine, f"pdf_ua={pdf_ua}")
        job = PdfJob(
            name=f"digests/{d.path}" if not d.path.startswith("digests/") else d.path,
            html=html,
            base_url=templates.resolve().as_uri() + "/",
            allowed=tuple(str(r) for r in roots) + font_roots,
            identifier=bytes.fromhex(key[:32]),
            pdf_ua=pdf_ua,
            font_css=font_css,
            font_files=tuple(str(p) for p in (font_files or {}).values()),
            families=tuple(sorted({f.family for f in font_files})) if font_files else (),
        )
        out.append(Composed(d, job, key))
    return out


def _context(
    model: SiteModel, d: Digest, fmt: Formatter, bodies: list[str], built: dt.date
) -> dict[str, object]:
    base = model.config.base_url
    lang = d.lang
    region_name = d.region.name.get(lang)
    period = fmt.date_range(d.first, d.last)
    topics = sorted({t for b in d.briefings for t in b.topics})
    return {
        "digest": d,
        "region": d.region,
        "items": list(zip(d.briefings, bodies, strict=True)),
        "period": period,
        "built": built,
        "title": fmt.gettext("%(region)s: briefing digest, %(period)s")
        % {"region": region_name, "period": period},
        "subject": fmt.ngettext(
            "%(num)d economic briefing on %(region)s",
            "%(num)d economic briefings on %(region)s",
            len(d.briefings),
        )
        % {"num": len(d.briefings), "region": region_name},
        "keywords": [
            *(r.name.get(lang) for r in model.gazetteer.ancestors(d.region.slug)),
            *(model.topics[t].name.get(lang) for t in topics),
        ],
        # Links in a PDF leave it for the site: every page link is absolute.
        "rel": lambda url: urls.absolute(base, url),
        "online": lambda b: urls.absolute(base, urls.briefing(b.text(lang).lang, b)),
        "css_string": css_string,
        "page_counter": page_counter(fmt.gettext("Page %(page)s of %(pages)s")),
    }


def css_string(text: str) -> Markup:
    """A CSS string literal for a <style> element, where HTML escaping does not apply: quotes
    and backslashes escaped, and '<' as a CSS escape so no text can close the element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return Markup('"' + escaped.replace("<", "\\3c ") + '"')


def page_counter(message: str) -> Markup:
    """'Page %(page)s of %(pages)s' → the CSS `content` value with real page counters.

    The sentence comes from the catalog so the footer reads naturally in each language
    (in Chinese: 'page N, of M pages' in its own word order); only the counters are CSS.
    """
    parts = re.split(r"%\((page|pages)\)s", message)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"counter({part})")
        elif part:
            out.append(css_string(part))
    return Markup(" ".join(out))


def _body(
    model: SiteModel,
    b: Briefing,
    lang: str,
    roots: tuple[Path, Path],
    loaded: set[Path],
    report: Report,
) -> str:
    """A briefing's body as digest HTML: site links absolute, images checked, ids made unique."""
    text = b.text(lang)
    base = model.config.base_url

    def resolve(path: Path) -> str | None:
        url = model.link_url(path, lang)
        return None if url is None else urls.absolute(base, url)

    def image(src: str) -> str | None:
        if src.startswith("data:image/"):
            return src
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None  # http:, file:, //host: nothing outside the project, nothing remote
        path = (text.path.parent / unquote(parts.path)).resolve()
        if not path.is_file() or not any(path.is_relative_to(r) for r in roots):
            return None
        loaded.add(path)
        return path.as_uri()

    body = markdown.render(text.body, text.path, text.body_line, resolve, report, image)
    return _nest(body.html, b.slug)


_HEADING = re.compile(r"<(/?)h([1-5])\b")


def _nest(html: str, slug: str) -> str:
    """Body headings one level down (the briefing title is the h2), and ids prefixed by the
    slug: two briefings in one digest both have a '## Key points'."""
    html = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)
    html = html.replace(' id="', f' id="{slug}--').replace(' href="#', f' href="#{slug}--')
    return html
