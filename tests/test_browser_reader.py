"""What readers see, in Debian's chromium: every page kind at desktop and phone widths in both
languages (screenshots in test-artifacts/reader/ for a person to look at), the one-row phone
masthead and its menu, the current section, the type of each script, the favicon, and search
results: clean excerpts, filters in one order, and a pointer to another language's results.

The site is the project's own content, built without PDFs (tests/test_browser.py covers the
digest links), served with the Netlify headers so the real Content-Security-Policy applies.
"""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from builder.pipeline import Options, build
from tests.browser.server import serve
from tests.conftest import EPOCH, PROJECT
from tests.test_browser import ARTIFACTS, CHROMIUM, Watch, axe, browser  # noqa: F401

SHOTS = ARTIFACTS / "reader"
WIDTHS = [(1366, 900), (390, 844), (360, 800), (320, 700)]
PHONES = [w for w, _ in WIDTHS if w < 400]
JIANGYAN = "briefings/2024/jiangyan-industrialisation-conference/"
KINDS = {
    "home": "",
    "region": "regions/jiangsu/taizhou-jiangsu/jiangyan/",
    "topic": "topics/manufacturing/",
    "archive": "archive/2024/",
    "briefing": JIANGYAN,
    "search": "search/?q=",
    "search-none": "search/?q=",
}
# A query with results in the page's language, and one with results only in the other.
QUERIES = {
    "en": {"search": "Jiangsu", "search-none": "姜堰"},
    "zh": {"search": "江苏", "search-none": "Zhangjiagang"},
}


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: run `make test` (scripts/system-deps.sh installs it)")
    root = tmp_path_factory.mktemp("reader")
    shutil.copytree(PROJECT / "content", root / "content")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(Options(root=root, templates=PROJECT / "templates", out=root / "site", pdf=False))
    mp.undo()
    with serve(root / "site") as url:
        yield url


def settle(tab: Watch, kind: str) -> None:
    if kind == "search":
        tab.page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        # Every filter the page names is in the panel: at once, or after search.js repairs a
        # search that ran before Pagefind had the filters' data (a panel that stays short
        # fails here).
        tab.page.wait_for_function(
            """() => {
                const box = document.getElementById('search');
                const panel = box.querySelectorAll('.pagefind-ui__filter-panel > details');
                return panel.length === JSON.parse(box.dataset.filters).length;
            }""",
            timeout=15000,
        )
        tab.page.wait_for_load_state("networkidle")
    elif kind == "search-none":
        tab.page.wait_for_selector("#search-elsewhere:not([hidden])", timeout=15000)


def box(tab: Watch, selector: str) -> dict[str, float]:
    found: dict[str, float] = tab.page.locator(selector).first.bounding_box()
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_kind_at_four_widths(browser: Any, origin: str, lang: str) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in WIDTHS:
        tab = Watch(browser, origin, width)
        tab.page.set_viewport_size({"width": width, "height": height})
        for kind, path in KINDS.items():
            tab.goto(f"/{lang}/{path}" + QUERIES[lang].get(kind, ""))
            settle(tab, kind)
            tab.page.screenshot(path=str(SHOTS / f"{kind}-{lang}-{width}.png"), full_page=True)
            where = f"{kind} {lang} at {width}px"
            overflow = tab.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{where} scrolls sideways"
            # main keeps its own space above and below (the .wrap shorthand once zeroed it).
            pad = tab.page.locator("main").evaluate(
                "e => [parseFloat(getComputedStyle(e).paddingTop),"
                " parseFloat(getComputedStyle(e).paddingBottom)]"
            )
            assert pad[0] >= 16 and pad[1] >= 32, where
            masthead = box(tab, ".masthead")
            if width in PHONES:
                # One row: brand, menu button and language switch side by side (was 3 rows,
                # 129 px, with the switch alone on the last).
                assert masthead["height"] <= 64, f"{where}: masthead {masthead['height']} px"
                parts = [box(tab, s) for s in (".brand", ".nav-menu summary", ".switcher a")]
                middles = [p["y"] + p["height"] / 2 for p in parts]
                assert max(middles) - min(middles) <= 4, where
                assert parts[0]["x"] + parts[0]["width"] <= parts[1]["x"] <= parts[2]["x"]
                assert tab.page.locator(".nav-wide").is_hidden()
            else:
                assert masthead["height"] <= 64 and tab.page.locator(".nav-menu").is_hidden()
        tab.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_menu_opens_on_the_sections_and_passes_axe(
    browser: Any,  # noqa: F811
    origin: str,
    lang: str,
) -> None:
    tab = Watch(browser, origin, 360)
    tab.goto(f"/{lang}/")
    menu = tab.page.locator(".nav-menu")
    assert menu.locator("nav a").first.is_hidden()
    menu.locator("summary").click()
    links = menu.locator("nav a")
    assert links.count() == 4 and all(links.nth(i).is_visible() for i in range(4))
    tab.page.screenshot(path=str(SHOTS / f"menu-open-{lang}-360.png"))
    violations = [f"{v['id']} ({v['impact']})" for v in axe(tab.page)]
    assert violations == []
    links.first.click()
    tab.page.wait_for_load_state("load")
    assert tab.path == f"/{lang}/regions/"
    tab.close()


