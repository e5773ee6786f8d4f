"""Languages as data: a site's languages are site.yaml entries, catalogs and content, nothing
else. The three-language sample site against its expected output; a one-language site; a
fourth language added by settings, a catalog and content alone; and no language code in the
code or templates outside the defaults of site.yaml handling.

After an intended change, regenerate the expected output and review the diff:
    UPDATE_EXPECTED=1 .venv/bin/pytest tests/test_languages.py
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from builder.i18n import catalog_path
from builder.pipeline import Options, build
from tests.conftest import PROJECT, TEMPLATES, TRILINGUAL, build_site

EXPECTED = TRILINGUAL / "expected"
SKIP = "pagefind/"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        rel: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (rel := p.relative_to(folder).as_posix()).startswith(SKIP)
    }


def test_trilingual_site_matches_expected_output(trilingual_site: Path) -> None:
    if os.environ.get("UPDATE_EXPECTED"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(trilingual_site, EXPECTED, ignore=shutil.ignore_patterns(SKIP.strip("/")))
    built, expected = _files(trilingual_site), _files(EXPECTED)
    assert sorted(built) == sorted(expected)
    for name, data in expected.items():
        assert built[name] == data, f"{name} differs from tests/sites/trilingual/expected/{name}"


def test_each_language_has_its_pages_lang_and_formats(trilingual_site: Path) -> None:
    for code, html_lang in (("en", "en"), ("zh", "zh-Hans"), ("zh-hant", "zh-Hant")):
        home = (trilingual_site / code / "index.html").read_text()
        assert f'<html lang="{html_lang}">' in home
        assert (trilingual_site / code / "404.html").is_file()
        feed = ET.parse(trilingual_site / code / "feed.xml").getroot()
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == html_lang
    page = "briefings/2024/harbour/index.html"
    # Amounts in each language's own scale words (Babel's compact format), currency from the
    # catalog; the Traditional page in Traditional characters (億, not 亿).
    assert "about 29.03 billion yuan ($4.01 billion)" in (trilingual_site / "en" / page).read_text()
    assert "约290.3亿元（40.1亿美元）" in (trilingual_site / "zh" / page).read_text()
    hant = (trilingual_site / "zh-hant" / page).read_text()
    assert "約290.3億元（40.1億美元）" in hant
    # hreflang: every translation, and the default as x-default
    for tag, code in (("en", "en"), ("zh-Hans", "zh"), ("zh-Hant", "zh-hant")):
        href = f"https://three.example.org/{code}/briefings/2024/harbour/"
        assert f'<link rel="alternate" hreflang="{tag}" href="{href}">' in hant
    assert 'hreflang="x-default" href="https://three.example.org/en/briefings' in hant
    assert '<meta property="og:locale" content="zh_TW">' in hant
    # The switcher names each other language in its own script.
    switcher = re.search(r'<div class="switcher">(.*?)</div>', hant, re.S)
    assert switcher and re.findall(r">([^<>]+)</a>", switcher.group(1)) == ["English", "简体中文"]
    # Region names: the page's, then the others', each marked with its language.
    region = (trilingual_site / "zh-hant/regions/guangdong/shenzhen/nanshan/index.html").read_text()
    assert (
        '<h1>南山區 <span class="other-script" lang="en">Nanshan</span> '
        '<span class="other-script" lang="zh-Hans">南山区</span></h1>'
    ) in region
    # A Chinese address, largest first, in the Traditional page's title.
    assert "<title>廣東省深圳市南山區" in region


def test_untranslated_briefings_are_listed_with_a_note_in_the_page_language(
    trilingual_site: Path,
) -> None:
    hant = (trilingual_site / "zh-hant" / "index.html").read_text()
    # metro exists in en and zh only: the Traditional page shows the original (English).
    assert 'lang="en"' in hant
    assert '<p class="note" lang="zh-Hant">僅提供英文版本。</p>' in hant


def test_sitemap_lists_three_alternates(trilingual_site: Path) -> None:
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    root = ET.parse(trilingual_site / "sitemap.xml").getroot()
    for url in root.findall("s:url", ns):
        loc = url.findtext("s:loc", namespaces=ns) or ""
        if loc.endswith("/en/briefings/2024/harbour/"):
            tags = [link.get("hreflang") for link in url.findall("x:link", ns)]
            assert tags == ["en", "zh-Hans", "zh-Hant", "x-default"]
            return
    raise AssertionError("harbour briefing not in the sitemap")


def test_root_chooser_and_redirects_come_from_the_settings(trilingual_site: Path) -> None:
    root = (trilingual_site / "index.html").read_text()
    links = re.findall(
        r'<a href="([^"]+)" hreflang="[^"]+" lang="([^"]+)" data-lang="[^"]+" '
        r'data-match="([^"]+)">([^<]+)<',
        root,
    )
    assert [(href, lang, name) for href, lang, _, name in links] == [
        ("en/index.html", "en", "English"),
        ("zh/index.html", "zh-Hans", "简体中文"),
        ("zh-hant/index.html", "zh-Hant", "繁體中文"),
    ]
    assert "zh-tw" in links[2][2].split() and "zh-hk" in links[2][2].split()
    redirects = (trilingual_site / "_redirects").read_text()
    assert "/  /zh-hant/  302!  Language=zh-tw" in redirects
    assert "/zh-hant/*  /zh-hant/404.html  404" in redirects
    headers = (trilingual_site / "_headers").read_text()
    assert "/zh-hant/*\n  Cache-Control: public, max-age=0, must-revalidate" in headers


ONE_LANGUAGE = """\
title: {en: One-Language Briefings}
description: {en: A site in English only.}
base_url: https://one.example.org/
languages:
  - code: en
    locale: en_GB
    html_lang: en-GB
    og_locale: en_GB
    name: {en: English}
    compact_from: 1000000
