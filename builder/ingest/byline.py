"""Bylines and page furniture, decided by what a line is rather than by phrases seen before.

A byline is a row of labelled fields ("来源：泰州日报 作者：王晓宁 浏览次数：1532", "Source: Taizhou
Daily Date: 2024-06-11 Views: 87"), unlabelled segments between separators ("By Lin Yue |
chinadaily.com.cn | Updated: …") and widgets ("【字体：大 中 小】【打印】"). The line is split at
every separator and before every known label, so a label's neighbour is never taken as a value.
Furniture lines are label-value lines (责任编辑：陈静, Editor: Wang Yan), link bars ("Home | News
| Business"), widget rows, and the short lines that trail an article (share bars, QR prompts,
"Related links" lists): short, not a sentence, after the last paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Field labels, by the field they introduce. Labels in a line are recognised with a colon
# after them (or, for the English date words, before a date).
_LABELS: dict[str, tuple[str, ...]] = {
    "source": (
        "信息来源",
        "文章来源",
        "稿件来源",
        "来源",
        "稿源",
        "发布机构",
        "发布单位",
        "发布者",
        "source",
        "publisher",
        "from",
    ),
    "date": (
        "发布时间",
        "发布日期",
        "发表时间",
        "更新时间",
        "成文日期",
        "日期",
        "时间",
        "date",
        "time",
        "updated",
        "published",
        "posted",
        "released",
    ),
    "author": ("作者", "记者", "撰稿", "通讯员", "author", "reporter", "by"),
    "editor": ("责任编辑", "编辑", "审核", "校对", "editor", "edited by"),
    "views": (
        "浏览次数",
        "浏览量",
        "浏览",
        "点击数",
        "点击量",
        "点击",
        "阅读",
        "访问量",
        "views",
        "hits",
        "visits",
    ),
    "widget": (
        "字体",
        "字号",
        "分享到",
        "分享",
        "打印",
        "关闭",
        "font size",
        "font",
        "share to",
        "share",
        "print",
        "close",
    ),
}
_ALL = sorted(((w, f) for f, ws in _LABELS.items() for w in ws), key=lambda p: -len(p[0]))
_LABEL_RE = re.compile(
    r"(?<![A-Za-z\u4e00-\u9fff])(?P<label>"
    + "|".join(re.escape(w) for w, _ in _ALL)
    + r")\s*[:：]\s*"
    # Chinese labels are often printed run together with the text before them ("…10:30来源：").
    + r"|(?P<han>"
    + "|".join(re.escape(w) for w, _ in _ALL if re.match(r"[\u4e00-\u9fff]", w))
    + r")\s*[:：]\s*"
    # English date and count labels also stand bare before their number: "Updated 2024-01-02".
    + r"|(?<![A-Za-z])(?P<bare>updated|published|posted|date|views|hits|visits)\s+(?=\d)",
    re.IGNORECASE,
)
_WIDGET_WORDS = {
    "print",
    "close",
    "mail",
    "email",
    "share",
    "large",
    "medium",
    "small",
    "l",
    "m",
    "s",
}
_FIELD_OF = {w.lower(): f for w, f in _ALL}
_SEPARATOR = re.compile(r"\s*[|｜]\s*|【[^】]*】|\[[^\]]*\]")
_BY = re.compile(r"^by\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3}$", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:cn|com|net|org)$", re.I)
_TERMINAL = tuple(".!?。！？;；\"”’')）…")


@dataclass
class Byline:
    fields: dict[str, str] = field(default_factory=dict)  # first value of each field
    others: list[str] = field(default_factory=list)  # unlabelled segments, in order


def parse(line: str) -> Byline:
    """The line's labelled fields and its unlabelled segments."""
    out = Byline()
    for segment in _SEPARATOR.split(line):
        segment = segment.strip(" ,;，；")
        if not segment:
            continue
        cuts = list(_LABEL_RE.finditer(segment))
        head = segment[: cuts[0].start()].strip() if cuts else segment
        if head:
            out.others.append(head)
        for i, m in enumerate(cuts):
            label = (m.group("label") or m.group("han") or m.group("bare")).lower()
            end = cuts[i + 1].start() if i + 1 < len(cuts) else len(segment)
            value = segment[m.end() : end].strip(" ,;，；")
            out.fields.setdefault(_FIELD_OF[label], value)
    return out


def labelled(line: str) -> bool:
    """A line that starts with a field label: 责任编辑：陈静, Editor: Wang Yan, 分享到：微信."""
    m = _LABEL_RE.match(line.strip("【[ "))
    return m is not None


def publisher(line: str, dated: bool) -> str:
    """The publisher a byline names: its source field, else (on the dated byline) a segment
    that is neither a date nor an author ("chinadaily.com.cn", "Jiaxing Daily")."""
    from builder.ingest.dates import find_dates  # the date rules live with the dates

    b = parse(line)
    if b.fields.get("source"):
        return _trim(b.fields["source"])
    if not dated:
        return ""
    for seg in b.others:
        words = set(re.findall(r"\w+", seg.lower()))
        if find_dates(seg) or _BY.match(seg) or len(seg) > 50 or words <= _WIDGET_WORDS:
            continue
        if _DOMAIN.match(seg) or re.match(r"^[A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){1,5}$", seg):
            return seg
    return ""


def _trim(value: str) -> str:
    # A value runs to the next separator; a stray date or time after it is not part of it.
    value = re.split(r"\s{2,}|\s+(?=\d{4}[-/年])", value)[0]
    return value.strip(" .,;|()（）")


def is_nav_bar(line: str) -> bool:
    """A row of short links: "Home | News | Government | Services", "首页 | 政务公开 | …"."""
    parts = [p.strip() for p in re.split(r"[|｜]", line)]
    return len(parts) >= 3 and all(0 < len(p) <= 16 and not p.endswith(_TERMINAL) for p in parts)


def is_sentence(line: str) -> bool:
    """Body text: a line that ends as a sentence does, or is too long to be a heading or link."""
    han = len(re.findall(r"[\u4e00-\u9fff]", line))
    long = han > 45 or (han == 0 and len(line) > 90)
    return line.endswith(_TERMINAL) or long


def trailing_furniture(lines: list[str]) -> int:
    """How many lines at the end are not article text: the share bar, QR prompt, editor line
    and related-links list that follow the last paragraph."""
    n = 0
    for line in reversed(lines):
        if line and is_sentence(line) and not labelled(line):
            break
        n += 1
    return n
