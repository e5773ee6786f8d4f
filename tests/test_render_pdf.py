"""render_pdf: the restricted URL fetcher and the log policy, on small real documents."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.render_pdf import PdfJob, ProjectFetcher, render_pdf

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def job(root: Path, body: str, head: str = "") -> PdfJob:
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>T</title>"
        f"<style>html {{ font-family: 'Noto Sans CJK SC' }}</style>{head}</head>"
        f"<body>{body}</body></html>"
    )
    return PdfJob(
        name="digests/en/test.pdf",
        html=html,
        base_url=(root / "templates").as_uri() + "/",
        allowed=(str(root / "templates"), str(root / "content")),
        identifier=b"0123456789abcdef",
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "templates" / "static").mkdir(parents=True)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "dot.png").write_bytes(PNG)
    (tmp_path / "templates" / "static" / "extra.css").write_text("p { color: red }")
    (tmp_path / "secret.png").write_bytes(PNG)  # inside tmp, outside the allowed folders
    return tmp_path


def test_fetcher_allows_project_files_and_data(root: Path) -> None:
    fetcher = ProjectFetcher([root / "templates", root / "content"])
    assert fetcher.fetch((root / "content" / "dot.png").as_uri()).read() == PNG
    data = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert fetcher.fetch(data).read() == PNG
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/style.css",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "SECRET",  # replaced below: a file next to, not inside, the allowed folders
        "LINK",  # a symlink inside content/ pointing outside
        "DOTDOT",  # ../ out of content/
    ],
)
def test_fetcher_refuses_everything_else(root: Path, url: str) -> None:
    (root / "content" / "link.png").symlink_to(root / "secret.png")
    url = {
        "SECRET": (root / "secret.png").as_uri(),
        "LINK": (root / "content" / "link.png").as_uri(),
        "DOTDOT": (root / "content").as_uri() + "/../secret.png",
    }.get(url, url)
    fetcher = ProjectFetcher([root / "templates", root / "content"])
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_render_loads_allowed_image_and_stylesheet(root: Path) -> None:
    result = render_pdf(
        job(
            root,
            f"<p>Dot <img alt='dot' src='{(root / 'content' / 'dot.png').as_uri()}'></p>",
            "<link rel='stylesheet' href='static/extra.css'>",
        )
    )
    assert result.ok, result.problems
    assert result.pdf is not None and result.pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == result.pages == 1


def test_render_refuses_file_outside_and_network(root: Path) -> None:
    result = render_pdf(
        job(
            root,
            "<p><img src='file:///etc/passwd'> <img src='http://example.com/a.png'></p>",
            "<link rel='stylesheet' href='http://example.com/evil.css'>",
        )
    )
    assert not result.ok and result.pdf is None
    refused = [p.message for p in result.problems if p.error and "refused" in p.message]
    assert sorted(refused) == [
        "refused to load file:///etc/passwd",
        "refused to load http://example.com/a.png",
        "refused to load http://example.com/evil.css",
    ]


def test_notdef_glyph_is_an_error_naming_the_character(root: Path) -> None:
    # U+E000 is a private-use character: no font draws it, so WeasyPrint draws a .notdef box.
    result = render_pdf(job(root, "<p>box: \ue000</p>"))
    assert not result.ok
    (problem,) = [p for p in result.problems if "no font can draw" in p.message]
    assert problem.error and "U+E000" in problem.message and "fc-list" in problem.hint


def test_other_weasyprint_warnings_are_warnings(root: Path) -> None:
    result = render_pdf(job(root, "<p>x</p>", "<style>p { colour: red; }</style>"))
    assert result.ok and result.pdf is not None
    assert [p.error for p in result.problems] == [False]
    assert "colour" in result.problems[0].message


def test_pdf_ua_needs_alt_text(root: Path) -> None:
    """PDF/UA mode: WeasyPrint logs an image without alt text as an error, and so do we."""
    img = f"<img src='{(root / 'content' / 'dot.png').as_uri()}'>"
    result = render_pdf(job(root, f"<p>{img}</p>"))
    assert not result.ok
    assert any("alt" in p.message and p.error for p in result.problems)
