"""A region's indicators view with regions below it (figure_compare.py): its own figures in
full, the regions directly below compared by their latest figure of their own, every region
below one click away; a district's view as before.

What the pages must show is worked out here from the content files (tests/test_figures.py's
`content_rows`, read with PyYAML), never from the builder's model.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import lxml.html
import pytest

from builder.figure_compare import latest
from builder.figures import FigureRow
from builder.model import Figure
from tests.conftest import EPOCH, build_site, copy_sample
from tests.test_figures import content_rows, read_csv

Row = dict[str, str]


def html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def text(e: Any) -> str:
    return " ".join(e.text_content().split())


def span(period: str) -> tuple[dt.date, dt.date] | None:
    """A period's first and last day, parsed here on its own (docs/content.md's forms)."""
    if not period:
        return None
    year = int(period[:4])
    if ".." in period:
        return dt.date(year, 1, 1), dt.date(int(period[6:]), 12, 31)
    if len(period) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    part = period[5:]
    months = {"Q": 3, "H": 6}.get(part[0], 1)
    first = (int(part[1:]) - 1) * months + 1 if part[0] in "QH" else int(part)
    last = first + months - 1
    end = dt.date(year + last // 12, last % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, first, 1), end


def expected_latest(rows: list[Row]) -> Row:
    """The documented rule: the latest period (end, then start), an actual before a target,
    then the latest briefing, then its later figure."""

    def key(r: Row) -> tuple[object, ...]:
        s = span(r["period"])
        start, end = s or (dt.date.min, dt.date.min)
        dated = s is not None
        actual = r["kind"] == "actual"
        return (dated, end, start, actual, r["briefing_date"], r["briefing"], int(r["position"]))

    return max(rows, key=key)


def with_positions(rows: list[Row]) -> list[Row]:
    seen: dict[str, int] = defaultdict(int)
    for r in rows:
        r["position"] = str(seen[r["briefing"]])
        seen[r["briefing"]] += 1
    return rows


def compared(doc: Any) -> dict[str, list[tuple[str, str, str, str, str]]]:
    """The comparison by indicator id: (name, href, value, kind, period) per region below. An
    indicator two or more regions report has a table of its own, headed by the id; one only
    one region reports is a row of the shared table (`single`), the row's id."""
    out = {}
    for block in doc.xpath("//section[@class='compared']//div[@class='indicator']"):
        rows = []
        for tr in block.xpath(".//table/tbody/tr"):
            (th,) = tr.xpath("./th[@scope='row']")
            cells = tr.xpath("./td")
            kind = cells[1].xpath("./span/@class")[0].split()[1]
            rows.append((text(th), th.xpath("./a/@href")[0], text(cells[0]), kind, text(cells[2])))
        out[block.xpath("./h3/@id")[0]] = rows
    for tr in single(doc):
        (th,) = tr.xpath("./th[@scope='row']")
        cells = tr.xpath("./td")  # indicator, value, kind, period
        kind = cells[2].xpath("./span/@class")[0].split()[1]
        row = (text(th), th.xpath("./a/@href")[0], text(cells[1]), kind, text(cells[3]))
        assert tr.get("id") not in out
        out[tr.get("id")] = [row]
    return out


def single(doc: Any) -> list[Any]:
    """The rows of the table of indicators only one region below reports."""
    return list(
        doc.xpath("//section[@class='compared']//table[@class='figures single-figures']/tbody/tr")
    )


# ---- the rule ---------------------------------------------------------------------------------


