"""Han typesetting for the digests, where CSS alone cannot do it.

Chinese text may break between any two characters, so a line can end in '1000' and the next
begin with '亿元', and a headline can leave one character alone on its last line. These helpers
wrap such runs in `<span class="nobr">` (digest.css: `white-space: nowrap`). Latin text breaks
between words and is left alone. Which languages need it is a setting (`keep_units` in site.yaml).
"""

from __future__ import annotations

import re

from markupsafe import Markup

# A number and the Chinese unit after it ('1000亿元', '10%', '2.5万平方米'), not inside a Latin
# word or a longer number.
_NUMBER_UNIT = re.compile(
    r"(?<![0-9A-Za-z.,])(\d[\d,.]*(?:%|％|[万亿萬億兆千百]*(?:元|美元|人民币|人民幣|个|個|家|项|項|台|"
    r"辆|輛|吨|噸|亩|畝|人|名|座|户|戶|平方米|平方公里|公里|千瓦|万千瓦|萬千瓦|倍|年|月|日|号|號|期|批|"
    r"条|條|所|套)|[万亿萬億兆]+))"
)
_TEXT = re.compile(r">([^<]+)<")  # the text between two tags
_NOBR = r'<span class="nobr">\1</span>'


def keep_units(text: str, han: bool) -> Markup:
    """Plain text (a title, a summary) as HTML, numbers kept with their units in Han text."""
    html = str(Markup.escape(text))
    return Markup(_NUMBER_UNIT.sub(_NOBR, html) if han else html)


def keep_units_html(html: str) -> str:
    """The same inside HTML: only text between tags changes, never a tag or an attribute."""
    return _TEXT.sub(lambda m: ">" + _NUMBER_UNIT.sub(_NOBR, m[1]) + "<", html)


def headline(title: str, han: bool) -> Markup:
    """A Han headline whose last two characters cannot be split, so that no character is
    left alone on the last line; its numbers stay with their units."""
    if not han or len(title) < 4:
        return keep_units(title, han)
    cut = len(title) - 2
    runs = list(_NUMBER_UNIT.finditer(title))
    last = runs[-1] if runs else None
    if last is not None and last.end() > cut:
        cut = last.start()  # a number and unit across the cut: keep them whole in the tail
    head, tail = title[:cut], title[cut:]
    return Markup('{}<span class="nobr">{}</span>').format(keep_units(head, han), tail)
