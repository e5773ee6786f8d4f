"""Chinese typesetting helpers of the digests: numbers with their units, headline endings."""

from __future__ import annotations

import pytest

from builder.typeset import headline, keep_units, keep_units_html

NOBR = '<span class="nobr">'


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("年产值超过1000亿元。", ["1000亿元"]),
        ("增速超过10%，投资2.5万平方米", ["10%", "2.5万平方米"]),
        ("新增100个项目和500家企业", ["100个", "500家"]),
        ("折合138.2亿美元", ["138.2亿美元"]),
        ("2023年成立", ["2023年"]),
        ("共3,000万元", ["3,000万元"]),
    ],
)
def test_numbers_stay_with_their_units(text: str, kept: list[str]) -> None:
    html = str(keep_units(text, True))
    assert [part.split("</span>")[0] for part in html.split(NOBR)[1:]] == kept


@pytest.mark.parametrize("text", ["第二项要求", "H5页面", "Nanjing 2024", "G20峰会"])
def test_no_number_unit_no_change(text: str) -> None:
    assert str(keep_units(text, True)) == text


def test_english_is_left_alone_and_text_is_escaped() -> None:
    assert str(keep_units("over 100 billion yuan", False)) == "over 100 billion yuan"
    assert str(keep_units("<b>10%</b>", True)) == f"&lt;b&gt;{NOBR}10%</span>&lt;/b&gt;"


def test_inside_html_only_text_changes() -> None:
    html = '<p><a href="/x/1000亿元">超过1000亿元</a> 10%</p>'
    out = keep_units_html(html)
    assert 'href="/x/1000亿元"' in out
    assert f">超过{NOBR}1000亿元</span><" in out and f"> {NOBR}10%</span><" in out


@pytest.mark.parametrize(
    ("title", "tail"),
    [
        ("姜堰区召开新型工业化推进会，提出制造业年产值超1000亿元目标", "目标"),
        ("海陵区公布2024年重大项目目标", "目标"),
        ("张家港制造业年产值突破1000亿元", "1000亿元"),  # the unit run is kept whole
        ("姜堰区签约一批投资项目", "项目"),
    ],
)
def test_a_headline_never_ends_with_one_character_alone(title: str, tail: str) -> None:
    html = str(headline(title, True))
    assert html.endswith(f"{NOBR}{tail}</span>")
    assert html.replace(NOBR, "").replace("</span>", "") == title


def test_short_and_english_headlines_are_not_wrapped() -> None:
    assert NOBR not in str(headline("概况", True))
    assert str(headline("Jiangyan plans", False)) == "Jiangyan plans"