"""


def test_a_one_language_site_builds_without_switcher_or_hreflang(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles" / "2024").mkdir(parents=True)
    (content / "site.yaml").write_text(ONE_LANGUAGE)
    (content / "regions.yaml").write_text(
        "wales:\n  name: {en: Wales}\n  level: province\n"
        "cardiff:\n  name: {en: Cardiff}\n  level: city\n  parent: wales\n"
    )
    (content / "topics.yaml").write_text("ports:\n  name: {en: Ports}\n")
    (content / "indicators.yaml").write_text("spend:\n  name: {en: Spending}\n")
    (content / "articles" / "2024" / "docks.md").write_text(
        "---\ntitle: Cardiff plans new docks\ndate: 2024-03-01\nregion: cardiff\n"
        "topics: [ports]\nsummary: An invented one-language briefing.\n"
        "source: {title: Invented, published: 2024-03-01}\n"
        "figures:\n  - {indicator: spend, value: 2500000000, unit: cny, kind: target}\n"
        "---\nMade up for the tests.\n"
    )
    out = tmp_path / "site"
    result = build_site(tmp_path, out)
    assert not result.report.errors, result.report.lines()
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "data",  # the figures downloads, outside the language folders
        "en",
        "pagefind",
        "static",
    ]
    page = (out / "en/briefings/2024/docks/index.html").read_text()
    assert '<html lang="en-GB">' in page
    assert 'rel="alternate" hreflang' not in page
    assert 'class="switcher"' not in page
    assert "2.5 billion yuan" in page
    assert "xhtml:link" not in (out / "sitemap.xml").read_text()
    assert 'rel="alternate" hreflang' not in (out / "index.html").read_text()
    rules = (out / "_redirects").read_text().splitlines()[1:]
    assert rules == ["/  /en/  302!", "/en/*  /en/404.html  404", "/*  /en/404.html  404"]


JA_ENTRY = """\
  - code: ja
    locale: ja_JP
    html_lang: ja
    og_locale: ja_JP
    name: {en: Japanese, zh: 日文, zh-hant: 日文, ja: 日本語}
    list_separator: "、"
    comma: "、"
    colon: "："
    places_largest_first: true
    place_separator: ""
    keep_units: true