def test_the_current_section_is_marked(browser: Any, origin: str) -> None:  # noqa: F811
    tab = Watch(browser, origin)
    nav = ".nav-wide a"

    def current() -> list[tuple[str, str | None]]:
        links = tab.page.locator(nav)
        return [
            (links.nth(i).inner_text(), links.nth(i).get_attribute("aria-current"))
            for i in range(links.count())
            if links.nth(i).get_attribute("aria-current")
        ]

    tab.goto("/en/regions/")
    assert current() == [("Regions", "page")]
    weights = tab.page.locator(nav).evaluate_all(
        "links => links.map(a => getComputedStyle(a).fontWeight)"
    )
    assert weights == ["700", "400", "400", "400"]  # seen, not only announced
    tab.goto("/zh/regions/jiangsu/taizhou-jiangsu/")
    assert current() == [("地区", "true")]  # inside the section
    tab.goto("/en/archive/2024/")
    assert current() == [("Archive", "true")]
    tab.goto("/en/")
    assert current() == []
    tab.close()


def test_each_script_has_its_own_type(browser: Any, origin: str) -> None:  # noqa: F811
    tab = Watch(browser, origin)
    style = """(sel) => { const s = getComputedStyle(document.querySelector(sel));
        return [s.fontFamily, parseFloat(s.lineHeight) / parseFloat(s.fontSize), s.fontStyle]; }"""
    tab.goto(f"/zh/{JIANGYAN}")
    family, body_leading, _ = tab.page.evaluate(style, ".body p")
    assert family.startswith('"PingFang SC"')  # Chinese first: digits and quotes from it too
    assert 1.75 <= body_leading <= 1.85
    _, heading_leading, _ = tab.page.evaluate(style, "h1")
    assert 1.3 <= heading_leading <= 1.5  # its own, not the body's 1.8
    assert tab.page.evaluate(style, ".note")[2] == "normal"  # no slanted Chinese
    tab.goto(f"/en/{JIANGYAN}")
    family, _, _ = tab.page.evaluate(style, ".body p")
    assert family.startswith('"Segoe UI"')
    assert tab.page.evaluate(style, "h1")[1] <= 1.3
    assert tab.page.evaluate(style, ".note")[2] == "italic"
    tab.close()


def test_the_favicon_is_linked_and_served(browser: Any, origin: str) -> None:  # noqa: F811
    tab = Watch(browser, origin)
    tab.goto("/zh/")
    icons = tab.page.locator("link[rel=icon], link[rel=apple-touch-icon]").evaluate_all(
        "links => links.map(l => [l.href, l.type])"
    )
    assert len(icons) == 3
    types = set()
    for href, _ in icons:
        with urllib.request.urlopen(href) as response:
            assert response.status == 200 and len(response.read()) > 100
            types.add(response.headers["Content-Type"])
    assert {"image/svg+xml", "image/png"} <= types
    with urllib.request.urlopen(origin + "/favicon.ico") as response:  # asked for unprompted
        assert response.status == 200
    tab.close()


