"""People with their roles, and topics suggested by the words of the article.

Both are suggestions for the editor, who keeps or deletes them; so the patterns prefer finding
a role with a little extra wording over missing it.
"""

from __future__ import annotations

import re
from collections import Counter

from builder.ingest.names import han_name, latin_name
from builder.model import Topic

_NAME = r"[A-Z][a-z]{1,6} [A-Z][a-z]{1,12}"
_ROLE_WORDS = (
    r"secretary|director|head|mayor|governor|chairman|chairwoman|president|chief|manager|"
    r"minister|commissioner|leader|deputy|general manager|spokesperson|spokesman"
)
# "Sun Liangliang, Party secretary of the district committee," / "said Lu Haifeng, deputy ..."
_NAME_THEN_ROLE = re.compile(
    rf"\b(?P<name>{_NAME}),\s+(?:the\s+)?(?P<role>[^,.;\"”]*?\b(?:{_ROLE_WORDS})\b[^,.;\"”]*?)"
    r"(?=,|\.|;| to \w| while | said| who |$)"
)
# "Deputy Director Ye Jiansong of the Provincial Economic and Information Department"
_ROLE_THEN_NAME = re.compile(
    r"\b(?P<role>(?:(?:Deputy|Vice|Executive|Party)\s+)*(?:Secretary|Director|Mayor|Governor|"
    r"Chairman|Chairwoman|President|Director-General|Head|Minister))\s+"
    rf"(?P<name>{_NAME})"
    r"(?P<org>\s+of\s+the\s+[A-Z][\w’'-]*(?:\s+(?:(?:and|of|for)\s+)?[A-Z][\w’'-]*)*)?"
)
_ZH_ROLE = re.compile(
    r"(?P<role>(?:[\u4e00-\u9fff]{0,6}?(?:市委|区委|县委|省委|党委|市|区|县|省|局|委|厅|办|公司))?"
    r"(?:副)?(?:书记|市长|区长|县长|省长|主任|局长|厅长|董事长|总经理|部长|处长))"
    r"(?P<name>[\u4e00-\u9fff]{2,3}?)(?=[，、。；]|出席|主持|讲话|表示|指出|强调|介绍|参加|说|在|作|对)"
)

# Extra words per topic slug, beyond the topic's own names in topics.yaml.
_TOPIC_WORDS = {
    "industrial-policy": ("policy", "policies", "measures", "plan", "政策", "措施", "意见"),
    "manufacturing": ("manufacturing", "manufacturer", "factory", "industrial", "制造", "工业"),
    "investment": ("investment", "invest", "fund", "投资", "资金", "招商"),
    "innovation": ("innovation", "technological", "research", "创新", "科技", "研发"),
    "major-projects": ("projects", "project", "项目"),
    "digital-economy": ("digital", "data", "online", "platform", "数字", "数据", "智能"),
    "industrial-upgrading": ("upgrading", "transformation", "upgrade", "转型", "升级", "技改"),
}
_MAX_TOPICS = 3


def people(paragraphs: list[str]) -> list[tuple[str, str]]:
    """(name, role) pairs in order of first mention, each person once."""
    seen: dict[str, str] = {}
    for text in paragraphs:
        for m in _NAME_THEN_ROLE.finditer(text):
            seen.setdefault(m.group("name"), m.group("role").strip())
        for m in _ROLE_THEN_NAME.finditer(text):
            role = m.group("role") + (m.group("org") or "")
            seen.setdefault(m.group("name"), role.strip())
        for m in _ZH_ROLE.finditer(text):
            seen.setdefault(m.group("name"), m.group("role"))
    return list(seen.items())


def _count(word: str, text: str) -> int:
    if re.search(r"[\u4e00-\u9fff]", word):
        return text.count(word)
    return len(re.findall(rf"(?<![a-z]){re.escape(word.lower())}(?![a-z])", text))


def suggest_topics(topics: dict[str, Topic], title: str, paragraphs: list[str]) -> list[str]:
    """At most a few topic slugs, the most-mentioned first; title words count double."""
    body = " ".join(paragraphs).lower()
    head = title.lower()
    scores: Counter[str] = Counter()
    for slug, topic in topics.items():
        words = {latin_name(topic.name).lower(), han_name(topic.name), *_TOPIC_WORDS.get(slug, ())}
        for word in words:
            scores[slug] += _count(word, body) + 2 * _count(word, head)
    ranked = [s for s, n in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 2]
    return ranked[:_MAX_TOPICS]
