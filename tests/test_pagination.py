"""Paginated region, topic and archive pages, on a synthetic archive (tests/bench/corpus.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.index import SiteModel
from builder.pages import PER_PAGE
from builder.pipeline import build
from tests.bench.corpus import make_corpus
from tests.conftest import options


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteModel]:
    root = tmp_path_factory.mktemp("paged")
    make_corpus(root, 250, seed=5)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        result = build(options(root, pdf=False, search=False))
    assert result.model is not None
    return root / "site", result.model


@pytest.fixture(scope="module")
def site(built: tuple[Path, SiteModel]) -> Path:
    return built[0]


def _cards(html: str) -> list[str]:
    return re.findall(r'<h\d class="card-title"><a href="([^"]+)"', html)


LISTINGS = {
    "en/regions/p0/": lambda m: m.in_region("p0"),
    "zh/topics/investment/": lambda m: m.in_topic("investment"),
    "en/archive/2020/": lambda m: m.in_year(2020),
}


@pytest.mark.parametrize("listing", sorted(LISTINGS))
def test_every_briefing_is_on_exactly_one_page_linked_by_prev_and_next(
    built: tuple[Path, SiteModel], listing: str
) -> None:
    site, model = built
    total = len(LISTINGS[listing](model))
    count = -(-total // PER_PAGE)
    assert count > 1, "the fixture must make this list long enough to paginate"
    seen: list[str] = []
    for n in range(1, count + 1):
        path = site / listing / ("" if n == 1 else f"page/{n}/") / "index.html"
        html = path.read_text("utf-8")
        cards = _cards(html)
        assert len(cards) == (PER_PAGE if n < count else total - PER_PAGE * (count - 1))
        seen += [c.replace("../", "") for c in cards]
        assert ('<link rel="prev"' in html) is (n > 1)
        assert ('<link rel="next"' in html) is (n < count)
        links = dict(re.findall(r'<link rel="(prev|next)" href="([^"]+)"', html))
        for rel, number in (("prev", n - 1), ("next", n + 1)):
            if rel in links:
                target = site / listing / ("" if number == 1 else f"page/{number}/")
                assert (path.parent / links[rel]).resolve() == target / "index.html", rel
        title = re.search(r"<title>(.*)</title>", html).group(1)  # type: ignore[union-attr]
        assert (f"Page {n} of {count}" in title or f"第{n}页" in title) is (n > 1)
    assert len(seen) == len(set(seen)) == total
    slugs = [b.slug for b in LISTINGS[listing](model)]
    assert [c.rstrip("/").rsplit("/", 2)[-2] for c in seen] == slugs  # newest first, in order
    assert not (site / listing / f"page/{count + 1}").exists()


def test_page_links_resolve_and_feeds_and_sitemap_are_unchanged(site: Path) -> None:
    page2 = site / "en/regions/p0/page/2/index.html"
    html = page2.read_text("utf-8")
    for href in re.findall(r'<link rel="(?:prev|next)" href="([^"]+)"', html):
        assert (page2.parent / href).resolve().is_file() or (
            page2.parent / href / "index.html"
        ).resolve().is_file(), href
    feed = (site / "en/regions/p0/feed.xml").read_text("utf-8")
    assert feed.count("<entry") == 50  # feeds list the newest 50, as before pagination
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "/en/regions/p0/</loc>" in sitemap
    assert "/page/2/" not in sitemap
