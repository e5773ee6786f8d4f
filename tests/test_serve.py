"""`briefings serve` over real HTTP: a real server process on a free port, a copy of the seeds."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.preview_http import error_page, is_html_request
from builder.serve import host_warning
from builder.watch import Debounce, changed, ignored, snapshot
from tests.servehelp import (
    BRIEFING,
    BRIEFING_URL,
    BRIEFING_ZH,
    DEADLINE,
    TITLE_EN,
    TITLE_ZH,
    Server,
    copy_site,
    edit,
    eventually,
)

EN = BRIEFING_URL.format(lang="en")
ZH = BRIEFING_URL.format(lang="zh")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "project")


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    srv = Server(site)
    yield srv
    srv.stop()


def test_serves_both_languages_with_the_live_reload_script(server: Server) -> None:
    for path, title in [(EN, TITLE_EN), (ZH, TITLE_ZH), ("/en/", None), ("/zh/", None)]:
        r = server.get(path)
        assert r.status == 200, path
        assert "/livereload.js?port=" in r.body, path
        assert r.body.index("livereload.js") < r.body.index("</head>"), path
        assert r.headers["Cache-Control"] == "no-store"
        if title:
            assert title in r.body
    script = server.get("/livereload.js")
    assert script.status == 200
    assert "LiveReload" in script.body
    stylesheet = re.search(r'href="([^"]*/static/style\.[0-9a-f]+\.css)"', server.get("/en/").body)
    assert stylesheet is not None
    css = server.get("/static/" + stylesheet.group(1).rsplit("/static/", 1)[1])
    assert css.status == 200
    assert "livereload" not in css.body


def test_folder_url_without_slash_redirects_and_unknown_page_gives_the_site_404(
    server: Server,
) -> None:
    assert server.get("/en").status == 301
    missing = server.get("/en/no-such-page/")
    assert missing.status == 404
    assert '<html lang="en"' in missing.body  # the site's own en/404.html, not tornado's


@pytest.mark.parametrize(
    "path",
    [
        "/../content/site.yaml",
        "/en/../../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/en/%2e%2e/%2e%2e/content/site.yaml",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/..%2f..%2fetc/passwd",
    ],
)
def test_traversal_out_of_the_output_folder_is_refused(server: Server, path: str) -> None:
    r = server.get(path)
    assert r.status in (403, 404)
    assert "Regional Briefings" not in r.body and "root:" not in r.body


def test_pages_come_from_memory_and_nothing_is_written(server: Server, site: Path) -> None:
    before = sorted(p for p in site.rglob("*") if ".cache" not in p.parts)
    assert server.get("/en/").status == 200
    edit(site / BRIEFING, TITLE_EN, "Hailing revises its targets (from memory)")
    server.wait_for_page(EN, "Hailing revises its targets (from memory)")
    after = sorted(p for p in site.rglob("*") if ".cache" not in p.parts)
    assert after == before  # no output folder, temporary or not, inside the project
    assert not (site / "site").exists()


def test_an_edit_shows_in_both_languages(server: Server, site: Path) -> None:
    edit(site / BRIEFING, TITLE_EN, "Hailing revises its targets (live edit)")
    edit(site / BRIEFING_ZH, TITLE_ZH, "海陵区修订目标之实时编辑")
    server.wait_for_page(EN, "Hailing revises its targets (live edit)")
    server.wait_for_page(ZH, "海陵区修订目标之实时编辑")
    assert not (site / "site").exists()  # the project's own output folder is never written


def test_broken_front_matter_shows_the_error_page_until_fixed(server: Server, site: Path) -> None:
    found = re.search(r"static/(style\.[0-9a-f]+\.css)", server.get("/en/").body)
    assert found is not None
    good_stylesheet = found.group(1)
    start = len(server.lines)
    edit(site / BRIEFING, "date: 2024-02-21", "date: [2024")
    expected = f"{BRIEFING.as_posix()}:4:7: error: invalid YAML"
    page = server.wait_for_page(EN, expected, status=500)
    assert "/livereload.js?port=" in page.body  # so the tab recovers by itself
    assert server.get("/zh/regions/").status == 500  # every HTML request, not only that page
    assert server.get(f"/static/{good_stylesheet}").status == 200  # the last good build's stay
    server.wait_for_line(re.escape(expected), start)  # the terminal says the same
    assert server.proc.poll() is None

    edit(site / BRIEFING, "date: [2024", "date: 2024-02-21")
    server.wait_for_page(EN, TITLE_EN)
    assert server.get("/zh/regions/").status == 200


def test_a_template_syntax_error_is_shown_escaped(server: Server, site: Path) -> None:
    template = site / "templates/briefing.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, text in enumerate(lines) if "{% if page.draft %}" in text)
    edit(template, "{% if page.draft %}", "{% if page.draft %")
    page = server.wait_for_page(EN, f"templates/briefing.html:{line}:1:", status=500)
    assert "unexpected &#x27;&lt;&#x27;" in page.body  # the message has a '<', escaped
    edit(site / "templates/briefing.html", "{% if page.draft %", "{% if page.draft %}")
    server.wait_for_page(EN, TITLE_EN)


def test_drafts_are_shown_and_marked(server: Server, site: Path) -> None:
    assert 'class="badge draft"' not in server.get(EN).body
    edit(site / BRIEFING, "draft: false", "draft: true")
    page = server.wait_for_page(EN, 'class="badge draft"')
    assert TITLE_EN in page.body


def test_a_burst_of_saves_is_coalesced(server: Server, site: Path) -> None:
    files = sorted((site / "content/articles").rglob("*.md"))
    start = len(server.lines)
    for i, path in enumerate(files):
        path.write_text(path.read_text(encoding="utf-8") + f"\nBurst line {i}.\n", "utf-8")
    server.wait_for_page(EN, f"Burst line {files.index(site / BRIEFING)}.")
    server.wait_for_line(r"^built \d+ files", start)
    builds = [line for line in server.lines[start:] if line.startswith("built ")]
    # Ten files written back to back, against a 50 ms quiet period: one build is expected;
    # fewer builds than files is what the test insists on.
    assert 1 <= len(builds) < len(files)
    assert "and 9 more" in builds[0]


def test_without_pdf_digests_come_from_the_last_full_build(site: Path) -> None:
    digest = site / "site/digests/en/hailing.pdf"
    digest.parent.mkdir(parents=True)
    digest.write_bytes(b"%PDF-1.7 last built digest")
    srv = Server(site)
    try:
        r = srv.get("/digests/en/hailing.pdf")
        assert r.status == 200
        assert "last built digest" in r.body
        assert srv.get("/digests/../content/site.yaml").status in (403, 404)
        assert srv.get("/digests/%2e%2e/%2e%2e/content/site.yaml").status in (403, 404)
    finally:
        srv.stop()
    assert digest.read_bytes() == b"%PDF-1.7 last built digest"  # site/ untouched


def test_pdf_is_accepted(site: Path) -> None:
    srv = Server(site, "--pdf")
    try:
        assert srv.get(EN).status == 200
    finally:
        assert srv.stop() == 0


def test_sigint_stops_cleanly(site: Path) -> None:
    srv = Server(site)
    assert srv.get("/en/").status == 200
    assert srv.stop(signal.SIGINT) == 0
    assert "stopped" in srv.lines
    assert "Traceback" not in srv.output()


def test_open_starts_the_browser_on_the_site(site: Path, tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    srv = Server(site, "--open", env={"BROWSER": f"{browser} %s"})
    try:
        text = eventually(lambda: opened.exists() and opened.read_text().strip(), "the browser")
        assert text == srv.url + "/"
    finally:
        srv.stop()


def test_a_port_in_use_exits_2_and_suggests_another(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "builder", "serve", "--root", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            env={**os.environ},
        )
    assert run.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in run.stderr
    assert "--port" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_bad_port_is_a_usage_error(site: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "builder", "serve", "--root", str(site), "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert run.returncode == 2
    assert "not a port number" in run.stderr


def test_only_loopback_hosts_are_quiet() -> None:
    for host in ["127.0.0.1", "127.0.0.2", "::1", "localhost"]:
        assert host_warning(host) is None, host
    for host in ["0.0.0.0", "::", "192.168.1.20", "example.org"]:
        warning = host_warning(host)
        assert warning is not None and host in warning, host


def test_error_page_escapes_every_line() -> None:
    page = error_page(["a.md:1:2: error: <script>alert(1)</script>", "b.md:3:4: error: x & y"])
    assert b"<script>alert" not in page
    assert b"a.md:1:2: error: &lt;script&gt;" in page
    assert b"b.md:3:4: error: x &amp; y" in page
    assert b"</head>" in page  # where the live-reload script goes


def test_html_requests_are_pages_not_assets() -> None:
    assert all(map(is_html_request, ["", "en/", "en/404.html", "en/briefings/2024/x"]))
    assert not any(map(is_html_request, ["static/style.css", "en/feed.xml", "digests/en/a.pdf"]))


def test_debounce_fires_once_after_the_burst_goes_quiet() -> None:
    d = Debounce(quiet=0.1, longest=2.0)
    assert d.due(0.0) == []
    for i in range(10):
        d.add([f"f{i}"], now=1.0 + i * 0.01)
        assert d.due(1.0 + i * 0.01) == []
    assert d.due(1.15) == []  # 0.06 s after the last save
    assert d.due(1.2) == [f"f{i}" for i in range(10)]
    assert d.due(5.0) == []  # nothing pending any more


def test_debounce_gives_way_to_a_stream_of_changes_after_the_longest_wait() -> None:
    d = Debounce(quiet=0.1, longest=2.0)
    fired = []
    for step in range(60):
        now = step * 0.05
        d.add([f"f{step}"], now)
        fired.append(d.due(now))
    assert sum(1 for f in fired if f) == 1  # after 2 s of saves 0.05 s apart
    assert d.due(10.0) == [f"f{step}" for step in range(41, 60)]  # the rest, once quiet
    d.add([], 11.0)
    assert d.due(11.0) == []  # no change is no change


def test_snapshot_sees_edits_and_removals_and_skips_editor_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one")
    (tmp_path / ".a.md.swp").write_text("swap")
    before = snapshot([tmp_path])
    assert list(before) == [str(tmp_path / "a.md")]
    (tmp_path / "a.md").write_text("two, longer")
    (tmp_path / "b.md").write_text("new")
    (tmp_path / "a.md~").write_text("backup")
    after = snapshot([tmp_path])
    assert changed(before, after) == [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    (tmp_path / "b.md").unlink()
    assert changed(after, snapshot([tmp_path])) == [str(tmp_path / "b.md")]
    assert ignored("4913") and ignored("#a.md#") and not ignored("a.zh.md")
