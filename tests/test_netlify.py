"""netlify.toml against a built site, the README and the build; the generated _headers file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from builder.hosting import download_name, headers_file
from builder.pipeline import Options
from tests.conftest import PROJECT

CONFIG: dict[str, Any] = tomllib.loads((PROJECT / "netlify.toml").read_text())


def exists(site: Path, pattern: str) -> bool:
    """Whether a netlify.toml path (exact, or a prefix ending in `*`) names something built."""
    path = site / pattern.lstrip("/").removesuffix("*")
    return path.is_dir() or path.is_file() or (site / pattern.lstrip("/") / "index.html").is_file()


def test_build_command_and_publish_folder_match_readme_and_build() -> None:
    build = CONFIG["build"]
    readme = (PROJECT / "README.md").read_text()
    assert re.search(rf"^{re.escape(build['command'])}\s+#", readme, re.M), "README's command"
    makefile = (PROJECT / "Makefile").read_text()
    target = build["command"].removeprefix("make ")
    recipe = re.search(rf"^{target}:.*\n\t(.+)", makefile, re.M)
    assert recipe and recipe.group(1).strip() == "$(BIN)/briefings build"  # default --out
    assert Options(root=PROJECT).out_dir.name == build["publish"] == "site"
    assert CONFIG["build"]["environment"]["PYTHON_VERSION"] == "3.11"


def test_every_redirect_target_and_header_path_exists(project_site: Path) -> None:
    for rule in CONFIG["redirects"]:
        assert exists(project_site, rule["to"]), rule
    for rule in CONFIG["headers"]:
        if rule["for"] == "/digests/*" and not (project_site / "digests").exists():
            continue  # the PDF digest stage writes digests/; without it there is nothing to serve
        assert exists(project_site, rule["for"]), rule["for"]


def test_root_redirects_by_language_and_404s_per_language() -> None:
    root = [r for r in CONFIG["redirects"] if r["from"] == "/"]
    assert root[0] == {
        "from": "/",
        "to": "/zh/",
        "status": 302,
        "force": True,
        "conditions": {"Language": ["zh"]},
    }
    assert root[1]["to"] == "/en/" and "conditions" not in root[1]
    missing = {r["from"]: r["to"] for r in CONFIG["redirects"] if r["status"] == 404}
    assert missing == {"/zh/*": "/zh/404.html", "/en/*": "/en/404.html", "/*": "/en/404.html"}


def test_security_headers_on_every_path() -> None:
    everywhere = next(r["values"] for r in CONFIG["headers"] if r["for"] == "/*")
    csp = dict(
        (part.split()[0], part.split()[1:])
        for part in everywhere["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # no 'unsafe-inline'
    assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert everywhere["X-Content-Type-Options"] == "nosniff"
    assert everywhere["X-Frame-Options"] == "DENY"
    assert everywhere["Referrer-Policy"] and everywhere["Permissions-Policy"]


def test_each_path_gets_one_cache_policy(project_site: Path) -> None:
    """Netlify joins a header's values from all matching rules: no path may match two
    Cache-Control rules; fingerprinted assets are immutable, pages revalidate."""
    rules = [
        (r["for"], r["values"]["Cache-Control"])
        for r in CONFIG["headers"]
        if "Cache-Control" in r["values"]
    ]

    def policy(url: str) -> list[str]:
        return [
            v
            for pattern, v in rules
            if (url.startswith(pattern[:-1]) if pattern.endswith("*") else url == pattern)
        ]

    for file in sorted(project_site.rglob("*")):
        if file.is_file():
            url = "/" + file.relative_to(project_site).as_posix()
            assert len(policy(url)) <= 1, url
    static = sorted((project_site / "static").iterdir())
    assert static and all(re.search(r"\.[0-9a-f]{10}\.\w+$", f.name) for f in static)
    assert policy("/static/" + static[0].name) == ["public, max-age=31536000, immutable"]
    for url in (
        "/",
        "/en/",
        "/zh/briefings/2024/x/",
        "/en/feed.xml",
        "/sitemap.xml",
        "/digests/en/x.pdf",
    ):
        assert policy(url) == ["public, max-age=0, must-revalidate"], url


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("digests/en/jiangyan.pdf", "regional-briefings-jiangyan-en.pdf"),
        ("digests/zh/taizhou-jiangsu.pdf", "regional-briefings-taizhou-jiangsu-zh.pdf"),
    ],
)
def test_digest_download_names(path: str, name: str) -> None:
    assert download_name(path) == name


def test_headers_file_names_every_digest() -> None:
    text = headers_file(
        {"digests/zh/jiangyan.pdf": b"", "digests/en/jiangyan.pdf": b"", "en/index.html": b""}
    ).decode()
    assert text.splitlines()[1:] == [
        "/digests/en/jiangyan.pdf",
        '  Content-Disposition: attachment; filename="regional-briefings-jiangyan-en.pdf"',
        "/digests/zh/jiangyan.pdf",
        '  Content-Disposition: attachment; filename="regional-briefings-jiangyan-zh.pdf"',
    ]


def test_netlify_keeps_the_fetched_fonts_and_digests_between_builds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from builder import fonts

    monkeypatch.delenv("BRIEFINGS_FONT_CACHE", raising=False)
    (plugin,) = [p for p in CONFIG["plugins"] if p["package"] == "netlify-plugin-cache"]
    folder = fonts.cache_folder(PROJECT).relative_to(PROJECT).as_posix()
    assert plugin["inputs"]["paths"] == [folder, ".cache/digests"]
    ignored = (PROJECT / ".gitignore").read_text().split()
    assert ".cache/" in ignored  # fetched, never committed (every .cache/, the root's too)