"""

# The Japanese names of each catalogue entry of the three-language site: content, not code.
JA_NAMES = {
    "Guangdong": "広東省",
    "Shenzhen": "深圳市",
    "Nanshan": "南山区",
    "Fujian": "福建省",
    "Xiamen": "厦門市",
    "English": "英語",
    "Simplified Chinese": "簡体字中国語",
    "Traditional Chinese": "繁体字中国語",
    "Investment": "投資",
    "Innovation": "技術革新",
    "Projects, funds and the money behind them.": "プロジェクトと資金。",
    "Fixed-asset investment": "固定資産投資",
    "Growth": "伸び率",
    "Firms": "企業数",
    "firms": "社",
    "firm": "社",
    "Three-Script Briefings": "三文字ブリーフィング",
    "A small sample site in English, Simplified Chinese and Traditional Chinese.": (
        "英語と中国語のテスト用サイト。"
    ),
}

JA_CATALOG = {
    "Regions": "地域",
    "Topics": "トピック",
    "Archive": "アーカイブ",
    "about %(amount)s": "約%(amount)s",
    "%(amount)s yuan": "%(amount)s元",
    "$%(amount)s": "%(amount)sドル",
    "%(value)s (%(amount)s)": "%(value)s（%(amount)s）",
}


def _add_japanese_names(path: Path) -> None:
    """Give every `{en: X, ...}` mapping a `ja:` entry (flow or block style)."""
    text = path.read_text()
    text = re.sub(
        r"\{en: ([^,}]+), (.*?)\}",
        lambda m: f"{{en: {m[1]}, {m[2]}, ja: {JA_NAMES[m[1]]}}}",
        text,
    )
    text = re.sub(
        r"^(\s+)en: (.+)\n((?:\1zh.*\n)+)",
        lambda m: f"{m[1]}en: {m[2]}\n{m[3]}{m[1]}ja: {JA_NAMES[m[2]]}\n",
        text,
        flags=re.M,
    )
    path.write_text(text)


def test_a_fourth_language_is_settings_a_catalog_and_content(tmp_path: Path) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    root = tmp_path / "site-project"
    shutil.copytree(TRILINGUAL / "content", root / "content")
    templates = root / "templates"
    shutil.copytree(TEMPLATES, templates)
    content = root / "content"
    # 2. a catalog, as `make i18n` would start it from the template, translated in part
    with (templates / "locale" / "messages.pot").open("rb") as fh:
        pot = read_po(fh)
    catalog = Catalog(locale="ja_JP")
    for message in pot:
        if message.id:
            catalog.add(message.id, JA_CATALOG.get(str(message.id), ""))
    po = catalog_path(templates, "ja")
    po.parent.mkdir(parents=True)
    with po.open("wb") as fh:
        write_po(fh, catalog)
    # 3. names in the YAML catalogues, and a translation
    for name in ("site.yaml", "regions.yaml", "topics.yaml", "indicators.yaml"):
        _add_japanese_names(content / name)
    # 1. one entry in site.yaml
    site = content / "site.yaml"
    site.write_text(site.read_text() + JA_ENTRY)
    original = content / "articles/2024/harbour.md"
    from builder.load import text_hash

    (content / "articles/2024/harbour.ja.md").write_text(
        f"---\ntitle: 南山区が港の研究所に資金\nsummary: テスト用の架空の記事。\n"
        f"translated_from: {text_hash(original.read_text())}\n---\n港の近くに研究所を建てる計画。\n"
    )
    out = tmp_path / "out"
    result = build(Options(root=root, templates=templates, out=out, pdf=False))
    assert not result.report.errors, result.report.lines()
    page = (out / "ja/briefings/2024/harbour/index.html").read_text()
    assert '<html lang="ja">' in page
    assert "約290.3億元（40.1億ドル）" in page  # Babel's Japanese scale words
    assert ">地域</a>" in page  # the catalog
    assert '<meta property="og:locale" content="ja_JP">' in page
    assert (
        'hreflang="ja" href="https://three.example.org/ja/briefings/2024/harbour/"'
        in (out / "en/briefings/2024/harbour/index.html").read_text()
    )
    assert ">日本語</a>" in (out / "en/index.html").read_text()  # in every switcher
    assert "/ja/*  /ja/404.html  404" in (out / "_redirects").read_text()
    assert (out / "ja/404.html").is_file() and (out / "ja/feed.xml").is_file()


# Language codes and tags of any site, and the old hard-wired forms (`title.en`, `lang == 'zh'`).
_LANGUAGE_CODE = re.compile(
    r"""(["'])(en|zh|ja|ko|fr|de|zh-han[st]|zh-Han[st]|zh_Han[st](_[A-Z]+)?)\1"""
    r"""|\b(name|title|description|sender_name)\.(en|zh)\b"""
    r"""|zh-Han[st]|zh_Han[st]|\bzh_CN\b|\ben_GB\b|\bja_JP\b"""
    r"""|\blang(uage)?\s*[!=]=\s*["']"""
    r"""|\bindexOf\(["'](en|zh)"""
)
# Where a language code may be written: the defaults of site.yaml handling, and one page that
# is not the site's: the preview's own error page, written in English (lang="en" is its truth).
_ALLOWED = {("builder/languages.py", None), ("builder/preview_http.py", '<html lang="en">')}


def test_no_language_code_in_code_or_templates() -> None:
    found = []
    for folder, suffixes in (("builder", {".py"}), ("templates", {".html", ".xml", ".js", ".txt"})):
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.suffix not in suffixes or "locale" in path.parts:
                continue
            rel = path.relative_to(PROJECT).as_posix()
            if (rel, None) in _ALLOWED:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if _LANGUAGE_CODE.search(line) and (rel, line.strip()) not in _ALLOWED:
                    found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []


def test_the_grep_finds_what_it_looks_for() -> None:
    """The pattern above is not vacuous: it catches each form the code once had."""
    for line in (
        "{% set other = 'en' if lang == 'zh' else 'zh' %}",
        "<title>{{ site.title.en }}</title>",
        'return "zh" if han > latin / 3 else "en"',
        '    if (code.indexOf("zh") === 0) {',
        "hreflang=\"{{ 'zh-Hans' if l == 'zh' else l }}\"",
        'OG_LOCALES = {"en": "en_GB"}',
    ):
        assert _LANGUAGE_CODE.search(line), line
    for line in ("{{ language.html_lang }}", "for lang in model.languages:", "div.zh"):
        assert not _LANGUAGE_CODE.search(line), line


def test_a_traditional_chinese_digest_is_made_and_reads_back(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`digest --lang` takes the site's codes; the Traditional digest draws every character
    with the digest fonts (a missing glyph would fail the run) and reads back as written."""
    from tests.conftest import page_texts

    root = tmp_path / "project"
    shutil.copytree(TRILINGUAL / "content", root / "content")
    out = tmp_path / "digests"
    base = ["digest", "--root", str(root), "--templates", str(TEMPLATES), "--out", str(out)]
    code, _, err = cli(*base, "--region", "nanshan", "--lang", "zh-hant")
    assert code == 0, err
    (pdf,) = sorted(out.rglob("*.pdf"))
    text = "".join(page_texts(pdf))
    assert "南山區為港口實驗室安排資金" in text and "約290.3億元" in text
    code, _, err = cli(*base, "--region", "nanshan", "--lang", "zh-Hant")
    assert code == 2 and "unknown language 'zh-Hant'" in err and "zh-hant" in err


def test_ingest_gives_a_source_to_the_site_language_of_its_script() -> None:
    """The guess is by script: Han text goes to the first Han-script language of the site,
    whichever it is; Latin text to the first Latin-script one."""
    from builder.ingest.run import _lang
    from builder.languages import Language, Localized

    def language(code: str, locale: str) -> Language:
        names = Localized({"en": code, code: code})
        return Language(code=code, locale=locale, html_lang=code, og_locale="en_GB", name=names)

    hant, en, ja = language("zh-hant", "zh_Hant_TW"), language("en", "en"), language("ja", "ja")
    han = ["南山區為港口實驗室安排資金。該區計劃在港口附近建設新的實驗室。"]
    latin = ["The district plans new laboratories by the harbour."]
    assert _lang("", han, [en, hant]) == "zh-hant"
    assert _lang("", latin, [hant, en]) == "en"
    assert _lang("", han, [en, ja, hant]) == "ja"  # Japanese is written in Han too: the first
    assert _lang("", han, [en]) == "en"  # no Han language: the default


def test_a_localized_mapping_must_hold_exactly_the_site_languages(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A missing language is an error at the mapping's key, an undeclared one (a typo of a
    code) an error at the mapping: no silent fallback to the default language."""
    root = tmp_path / "project"
    shutil.copytree(TRILINGUAL / "content", root / "content")
    regions = root / "content" / "regions.yaml"
    text = regions.read_text()
    text = text.replace("{en: Xiamen, zh: 厦门市, zh-hant: 廈門市}", "{en: Xiamen, zh: 厦门市}")
    text = text.replace(
        "{en: Fujian, zh: 福建省, zh-hant: 福建省}", "{en: Fujian, zh: 福建省, zh-Hant: 福建省}"
    )
    regions.write_text(text)
    code, _, err = cli("check", "--root", str(root), "--templates", str(TEMPLATES))
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert code == 1
    assert any(
        line.startswith(
            "content/regions.yaml:16:3: error: missing required field 'xiamen.name.zh-hant'"
        )
        for line in errors
    ), errors
    assert any(
        line.startswith("content/regions.yaml:13:")
        and "'zh-Hant' is not one of the site's languages (en, zh, zh-hant)" in line
        for line in errors
    ), errors
