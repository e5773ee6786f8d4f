"""Plain-text dumps of web pages → title, date, publisher and the article's paragraphs.

A dump is the page's visible text: section names and a breadcrumb ("Home > Highlights"), the
title, a byline with the publisher and date, widgets ("Print Mail Large Medium Small"), image
file names, the paragraphs with photo captions among them, then a footer (contact block,
copyright, ICP licence). The rules below find the byline, take the title from just above it
(or beside the date, as in "date 2023-08-03 Title"), and keep paragraphs until the footer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from builder.ingest.dates import find_dates

_HEADER_LINES = 25  # the byline is near the top; a date further down belongs to the story
_BREADCRUMB = re.compile(
    r"^(?:home|首页|当前位置|您的位置|you are here)\s*[:：]?\s*(?:[>›»]|$)|.+\s?>\s?\S", re.I
)
_WIDGET_WORDS = set(
    [
        "print",
        "mail",
        "email",
        "e-mail",
        "share",
        "large",
        "medium",
        "small",
        "font",
        "size",
        "close",
        "tweet",
        "wechat",
        "weibo",
        "facebook",
        "twitter",
        "打印",
        "关闭",
        "字体",
        "大",
        "中",
        "小",
        "分享",
        "收藏",
        "默认",
        "放大",
        "缩小",
        "打印本页",
        "关闭窗口",
        "【",
        "】",
        "[",
        "]",
        "|",
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
    ]
)
_IMAGE_FILE = re.compile(r"^\S.*\.(?:png|jpe?g|gif|webp|bmp|svg)$", re.I)
_CAPTION = re.compile(
    r"\[(?:photo|photos|image|video)\b[^\]]*\]\s*$|[（(](?:photo|图|摄影|图片)\s*[/:：][^）)]*[）)]\s*$"
    r"|摄影\s*[:：]|^[（(]?图为|^(?:图片来源|图/)|^(?:photo|image)\s*[:/]",
    re.I,
)
_FOOTER = re.compile(
    r"^(?:copyright|©|\(c\)|all rights reserved|contact us|related (?:stories|news|articles)"
    r"|more stories|版权所有|相关(?:新闻|阅读|链接|文章)|联系我们|主办单位|主办[:：]|网站地图)"
    r"|ICP[备证]|ICP\s*No|公网安备",
    re.I,
)
_PUBLISHER_BYLINE = (
    # "来源：泰州日报", "Source: Xinhua"
    re.compile(
        r"(?:来源|稿源|source)\s*[:：]\s*(?P<pub>[^\s|｜()（）]+(?: [A-Z][\w.]*){0,3})", re.I
    ),
    # "etaizhou.gov.cn| Updated: ..." and "By Zhou Wen | chinadaily.com.cn | Updated: ..."
    re.compile(
        r"(?:^|\|\s*)(?P<pub>(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:cn|com|net|org))\s*\|", re.I
    ),
    # "(chinadaily.com.cn)" on a line of its own
    re.compile(r"^[（(](?P<pub>[^()（）]{2,60})[)）]$"),
)
# "Han Wei, deputy Party secretary, while delivering the report on Jan 6." has no main verb:
# it is the caption of a photo whose credit line the dump lost, not a paragraph.
_CAPTION_FRAGMENT = re.compile(
    r"^[A-Z][a-z]{1,6} [A-Z][a-z]{1,12}, [^,]{3,120}, (?:while|during|at|after|before) [^.]*\.$"
)
_TERMINAL = tuple(".!?。！？;；:：\"”’')）…")


@dataclass
class Extracted:
    """What an extractor found; empty strings and None are gaps the draft flags."""

    title: str = ""
    date: dt.date | None = None
    publisher: str = ""
    url: str = ""
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things an editor should check


def clean_line(line: str) -> str:
    # Pages pad with no-break and ideographic spaces; a dump keeps them.
    return re.sub(r"[\s\u00a0\u3000\u200b]+", " ", line).strip()


def is_widget(line: str) -> bool:
    words = re.findall(r"[\w\u4e00-\u9fff]+|[【】\[\]|]", line.lower())
    return bool(words) and all(w in _WIDGET_WORDS for w in words)


def is_breadcrumb(line: str) -> bool:
    return bool(_BREADCRUMB.match(line)) and len(line) < 80 and not line.endswith(".")


def is_caption(line: str) -> bool:
    return bool(_CAPTION.search(line))


def is_footer(line: str) -> bool:
    return bool(_FOOTER.search(line))


def find_publisher(line: str) -> str:
    for pattern in _PUBLISHER_BYLINE:
        m = pattern.search(line)
        if m:
            return m.group("pub").strip(" .,;|")
    return ""


def _is_furniture(line: str) -> bool:
    return is_widget(line) or is_breadcrumb(line) or bool(_IMAGE_FILE.match(line))


def paragraphs_of(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; a line that stops mid-sentence runs on into the next."""
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        if current and (not line or line.endswith(_TERMINAL)):
            cjk = re.search(r"[\u4e00-\u9fff]$", current[0]) is not None
            out.append(("" if cjk else " ").join(current))
            current = []
    return out


