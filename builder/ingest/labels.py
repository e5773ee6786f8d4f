"""Suggested labels for found figures: an indicator from indicators.yaml and a period.

A suggestion is made only when most of an indicator's name appears around the figure and the
indicator's kind of value (money, percentage, count) fits; otherwise the figure stays
unlabelled and the draft asks the editor to label it.
"""

from __future__ import annotations

import datetime as dt
import re

from builder.ingest.figures import Found
from builder.ingest.names import han_name, latin_name
from builder.model import Indicator

_STOP = {"of", "the", "a", "an", "and", "for", "in", "on", "per", "new", "each", "over", "yuan"}
_SYNONYMS = {
    "increase": "growth",
    "rise": "growth",
    "rose": "growth",
    "grew": "growth",
    "grow": "growth",
    "up": "growth",
    "accounting": "share",
    "accounted": "share",
    "proportion": "share",
    "center": "centre",
    "company": "company",
    "firm": "company",
    "enterprise": "company",
    "previous": "year",
}
_GENERIC = {"growth", "year", "annual", "average", "share", "total", "rate", "on"}
_GENERIC |= {"同比", "增速", "增长", "年均", "比重", "年产", "产值", "总额"}
# What an indicator measures, read from the end of its Chinese name, which is the head noun
# ("…增速" a rate, "…项目" a number of projects, "…奖励资金" an amount of money).
_PERCENT_NAME = re.compile(r"(?:增速|比重|率|增长)$")
_COUNT_NAME = re.compile(r"(?:项目|企业|产业|中心|机构|公司|园区|平台)$")


def _stems(text: str) -> set[str]:
    out = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word in _STOP:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
            word = word[:-1]
        out.add(_SYNONYMS.get(word, word))
    return out


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i : i + 2] for i in range(len(han) - 1)}


def _unit_kind(ind: Indicator) -> str:
    name = re.sub(r"[（(][^）)]*[）)]$", "", han_name(ind.name))
    if _PERCENT_NAME.search(name):
        return "percent"
    return "count" if _COUNT_NAME.search(name) else "money"


def guess_indicator(fig: Found, indicators: dict[str, Indicator]) -> str | None:
    kind = "money" if fig.unit in ("cny", "usd") else fig.unit
    zh = re.search(r"[\u4e00-\u9fff]", fig.window) is not None
    best: tuple[float, str] | None = None
    for slug, ind in sorted(indicators.items()):
        if _unit_kind(ind) != kind:
            continue
        if zh:
            want, have = _bigrams(han_name(ind.name)), _bigrams(fig.window)
        else:
            want, have = _stems(latin_name(ind.name)), _stems(fig.window)
        common = want & have
        shared = len(common)
        score = shared / len(want) if want else 0.0
        # Words every growth or share indicator has ("growth", "year", 同比) say nothing about
        # what grew: at least one word naming the thing itself must be there too, or the
        # figure stays unlabelled ("exports rose 11.2 percent year-on-year" is not
        # manufacturing investment growth).
        if not common - _GENERIC:
            continue
        if shared >= 2 and score >= 0.5 and (best is None or score > best[0]):
            best = (score, slug)
    return best[1] if best else None


_PERIODS = (
    (re.compile(r"first quarter|\bQ1\b|一季度", re.I), "Q1"),
    (re.compile(r"first half|上半年", re.I), "H1"),
    (re.compile(r"second half|下半年", re.I), "H2"),
    (re.compile(r"this year|current year|今年|全年|本年", re.I), ""),
)


def guess_period(fig: Found, published: dt.date | None) -> str | None:
    """A period the sentence states: a year it names, or a part of that year or of the year of
    publication ("in the first quarter" of an article published in 2023 is 2023-Q1)."""
    # A year, not an amount: "2,025" and "2025.5" are not years; "of 2025." at the end is.
    named = set(re.findall(r"(?<![\d.,$])(20\d\d)(?![\d%]|[.,]\d)", fig.sentence))
    year = named.pop() if len(named) == 1 else None
    base = year or (str(published.year) if published and not named else None)
    for pattern, part in _PERIODS:
        if base and pattern.search(fig.sentence):
            return f"{base}-{part}" if part else base
    return year
