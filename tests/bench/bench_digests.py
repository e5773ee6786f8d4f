"""Benchmark of the PDF digests (a script, not a test): `make bench` or
`.venv/bin/python tests/bench/bench_digests.py [--provinces N] [--cities N]
[--districts-per-city N] [--briefings N] [--months N]`.

Generates a synthetic site (by default 40 regions: 1 province, 3 cities, 36 districts, with two
bilingual briefings per district, all in March 2024) in a temporary folder, builds it twice
(cold: empty digest cache; warm: unchanged inputs) and prints wall time, pages per second and
peak memory: the build process and every worker (largest, median). The site's digests are per
period (docs/digests.md), so `--months` spreads the briefings over that many months back from
March 2024 and the build makes a digest per region, language and quarter.

The archive of issue 10 (2,016 briefings in 84 districts, 6 provinces, over two years):
    tests/bench/bench_digests.py --provinces 6 --cities 2 --districts-per-city 7 \\
        --briefings 24 --months 24
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from builder import digest_pool  # noqa: E402
from builder.load import text_hash  # noqa: E402
from builder.pipeline import Options, build  # noqa: E402
from builder.progress import ProgressLine  # noqa: E402
from builder.render_pdf import PdfResult  # noqa: E402

CITIES = 3
DISTRICTS_PER_CITY = 12  # 1 + 3 + 36 = 40 regions

PARAGRAPH_EN = (
    "The district government set out its plans for industrial upgrading, new investment "
    "projects and support for innovation in local firms, with targets for the coming year. "
)
PARAGRAPH_ZH = "区政府部署了产业升级、新建投资项目和支持本地企业创新的计划，并提出了来年的目标。"


def make_site(
    root: Path,
    briefings_per_district: int,
    provinces: int = 1,
    cities: int = CITIES,
    districts: int = DISTRICTS_PER_CITY,
    months: int = 1,
) -> int:
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
    regions = []
    count = 0
    for p in range(provinces):
        # one province keeps the names of earlier versions of this script
        prov, pre = ("prov", "") if provinces == 1 else (f"prov{p}", f"p{p}-")
        regions.append(f"{prov}: {{name: {{en: Province {pre}, zh: 某省{pre}}}, level: province}}")
        for c in range(cities):
            name = f"{{en: City {pre}{c}, zh: 城市{pre}{c}}}"
            regions.append(f"{pre}city{c}: {{name: {name}, level: city, parent: {prov}}}")
            for d in range(districts):
                slug = f"{pre}d{c}-{d}"
                regions.append(
                    f"{slug}: {{name: {{en: District {pre}{c}-{d}, zh: 区{pre}{c}-{d}}}, "
                    f"level: district, parent: {pre}city{c}}}"
                )
                for n in range(briefings_per_district):
                    count += 1
                    _briefing(content, slug, n, count, months)
    (content / "regions.yaml").write_text("\n".join(regions) + "\n", "utf-8")
    return count


def _briefing(content: Path, region: str, n: int, count: int, months: int = 1) -> None:
    slug = f"{region}-b{n}"
    day = 1 + count % 28
    back = count % months  # months before March 2024: each district has one briefing a month
    year, month = divmod(2024 * 12 + 2 - back, 12)
    date = f"{year}-{month + 1:02d}-{day:02d}"
    original = (
        f"---\ntitle: District {region} briefing number {n}\ndate: {date}\n"
        f"region: {region}\ntopics: [industry]\nsummary: A synthetic briefing on {region}.\n"
        f"source: {{title: Source {slug}, published: {date}, "
        f"url: 'https://example.gov.cn/{slug}'}}\n"
        "figures:\n  - {indicator: output, value: 1_000_000_000, unit: cny, kind: target}\n"
        "---\n"
        + "\n\n".join(PARAGRAPH_EN * 3 for _ in range(4))
        + "\n\n## Key points\n\n- One.\n- Two.\n- Three.\n"
    )
    path = content / "articles" / str(year) / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
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


WORKERS: list[PdfResult] = []  # every digest rendered, with its worker's peak memory


def _recording(run: Any) -> Any:
    def wrapped(*args: Any, **kw: Any) -> list[PdfResult]:
        results: list[PdfResult] = run(*args, **kw)
        WORKERS.extend(r for r in results if r.peak_rss)
        return results

    return wrapped


def run(root: Path, label: str) -> tuple[float, int]:
    started = time.perf_counter()
    progress = ProgressLine(sys.stderr, every=10.0)
    result = build(Options(root=root, templates=REPO / "templates", progress=progress))
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
    parser.add_argument("--provinces", type=int, default=1)
    parser.add_argument("--cities", type=int, default=CITIES, help="cities per province")
    parser.add_argument("--districts-per-city", type=int, default=DISTRICTS_PER_CITY)
    parser.add_argument("--months", type=int, default=1, help="months the briefings span")
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1717200000")
    # the project's fetched digest fonts, not a download per temporary site
    os.environ.setdefault("BRIEFINGS_FONT_CACHE", str(REPO / ".cache" / "fonts"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-digests-"))
    try:
        count = make_site(
            tmp, args.briefings, args.provinces, args.cities, args.districts_per_city, args.months
        )
        cores = os.cpu_count()
        regions = args.provinces * (1 + args.cities * (1 + args.districts_per_city))
        print(
            f"synthetic site: {regions} regions, {count} briefings x 2 languages over "
            f"{args.months} months, {cores} cores"
        )
        digest_pool.run = _recording(digest_pool.run)  # type: ignore[method-assign]
        cold, _ = run(tmp, "cold")
        pages = pages_of(tmp / "site" / "digests")
        warm, _ = run(tmp, "warm")
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"pages: {pages}; cold {pages / cold:.1f} pages/s; warm {pages / warm:.1f} pages/s")
        print(f"peak memory: build process {parent:.0f} MB, largest worker {worker:.0f} MB")
        if WORKERS:
            peaks = sorted(r.peak_rss / 2**20 for r in WORKERS)
            biggest = max(WORKERS, key=lambda r: r.peak_rss)
            print(
                f"per worker ({len(peaks)} renders): median {statistics.median(peaks):.0f} MB, "
                f"max {peaks[-1]:.0f} MB ({biggest.name}, {biggest.pages} pages)"
            )
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