def extract_text(text: str) -> Extracted:
    lines = [clean_line(x) for x in text.split("\n")]
    result = Extracted()
    nonblank = [i for i, x in enumerate(lines) if x]
    header = nonblank[:_HEADER_LINES]

    # The byline: the first labelled date in the header, else the first line that is a date.
    date_at = None
    for i in header:
        hits = find_dates(lines[i])
        rest = lines[i]
        if hits:
            rest = (lines[i][: hits[0].start] + " " + lines[i][hits[0].end :]).strip(" |")
        if hits and (hits[0].labelled or len(rest) < 40 or find_publisher(lines[i])):
            date_at, result.date = i, hits[0].date
            title_beside = lines[i][hits[0].end :].strip(" |:：-–")
            break

    furniture: set[str] = set()
    byline_end = -1
    title_at = None
    if date_at is not None:
        byline_end = date_at
        if len(title_beside) > 15 and not find_publisher(title_beside):
            result.title, title_at = title_beside, date_at
        # Publisher lines and widgets sit just around the date line.
        for i in header:
            if abs(i - date_at) <= 3 and not result.publisher:
                result.publisher = find_publisher(lines[i])
        for i in header:
            if i > date_at and (
                _is_furniture(lines[i]) or find_publisher(lines[i]) == lines[i].strip("()（）")
            ):
                byline_end = i
            elif i > date_at:
                break
        if title_at is None:
            before = [i for i in header if i < date_at and not _is_furniture(lines[i])]
            before = [i for i in before if not find_publisher(lines[i])]
            if before:
                title_at = before[-1]
                result.title = lines[title_at]
        furniture = {lines[i] for i in header if title_at is not None and i < title_at}
    else:
        result.notes.append("date: no publication date found in the text")
        for i in header:
            if not _is_furniture(lines[i]) and not find_publisher(lines[i]):
                title_at, result.title = i, lines[i]
                byline_end = i
                break
        furniture = {lines[i] for i in header if title_at is not None and i < title_at}
        for i in header:
            if result.publisher:
                break
            result.publisher = find_publisher(lines[i])

    body: list[str] = []
    for line in lines[byline_end + 1 :]:
        if line and is_footer(line):
            break
        if line and (line in furniture or _is_furniture(line) or line == result.title):
            continue
        if line and is_caption(line):
            result.captions.append(line)
            continue
        if line and not result.publisher and (pub := find_publisher(line)) and len(line) < 60:
            # A closing "（来源：泰州日报）" names the publisher; it is not body text.
            result.publisher = pub
            continue
        body.append(line)
    for paragraph in paragraphs_of(body):
        if _CAPTION_FRAGMENT.match(paragraph):
            result.captions.append(paragraph)
        else:
            result.paragraphs.append(paragraph)
    if not result.title:
        result.notes.append("title: none found; the first line was used")
    return result
