"""Languages: gettext catalogs (kept with Babel) and locale formatting of dates, periods, figures.

UI strings live in `templates/locale/<lang>/LC_MESSAGES/messages.po`. They are compiled in memory
at build time, so no compiled `.mo` file can go stale; `make i18n` extracts and updates them.
Amounts are formatted exactly (no rounding) in each language's own scale words, from Babel's
compact decimal formats: 100 billion yuan in English is 1000亿元 in Chinese, because Chinese
counts in 万 (10^4) and 亿 (10^8), and 1000億元 in Traditional Chinese. What differs between
languages is data (schema.Language, from site.yaml), never a branch here.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal

from builder import files
from builder.errors import Report
from builder.languages import Language
from builder.model import Figure
from builder.schema import PERIOD_RE

# Enough fraction digits that no amount an editor writes is rounded (values stay below 10^15).
_EXACT = 15


@functools.lru_cache(maxsize=4096)
def _long_date(value: dt.date, locale: str) -> str:
    # Babel's formatting is slow and the same dates recur on every list page.
    return format_date(value, format="long", locale=_locale(locale))


def catalog_path(templates: Path, lang: str) -> Path:
    return templates / "locale" / lang / "LC_MESSAGES" / "messages.po"


def load_translations(
    templates: Path, language: Language, report: Report
) -> gettext.NullTranslations:
    """The language's catalog compiled in memory (fuzzy entries are left out, as msgfmt does)."""
    lang = language.code
    path = catalog_path(templates, lang)
    if not path.exists() and not path.is_symlink():
        report.error(
            path,
            1,
            1,
            f"missing message catalog for '{lang}'",
            "run 'make i18n' and translate the new entries",
        )
        return gettext.NullTranslations()
    try:
        data = files.read_bytes(path, (report.root, templates), files.TEXT_LIMIT)
        key = (language.locale, data)
        compiled = _COMPILED.get(path)
        if compiled is not None and compiled[0] == key:
            return gettext.GNUTranslations(io.BytesIO(compiled[1]))
        catalog = read_po(io.BytesIO(data), locale=language.locale, abort_invalid=True)
    except files.Unreadable as exc:
        report.error(path, 1, 1, exc.message, exc.hint)
        return gettext.NullTranslations()
    except Exception as exc:  # babel raises PoFileError or ValueError with a line number inside
        report.error(path, getattr(exc, "lineno", 1) or 1, 1, f"invalid catalog: {exc}")
        return gettext.NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, catalog)
    _COMPILED[path] = (key, buf.getvalue())
    buf.seek(0)
    return gettext.GNUTranslations(buf)


# The last catalog compiled from each file, by its text: the preview renders after every save,
# and compiling the .po files again took a tenth of a save's rebuild.
_COMPILED: dict[Path, tuple[tuple[str, bytes], bytes]] = {}


