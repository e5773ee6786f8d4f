"""The declared schema of every content file, as pydantic models.

These mirror the files exactly (what an editor writes); `model.py` holds the resolved records the
rest of the pipeline uses. Models are strict (no silent coercion of `title: 123` to a string) and
forbid unknown keys, so typos are caught; dates are parsed leniently from ISO strings.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zoneinfo
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from builder.languages import DEFAULT_LANGUAGES, Language, Localized

Level = Literal["province", "city", "district", "county"]
Unit = Literal["cny", "usd", "percent", "count"]
Kind = Literal["target", "actual"]
Qualifier = Literal["over", "about", "under"]

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PERIOD_RE = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|0[1-9]|1[0-2])|\.\.(\d{4}))?$")


def _date_text(value: object) -> object:
    # pydantic would read 1717200000 (or "1717200000") as a Unix timestamp; only YYYY-MM-DD is
    # the documented form, so anything else is an error rather than a surprising date.
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+(\.\d*)?\s*", value):
        raise ValueError(f"'{value}' is not a date written YYYY-MM-DD")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"{value} is a number, not a date written YYYY-MM-DD")
    return value


Date = Annotated[dt.date, BeforeValidator(_date_text), Field(strict=False)]

# Larger than any economic figure (China's GDP is ~1.3e14 yuan) and exactly representable as a
# float: anything beyond is a typo, and the number formatter's Decimal arithmetic would overflow.
MAX_VALUE = 10**15


def _finite(value: int | float) -> int | float:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a value must be a finite number (not .nan or .inf)")
    if abs(value) >= MAX_VALUE:
        raise ValueError("a value must be below 10^15 (1,000 trillion): check the digits")
    return value


Value = Annotated[int | float, AfterValidator(_finite)]
Slug = Annotated[str, Field(pattern=SLUG_RE)]
Text = Annotated[str, Field(min_length=1)]


def _period_text(value: object) -> object:
    # `period: 2024` is an int in YAML; editors should not have to quote a plain year.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _check_period(value: str) -> str:
    m = PERIOD_RE.match(value)
    if not m:
        raise ValueError("period must look like 2024, 2024-Q1, 2024-H1, 2024-07 or 2021..2023")
    if m.group(3) and int(m.group(3)) <= int(m.group(1)):
        raise ValueError("a period range must end after it starts")
    return value


PeriodText = Annotated[str, BeforeValidator(_period_text)]


def _hash_text(value: object) -> object:
    # An all-digit hash such as 012345678901 reads as a YAML integer (losing leading zeros).
    return f"{value:012d}" if isinstance(value, int) and not isinstance(value, bool) else value


Hash = Annotated[str, BeforeValidator(_hash_text), Field(pattern=r"^[0-9a-f]{12}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


ADDRESS_RE = re.compile(
    r"^(?!\.)(?!.*\.\.)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}(?<!\.)"
    r"@(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)
ADDRESS_HINT = "write a plain address like name@example.org, without a display name"


def check_address(value: str) -> str:
    """An email address as SMTP carries it: ASCII addr-spec with a dotted domain, nothing else
    (no display name, no spaces, no line breaks that could start a new header)."""
    if not ADDRESS_RE.match(value):
        raise ValueError(f"'{value}' is not a valid email address")
    return value


class MailSettings(_Strict):
    """`mail:` in site.yaml: how `briefings mail` reaches the SMTP server (docs/mail.md).

    No user or password here: they come from BRIEFINGS_SMTP_USER / BRIEFINGS_SMTP_PASSWORD, so
    site.yaml can be committed. Every setting can be overridden by a BRIEFINGS_SMTP_* variable.
    """

    host: Text = "localhost"
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    security: Literal["starttls", "tls", "none"] = "none"
    sender: str | None = None  # the From address; required to send
    sender_name: Localized | None = None  # default: the site title in the recipient's language
    unsubscribe: str | None = None  # where List-Unsubscribe and replies go; default: sender
    rate_per_minute: Annotated[float, Field(gt=0, strict=False)] | None = None
    timeout_seconds: Annotated[float, Field(gt=0, strict=False)] = 30
    retries: Annotated[int, Field(ge=0, le=10)] = 4
    retry_delay_seconds: Annotated[float, Field(ge=0, le=60, strict=False)] = 2

    # Declared only to be refused where they are written: secrets stay out of committed files.
    user: str | None = None
    password: str | None = None

    @field_validator("sender", "unsubscribe")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        return None if value is None else check_address(value)

    @field_validator("user")
    @classmethod
    def _no_user(cls, value: str | None) -> None:
        raise ValueError("never write the user here: set BRIEFINGS_SMTP_USER")

    @field_validator("password")
    @classmethod
    def _no_password(cls, value: str | None) -> None:
        raise ValueError("never write the password here: set BRIEFINGS_SMTP_PASSWORD")


class DigestSettings(_Strict):
    """`digest:` in site.yaml: limits of the PDF digest workers."""

    timeout_seconds: Annotated[float, Field(gt=0, strict=False)] = 120
    memory_mb: Annotated[int, Field(ge=64)] = 1024
    workers: Annotated[int, Field(ge=0)] = 0  # 0: one per CPU core
    pdf_ua: bool = True  # tagged PDF/UA-1 (see docs/digests.md)
    # The site publishes one digest per region, language and period of this length.
    period: Literal["month", "quarter", "year"] = "quarter"
    max_briefings: Annotated[int, Field(ge=1)] = 40  # the newest this many of a period


class ImageSettings(_Strict):
    """`images:` in site.yaml (the image rule: builder/images.py)."""

    remote: bool = False  # allow http(s) images in bodies (the site links them; digests omit)


class SiteConfig(_Strict):
    title: Localized
    description: Localized
    base_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?/$")]
    mail: MailSettings = MailSettings()  # `briefings mail` (docs/mail.md)
    # The first is the default: the root page's fallback, and the language of originals.
    languages: Annotated[list[Language], Field(min_length=1)] = DEFAULT_LANGUAGES
    timezone: str = "Asia/Shanghai"
    digest: DigestSettings = DigestSettings()
    images: ImageSettings = ImageSettings()

    @field_validator("languages")
    @classmethod
    def _unique(cls, value: list[Language]) -> list[Language]:
        codes = [lang.code for lang in value]
        if len(set(codes)) != len(codes):
            raise ValueError("each language may be listed once")
        return value

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone '{value}' (use a name like Asia/Shanghai)"
            ) from exc
        return value


class RegionEntry(_Strict):
    name: Localized
    level: Level
    parent: Slug | None = None
    aliases: list[Text] = []


class TopicEntry(_Strict):
    name: Localized
    description: Localized | None = None


class IndicatorEntry(_Strict):
    name: Localized
    # For figures with `unit: count`: what is counted, per language ({en: projects, zh: 个}),
    # so a count reads "20 projects" / "20个" rather than a bare number.
    counted: Localized | None = None
    # The noun for a count of one where a language has that form ({en: project, zh: 个}); a
    # language's plural rules (Babel) decide when it applies, so Chinese never uses it.
    counted_one: Localized | None = None

    @field_validator("counted_one")
    @classmethod
    def _one_with_counted(cls, value: Localized | None, info: ValidationInfo) -> Localized | None:
        if value is not None and info.data.get("counted") is None:
            raise ValueError("counted_one needs counted: give the noun for other counts too")
        return value


class Equivalent(_Strict):
    value: Value
    unit: Unit


class FigureEntry(_Strict):
    indicator: Slug
    value: Value
    unit: Unit
    kind: Kind
    qualifier: Qualifier | None = None
    period: PeriodText | None = None
    equivalent: Equivalent | None = None

    @field_validator("period")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        return None if value is None else _check_period(value)


class SourceEntry(_Strict):
    title: Text
    published: Date
    publisher: Text | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None


class BriefingFront(_Strict):
    """Front-matter of an original briefing (`<slug>.md`)."""

    title: Text
    date: Date
    region: Slug
    topics: Annotated[list[Slug], Field(min_length=1)]
    summary: Text
    source: SourceEntry
    figures: list[FigureEntry] = []
    draft: bool = False


# Fields a translation inherits and may not change.
NEUTRAL_FIELDS = ("date", "region", "topics", "source", "figures")


class TranslationFront(_Strict):
    """Front-matter of a translation (`<slug>.<lang>.md`): text only, plus the original's hash."""

    title: Text
    summary: Text
    translated_from: Hash
    draft: bool = False
    # Tolerated only when equal to the original's (checked in load.py).
    date: Date | None = None
    region: Slug | None = None
    topics: list[Slug] | None = None
    source: SourceEntry | None = None
    figures: list[FigureEntry] | None = None
