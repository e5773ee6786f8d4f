"""Publication dates in the forms the source sites print, found in a line of text.

Sources print the date in a byline ("etaizhou.gov.cn| Updated: April 3, 2024"), on a line of its
own ("Updated:2021-01-15", "2024-04-01 10:30", "发布时间：2024年4月1日") or in front of the title
("date 2023-08-03 Title"). A labelled date ("Updated", "发布时间") is the publication date; an
unlabelled one only counts when the caller finds it in the header of the page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_LABEL = re.compile(
    r"(?<![A-Za-z])(?:updated|published|posted|released?|date|time|发布时间|发布日期|发表时间|更新时间|"
    r"日期|时间)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_TIME = r"(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_FORMS = (
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)"
        + _TIME
    ),
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日" + _TIME),
    re.compile(
        r"\b(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b"
        + _TIME
    ),
    re.compile(
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>(?:19|20)\d{2})\b"
        + _TIME
    ),
)


@dataclass(frozen=True)
class DateHit:
    date: dt.date
    start: int  # span of the date in the line, label included when there is one
    end: int
    labelled: bool


def _to_date(m: re.Match[str]) -> dt.date | None:
    parts = m.groupdict()
    if parts.get("mon") is not None:
        month = _MONTHS.get(parts["mon"].lower())
        if month is None:
            return None
    else:
        month = int(parts["m"])
    try:
        return dt.date(int(parts["y"]), month, int(parts["d"]))
    except ValueError:
        # "2024-13-45" is not a date; better no date than a wrong one.
        return None


def find_dates(line: str) -> list[DateHit]:
    """Every date in the line, in order, each marked as labelled or not."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for form in _FORMS:
        for m in form.finditer(line):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            date = _to_date(m)
            if date is None:
                continue
            label = _LABEL.search(line[: m.start()])
            start = label.start() if label else m.start()
            hits.append(DateHit(date, start, m.end(), label is not None))
            taken.append((m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def parse_date(text: str) -> dt.date | None:
    """The first date in `text` (used for metadata values like '2024-04-01T10:30:00+08:00')."""
    hits = find_dates(text)
    return hits[0].date if hits else None
