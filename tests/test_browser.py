"""The built site in a real browser: Debian's chromium driven by Playwright.

The site is served over HTTP on 127.0.0.1 with the headers and 404 rules of netlify.toml
(tests/browser/server.py), so the browser enforces the real Content-Security-Policy. Every test
fails on a console error, an uncaught page error, or a request that leaves the site's origin.
axe-core (tests/browser/node_modules, installed by `make test` with npm) checks accessibility.
Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.pipeline import Options, build
from tests.browser.server import serve
from tests.conftest import EPOCH, PROJECT, build_site

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT / "tests/browser/node_modules/axe-core/axe.min.js"
ARTIFACTS = PROJECT / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# One briefing loses its Chinese translation in the test copy, for the untranslated case.
UNTRANSLATED = "2021/zhangjiagang-innovation-drive"
JIANGYAN = (
    "briefings/2024/jiangyan-industrialisation-conference/",
    "briefings/2023/jiangyan-innovation-strategy/",
)
# Every page kind (path after /<lang>/); the untranslated briefing exists in English only.
PAGE_KINDS = {
    "home": "",
    "briefing": JIANGYAN[0],
    "region": "regions/jiangsu/taizhou-jiangsu/jiangyan/",
    "province": "regions/jiangsu/",
    "figures (charts)": "regions/zhejiang/jiaxing/figures/",
    "figures (province)": "regions/jiangsu/figures/",
    "figures (compared)": "regions/jiangsu/taizhou-jiangsu/figures/",
    "regions index": "regions/",
    "topic": "topics/manufacturing/",
    "topics index": "topics/",
    "archive year": "archive/2024/",
    "archive index": "archive/",
    "404": "no-such-page/",
    "search": "search/?q=",  # + a query in the page's language
}
QUERIES = {"en": "Jiangsu", "zh": "江苏"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: run `make test` (scripts/system-deps.sh installs it)")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs npm ci in tests/browser)")
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(PROJECT / "content", root / "content")
    (root / "content/articles" / f"{UNTRANSLATED}.zh.md").unlink()
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(Options(root=root, templates=PROJECT / "templates", out=root / "site"))
    mp.undo()
    yield root / "site"


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """A page whose console errors, page errors and off-origin requests are recorded."""

    def __init__(self, browser: Any, origin: str, width: int = 1280, height: int = 900) -> None:
        self.origin = origin
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:  # never let it out; record it
            self.problems.append(f"request left the origin: {url}")
            route.abort()

    def _console(self, msg: Any) -> None:
        # The 404 page is loaded with status 404 on purpose; chromium logs that as an error.
        if msg.type == "error" and "status of 404" not in msg.text:
            self.problems.append(f"console error on {self.page.url}: {msg.text}")

    @property
    def path(self) -> str:
        """The current URL's path, with `index.html` dropped (the site's links name it, so the
        pages also read from disk)."""
        return str(self.page.url).removeprefix(self.origin).removesuffix("index.html")

    def goto(self, path: str) -> Any:
        return self.page.goto(self.origin + path, wait_until="load")

    def close(self) -> None:
        self.context.close()
        assert self.problems == []


@pytest.fixture
def tab(browser: Any, origin: str) -> Iterator[Watch]:
    w = Watch(browser, origin)
    yield w
    w.close()


def axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the current page. Evaluated through the DevTools protocol,
    which the page's CSP does not govern, rather than added as a (blocked) script element."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def search_results(tab: Watch, lang: str, query: str) -> list[str]:
    tab.goto(f"/{lang}/search/?q={query}")
    tab.page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    tab.page.wait_for_load_state("networkidle")
    links = tab.page.locator(".pagefind-ui__result-link")
    return [str(links.nth(i).get_attribute("href")) for i in range(links.count())]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_page(tab: Watch, lang: str) -> None:
    response = tab.goto(f"/{lang}/")
    assert response.status == 200
    page = tab.page
    assert page.locator("html").get_attribute("lang") == {"en": "en", "zh": "zh-Hans"}[lang]
    assert (
        page.locator("h1").inner_text() == {"en": "Regional Briefings", "zh": "区域经济简报"}[lang]
    )
    assert page.locator(".cards .card").count() >= 5
    # The stylesheet (fingerprinted) loaded: the masthead is dark, not the browser default.
    colour = page.locator(".masthead").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(28, 36, 48)"
    # Keyboard: the first Tab reaches the skip link, and it shows a visible outline.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_language_switcher_on_translated_briefing(tab: Watch) -> None:
    tab.goto(f"/en/{JIANGYAN[0]}")
    tab.page.locator(".switcher a[hreflang=zh]").click()
    tab.page.wait_for_load_state("load")
    assert tab.path == f"/zh/{JIANGYAN[0]}"
    tab.page.locator(".switcher a[hreflang=en]").click()
    tab.page.wait_for_load_state("load")
    assert tab.path == f"/en/{JIANGYAN[0]}"


def test_language_switcher_on_untranslated_briefing(tab: Watch) -> None:
    tab.goto(f"/en/briefings/{UNTRANSLATED}/")
    link = tab.page.locator(".switcher a[hreflang=zh]")
    assert link.get_attribute("title")  # says the page is not translated
    link.click()
    tab.page.wait_for_load_state("load")
    # The nearest Chinese page: the briefing's region (Zhangjiagang, in Suzhou).
    assert tab.path == "/zh/regions/jiangsu/suzhou-jiangsu/zhangjiagang/"
    assert tab.page.locator("html").get_attribute("lang") == "zh-Hans"


def test_search_in_english(tab: Watch) -> None:
    hrefs = search_results(tab, "en", "Jiangyan")
    assert {f"/en/{p}" for p in JIANGYAN} <= set(hrefs)
    assert all(h.startswith("/en/briefings/") for h in hrefs)


def test_search_in_chinese_finds_jiangyan(tab: Watch) -> None:
    hrefs = search_results(tab, "zh", "姜堰")
    assert {f"/zh/{p}" for p in JIANGYAN} <= set(hrefs)
    assert all(h.startswith("/zh/briefings/") for h in hrefs)  # the Chinese index only


def test_search_filters_by_region_topic_and_year(tab: Watch) -> None:
    tab.goto("/zh/search/")
    found = tab.page.evaluate(
        """async () => {
          const pf = await import("/pagefind/pagefind.js");
          const filters = await pf.filters();
          const ids = async (q) =>
            Promise.all((await q).results.map(async (r) => (await r.data()).url));
          return {
            filters: Object.fromEntries(
              Object.entries(filters).map(([k, v]) => [k, Object.keys(v)])),
            year2023: await ids(pf.search(null, {filters: {"年份": "2023"}})),
            jiaxing: await ids(pf.search(null, {filters: {"地区": "浙江省 › 嘉兴市"}})),
          };
        }"""
    )
    assert set(found["filters"]) == {"地区", "主题", "年份"}
    assert "江苏省 › 泰州市" in found["filters"]["地区"] and "江苏省" in found["filters"]["地区"]
    assert sorted(found["year2023"]) == sorted(
        [
            "/zh/briefings/2023/jiangyan-innovation-strategy/",
            "/zh/briefings/2023/jiaxing-industrial-investment-symposium/",
        ]
    )
    assert found["jiaxing"] == ["/zh/briefings/2023/jiaxing-industrial-investment-symposium/"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_kind_passes_axe(browser: Any, origin: str, lang: str) -> None:
    kinds = dict(PAGE_KINDS)
    if lang == "en":
        kinds["briefing (untranslated)"] = f"briefings/{UNTRANSLATED}/"
    report: dict[str, list[str]] = {}
    serious: list[str] = []
    tab = Watch(browser, origin)
    for kind, path in kinds.items():
        tab.goto(f"/{lang}/{path}" + (QUERIES[lang] if kind == "search" else ""))
        if kind == "search":
            tab.page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        violations = axe(tab.page)
        report[kind] = [f"{v['id']} ({v['impact']})" for v in violations]
        serious += [
            f"{lang} {kind}: {v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    if lang == "en":  # the root language chooser (its script would leave at once: stop it)
        tab.context.route(
            "**/choose-language.*.js",
            lambda route: route.fulfill(body="", content_type="text/javascript"),
        )
        tab.goto("/index.html")
        report["root"] = [f"{v['id']} ({v['impact']})" for v in axe(tab.page)]
        serious += [f"root: {v}" for v in report["root"] if "serious" in v or "critical" in v]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{lang}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    tab.close()
    assert serious == []


def test_root_page_sends_a_chinese_reader_to_chinese(browser: Any, origin: str) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(origin + "/")
    page.wait_for_url(f"{origin}/zh/index.html")
    context.close()


def test_briefing_prints_without_navigation(tab: Watch) -> None:
    tab.goto(f"/en/{JIANGYAN[0]}")
    tab.page.emulate_media(media="print")
    assert tab.page.locator(".masthead").is_hidden()
    assert tab.page.locator(".switcher").is_hidden()
    assert tab.page.locator("h1").is_visible() and tab.page.locator(".source").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / "briefing-print.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_and_no_horizontal_scroll(browser: Any, origin: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab = Watch(browser, origin, width)
    for name, path in (
        ("home", "/en/"),
        ("home-zh", "/zh/"),
        ("briefing", f"/en/{JIANGYAN[0]}"),
        ("briefing-zh", f"/zh/{JIANGYAN[0]}"),
        ("search-zh", "/zh/search/?q=姜堰"),
    ):
        tab.goto(path)
        if "search" in name:
            tab.page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            tab.page.wait_for_load_state("networkidle")
        tab.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        overflow = tab.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
    tab.close()


def assert_fits(tab: Watch, cells: str) -> None:
    """Nothing on the page scrolls sideways, and no element of `cells` (a CSS selector) clips
    its text."""
    where = f"{tab.path} at {tab.page.viewport_size['width']}px"
    overflow = tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where} scrolls sideways"
    clipped = tab.page.evaluate(
        """cells => [...document.querySelectorAll(cells)]
             .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""",
        cells,
    )
    assert clipped == [], f"{where} clips {clipped}"


# Numbers first (issue 11): the pages with figures, at a desktop and three phone widths.
FIGURE_PAGES = {
    "briefing-figures": "briefings/2024/hailing-project-targets-2024/",
    "province-figures": "regions/jiangsu/",
    "figures-view": "regions/zhejiang/jiaxing/figures/",
    "province-figures-view": "regions/jiangsu/figures/",
    "city-figures-view": "regions/jiangsu/taizhou-jiangsu/figures/",
}


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844), (360, 780), (320, 640)])
def test_figures_pages_at_desktop_and_phone_widths(
    browser: Any, origin: str, width: int, height: int
) -> None:
    """Screenshots of every page with figures in both languages; nothing scrolls sideways or is
    clipped in a table; a briefing's key figures come before its body, near the top."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab = Watch(browser, origin, width, height)
    for lang in ("en", "zh"):
        for name, path in FIGURE_PAGES.items():
            tab.goto(f"/{lang}/{path}")
            tab.page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}-{width}.png"), full_page=True)
            assert_fits(tab, ".table-scroll, .figures tbody td, .figures tbody th")
        # The briefing's figures open the page: the glance box sits above the body.
        tab.goto(f"/{lang}/{FIGURE_PAGES['briefing-figures']}")
        glance = tab.page.locator(".glance").bounding_box()
        body = tab.page.locator(".briefing .body").bounding_box()
        assert glance["y"] + glance["height"] <= body["y"]
        assert glance["y"] < 1000, f"the key figures start {glance['y']}px down at {width}px"
        # The chart is drawn (the stylesheet colours its marks) with its legend beside it.
        tab.goto(f"/{lang}/{FIGURE_PAGES['figures-view']}")
        chart = tab.page.locator("svg.chart").first
        assert chart.is_visible() and chart.bounding_box()["width"] >= min(280, width - 40)
        colour = tab.page.locator("svg.chart .marker.actual").first.evaluate(
            "e => getComputedStyle(e).color"
        )
        assert colour == "rgb(45, 106, 62)"  # --actual
        assert tab.page.locator(".legend li").count() >= 1
    tab.close()


