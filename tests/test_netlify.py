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


def redirects(site: Path) -> list[list[str]]:
    """The generated _redirects file's rules, each split into its fields."""
    lines = (site / "_redirects").read_text().splitlines()
    return [line.split() for line in lines if line and not line.startswith("#")]


def headers(site: Path) -> list[tuple[str, dict[str, str]]]:
    """The generated _headers file's rules: (path, {header: value})."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in (site / "_headers").read_text().splitlines():
        if line.startswith("/"):
            rules.append((line, {}))
        elif line.startswith("  "):
            name, _, value = line.strip().partition(": ")
            rules[-1][1][name] = value
    return rules


def test_every_redirect_target_and_header_path_exists(project_site: Path) -> None:
    assert "redirects" not in CONFIG  # generated from site.yaml into site/_redirects
    for rule in redirects(project_site):
        assert exists(project_site, rule[1]), rule
    for pattern in [r["for"] for r in CONFIG["headers"]] + [p for p, _ in headers(project_site)]:
        if pattern == "/digests/*" and not (project_site / "digests").exists():
            continue  # the PDF digest stage writes digests/; without it there is nothing to serve
        assert exists(project_site, pattern), pattern


def test_root_redirects_by_language_and_404s_per_language(project_site: Path) -> None:
    rules = redirects(project_site)
    root = [r for r in rules if r[0] == "/"]
    assert root == [
        ["/", "/zh/", "302!", "Language=zh-hans"],
        ["/", "/zh/", "302!", "Language=zh-cn"],
        ["/", "/zh/", "302!", "Language=zh"],
        ["/", "/en/", "302!"],
    ]
    missing = {r[0]: r[1] for r in rules if r[2] == "404"}
    assert missing == {"/zh/*": "/zh/404.html", "/en/*": "/en/404.html", "/*": "/en/404.html"}


def test_redirects_follow_the_languages_of_site_yaml() -> None:
    """A third language sharing 'zh': its own tags win over the shared one, which stays with
    the first language that has it; the default language catches the rest."""
    from builder.hosting import redirects_file
    from builder.languages import DEFAULT_LANGUAGES, Language, Localized

    names = {"en": "Traditional Chinese", "zh": "繁体中文", "zh-hant": "繁體中文"}
    hant = Language(
        code="zh-hant",
        locale="zh_Hant_TW",
        html_lang="zh-Hant",
        og_locale="zh_TW",
        name=Localized(names),
        browser_tags=["zh-hk", "zh-mo"],
    )
    lines = redirects_file([*DEFAULT_LANGUAGES, hant]).decode().splitlines()[1:]
    assert lines[:7] == [
        "/  /zh/  302!  Language=zh-hans",
        "/  /zh-hant/  302!  Language=zh-hant",
        "/  /zh/  302!  Language=zh-cn",
        "/  /zh-hant/  302!  Language=zh-hk",
        "/  /zh-hant/  302!  Language=zh-mo",
        "/  /zh-hant/  302!  Language=zh-tw",
        "/  /zh/  302!  Language=zh",
    ]
    assert lines[7:] == [
        "/  /en/  302!",
        "/en/*  /en/404.html  404",
        "/zh/*  /zh/404.html  404",
        "/zh-hant/*  /zh-hant/404.html  404",
        "/*  /en/404.html  404",
    ]


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
    ] + [(p, v["Cache-Control"]) for p, v in headers(project_site) if "Cache-Control" in v]

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
        "/data/figures.csv",
        "/data/jiangyan/figures.json",
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
    from builder.languages import DEFAULT_LANGUAGES

    text = headers_file(
        {"digests/zh/jiangyan.pdf": b"", "digests/en/jiangyan.pdf": b"", "en/index.html": b""},
        DEFAULT_LANGUAGES,
    ).decode()
    assert text.splitlines()[1:] == [
        "/en/*",
        "  Cache-Control: public, max-age=0, must-revalidate",
        "/zh/*",
        "  Cache-Control: public, max-age=0, must-revalidate",
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
