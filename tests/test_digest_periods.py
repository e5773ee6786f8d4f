"""The site's digests per period: the latest at the region's stable URL, one per earlier period,
bounded in size, and old periods served by the cache as the archive grows."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from builder.digests import Period, period_of
from builder.pipeline import build
from tests.conftest import copy_sample, options, page_texts


@pytest.mark.parametrize(
    ("day", "unit", "label", "start", "end"),
    [
        ("2024-12-31", "month", "2024-12", "2024-12-01", "2024-12-31"),
        ("2024-02-10", "month", "2024-02", "2024-02-01", "2024-02-29"),  # leap year
        ("2023-02-10", "month", "2023-02", "2023-02-01", "2023-02-28"),
        ("2024-11-15", "quarter", "2024-Q4", "2024-10-01", "2024-12-31"),
        ("2024-04-01", "quarter", "2024-Q2", "2024-04-01", "2024-06-30"),
        ("2024-03-31", "quarter", "2024-Q1", "2024-01-01", "2024-03-31"),
        ("2021-07-04", "year", "2021", "2021-01-01", "2021-12-31"),
    ],
)
def test_period_of_a_day(day: str, unit: str, label: str, start: str, end: str) -> None:
    got = period_of(dt.date.fromisoformat(day), unit)
    assert got == (label, Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end)))


def _site(tmp_path: Path, settings: str = "") -> Path:
    root = copy_sample("digest", tmp_path / "root")
    site_yaml = root / "content" / "site.yaml"
    text = site_yaml.read_text("utf-8").replace("  period: year\n", settings)
    site_yaml.write_text(text, "utf-8")
    return root


def test_a_digest_per_quarter_the_latest_at_the_stable_url(tmp_path: Path) -> None:
    root = _site(tmp_path)  # quarters: the default
    build(options(root))
    digests = root / "site" / "digests"
    made = sorted(p.relative_to(digests).as_posix() for p in digests.rglob("*.pdf"))
    assert made == [
        f"{lang}/{name}.pdf"
        for lang in ("en", "zh")
        for name in (
            "hailing",  # April only: one period
            "jiangsu",
            "jiangsu_2024-Q1",
            "jiangyan",
            "jiangyan_2024-Q1",
            "taizhou",
            "taizhou_2024-Q1",
        )
    ]
    latest = " ".join(page_texts(digests / "en" / "jiangyan.pdf")[0].split())
    assert "Period 1 Apr – 30 Jun 2024" in latest and "1 briefing, dated 6 May 2024" in latest
    older = " ".join("".join(page_texts(digests / "en" / "jiangyan_2024-Q1.pdf")).split())
    assert "Period 1 Jan – 31 Mar 2024" in older
    assert "Jiangyan sets a manufacturing output goal" in older
    assert "Jiangyan signs new investment projects" not in older
    # a past period is dated its last day, whatever day it is built
    assert "As of 31 March 2024" in older
    page = (root / "site/en/regions/jiangsu/taizhou/jiangyan/index.html").read_text()
    assert 'href="../../../../../digests/en/jiangyan.pdf"' in page
    assert 'href="../../../../../digests/en/jiangyan_2024-Q1.pdf"' in page
    assert "Q1 2024</a>" in page


def test_old_periods_come_from_the_cache_when_the_archive_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _site(tmp_path)
    build(options(root))
    # A new briefing in the current quarter, built on a later day: only the current
    # quarter's digests of its region and their ancestors are rendered again.
    may = root / "content/articles/2024/jiangyan-may.md"
    june = may.with_name("jiangyan-june.md")
    june.write_text(
        may.read_text("utf-8").replace("2024-05-06", "2024-06-03").replace("twelve", "nine"),
        "utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1717200000 + 5 * 86400))
    result = build(options(root))
    assert result.cache is not None
    rendered = sorted(result.cache.misses)
    # The current quarter's digests are dated the build day, so all of them are new; the first
    # quarter's are not touched.
    current = ("hailing", "jiangsu", "jiangyan", "taizhou")
    assert rendered == [f"digests/{lang}/{r}.pdf" for lang in ("en", "zh") for r in current]
    assert not any("_2024-Q1" in name for name in rendered)
    assert all(f"digests/{lang}/jiangyan_2024-Q1.pdf" in result.cache.hits for lang in ("en", "zh"))


def test_a_period_with_more_briefings_than_the_bound_keeps_the_newest(tmp_path: Path) -> None:
    root = _site(tmp_path, "  period: year\n  max_briefings: 2\n")
    build(options(root))
    texts = page_texts(root / "site/digests/en/taizhou.pdf")
    first = " ".join(texts[0].split())
    assert "2 briefings" in first and "1 more is on the site" in first
    whole = "".join(texts)
    assert "Jiangyan signs new investment projects" in whole  # May
    assert "Hailing plans new industrial parks" in whole  # April
    assert "Jiangyan sets a manufacturing output goal" not in whole  # March: the oldest


def test_a_copy_of_a_warm_project_renders_nothing(tmp_path: Path) -> None:
    root = _site(tmp_path)
    build(options(root))
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    result = build(options(copy))
    assert result.cache is not None and result.cache.misses == []
