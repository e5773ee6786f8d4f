"""The declared schema of every content file, as pydantic models.

These mirror the files exactly (what an editor writes); `model.py` holds the resolved records the
rest of the pipeline uses. Models are strict (no silent coercion of `title: 123` to a string) and
forbid unknown keys, so typos are caught; dates are parsed leniently from ISO strings.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

Lang = Literal["en", "zh"]
LANGUAGES: tuple[Lang, ...] = ("en", "zh")
Level = Literal["province", "city", "district", "county"]
Unit = Literal["cny", "usd", "percent", "count"]
Kind = Literal["target", "actual"]
Qualifier = Literal["over", "about", "under"]

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PERIOD_RE = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|0[1-9]|1[0-2])|\.\.(\d{4}))?$")

Date = Annotated[dt.date, Field(strict=False)]
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


Period = Annotated[str, BeforeValidator(_period_text)]


def _hash_text(value: object) -> object:
    # An all-digit hash such as 012345678901 reads as a YAML integer (losing leading zeros).
    return f"{value:012d}" if isinstance(value, int) and not isinstance(value, bool) else value


Hash = Annotated[str, BeforeValidator(_hash_text), Field(pattern=r"^[0-9a-f]{12}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Localized(_Strict):
    en: Text
    zh: Text

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class DigestSettings(_Strict):
    """`digest:` in site.yaml: limits of the PDF digest workers."""

    timeout_seconds: Annotated[float, Field(gt=0, strict=False)] = 120
    memory_mb: Annotated[int, Field(ge=64)] = 1024
    workers: Annotated[int, Field(ge=0)] = 0  # 0: one per CPU core
    pdf_ua: bool = True  # tagged PDF/UA-1 (see docs/digests.md)
    # The site publishes one digest per region, language and period of this length.
    period: Literal["month", "quarter", "year"] = "quarter"
    max_briefings: Annotated[int, Field(ge=1)] = 40  # the newest this many of a period


class SiteConfig(_Strict):
    title: Localized
    description: Localized
    base_url: Annotated[str, Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?/$")]
    languages: Annotated[list[Lang], Field(min_length=1)] = ["en", "zh"]
    timezone: str = "Asia/Shanghai"
    digest: DigestSettings = DigestSettings()

    @field_validator("languages")
    @classmethod
    def _unique(cls, value: list[Lang]) -> list[Lang]:
        if len(set(value)) != len(value):
            raise ValueError("each language may be listed once")
        return value

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


class Equivalent(_Strict):
    value: int | float
    unit: Unit


class FigureEntry(_Strict):
    indicator: Slug
    value: int | float
    unit: Unit
    kind: Kind
    qualifier: Qualifier | None = None
    period: Period | None = None
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
