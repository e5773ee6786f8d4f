"""Period words for mailings: a month `2024-03`, a quarter `2024-Q1`, a half `2024-H1`, a year
`2024` (the words figures already use, see schema.PERIOD_RE), or any span of days.

A mailing is known by its `key` (the word, or `2024-03-05..2024-04-10` for a span): the ledger
and Message-IDs use it, so the same period asked for again is the same mailing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from builder.digests import Period
from builder.i18n import Formatter

_WORD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$")
PERIOD_HINT = "write a month 2024-03, a quarter 2024-Q1, a half 2024-H1 or a year 2024"


@dataclass(frozen=True)
class MailPeriod:
    key: str  # '2024-03', '2024-Q1', '2024' or '2024-03-05..2024-04-10'
    start: dt.date
    end: dt.date
    word: str | None  # the period word, None for a span of days

    @property
    def span(self) -> Period:
        return Period(self.start, self.end)

    def label(self, fmt: Formatter) -> str:
        """The period as the recipient reads it: 'March 2024', '2024年第1季度', 'Mar 5 – Apr 10'."""
        return fmt.period(self.word) if self.word else fmt.date_range(self.start, self.end)


def parse_word(text: str) -> MailPeriod:
    """A period word → its first and last day; ValueError saying what to write."""
    m = _WORD.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a period ({PERIOD_HINT})")
    year, part = int(m.group(1)), m.group(2)
    if part is None:
        first, last = 1, 12
    elif part.startswith("Q"):
        first = 3 * (int(part[1]) - 1) + 1
        last = first + 2
    elif part.startswith("H"):
        first = 1 if part == "H1" else 7
        last = first + 5
    else:
        first = last = int(part)
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return MailPeriod(m.group(0), dt.date(year, first, 1), end, m.group(0))


def from_span(start: dt.date, end: dt.date) -> MailPeriod:
    """A span of days; one that is exactly a month, quarter, half or year becomes that word, so
    `--from 2024-03-01 --to 2024-03-31` is the same mailing (and ledger entry) as `2024-03`."""
    if start > end:
        raise ValueError("--from is after --to")
    y = start.year
    words = [f"{y}", f"{y}-H{1 + (start.month > 6)}", f"{y}-Q{1 + (start.month - 1) // 3}"]
    for word in [*words, f"{y}-{start.month:02d}"]:
        p = parse_word(word)
        if (p.start, p.end) == (start, end):
            return p
    return MailPeriod(f"{start.isoformat()}..{end.isoformat()}", start, end, None)
