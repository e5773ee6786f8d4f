"""The search stage: Pagefind bundle per language, filters, --no-search, reproducibility.

Searching itself is tested in a browser (tests/test_browser.py): Pagefind's query side is
WebAssembly run by its JavaScript.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

import lxml.html
import pytest

from builder import search
from builder.errors import Report
from tests.conftest import BASIC, build_site


def test_one_index_per_language(project_site: Path) -> None:
    entry = json.loads((project_site / "pagefind/pagefind-entry.json").read_text())
    languages = entry["languages"]
    assert list(languages) == ["en", "zh-hans"]  # from <html lang>; sorted by the build
    assert languages["en"]["page_count"] == languages["zh-hans"]["page_count"] == 5
    for info in languages.values():
        assert (project_site / f"pagefind/pagefind.{info['hash']}.pf_meta").is_file()
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-worker.js"):
        assert (project_site / "pagefind" / name).is_file()


def test_only_briefings_are_indexed_with_region_topic_and_year_filters(project_site: Path) -> None:
    doc = lxml.html.fromstring(
        (
            project_site / "zh/briefings/2024/jiangyan-industrialisation-conference/index.html"
        ).read_bytes()
    )
    # The summary and the body are the indexed text; the title, date and topic names are not
    # in it, so a result's excerpt does not repeat them (Pagefind still searches the title).
    body = doc.xpath("//*[@data-pagefind-body]")
    assert [(e.tag, e.get("class")) for e in body] == [("p", "lead"), ("div", "body")]
    assert not doc.xpath("//*[@data-pagefind-body]//h1")
    assert doc.xpath("//h1/@data-pagefind-meta") == ["title"]
    filters = [
        (e.get("data-pagefind-filter"), e.text_content())
        for e in doc.xpath("//article//*[@data-pagefind-filter]")
    ]
    # Each region of the path is a value, written as its path: sorted, they read as a tree.
    assert ("地区:江苏省", "江苏省") in filters
    assert ("地区:江苏省 › 泰州市", "泰州市") in filters
    assert ("地区:江苏省 › 泰州市 › 姜堰区", "姜堰区") in filters
    assert ("主题", "制造业") in filters
    assert ("年份:2024", "2024年4月3日") in filters
    home = (project_site / "zh/index.html").read_text()
    assert "data-pagefind-body" not in home
    # The filter files hold the values, sorted by the build (Pagefind's own order is random).
    meta = {}
    for f in sorted((project_site / "pagefind/filter").glob("zh-hans_*.pf_filter")):
        data = gzip.decompress(f.read_bytes())
        meta[f.name] = data
    assert any("泰州市".encode() in d for d in meta.values())


def test_search_page_loads_pagefind_from_files_only(project_site: Path) -> None:
    doc = lxml.html.fromstring((project_site / "en/search/index.html").read_bytes())
    scripts = doc.xpath("//script")
    assert [s.get("src") for s in scripts] == [
        "../../pagefind/pagefind-ui.js",
        doc.xpath("//script[contains(@src, 'static/search.')]/@src")[0],
    ]
    assert all(not (s.text or "").strip() for s in scripts)  # nothing inline, for the CSP
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert doc.xpath("//label[@for='search-input']")


def test_no_search_builds_no_index_and_no_search_pages(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    code, stdout, _ = cli(
        "build",
        "--root",
        str(BASIC),
        "--templates",
        str(BASIC.parents[2] / "templates"),
        "--out",
        str(out),
        "--no-search",
        "--no-pdf",  # no digest cache written into tests/sites/basic/.cache
    )
    assert code == 0, stdout
    assert not (out / "pagefind").exists()
    assert not (out / "en/search").exists()
    assert "search/" not in (out / "en/index.html").read_text()


def test_index_is_reproducible(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(BASIC, a)
    build_site(BASIC, b)
    files_a = {
        p.relative_to(a): p.read_bytes() for p in sorted((a / "pagefind").rglob("*")) if p.is_file()
    }
    files_b = {
        p.relative_to(b): p.read_bytes() for p in sorted((b / "pagefind").rglob("*")) if p.is_file()
    }
    assert files_a == files_b


def test_a_missing_pagefind_is_a_clear_build_error(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def missing() -> Path:
        raise search.SearchUnavailable("the Pagefind extended binary is missing")

    monkeypatch.setattr(search, "pagefind_binary", missing)
    report = Report(tmp_path)
    assert search.index_pages({"en/index.html": b"<html></html>"}, report, root=tmp_path) == {}
    assert "Pagefind extended binary is missing" in report.lines()[0]


def test_a_killed_runs_copy_of_the_pages_is_removed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind indexes a copy of the pages (164 MB at 20,000 briefings); a build killed with
    SIGKILL cannot delete it. The next index removes copies whose process is gone, keeps a live
    process's copy, and leaves nothing of its own."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = temp / f"{search.SCRATCH_PREFIX}999999999-abc"  # no such process
    (dead / "site" / "en").mkdir(parents=True)
    alive = temp / f"{search.SCRATCH_PREFIX}{os.getppid()}-def"  # the test runner's parent
    alive.mkdir()
    page = (
        b'<!doctype html><html lang="en"><head><title>t</title></head>'
        b"<body><main data-pagefind-body><p>Jiangyan output</p></main></body></html>"
    )
    report = Report(tmp_path)
    bundle = search.index_pages({"en/a/index.html": page}, report, root=tmp_path)
    assert not report.lines()
    assert "pagefind/pagefind-entry.json" in bundle
    assert sorted(p.name for p in temp.iterdir()) == [alive.name]
