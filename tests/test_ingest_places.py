"""Places: the national list of divisions, namesakes, places outside regions.yaml, `regions add`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from builder.cli import main
from builder.errors import Report
from builder.ingest.divisions import divisions, english, lineage
from builder.ingest.regions_match import match_region
from builder.ingest.run import load_catalogs

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def gaz():  # type: ignore[no-untyped-def]
    report = Report(REPO)
    cats = load_catalogs(REPO, report)
    assert not report.errors
    return cats.gazetteer


def test_national_list_has_every_level_with_parents() -> None:
    table = divisions()
    assert len(table) > 3000
    assert [table[c].zh for c in lineage("320582")] == ["江苏省", "苏州市", "张家港市"]
    assert table["341300"].en == table["320500"].en == "Suzhou"
    assert table["321200"].en == table["331000"].en == "Taizhou"
    assert english("341300") == "宿州市 (Suzhou city, Anhui province)"
    # Province-administered county-level cities hang under the province.
    assert table["419001"].parent == "410000"


@pytest.mark.parametrize(
    ("title", "paragraphs", "asks_for"),
    [
        ("Suzhou in northern Anhui grows", ["Suzhou, a city in Anhui province, grew."], "宿州市"),
        ("宿州市新签约项目", ["安徽省宿州市举行签约活动。"], "宿州市"),
        ("南通风电装备", ["南通市风电产业增长。"], "南通市"),
        ("Nantong shipyards", ["Shipyards in Nantong, Jiangsu province, won orders."], "南通市"),
        ("昆山电子信息", ["昆山市电子信息产业增长。"], "昆山市"),
        ("Kunshan plant opens", ["A plant opened in Kunshan, Jiangsu province."], "昆山市"),
    ],
)
def test_place_outside_regions_yaml_asks_and_names_it(
    gaz, title: str, paragraphs: list[str], asks_for: str
) -> None:  # type: ignore[no-untyped-def]
    m = match_region(gaz, title, paragraphs)
    assert m.slug is None
    assert m.missing is not None and asks_for in english(m.missing)
    assert asks_for in m.reason


def test_namesakes_are_told_apart_by_the_place_named_next_to_them(gaz) -> None:  # type: ignore[no-untyped-def]
    # Zhejiang named once beside Taizhou, Jiangsu twice as a rival: the neighbour decides.
    m = match_region(
        gaz,
        "Taizhou valve makers chase orders",
        [
            "Taizhou city in Zhejiang province helps its valve makers.",
            "Rivals in Jiangsu cut prices, and Jiangsu producers grew faster.",
            "Taizhou exports rose.",
        ],
    )
    assert m.slug == "taizhou-zhejiang"
    m = match_region(gaz, "泰州医药产业", ["江苏省泰州市医药产业增长。"])
    assert m.slug == "taizhou-jiangsu"
    m = match_region(gaz, "苏州机器人", ["Suzhou, Jiangsu province, held a forum."])
    assert m.slug == "suzhou-jiangsu"


def test_passing_mention_of_a_district_does_not_take_the_article(gaz) -> None:  # type: ignore[no-untyped-def]
    m = match_region(
        gaz,
        "Jiaxing approves a textile park",
        ["Jiaxing approved a park.", "A fiber plant in the city's Xiuzhou district follows."],
    )
    assert m.slug == "jiaxing"


def test_everyday_words_are_not_places(gaz) -> None:  # type: ignore[no-untyped-def]
    # 合作 (合作市, Gansu) and 南湖 (a lake as often as 南湖区) are matched by full name only.
    m = match_region(gaz, "嘉兴与台州开展合作", ["嘉兴市与台州市签署合作协议，南湖景区。"])
    assert m.missing is None
    assert set(m.candidates) == {"jiaxing", "taizhou-zhejiang"}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    for name in ("site.yaml", "regions.yaml", "topics.yaml", "indicators.yaml"):
        shutil.copy(REPO / "content" / name, content / name)
    return tmp_path


def test_ingest_prints_the_entry_then_regions_add_writes_it(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "suzhou.txt"
    page.write_text(
        "宿州市集中签约项目\n\n发布时间：2024-05-09 来源：宿州日报\n\n"
        "安徽省宿州市集中签约项目28个，总投资156亿元。\n",
        encoding="utf-8",
    )
    assert main(["ingest", "--root", str(site), str(page)]) == 1
    out = capsys.readouterr().out
    assert "needs --region" in out and "宿州市 (Suzhou city, Anhui province)" in out
    assert "suzhou-anhui: {name: {en: Suzhou, zh: 宿州市}" in out and "parent: anhui" in out
    assert "briefings regions add 341300" in out
    assert not list((site / "content" / "articles").glob("*/*.md"))

    # A romanised name two places share is refused with the candidates' codes.
    assert main(["regions", "add", "--root", str(site), "Suzhou"]) == 2
    assert "341300" in capsys.readouterr().err
    assert main(["regions", "add", "--root", str(site), "341300"]) == 0
    regions = yaml.safe_load((site / "content" / "regions.yaml").read_text(encoding="utf-8"))
    assert regions["anhui"]["level"] == "province"
    assert regions["suzhou-anhui"]["parent"] == "anhui"
    assert regions["suzhou-anhui"]["name"] == {"en": "Suzhou", "zh": "宿州市"}
    assert regions["suzhou-jiangsu"]["name"]["zh"] == "苏州市"  # the namesake is untouched
    # Now the article files under its own region, never under the Jiangsu namesake.
    assert main(["ingest", "--root", str(site), str(page)]) == 0
    (draft,) = (site / "content" / "articles").glob("*/*.md")
    assert "region: suzhou-anhui" in draft.read_text(encoding="utf-8")
    templates = str(REPO / "templates")
    assert main(["check", "--root", str(site), "--templates", templates, "--drafts"]) == 0
    # Adding it again changes nothing.
    before = (site / "content" / "regions.yaml").read_bytes()
    assert main(["regions", "add", "--root", str(site), "宿州市"]) == 0
    assert (site / "content" / "regions.yaml").read_bytes() == before
