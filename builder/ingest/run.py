"""`briefings ingest`: read each source, extract, match, write a draft, print one line per file.

Exit status: 0 when every file was drafted or was already present, 1 when a file could not be
read (binary, empty, not UTF-8) or needs `--region`, 2 for usage errors (see cli.py).
A draft whose region is unknown is not written: `regions.yaml` must know a briefing's region,
and a draft that fails validation would stop `briefings build` for the whole site.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from builder import atomic, files
from builder.config import load_indicators, load_site, load_topics
from builder.errors import Report, did_you_mean
from builder.ingest.draft import Draft, DraftFigure, make_slug, render
from builder.ingest.extract_html import extract_html
from builder.ingest.extract_text import extract_text
from builder.ingest.figures import Found, find_figures, sentences
from builder.ingest.labels import guess_indicator, guess_period
from builder.ingest.mentions import people, suggest_topics
from builder.ingest.new_region import regions_entry
from builder.ingest.regions_match import match_region
from builder.languages import DEFAULT_LANGUAGES, HAN_SCRIPTS, Language
from builder.load import text_hash
from builder.model import Indicator, Topic
from builder.regions import Gazetteer, load_gazetteer

_TEXT_SUFFIXES = {".txt", ".text", ""}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


class SourceUnreadable(Exception):
    """The file is not an article: binary, empty, or in an encoding we cannot read."""


@dataclass(frozen=True)
class IngestOptions:
    root: Path
    out: Path | None = None
    region: str | None = None
    lang: str | None = None
    date: dt.date | None = None
    force: bool = False
    dry_run: bool = False

    @property
    def out_dir(self) -> Path:
        return self.out or self.root / "content" / "articles"


@dataclass(frozen=True)
class Reference:
    """What the ingester matches a source against: the site's catalogues and languages."""

    gazetteer: Gazetteer
    topics: dict[str, Topic]
    indicators: dict[str, Indicator]
    languages: list[Language] = field(default_factory=lambda: list(DEFAULT_LANGUAGES))


@dataclass
class Outcome:
    source: Path
    status: str  # wrote | would write | already present | slug taken | needs ... | error
    slug: str = ""
    target: Path | None = None
    region: str = ""
    date: str = ""
    figures: int = 0
    attention: list[str] = field(default_factory=list)
    text: str = ""  # the draft

    @property
    def ok(self) -> bool:
        return self.status in ("wrote", "would write", "already present")

    def line(self) -> str:
        parts = [f"{self.source}: {self.status}"]
        if self.target is not None:
            parts.append(str(self.target))
        if self.slug:
            parts.append(f"region={self.region or '?'} date={self.date} figures={self.figures}")
        if self.attention:
            parts.append("check: " + "; ".join(self.attention))
        return "  ".join(parts)


def read_source(path: Path) -> tuple[str, list[str]]:
    """The file's text (BOM dropped, LF line ends) and notes about how it was read."""
    try:
        data = files.read_bytes(path, None)  # a FIFO or device would block or never end
    except files.Unreadable as exc:
        raise SourceUnreadable(exc.message) from None
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise SourceUnreadable("empty file: nothing to ingest")
    if b"\x00" in data[:8192]:
        raise SourceUnreadable("binary file: save the article as text (UTF-8) or HTML")
    notes: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Chinese sites still serve GBK pages; accept them when they decode to Chinese text.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if not re.search(r"[\u4e00-\u9fff]", text):
            raise SourceUnreadable("not UTF-8 text: save the article as UTF-8") from None
        notes.append("encoding: read as GB18030 (not UTF-8): check the characters")
    return text.replace("\r\n", "\n").replace("\r", "\n"), notes


def _is_html(path: Path, text: str) -> bool:
    return path.suffix.lower() in _HTML_SUFFIXES or bool(_HTML_START.match(text[:2000]))


def _lang(title: str, paragraphs: list[str], languages: list[Language]) -> str:
    """The site language the source is most likely in: by script, Han or Latin."""
    text = title + " ".join(paragraphs)
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    wanted = HAN_SCRIPTS if han > latin / 3 else {"Latn"}
    for language in languages:
        if language.script in wanted:
            return language.code
    return languages[0].code


