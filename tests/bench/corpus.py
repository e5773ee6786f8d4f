"""A deterministic synthetic archive of any size, for benchmarks (shared by every bench script).

`make_corpus(root, n, seed=...)` writes `root/content/` (site.yaml, regions.yaml, topics.yaml,
indicators.yaml and `articles/<year>/*.md`): the same seed and size always give the same bytes.
Its shape follows the archive editors actually keep, scaled linearly with `n`:

- regions at three levels: one province per ~700 briefings (at least 3), a city per ~100 and a
  district per ~25 (2,000 briefings: 3 provinces, 20 cities, 80 districts);
- 14 topics, each briefing in 1-3 of them; 8 indicators, 1-4 figures per briefing;
- 30 % of the briefings translated into Chinese (`<slug>.zh.md`, `translated_from` current);
- bodies of ~400-700 words with headings, lists, a figures table and links to earlier briefings
  by content path (the way editors link), so link resolution is exercised too.

The text is generated from a small vocabulary (no source article is copied). Use
`edit_briefing` for the "one save" step of a benchmark: it changes a title and body in place.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

TOPICS = [
    ("industrial-policy", "Industrial policy", "产业政策"),
    ("manufacturing", "Manufacturing", "制造业"),
    ("investment", "Investment", "投资"),
    ("innovation", "Innovation", "科技创新"),
    ("major-projects", "Major projects", "重大项目"),
    ("digital-economy", "Digital economy", "数字经济"),
    ("industrial-upgrading", "Industrial upgrading", "转型升级"),
    ("new-energy", "New energy", "新能源"),
    ("biomedicine", "Biomedicine", "生物医药"),
    ("logistics", "Logistics", "物流"),
    ("trade", "Foreign trade", "外贸"),
    ("talent", "Talent", "人才"),
    ("finance", "Finance", "金融"),
    ("agriculture", "Modern agriculture", "现代农业"),
]
INDICATORS = [
    ("manufacturing-output", "Annual manufacturing output", "制造业年产值", "cny"),
    ("fixed-asset-investment", "Fixed-asset investment", "固定资产投资", "cny"),
    ("industrial-investment", "Industrial investment", "工业投资", "cny"),
    ("project-starts", "Projects started", "新开工项目", "count"),
    ("high-tech-firms", "High-tech enterprises", "高新技术企业", "count"),
    ("rd-spending", "R&D spending", "研发投入", "cny"),
    ("foreign-investment", "Foreign investment used", "实际使用外资", "usd"),
    ("output-growth", "Output growth", "产值增长", "percent"),
]
WORDS = [
    "district",
    "government",
    "plan",
    "industrial",
    "park",
    "investment",
    "project",
    "output",
    "target",
    "firms",
    "innovation",
    "platform",
    "upgrading",
    "supply",
    "chain",
    "cluster",
    "equipment",
    "factory",
    "capacity",
    "export",
    "talent",
    "programme",
    "funding",
    "policy",
    "support",
    "council",
    "annual",
    "review",
    "land",
    "services",
    "approval",
    "digital",
    "smart",
    "grid",
    "battery",
    "component",
    "logistics",
    "port",
    "research",
    "laboratory",
    "university",
]
ZH_WORDS = [
    "区政府",
    "计划",
    "产业园",
    "投资",
    "项目",
    "产值",
    "目标",
    "企业",
    "创新",
    "平台",
    "升级",
    "供应链",
    "集群",
    "设备",
    "工厂",
]
FIRST_YEAR = 2015
YEARS = 10  # 2015-2024: every date is in the past, so no briefing is held back as future


@dataclass(frozen=True)
class Corpus:
    root: Path
    briefings: int
    translations: int
    regions: int
    files: int
    newest: Path  # the newest original: first on every list page and feed that holds it
    newest_url: str  # its English page


def _slug(i: int) -> str:
    return f"b{i:06d}"


def _regions(n: int) -> tuple[list[str], list[tuple[str, str]]]:
    """regions.yaml lines, and (district slug, city slug) of every district."""
    provinces = max(3, n // 700)
    cities = max(provinces, n // 100)
    districts = max(cities, n // 25)
    lines: list[str] = []
    for p in range(provinces):
        lines.append(f"p{p}: {{name: {{en: Province {p}, zh: 省{p}}}, level: province}}")
    for c in range(cities):
        lines.append(
            f"c{c}: {{name: {{en: City {c}, zh: 市{c}}}, level: city, parent: p{c % provinces}}}"
        )
    leaves = []
    for d in range(districts):
        city = f"c{d % cities}"
        lines.append(
            f"d{d}: {{name: {{en: District {d}, zh: 区{d}}}, level: district, parent: {city}}}"
        )
        leaves.append((f"d{d}", city))
    return lines, leaves


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, i: int, year: int, earlier: list[tuple[int, int]]) -> str:
    parts = [" ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(4))]
    parts.append("## Key points")
    parts.append("\n".join(f"- {_sentence(rng, rng.randint(6, 12))}" for _ in range(5)))
    parts.append("## Figures in context")
    rows = [
        f"| {rng.choice(WORDS).title()} | {rng.randint(1, 900)} "
        f"| {FIRST_YEAR + rng.randrange(YEARS)} |"
        for _ in range(4)
    ]
    parts.append("| Item | Value | Year |\n| --- | ---: | --- |\n" + "\n".join(rows))
    if earlier:
        j, jyear = earlier[rng.randrange(len(earlier))]
        rel = f"{_slug(j)}.md" if jyear == year else f"../{jyear}/{_slug(j)}.md"
        parts.append(f"This follows [an earlier briefing]({rel}) on the same programme.")
    for _ in range(rng.randint(3, 6)):
        parts.append(" ".join(_sentence(rng, rng.randint(10, 20)) for _ in range(5)))
    return "\n\n".join(parts) + "\n"


def _figures(rng: random.Random, year: int) -> str:
    out = ["figures:"]
    for slug, _en, _zh, unit in rng.sample(INDICATORS, rng.randint(1, 4)):
        value = rng.randint(1, 900) * (10 ** rng.randint(6, 10) if unit in ("cny", "usd") else 1)
        kind = rng.choice(["target", "actual"])
        out.append(
            f"  - {{indicator: {slug}, value: {value}, unit: {unit}, kind: {kind}, "
            f"period: '{year}'}}"
        )
    return "\n".join(out) + "\n"


def make_corpus(root: Path, n: int, *, seed: int = 13, translated: float = 0.3) -> Corpus:
    """Write a synthetic site of `n` briefings under `root/content`; deterministic per seed."""
    rng = random.Random(seed)
    content = root / "content"
    articles = content / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(
        "title: {en: Synthetic Briefings, zh: 合成简报}\n"
        "description: {en: A synthetic archive for benchmarks., zh: 用于基准测试的合成档案。}\n"
        "base_url: https://bench.example.org/\ntimezone: Asia/Shanghai\n",
        "utf-8",
    )
    (content / "topics.yaml").write_text(
        "".join(f"{s}: {{name: {{en: {en}, zh: {zh}}}}}\n" for s, en, zh in TOPICS), "utf-8"
    )
    (content / "indicators.yaml").write_text(
        "".join(f"{s}: {{name: {{en: {en}, zh: {zh}}}}}\n" for s, en, zh, _u in INDICATORS),
        "utf-8",
    )
    region_lines, districts = _regions(n)
    (content / "regions.yaml").write_text("\n".join(region_lines) + "\n", "utf-8")
    earlier: list[tuple[int, int]] = []
    files = 4
    translations = 0
    newest: tuple[str, int, Path] | None = None  # (date, -number, path): the site's order
    for i in range(n):
        year = FIRST_YEAR + i * YEARS // n  # later numbers are newer: links point back in time
        month, day = 1 + rng.randrange(12), 1 + rng.randrange(28)
        # A few briefings sit on a city or a province, as round-ups do.
        district, city = districts[rng.randrange(len(districts))]
        region = district if rng.random() < 0.9 else city
        topics = ", ".join(s for s, _en, _zh in rng.sample(TOPICS, rng.randint(1, 3)))
        folder = articles / str(year)
        folder.mkdir(exist_ok=True)
        original = (
            f"---\ntitle: {_sentence(rng, rng.randint(5, 9))[:-1]} ({_slug(i)})\n"
            f"date: {year}-{month:02d}-{day:02d}\nregion: {region}\ntopics: [{topics}]\n"
            f"summary: {_sentence(rng, rng.randint(14, 24))}\n"
            f"source:\n  publisher: gov{rng.randrange(50)}.example.cn\n"
            f"  title: Source {i}\n  published: {year}-{month:02d}-{day:02d}\n"
            f"  url: https://gov.example.cn/{i}\n"
            + _figures(rng, year)
            + "---\n"
            + _body(rng, i, year, earlier)
        )
        path = folder / f"{_slug(i)}.md"
        path.write_text(original, "utf-8")
        stamp_date = f"{year}-{month:02d}-{day:02d}"
        if newest is None or (stamp_date, -i) > newest[:2]:
            newest = (stamp_date, -i, path)
        files += 1
        if rng.random() < translated:
            stamp = hashlib.sha256(original.encode("utf-8")).hexdigest()[:12]
            zh_body = "\n\n".join(
                "".join(rng.choice(ZH_WORDS) for _ in range(40)) + "。" for _ in range(6)
            )
            path.with_name(f"{_slug(i)}.zh.md").write_text(
                f"---\ntitle: 合成简报{i}\nsummary: 第{i}篇合成简报的摘要。\n"
                f"translated_from: {stamp}\n---\n## 要点\n\n{zh_body}\n",
                "utf-8",
            )
            files += 1
            translations += 1
        earlier.append((i, year))
        if len(earlier) > 200:
            earlier = earlier[-200:]
    assert newest is not None
    url = f"/en/briefings/{newest[0][:4]}/{_slug(-newest[1])}/"
    return Corpus(root, n, translations, len(region_lines), files, newest[2], url)


def edit_briefing(path: Path, marker: str) -> str:
    """Save a changed version of a briefing: `marker` appended to its title; returns the title."""
    text = path.read_text("utf-8")
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if line.startswith("title: "):
            base = line[len("title: ") :].split(" [")[0]
            lines[k] = f"title: {base} [{marker}]"
            path.write_text("\n".join(lines), "utf-8")
            return lines[k][len("title: ") :]
    raise ValueError(f"{path} has no title line")
