from __future__ import annotations

from builder import urls


def test_output_paths() -> None:
    assert urls.output_path("/en/") == "en/index.html"
    assert urls.output_path("/en/feed.xml") == "en/feed.xml"
    assert urls.output_path("/") == "index.html"


def test_relative_links_work_from_disk() -> None:
    assert urls.relative("/en/", "/en/regions/") == "regions/index.html"
    assert urls.relative("/en/briefings/2024/a/", "/zh/briefings/2024/a/") == (
        "../../../../zh/briefings/2024/a/index.html"
    )
    assert urls.relative("/en/", "/static/style.css") == "../static/style.css"
    assert urls.relative("/", "/en/") == "en/index.html"
    assert urls.relative("/en/404.html", "/en/") == "index.html"


def test_absolute() -> None:
    assert urls.absolute("https://x.test/", "/en/") == "https://x.test/en/"
