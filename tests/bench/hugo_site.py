"""The same synthetic content as a minimal Hugo site, for a side-by-side benchmark.

One page per briefing and translation (English and Chinese as Hugo languages), list pages per
region (a briefing is listed under its region and every ancestor, as here) and per topic through
Hugo taxonomies, paginated lists, Atom/RSS feeds and a sitemap (Hugo makes those by default).
The layouts are minimal but do the work a reader's site needs: title, date, summary and a link
per card, the body and a figures table on a briefing page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

LAYOUTS = Path(__file__).with_name("hugo_layouts")  # single, list and terms pages

CONFIG = """baseURL = "https://bench.example.org/"
title = "Synthetic Briefings"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
paginate = {per_page}
disableKinds = []
[taxonomies]
  region = "regions"
  topic = "topics"
[languages.en]
  contentDir = "content/en"
  weight = 1
[languages.zh]
  contentDir = "content/zh"
  weight = 2
[markup.goldmark.renderer]
  unsafe = false
"""


def _front(text: str) -> tuple[dict[str, object], str]:
    _, head, body = text.split("---\n", 2)
    data = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data, body


def make_hugo_site(content: Path, dest: Path, *, per_page: int = 20) -> int:
    """Write a Hugo site for the synthetic `content` folder into `dest`; returns pages written."""
    regions = yaml.safe_load((content / "regions.yaml").read_text("utf-8"))

    def lineage(slug: str) -> list[str]:
        chain = [slug]
        while regions[chain[-1]].get("parent"):
            chain.append(regions[chain[-1]]["parent"])
        return chain[::-1]

    (dest / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (dest / "config.toml").write_text(CONFIG.format(per_page=per_page), "utf-8")
    for layout in LAYOUTS.glob("*.html"):
        shutil.copyfile(layout, dest / "layouts" / "_default" / layout.name)
    originals: dict[str, dict[str, object]] = {}
    pages = 0
    for path in sorted((content / "articles").rglob("*.md")):
        if path.name.count(".") > 1:
            continue
        data, body = _front(path.read_text("utf-8"))
        slug = path.stem
        originals[slug] = data
        meta = {
            "title": data["title"],
            "date": str(data["date"]),
            "summary": data["summary"],
            "regions": lineage(str(data["region"])),
            "topics": data["topics"],
            "figures": data.get("figures", []),
            "url": f"/briefings/{str(data['date'])[:4]}/{slug}/",
        }
        _write(dest / "content" / "en" / "briefings" / f"{slug}.md", meta, body)
        pages += 1
        zh = path.with_name(f"{slug}.zh.md")
        if zh.is_file():
            zdata, zbody = _front(zh.read_text("utf-8"))
            zmeta = {**meta, "title": zdata["title"], "summary": zdata["summary"]}
            _write(dest / "content" / "zh" / "briefings" / f"{slug}.md", zmeta, zbody)
            pages += 1
    return pages


def _write(path: Path, meta: dict[str, object], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # JSON front-matter: Hugo reads it natively, and it round-trips every value exactly.
    path.write_text(json.dumps(meta, ensure_ascii=False, default=str) + "\n\n" + body, "utf-8")
