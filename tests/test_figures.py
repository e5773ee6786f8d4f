"""Figures as data and on the pages (figures.py, figure_views.py), read back from built sites.

The expected figures come from the content files themselves, read here with PyYAML, never from
the builder's own model: the downloads and pages must say what the editors wrote.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import lxml.html
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


def html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_province_page_lists_districts_figures_under_their_names(
    project_site: Path, lang: str
) -> None:
    doc = html(project_site / f"{lang}/regions/jiangsu/index.html")
    table = doc.xpath("//table[@class='figures']")[0]
    groups = [
        " ".join(t.text_content().split()) for t in table.xpath("./tbody/tr/th[@class='region']")
    ]
    names = {"en": ["Zhangjiagang", "Hailing", "Jiangyan"], "zh": ["张家港市", "海陵区", "姜堰区"]}
    assert groups == names[lang]
    assert "Jiangsu" not in groups and "江苏省" not in groups  # never as the province's own
    # Every figure of the page's briefings once; no "—" filler; no briefing title per row.
    rows = read_csv(project_site / "data/jiangsu/figures.csv")
    assert len(table.xpath("./tbody/tr")) == len(rows)
    text = table.text_content()
    assert "—" not in text
    titles = doc.xpath("//ul[@class='cards']//h3/a/text()")
    assert len(titles) == 4 and not [t for t in titles if t in text]
    # Counts read with their unit; the dollar note once, under the table.
    assert ("500 enterprises" if lang == "en" else "500家") in text
    notes = doc.xpath("//p[contains(@class, 'figures-note')]")
    assert len(notes) == 1
    # Linked: the indicators view and both downloads, which exist.
    links = doc.xpath("//p[@class='figure-links']//a/@href")
    assert len(links) == 3
    base = project_site / f"{lang}/regions/jiangsu"
    assert all((base / href).resolve().is_file() for href in links), links
    assert links[1].endswith("data/jiangsu/figures.csv")


@pytest.mark.parametrize(
    ("lang", "labels", "legend"),
    [("en", ["2022", "H1 2023", "2023"], ["Actual", "Target"]), ("zh", None, ["实际", "目标"])],
)
def test_indicators_view_charts_targets_and_actuals(
    basic_site: Path, lang: str, labels: list[str] | None, legend: list[str]
) -> None:
    page = basic_site / f"{lang}/regions/zhejiang/taizhou-zhejiang/figures/index.html"
    doc = html(page)
    assert not doc.xpath("//@style") and not doc.xpath("//script[not(@type)]")  # the CSP's rules
    (svg,) = doc.xpath("//svg[@class='chart']")
    assert svg.get("role") == "img"
    title = svg.xpath("./title")[0]
    assert svg.get("aria-labelledby") == title.get("id") and title.text
    # Actual results: round markers; the target: a hollow square. No line: the actuals are for
    # 2022 and the first half of 2023, periods of different lengths (not one series).
    assert svg.xpath(".//path") == []
    assert len(svg.xpath(".//circle[contains(@class, 'actual')]")) == 2
    assert len(svg.xpath(".//rect[contains(@class, 'target')]")) == 1
    axis = [t.text for t in svg.xpath(".//g[@class='axis x']/text")]
    if labels:
        assert [a for a in axis if a in labels] == labels  # in time order
    else:
        assert "2022年" in axis and "2023年" in axis
    assert [
        " ".join(li.text_content().split()) for li in doc.xpath("//ul[@class='legend']/li")
    ] == legend
    # The table beside the chart: every figure, the undated one too.
    rows = doc.xpath("//table[contains(@class, 'series')]/tbody/tr")
    assert len(rows) == 4
    values = [r.xpath("./td[@class='num']")[0].text_content() for r in rows]
    assert values[:3] == ["8.5%", "9.2%", "9%"]


def test_briefing_opens_with_its_key_figures(project_site: Path) -> None:
    """Hailing's briefing has nine figures: five above the body, all nine in a table below."""
    doc = html(project_site / "en/briefings/2024/hailing-project-targets-2024/index.html")
    items = doc.xpath("//section[@class='glance']//dl/div")
    assert len(items) == 5
    fifth = [" ".join(e.text_content().split()) for e in items[4]]
    assert fifth == ["Construction projects breaking ground", "20 projects", "Target · 2024"]
    second = " ".join(items[1].text_content().split())
    assert "over 10 billion yuan ($1.39 billion)" in second
    assert "9 more" not in doc.text_content() and "4 more figures" in doc.text_content()
    assert len(doc.xpath("//table[@class='figures']/tbody/tr")) == 9
    body_at = len(doc.xpath("//div[@class='body']/preceding::*"))
    assert len(doc.xpath("//section[@class='glance']/preceding::*")) < body_at