@pytest.mark.parametrize(("lang", "query"), [("en", "Jiangyan"), ("zh", "姜堰")])
def test_search_excerpts_are_text_not_title_date_or_tags(
    browser: Any,  # noqa: F811
    origin: str,
    lang: str,
    query: str,
) -> None:
    tab = Watch(browser, origin)
    tab.goto(f"/{lang}/search/?q={query}")
    settle(tab, "search")
    results = tab.page.locator(".pagefind-ui__result").evaluate_all(
        """rs => rs.map(r => [r.querySelector('.pagefind-ui__result-title').innerText,
                              r.querySelector('.pagefind-ui__result-excerpt').innerText])"""
    )
    assert len(results) == 2
    topics = [
        "Industrial policy. Manufacturing",
        "Innovation. Industrial policy",
        "产业政策. 制造业",
        "科技创新. 产业政策",
    ]
    date = re.compile(
        r"\b\d{1,2} (January|February|March|April|May|June|July|August|"
        r"September|October|November|December) \d{4}\b|\d{4}年\d{1,2}月\d{1,2}日"
    )
    for title, excerpt in results:
        # Summaries may share words with the title; the title itself is not the excerpt's text.
        assert title not in excerpt and title[: len(title) // 2] not in excerpt, excerpt
        assert not date.search(excerpt), excerpt
        assert not any(t in excerpt for t in topics), excerpt
        if lang == "zh":
            assert len(excerpt) >= 60, excerpt  # more than one clause
    tab.close()


OTHER_PROVINCE = {"en": "Zhejiang", "zh": "浙江省"}


def test_filters_come_in_one_order_with_regions_as_a_tree(
    browser: Any,  # noqa: F811
    origin: str,
) -> None:
    tab = Watch(browser, origin)
    names = {}
    for lang, query in (("en", "Jiangsu"), ("zh", "江苏")):
        tab.goto(f"/{lang}/search/?q={query}")
        settle(tab, "search")
        # The order seen: the blocks stay where Pagefind puts them and the stylesheet orders them.
        names[lang] = tab.page.evaluate(
            """() => [...document.querySelectorAll('.pagefind-ui__filter-name')]
                .map(e => [e.getBoundingClientRect().top, e.textContent.trim()])
                .sort((a, b) => a[0] - b[0]).map(p => p[1])"""
        )
        first = tab.page.locator('[data-filter-rank="0"]')
        first.locator(".pagefind-ui__filter-name").click()
        labels = first.locator(".pagefind-ui__filter-label").all_inner_texts()
        regions = [label.rsplit(" (", 1)[0] for label in labels]
        # The counts are the search's, not the whole site's: no briefing found for Jiangsu is
        # about Zhejiang (a panel filled before the search had the filters' data counts all).
        assert OTHER_PROVINCE[lang] + " (0)" in labels, labels
        # Every value below a province follows its parent: the list reads as the tree.
        assert len(regions) >= 6
        for i, value in enumerate(regions):
            if " › " in value:
                assert value.rsplit(" › ", 1)[0] in regions[:i], regions
    assert names == {"en": ["Region", "Topic", "Year"], "zh": ["地区", "主题", "年份"]}
    tab.close()


def test_no_results_here_points_to_the_other_language(
    browser: Any,  # noqa: F811
    origin: str,
) -> None:
    tab = Watch(browser, origin)
    tab.goto("/en/search/?q=姜堰")
    settle(tab, "search-none")
    note = tab.page.locator("#search-elsewhere")
    assert note.inner_text().strip() == "No results in English. 2 results in 中文"
    note.locator("a").click()
    tab.page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    assert tab.page.locator("html").get_attribute("lang") == "zh-Hans"
    assert tab.page.locator(".pagefind-ui__result-link").count() == 2
    assert tab.page.locator("#search-elsewhere").is_hidden()  # results here: no note
    # Typed, not linked: the note follows the search box.
    tab.goto("/zh/search/")
    tab.page.locator("#search-input").fill("Zhangjiagang")
    tab.page.wait_for_selector("#search-elsewhere:not([hidden])", timeout=15000)
    assert tab.page.locator("#search-elsewhere").inner_text().strip() == (
        "中文版没有相关结果。 English版有1条结果"
    )
    tab.page.locator("#search-input").fill("张家港")
    tab.page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    tab.page.wait_for_selector("#search-elsewhere", state="hidden", timeout=15000)
    tab.close()
