"""A site's languages as data: the `languages:` entries of site.yaml and the localized mappings
(`{en: ..., zh: ...}`) validated against them. Nothing about a particular language is written
anywhere else in builder/ or templates/ (docs/languages.md; tests/test_languages.py greps).
"""

from __future__ import annotations

from typing import Annotated

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Localized(RootModel[dict[str, Text]]):
    """A text in each of the site's languages: `{en: ..., zh: ...}`, keyed by language code.

    Validated with the site's languages as context (`load.validate(..., languages=...)`): a
    language the site does not declare, or one of its languages left out, is an error at the
    mapping. Names show on every page, so a silent fallback would put the wrong script in front
    of readers; the editor is told instead (docs/languages.md).
    """

    model_config = ConfigDict(strict=True, frozen=True)

    @model_validator(mode="after")
    def _site_languages(self, info: ValidationInfo) -> Localized:
        languages: list[str] | None = (info.context or {}).get("languages")
        if not languages:
            return self
        unknown = [k for k in self.root if k not in languages]
        if unknown:
            raise ValueError(
                f"'{unknown[0]}' is not one of the site's languages ({', '.join(languages)}); "
                "declare it under languages in site.yaml or remove it"
            )
        missing = [lang for lang in languages if lang not in self.root]
        if missing:
            # Reported as a missing key of the mapping (load.py), like any required field.
            raise PydanticCustomError(
                "missing_language",
                "missing the {language} text",
                {"language": missing[0]},
            )
        return self

    def get(self, lang: str) -> str:
        # Validated mappings hold every language; one read without the site (ingest's
        # catalogues) falls back to its first entry.
        found = self.root.get(lang)
        return found if found is not None else next(iter(self.root.values()))

    def __hash__(self) -> int:
        return hash(tuple(self.root.items()))


CODE_RE = r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$"
# ISO 15924 scripts written with Han characters (ingest tells Han text from Latin by script).
HAN_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Kore"})


class Language(_Strict):
    """One entry of `languages:` in site.yaml: everything the build knows about a language.

    The code names the URL folder (`/zh/`) and the translation files (`beta.zh.md`); the rest
    says how the language is written. Nothing about a language lives in the code or templates
    (docs/languages.md).
    """

    code: Annotated[str, Field(pattern=CODE_RE)]
    locale: Text  # Babel locale: dates, numbers, scale words of amounts (zh_Hans_CN)
    html_lang: Text  # BCP 47 tag for lang= and hreflang (zh-Hans)
    og_locale: Annotated[str, Field(pattern=r"^[a-z]{2,3}_[A-Z]{2}$")]  # OpenGraph (zh_CN)
    name: Localized  # the language's name in each site language; its own is the native name
    list_separator: str = ", "  # between items of a list: topics, regions ('、' in Chinese)
    comma: str = ", "  # between clauses of a sentence ('，')
    colon: str = ": "  # after a label ('：')
    # A region with its parents: smallest first joined by ', ' ("Haidian, Beijing"), or largest
    # first as Chinese addresses are written, without a separator (北京海淀).
    places_largest_first: bool = False
    place_separator: str = ", "
    # The smallest amount written with a scale word (Babel's compact format): English says
    # "24.1 million" but "5,000", Chinese "1.2345万" from ten thousand up.
    compact_from: Annotated[int, Field(ge=1)] = 10_000
    # Han text breaks between any two characters: digests keep a number with its unit and never
    # leave one character of a headline alone (builder/typeset.py).
    keep_units: bool = False
    # Browser language tags (Accept-Language, navigator.languages) that lead to this language,
    # besides its own tags and its locale's: the root page's chooser and the host's redirects.
    browser_tags: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")]] = []

    @field_validator("locale")
    @classmethod
    def _babel(cls, value: str) -> str:
        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError) as exc:
            raise ValueError(
                f"unknown locale '{value}' (use a Babel locale like zh_Hant_TW)"
            ) from exc
        return value

    @property
    def native_name(self) -> str:
        return self.name.get(self.code)

    @property
    def script(self) -> str:
        """The ISO 15924 script the language is written in (Babel's likely subtags)."""
        locale = Locale.parse(self.locale)
        if locale.script:
            return locale.script
        # 'ja' -> 'ja_Jpan_JP'; read the script subtag from the string, since Babel drops a
        # script it has no locale data for when parsing.
        likely = get_global("likely_subtags").get(locale.language, "")
        scripts = [part for part in likely.split("_") if len(part) == 4 and part.istitle()]
        return scripts[0] if scripts else "Latn"

    @property
    def excerpt_words(self) -> int:
        """Words in a search result's excerpt. Pagefind splits Han text into words of one or
        two characters, so its default of 30 stops a Chinese excerpt after one clause."""
        return 60 if self.script in HAN_SCRIPTS else 30

    @property
    def tags(self) -> list[str]:
        """Lowercase language tags a browser may send for this language, most specific first
        ('zh-hans', 'zh-cn', 'zh'): where several languages match, the longest tag wins."""
        locale = Locale.parse(self.locale)
        found = [self.html_lang.lower(), self.code, *self.browser_tags]
        if locale.territory:
            found.append(f"{locale.language}-{locale.territory}".lower())
        found.append(locale.language)
        return sorted(dict.fromkeys(found), key=lambda t: (-t.count("-"), -len(t), t))


def _loc(names: dict[str, str]) -> Localized:
    return Localized(names)


# The defaults of `languages:`, for a site.yaml that leaves it out: English and Simplified
# Chinese, as the project began. These, and tests, are the only place language codes appear.
DEFAULT_LANGUAGES = [
    Language(
        code="en",
        locale="en_GB",
        html_lang="en",
        og_locale="en_GB",
        name=_loc({"en": "English", "zh": "英文"}),
        compact_from=1_000_000,
    ),
    Language(
        code="zh",
        locale="zh_Hans_CN",
        html_lang="zh-Hans",
        og_locale="zh_CN",
        name=_loc({"en": "Chinese", "zh": "中文"}),
        list_separator="、",
        comma="，",
        colon="：",
        places_largest_first=True,
        place_separator="",
        keep_units=True,
    ),
]


def language_codes(data: object) -> list[str] | None:
    """The codes `languages:` declares in raw site.yaml data, for validating the rest of the
    file against them; None when it is not yet a list of entries with codes."""
    if not isinstance(data, dict):
        return None
    entries = data.get("languages")
    if entries is None:
        return [lang.code for lang in DEFAULT_LANGUAGES]
    if not isinstance(entries, list):
        return None
    codes = [e.get("code") for e in entries if isinstance(e, dict)]
    return [c for c in codes if isinstance(c, str)] or None
