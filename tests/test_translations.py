"""Translations keep every fact of the original: each person the English edition names is named
in the Chinese one (in characters, when the source gives them, else romanised as in the
original), and Chinese text carries no English glosses or pinyin beside its own words.

People are found by form, not by a list: a romanised Chinese name is a common surname followed
by a given name of one or two pinyin syllables ("Sun Liangliang", "Ye Jiansong"). A name is
kept when the Chinese edition has it romanised, or has characters whose pinyin spells it
(pypinyin), so 孙亮亮 keeps "Sun Liangliang" without the test knowing either.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml
from pypinyin import Style, pinyin
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

from tests.conftest import PROJECT

# The commonest Chinese surnames, as pinyin; enough to recognise officials' names in briefings.
_SURNAMES = """Ai Bai Bao Bi Cai Cao Chang Chen Cheng Chu Cui Dai Deng Ding Dong Du Duan Fan
    Fang Feng
    Fu Gao Ge Geng Gong Gu Guan Guo Han Hao He Hong Hou Hu Hua Huang Ji Jia Jiang Jin Kang Kong
    Lai Lan Lei Li Liang Liao Lin Ling Liu Long Lou Lu Luo Ma Mao Mei Meng Miao Mo Ni Nie Niu
    Ou Pan Peng Qi Qian Qiao Qin Qiu Ren Rong Shao Shen Sheng Shi Song Su Sun Tan Tang Tao
    Tian Tong Wan Wang Wei Wen Wu Xia Xiang Xiao Xie Xiong Xu Xue Yan Yang Yao Ye Yi Yin Yu
    Yuan Yue Zeng Zhan Zhang Zhao Zheng Zhong Zhou Zhu Zhuang Zou Zuo"""
SURNAMES = frozenset(_SURNAMES.split())
SYLLABLES = frozenset(to_normal(p) for v in pinyin_dict.values() for p in v.split(","))
# Two pinyin words before one of these are a place or thing, not a person ("Hong Kong city").
PLACE_WORDS = ("province", "city", "district", "county", "river", "lake", "road", "street")
_PAIR = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+)\b(?!\s+(?:" + "|".join(PLACE_WORDS) + r")\b)")
_HAN = re.compile(r"[\u3400-\u9fff]+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9&'’.\-]*(?: [A-Za-z][A-Za-z0-9&'’.\-]*)*")
_GLOSS = re.compile(r"[\u3400-\u9fff”」][（(]\s*([A-Za-z][^（）()]*)[）)]")


def syllables(word: str) -> list[str] | None:
    """A word split into pinyin syllables ('liangliang' -> ['liang', 'liang']), or None."""
    word = word.lower()
    if not word:
        return []
    for end in range(min(6, len(word)), 0, -1):
        if word[:end] in SYLLABLES:
            rest = syllables(word[end:])
            if rest is not None:
                return [word[:end], *rest]
    return None


def people(text: str) -> list[str]:
    """Romanised Chinese personal names in English text, in order of first mention."""
    found = []
    for m in _PAIR.finditer(text):
        surname, given = m.group(1), m.group(2)
        parts = syllables(given)
        if surname in SURNAMES and parts is not None and 1 <= len(parts) <= 2:
            found.append(f"{surname} {given}")
    return list(dict.fromkeys(found))


def names_person(chinese: str, name: str) -> bool:
    """Whether Chinese text names the person: romanised as in the original, or in characters
    whose reading spells the name (any of each character's readings)."""
    if name in chinese:
        return True
    surname, given = name.split(" ")
    wanted = tuple([surname.lower(), *(syllables(given) or [])])
    for run in _HAN.findall(chinese):
        readings = pinyin(run, style=Style.NORMAL, heteronym=True)
        for start in range(len(run) - len(wanted) + 1):
            window = readings[start : start + len(wanted)]
            if wanted in set(itertools.product(*window)):
                return True
    return False


def stray_latin(chinese: str, original: str, places: set[str]) -> list[str]:
    """Latin-script words in Chinese text that should have been translated: glosses in
    brackets after Chinese words, English phrases, and romanised names of places whose
    Chinese names the gazetteer has. Kept: the original's people (no characters given),
    codes with digits (415X), acronyms (GDP) and single romanised names the original uses
    that have no Chinese form here ('Yanzhen' of the Yanzhen Plan)."""
    text = _LINK_TARGET.sub("](…)", chinese)
    problems = [f"gloss ({g})" for g in _GLOSS.findall(text)]
    kept = people(original)
    for run in _LATIN_RUN.findall(_GLOSS.sub("", text)):
        if run in kept or any(c.isdigit() for c in run) or (run.isupper() and len(run) <= 6):
            continue
        if " " not in run and run in original and run not in places:
            continue
        problems.append(run)
    return problems


def _article(path: Path) -> tuple[dict[str, object], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    return meta, f"{meta['title']}\n{meta['summary']}\n{body}"


def _places() -> set[str]:
    regions = yaml.safe_load((PROJECT / "content/regions.yaml").read_text(encoding="utf-8"))
    names = set()
    for entry in regions.values():
        names.add(entry["name"]["en"])
        names.update(a for a in entry.get("aliases", []) if a.isascii())
    return names


TRANSLATIONS = sorted((PROJECT / "content/articles").rglob("*.zh.md"))


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.name)
def test_the_chinese_edition_names_everyone_the_original_names(path: Path) -> None:
    _, original = _article(path.with_name(path.name.replace(".zh.md", ".md")))
    _, chinese = _article(path)
    dropped = [name for name in people(original) if not names_person(chinese, name)]
    assert dropped == []


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.name)
def test_the_chinese_edition_has_no_english_glosses_or_pinyin(path: Path) -> None:
    _, original = _article(path.with_name(path.name.replace(".zh.md", ".md")))
    _, chinese = _article(path)
    assert stray_latin(chinese, original, _places()) == []