def _row(period: str | None, kind: str, date: str, position: int = 0) -> FigureRow:
    figure = Figure("x", 1, "cny", kind, period=period)
    briefing = SimpleNamespace(date=dt.date.fromisoformat(date))
    return FigureRow(figure, briefing, None, position)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rows", "picked"),
    [
        # the latest end wins, whatever the briefing's date
        ([("2023", "actual", "2024-01-01"), ("2024", "target", "2020-01-01")], 1),
        # same end: the latest start (the year's own figure before a five-year span's)
        ([("2025", "target", "2021-01-01"), ("2021..2025", "target", "2024-01-01")], 0),
        ([("2023-H1", "actual", "2023-08-01"), ("2023-Q2", "actual", "2023-07-01")], 1),
        # a month ending later than a quarter
        ([("2023-Q3", "actual", "2023-10-01"), ("2023-11", "target", "2023-01-01")], 1),
        # same period: the actual result, even from an older briefing
        ([("2023", "actual", "2022-01-01"), ("2023", "target", "2024-01-01")], 0),
        # same period and kind: the newer briefing
        ([("2023", "target", "2022-01-01"), ("2023", "target", "2023-05-01")], 1),
        # an undated figure only when none is dated
        ([(None, "actual", "2024-05-01"), ("2015", "target", "2015-01-01")], 1),
        ([(None, "target", "2020-05-01"), (None, "target", "2021-05-01")], 1),
    ],
)
def test_latest_figure_rule(rows: list[tuple[str | None, str, str]], picked: int) -> None:
    made = [_row(p, k, d, n) for n, (p, k, d) in enumerate(rows)]
    assert latest(made) is made[picked]
    assert latest(made[::-1]) is made[picked]  # whatever the order they come in


# ---- the basic sample site ---------------------------------------------------------------------

