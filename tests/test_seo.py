"""Titles, descriptions, OpenGraph and JSON-LD; fingerprinted assets; no third-party requests."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

from builder.assets import fingerprinted
from builder.seo import json_ld
from tests.linkcheck import pages

BRIEFING = "briefings/2024/jiangyan-industrialisation-conference/index.html"


def html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def meta(doc: lxml.html.HtmlElement, key: str) -> list[str]:
    return [str(v) for v in doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")]


def ld(doc: lxml.html.HtmlElement) -> dict[str, dict[str, object]]:
    blocks = [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]
    return {str(b["@type"]): b for b in blocks}


def test_briefing_has_opengraph_twitter_and_news_article(project_site: Path) -> None:
    doc = html(project_site / "zh" / BRIEFING)
    url = "https://regional-briefings.netlify.app/zh/" + BRIEFING.removesuffix("index.html")
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:url") == [url] == doc.xpath("//link[@rel='canonical']/@href")
    assert meta(doc, "og:title")[0].startswith("姜堰区召开新型工业化推进会")
    assert meta(doc, "og:description") == meta(doc, "description")
    assert meta(doc, "og:locale") == ["zh_CN"] and meta(doc, "og:locale:alternate") == ["en_GB"]
    assert meta(doc, "twitter:card") == ["summary"]
    assert meta(doc, "article:published_time") == ["2024-04-03"]
    data = ld(doc)
    article = data["NewsArticle"]
    assert article["headline"] == doc.xpath("string(//h1)")
    assert article["inLanguage"] == "zh-Hans" and article["datePublished"] == "2024-04-03"
    assert article["url"] == url and article["contentLocation"] == {
        "@type": "Place",
        "name": "姜堰区",
    }
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"]) for c in crumbs] == [
        (1, "江苏省"),
        (2, "泰州市"),
        (3, "姜堰区"),
    ]  # type: ignore[index]
    assert crumbs[2]["item"].endswith("/zh/regions/jiangsu/taizhou-jiangsu/jiangyan/")  # type: ignore[index]


def test_json_ld_cannot_close_its_script_element() -> None:
    text = str(json_ld({"headline": "</script><script>alert(1)</script> & 姜堰"}))
    assert "<" not in text and ">" not in text and "&" not in text and "姜堰" in text
    assert json.loads(text)["headline"].startswith("</script>")


def test_titles_and_descriptions_are_meaningful_in_each_language(project_site: Path) -> None:
    for lang in ("en", "zh"):
        seen: dict[str, str] = {}
        for page in pages(project_site / lang):
            doc = html(page)
            title = doc.findtext(".//title")
            description = meta(doc, "description")
            assert title and description and description[0].strip(), page
            assert title not in seen, f"{page} repeats the title of {seen.get(title)}"
            seen[title] = str(page)
        assert "区域经济简报" in next(iter(seen)) if lang == "zh" else True


def test_assets_are_fingerprinted_and_referenced_by_their_hashed_names(project_site: Path) -> None:
    static = {p.name for p in (project_site / "static").iterdir()}
    style = (Path(__file__).parents[1] / "templates/static/style.css").read_bytes()
    assert fingerprinted("style.css", style) in static
    for page in pages(project_site):
        for href in html(page).xpath("//link[@rel='stylesheet']/@href | //script/@src"):
            name = href.rsplit("/", 1)[-1]
            assert name in static or href.rsplit("/", 2)[-2] == "pagefind", (page, href)


def test_no_third_party_requests_in_the_built_html(project_site: Path) -> None:
    """Anything a browser loads by itself (scripts, styles, images, frames, fonts, preloads)
    is on the site; only plain links (<a>) and link metadata may name other sites."""
    loaded = (
        "//script/@src | //img/@src | //img/@srcset | //iframe/@src | //source/@src"
        " | //video/@src | //audio/@src | //embed/@src | //object/@data"
        " | //link[not(@rel='canonical' or @rel='alternate')]/@href"
    )
    for page in pages(project_site):
        doc = html(page)
        for url in doc.xpath(loaded):
            assert not urlsplit(str(url)).netloc, f"{page}: {url}"
        assert not doc.xpath("//*[@style]"), page  # the CSP forbids inline styles too
        for style in doc.xpath("//style"):
            assert "@import" not in (style.text or "") and "url(" not in (style.text or "")
    css = "".join(p.read_text() for p in (project_site / "static").glob("*.css"))
    assert "url(" not in css and "@import" not in css  # system fonts only, no web fonts
