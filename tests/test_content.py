"""The project's own content: complete, strict-clean, and in its own words."""

from __future__ import annotations

import re

import pytest
import yaml

from builder.pipeline import Options, Run, build
from tests.conftest import PROJECT

SEEDS = PROJECT.parent / "shared" / "seeds"


def test_project_content_builds_strict_without_warnings() -> None:
    result = build(Options(root=PROJECT, strict=True, run=Run.CHECK))
    assert result.report.items == []
    assert result.model is not None
    assert len(result.model.briefings) == 5
    assert all(b.has("en") and b.has("zh") for b in result.model.briefings)


def test_regions_cover_the_seeds_with_correct_chinese_names() -> None:
    regions = yaml.safe_load((PROJECT / "content/regions.yaml").read_text())
    expected = {
        "jiangsu": ("江苏省", "province", None),
        "taizhou-jiangsu": ("泰州市", "city", "jiangsu"),
        "jiangyan": ("姜堰区", "district", "taizhou-jiangsu"),
        "hailing": ("海陵区", "district", "taizhou-jiangsu"),
        "suzhou-jiangsu": ("苏州市", "city", "jiangsu"),
        "zhangjiagang": ("张家港市", "county", "suzhou-jiangsu"),
        "zhejiang": ("浙江省", "province", None),
        "jiaxing": ("嘉兴市", "city", "zhejiang"),
        "taizhou-zhejiang": ("台州市", "city", "zhejiang"),
    }
    for slug, (zh, level, parent) in expected.items():
        assert regions[slug]["name"]["zh"] == zh
        assert regions[slug]["level"] == level
        assert regions[slug].get("parent") == parent


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9$.%']+", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed articles are not beside this clone")
def test_briefings_do_not_copy_seed_sentences() -> None:
    """No run of eight words from a source article appears in a briefing body or summary."""
    runs: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        words = _words(seed.read_text(encoding="utf-8"))
        runs.update(tuple(words[i : i + 8]) for i in range(len(words) - 7))
    for article in sorted((PROJECT / "content/articles").rglob("*.md")):
        text = article.read_text(encoding="utf-8")
        # The source's own headline is quoted on purpose, as attribution.
        text = re.sub(r'^\s*title: ".*"$', "", text, flags=re.M)
        words = _words(text)
        copied = [
            " ".join(words[i : i + 8])
            for i in range(len(words) - 7)
            if tuple(words[i : i + 8]) in runs
        ]
        assert copied == [], f"{article.name} repeats the source: {copied[:3]}"
