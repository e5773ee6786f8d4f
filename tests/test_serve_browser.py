"""`briefings serve` in a real browser: Debian's chromium, driven by Playwright, reloads itself."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servehelp import BRIEFING, BRIEFING_URL, TITLE_EN, Server, copy_site, edit

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WAIT_MS = 60_000  # a deadline for the reload to happen, not a measure of its speed

# `make test` installs chromium (scripts/system-deps.sh test), so a missing browser is a set-up
# error to report, except on a developer's machine without root where it cannot be installed.
if not CHROMIUM.exists() and os.geteuid() != 0 and not os.environ.get("CI"):
    pytest.skip(
        "no /usr/bin/chromium; run scripts/system-deps.sh test as root", allow_module_level=True
    )

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_the_open_page_reloads_itself_after_a_save_and_after_a_fix(
    tmp_path: Path, page: Page
) -> None:
    site = copy_site(tmp_path / "project")
    server = Server(site)
    try:
        page.goto(server.url + BRIEFING_URL.format(lang="en"))
        expect(page.locator("h1")).to_have_text(TITLE_EN)
        # Disappears on a reload: proof that the page reloaded itself, not that we navigated.
        page.evaluate("window.__beforeSave = true")
        # Wait until the tab has registered for reloads, so the save below cannot come first.
        server.wait_for_line(r"^browser tab connected")
        start = len(server.lines)
        edit(site / BRIEFING, TITLE_EN, "Hailing, reloaded by itself")
        expect(page.locator("h1")).to_have_text("Hailing, reloaded by itself", timeout=WAIT_MS)
        assert page.evaluate("window.__beforeSave === undefined")
        server.wait_for_line(r"^built \d+ files", start)

        edit(site / BRIEFING, "date: 2024-02-21", "date: [2024")
        expect(page.locator("h1")).to_have_text("Build failed", timeout=WAIT_MS)
        expect(page.locator(".build-errors")).to_contain_text(f"{BRIEFING.as_posix()}:4:7:")

        edit(site / BRIEFING, "date: [2024", "date: 2024-02-21")
        expect(page.locator("h1")).to_have_text("Hailing, reloaded by itself", timeout=WAIT_MS)
    finally:
        server.stop()