BASIC_ROWS = {
    "en": {
        "compare_firms--count": ("Jiangyan", "500 firms", "target", "2021–2023"),
        "compare_growth--percent": ("Jiangyan", "24.1%", "actual", "Q1 2023"),
        "compare_output-target--cny": (
            "Jiangyan",
            "over 100 billion yuan ($13.82 billion)",
            "target",
            "2025",
        ),
    },
    "zh": {
        "compare_firms--count": ("姜堰区", "500家", "target", "2021—2023年"),
        "compare_growth--percent": ("姜堰区", "24.1%", "actual", "2023年第一季度"),
        "compare_output-target--cny": ("姜堰区", "超过1000亿元（138.2亿美元）", "target", "2025年"),
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_city_view_compares_its_district_instead_of_repeating_it(
    basic_site: Path, lang: str
) -> None:
    """Taizhou (Jiangsu) has no figure of its own; Jiangyan, below it, has three. The city's
    view used to repeat Jiangyan's table (every figure, with its briefing); it now gives
    Jiangyan's latest figure of each indicator, linked to Jiangyan's own view: in one table, a
    row per indicator, since no other region below Taizhou reports them."""
    base = basic_site / f"{lang}/regions/jiangsu/taizhou-jiangsu/figures"
    doc = html(base / "index.html")
    # Not repeated: no section of Jiangyan's, no row linking its briefing.
    assert not doc.xpath("//section[@class='figure-region']")
    assert not doc.xpath("//*[@id='r-jiangyan']")
    assert not doc.xpath("//a[contains(@href, 'briefings/')]")
    # One table, a row per indicator, the figure the content gives; no table of one row.
    tables = compared(doc)
    assert set(tables) == set(BASIC_ROWS[lang])
    assert not doc.xpath("//div[@class='indicator']//table")
    assert [tr.get("id") for tr in single(doc)] == sorted(BASIC_ROWS[lang])
    for ident, (name, value, kind, period) in BASIC_ROWS[lang].items():
        ((got_name, href, got_value, got_kind, got_period),) = tables[ident]
        assert (got_name, got_value, got_kind, got_period) == (name, value, kind, period)
        # Jiangyan's growth has one period: no chart, so the link is to its view's top.
        assert href == "../jiangyan/figures/index.html"
        assert (base / href).resolve().is_file()
    # Accessible tables: a caption naming the indicator and the region, headed columns and rows.
    tables_shown = doc.xpath("//section[@class='compared']//table")
    assert tables_shown
    for table in tables_shown:
        caption = text(table.xpath("./caption")[0])
        assert ("Taizhou" if lang == "en" else "泰州市") in caption
        columns = 5 if "single-figures" in table.get("class") else 4
        assert len(table.xpath("./thead/tr/th[@scope='col']")) == columns
        assert all(tr.xpath("./th[@scope='row']") for tr in table.xpath("./tbody/tr"))
    # The dollar conversion in a compared value is explained once.
    assert len(doc.xpath("//p[contains(@class, 'figures-note')]")) == 1
    # Jiangyan's own view has every one of its figures, one click away.
    jiangyan = html(base / "../jiangyan/figures/index.html")
    assert len(jiangyan.xpath("//table//a[contains(@href, 'briefings/')]")) == 3


def test_two_districts_share_a_table_only_where_both_report(tmp_path: Path) -> None:
    """A second district below Taizhou, Hailing, reports growth, as Jiangyan does, and visitors,
    which nobody else reports. Growth gets a table of its own with both districts in the tree's
    order (Hailing first); the indicators one district reports share one table, a district's
    rows together in the tree's order (by indicator alone, "visitors" would come last)."""
    root = copy_sample("basic", tmp_path / "basic")
    content = root / "content"
    with (content / "regions.yaml").open("a", encoding="utf-8") as regions:
        regions.write("hailing:\n  name: {en: Hailing, zh: 海陵区}\n  level: district\n")
        regions.write("  parent: taizhou-jiangsu\n")
    with (content / "indicators.yaml").open("a", encoding="utf-8") as indicators:
        indicators.write("visitors:\n  name: {en: Visitors, zh: 到访人数}\n")
    (content / "articles/2024/delta.md").write_text(
        "---\ntitle: Hailing counts its visitors\ndate: 2024-04-02\nregion: hailing\n"
        "topics: [innovation]\nsummary: Invented for the tests.\nsource:\n"
        "  publisher: example.test\n  title: Invented headline\n  published: 2024-04-01\n"
        "figures:\n"
        "  - {indicator: growth, value: 7.5, unit: percent, kind: actual, period: '2023'}\n"
        "  - {indicator: visitors, value: 12000, unit: count, kind: actual, period: '2023'}\n"
        "---\nA body written for the tests.\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build_site(root, tmp_path / "site")
    doc = html(tmp_path / "site/en/regions/jiangsu/taizhou-jiangsu/figures/index.html")
    tables = compared(doc)
    assert [(name, value) for name, _, value, *_ in tables["compare_growth--percent"]] == [
        ("Hailing", "7.5%"),
        ("Jiangyan", "24.1%"),
    ]
    assert [(text(tr.xpath("./th")[0]), tr.get("id")) for tr in single(doc)] == [
        ("Hailing", "compare_visitors--count"),
        ("Jiangyan", "compare_firms--count"),
        ("Jiangyan", "compare_output-target--cny"),
    ]


def test_province_view_links_every_region_below(basic_site: Path) -> None:
    """Zhejiang compares its city; Jiangsu, whose city has no figure of its own, compares none
    but lists the city and its district, each linked to its own view."""
    zhejiang = html(basic_site / "en/regions/zhejiang/figures/index.html")
    ((name, href, value, kind, period),) = compared(zhejiang)["compare_growth--percent"]
    # Taizhou's growth: 8.5% (2022), 9.2% (H1 2023), a 9% target for 2023, an undated one.
    assert (name, value, kind, period) == ("Taizhou", "9%", "target", "2023")
    # charted on Taizhou's own view: the link goes to its chart
    assert href == "../taizhou-zhejiang/figures/index.html#taizhou-zhejiang--growth--percent"
    target = html(basic_site / "en/regions/zhejiang/taizhou-zhejiang/figures/index.html")
    assert target.xpath("//h3[@id='taizhou-zhejiang--growth--percent']")
    jiangsu = html(basic_site / "en/regions/jiangsu/figures/index.html")
    assert not jiangsu.xpath("//section[@class='compared']")
    tree = [
        (text(a), a.get("href"), len(a.xpath("ancestor::li")))
        for a in jiangsu.xpath("//nav[@class='below']//li/a")
    ]
    assert tree == [
        ("Taizhou", "../taizhou-jiangsu/figures/index.html", 1),
        ("Jiangyan", "../taizhou-jiangsu/jiangyan/figures/index.html", 2),
    ]
    meta = text(jiangsu.xpath("//header//p[@class='meta']")[0])
    assert meta.startswith("0 figures of its own · 3 in the regions below")


def test_district_view_is_its_figures_alone(basic_site: Path) -> None:
    doc = html(basic_site / "en/regions/jiangsu/taizhou-jiangsu/jiangyan/figures/index.html")
    assert not doc.xpath("//nav[@class='below'] | //section[@class='compared']")
    assert text(doc.xpath("//header//p[@class='meta']")[0]).startswith("3 figures · ")
    assert [text(h) for h in doc.xpath("//main//h2")] == ["Jiangyan"]


# ---- a synthetic archive with varied periods ----------------------------------------------------

PERIOD = re.compile(r", period: '(\d{4})'")
LATE = re.compile(r"^(date: |  published: )2024-(?:0[6-9]|1[0-2])-(\d\d)$", re.M)


def _vary_periods(content: Path, seed: int) -> None:
    """The corpus gives every figure a year; here some get a quarter, a half, a month, a span of
    years or no period at all, so the rule meets every kind of period."""
    pick = random.Random(seed)

    def other(m: re.Match[str]) -> str:
        year = int(m.group(1))
        form = pick.randrange(7)
        if form == 0:
            return ""
        return (
            ", period: '"
            + [
                str(year),
                str(year),
                f"{year}-Q{pick.randint(1, 4)}",
                f"{year}-H{pick.randint(1, 2)}",
                f"{year}-{pick.randint(1, 12):02d}",
                f"{year - pick.randint(1, 4)}..{year}",
            ][form - 1]
            + "'"
        )

    for path in sorted((content / "articles").glob("*/*.md")):
        source = PERIOD.sub(other, path.read_text("utf-8"))
        # The tests build on 1 June 2024 (conftest.EPOCH): a later briefing would be held back
        # as future, and a link to it from an earlier one be an error.
        source = LATE.sub(r"\g<1>2024-05-\g<2>", source)
        path.write_text(source, "utf-8")


@pytest.mark.parametrize("seed", [1, 2])
def test_views_compare_and_link_on_a_synthetic_archive(tmp_path: Path, seed: int) -> None:
    """Every view of a region with figures below it: its own figures all there and nobody
    else's; per indicator the regions directly below with the figure the rule picks (value as
    that figure's briefing shows it, kind, period), linked to their views (at the chart when
    the view draws one); and every region below with figures one link away."""
    from tests.bench.corpus import make_corpus
    from tests.conftest import build_site

    corpus = make_corpus(tmp_path, 300, seed=seed)
    _vary_periods(corpus.root / "content", seed)
    build_site(corpus.root, tmp_path / "site", search=False)
    site = tmp_path / "site"
    rows = with_positions(content_rows(corpus.root / "content"))
    assert {r["period"][4:5] for r in rows} >= {"", "-", "."}  # every form is there
    own: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        own[r["region"]].append(r)
    # Every region below a region with figures in it or below it: those with a view.
    below_views: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        lineage = r["region_lineage"].split("/")
        for n, up in enumerate(lineage[:-1]):
            below_views[up].update(lineage[n + 1 :])
    order = _tree_order(site)
    compared_rows = 0
    kinds_seen: set[bool] = set()  # a table of its own, a row of the shared table
    pages = sorted(site.glob("en/regions/**/figures/index.html"))
    for page in pages:
        lineage = page.relative_to(site / "en/regions").parts[:-2]
        region = lineage[-1]
        doc = html(page)
        # Its own figures, all of them, and no briefing of another region.
        linked = doc.xpath("//td[@class='briefing']/a/@href")
        assert len(linked) == len(own[region]), page
        slugs = {Path(h).parent.name for h in linked}
        assert slugs == {r["briefing"] for r in own[region]}, page
        if not below_views[region]:
            assert not doc.xpath("//nav[@class='below'] | //section[@class='compared']"), page
            continue
        # One click: the tree of regions below links every region below with figures.
        tree = doc.xpath("//nav[@class='below']//a/@href")
        reached = {(page.parent / h).resolve().parent.parent.name for h in tree}
        assert reached == below_views[region] and len(tree) == len(reached), page
        assert all((page.parent / h).resolve().is_file() for h in tree), page
        # The comparison, worked out from the content.
        children = {
            r["region"]: r for r in rows if r["region_lineage"].split("/")[:-1][-1:] == [region]
        }
        groups: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
        for child in children:
            for r in own[child]:
                groups[f"compare_{r['indicator']}--{r['unit']}"][child].append(r)
        got = compared(doc)
        assert set(got) == set(groups), page
        alone = {tr.get("id") for tr in single(doc)}
        # the shared table: a region's rows together, regions in the tree's order
        placed = []
        for tr in single(doc):
            view = tr.xpath("./th/a/@href")[0].partition("#")[0]
            placed.append((order((page.parent / view).resolve().parent.parent.name), tr.get("id")))
        assert placed == sorted(placed), page
        for ident, by_child in groups.items():
            # a table of its own when two or more regions below report it, else a row of one
            assert (ident in alone) == (len(by_child) == 1), (page, ident)
            kinds_seen.add(len(by_child) == 1)
            table = got[ident]
            ordered = sorted(by_child, key=order)
            names = [children[c]["region_name_en"] for c in ordered]
            assert [name for name, *_ in table] == names, (page, ident)
            for (name, href, value, kind, period), child in zip(table, ordered, strict=True):
                pick = expected_latest(by_child[child])
                assert kind == pick["kind"], (page, ident, name)
                assert value == _briefing_shows(site, pick), (page, ident, name)
                assert bool(period) == bool(pick["period"]), (page, ident, name)
                view, _, anchor = href.partition("#")
                target = (page.parent / view).resolve()
                assert target == site / "en/regions" / Path(*lineage, child) / "figures/index.html"
                periods = {r["period"] for r in by_child[child] if r["period"]}
                assert bool(anchor) == (len(periods) >= 2), (page, ident, name)
                if anchor:
                    assert html(target).xpath(f"//div[@class='indicator']/h3[@id='{anchor}']")
                compared_rows += 1
    assert compared_rows > 100
    assert kinds_seen == {True, False}
    # The downloads keep every figure, the regions below included.
    assert len(read_csv(site / "data/figures.csv")) == len(rows)


def _tree_order(site: Path) -> Any:
    """Regions in the region tree's order: the order of the downloads (test_figures.py checks
    it against the documented one)."""
    first: dict[str, int] = {}
    for n, r in enumerate(read_csv(site / "data/figures.csv")):
        first.setdefault(r["region"], n)
    return first.__getitem__


_shown: dict[Path, dict[str, str]] = {}


def _briefing_shows(site: Path, row: Row) -> str:
    """The value of a figure as its briefing's page shows it in its "at a glance" box (the
    corpus gives at most four figures a briefing, all in the box), by indicator name."""
    page = site / f"en/briefings/{row['briefing_date'][:4]}/{row['briefing']}/index.html"
    if page not in _shown:
        doc = html(page)
        _shown[page] = {
            text(item.xpath("./dt")[0]): text(item.xpath(".//*[@class='glance-value']")[0])
            for item in doc.xpath("//section[@class='glance']//dl/div")
        }
    return _shown[page][row["indicator_name_en"]]
