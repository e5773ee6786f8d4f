"""Small line charts of one indicator over time, written as SVG at build time.

No charting library: the ones that draw SVG in Python (matplotlib, pygal, plotly) either embed
inline styles and scripts the site's Content-Security-Policy refuses (`style-src 'self'`, no
inline script), or write ids, timestamps and float noise that differ between runs. The chart is
small enough to write by hand, and so it is byte-identical on every build:
- periods are evenly spaced categories in time order, labelled in the page's language (labels
  are thinned, never overlapped, when they would not fit);
- the value axis starts at zero (an amount or a count read against a cut-off axis overstates
  change) and has 3-6 round ticks, labelled with the page's number format;
- actual results are a solid line with round markers, targets a dashed line with square hollow
  markers: they differ in shape and dash, not only in colour (the legend says which is which);
- a line joins only figures of one kind whose periods are equally long: a first quarter's total
  and the first half's are two different measures (a year-to-date total grows with its span),
  and a line from one to the other reads as a change that never happened. Each length of period
  is its own line; a figure with no other of its length stands alone as a mark;
- colours come from style.css through classes; the marks also carry presentation attributes so
  a reader without the stylesheet still sees them. No `style` attribute anywhere.
The chart is an image with a name (role="img", <title>); the table beside it holds the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT = 300, 170
TOP, BOTTOM, RIGHT = 12, 26, 14  # room for the top tick, the period labels, the last marker
FONT = 10  # px in the viewBox
KINDS = ("actual", "target")  # drawing order: targets on top, their hollow squares visible


@dataclass(frozen=True)
class Point:
    period: str  # as in the front-matter; its place on the axis is given by the caller's order
    value: int | float
    kind: str  # "target" or "actual"
    months: int  # how long its period is (3: a quarter, 12: a year): only equals are joined


@dataclass(frozen=True)
class Chart:
    svg: Markup
    kinds: tuple[str, ...]  # the kinds drawn, for the legend


def text_width(text: str) -> float:
    """An estimate of a label's width in the chart's font: Han characters are square, Latin
    letters and digits a little over half as wide. Enough to keep labels from colliding."""
    return sum(FONT if ord(ch) >= 0x2E80 else FONT * 0.58 for ch in text)


def ticks(high: float, *, whole: bool = False) -> list[Decimal]:
    """Round ticks from 0 to at least `high` (> 0): steps of 1, 2, 2.5 or 5 times a power of 10,
    as few as keep four or five intervals; `whole` (counts): whole-number steps only."""
    raw = Decimal(repr(high)) / 4
    exponent = math.floor(math.log10(raw)) if raw > 0 else 0
    magnitude = Decimal(10) ** exponent
    steps = [Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)]
    candidates = [m * magnitude for m in steps]
    if whole:
        candidates = [c for c in candidates if c >= 1 and c == c.to_integral_value()]
        candidates = candidates or [Decimal(1)]
    step = next((c for c in candidates if c >= raw), candidates[-1])
    count = int((Decimal(repr(high)) / step).to_integral_value(rounding=ROUND_CEILING))
    return [step * n for n in range(count + 1)]


def _num(x: float) -> str:
    """A coordinate: one decimal, no '-0.0' (the same bytes on every run and platform)."""
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def line_chart(
    points: Sequence[Point],
    periods: Sequence[tuple[str, float]],
    *,
    period_label: Callable[[str], str],
    value_label: Callable[[Decimal], str],
    ident: str,
    title: str,
    whole: bool = False,
) -> Chart:
    """A chart of `points` over `periods`: (period, its middle as a day number), in time order,
    every point's period among them; `whole`: the values are counts, ticked in whole numbers.
    The time axis is to scale: 2015, 2016 and 2020 are not evenly spaced.

    Where several points share a kind and a period, the last one given is drawn (the caller
    orders them oldest briefing first, so the newest statement wins); the table lists them all.
    A line joins the points of one kind and one length of period (Point.months).
    """
    slots = {p: n for n, (p, _) in enumerate(periods)}
    # kind -> months -> slot -> value
    series: dict[str, dict[int, dict[int, float]]] = {}
    for point in points:
        lengths = series.setdefault(point.kind, {})
        lengths.setdefault(point.months, {})[slots[point.period]] = float(point.value)
    values_drawn = [v for lengths in series.values() for s in lengths.values() for v in s.values()]
    low, high = min(values_drawn), max(values_drawn)
    if low < 0:  # a fall below zero (growth rates): the axis covers it, mirrored
        high = max(high, -low)
    scale = ticks(high if high > 0 else 1.0, whole=whole)
    bottom_tick = -scale[-1] if low < 0 else Decimal(0)
    values = ([-t for t in reversed(scale[1:])] if low < 0 else []) + scale
    labels = [value_label(t) for t in values]
    left = max(text_width(label) for label in labels) + 8
    plot_w = WIDTH - left - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    span = float(scale[-1] - bottom_tick)
    first, last = periods[0][1], periods[-1][1]

    def x(slot: int) -> float:
        if last == first:
            return left + plot_w / 2
        return left + plot_w * (periods[slot][1] - first) / (last - first)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - float(bottom_tick)) / span)

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        '<g class="grid" stroke="#ccc">',
    ]
    for value in values:
        out.append(
            f'<line x1="{_num(left)}" x2="{_num(WIDTH - RIGHT)}" '
            f'y1="{_num(y(float(value)))}" y2="{_num(y(float(value)))}"/>'
        )
    out.append(f'</g><g class="axis y" font-size="{FONT}" fill="currentColor">')
    for value, label in zip(values, labels, strict=True):
        out.append(
            f'<text x="{_num(left - 6)}" y="{_num(y(float(value)) + 4)}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
    out.append(f'</g><g class="axis x" font-size="{FONT}" fill="currentColor">')
    names = [period_label(p) for p, _ in periods]
    for slot, anchor in _placed_labels([x(n) for n in range(len(names))], names):
        out.append(
            f'<text x="{_num(x(slot))}" y="{_num(HEIGHT - 8)}" '
            f'text-anchor="{anchor}">{escape(names[slot])}</text>'
        )
    out.append("</g>")
    drawn = tuple(k for k in KINDS if k in series)
    for kind in drawn:
        lines = [sorted(s.items()) for _, s in sorted(series[kind].items())]
        for marks in lines:
            if len(marks) > 1:
                path = " ".join(
                    f"{'L' if n else 'M'}{_num(x(slot))} {_num(y(value))}"
                    for n, (slot, value) in enumerate(marks)
                )
                dash = ' stroke-dasharray="6 4"' if kind == "target" else ""
                out.append(
                    f'<path class="series {kind}" d="{path}" fill="none" stroke="currentColor" '
                    f'stroke-width="2"{dash}/>'
                )
        # The marks after the lines, in time order, so every mark is drawn over any line.
        coords = [(x(slot), y(value)) for slot, value in sorted(p for m in lines for p in m)]
        for cx, cy in coords:
            if kind == "target":
                out.append(
                    f'<rect class="marker target" x="{_num(cx - 4)}" y="{_num(cy - 4)}" '
                    f'width="8" height="8" fill="#fff" stroke="currentColor" stroke-width="2"/>'
                )
            else:
                out.append(
                    f'<circle class="marker actual" cx="{_num(cx)}" cy="{_num(cy)}" r="4" '
                    f'fill="currentColor"/>'
                )
    out.append("</svg>")
    return Chart(Markup("".join(out)), drawn)


def _placed_labels(xs: Sequence[float], names: Sequence[str]) -> list[tuple[int, str]]:
    """The period labels that fit, as (slot, text-anchor): the first and last are aligned inwards
    so they stay inside the chart; from left to right a label is kept when it clears the one
    before; the last is kept in preference to its neighbour."""
    gap = 6.0

    def extent(slot: int, anchor: str) -> tuple[float, float]:
        width = text_width(names[slot])
        start = {"start": xs[slot], "end": xs[slot] - width}.get(anchor, xs[slot] - width / 2)
        return start, start + width

    placed: list[tuple[int, str]] = []
    for slot in range(len(names)):
        anchor = "start" if slot == 0 else "end" if slot == len(names) - 1 else "middle"
        start = extent(slot, anchor)[0]
        while placed and start < extent(*placed[-1])[1] + gap:
            if anchor != "end" or placed[-1][0] == 0:
                break
            placed.pop()  # the last label wins over the one before it (never over the first)
        else:
            placed.append((slot, anchor))
    return placed
