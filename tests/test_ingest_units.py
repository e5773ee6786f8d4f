"""The ingester's parts on small inputs: dates, figures, regions, people, topics, slugs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from builder.errors import Report
from builder.ingest import byline
from builder.ingest.dates import find_dates, parse_date
from builder.ingest.draft import make_slug, number
from builder.ingest.extract_html import extract_html
from builder.ingest.extract_text import extract_text, paragraphs_of
from builder.ingest.figures import find_figures
from builder.ingest.mentions import people
from builder.ingest.regions_match import match_region
from builder.ingest.run import load_catalogs

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def cats():  # type: ignore[no-untyped-def]
    report = Report(REPO)
    loaded = load_catalogs(REPO, report)
    assert not report.errors
    return loaded


@pytest.mark.parametrize(
    ("line", "expected", "labelled"),
    [
        ("etaizhou.gov.cn| Updated: April 3, 2024", dt.date(2024, 4, 3), True),
        ("Updated:2021-01-15", dt.date(2021, 1, 15), True),
        (" date 2023-08-03 The province's meeting was held", dt.date(2023, 8, 3), True),
        ("2024-04-01 10:30", dt.date(2024, 4, 1), False),
        ("发布时间：2024年4月1日", dt.date(2024, 4, 1), True),
        ("发布日期: 2023年12月18日 16:20 来源：某某网", dt.date(2023, 12, 18), True),
        ("Published 9 May 2024", dt.date(2024, 5, 9), True),
        ("Sept. 30, 2022", dt.date(2022, 9, 30), False),
        ("2022/11/05", dt.date(2022, 11, 5), False),
    ],
)
def test_date_forms(line: str, expected: dt.date, labelled: bool) -> None:
    hits = find_dates(line)
    assert hits and hits[0].date == expected
    assert hits[0].labelled is labelled


def test_impossible_dates_are_not_dates() -> None:
    assert parse_date("Updated: 2024-13-45") is None
    assert parse_date("candidate 2024-02-30") is None
    assert find_dates("a 2023 plan") == []


def _one(text: str) -> tuple[Decimal, str, str | None]:
    found = find_figures([text])
    assert len(found) == 1, found
    return found[0].value, found[0].unit, found[0].qualifier


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("an output of 100 billion yuan this year", Decimal("100000000000"), "cny", None),
        ("investment of 29.03 billion yuan", Decimal("29030000000"), "cny", None),
        ("a fund of 45 million yuan", Decimal("45000000"), "cny", None),
        ("总投资超过1000亿元。", Decimal("100000000000"), "cny", "over"),
        ("单体投资2亿元以上。", Decimal("200000000"), "cny", "over"),
        ("每家奖励5万元。", Decimal("50000"), "cny", None),
        ("增加值3.5万亿元。", Decimal("3500000000000"), "cny", None),
        ("sales of $1.2 million abroad", Decimal("1200000"), "usd", None),
        ("growth of over 10 percent", Decimal("10"), "percent", "over"),
        ("a 24.1% increase", Decimal("24.1"), "percent", None),
        ("增长12.5%。", Decimal("12.5"), "percent", None),
        ("about 7 per cent", Decimal("7"), "percent", "about"),
        ("break ground on 20 construction projects", Decimal("20"), "count", None),
        ("help 500 industrial enterprises", Decimal("500"), "count", None),
        ("its eight leading industries", Decimal("8"), "count", None),
        ("新开工20个重大项目。", Decimal("20"), "count", None),
        ("培育三家龙头企业。", Decimal("3"), "count", None),
    ],
)
def test_figures(text: str, value: Decimal, unit: str, qualifier: str | None) -> None:
    assert _one(text) == (value, unit, qualifier)


def test_bracketed_conversion_is_the_equivalent_not_a_second_figure() -> None:
    found = find_figures(["The plan is to surpass 100 billion yuan ($13.82 billion) in output."])
    assert len(found) == 1
    assert found[0].equivalent == (Decimal("13820000000"), "usd")
    assert number(found[0].equivalent[0]) == "13_820_000_000"


def test_values_are_exact_decimals() -> None:
    (fig,) = find_figures(["It reached 63.89 billion yuan."])
    assert number(fig.value) == "63_890_000_000"
    assert number(Decimal("24.10")) == "24.1"
    assert number(Decimal("12")) == "12"


def test_percentage_keeps_what_it_measures() -> None:
    (_money, pct) = find_figures(["Jiaxing invested 8 billion yuan, a 24.1% increase on 2022."])
    assert "increase" in pct.window and pct.unit == "percent"
    assert pct.kind == "actual"
    (target,) = find_figures(["The city aims to raise output by 9 percent."])
    assert target.kind == "target"


def test_region_prefers_the_district_named_with_its_city(cats) -> None:  # type: ignore[no-untyped-def]
    m = match_region(
        cats.gazetteer,
        "Hailing builds a park",
        ["Hailing district of Taizhou city, in Jiangsu province, opened a park."],
    )
    assert m.slug == "hailing"


def test_taizhou_in_zhejiang_is_not_filed_under_jiangsu(cats) -> None:  # type: ignore[no-untyped-def]
    m = match_region(cats.gazetteer, "Taizhou exports grow", ["Taizhou in Zhejiang province grew."])
    assert m.slug == "taizhou-zhejiang"
    m = match_region(cats.gazetteer, "Taizhou exports grow", ["Taizhou, in Jiangsu province."])
    assert m.slug == "taizhou-jiangsu"


def test_taizhou_alone_is_ambiguous(cats) -> None:  # type: ignore[no-untyped-def]
    m = match_region(cats.gazetteer, "Taizhou opens a port", ["Taizhou opened a port."])
    assert m.slug is None
    assert set(m.candidates) == {"taizhou-jiangsu", "taizhou-zhejiang"}


def test_chinese_names_are_matched(cats) -> None:  # type: ignore[no-untyped-def]
    m = match_region(cats.gazetteer, "台州市召开推进会", ["浙江省台州市召开推进会。"])
    assert m.slug == "taizhou-zhejiang"
    m = match_region(cats.gazetteer, "泰州市姜堰区召开大会", ["会议在姜堰区举行。"])
    assert m.slug == "jiangyan"


def test_province_meeting_held_in_a_city_is_filed_under_the_city(cats) -> None:  # type: ignore[no-untyped-def]
    m = match_region(
        cats.gazetteer,
        "Zhejiang's provincial symposium held in Jiaxing",
        ["The Zhejiang Province meeting was held in Jiaxing.", "Zhejiang officials spoke."],
    )
    assert m.slug == "jiaxing"


def test_no_region_named(cats) -> None:  # type: ignore[no-untyped-def]
    m = match_region(cats.gazetteer, "Shenzhen opens a port", ["Shenzhen opened a port."])
    assert m.slug is None and m.candidates == ()


def test_people_and_roles() -> None:
    found = people(
        [
            "Sun Liang, Party secretary of the county committee, attended.",
            "Deputy Director Zhao Ming of the Provincial Commerce Department spoke.",
            "区委书记王建国出席会议并讲话。",
        ]
    )
    assert found == [
        ("Sun Liang", "Party secretary of the county committee"),
        ("Zhao Ming", "Deputy Director of the Provincial Commerce Department"),
        ("王建国", "区委书记"),
    ]


def test_slugs_are_ascii_and_deterministic() -> None:
    day = dt.date(2024, 4, 1)
    assert make_slug("Taizhou's Hailing eyes new projects in 2024", "hailing", day, "x") == (
        "taizhou-hailing-eyes-new-projects-2024"
    )
    zh = make_slug("姜堰区召开重大项目推进大会", "jiangyan", day, "x")
    assert zh.startswith("jiangyan-2024-04-01-") and zh.isascii()
    assert zh == make_slug("姜堰区召开重大项目推进大会", "jiangyan", day, "y")


def test_paragraph_rules() -> None:
    # A line that stops mid-sentence runs on; one that ends a sentence ends the paragraph.
    assert paragraphs_of(["The district will", "build roads.", "It said so.", "", "New one."]) == [
        "The district will build roads.",
        "It said so.",
        "New one.",
    ]


def test_caption_without_credit_is_not_body_text() -> None:
    ex = extract_text(
        "Home > News\n\nA title about a city plan\n\nUpdated: 2022-01-02\n\n"
        "The city will build roads this year.\n\n"
        "Li Hua, deputy mayor of the city, while visiting a site on Jan 1.\n\n"
        "Copyright © Somebody\n"
    )
    assert ex.paragraphs == ["The city will build roads this year."]
    assert ex.captions == ["Li Hua, deputy mayor of the city, while visiting a site on Jan 1."]


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("Source: Taizhou Daily Date: 2024-06-11 Views: 87", "Taizhou Daily"),
        ("Source: Zhangjiagang Daily Updated 2024-01-02", "Zhangjiagang Daily"),
        ("Source: Jiaxing Daily Views 1234", "Jiaxing Daily"),
        ("发布时间：2024-04-18 16:05 来源：泰州日报 作者：王晓宁 浏览次数：1532", "泰州日报"),
        ("2024-02-19 08:45:00来源：姜堰日报", "姜堰日报"),
        ("发布日期：2023-09-07 发布机构：海陵区科技局", "海陵区科技局"),
        ("By Lin Yue | chinadaily.com.cn | Updated: 2023-09-18 10:42", "chinadaily.com.cn"),
        ("Mar 5, 2025 16:40 | Changzhou Economic Herald", "Changzhou Economic Herald"),
        ("Updated: 2024-05-14 Font size: [ L M S ] Print Close", ""),
    ],
)
def test_byline_fields_never_take_a_neighbouring_label(line: str, publisher: str) -> None:
    assert byline.publisher(line, dated=True) == publisher


def test_title_is_the_headline_not_a_subtitle_widget_or_site_name() -> None:
    page = "\n".join(
        [
            "某区人民政府",
            "首页 | 政务公开 | 政务服务 | 互动交流",
            "园区项目建设提速",
            "——重大项目推进情况观察",
            "日期：2024-03-27 来源：某某日报 【字体：大 中 小】【打印】【关闭】",
            "开春以来，一批重大项目相继开工。",
            "责任编辑：陈静",
            "扫一扫在手机打开当前页",
        ]
    )
    ex = extract_text(page)
    assert ex.title == "园区项目建设提速" and ex.publisher == "某某日报"
    assert ex.paragraphs == ["开春以来，一批重大项目相继开工。"]
    undated = extract_text(
        "Example Today\nHome | News | Business | Culture\n\nPort adds routes\n\n"
        "The port opened three routes.\n\nContact Us | About Us\n"
    )
    assert undated.date is None and undated.title == "Port adds routes"
    assert undated.paragraphs == ["The port opened three routes."]


def test_furniture_after_the_article_is_dropped() -> None:
    ex = extract_text(
        "A title for the test\n\nUpdated: 2024-01-02\n\nThe first paragraph ends here.\n\n"
        "The last paragraph ends here.\n\nEditor: Wang Yan\nRelated links:\nSome other story\n"
        "Share to: WeChat Weibo\n"
    )
    assert ex.paragraphs == ["The first paragraph ends here.", "The last paragraph ends here."]


def test_html_title_drops_the_site_name_around_the_headline() -> None:
    page = (
        "<html><head><title>{}</title></head><body><h1>{}</h1><div>某市出台十条措施</div>"
        "<p>发布日期：2024-01-22 "
        "来源：某报</p><p>近日，某市出台十条措施，加大扶持力度，支持企业发展壮大。</p></body></html>"
    )
    for title_tag, h1 in [
        ("某市出台十条措施_某市人民政府", ""),
        ("某市出台十条措施--某区人民政府", ""),
        ("某市经信局 - 某市出台十条措施", "某市经信局"),
    ]:
        assert extract_html(page.format(title_tag, h1)).title == "某市出台十条措施"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("去年实施重点项目共45个，新开工项目27个。", ["45", "27"]),
        ("园区已集聚企业2300多家，新增企业1.2万家。", ["2300", "12000"]),
        ("开发区引进了一家研发中心，并建成一个公共检测平台。", []),
        ("服务两个产业集群。", ["2"]),
        ("设立规模两亿元的基金，安排三千万元，累计融资十二亿元。", ["2E+8", "3E+7", "1.2E+9"]),
        ("A 1.2-billion-yuan plant and a 350-million-yuan park.", ["1.2E+9", "3.5E+8"]),
        ("纺织业增加值下降0.4%，亏损面下降2.3个百分点。", ["-0.4", "-2.3"]),
        ("Output fell 1.8 percent, down from 6.3 percent.", ["-1.8", "6.3"]),
        ("Twenty-two makers and seven projects; one of the firms.", ["22", "7"]),
    ],
)
def test_figure_forms(text: str, values: list[str]) -> None:
    assert [f.value for f in find_figures([text])] == [Decimal(v) for v in values]


def test_chinese_equivalent_with_renminbi_is_not_a_second_figure() -> None:
    (fig,) = [f for f in find_figures(["实际使用外资8500万美元（约合人民币6.1亿元）。"])]
    assert fig.unit == "usd" and fig.value == Decimal(85_000_000)
    assert fig.equivalent == (Decimal("610000000"), "cny")
