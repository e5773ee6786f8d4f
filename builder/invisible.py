"""Invisible characters that corrupt output: removed from every text the build reads, with a
warning at their position.

C0/C1 control characters (tab and line feed excepted) make feed.xml invalid XML; bidi embedding,
override and isolate characters (U+202A-E, U+2066-9) make a title read differently from what it
is ("Trojan Source"). Neither has a place in a briefing.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HINT = "control and bidi-override characters are not allowed in text; they were removed"


def find(text: str) -> list[tuple[int, str]]:
    """(index, character) of every invisible character in `text`."""
    if _INVISIBLE.search(text) is None:  # nearly every text: a search is the cheapest answer
        return []
    return [(m.start(), m.group()) for m in _INVISIBLE.finditer(text)]


def remove(text: str) -> str:
    return _INVISIBLE.sub("", text)


def names(found: list[tuple[int, str]]) -> str:
    return ", ".join(sorted({f"U+{ord(c):04X}" for _, c in found}))
