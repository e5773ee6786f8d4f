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


def load_site(content: Path, report: Report) -> SiteConfig | None:
    path = content / "site.yaml"
    loaded = load_yaml_file(path, report)
    if loaded is None:
        return None
    data, pos = loaded
    return validate(SiteConfig, data, pos, path, report, languages=language_codes(data))


def load_catalog(
    path: Path, entry: type[E], report: Report, languages: list[str] | None = None
) -> tuple[dict[str, E], Positions]:
    """A YAML mapping of slug -> entry, each validated; bad entries are reported and left out."""
    loaded = load_yaml_file(path, report)
    if loaded is None:
        return {}, Positions()
    data, pos = loaded
    if not isinstance(data, dict):
        report.error(path, 1, 1, "expected a mapping of slug: {...} entries")
        return {}, pos
    out: dict[str, E] = {}
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
    return out, pos


def load_topics(
    content: Path, report: Report, languages: list[str] | None = None
) -> dict[str, Topic]:
    entries, _ = load_catalog(content / "topics.yaml", TopicEntry, report, languages)
    return {s: Topic(s, e.name, e.description) for s, e in sorted(entries.items())}


def load_indicators(
    content: Path, report: Report, languages: list[str] | None = None
) -> dict[str, Indicator]:
    entries, _ = load_catalog(content / "indicators.yaml", IndicatorEntry, report, languages)
    return {s: Indicator(s, e.name, e.counted, e.counted_one) for s, e in sorted(entries.items())}
