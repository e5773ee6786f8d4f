"""Figures in article text: money (with any bracketed conversion), percentages and counts.

Values are `Decimal`s built from the digits as printed, so "29.03 billion" is exactly
29_030_000_000 and never 29029999999.999996. Each figure keeps the sentence it came from and
the words around it, which the draft shows to the editor who labels it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from builder.schema import Qualifier, Unit

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALES = {
    "trillion": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3,
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
}
_QUALIFIERS: dict[str, Qualifier] = {
    "over": "over",
    "more than": "over",
    "above": "over",
    "exceeding": "over",
    "in excess of": "over",
    "超过": "over",
    "逾": "over",
    "超": "over",
    "以上": "over",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "nearly": "about",
    "almost": "about",
    "some": "about",
    "约": "about",
    "近": "about",
    "左右": "about",
    "under": "under",
    "less than": "under",
    "below": "under",
    "不到": "under",
    "不足": "under",
}
_QUAL_EN = (
    r"(?:(?P<qual>over|more than|above|exceeding|in excess of|about|around|approximately|"
    r"roughly|nearly|almost|some|under|less than|below)\s+)?"
)
_CUR = r"US\$|\$|¥|RMB\s?|CNY\s?"
_SCALE_EN = r"trillion|billion|million|thousand|bn"
_EQUIV = (
    r"(?:\s*[(（]\s*(?:about |around |approximately |roughly |约合?|合)?"
    rf"(?P<eqcur>{_CUR})?(?P<eqnum>{_NUM})\s*(?P<eqscale>{_SCALE_EN}|万亿|亿|万)?\b\s*"
    r"(?P<equnit>yuan|dollars|US dollars|美元|元)?\s*[)）])?"
)
_MONEY_EN = re.compile(
    rf"{_QUAL_EN}(?P<cur>{_CUR})?(?P<num>{_NUM})(?:\s*(?P<scale>{_SCALE_EN})\b)?"
    r"(?:\s*(?P<unit>yuan|US dollars|dollars|RMB)\b)?" + _EQUIV,
    re.IGNORECASE,
)
_MONEY_ZH = re.compile(
    r"(?P<qual>超过|逾|超|约|近|不到|不足)?"
    rf"(?P<num>{_NUM})\s*(?P<scale>万亿|亿|万|千)?\s*(?P<unit>美元|元)(?P<after>以上|左右)?"
    + _EQUIV
)
_PERCENT = re.compile(
    rf"{_QUAL_EN}(?P<qual2>超过|逾|超|约|近|不到|不足)?(?:百分之)?(?P<num>{_NUM})\s*"
    r"(?P<sign>%|％|percent\b|per cent\b|percentage points?\b|个百分点)(?P<after>以上|左右)?",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_COUNT_NOUNS = (
    r"projects?|enterprises?|compan(?:y|ies)|firms?|industr(?:y|ies)|cent(?:er|re)s?|"
    r"platforms?|parks?|clusters?|bases?|zones?|branches"
)
_COUNT_EN = re.compile(
    rf"{_QUAL_EN}\b(?P<num>\d[\d,]*|{'|'.join(_WORD_NUMBERS)})\s+"
    r"(?P<mid>(?:(?!yuan\b|billion\b|million\b|percent\b|years?\b)[A-Za-z-]+\s+){0,4}?)"
    rf"(?P<noun>{_COUNT_NOUNS})\b",
    re.IGNORECASE,
)
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_ZH_DIGITS |= {"八": 8, "九": 9}
_COUNT_ZH = re.compile(
    r"(?P<num>\d+|[一二两三四五六七八九十百]+)\s*(?P<mw>个|家|项|座|条|大)"
    r"(?P<mid>[\u4e00-\u9fff]{0,6}?)(?P<noun>项目|企业|产业|平台|中心|园区|集群|基地)"
)
_TARGET = re.compile(
    r"\b(?:aims?|aiming|plans?|planned|will|target|goal|strives?|expects?|seeks?|"
    r"intends?|to achieve|requirements?)\b|目标|力争|计划|将|预计|确保|争取",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“‘(])|(?<=[。！？；])")


@dataclass(frozen=True)
class Found:
    value: Decimal
    unit: Unit
    text: str  # the words matched, e.g. "100 billion yuan ($13.82 billion)"
    sentence: str
    window: str  # the words around the figure: what a percentage or count measures
    qualifier: Qualifier | None = None
    kind: str = "actual"  # a guess from the sentence's verbs; the editor confirms it
    equivalent: tuple[Decimal, Unit] | None = None


def sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _zh_number(text: str) -> int | None:
    """Small Chinese numerals (一 to 九百九十九), enough for counts of projects."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _money_unit(cur: str | None, unit: str | None) -> Unit | None:
    cur = (cur or "").strip().upper()
    unit = (unit or "").lower()
    if "$" in cur or "dollar" in unit or unit == "美元":
        return "usd"
    if cur in ("¥", "RMB", "CNY") or unit in ("yuan", "rmb", "元"):
        return "cny"
    return None