def test_charts_and_downloads_on_a_synthetic_archive(tmp_path: Path) -> None:
    """300 briefings, 12 districts, each with figures of 8 indicators over ten years: every
    region's indicators view charts exactly its own groups with two or more periods (the
    regions below it are compared, not charted: test_figure_compare.py), each with a mark per
    kind and period, and the downloads hold every figure."""
    from tests.bench.corpus import make_corpus
    from tests.conftest import build_site

    corpus = make_corpus(tmp_path, 300)
    build_site(corpus.root, tmp_path / "site", search=False)
    site = tmp_path / "site"
    expected = content_rows(tmp_path / "content")
    assert Counter(map(key, read_csv(site / "data/figures.csv"))) == Counter(map(key, expected))
    groups: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
    for r in expected:
        marks = groups.setdefault((r["region"], r["indicator"], r["unit"]), set())
        if r["period"]:
            marks.add((r["kind"], r["period"]))
    pages = sorted(site.glob("en/regions/**/figures/index.html"))
    assert len(pages) > 15
    charted = 0
    for page in pages:
        lineage = page.relative_to(site / "en/regions").parts[:-2]
        doc = html(page)
        want = {
            f"{region}--{indicator}--{unit}": marks
            for (region, indicator, unit), marks in groups.items()
            if len({p for _, p in marks}) >= 2 and region == lineage[-1]
        }
        got = {
            s.xpath("./h3/@id")[0]: s
            for s in doc.xpath("//div[@class='indicator'][.//svg[@class='chart']]")
        }
        assert set(got) == set(want), page
        for ident, section in got.items():
            svg = section.xpath(".//svg")[0]
            assert len(svg.xpath(".//circle | .//rect")) == len(want[ident]), (page, ident)
        charted += len(got)
    assert charted > 100


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("suzhou-jiangsu/zhangjiagang", "Zhangjiagang"),
        ("taizhou-jiangsu/hailing", "Hailing"),
        ("taizhou-jiangsu/jiangyan", "Jiangyan"),
    ],
)
def test_indicators_without_a_series_share_one_table(
    project_site: Path, path: str, name: str
) -> None:
    """Jiangsu's districts have no indicator with two periods: each district's view has its
    figures in one table (not a table per one-row indicator), under its name, all of them."""
    doc = html(project_site / f"en/regions/jiangsu/{path}/figures/index.html")
    rows = read_csv(project_site / "data/jiangsu/figures.csv")
    (section,) = doc.xpath("//section[@class='figure-region']")
    assert section.xpath("string(h2)") == name
    assert not section.xpath(".//svg") and not section.xpath(".//h3")
    (table,) = section.xpath(".//table[@class='figures']")
    slug = path.split("/")[-1]
    assert len(table.xpath("./tbody/tr")) == len([r for r in rows if r["region"] == slug]) > 0


@pytest.mark.parametrize("archive", ["project", "synthetic"])
def test_figure_order_cut_from_one_sort_equals_sorting_each_list(
    archive: str, tmp_path: Path
) -> None:
    """The pages cut their rows from the site's rows sorted once (figures.FigureOrder): for
    every region (its subregions' rows included), the whole site and lists of briefings in any
    order, the rows are those that sorting them alone gives, in the same order."""
    import random

    from builder.errors import Report
    from builder.figures import FigureOrder, ordered, region_rows
    from builder.pipeline import load_model
    from tests.bench.corpus import make_corpus
    from tests.conftest import copy_site, options

    if archive == "project":
        root = copy_site(PROJECT, tmp_path / "p")
    else:
        root = make_corpus(tmp_path, 400).root
    report = Report(root)
    model = load_model(options(root), report)
    assert not report.errors
    order = FigureOrder(model)
    regions = [None, *(r for r, _ in model.gazetteer.walk())]
    assert len(regions) >= 10
    for region in regions:
        assert order.region(region) == region_rows(model, region), region
        if region is not None:  # its own rows: the indicators view's (figure_compare.py)
            mine = [r for r in region_rows(model, region) if r.region.slug == region.slug]
            assert order.own(region) == mine and order.count(region) == len(order.region(region))
    assert sum(1 for r in regions if r and order.region(r)) >= 3
    pick = random.Random(7)
    for size in (0, 1, 5, 20, 60):
        items = pick.sample(model.briefings, min(size, len(model.briefings)))
        assert order.of(items) == ordered(model, items)
