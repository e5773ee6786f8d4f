"""`briefings regions add PLACE`: add a division of China to regions.yaml, with its parents.

The entry (both names, the level, the parent, aliases) comes from the national list, as
`briefings ingest` prints it when an article is about a place the site lacks. The file is
appended to (its comments and order kept), written whole through a temporary file, and read
back through the gazetteer's checks before it replaces the original: nothing half-written.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from builder import atomic
from builder.config import load_site
from builder.errors import Report
from builder.ingest.divisions import english
from builder.ingest.new_region import block, entries, find_division
from builder.regions import load_gazetteer


def add_region(root: Path, query: str, dry_run: bool = False) -> int:
    content = root / "content"
    path = content / "regions.yaml"
    report = Report(root.resolve())
    site = load_site(content, report)
    languages = site.languages if site else []
    gaz = load_gazetteer(content, report, [lang.code for lang in languages] or None)
    if report.errors:
        for line in report.lines():
            print(line, file=sys.stderr)
        return 1
    codes = find_division(query)
    if not codes:
        print(f"briefings: error: no division of China is called '{query}'", file=sys.stderr)
        return 2
    if len(codes) > 1:
        print(
            f"briefings: error: '{query}' names {len(codes)} places; give the code:",
            file=sys.stderr,
        )
        for code in codes:
            print(f"  {code}  {english(code)}", file=sys.stderr)
        return 2
    new = entries(gaz, codes[0], languages)
    if not new:
        print(f"{english(codes[0])} is in regions.yaml already")
        return 0
    text = "".join("\n" + block(slug, entry) for slug, entry in new)
    if dry_run:
        print(text.lstrip("\n"), end="")
        return 0
    old = path.read_text(encoding="utf-8")
    joined = old + ("" if old.endswith("\n") else "\n") + text
    # Check the new file as the build will read it, then swap it in whole.
    with tempfile.TemporaryDirectory() as staging:
        (Path(staging) / "regions.yaml").write_text(joined, encoding="utf-8")
        check = Report(Path(staging))
        load_gazetteer(Path(staging), check, [lang.code for lang in languages])
    if check.errors:
        for line in check.lines():
            print(line, file=sys.stderr)
        return 1
    atomic.write(path, joined.encode("utf-8"), mode=0o644)
    for slug, _ in new:
        print(f"added {slug} to {path}")
    return 0
