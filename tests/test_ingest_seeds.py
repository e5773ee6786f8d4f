"""The five real seed articles in ../shared/seeds (read where they lie, never copied here)."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from builder.cli import main

REPO = Path(__file__).parents[1]
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
FURNITURE = (
    "Copyright",
    "ICP",
    "Print Mail",
    ".png",
    "Home >",
    "Home>",
    "[Photo",
    "Contact Us",
    "All Rights Reserved",
    "Presented by",
    "Industrial Parks",
    "Advertorial",
)

# seed file prefix → title, date, publisher, region, money and percentage values of the article
EXPECTED = {
    "000": (
        "Jiangyan district conference aims to spur industrialization",
        "2024-04-03",
        "etaizhou.gov.cn",
        "jiangyan",
        ["10", "100_000_000_000", "13_820_000_000"],
    ),
    "001": (
        "Zhangjiagang to bolster quality development through innovation",
        "2021-01-15",
        "chinadaily.com.cn",
        "zhangjiagang",
        [],
    ),
    "002": (
        "Jiangyan strives to achieve self-reliance in high-quality development",
        "2023-10-12",
        "etaizhou.gov.cn",
        "jiangyan",
        ["200_000_000", "27_470_000"],
    ),
    "003": (
        "Taizhou's Hailing eyes project breakthroughs in 2024",
        "2024-02-21",
        "etaizhou.gov.cn",
        "hailing",
        ["10_000_000_000", "1_390_000_000", "5_000_000_000"],
    ),
    "004": (
        "The province’s industrial investment and technological transformation work "
        "symposium was held in Jiaxing",
        "2023-08-03",
        None,
        "jiaxing",
        ["29_030_000_000", "24.1", "63_890_000_000", "35.7"],
    ),
}
_MONEY_OR_PERCENT = re.compile(
    r"(?P<cur>\$)?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>billion|million)?\s*"
    r"(?P<unit>yuan|percent|%)?"
)
_SCALE = {"billion": Decimal(10) ** 9, "million": Decimal(10) ** 6, None: Decimal(1)}


def _expected(m: re.Match[str]) -> str:
    """The value as the draft should write it, computed independently of the ingester."""
    value = Decimal(m.group("num").replace(",", "")) * _SCALE[m.group("scale")]
    if value == value.to_integral_value():
        return format(int(value), "_") if value >= 10_000 else str(int(value))
    return str(value.normalize())


pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    site = tmp_path_factory.mktemp("site")
    (site / "content" / "articles").mkdir(parents=True)
    for name in ("site.yaml", "regions.yaml", "topics.yaml", "indicators.yaml"):
        shutil.copy(REPO / "content" / name, site / "content" / name)
    out: dict[str, tuple[str, Path]] = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        before = set((site / "content" / "articles").glob("*/*.md"))
        assert main(["ingest", "--root", str(site), str(seed)]) == 0, seed.name
        (new,) = set((site / "content" / "articles").glob("*/*.md")) - before
        out[seed.name[:3]] = (seed.read_text(encoding="utf-8-sig"), new)
    templates = str(REPO / "templates")
    assert main(["check", "--root", str(site), "--templates", templates, "--drafts"]) == 0
    return out


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed(prefix: str, drafts: dict[str, tuple[str, Path]]) -> None:
    title, date, publisher, region, values = EXPECTED[prefix]
    raw, path = drafts[prefix]
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    data = yaml.safe_load(head)
    assert data["title"] == title
    assert str(data["date"]) == date
    assert data["source"].get("publisher") == publisher
    assert data["region"] == region
    for value in values:
        assert f"value: {value}" in text or f"value: {value}," in text, value
    # Every amount and percentage in the body is a figure value (or an equivalent's value).
    for m in _MONEY_OR_PERCENT.finditer(body):
        if not (m.group("cur") or m.group("unit")):
            continue  # a plain number: a count or a year
        assert f"value: {_expected(m)}" in text, m.group(0)
    for word in FURNITURE:
        assert word not in body, word
    assert raw.count("\n\n") > 0 and body.count("\n\n") >= 3
