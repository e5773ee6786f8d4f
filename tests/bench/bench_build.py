"""Build benchmark: a synthetic corpus of N briefings (half translated) built end to end.

Prints figures; asserts nothing (machines here are shared and noisy: compare runs on one
machine). Usage: .venv/bin/python tests/bench/bench_build.py [N]
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from builder.pipeline import Options, build

PROJECT = Path(__file__).resolve().parents[2]

BODY = (
    "The district set out its plans for the year in a short statement.\n\n"
    "## Key points\n\n"
    + "".join(f"- Point {i} about projects, investment and output targets.\n" for i in range(6))
    + "\n## Context\n\n"
    + "A longer paragraph of context. " * 60
    + "\n"
)
ZH_BODY = "该区发布了年度计划。\n\n## 要点\n\n" + "".join(f"- 第{i}点。\n" for i in range(6))


def make_corpus(root: Path, n: int) -> None:
    content = root / "content"
    shutil.copytree(PROJECT / "content", content, ignore=shutil.ignore_patterns("articles"))
    regions = ["jiangyan", "hailing", "zhangjiagang", "jiaxing", "taizhou-zhejiang"]
    for i in range(n):
        year = 2015 + i % 10
        folder = content / "articles" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        text = (
            f"---\ntitle: Synthetic briefing {i}\ndate: {year}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"region: {regions[i % len(regions)]}\ntopics: [investment, manufacturing]\n"
            f"summary: Synthetic summary number {i}.\nsource:\n  publisher: example.test\n"
            f'  title: "Source {i}"\n  published: {year}-01-01\nfigures:\n'
            f"  - indicator: manufacturing-investment\n    value: {1_000_000 * (i + 1)}\n"
            f"    unit: cny\n    kind: actual\n    period: '{year}'\n---\n{BODY}"
        )
        (folder / f"b{i:05d}.md").write_text(text)
        if i % 2 == 0:
            from builder.load import text_hash

            zh = (
                f"---\ntitle: 合成简报{i}\nsummary: 第{i}篇合成摘要。\n"
                f"translated_from: {text_hash(text)}\n---\n{ZH_BODY}"
            )
            (folder / f"b{i:05d}.zh.md").write_text(zh)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2600
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_corpus(root, n)
        options = Options(root=root, templates=PROJECT / "templates", out=root / "site")
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            result = build(options)
            timings.append(time.perf_counter() - start)
        files = len(result.outputs)
        size = sum(len(b) for b in result.outputs.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = min(timings)
    print(f"briefings: {n} ({n // 2 + n % 2} translated)")
    print(f"output: {files} files, {size / 1e6:.1f} MB")
    print(f"build: best {best:.2f} s, runs {', '.join(f'{t:.2f}' for t in timings)} s")
    print(f"per briefing: {best / n * 1000:.2f} ms; pages per second: {files / best:.0f}")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
