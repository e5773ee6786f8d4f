"""The home page and the regions list in a real browser (issue 11), at the widths readers use:
a laptop, two phones and the narrowest phone, in every language of the project site and of the
three-language sample site. Screenshots go to test-artifacts/ for a person to look at."""

# ruff: noqa: F811 (the tests take the fixtures imported below as parameters, by name)
from __future__ import annotations

import urllib.request
from typing import Any

import pytest

# The browser module's fixtures (one project build, one server, one chromium) and its watcher.
from tests.test_browser import (  # noqa: F401
    ARTIFACTS,
    Watch,
    axe,
    browser,
    origin,
    site,
    tri_origin,
)

pytest.importorskip("playwright.sync_api")

WIDTHS = [(1366, 900), (390, 844), (360, 780), (320, 640)]
LINEAGE = {"en": "Jiangyan, Taizhou, Jiangsu", "zh": "江苏省泰州市姜堰区"}
NAME = {"en": "Jiangyan", "zh": "姜堰区"}
OTHER = {"en": ("zh-Hans", "姜堰区"), "zh": ("en", "Jiangyan")}


def _shoot(tab: Watch, name: str, width: int) -> None:
    """A full-page screenshot; the page fits the width and axe finds nothing serious at it
    (test_browser.py checks every page kind at one desktop width)."""
    tab.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    overflow = tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{tab.path} scrolls sideways at {width}px"
    serious = [v["id"] for v in axe(tab.page) if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{tab.path} at {width}px: {serious}"


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_home_and_regions_at_every_width(
    browser: Any, origin: str, width: int, height: int
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab = Watch(browser, origin, width)
    tab.page.set_viewport_size({"width": width, "height": height})
    for lang in ("en", "zh"):
        tab.goto(f"/{lang}/")
        page = tab.page
        updated = page.locator(".updated time")
        assert updated.get_attribute("datetime") == "2024-04-03"  # the newest briefing's date
        first = page.locator(".newest .card").first
        assert first.locator(".meta a").inner_text() == LINEAGE[lang]
        assert first.locator(".headline-figure strong").is_visible()
        assert first.locator(".topics li").count() == 3
        # The digest link is the region's PDF, served as one.
        href = first.locator("a.digest").get_attribute("href")
        url = page.evaluate("h => new URL(h, location.href).href", href)
        with urllib.request.urlopen(url) as response:
            assert response.headers["Content-Type"] == "application/pdf"
            assert response.read(5) == b"%PDF-"
        _shoot(tab, f"home-{lang}", width)
        tab.goto(f"/{lang}/regions/")
        link = tab.page.get_by_role("link", name=NAME[lang], exact=True)
        other = tab.page.locator(".tree li").filter(has=link).locator(".other-script")
        assert (other.get_attribute("lang"), other.inner_text()) == OTHER[lang]
        _shoot(tab, f"regions-{lang}", width)
    tab.close()


def test_no_region_list_leads_to_an_empty_page(browser: Any, origin: str) -> None:
    tab = Watch(browser, origin)
    for lang in ("en", "zh"):
        for start in (f"/{lang}/", f"/{lang}/regions/"):
            tab.goto(start)
            hrefs = tab.page.eval_on_selector_all(".tree a", "links => links.map(a => a.href)")
            assert hrefs
            for href in hrefs:
                tab.page.goto(href)
                assert tab.page.locator(".cards .card").count() > 0, href
    tab.close()


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_trilingual_home_and_regions_at_every_width(
    browser: Any,
    tri_origin: str,
    width: int,
    height: int,
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab = Watch(browser, tri_origin, width)
    tab.page.set_viewport_size({"width": width, "height": height})
    for lang in ("en", "zh", "zh-hant"):
        tab.goto(f"/{lang}/")
        _shoot(tab, f"tri-home-{lang}", width)
        tab.goto(f"/{lang}/regions/")
        langs = tab.page.eval_on_selector_all(
            ".tree .other-script", "spans => spans.map(s => s.lang)"
        )
        # One other script per name: English pages the Simplified name, Chinese ones the English.
        assert set(langs) == ({"zh-Hans"} if lang == "en" else {"en"})
        _shoot(tab, f"tri-regions-{lang}", width)
    tab.close()
