"""How lists name regions (issue 11), on the three-language sample site: a briefing's region
with its parents, as each language writes places; region names in the other script; no link
to a region without briefings, and no page or feed of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.figure_views import Memo
from builder.index import SiteModel
from builder.page_data import region_page
from builder.page_parts import OtherName, lineage, region_tree
from tests.conftest import build_site
from tests.empty_regions import scope


@pytest.fixture(scope="module")
def root(sparse_root: Path) -> Path:
    return sparse_root


@pytest.fixture(scope="module")
def model(sparse_model: SiteModel) -> SiteModel:
    return sparse_model


@pytest.mark.parametrize(
    ("lang", "full", "in_guangdong"),
    [
        ("en", "Nanshan, Shenzhen, Guangdong", "Nanshan, Shenzhen"),
        ("zh", "广东省深圳市南山区", "深圳市南山区"),
        ("zh-hant", "廣東省深圳市南山區", "深圳市南山區"),
    ],
)
def test_lineage_is_written_as_each_language_writes_places(
    model: SiteModel, lang: str, full: str, in_guangdong: str
) -> None:
    regions = model.gazetteer.regions
    nanshan, guangdong = regions["nanshan"], regions["guangdong"]
    assert lineage(model, nanshan, lang) == full
    assert lineage(model, nanshan, lang, within=guangdong) == in_guangdong
    # On its own page a card names the region alone; a province has no parents to name.
    assert lineage(model, nanshan, lang, within=nanshan) == nanshan.name.get(lang)
    assert lineage(model, guangdong, lang) == guangdong.name.get(lang)


def test_region_lists_leave_out_regions_without_briefings(model: SiteModel) -> None:
    for lang in model.languages:
        tree = region_tree(scope(model, lang))
        slugs = [c.href.split("/")[-2] for c in tree]
        assert slugs == ["fujian", "xiamen", "guangdong", "shenzhen", "nanshan"]
        assert all(c.count > 0 for c in tree)
    # Guangdong's page lists Shenzhen, not empty Zhuhai.
    guangdong = model.gazetteer.regions["guangdong"]
    data = {
        "items": list(model.in_region("guangdong")),
        "pager": {"number": 1, "count": 1, "total": 2, "prev": None, "next": None},
    }
    page = region_page(scope(model, "en"), Memo(), guangdong, data, {}, {})
    assert [s.text for s in page.subregions] == ["Shenzhen"]


def test_region_tree_gives_the_name_in_the_other_script_once(model: SiteModel) -> None:
    def names(lang: str) -> dict[str, tuple[OtherName, ...]]:
        return {c.text: c.other_names for c in region_tree(scope(model, lang))}

    # English pages give the Simplified name, not both Chinese forms.
    assert names("en")["Nanshan"] == (OtherName("zh-Hans", "南山区"),)
    assert names("en")["Xiamen"] == (OtherName("zh-Hans", "厦门市"),)
    # Chinese pages, Simplified or Traditional, give the romanised name, never the other Han form.
    assert names("zh")["南山区"] == (OtherName("en", "Nanshan"),)
    assert names("zh-hant")["南山區"] == (OtherName("en", "Nanshan"),)


def test_built_lists_name_regions(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(root, out)
    home = (out / "en" / "index.html").read_text("utf-8")
    assert ">Nanshan, Shenzhen, Guangdong</a>" in home
    assert '<span class="other-script" lang="zh-Hans">南山区</span>' in home
    zh_regions = (out / "zh-hant" / "regions" / "index.html").read_text("utf-8")
    assert '<span class="other-script" lang="en">Nanshan</span>' in zh_regions
    for lang in ("en", "zh", "zh-hant"):
        for page in ("index.html", "regions/index.html"):
            html = (out / lang / page).read_text("utf-8")
            assert "zhuhai" not in html and "doumen" not in html, (lang, page)
    # A province's page names its cards' regions below it, not the province again.
    guangdong = (out / "zh" / "regions" / "guangdong" / "index.html").read_text("utf-8")
    assert ">深圳市南山区</a>" in guangdong and ">广东省深圳市南山区</a>" not in guangdong


def test_regions_without_briefings_have_no_pages_feeds_or_links(root: Path, tmp_path: Path) -> None:
    """Zhuhai and Doumen have no briefings: no page, feed or indicators view in any language,
    no sitemap entry, and no mention in any file (lists, feeds, search pages); Guangdong, which
    has briefings, keeps its own. Two builds give the same bytes."""
    sites = [tmp_path / "one", tmp_path / "two"]
    for out in sites:
        build_site(root, out)
    files, again = (
        {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        for out in sites
    )
    assert files == again
    assert not [name for name in files if "zhuhai" in name or "doumen" in name]
    for name, data in files.items():
        if name.endswith((".html", ".xml", ".json", ".csv", ".txt")):
            text = data.decode("utf-8")
            for word in ("zhuhai", "doumen", "Zhuhai", "珠海", "斗门", "斗門"):
                assert word not in text, (name, word)
    for lang in ("en", "zh", "zh-hant"):
        assert f"{lang}/regions/guangdong/index.html" in files
        assert f"{lang}/regions/guangdong/feed.xml" in files
    assert b"/regions/guangdong/" in files["sitemap.xml"]
