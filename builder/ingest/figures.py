"""Figures in article text: money (with any bracketed conversion), percentages and counts.

Values are `Decimal`s built from the digits as printed, so "29.03 billion" is exactly
29_030_000_000 and never 29029999999.999996. Each figure keeps the sentence it came from and
the words around it, which the draft shows to the editor who labels it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

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
    r"(?:\s*[(（]\s*(?:about |around |approximately |roughly |约合?|合|折合)?(?:人民币)?"
    rf"(?P<eqcur>{_CUR})?(?P<eqnum>{_NUM})\s*(?P<eqscale>{_SCALE_EN}|万亿|亿|万)?(?![A-Za-z])\s*"
    r"(?P<equnit>yuan|dollars|US dollars|美元|元)?\s*[)）])?"
)
# "a 1.2-billion-yuan plant": the hyphens of a compound adjective join number, scale and unit.
_MONEY_EN = re.compile(
    rf"{_QUAL_EN}(?P<cur>{_CUR})?(?P<num>{_NUM})(?:(?:\s*|-)(?P<scale>{_SCALE_EN})\b)?"
    r"(?:(?:\s*|-)(?P<unit>yuan|US dollars|dollars|RMB)\b)?" + _EQUIV,
    re.IGNORECASE,
)
# Chinese numerals are read by cn2an: 两亿元, 三千万元, 十二亿元 (a bare 千 or 百 is a numeral).
_ZH_NUM = r"[零一二两三四五六七八九十百千]+"
_MONEY_ZH = re.compile(
    r"(?P<qual>超过|逾|超|约|近|不到|不足)?"
    rf"(?P<num>{_NUM}|{_ZH_NUM})\s*(?P<scale>万亿|亿|万|千)?\s*(?P<unit>美元|元)(?P<after>以上|左右)?"
    + _EQUIV
)
_PERCENT = re.compile(
    rf"{_QUAL_EN}(?P<qual2>超过|逾|超|约|近|不到|不足)?(?:百分之)?(?P<num>{_NUM})\s*"
    r"(?P<sign>%|％|percent\b|per cent\b|percentage points?\b|个百分点)(?P<after>以上|左右)?",
    re.IGNORECASE,
)
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
_UNITS += "fifteen sixteen seventeen eighteen nineteen"
_WORD_UNITS = {w: i for i, w in enumerate(_UNITS.split())}
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_TENS = {w: 10 * i for i, w in enumerate(_TENS, 2)}
# "one project" says "a project": no count (as 一个/一家 below).
_WORD_NUM = (
    rf"(?:{'|'.join(_WORD_TENS)})(?:-(?:{'|'.join(list(_WORD_UNITS)[1:10])}))?"
    rf"|{'|'.join(w for w in _WORD_UNITS if w != 'one')}"
)
_COUNT_NOUNS = (
    r"projects?|enterprises?|compan(?:y|ies)|firms?|industr(?:y|ies)|cent(?:er|re)s?|"
    r"platforms?|parks?|clusters?|bases?|zones?|branches|suppliers?|makers?|manufacturers?|"
    r"producers?|factor(?:y|ies)"
)
_COUNT_EN = re.compile(
    rf"{_QUAL_EN}\b(?P<num>\d[\d,]*|{_WORD_NUM})\s+"
    r"(?P<mid>(?:(?!yuan\b|billion\b|million\b|percent\b|years?\b|of\b)[A-Za-z&-]+\s+){0,4}?)"
    rf"(?P<noun>{_COUNT_NOUNS})\b",
    re.IGNORECASE,
)
# Counts in Chinese come number first (186家企业, 两个产业集群) or noun first (项目共45个,
# 企业2300多家, 企业1.2万家). A lone 一 (一个平台, 一家企业) is the article "a", not a count.
_ZH_NOUNS = r"项目|企业|公司|工厂|车间|产业|平台|中心|园区|集群|基地"
_ZH_COUNT_NUM = r"\d+(?:\.\d+)?万?|[一二两三四五六七八九十百千万]+"
_COUNT_ZH = re.compile(
    rf"(?P<num>{_ZH_COUNT_NUM})(?P<more>多|余)?\s*(?P<mw>个|家|项|座|大)"
    rf"(?P<mid>[\u4e00-\u9fff]{{0,6}}?)(?P<noun>{_ZH_NOUNS})"
)
_COUNT_ZH_NOUN_FIRST = re.compile(
    rf"(?P<noun>{_ZH_NOUNS})(?P<mid>[^\d\s，。；、,;：:（）()“”]{{0,6}}?)"
    rf"(?P<num>{_ZH_COUNT_NUM})(?P<more>多|余)?(?P<mw>个|家|项|座)(?![\u4e00-\u9fff]{{0,2}}(?:元|美元))"
)
# A change stated as a fall is a negative figure: "fell 1.8 percent", "下降0.4%"; not "down
# from 6.3 percent" (the earlier level), which keeps its sign.
_FALL = re.compile(
    r"(?:\b(?:fell|fall|falls|falling|down|decreased?|declined?|declining|dropped|drops?|"
    r"contracted|shrank|slid|slipped)\s+(?:by\s+)?|(?:下降|减少|回落|降低|下滑|下跌|收窄)了?)$",
    re.IGNORECASE,
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


def _amount(text: str) -> Decimal | None:
    """Digits (29.03, 1,200) or Chinese numerals (两, 三千, 十二) as printed before a scale."""
    if re.match(r"\d", text):
        return _number(text)
    try:
        return Decimal(str(cn2an.cn2an(text.replace("两", "二"), "strict")))
    except (ValueError, KeyError):
        return None


def _zh_number(text: str) -> Decimal | None:
    """Arabic or Chinese numerals, with 万 as a scale: 45, 1.2万, 二十二, 两."""
    if text == "一":
        return None
    scale = Decimal(1)
    if re.fullmatch(r"\d+(?:\.\d+)?万", text):
        text, scale = text[:-1], Decimal(10_000)
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text) * scale
    try:
        value = cn2an.cn2an(text.replace("两", "二"), "strict")
    except (ValueError, KeyError):
        return None
    return Decimal(str(value))


def _word_number(text: str) -> int | None:
    text = text.lower()
    if text in _WORD_UNITS:
        return _WORD_UNITS[text]
    tens, _, unit = text.partition("-")
    if tens in _WORD_TENS:
        return _WORD_TENS[tens] + (_WORD_UNITS.get(unit, 0) if unit else 0)
    return None


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
            value = _amount(m.group("num"))
            if value is None:
                continue
            add(m, value * scale, unit, qual, equivalent=_equivalent(m))
    for m in _PERCENT.finditer(s):
        if _overlaps(spans, m.start("num"), m.end("num")):
            continue
        qual = _qualifier(m.group("qual"), m.group("qual2"), m.group("after"))
        sign = -1 if _FALL.search(s[: m.start()]) else 1
        add(m, sign * _number(m.group("num")), "percent", qual)
    for regex in (_COUNT_ZH, _COUNT_ZH_NOUN_FIRST, _COUNT_EN):
        for m in regex.finditer(s):
            if _overlaps(spans, m.start("num"), m.end("num")):
                continue
            raw = m.group("num").replace(",", "")
            n = _word_number(raw) if raw[0].isascii() and raw[0].isalpha() else _zh_number(raw)
            if n is None:
                continue
            groups = m.groupdict()
            qual = _qualifier(groups.get("qual"), "以上" if groups.get("more") else None)
            add(m, Decimal(n), "count", qual)
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]
