"""The preview after a save serves, over HTTP, exactly what a cold `briefings build` of the same
sources makes: the incremental path (a briefing saved) and the whole build (a template, a
catalog saved) alike. A real server, real saves seen through inotify, real HTTP on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.preview_http import LIVE_SCRIPT
from tests.servehelp import BRIEFING, BRIEFING_URL, Server, copy_site, edit

EN = BRIEFING_URL.format(lang="en")
OTHER = Path("content/articles/2023/jiangyan-innovation-strategy.md")

# (file, old, new, the page that shows the save, what it then shows, incremental)
MACROS = "templates/_macros.html"
REGIONS = "content/regions.yaml"
SUZHOU = "/en/regions/jiangsu/suzhou-jiangsu/"
PROJECTS = "/en/topics/major-projects/"
SAVES = [
    (BRIEFING, "Hailing sets out", "Hailing lays out", EN, "Hailing lays out", True),
    # moves the briefing to another district of another city: region lists, counts, feeds
    (BRIEFING, "region: hailing", "region: zhangjiagang", SUZHOU, "Hailing lays out", True),
    # an earlier date in the same year: the order of every list that holds it
    (BRIEFING, "date: 2024-02-21", "date: 2024-01-05", EN, "2024-01-05", True),
    (OTHER, "topics: [", "topics: [major-projects, ", PROJECTS, "Jiangyan", True),
    (MACROS, '<ul class="cards">', '<ul class="cards x">', PROJECTS, "cards x", False),
    (REGIONS, "en: Zhangjiagang", "en: Zhangjiagang City", EN, "Zhangjiagang City", False),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "project")


@pytest.fixture
def server(project: Path) -> Iterator[Server]:
    srv = Server(project)
    yield srv
    srv.stop()


def _cold(project: Path, where: Path) -> dict[str, bytes]:
    """A cold build of the preview's sources (drafts in, as the preview has them)."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(project / "content", where / "content")
    shutil.copytree(project / "templates", where / "templates")
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "--root", str(where), "--drafts", "--no-pdf"],
        check=True,
        capture_output=True,
    )
    site = where / "site"
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != ".briefings-build"
    }


def test_every_served_file_equals_a_cold_build_after_each_save(
    server: Server, project: Path, tmp_path: Path
) -> None:
    for file, old, new, page, shown, incremental in SAVES:
        assert shown not in server.get(page).body  # so the wait below waits for this save
        start = len(server.lines)
        edit(project / file, old, new)
        server.wait_for_page(page, shown)
        built = server.wait_for_line(r"built \d+ files in \d+ ms \(.*\)", start)
        assert ("whole build" not in built[0]) == incremental, (file, built[0])
        # The saved briefing's own pages were served before the rest of the incremental rebuild.
        early = [line for line in server.lines[start:] if line.startswith("saved page ready in")]
        assert len(early) == (1 if incremental else 0), (file, server.lines[start:])
        expected = _cold(project, tmp_path / "cold")
        compared = 0
        for name, data in expected.items():
            if name.startswith("pagefind/"):
                continue  # the index is made after the pages, on its own thread
            r = server.get("/" + name)
            assert r.status == 200, f"{name} after saving {file}"
            got = r.data.replace(LIVE_SCRIPT, b"", 1) if name.endswith(".html") else r.data
            assert got == data, f"{name} differs from a cold build after saving {file}"
            compared += 1
        assert compared > 80, compared
        if new == "region: zhangjiagang":  # Hailing's only briefing left: its pages went too
            for gone in ("", "feed.xml"):
                r = server.get(f"/en/regions/jiangsu/taizhou-jiangsu/hailing/{gone}")
                assert r.status == 404, (gone, r.status)


def test_a_bad_save_keeps_the_last_good_site_and_its_fix_matches_a_cold_build(
    server: Server, project: Path, tmp_path: Path
) -> None:
    good_feed = server.get("/en/feed.xml").data
    edit(project / BRIEFING, "region: hailing", "region: hailling")
    page = server.wait_for_page(EN, "unknown region &#x27;hailling&#x27;", status=500)
    assert "did you mean &#x27;hailing&#x27;?" in page.body
    assert server.get("/en/feed.xml").data == good_feed  # files still come from the last good
    # Another briefing saved meanwhile: the bad one is still bad, so the build still fails.
    start = len(server.lines)
    edit(project / OTHER, "topics: [", "topics: [major-projects, ")
    server.wait_for_line(r"build failed with 1 error", start)
    assert server.get(EN).status == 500
    start = len(server.lines)
    edit(project / BRIEFING, "region: hailling", "region: hailing")
    server.wait_for_page(EN, "Hailing sets out")
    server.wait_for_line(r"built \d+ files", start)
    expected = _cold(project, tmp_path / "cold")
    assert "Jiangyan" in expected["en/topics/major-projects/index.html"].decode()
    for name, data in expected.items():
        if not name.startswith("pagefind/"):
            got = server.get("/" + name).data
            got = got.replace(LIVE_SCRIPT, b"", 1) if name.endswith(".html") else got
            assert got == data, f"{name} differs from a cold build after the fix"
