"""Finding content files and reading their names: `<slug>.md` and `<slug>.<lang>.md`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from builder import files
from builder.errors import Report
from builder.schema import SLUG_RE

_NAME = re.compile(r"^(?P<slug>[^.]+)(?:\.(?P<lang>[^.]+))?\.md$")
_SLUG = re.compile(SLUG_RE)  # the one slug rule (schema.py)


@dataclass(frozen=True)
class ArticleFile:
    path: Path
    slug: str
    lang: str | None  # None for the original (default language)
    folder_year: str


def find_articles(content: Path, languages: list[str], report: Report) -> list[ArticleFile]:
    """Every `articles/<year>/*.md`, sorted so that builds never depend on directory order."""
    base = content / "articles"
    found: list[ArticleFile] = []
    below = len(base.parts)
    for path, is_folder in files.walk(base, (report.root, content), report):
        if path.suffix != ".md":
            continue
        if is_folder:
            report.error(path, 1, 1, "a folder named like a briefing", "rename it or remove it")
            continue
        parts = path.parts[below:]  # walk's paths are below `base` as given, links unresolved
        if len(parts) != 2 or not re.fullmatch(r"\d{4}", parts[0]):
            report.error(
                path, 1, 1, "briefing outside a year folder", "move it to content/articles/<year>/"
            )
            continue
        m = _NAME.match(path.name)
        if not m or not _SLUG.match(m["slug"]):
            report.error(
                path,
                1,
                1,
                f"invalid file name '{path.name}'",
                "use <slug>.md or <slug>.<lang>.md, slug of a-z, 0-9 and hyphens",
            )
            continue
        lang = m["lang"]
        if lang is not None and (lang not in languages or lang == languages[0]):
            others = ", ".join(languages[1:]) or "none"
            report.error(
                path,
                1,
                1,
                f"unknown translation language '{lang}'",
                f"translations may be in: {others}",
            )
            continue
        found.append(ArticleFile(path, m["slug"], lang, parts[0]))
    return found
