from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from builder import markdown
from builder.errors import Report

ROOT = Path("/site/content/articles/2024")


def render(text: str, known: dict[Path, str] | None = None):  # type: ignore[no-untyped-def]
    report = Report(Path("/site"))
    body = markdown.render(text, ROOT / "a.md", 10, lambda p: (known or {}).get(p), report)
    return body, report.lines()


def test_line_endings_and_nul_are_normalised_as_markdown_it_does() -> None:
    # markdown.py replaces markdown-it's "normalize" rule with a faster one of the same effect.
    own = MarkdownIt("commonmark", {"html": False}).enable("table")
    anchors_plugin(own, min_level=2, max_level=3)
    for text in [
        "## Key\r\npoints\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n",
        "Old\rMac\r\rline\n\r\nends\r",
        "nul\0here\r\n\0\n- item\0\r- two",
        "```\r\ncode\r\n\r\n```\r",
    ]:
        body, errors = render(text)
        assert errors == []
        assert body.html == own.render(text)
    assert "\ufffd" in render("a\0b")[0].html and "\r" not in render("a\r\nb\rc")[0].html


def test_raw_html_is_escaped() -> None:
    body, _ = render('<b onclick="x()">hi</b>\n\n<script>alert(1)</script>\n')
    assert "<script>" not in body.html and "<b " not in body.html
    assert "&lt;script&gt;" in body.html


def test_tables_and_heading_anchors() -> None:
    body, _ = render("## Key points\n\n### 要点\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<h2 id="key-points">' in body.html
    assert [(h.level, h.text, h.anchor) for h in body.headings] == [
        (2, "Key points", "key-points"),
        (3, "要点", "要点"),
    ]
    assert "<table>" in body.html and "<td>1</td>" in body.html


def test_links_to_briefings_resolve_and_keep_fragments() -> None:
    known = {Path("/site/content/articles/2023/b.md"): "../../2023/b/index.html"}
    body, errors = render("See [b](../2023/b.md#x) and [web](https://example.org/a.md).\n", known)
    assert errors == []
    assert 'href="../../2023/b/index.html#x"' in body.html
    assert 'href="https://example.org/a.md"' in body.html


def test_broken_link_reports_file_line_and_column() -> None:
    _, errors = render("First.\n\nSecond line\nthen [c](../2023/c.md) here.\n")
    # Body starts at file line 10; the link is on the body's 4th line, column 10.
    assert errors == [
        "content/articles/2024/a.md:13:10: error: broken link to '../2023/c.md' "
        "(link to another briefing by its path, e.g. ../2024/slug.md)"
    ]


def test_dangerous_link_schemes_are_not_linked() -> None:
    body, _ = render("[x](javascript:alert(1)) [y](file:///etc/passwd)\n")
    assert "<a " not in body.html
