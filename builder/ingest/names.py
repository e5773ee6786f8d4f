"""A catalogue name in the script a source is written in.

The ingester reads Chinese sources (Han script) and their English renderings (Latin script), and
matches them against the names in regions.yaml, topics.yaml and indicators.yaml. It picks a name
by its script, never by a language code, so it works whatever languages site.yaml declares.
"""

from __future__ import annotations

import re

from builder.languages import Localized

_HAN = re.compile(r"[\u3400-\u9fff]")


def han_name(name: Localized) -> str:
    """The first name written in Han characters ('' when there is none)."""
    return next((v for v in name.root.values() if _HAN.search(v)), "")


def latin_name(name: Localized) -> str:
    """The first name written without Han characters ('' when there is none)."""
    return next((v for v in name.root.values() if not _HAN.search(v)), "")
