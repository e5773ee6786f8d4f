"""Articles → `Briefing` records: originals, their translations, and the checks between them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.config import Catalog
from builder.errors import Report, did_you_mean
from builder.load import FrontMatter, read_text, split_front_matter, text_hash, validate
from builder.model import Briefing, Figure, Indicator, Source, Text, Topic
from builder.regions import Gazetteer
from builder.schema import NEUTRAL_FIELDS, BriefingFront, SiteConfig, TranslationFront
from builder.sources import ArticleFile, find_articles

if TYPE_CHECKING:
    from builder.buildcache import SourceCache


@dataclass(frozen=True)
class _Parsed:
    file: ArticleFile
    fm: FrontMatter
    hash: str


@dataclass(frozen=True)
class Catalogs:
    config: SiteConfig
    gazetteer: Gazetteer
    topics: Catalog[Topic]
    indicators: Catalog[Indicator]


def load_briefings(
    content: Path,
    cats: Catalogs,
    report: Report,
    *,
    drafts: bool,
    today: dt.date,
    cache: SourceCache | None = None,
    jobs: int = 1,
) -> list[Briefing]:
    """Every briefing that belongs in this build, validated; problems go to `report`.

    Drafts and future-dated briefings are validated but left out unless `drafts` is set.
    `cache` gives front-matter parsed by an earlier build from the same text; with `jobs` > 1
    it parses many new files' front-matter in that many processes first (parse_ahead).
    """
    files = find_articles(content, cats.config.codes, report)
    if cache is not None:

        def read(path: Path, found: Report) -> str | None:
            return read_text(path, found, (content,))

        cache.parse_ahead([f.path for f in files], read, report.root, jobs)
    return briefings_from(files, content, cats, report, drafts=drafts, today=today, cache=cache)


def briefings_from(
    files: list[ArticleFile],
    content: Path,
    cats: Catalogs,
    report: Report,
    *,
    drafts: bool,
    today: dt.date,
    cache: SourceCache | None = None,
) -> list[Briefing]:
    """`load_briefings` of the given article files only.

    Every check between files is between the files of one slug (an original, its translations,
    a second original with its slug), so the files of some slugs load the same alone as among
    all the others: the preview reloads only the slugs a save touched (incremental.py).
    """
    split = cache.front_matter if cache is not None else split_front_matter
    languages: list[str] = cats.config.codes
    parsed: list[_Parsed] = []
    for f in files:
        ahead = cache.take_ahead(f.path) if cache is not None else None
        if ahead is not None:
            parsed.append(_Parsed(f, *ahead))
            continue
        text = read_text(f.path, report, (content,))
        fm = split(text, f.path, report) if text is not None else None
        if text is not None and fm is not None:
            parsed.append(_Parsed(f, fm, text_hash(text)))

    originals = _unique_originals([p for p in parsed if p.file.lang is None], report)
    translations = [p for p in parsed if p.file.lang is not None]
    by_slug: dict[str, tuple[_Parsed, BriefingFront]] = {}
    for p in originals:
        front = validate(BriefingFront, p.fm.data, p.fm.positions, p.file.path, report)
        if front is not None and _check_references(p, front, cats, report):
            by_slug[p.file.slug] = (p, front)

    for f in files:
        if f.slug not in by_slug:
            report.leave_out(f.path)  # its errors, or its original's, are reported
    texts: dict[str, dict[str, Text]] = {
        slug: {languages[0]: _text(p, front.title, front.summary, languages[0], True)}
        for slug, (p, front) in by_slug.items()
    }
    for t in translations:
        lang = t.file.lang
        assert lang is not None
        tfront = validate(TranslationFront, t.fm.data, t.fm.positions, t.file.path, report)
        original = by_slug.get(t.file.slug)
        same_folder = original is not None and original[0].file.path.parent == t.file.path.parent
        if original is not None and not same_folder:
            report.error(
                t.file.path,
                1,
                1,
                f"translation filed apart from its original {report.rel(original[0].file.path)}",
                "move it into the same year folder as its original",
            )
            continue
        if original is None:
            # An original that exists but failed to load has its own errors: say nothing more.
            if not any(f.lang is None and f.slug == t.file.slug for f in files):
                report.error(
                    t.file.path,
                    1,
                    1,
                    f"translation without an original '{t.file.slug}.md'",
                    "add the original beside it, or rename this file to match its original",
                )
            continue
        if tfront is None:
            continue
        orig, ofront = original
        if not _inherits(t, tfront, ofront, report):
            continue
        stale = tfront.translated_from != orig.hash
        if stale:
            line, col = t.fm.positions.of(("translated_from",))
            report.warn(
                t.file.path,
                line,
                col,
                f"stale translation: {orig.file.path.name} changed since it was translated",
                f'review it, then set translated_from: "{orig.hash}"',
            )
        if tfront.draft and not drafts:
            continue
        texts[t.file.slug][lang] = _text(t, tfront.title, tfront.summary, lang, False, stale)

    briefings = []
    for slug, (p, front) in sorted(by_slug.items()):
        if not drafts and (front.draft or front.date > today):
            continue
        _warn_gaps(p, front, texts[slug], languages, report)
        briefings.append(_briefing(slug, front, languages[0], texts[slug], cats.indicators))
    return briefings


def _unique_originals(originals: list[_Parsed], report: Report) -> list[_Parsed]:
    """Slugs are unique across years: a second file with a slug already taken is an error."""
    seen: dict[str, _Parsed] = {}
    out = []
    for p in originals:
        first = seen.get(p.file.slug)
        if first is not None:
            for a, b in ((p, first), (first, p)):
                report.error(
                    a.file.path,
                    1,
                    1,
                    f"duplicate slug '{p.file.slug}'",
                    f"also used by {report.rel(b.file.path)}; rename one of them",
                )
            continue
        seen[p.file.slug] = p
        out.append(p)
    counts = Counter(p.file.slug for p in originals)
    return [p for p in out if counts[p.file.slug] == 1]


def _check_references(p: _Parsed, front: BriefingFront, cats: Catalogs, report: Report) -> bool:
    """Region, topic and indicator slugs must exist in their catalogues."""
    pos, path = p.fm.positions, p.file.path
    ok = True

    def unknown(
        key: tuple[str | int, ...],
        kind: str,
        slug: str,
        known: Any,
        rejected: frozenset[str],
        file: str,
    ) -> None:
        nonlocal ok
        ok = False
        if slug in rejected:
            return  # its entry is invalid, and that error is reported where it is
        line, col = pos.of(key)
        # A misspelling of a rejected slug is suggested too: its entry is only to be mended.
        hint = did_you_mean(slug, [*known, *rejected]) or f"add it to content/{file}"
        report.error(path, line, col, f"unknown {kind} '{slug}'", hint)

    if front.region not in cats.gazetteer:
        gaz = cats.gazetteer
        unknown(("region",), "region", front.region, gaz.regions, gaz.rejected, "regions.yaml")
    for i, topic in enumerate(front.topics):
        if topic not in cats.topics:
            unknown(("topics", i), "topic", topic, cats.topics, cats.topics.rejected, "topics.yaml")
    for i, fig in enumerate(front.figures):
        if fig.indicator not in cats.indicators:
            unknown(
                ("figures", i, "indicator"),
                "indicator",
                fig.indicator,
                cats.indicators,
                cats.indicators.rejected,
                "indicators.yaml",
            )
        if fig.equivalent is not None and fig.equivalent.unit not in ("cny", "usd"):
            line, col = pos.of(("figures", i, "equivalent", "unit"))
            report.error(path, line, col, "an equivalent amount must be money (cny or usd)")
            ok = False
    if p.file.folder_year != str(front.date.year):
        line, col = pos.of(("date",))
        report.warn(
            path,
            line,
            col,
            f"dated {front.date.year} but filed under {p.file.folder_year}/",
            f"move it to articles/{front.date.year}/",
        )
    return ok


def _inherits(t: _Parsed, tfront: TranslationFront, ofront: BriefingFront, report: Report) -> bool:
    """A translation may repeat a language-neutral field, never change it."""
    ok = True
    for name in NEUTRAL_FIELDS:
        mine = getattr(tfront, name)
        if mine is not None and mine != getattr(ofront, name):
            line, col = t.fm.positions.of((name,), key=True)
            report.error(
                t.file.path,
                line,
                col,
                f"translation changes language-neutral field '{name}'",
                "remove it here: translations inherit it from the original",
            )
            ok = False
    return ok


def _warn_gaps(
    p: _Parsed,
    front: BriefingFront,
    texts: dict[str, Text],
    languages: list[str],
    report: Report,
) -> None:
    for lang in languages[1:]:
        if lang not in texts:
            report.warn(
                p.file.path,
                1,
                1,
                f"no {lang} translation",
                f"add {p.file.slug}.{lang}.md beside it",
            )
    if not front.figures:
        report.warn(
            p.file.path, 1, 1, "briefing has no figures", "add the key figures under 'figures:'"
        )


def _text(
    p: _Parsed, title: str, summary: str, lang: str, original: bool, stale: bool = False
) -> Text:
    return Text(lang, title, summary, p.fm.body, p.fm.body_line, p.file.path, original, stale)


def _briefing(
    slug: str,
    f: BriefingFront,
    lang: str,
    texts: dict[str, Text],
    indicators: dict[str, Indicator],
) -> Briefing:
    figures = tuple(
        Figure(
            x.indicator,
            x.value,
            x.unit,
            x.kind,
            x.qualifier,
            x.period,
            x.equivalent.value if x.equivalent else None,
            x.equivalent.unit if x.equivalent else None,
            # An unknown indicator is an error reported above; the figure is never shown.
            indicators[x.indicator].counted
            if x.unit == "count" and x.indicator in indicators
            else None,
            indicators[x.indicator].counted_one
            if x.unit == "count" and x.indicator in indicators
            else None,
        )
        for x in f.figures
    )
    s = f.source
    return Briefing(
        slug,
        f.date,
        f.region,
        tuple(f.topics),
        Source(s.title, s.published, s.publisher, s.url),
        figures,
        f.draft,
        lang,
        dict(sorted(texts.items())),
    )