def _equivalent(m: re.Match[str]) -> tuple[Decimal, Unit] | None:
    if m.group("eqnum") is None:
        return None
    unit = _money_unit(m.group("eqcur"), m.group("equnit"))
    if unit is None:
        return None
    value = _number(m.group("eqnum")) * _SCALES.get((m.group("eqscale") or "").lower(), 1)
    return value, unit


def _window(sentence: str, start: int, end: int, words: int = 8) -> str:
    """The figure with up to `words` words (or 3 × as many CJK characters) on each side."""
    before, after = sentence[:start], sentence[end:]
    if re.search(r"[\u4e00-\u9fff]", sentence):
        return (before[-3 * words :] + sentence[start:end] + after[: 3 * words]).strip()
    left = " ".join(before.split()[-words:])
    right = " ".join(after.split()[:words])
    return f"{left} {sentence[start:end]} {right}".strip()


def _kind(sentence: str) -> str:
    return "target" if _TARGET.search(sentence) else "actual"


def _qualifier(*words: str | None) -> Qualifier | None:
    for word in words:
        if word and word.lower() in _QUALIFIERS:
            return _QUALIFIERS[word.lower()]
    return None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def find_figures(paragraphs: list[str]) -> list[Found]:
    """Every money amount, percentage and count, in reading order."""
    out: list[Found] = []
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            out.extend(_in_sentence(sentence))
    return out


def _in_sentence(s: str) -> list[Found]:
    found: list[tuple[int, Found]] = []
    spans: list[tuple[int, int]] = []
    kind = _kind(s)

    def add(
        m: re.Match[str], value: Decimal, unit: Unit, qual: Qualifier | None, **kw: object
    ) -> None:
        # The patterns end in optional parts that may swallow trailing spaces: trim them.
        end = m.start() + len(m.group(0).rstrip())
        spans.append((m.start("num"), end))
        text = m.group(0).strip()
        window = _window(s, m.start(), end)
        eq = kw.get("equivalent")
        equivalent = eq if isinstance(eq, tuple) else None
        found.append((m.start(), Found(value, unit, text, s, window, qual, kind, equivalent)))

    for regex in (_MONEY_ZH, _MONEY_EN):
        for m in regex.finditer(s):
            if _overlaps(spans, m.start("num"), m.end("num")):
                continue
            groups = m.groupdict()
            unit = _money_unit(groups.get("cur"), groups.get("unit"))
            if unit is None:
                continue
            scale = _SCALES.get((groups.get("scale") or "").lower(), Decimal(1))
            qual = _qualifier(groups.get("qual"), groups.get("after"))
            add(m, _number(m.group("num")) * scale, unit, qual, equivalent=_equivalent(m))
    for m in _PERCENT.finditer(s):
        if _overlaps(spans, m.start("num"), m.end("num")):
            continue
        qual = _qualifier(m.group("qual"), m.group("qual2"), m.group("after"))
        add(m, _number(m.group("num")), "percent", qual)
    for regex in (_COUNT_ZH, _COUNT_EN):
        for m in regex.finditer(s):
            if _overlaps(spans, m.start("num"), m.end("num")):
                continue
            raw = m.group("num").lower().replace(",", "")
            n = _WORD_NUMBERS.get(raw) if raw.isalpha() and raw.isascii() else _zh_number(raw)
            if n is None:
                continue
            qual = _qualifier(m.groupdict().get("qual"))
            add(m, Decimal(n), "count", qual)
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]