@dataclass(frozen=True)
class Formatter:
    """Everything language-specific a template needs, for one language."""

    language: Language
    translations: gettext.NullTranslations
    # Formatted figures: the same figure shows on its briefing page and on a list page of each
    # region above it, and Babel's number formatting is the slow part of a key-figures table.
    _figures: dict[Figure, str] = field(default_factory=dict, compare=False, repr=False)
    # Amounts by (repr of the value, unit): chart ticks and dollar equivalents repeat across
    # figures, and Babel's compact formatting costs ~85 µs a call. The repr keeps 5 and 5.0
    # apart (equal as keys, but formatted differently).
    _amounts: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def lang(self) -> str:
        return self.language.code

    @property
    def locale(self) -> str:
        return self.language.locale

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: dt.date) -> str:
        return _long_date(value, self.locale)

    def date_range(self, start: dt.date, end: dt.date) -> str:
        """A span of days in CLDR's own interval pattern ('Mar 1 - 31, 2024' in English)."""
        return format_interval(start, end, "yMMMd", locale=_locale(self.locale))

    def year(self, year: int) -> str:
        return self.gettext("%(year)s") % {"year": year}

    def number(self, value: int | float | Decimal) -> str:
        return format_decimal(value, locale=_locale(self.locale), decimal_quantization=False)

    def amount(self, value: int | float, unit: str) -> str:
        """A value with its unit: '100 billion yuan' / '1000亿元', '$13.82 billion', '24.1%'."""
        key = (repr(value), unit)
        found = self._amounts.get(key)
        if found is None:
            found = self._amounts[key] = self._amount(value, unit)
        return found

    def _amount(self, value: int | float, unit: str) -> str:
        if unit == "percent":
            return self.number(value) + "%"
        if unit == "count":
            return self.number(value)
        scaled = self._scaled(value)
        if unit == "usd":
            return self.gettext("$%(amount)s") % {"amount": scaled}
        return self.gettext("%(amount)s yuan") % {"amount": scaled}

    def _scaled(self, value: int | float) -> str:
        exact = Decimal(str(value))
        if abs(exact) < self.language.compact_from:
            return self.number(exact)
        return _compact(exact, self.locale)

    def plural_form(self, value: int | float) -> str:
        """The language's plural category of a number: "one", "other", … (CLDR, via Babel)."""
        return _plural_form(self.locale)(value)

    def figure_value(self, fig: Figure) -> str:
        text = self.amount(fig.value, fig.unit)
        if fig.unit == "count" and fig.counted is not None:
            # How a count joins its noun is the catalog's: "20 projects", "20个".
            noun = fig.counted
            if fig.counted_one is not None and self.plural_form(fig.value) == "one":
                noun = fig.counted_one
            text = self.gettext("%(count)s %(counted)s") % {
                "count": text,
                "counted": noun.get(self.lang),
            }
        if fig.qualifier == "over":
            text = self.gettext("over %(amount)s") % {"amount": text}
        elif fig.qualifier == "about":
            text = self.gettext("about %(amount)s") % {"amount": text}
        elif fig.qualifier == "under":
            text = self.gettext("under %(amount)s") % {"amount": text}
        return text

    def figure_full(self, fig: Figure) -> str:
        """The value with the converted amount the source gave: 'x (y)' / 'x（y）'."""
        found = self._figures.get(fig)
        if found is None:
            found = self._figures[fig] = self._figure_full(fig)
        return found

    def _figure_full(self, fig: Figure) -> str:
        value = self.figure_value(fig)
        if fig.equivalent_value is None or fig.equivalent_unit is None:
            return value
        amount = self.amount(fig.equivalent_value, fig.equivalent_unit)
        return self.gettext("%(value)s (%(amount)s)") % {"value": value, "amount": amount}

    def kind(self, kind: str) -> str:
        return self.gettext("Target") if kind == "target" else self.gettext("Actual")

    def period(self, period: str | None) -> str:
        if not period:
            return "—"
        m = PERIOD_RE.match(period)
        if not m:
            return period
        year, part, end = m.group(1), m.group(2), m.group(3)
        if end:
            return self.gettext("%(start)s–%(end)s") % {"start": year, "end": end}
        if part is None:
            return self.year(int(year))
        if part.startswith("Q"):
            quarters = {
                "Q1": self.gettext("Q1 %(year)s"),
                "Q2": self.gettext("Q2 %(year)s"),
                "Q3": self.gettext("Q3 %(year)s"),
                "Q4": self.gettext("Q4 %(year)s"),
            }
            return quarters[part] % {"year": year}
        if part.startswith("H"):
            halves = {"H1": self.gettext("H1 %(year)s"), "H2": self.gettext("H2 %(year)s")}
            return halves[part] % {"year": year}
        month = dt.date(int(year), int(part), 1)
        return format_skeleton("yMMMM", month, locale=_locale(self.locale))

    def region_level(self, level: str) -> str:
        names = {
            "province": self.gettext("Province"),
            "city": self.gettext("City"),
            "district": self.gettext("District"),
            "county": self.gettext("County-level city or county"),
        }
        return names[level]

    @property
    def html_lang(self) -> str:
        return self.language.html_lang


@functools.lru_cache(maxsize=64)
@functools.cache
def _plural_form(locale: str) -> Callable[[int | float], str]:
    from babel import Locale

    rule: Callable[[int | float], str] = Locale.parse(locale).plural_form
    return rule


@functools.cache
def _locale(locale: str) -> Locale:
    """The parsed locale: Babel's functions parse a locale name again on every call, a third of
    the time of formatting a figure."""
    return Locale.parse(locale)


@functools.cache
def _compact_type(locale: str) -> Literal["long", "short"]:
    """'long' scale words where the locale has them ('29.03 billion'), else 'short' (Chinese
    and Japanese write their scale characters the same in both: '290.3亿')."""
    return "long" if "long" in _locale(locale).compact_decimal_formats else "short"


def _compact(value: Decimal, locale: str) -> str:
    return format_compact_decimal(
        value, format_type=_compact_type(locale), locale=_locale(locale), fraction_digits=_EXACT
    )