# The three-language sample site (tests/sites/trilingual): the same checks on a site whose
# languages are all data.
TRI_KINDS = {
    "home": "",
    "briefing": "briefings/2024/harbour/",
    "region": "regions/guangdong/shenzhen/nanshan/",
    "regions index": "regions/",
    "topic": "topics/investment/",
    "topics index": "topics/",
    "archive year": "archive/2024/",
    "archive index": "archive/",
    "404": "no-such-page/",
    "search": "search/?q=",
}
TRI_QUERIES = {"en": "Shenzhen", "zh": "深圳", "zh-hant": "港口"}


@pytest.fixture(scope="module")
def tri_origin(trilingual_site: Path) -> Iterator[str]:
    with serve(trilingual_site) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "zh", "zh-hant"])
def test_trilingual_every_page_kind_passes_axe(browser: Any, tri_origin: str, lang: str) -> None:
    report: dict[str, list[str]] = {}
    serious: list[str] = []
    tab = Watch(browser, tri_origin)
    kinds = dict(TRI_KINDS)
    if lang == "en":  # in English only: the other languages' lists show it with a note
        kinds["briefing (untranslated)"] = "briefings/2023/islands/"
    for kind, path in kinds.items():
        response = tab.goto(f"/{lang}/{path}" + (TRI_QUERIES[lang] if kind == "search" else ""))
        assert response.status == (404 if kind == "404" else 200), path
        if kind == "search":
            tab.page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        violations = axe(tab.page)
        report[kind] = [f"{v['id']} ({v['impact']})" for v in violations]
        serious += [
            f"{lang} {kind}: {v['id']} ({v['impact']}): {v['help']}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    ARTIFACTS.mkdir(exist_ok=True)
    name = f"axe-trilingual-{lang}.json"
    (ARTIFACTS / name).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    tab.close()
    assert serious == []


@pytest.mark.parametrize(
    ("locale", "lang"),
    [("zh-TW", "zh-hant"), ("zh-HK", "zh-hant"), ("zh-CN", "zh"), ("en-US", "en"), ("fr", "en")],
)
def test_trilingual_root_page_sends_each_reader_to_their_language(
    browser: Any, tri_origin: str, locale: str, lang: str
) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(tri_origin + "/")
    page.wait_for_url(f"{tri_origin}/{lang}/index.html")
    context.close()


def test_trilingual_switcher_leads_to_both_other_languages(browser: Any, tri_origin: str) -> None:
    tab = Watch(browser, tri_origin)
    tab.goto("/zh-hant/briefings/2024/harbour/")
    links = tab.page.locator(".switcher a")
    assert links.all_inner_texts() == ["English", "简体中文"]
    links.nth(1).click()
    tab.page.wait_for_load_state("load")
    assert tab.path == "/zh/briefings/2024/harbour/"
    assert tab.page.locator("html").get_attribute("lang") == "zh-Hans"
    tab.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_trilingual_screenshots_and_no_horizontal_scroll(
    browser: Any, tri_origin: str, width: int
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab = Watch(browser, tri_origin, width)
    for name, path in (
        ("tri-home-zh-hant", "/zh-hant/"),
        ("tri-briefing-zh-hant", "/zh-hant/briefings/2024/harbour/"),
        ("tri-region-zh-hant", "/zh-hant/regions/guangdong/shenzhen/nanshan/"),
        ("tri-briefing-en", "/en/briefings/2024/harbour/"),
    ):
        tab.goto(path)
        tab.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        overflow = tab.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
    tab.close()


# A synthetic archive (tests/bench/corpus.py), where regions below share indicators: the
# indicators views' per-indicator comparison tables, which the sample sites' sparse figures
# never make (there, every comparison is a row of the shared table), and the shared table.
@pytest.fixture(scope="module")
def synthetic_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.bench.corpus import make_corpus

    root = tmp_path_factory.mktemp("synthetic")
    make_corpus(root, 120, seed=5)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")  # after every date of the corpus
        result = build_site(root, root / "site", search=False)
    assert not result.report.errors
    with serve(root / "site") as url:
        yield url


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844), (320, 640)])
def test_compared_regions_fit_and_pass_axe(
    browser: Any, synthetic_origin: str, width: int, height: int
) -> None:
    tab = Watch(browser, synthetic_origin, width, height)
    serious: list[str] = []
    for lang in ("en", "zh"):
        # the province's cities share no indicator (one table of rows); the city's districts do
        for name, path, table, count in (
            ("province", "regions/p0/figures/", "table.single-figures", 1),
            ("city", "regions/p0/c0/figures/", "table.figures.compared", 2),
        ):
            tab.goto(f"/{lang}/{path}")
            assert tab.page.locator(table).count() >= count, path
            tab.page.screenshot(
                path=str(ARTIFACTS / f"compared-{name}-{lang}-{width}.png"), full_page=True
            )
            assert_fits(tab, "section.compared tbody td, section.compared tbody th")
            if width == 1366:
                serious += [
                    f"{lang} {name}: {v['id']}: {v['help']}"
                    for v in axe(tab.page)
                    if v["impact"] in ("serious", "critical")
                ]
    tab.close()
    assert serious == []
