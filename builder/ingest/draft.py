"""A draft briefing's text: front-matter the schema accepts, notes as YAML comments, the body.

Everything the ingester is unsure of is said in a comment next to the value, and summed up in a
"PLEASE CHECK" block at the top, so that an editor can work down the file. Values the schema
would reject (a figure without a fitting indicator) are written as commented-out entries: the
draft still validates, and `briefings check --drafts` stays green while the editor works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from builder.ingest.figures import Found

_SLUG_STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "at",
        "by",
        "with",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "as",
        "from",
    ]
)
_SLUG_WORDS = 8
_MD_START = re.compile(r"^(#|>|[-+*] |\d+[.)] |=+$|-{3,}$)")


@dataclass(frozen=True)
class DraftFigure:
    found: Found
    indicator: str | None  # None: no indicator fits, the entry is written commented out
    period: str | None


@dataclass
class Draft:
    title: str
    date: dt.date | None  # None: the page gives none; such a draft is shown, never written
    region: str | None
    region_note: str
    topics: list[str]
    topics_note: str
    summary: str
    publisher: str
    url: str
    figures: list[DraftFigure]
    people: list[tuple[str, str]]
    captions: list[str]
    paragraphs: list[str]
    source_name: str
    source_hash: str
    checks: list[str] = field(default_factory=list)


def slugify(title: str) -> str:
    """ASCII words of the title, without small words: 'Taizhou's Hailing eyes …' → taizhou-…"""
    text = re.sub(r"['’]s\b", "", title)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _SLUG_STOP]
    return "-".join(words[:_SLUG_WORDS])


def make_slug(title: str, region: str | None, date: dt.date | None, source_hash: str) -> str:
    """Deterministic, so re-ingesting a source finds its earlier draft by name."""
    latin = len(re.findall(r"[A-Za-z]", title))
    han = len(re.findall(r"[\u4e00-\u9fff]", title))
    slug = slugify(title) if latin > han else ""
    if len(slug) >= 8:
        return slug
    # Chinese (or missing) titles have no ASCII words: region, date and a hash of the title.
    digest = hashlib.sha256((title or source_hash).encode("utf-8")).hexdigest()[:6]
    return f"{region or 'region'}-{date.isoformat() if date else 'undated'}-{digest}"


def number(value: Decimal) -> str:
    """YAML number text, exact: 29_030_000_000 or 24.1, never a float's rounding."""
    if value == value.to_integral_value():
        n = int(value)
        return format(n, "_") if abs(n) >= 10_000 else str(n)
    return format(value.normalize(), "f")


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, whatever quotes or colons it holds.
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str = "", prefix: str = "") -> list[str]:
    width = 98 - len(indent)
    lines = textwrap.wrap(prefix + text, width=width, subsequent_indent="  ") or [""]
    return [f"{indent}# {line}".rstrip() for line in lines]


def _figure_lines(fig: DraftFigure) -> list[str]:
    f = fig.found
    lines = _comment(_q(f.sentence), "  ", "from: ")
    label_note = (
        "guessed from the words around it: check"
        if fig.indicator
        else "no indicator fits: label it (indicators.yaml), then uncomment"
    )
    entry = [
        (f"indicator: {fig.indicator or 'LABEL-ME'}", label_note),
        (f"value: {number(f.value)}", ""),
        (f"unit: {f.unit}", ""),
    ]
    if f.qualifier:
        entry.append((f"qualifier: {f.qualifier}", ""))
    entry.append((f"kind: {f.kind}", "guessed"))
    if fig.period:
        entry.append((f"period: {_q(fig.period)}", "guessed"))
    if f.equivalent:
        value, unit = f.equivalent
        entry.append((f"equivalent: {{value: {number(value)}, unit: {unit}}}", ""))
    for i, (text, note) in enumerate(entry):
        line = f"{'- ' if i == 0 else '  '}{text}{'  # ' + note if note else ''}"
        lines.append(f"  {line}" if fig.indicator else f"  # {line}")
    return lines


def render(draft: Draft) -> str:
    out = ["---"]
    out += _comment(
        f"Draft written by `briefings ingest` from {draft.source_name} "
        f"(sha256 {draft.source_hash}). Work through the notes, delete them, set draft: false."
    )
    if draft.checks:
        out.append("# PLEASE CHECK:")
        for check in draft.checks:
            out += _comment(check, "", "  - ")
    out.append(f"title: {_q(draft.title)}")
    if draft.date:
        out.append(f"date: {draft.date.isoformat()}")
    else:
        out.append("date: ''  # PLEASE CHECK: the page gives no date; give it with --date")
    if draft.region:
        out.append(f"region: {draft.region}  # {draft.region_note}")
    else:
        out.append(f"region: ''  # PLEASE CHECK: {draft.region_note}")
    out.append(f"topics: [{', '.join(draft.topics)}]  # {draft.topics_note}")
    out.append(f"summary: {_q(draft.summary)}  # placeholder: write the summary")
    out.append("source:")
    if draft.publisher:
        out.append(f"  publisher: {_q(draft.publisher)}")
    else:
        out.append("  # publisher: the source names none; add it if you know it")
    out.append(f"  title: {_q(draft.title)}")
    if draft.date:
        out.append(f"  published: {draft.date.isoformat()}")
    if draft.url:
        out.append(f"  url: {_q(draft.url)}")
    labelled = [f for f in draft.figures if f.indicator]
    out.append("figures:" if labelled else "figures: []")
    for fig in sorted(draft.figures, key=lambda f: f.indicator is None):
        out += _figure_lines(fig)
    if draft.people:
        out.append("# People and roles mentioned (keep, use or delete):")
        for name, role in draft.people:
            out += _comment(f"{name}: {role}", "", "  - ")
    if draft.captions:
        out.append("# Photo captions in the source (not body text):")
        for caption in draft.captions:
            out += _comment(caption, "", "  - ")
    out.append("draft: true")
    out.append("---")
    body = [_MD_START.sub(lambda m: "\\" + m.group(0), p) for p in draft.paragraphs]
    return "\n".join(out) + "\n" + "\n\n".join(body) + "\n"
