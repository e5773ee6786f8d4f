"""The SVG line charts (charts.py) on their own: axes, marks, labels, escaping, determinism."""

from __future__ import annotations

import itertools
import random
import re
from decimal import Decimal

import lxml.etree
import pytest

from builder.charts import HEIGHT, WIDTH, Point, _placed_labels, line_chart, text_width, ticks

SVG = "{http://www.w3.org/2000/svg}"


def chart(
    points: list[Point], periods: list[tuple[str, float]], **kw: object
) -> lxml.etree._Element:
    made = line_chart(
        points,
        periods,
        period_label=lambda p: f"<{p}>",  # markup in a label must come out as text
        value_label=lambda t: f"{t} & co",
        ident="c1",
        title="Output & growth",
        **kw,  # type: ignore[arg-type]
    )
    return lxml.etree.fromstring(str(made.svg).encode())


YEARS = [(str(y), float(y)) for y in (2015, 2016, 2020)]


@pytest.mark.parametrize(
    ("high", "whole", "expected"),
    [
        (63.89e9, False, ["0", "2E+10", "4E+10", "6E+10", "8E+10"]),
        (24.1, False, ["0", "10", "20", "30"]),
        (1, True, ["0", "1"]),
        (7, True, ["0", "2", "4", "6", "8"]),
        (0.5, False, ["0.0", "0.2", "0.4", "0.6"]),
    ],
)
def test_ticks_are_round_and_cover_the_highest_value(
    high: float, whole: bool, expected: list[str]
) -> None:
    got = ticks(high, whole=whole)
    assert got == [Decimal(e) for e in expected]  # compared as numbers
    assert got[0] == 0 and got[-1] >= Decimal(repr(high)) and len(got) <= 6


def test_marks_tell_targets_from_actuals_without_colour() -> None:
    svg = chart(
        [
            Point("2015", 10, "actual", 12),
            Point("2016", 12, "actual", 12),
            Point("2016", 15, "target", 12),
            Point("2020", 20, "target", 12),
        ],
        YEARS,
    )
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title"
    assert svg.find(f"{SVG}title").text == "Output & growth"
    actual = svg.find(f"{SVG}path[@class='series actual']")
    target = svg.find(f"{SVG}path[@class='series target']")
    assert actual.get("stroke-dasharray") is None and target.get("stroke-dasharray")
    assert len(svg.findall(f"{SVG}circle")) == 2 and len(svg.findall(f"{SVG}rect")) == 2
    assert not svg.xpath("//@style") and b"<script" not in lxml.etree.tostring(svg)
    # Time to scale: 2016 sits a quarter of the way from 2015 to 2020, not half.
    xs = [float(c.get("cx")) for c in svg.findall(f"{SVG}circle")]
    left, right = xs[0], float(svg.findall(f"{SVG}rect")[-1].get("x")) + 4
    assert (xs[1] - left) / (right - left) == pytest.approx(0.2, abs=0.01)
    # Labels are text, escaped, in the chart's box.
    labels = [t.text for t in svg.findall(f"{SVG}g[@class='axis x']/{SVG}text")]
    assert labels[0] == "<2015>" and labels[-1] == "<2020>"
    assert all(t.text.endswith("& co") for t in svg.findall(f"{SVG}g[@class='axis y']/{SVG}text"))
    for el in svg.iter(f"{SVG}circle", f"{SVG}rect", f"{SVG}text"):
        for attr, limit in (("cx", WIDTH), ("x", WIDTH), ("cy", HEIGHT), ("y", HEIGHT)):
            if el.get(attr) is not None:
                assert 0 <= float(el.get(attr)) <= limit


def test_the_newest_figure_of_a_period_is_drawn() -> None:
    svg = chart(
        [
            Point("2015", 10, "actual", 12),
            Point("2016", 12, "actual", 12),
            Point("2016", 30, "actual", 12),
        ],
        YEARS[:2],
    )
    assert len(svg.findall(f"{SVG}circle")) == 2  # one per period; the later of 2016's two
    assert (
        float(svg.findall(f"{SVG}circle")[1].get("cy"))
        < float(svg.findall(f"{SVG}circle")[0].get("cy")) - 30
    )


