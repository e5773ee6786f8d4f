"""What the home page tells a reader (issue 11), on the three-language sample site: when the
site last changed, and the newest briefings with their region's lineage, topics, headline
figure and digest."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from builder.errors import Report
from builder.index import SiteModel
from builder.page_data import home_page
from builder.page_parts import lineage
from builder.pipeline import load_model
from tests.conftest import build_site, copy_site, options
from tests.empty_regions import scope


@pytest.fixture(scope="module")
def root(sparse_root: Path) -> Path:
    return sparse_root


@pytest.fixture(scope="module")
def model(sparse_model: SiteModel) -> SiteModel:
    return sparse_model


@pytest.mark.parametrize(
    ("lang", "topics", "indicator", "value"),
    [
        ("en", ["Investment", "Innovation"], "Fixed-asset investment", "about 29.03 billion yuan"),
        ("zh", ["投资", "科技创新"], "固定资产投资", "约290.3亿元"),
        ("zh-hant", ["投資", "科技創新"], "固定資產投資", "約290.3億元"),
    ],
)
def test_home_page_says_what_is_new_and_when(
    model: SiteModel, lang: str, topics: list[str], indicator: str, value: str
) -> None:
    s = scope(model, lang)
    # The Chinese digest of Nanshan is made, the others not: only it is linked.
    page = home_page(s, {("zh", "nanshan"): "digests/zh/nanshan.pdf"})
    # The newest briefing's date, not the build's: harbour.md, 2024-04-12.
    assert page.updated == dt.date(2024, 4, 12)
    assert [n.card.date_iso for n in page.latest] == ["2024-04-12", "2024-02-20", "2023-09-14"]
    newest = page.latest[0]
    assert newest.card.region_lineage == lineage(model, model.gazetteer.regions["nanshan"], lang)
    assert [t.text for t in newest.topics] == topics
    assert newest.headline is not None
    assert newest.headline.indicator == indicator
    assert newest.headline.figure.kind == "target"
    assert s.fmt.figure_value(newest.headline.figure) == value
    assert newest.digest == ("/digests/zh/nanshan.pdf" if lang == "zh" else None)
    assert all(n.digest is None for n in page.latest[1:])


def test_home_page_of_a_site_without_briefings_has_no_date(root: Path, tmp_path: Path) -> None:
    empty = copy_site(root, tmp_path / "empty")
    for md in (empty / "content" / "articles").rglob("*.md"):
        md.unlink()
    report = Report(empty)
    page = home_page(scope(load_model(options(empty), report), "en"), {})
    assert (page.updated, page.latest) == (None, [])


UPDATED = re.compile(r'class="meta updated">(.*?) <time datetime="2024-04-12">(.*?)</time></p>')


def test_built_home_page_says_when_it_was_updated(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(root, out)
    dates = {"en": ("Updated", "12 April 2024"), "zh": ("更新于", "2024年4月12日")}
    dates["zh-hant"] = ("更新於", "2024年4月12日")
    for lang, (label, date) in dates.items():
        updated = UPDATED.search((out / lang / "index.html").read_text("utf-8"))
        assert updated is not None, lang
        assert (updated[1], updated[2]) == (label, date)
    home = (out / "en" / "index.html").read_text("utf-8")
    figure = "Fixed-asset investment: <strong>about 29.03 billion yuan</strong>"
    assert f'<p class="headline-figure">{figure}' in home
