"""The built site read back: pages, links, languages, feeds, sitemap, determinism."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from tests.conftest import BASIC, build_site
from tests.linkcheck import broken_links, pages

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


@pytest.mark.parametrize("fixture", ["basic_site", "project_site"])
def test_every_page_parses_and_every_internal_link_resolves(fixture: str, request) -> None:  # type: ignore[no-untyped-def]
    site: Path = request.getfixturevalue(fixture)
    assert len(pages(site)) > 20
    for page in pages(site):
        doc = html(page)
        assert doc.find(".//title") is not None and doc.find(".//title").text, page
    assert broken_links(site) == []


def test_page_kinds_exist_in_both_languages(basic_site: Path) -> None:
    for lang in ("en", "zh"):
        for rel in (
            "index.html",
            "404.html",
            "regions/index.html",
            "topics/index.html",
            "archive/index.html",
            "archive/2024/index.html",
            "archive/2023/index.html",
            "topics/manufacturing/index.html",
            "regions/jiangsu/taizhou-jiangsu/jiangyan/index.html",
            "regions/zhejiang/taizhou-zhejiang/index.html",
            "briefings/2024/alpha/index.html",
            "feed.xml",
            "regions/jiangsu/feed.xml",
        ):
            assert (basic_site / lang / rel).is_file(), f"{lang}/{rel}"
    assert (basic_site / "index.html").is_file()
    assert (
        (basic_site / "robots.txt")
        .read_text()
        .endswith("Sitemap: https://example.test/sitemap.xml\n")
    )


def test_drafts_and_future_briefings_are_left_out_unless_asked(
    basic_site: Path, tmp_path: Path
) -> None:
    assert not (basic_site / "en/briefings/2024/gamma").exists()
    assert not (basic_site / "en/briefings/2030").exists()
    with_drafts = tmp_path / "site"
    build_site(BASIC, with_drafts, drafts=True)
    page = with_drafts / "en/briefings/2024/gamma/index.html"
    assert "Draft" in html(page).xpath("string(//span[contains(@class,'draft')])")
    assert (with_drafts / "en/briefings/2030/future/index.html").is_file()


def test_head_has_canonical_and_hreflang_alternates(basic_site: Path) -> None:
    doc = html(basic_site / "en/briefings/2024/alpha/index.html")
    assert doc.xpath("//link[@rel='canonical']/@href") == [
        "https://example.test/en/briefings/2024/alpha/"
    ]
    alts = dict(
        zip(
            doc.xpath("//link[@rel='alternate'][@hreflang]/@hreflang"),
            doc.xpath("//link[@rel='alternate'][@hreflang]/@href"),
            strict=True,
        )
    )
    assert alts == {
        "en": "https://example.test/en/briefings/2024/alpha/",
        "zh-Hans": "https://example.test/zh/briefings/2024/alpha/",
        "x-default": "https://example.test/en/briefings/2024/alpha/",
    }
    # An untranslated briefing names only its own language.
    doc = html(basic_site / "en/briefings/2023/beta/index.html")
    assert doc.xpath("//link[@rel='alternate'][@hreflang]/@hreflang") == ["en", "x-default"]


def test_language_switcher_leads_to_translation_or_region(basic_site: Path) -> None:
    translated = html(basic_site / "en/briefings/2024/alpha/index.html")
    assert translated.xpath("//div[@class='switcher']/a/@href") == [
        "../../../../zh/briefings/2024/alpha/index.html"
    ]
    untranslated = html(basic_site / "en/briefings/2023/beta/index.html")
    assert untranslated.xpath("//div[@class='switcher']/a/@href") == [
        "../../../../zh/regions/zhejiang/taizhou-zhejiang/index.html"
    ]
    region = html(basic_site / "zh/regions/jiangsu/index.html")
    assert region.xpath("//div[@class='switcher']/a/@href") == [
        "../../../en/regions/jiangsu/index.html"
    ]


def test_untranslated_briefing_is_listed_in_other_language_with_note(basic_site: Path) -> None:
    doc = html(basic_site / "zh/index.html")
    cards = doc.xpath("//li[contains(@class,'card')]")
    beta = [c for c in cards if "Beta briefing without a translation" in c.text_content()]
    assert len(beta) == 1
    assert beta[0].xpath(".//h3/a/@href") == ["../en/briefings/2023/beta/index.html"]
    assert "仅提供英文版本。" in beta[0].text_content()


def test_briefing_page_content_and_locale_formatting(basic_site: Path) -> None:
    en = html(basic_site / "en/briefings/2024/alpha/index.html")
    zh = html(basic_site / "zh/briefings/2024/alpha/index.html")
    # Three figures: all in the "at a glance" box above the body, none in a table below it.
    glance = "//section[@class='glance']//dl/div"
    en_items = [" ".join(r.text_content().split()) for r in en.xpath(glance)]
    zh_text = zh.xpath("string(//section[@class='glance'])")
    assert en_items[0] == "Output target over 100 billion yuan ($13.82 billion) Target · 2025"
    assert "超过1000亿元（138.2亿美元）" in zh_text and "2025年" in zh_text
    assert "2023年第一季度" in zh_text and "Q1 2023" in en_items[1]
    assert "2021–2023" in en_items[2]
    assert not en.xpath("//table[@class='figures']")
    glance_at = en.xpath("count(//section[@class='glance']/preceding::*)")
    assert glance_at < en.xpath("count(//div[@class='body']/preceding::*)")  # above the body
    # Outside the search text (the summary and body only), and ignored should it move inside.
    assert en.xpath("//section[@class='glance'][@data-pagefind-ignore]")
    assert not en.xpath("//*[@data-pagefind-body]//section[@class='glance']")
    assert en.xpath("string(//time)") == "6 May 2024"
    assert zh.xpath("string(//time)") == "2024年5月6日"
    assert zh.get("lang") == "zh-Hans" and en.get("lang") == "en"
    crumbs = zh.xpath("//nav[@class='breadcrumb']//a/text()")
    assert crumbs == ["江苏省", "泰州市", "姜堰区"]
    source = en.xpath("string(//section[@class='source'])")
    assert "example.test" in source and "Invented headline for the alpha test briefing" in source
    assert "5 May 2024" in source
    # Raw HTML is escaped, never passed through.
    assert not en.xpath("//div[@class='body']//script")
    assert "<script>" in en.xpath("string(//div[@class='body'])")
    # Heading anchors and tables from Markdown.
    assert en.xpath("//div[@class='body']/h2/@id") == ["key-points", "figures-in-a-table"]
    assert en.xpath("//div[@class='body']/table//th/text()") == ["Item", "Amount"]


def test_region_page_lists_descendants_with_key_figures(basic_site: Path) -> None:
    doc = html(basic_site / "en/regions/jiangsu/index.html")
    titles = doc.xpath("//ul[@class='cards']//h3/a/text()")
    assert titles == ["Alpha district aims for a larger factory sector"]
    assert len(doc.xpath("//table[@class='figures']/tbody/tr")) == 3
    other = html(basic_site / "en/regions/zhejiang/taizhou-zhejiang/index.html")
    assert other.xpath("//ul[@class='cards']//h3/a/text()") == [
        "Beta briefing without a translation"
    ]
    assert "台州市" in other.xpath("string(//h1)")


def test_feeds_parse_as_atom(basic_site: Path) -> None:
    for feed in sorted(basic_site.rglob("feed.xml")):
        root = lxml.etree.parse(str(feed)).getroot()
        assert root.tag == f"{ATOM}feed", feed
        assert root.find(f"{ATOM}updated").text  # type: ignore[union-attr]
    zh = lxml.etree.parse(str(basic_site / "zh/feed.xml")).getroot()
    links = [e.find(f"{ATOM}link").get("href") for e in zh.findall(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert links == [
        "https://example.test/zh/briefings/2024/alpha/",
        "https://example.test/en/briefings/2023/beta/",
    ]
    region = lxml.etree.parse(str(basic_site / "en/regions/zhejiang/feed.xml")).getroot()
    assert [e.findtext(f"{ATOM}title") for e in region.findall(f"{ATOM}entry")] == [
        "Beta briefing without a translation"
    ]


def test_sitemap_lists_both_languages_of_translated_briefings(basic_site: Path) -> None:
    root = lxml.etree.parse(str(basic_site / "sitemap.xml")).getroot()
    urls = {u.findtext(f"{SM}loc"): u for u in root.findall(f"{SM}url")}
    en = urls["https://example.test/en/briefings/2024/alpha/"]
    assert "https://example.test/zh/briefings/2024/alpha/" in urls
    alts = {a.get("hreflang"): a.get("href") for a in en.findall(f"{XHTML}link")}
    assert alts == {
        "en": "https://example.test/en/briefings/2024/alpha/",
        "zh-Hans": "https://example.test/zh/briefings/2024/alpha/",
        "x-default": "https://example.test/en/briefings/2024/alpha/",
    }
    assert "https://example.test/zh/briefings/2023/beta/" not in urls
    assert not [u for u in urls if u.endswith("404.html")]
    # Every URL in the sitemap is a page that was built.
    site = basic_site
    for loc in urls:
        path = loc.removeprefix("https://example.test/")
        assert (site / path / "index.html").is_file() or (site / path).is_file(), loc


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(BASIC, a)
    build_site(BASIC, b)
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a == files_b
    assert len(files_a) > 40


def test_project_site_has_every_seed_briefing_in_both_languages(project_site: Path) -> None:
    for lang in ("en", "zh"):
        built = sorted(
            p.parent.name for p in (project_site / lang / "briefings").rglob("index.html")
        )
        assert built == [
            "hailing-project-targets-2024",
            "jiangyan-industrialisation-conference",
            "jiangyan-innovation-strategy",
            "jiaxing-industrial-investment-symposium",
            "zhangjiagang-innovation-drive",
        ]
    zh_home = (project_site / "zh/index.html").read_text()
    assert re.search(
        r"超过1000亿元|1000亿元",
        (project_site / "zh/regions/jiangsu/taizhou-jiangsu/jiangyan/index.html").read_text(),
    )
    assert "姜堰区" in zh_home and "仅提供" not in zh_home


def test_404_pages_use_root_relative_links(basic_site: Path) -> None:
    """Netlify serves 404.html at the missed URL, at any depth: relative links would break."""
    doc = html(basic_site / "zh/404.html")
    hrefs = doc.xpath("//a/@href | //link[@rel='stylesheet']/@href")
    internal = [h for h in hrefs if not h.startswith(("http", "#"))]
    assert internal and all(h.startswith("/") for h in internal), internal
    assert "/zh/" in hrefs and any(re.fullmatch(r"/static/style\.[0-9a-f]+\.css", h) for h in hrefs)