def test_only_periods_of_one_length_are_joined() -> None:
    """Year-to-date totals (Jiaxing's manufacturing investment: 29.03 billion in Q1 2023, 63.89
    billion in H1 2023) are not one series: no line from a quarter to a half-year. Quarters join
    quarters and years join years, each its own line; every figure keeps its mark."""
    periods = [("2022", 0.0), ("2023-Q1", 1.0), ("2023-Q2", 2.0), ("2023-H1", 3.0), ("2023", 4.0)]
    svg = chart(
        [
            Point("2022", 100, "actual", 12),
            Point("2023-Q1", 29, "actual", 3),
            Point("2023-Q2", 35, "actual", 3),
            Point("2023-H1", 64, "actual", 6),
            Point("2023", 130, "actual", 12),
            Point("2023-H1", 60, "target", 6),
        ],
        periods,
    )
    paths = svg.findall(f"{SVG}path")
    xs = [float(c.get("cx")) for c in svg.findall(f"{SVG}circle")]
    assert len(xs) == 5 and xs == sorted(xs)
    # Two lines, each through the marks of one length: the quarters, then the years.
    ends = sorted(tuple(float(n) for n in re.findall(r"[ML]([\d.]+) ", p.get("d"))) for p in paths)
    assert ends == sorted([(xs[1], xs[2]), (xs[0], xs[4])])
    assert all(p.get("class") == "series actual" for p in paths)  # the lone target: no line
    assert len(svg.findall(f"{SVG}rect")) == 1


def test_a_quarter_and_a_half_year_are_two_marks_without_a_line() -> None:
    svg = chart(
        [Point("2023-Q1", 29.03e9, "actual", 3), Point("2023-H1", 63.89e9, "actual", 6)],
        [("2023-Q1", 0.0), ("2023-H1", 1.0)],
    )
    assert svg.findall(f"{SVG}path") == [] and len(svg.findall(f"{SVG}circle")) == 2


def test_negative_values_get_an_axis_below_zero() -> None:
    svg = chart([Point("2015", -4.5, "actual", 12), Point("2016", 6, "actual", 12)], YEARS[:2])
    ys = [t.text for t in svg.findall(f"{SVG}g[@class='axis y']/{SVG}text")]
    assert ys[0].startswith("-") and "0 & co" in ys
    for c in svg.findall(f"{SVG}circle"):
        assert 0 < float(c.get("cy")) < HEIGHT


def test_same_input_same_bytes() -> None:
    points = [Point(str(y), (y * 7919) % 1000 / 3, "actual", 12) for y in range(2010, 2025)]
    periods = [(str(y), float(y)) for y in range(2010, 2025)]
    one = line_chart(points, periods, period_label=str, value_label=str, ident="a", title="t")
    two = line_chart(points, periods, period_label=str, value_label=str, ident="a", title="t")
    assert one.svg == two.svg
    assert not re.search(r"\d\.\d{2,}", str(one.svg))  # coordinates rounded to one decimal


@pytest.mark.parametrize("seed", range(30))
def test_period_labels_never_overlap(seed: int) -> None:
    rng = random.Random(seed)
    count = rng.randint(2, 30)
    xs = sorted(rng.uniform(40, 290) for _ in range(count))
    names = [rng.choice(["2024", "Q1 2024", "2024年上半年", "2021–2023", "H2"]) for _ in xs]
    placed = _placed_labels(xs, names)
    assert placed[0] == (0, "start")
    spans = []
    for slot, anchor in placed:
        width = text_width(names[slot])
        start = {"start": xs[slot], "end": xs[slot] - width}.get(anchor, xs[slot] - width / 2)
        spans.append((start, start + width))
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start >= end + 6
