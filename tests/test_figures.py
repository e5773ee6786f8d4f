"""Figures as data (figures.py), read back from built sites.

The expected figures come from the content files themselves, read here with PyYAML, never from
the builder's own model: the downloads and pages must say what the editors wrote.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import BASIC, PROJECT

COLUMNS = [
    "indicator",
    "indicator_name_en",
    "indicator_name_zh",
    "value",
    "unit",
    "kind",
    "qualifier",
    "period",
    "equivalent_value",
    "equivalent_unit",
    "region",
    "region_lineage",
    "region_name_en",
    "region_name_zh",
    "briefing",
    "briefing_date",
    "briefing_url",
    "source_publisher",
    "source_title",
    "source_published",
    "source_url",
]


def front_matter(path: Path) -> dict:  # type: ignore[type-arg]
    text = path.read_text("utf-8")
    return yaml.safe_load(text.split("---\n")[1])  # type: ignore[no-any-return]


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()), "the BOM spreadsheets need to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def content_rows(content: Path) -> list[dict[str, str]]:
    """What figures.csv must hold for a content folder (published originals only)."""
    site = yaml.safe_load((content / "site.yaml").read_text("utf-8"))
    regions = yaml.safe_load((content / "regions.yaml").read_text("utf-8"))
    indicators = yaml.safe_load((content / "indicators.yaml").read_text("utf-8"))

    def lineage(slug: str) -> list[str]:
        parent = regions[slug].get("parent")
        return [*lineage(parent), slug] if parent else [slug]

    rows = []
    for path in sorted((content / "articles").glob("*/*.md")):
        if path.name.count(".") > 1:  # a translation: its figures are the original's
            continue
        fm = front_matter(path)
        if fm.get("draft") or str(fm["date"]) > "2024-06-01":  # the tests' build date
            continue
        source = fm["source"]
        for f in fm.get("figures", []):
            eq = f.get("equivalent") or {}
            rows.append(
                {
                    "indicator": f["indicator"],
                    "indicator_name_en": indicators[f["indicator"]]["name"]["en"],
                    "indicator_name_zh": indicators[f["indicator"]]["name"]["zh"],
                    "value": str(f["value"]),
                    "unit": f["unit"],
                    "kind": f["kind"],
                    "qualifier": f.get("qualifier") or "",
                    "period": str(f.get("period") or ""),
                    "equivalent_value": str(eq.get("value", "")),
                    "equivalent_unit": eq.get("unit", ""),
                    "region": fm["region"],
                    "region_lineage": "/".join(lineage(fm["region"])),
                    "region_name_en": regions[fm["region"]]["name"]["en"],
                    "region_name_zh": regions[fm["region"]]["name"]["zh"],
                    "briefing": path.stem,
                    "briefing_date": str(fm["date"]),
                    "briefing_url": site["base_url"].rstrip("/")
                    + f"/en/briefings/{fm['date'].year}/{path.stem}/",
                    "source_publisher": source.get("publisher") or "",
                    "source_title": source["title"],
                    "source_published": str(source["published"]),
                    "source_url": source.get("url") or "",
                }
            )
    return rows


def key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[c] for c in COLUMNS)


@pytest.mark.parametrize(("fixture", "content"), [("project_site", PROJECT), ("basic_site", BASIC)])
def test_figures_csv_reads_back_as_the_content(fixture: str, content: Path, request) -> None:  # type: ignore[no-untyped-def]
    site: Path = request.getfixturevalue(fixture)
    rows = read_csv(site / "data/figures.csv")
    with (site / "data/figures.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS  # the documented order (docs/content.md)
    expected = content_rows(content / "content")
    assert len(expected) >= 4
    assert Counter(map(key, rows)) == Counter(map(key, expected))
    for row in rows:  # each briefing link leads to a built page
        path = row["briefing_url"].split("/", 3)[3]
        assert (site / path / "index.html").is_file(), row["briefing_url"]


def test_figures_rows_in_a_stable_documented_order(project_site: Path) -> None:
    """By region (the gazetteer's tree order), indicator slug, then period."""
    rows = read_csv(project_site / "data/figures.csv")
    gazetteer = yaml.safe_load((PROJECT / "content/regions.yaml").read_text("utf-8"))

    def walk(parent: str | None) -> list[str]:  # the region tree, names in A-Z order
        kids = [s for s, r in gazetteer.items() if r.get("parent") == parent]
        kids.sort(key=lambda s: (gazetteer[s]["name"]["en"], s))
        return [x for k in kids for x in (k, *walk(k))]

    jiaxing = [r["period"] for r in rows if r["indicator"] == "manufacturing-investment"]
    assert jiaxing == ["2023-Q1", "2023-H1"]
    # Every region's rows come together, in the region tree's order (as the regions index
    # lists them), and within a region by indicator slug.
    seen: list[str] = []
    for r in rows:
        if not seen or seen[-1] != r["region"]:
            assert r["region"] not in seen
            seen.append(r["region"])
    assert seen == [r for r in walk(None) if r in seen]
    for region in seen:
        order = [r["indicator"] for r in rows if r["region"] == region]
        assert order == sorted(order), region


def test_site_figures_are_the_union_of_the_regions(project_site: Path) -> None:
    site_rows = read_csv(project_site / "data/figures.csv")
    files = sorted((project_site / "data").glob("*/figures.csv"))
    assert {f.parent.name for f in files} >= {"jiangsu", "taizhou-jiangsu", "jiangyan", "jiaxing"}
    union: set[tuple[str, ...]] = set()
    for file in files:
        slug = file.parent.name
        rows = read_csv(file)
        assert rows, f"{file} has no figures, so it should not exist"
        # A region's file is exactly the site's rows of it and of every region below it.
        below = [r for r in site_rows if slug in r["region_lineage"].split("/")]
        assert list(map(key, rows)) == list(map(key, below)), slug
        union |= set(map(key, rows))
    assert union == set(map(key, site_rows))


@pytest.mark.parametrize("name", ["figures", "jiangsu/figures", "jiaxing/figures"])
def test_figures_json_holds_the_csv_rows(project_site: Path, name: str) -> None:
    rows = read_csv(project_site / f"data/{name}.csv")
    data = json.loads((project_site / f"data/{name}.json").read_text("utf-8"))
    assert data["languages"] == ["en", "zh"]
    assert data["region"] == (None if name == "figures" else name.split("/")[0])
    assert len(data["figures"]) == len(rows)
    for record, row in zip(data["figures"], rows, strict=True):
        assert record["indicator_name"] == {
            "en": row["indicator_name_en"],
            "zh": row["indicator_name_zh"],
        }
        assert "/".join(record["region_lineage"]) == row["region_lineage"]
        assert record["value"] == (
            float(row["value"]) if "." in row["value"] else int(row["value"])
        )
        assert (record["period"] or "") == row["period"]
        assert record["briefing_url"] == row["briefing_url"]
