"""The ingester's parts on small inputs: dates, figures, regions, people, topics, slugs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from builder.errors import Report
from builder.ingest.dates import find_dates, parse_date
from builder.ingest.draft import make_slug, number
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