def test_the_briefings_name_people_at_all() -> None:
    """The checks above are not vacuous on this content: its originals name six officials
    (Han Wei, Sun Dongliang, Wu Yangang; Sun Liangliang, Qian Jun; Ye Jiansong)."""
    originals = [_article(p.with_name(p.name.replace(".zh.md", ".md")))[1] for p in TRANSLATIONS]
    assert sum(len(people(text)) for text in originals) == 6


# Cases written for these checks (none from the content), the kinds a translator meets.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Party secretary Li Keqiang spoke, then Zhang Wei replied.", ["Li Keqiang", "Zhang Wei"]),
        ("District head Ouyang Hua", []),  # a compound surname is not recognised: no false name
        ("Gao Yuanyuan, deputy mayor, and Ma Jun", ["Gao Yuanyuan", "Ma Jun"]),
        ("Jiangsu province and Taizhou city grew; the Yangtze River Delta too.", []),
        ("Hong Kong city and the Taizhou Industrial Technology Research Institute", []),
        ("New Energy and Smart Grid projects under the Party Secretary", []),
    ],
)
def test_people_are_found_by_the_form_of_their_names(text: str, expected: list[str]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize(
    ("chinese", "name", "named"),
    [
        ("区委书记孙亮亮出席会议。", "Sun Liangliang", True),  # characters, read as pinyin
        ("区委书记 Sun Liangliang 出席会议。", "Sun Liangliang", True),  # romanised
        ("区委书记出席会议。", "Sun Liangliang", False),  # dropped
        ("副厅长叶建松表示", "Ye Jiansong", True),
        ("副厅长叶剑表示", "Ye Jiansong", False),  # another person
    ],
)
def test_a_name_is_kept_in_characters_or_romanised(chinese: str, name: str, named: bool) -> None:
    assert names_person(chinese, name) is named


@pytest.mark.parametrize(
    ("chinese", "problems"),
    [
        (
            "与泰州的产业技术研究院（Taizhou Industrial Technology Research Institute）合作",
            ["gloss (Taizhou Industrial Technology Research Institute)"],
        ),
        ("“Yanzhen计划”培育科技型企业，“415X”集群，GDP增长", []),
        ("副局长 Sun Dongliang 表示", []),
        ("Taizhou市的企业", ["Taizhou"]),  # the gazetteer has 泰州市
        ("会议讨论了 smart manufacturing 的发展", ["smart manufacturing"]),
        ("见[此前简报](../2023/jiangyan-innovation-strategy.md)。", []),
    ],
)
def test_stray_latin_in_chinese_text_is_found(chinese: str, problems: list[str]) -> None:
    original = 'Sun Dongliang said the "Yanzhen Plan" and "415X" would help Taizhou.'
    assert stray_latin(chinese, original, _places()) == problems
