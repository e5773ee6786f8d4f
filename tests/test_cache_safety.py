"""The digest cache deletes what a build did not use: it must only ever delete its own files."""

from __future__ import annotations

from pathlib import Path

from builder.cache import DigestCache
from builder.errors import Report
from builder.pipeline import Options, _cache


def test_prune_removes_only_cache_entries(tmp_path: Path) -> None:
    """The cache folder may hold other files (or, through a link, be someone's folder): prune
    deletes only names the cache gives."""
    key = "a" * 64
    for name in (f"{key}.pdf", f"{key}.json", "report.pdf", "package.json"):
        (tmp_path / name).write_text("x")
    assert DigestCache(tmp_path).prune() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package.json", "report.pdf"]


def test_a_cache_linked_out_of_the_project_is_not_used(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "documents").mkdir()
    (root / ".cache").symlink_to(tmp_path / "documents")
    report = Report(root)
    assert _cache(Options(root=root), report).folder is None
    assert [e.message.split(":")[0] for e in report.warnings] == ["digest cache not used"]
