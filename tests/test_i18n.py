from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.errors import Report
from builder.i18n import Formatter, load_translations
from builder.languages import DEFAULT_LANGUAGES, Localized
from builder.model import Figure
from tests.conftest import TEMPLATES


@pytest.fixture(scope="module")
def fmt() -> dict[str, Formatter]:
    report = Report(TEMPLATES)
    out = {
        lang.code: Formatter(lang, load_translations(TEMPLATES, lang, report))
        for lang in DEFAULT_LANGUAGES
    }
    assert report.items == []
    return out


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        (100_000_000_000, "cny", "100 billion yuan", "1000亿元"),
        (29_030_000_000, "cny", "29.03 billion yuan", "290.3亿元"),
        (63_890_000_000, "cny", "63.89 billion yuan", "638.9亿元"),
        (200_000_000, "cny", "200 million yuan", "2亿元"),
        (50_000, "cny", "50,000 yuan", "5万元"),
        (13_820_000_000, "usd", "$13.82 billion", "138.2亿美元"),
        (27_470_000, "usd", "$27.47 million", "2747万美元"),
        (1_234_567_891, "cny", "1.234567891 billion yuan", "12.34567891亿元"),
        (24.1, "percent", "24.1%", "24.1%"),
        (500, "count", "500", "500"),
        (12_000, "count", "12,000", "12,000"),
    ],
)
def test_amounts_are_exact_in_each_language(
    fmt: dict[str, Formatter], value: float, unit: str, en: str, zh: str
) -> None:
    assert fmt["en"].amount(value, unit) == en
    assert fmt["zh"].amount(value, unit) == zh


def test_dates(fmt: dict[str, Formatter]) -> None:
    assert fmt["en"].date(dt.date(2024, 4, 3)) == "3 April 2024"  # en-GB, as the bodies write dates
    assert fmt["zh"].date(dt.date(2024, 4, 3)) == "2024年4月3日"


@pytest.mark.parametrize(
    ("period", "en", "zh"),
    [
        ("2024", "2024", "2024年"),
        ("2023-Q1", "Q1 2023", "2023年第一季度"),
        ("2023-H1", "H1 2023", "2023年上半年"),
        ("2023-07", "July 2023", "2023年7月"),
        ("2021..2023", "2021–2023", "2021—2023年"),
        (None, "—", "—"),
    ],
)
def test_periods(fmt: dict[str, Formatter], period: str | None, en: str, zh: str) -> None:
    assert fmt["en"].period(period) == en
    assert fmt["zh"].period(period) == zh


def test_figure_with_qualifier_and_equivalent(fmt: dict[str, Formatter]) -> None:
    fig = Figure("x", 10_000_000_000, "cny", "target", "over", "2024", 1_390_000_000, "usd")
    assert fmt["en"].figure_full(fig) == "over 10 billion yuan ($1.39 billion)"
    assert fmt["zh"].figure_full(fig) == "超过100亿元（13.9亿美元）"
    assert fmt["zh"].kind("target") == "目标" and fmt["en"].kind("actual") == "Actual"


def test_a_count_reads_with_what_it_counts(fmt: dict[str, Formatter]) -> None:
    projects = Localized({"en": "projects", "zh": "个"})
    fig = Figure("x", 20, "count", "target", None, "2024", counted=projects)
    assert fmt["en"].figure_full(fig) == "20 projects"
    assert fmt["zh"].figure_full(fig) == "20个"
    over = Figure("x", 1200, "count", "actual", "over", counted=projects)
    assert fmt["en"].figure_full(over) == "over 1,200 projects"
    assert fmt["zh"].figure_full(over) == "超过1,200个"
    assert fmt["en"].figure_full(Figure("x", 8, "count", "target")) == "8"  # no noun given


def test_a_count_of_one_takes_the_languages_singular(fmt: dict[str, Formatter]) -> None:
    """English says "1 project" (CLDR plural category "one"); Chinese has no such category."""
    projects = Localized({"en": "projects", "zh": "个"})
    project = Localized({"en": "project", "zh": "个"})
    one = Figure("x", 1, "count", "actual", counted=projects, counted_one=project)
    assert fmt["en"].figure_full(one) == "1 project"
    assert fmt["zh"].figure_full(one) == "1个"
    two = Figure("x", 2, "count", "actual", counted=projects, counted_one=project)
    assert fmt["en"].figure_full(two) == "2 projects"
    # Without a singular given, the plural stands (the old behaviour, not a crash).
    assert fmt["en"].figure_full(Figure("x", 1, "count", "actual", counted=projects)) == (
        "1 projects"
    )


def test_plural_forms(fmt: dict[str, Formatter]) -> None:
    assert (
        fmt["en"].ngettext("%(num)d briefing", "%(num)d briefings", 1) % {"num": 1} == "1 briefing"
    )
    assert (
        fmt["en"].ngettext("%(num)d briefing", "%(num)d briefings", 2) % {"num": 2} == "2 briefings"
    )
    assert fmt["zh"].ngettext("%(num)d briefing", "%(num)d briefings", 2) % {"num": 2} == "2 篇简报"


def test_missing_catalog_is_an_error(tmp_path: Path) -> None:
    report = Report(tmp_path)
    load_translations(tmp_path, DEFAULT_LANGUAGES[1], report)
    assert report.lines() == [
        "locale/zh/LC_MESSAGES/messages.po:1:1: error: missing message catalog for 'zh' "
        "(run 'make i18n' and translate the new entries)"
    ]
