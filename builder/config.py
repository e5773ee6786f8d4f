"""Site settings (`site.yaml`) and the slug catalogues (`topics.yaml`, `indicators.yaml`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from builder.errors import Report
from builder.languages import language_codes
from builder.load import load_yaml_file, validate
from builder.model import Indicator, Topic
from builder.schema import SLUG_RE, IndicatorEntry, SiteConfig, TopicEntry
from builder.yamlsrc import Positions

E = TypeVar("E", bound=BaseModel)
V = TypeVar("V")


class Catalog(dict[str, V]):
    """A catalogue's valid entries by slug, with `rejected`: the slugs whose entries are present
    but invalid. Their errors are reported in the catalogue; a briefing naming one is left out
    without an "unknown slug" error of its own, so one bad entry is one error, not one per
    briefing that uses it burying the real one."""

    def __init__(self, entries: dict[str, V], rejected: frozenset[str] = frozenset()) -> None:
        super().__init__(entries)
        self.rejected = rejected


def load_site(content: Path, report: Report) -> SiteConfig | None:
    path = content / "site.yaml"
    loaded = load_yaml_file(path, report)
    if loaded is None:
        return None
    data, pos = loaded
    return validate(SiteConfig, data, pos, path, report, languages=language_codes(data))


def load_catalog(
    path: Path, entry: type[E], report: Report, languages: list[str] | None = None
) -> tuple[Catalog[E], Positions]:
    """A YAML mapping of slug -> entry, each validated; bad entries are reported and left out
    (their slugs are the catalog's `rejected`)."""
    loaded = load_yaml_file(path, report)
    if loaded is None:
        return Catalog({}), Positions()
    data, pos = loaded
    if not isinstance(data, dict):
        report.error(path, 1, 1, "expected a mapping of slug: {...} entries")
        return Catalog({}), pos
    out: dict[str, E] = {}
    rejected: set[str] = set()
    for slug, value in data.items():
        line, col = pos.of((slug,), key=True)
        if not isinstance(slug, str) or not re.match(SLUG_RE, slug):
            report.error(
                path,
                line,
                col,
                f"invalid slug '{slug}'",
                "use lowercase letters, digits and hyphens",
            )
            continue
        record = validate(entry, value, pos, path, report, prefix=(slug,), languages=languages)
        if record is not None:
            out[slug] = record
        else:
            rejected.add(slug)
    return Catalog(out, frozenset(rejected)), pos


def load_topics(
    content: Path, report: Report, languages: list[str] | None = None
) -> Catalog[Topic]:
    entries, _ = load_catalog(content / "topics.yaml", TopicEntry, report, languages)
    return Catalog(
        {s: Topic(s, e.name, e.description) for s, e in sorted(entries.items())},
        entries.rejected,
    )


def load_indicators(
    content: Path, report: Report, languages: list[str] | None = None
) -> Catalog[Indicator]:
    entries, _ = load_catalog(content / "indicators.yaml", IndicatorEntry, report, languages)
    return Catalog(
        {s: Indicator(s, e.name, e.counted, e.counted_one) for s, e in sorted(entries.items())},
        entries.rejected,
    )
