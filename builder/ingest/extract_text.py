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

from builder.ingest import byline
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
    r"^(?:copyright|©|\(c\)|all rights reserved|contact us"
    r"|related(?: stories| news| articles| links| reading)?\s*[:：]?$"
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


def _subtitle(line: str) -> bool:
    # "——姜堰区重大项目推进情况观察": a subtitle printed under the headline.
    return line.startswith(("——", "—", "--", "－－"))


def is_chrome(line: str) -> bool:
    """Site chrome and byline leftovers: never a title or a paragraph."""
    return (
        _is_furniture(line)
        or byline.is_nav_bar(line)
        or (byline.labelled(line) and not byline.is_sentence(line))
    )


def _headline(line: str) -> bool:
    return bool(line) and not is_chrome(line) and not _subtitle(line) and not find_dates(line)


def _find_byline(lines: list[str], header: list[int]) -> tuple[int, dt.date, str] | None:
    """The byline: the first line of the header with a publication date that reads as one
    (a labelled date, a short line, or fields around it); with the text beside the date."""
    for i in header:
        line = lines[i]
        hits = find_dates(line)
        if not hits:
            continue
        after = line[hits[0].end :]
        rest = (line[: hits[0].start] + " " + after).strip(" |")
        fields = byline.parse(line).fields
        if hits[0].labelled or fields or len(rest) < 40 or find_publisher(line):
            beside = ""
            if not re.match(r"\s*[|｜]", after) and not byline.parse(after).fields:
                beside = after.strip(" |:：-–")
            return i, hits[0].date, beside
    return None


def _publisher_near(lines: list[str], header: list[int], at: int) -> str:
    """The publisher named on the byline or the lines around it."""
    near = [i for i in header if abs(i - at) <= 3]
    near.sort(key=lambda i: abs(i - at))
    for i in near:
        pub = byline.publisher(lines[i], dated=i == at)
        if pub:
            return pub
    for i in near:
        pub = find_publisher(lines[i])
        if pub:
            return pub
    return ""


def extract_text(text: str) -> Extracted:
    lines = [clean_line(x) for x in text.split("\n")]
    result = Extracted()
    nonblank = [i for i, x in enumerate(lines) if x]
    header = nonblank[:_HEADER_LINES]

    found = _find_byline(lines, header)
    title_at = None
    if found is not None:
        date_at, result.date, beside = found
        byline_end = date_at
        if len(beside) > 15 and not find_publisher(beside):
            result.title, title_at = beside, date_at
        result.publisher = _publisher_near(lines, header, date_at)
        if title_at is None:
            # The headline is the nearest line above the byline that is not chrome, a
            # subtitle or another byline line.
            above = [i for i in header if i < date_at and _headline(lines[i])]
            above = [
                i
                for i in above
                if not byline.publisher(lines[i], dated=False) and not find_publisher(lines[i])
            ]
            if above:
                title_at = above[-1]
                result.title = lines[title_at]
    else:
        result.notes.append("date: no publication date found in the text")
        # No byline: the headline is the last heading-like line before the first paragraph.
        first = next(
            (i for i in header if byline.is_sentence(lines[i]) and not is_chrome(lines[i])),
            None,
        )
        above = [i for i in header if (first is None or i < first) and _headline(lines[i])]
        if above:
            # Without any sentence (notes, a list) the first line is the best guess.
            title_at = above[-1] if first is not None else above[0]
            result.title = lines[title_at]
        byline_end = title_at if title_at is not None else -1
        for i in header:
            if result.publisher:
                break
            result.publisher = byline.publisher(lines[i], dated=False) or find_publisher(lines[i])
    furniture = {lines[i] for i in header if title_at is not None and i < title_at}

    body: list[str] = []
    for line in lines[byline_end + 1 :]:
        if line and is_footer(line):
            break
        if line and not result.publisher and len(line) < 60 and not byline.is_sentence(line):
            # A closing "来源：姜堰发布" or "【来源：嘉兴日报】" names the publisher.
            result.publisher = byline.publisher(line.strip("【】[]"), dated=False)
        if line and (line in furniture or is_chrome(line) or line == result.title):
            continue
        if line and (_subtitle(line) or (find_dates(line) and byline.parse(line).fields)):
            continue
        if line and is_caption(line):
            result.captions.append(line)
            continue
        if line and not result.publisher and (pub := find_publisher(line)) and len(line) < 60:
            # A closing "（来源：泰州日报）" names the publisher; it is not body text.
            result.publisher = pub
            continue
        body.append(line)
    kept = [x for x in body if x]
    drop = byline.trailing_furniture(kept)
    if drop and drop < len(kept):  # text with no sentence at all (notes) is kept whole
        last = len(body) - 1 - body[::-1].index(kept[-drop - 1])
        body = body[: last + 1]
    for paragraph in paragraphs_of(body):
        if _CAPTION_FRAGMENT.match(paragraph):
            result.captions.append(paragraph)
        else:
            result.paragraphs.append(paragraph)
    if not result.title:
        result.notes.append("title: none found; the first line was used")
    return result