def load_catalogs(root: Path, report: Report) -> Reference:
    content = root / "content"
    site = load_site(content, report)
    codes = site.codes if site else None
    return Reference(
        load_gazetteer(content, report, codes),
        load_topics(content, report, codes),
        load_indicators(content, report, codes),
        site.languages if site else list(DEFAULT_LANGUAGES),
    )


@dataclass
class Analysis:
    """What the ingester read from one source, before any draft is written."""

    title: str
    date: dt.date | None  # None: the page gives none; the command asks for --date
    publisher: str
    url: str
    lang: str
    region: str | None
    region_note: str
    region_problem: str | None  # why the command asks for --region
    figures: list[Found]
    paragraphs: list[str]
    captions: list[str]
    notes: list[str]
    source_hash: str


def analyse(path: Path, cats: Reference, options: IngestOptions) -> Analysis:
    """Extract, match the region and find the figures of one source."""
    text, notes = read_source(path)
    source_hash = text_hash(text)
    suffix = path.suffix.lower()
    if _is_html(path, text):
        ex = extract_html(text)
    else:
        ex = extract_text(text)
        if suffix not in _TEXT_SUFFIXES:
            notes.append(f"format: '{suffix}' is not a known article format; read as plain text")
    notes += ex.notes
    if not ex.paragraphs:
        notes.append("body: no paragraphs found")
    lang = options.lang or _lang(ex.title, ex.paragraphs, cats.languages)
    region_problem = None
    region: str | None
    if options.region:
        region, region_note = options.region, "given with --region"
    else:
        match = match_region(cats.gazetteer, ex.title, ex.paragraphs)
        region, region_note = match.slug, match.reason
        if match.slug is None:
            region_problem = match.reason
            if match.candidates:
                region_problem += f"; candidates: {', '.join(match.candidates)}"
            if match.missing:
                region_problem += "; add it to regions.yaml: " + regions_entry(
                    cats.gazetteer, match.missing, cats.languages
                )
    date = options.date or ex.date
    return Analysis(
        title=ex.title,
        date=date,
        publisher=ex.publisher,
        url=ex.url,
        lang=lang,
        region=region,
        region_note=region_note,
        region_problem=region_problem,
        figures=find_figures(ex.paragraphs),
        paragraphs=ex.paragraphs,
        captions=ex.captions,
        notes=notes,
        source_hash=source_hash,
    )


def build_draft(
    path: Path, cats: Reference, options: IngestOptions
) -> tuple[Draft, list[str], list[str]]:
    """The draft, the short list of things needing attention, and what the command must ask."""
    a = analyse(path, cats, options)
    checks = list(a.notes)
    attention = [n.split(":")[0] for n in a.notes]
    asks: list[str] = []
    if options.region:
        pass
    elif a.region_problem:
        asks.append(f"needs --region: {a.region_problem}")
        checks.append(f"region: {a.region_problem}; re-run with --region SLUG")
    if a.date is None:
        asks.append("needs --date: the page gives no publication date; give it with --date")
    elif options.date:
        checks.append("date: given with --date")
    if not a.publisher:
        checks.append("publisher: the source names none")
        attention.append("publisher")
    default = cats.languages[0].code
    if a.lang != default:
        checks.append(
            f"language: the source is in {a.lang}; the original (<slug>.md) is in the site's "
            f"first language: write the briefing in it, the {a.lang} text in <slug>.{a.lang}.md"
        )
    figures = [
        DraftFigure(f, guess_indicator(f, cats.indicators), guess_period(f, a.date))
        for f in a.figures
    ]
    unlabelled = sum(f.indicator is None for f in figures)
    if figures:
        checks.append(
            f"figures: {len(figures) - unlabelled} with a guessed indicator, {unlabelled} "
            "unlabelled (commented out); check every value, kind and period"
        )
    if unlabelled:
        attention.append(f"{unlabelled} figures unlabelled")
    topics = suggest_topics(cats.topics, a.title, a.paragraphs)
    topics_note = "suggested from the article's words"
    if not topics:
        topics = sorted(cats.topics)[:1]
        topics_note = "PLEASE CHECK: no topic matched; a placeholder"
        checks.append("topics: none matched the article's words")
        attention.append("topics")
    first = sentences(a.paragraphs[0])[0] if a.paragraphs else a.title
    title = a.title or first[:120] or path.stem
    draft = Draft(
        title=title,
        date=a.date,
        region=a.region,
        region_note=a.region_note,
        topics=topics,
        topics_note=topics_note,
        summary=first or title,
        publisher=a.publisher,
        url=a.url,
        figures=figures,
        people=people(a.paragraphs),
        captions=a.captions,
        paragraphs=a.paragraphs,
        source_name=path.name,
        source_hash=a.source_hash,
        checks=checks,
    )
    return draft, attention, asks


