"""Benchmark of the PDF digests (a script, not a test): `make bench` or
`.venv/bin/python tests/bench/bench_digests.py [--districts-per-city N] [--briefings N]`.

Generates a synthetic site of 40 regions (1 province, 3 cities, 36 districts) with bilingual
briefings in a temporary folder, builds it twice (cold: empty digest cache; warm: unchanged
inputs) and prints wall time, peak memory (the build process and the largest worker) and pages
per second. Every region has briefings, so each build makes 40 x 2 = 80 digests.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from builder.load import text_hash  # noqa: E402
from builder.pipeline import Options, build  # noqa: E402

CITIES = 3
DISTRICTS_PER_CITY = 12  # 1 + 3 + 36 = 40 regions

PARAGRAPH_EN = (
    "The district government set out its plans for industrial upgrading, new investment "
    "projects and support for innovation in local firms, with targets for the coming year. "
)
PARAGRAPH_ZH = "区政府部署了产业升级、新建投资项目和支持本地企业创新的计划，并提出了来年的目标。"


def make_site(root: Path, briefings_per_district: int) -> int:
    content = root / "content"
    (content / "articles" / "2024").mkdir(parents=True)
    (content / "site.yaml").write_text(
        "title: {en: Bench Briefings, zh: 基准简报}\n"
        "description: {en: Synthetic corpus., zh: 合成语料。}\n"
        "base_url: https://bench.example.org/\n",
        "utf-8",
    )
    (content / "topics.yaml").write_text("industry: {name: {en: Industry, zh: 产业}}\n", "utf-8")
    (content / "indicators.yaml").write_text("output: {name: {en: Output, zh: 产值}}\n", "utf-8")
    regions = ["prov: {name: {en: Province, zh: 某省}, level: province}"]
    count = 0
    for c in range(CITIES):
        name = f"{{en: City {c}, zh: 城市{c}}}"
        regions.append(f"city{c}: {{name: {name}, level: city, parent: prov}}")
        for d in range(DISTRICTS_PER_CITY):
            slug = f"d{c}-{d}"
            regions.append(
                f"{slug}: {{name: {{en: District {c}-{d}, zh: 区{c}-{d}}}, "
                f"level: district, parent: city{c}}}"
            )
            for n in range(briefings_per_district):
                count += 1
                _briefing(content, slug, n, count)
    (content / "regions.yaml").write_text("\n".join(regions) + "\n", "utf-8")
    return count


def _briefing(content: Path, region: str, n: int, count: int) -> None:
    slug = f"{region}-b{n}"
    day = 1 + count % 28
    original = (
        f"---\ntitle: District {region} briefing number {n}\ndate: 2024-03-{day:02d}\n"
        f"region: {region}\ntopics: [industry]\nsummary: A synthetic briefing on {region}.\n"
        f"source: {{title: Source {slug}, published: 2024-03-{day:02d}, "
        f"url: 'https://example.gov.cn/{slug}'}}\n"
        "figures:\n  - {indicator: output, value: 1_000_000_000, unit: cny, kind: target}\n"
        "---\n"
        + "\n\n".join(PARAGRAPH_EN * 3 for _ in range(4))
        + "\n\n## Key points\n\n- One.\n- Two.\n- Three.\n"
    )
    path = content / "articles" / "2024" / f"{slug}.md"
    path.write_text(original, "utf-8")
    translation = (
        f"---\ntitle: {region}第{n}号简报\nsummary: 关于{region}的合成简报。\n"
        f"translated_from: {text_hash(original)}\n---\n"
        + "\n\n".join(PARAGRAPH_ZH * 4 for _ in range(4))
        + "\n\n## 要点\n\n- 一。\n- 二。\n- 三。\n"
    )
    path.with_name(f"{slug}.zh.md").write_text(translation, "utf-8")


def pages_of(folder: Path) -> int:
    total = 0
    for pdf in folder.rglob("*.pdf"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        total += next(int(ln.split()[1]) for ln in info.splitlines() if ln.startswith("Pages:"))
    return total


def run(root: Path, label: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = build(Options(root=root, templates=REPO / "templates"))
    elapsed = time.perf_counter() - started
    assert result.cache is not None
    digests = len(result.cache.hits) + len(result.cache.misses)
    print(
        f"{label}: {elapsed:6.2f} s  {digests} digests "
        f"({len(result.cache.misses)} rendered, {len(result.cache.hits)} from the cache)"
    )
    return elapsed, digests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefings", type=int, default=2, help="briefings per district")
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1717200000")
    tmp = Path(tempfile.mkdtemp(prefix="bench-digests-"))
    try:
        count = make_site(tmp, args.briefings)
        cores = os.cpu_count()
        print(f"synthetic site: 40 regions, {count} briefings x 2 languages, {cores} cores")
        cold, _ = run(tmp, "cold")
        pages = pages_of(tmp / "site" / "digests")
        warm, _ = run(tmp, "warm")
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"pages: {pages}; cold {pages / cold:.1f} pages/s; warm {pages / warm:.1f} pages/s")
        print(f"peak memory: build process {parent:.0f} MB, largest worker {worker:.0f} MB")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
