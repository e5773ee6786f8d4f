"""PDF digests: which digests exist, and the HTML of each (rendered from templates/digest.html).

A digest gathers a region's briefings (its own and its descendants', as on the region page) in
one language. The site build makes one per region, language and period (a quarter by default,
`digest.period`) with briefings, at most `digest.max_briefings` each, so that no digest grows
with the archive; `briefings digest` makes them for a period given on the command line. This
module only plans and writes HTML; the PDFs are made by `render_pdf.py` in worker processes
(`digest_pool.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder import images, markdown, urls
from builder.assets import load_assets
from builder.cache import files_digest, inputs_key
from builder.digest_data import document
from builder.errors import Report
from builder.fonts import Face, face_css
from builder.i18n import Formatter, load_translations
from builder.index import SiteModel
from builder.links import NOT_LOADED
from builder.model import Briefing, Region
from builder.render_pdf import PdfJob
from builder.templating import Renderer, TemplateFailed, render_template
from builder.typeset import keep_units_html


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
    label: str = ""  # the site's period: '2024-03', '2024-Q1', '2024'; '' for other digests
    omitted: int = 0  # briefings of the period left out, over digest.max_briefings
    period_given: bool = False  # first/last are a period, not just the briefings' dates


def period_of(day: dt.date, unit: str) -> tuple[str, Period]:
    """The calendar month, quarter or year holding `day`, and its label."""
    if unit == "month":
        start, months, label = day.replace(day=1), 1, f"{day.year}-{day.month:02d}"
    elif unit == "quarter":
        q = (day.month - 1) // 3
        start, months, label = dt.date(day.year, 3 * q + 1, 1), 3, f"{day.year}-Q{q + 1}"
    elif unit == "year":
        start, months, label = dt.date(day.year, 1, 1), 12, str(day.year)
    else:
        raise ValueError(f"unknown period unit {unit!r}")
    year, month = divmod(start.month - 1 + months, 12)
    end = dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
    return label, Period(start, end)


def plan_site(model: SiteModel) -> list[Digest]:
    """The site's digests: for every region with briefings and every language, one per period.

    The latest period with briefings is published at the region's stable digest URL (the one
    the region page and every earlier link use); each earlier period at
    `digests/<lang>/<region>_<label>.pdf`. A period's digest depends only on its briefings, so
    the cache keeps old periods from being rendered again as the archive grows.
    """
    settings = model.config.digest
    out: list[Digest] = []
    for lang in model.languages:
        for region, _ in model.gazetteer.walk():
            groups: dict[str, tuple[Period, list[Briefing]]] = {}
            for b in model.in_region(region.slug):  # newest first
                label, period = period_of(b.date, settings.period)
                groups.setdefault(label, (period, []))[1].append(b)
            for i, (label, (period, items)) in enumerate(groups.items()):
                assert period.start is not None and period.end is not None
                kept = tuple(items[: settings.max_briefings])
                path = (
                    urls.output_path(urls.digest(lang, region))
                    if i == 0
                    else f"digests/{lang}/{region.slug}_{label}.pdf"
                )
                out.append(
                    Digest(
                        lang,
                        region,
                        kept,
                        period.start,
                        period.end,
                        path,
                        label,
                        len(items) - len(kept),
                        True,
                    )
                )
    return out


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
    given = period.start is not None and period.end is not None
    return Digest(lang, region, items, first, last, path, period_given=given)


@dataclass(frozen=True)
class Composed:
    digest: Digest
    job: PdfJob
    key: str  # cache key: a hash of every input of the PDF
    # file URL of each image it embeds -> (briefing file, line, column) that names it, so a
    # failure to load one is reported where the editor can fix it
    images: dict[str, tuple[Path, int, int]] = field(default_factory=dict)


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
    assets = load_assets(templates, report)
    renderer = Renderer(model, templates, report, assets)
    envs = {}
    for lang in sorted({d.lang for d in digests}):
        language = model.config.language(lang)
        envs[lang] = renderer.environment(
            Formatter(language, load_translations(templates, language, report))
        )
    # The fingerprinted names carry each static file's content hash.
    static = inputs_key(*(f"{name}={fp}" for name, fp in sorted(assets.names.items())))
    roots = (templates.resolve(), content.resolve())
    font_css = face_css(font_files) if font_files else ""
    font_roots = tuple(dict.fromkeys(str(p.parent.resolve()) for p in (font_files or {}).values()))
    out: list[Composed] = []
    for d in digests:
        fmt = envs[d.lang].globals["fmt"]
        assert isinstance(fmt, Formatter)
        loaded: dict[Path, tuple[Path, int, int]] = {}
        inside = {b.slug for b in d.briefings}
        bodies = [_body(model, b, d.lang, roots, loaded, report, inside) for b in d.briefings]
        try:
            html = render_template(
                envs[d.lang],
                "digest.html",
                digest=document(
                    model,
                    d.lang,
                    d.region,
                    d.briefings,
                    bodies,
                    fmt,
                    first=d.first,
                    last=d.last,
                    period_given=d.period_given,
                    omitted=d.omitted,
                    # A site digest of a past period is dated its last day, not the build's:
                    # its HTML, and so its cache key, then stays the same and the cache keeps
                    # it from being rendered again on every build as the archive grows.
                    built=min(built, d.last) if d.label else built,
                ),
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
        out.append(Composed(d, job, key, {p.as_uri(): at for p, at in loaded.items()}))
    return out


def _body(
    model: SiteModel,
    b: Briefing,
    lang: str,
    roots: tuple[Path, Path],
    loaded: dict[Path, tuple[Path, int, int]],
    report: Report,
    inside: frozenset[str] | set[str] = frozenset(),
) -> str:
    """A briefing's body as digest HTML: a link to a briefing of the same digest goes to its
    page in the PDF, other site links are absolute, images checked, ids made unique."""
    text = b.text(lang)
    base = model.config.base_url

    def resolve(path: Path) -> str | None:
        target = model.by_path(path)
        if target is not None and target.slug in inside:
            return f"#b-{target.slug}"  # its article in this PDF
        url = model.link_url(path, lang)
        if url is None:
            return NOT_LOADED if report.is_left_out(path) else None
        return urls.absolute(base, url)

    def image(src: str) -> str | images.Refused:
        # The site's image rule; a digest loads nothing from the network, so an allowed remote
        # image is left out (a warning), and a local one is embedded from its file.
        found = images.resolve(
            src, text.path, roots[1], report.root, remote=model.config.images.remote
        )
        if isinstance(found, images.Local):
            loaded.setdefault(found.path, _where(text.body, src, text.path, text.body_line))
            return found.path.as_uri()
        if isinstance(found, images.Passed) and found.remote:
            return images.Refused(
                f"remote image '{src}' is left out of the PDF digest",
                "digests embed only images under content/",
                error=False,
            )
        return found.url if isinstance(found, images.Passed) else found

    # Nested under the briefing's h2 title, its ids prefixed by its slug (markdown.nest).
    body = markdown.render(
        text.body, text.path, text.body_line, resolve, report, image, nest=b.slug
    )
    html = body.html
    return keep_units_html(html) if model.config.language(text.lang).keep_units else html


def _where(body: str, src: str, path: Path, first_line: int) -> tuple[Path, int, int]:
    for n, line in enumerate(body.split("\n")):
        if (col := line.find(src)) >= 0:
            return path, first_line + n, col + 1
    return path, first_line, 1