def _existing(out_dir: Path, slug: str) -> Path | None:
    found = sorted(out_dir.glob(f"*/{slug}.md")) if out_dir.is_dir() else []
    return found[0] if found else None


def ingest_file(path: Path, cats: Reference, options: IngestOptions) -> Outcome:
    try:
        draft, attention, asks = build_draft(path, cats, options)
    except (SourceUnreadable, OSError) as exc:
        return Outcome(path, "error", attention=[str(exc)])
    slug = make_slug(draft.title, draft.region, draft.date, draft.source_hash)
    year = str(draft.date.year) if draft.date else "undated"
    target = options.out_dir / year / f"{slug}.md"
    text = render(draft)
    out = Outcome(
        path,
        "",
        slug,
        target,
        draft.region or "",
        draft.date.isoformat() if draft.date else "?",
        len(draft.figures),
        attention,
        text,
    )
    if asks:
        # Asking beats guessing: a wrong region or a date made up is a wrong fact, published.
        out.status = " ".join(a.split(":")[0] for a in asks)
        out.attention = [a.split(": ", 1)[1] for a in asks] + attention
        return out
    existing = _existing(options.out_dir, slug)
    inside = (options.root.resolve(), options.out_dir.resolve())
    if existing is not None and not options.force:
        try:
            held = files.read_bytes(existing, inside, files.TEXT_LIMIT)
        except files.Unreadable as exc:
            return Outcome(path, "error", attention=[f"{existing}: {exc.message}"])
        same = f"sha256 {draft.source_hash}".encode() in held
        out.status = "already present" if same else "slug taken"
        out.target = existing
        if not same:
            out.attention = [f"{existing} holds another article; --force replaces it"]
        return out
    if options.dry_run:
        out.status = "would write"
        return out
    problem = files.escape(target.parent, inside) if target.parent.is_symlink() else None
    if problem is not None:
        return Outcome(path, "error", attention=[f"{target.parent}: {problem.message}"])
    target.parent.mkdir(parents=True, exist_ok=True)
    if existing is not None and existing != target:
        existing.unlink()  # --force: one file per slug, or the build reports a duplicate
    # Written beside and renamed over: a symlink at the target is replaced, never followed
    # (--force through `x.md -> ~/.bashrc` would overwrite a file outside the project).
    atomic.write(target, text.encode("utf-8"), mode=0o644)
    out.status = "wrote"
    return out


def source_files(paths: list[Path]) -> list[Path]:
    """Files named, and the files under folders named (hidden ones skipped), in a stable order."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            files.append(p)
    return files


def ingest(paths: list[Path], options: IngestOptions, stdout: TextIO | None = None) -> int:
    # sys.stdout looked up per call, not bound at import, so that captured output works.
    stdout = stdout or sys.stdout
    report = Report(options.root.resolve())
    cats = load_catalogs(options.root, report)
    if report.errors:
        for line in report.lines():
            print(line, file=sys.stderr)
        return 1
    codes = [language.code for language in cats.languages]
    if options.lang and options.lang not in codes:
        hint = did_you_mean(options.lang, codes) or f"use one of: {', '.join(codes)}"
        print(
            f"briefings: error: --lang '{options.lang}' is not a site language ({hint})",
            file=sys.stderr,
        )
        return 2
    if options.region and options.region not in cats.gazetteer:
        print(f"briefings: error: unknown region '{options.region}'", file=sys.stderr)
        return 2
    status = 0
    for path in source_files(paths):
        outcome = ingest_file(path, cats, options)
        print(outcome.line(), file=stdout)
        if options.dry_run and outcome.text and outcome.status != "error":
            print(outcome.text, file=stdout)
        if not outcome.ok:
            status = 1
    return status
