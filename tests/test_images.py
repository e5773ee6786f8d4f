"""The image rule in the site (builder/images.py): a local image is published fingerprinted and
the page points at it; remote images only when site.yaml allows them."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from urllib.parse import urljoin

import PIL.Image
from lxml import html as lxml_html

from builder import images
from tests.conftest import BASIC, TEMPLATES, copy_site
from tests.test_render_pdf import PNG

BETA = "content/articles/2023/beta.md"
PAGE = "en/briefings/2023/beta/index.html"


def _srcs(page: Path) -> list[str]:
    return [str(s) for s in lxml_html.parse(str(page)).xpath("//main//img/@src")]


def test_a_local_image_is_published_fingerprinted(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "project")
    (root / "content" / "articles" / "2023" / "img").mkdir()
    (root / "content" / "articles" / "2023" / "img" / "ok.png").write_bytes(PNG)
    (root / "content" / "articles" / "2023" / "img" / "chart 2 (final) 图.png").write_bytes(PNG)
    with (root / BETA).open("a") as fh:
        fh.write("\nThe plant: ![the plant](img/ok.png)\n")
        fh.write("\nA chart: ![a chart](<img/chart 2 (final) 图.png>)\n")
    code, _, err = cli("build", "--root", str(root), "--templates", str(TEMPLATES), "--no-pdf")
    assert code == 0, err
    site = root / "site"
    src, chart = _srcs(site / PAGE)
    assert re.fullmatch(r"(\.\./)+images/ok\.[0-9a-f]{10}\.png", src)
    assert re.fullmatch(r"(\.\./)+images/chart-2-final\.[0-9a-f]{10}\.png", chart)
    for url in (src, chart):
        published = site / urljoin(PAGE, url)
        assert published.resolve().is_relative_to(site) and published.read_bytes() == PNG


def test_remote_images_only_when_allowed(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "project")
    url = "https://example.org/chart.png"
    with (root / BETA).open("a") as fh:
        fh.write(f"\nA chart: ![chart]({url})\n")
    args = ["build", "--root", str(root), "--templates", str(TEMPLATES), "--no-pdf"]
    code, _, err = cli(*args)
    assert code == 1 and f"remote image '{url}' is not allowed" in err
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "images:\n  remote: true\n")
    code, _, err = cli(*args)
    assert code == 0, err
    assert _srcs(root / "site" / PAGE) == [url]


def _encoded(kind: str, size: tuple[int, int] = (4, 4)) -> bytes:
    buf = io.BytesIO()
    PIL.Image.new("L", size).save(buf, kind)
    return buf.getvalue()


def test_images_are_judged_by_content_size_and_integrity(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles" / "2024").mkdir(parents=True)
    source = content / "articles" / "2024" / "a.md"
    samples = {
        "a.webp": _encoded("WEBP"),
        "a.jpg": _encoded("JPEG"),
        "a.gif": _encoded("GIF"),
        "named.png": _encoded("JPEG"),  # the name does not matter, the bytes do
        "a.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        "a.bmp": _encoded("BMP"),
        "bomb.png": _encoded("PNG", (8000, 6000)),  # 48 megapixels in a few kilobytes
        "cut.png": _encoded("PNG")[:-10],
    }
    for name, data in samples.items():
        (content / "articles" / "2024" / name).write_bytes(data)
    found = {n: images.resolve(n, source, content, tmp_path, remote=False) for n in samples}
    for name in ("a.webp", "a.jpg", "a.gif", "named.png"):
        assert isinstance(found[name], images.Local), name
    messages = {n: r.message for n, r in found.items() if isinstance(r, images.Refused)}
    assert messages == {
        "a.svg": "image 'a.svg' is not a PNG, JPEG, GIF or WebP file",
        "a.bmp": "image 'a.bmp' is not a PNG, JPEG, GIF or WebP file",
        "bomb.png": "image 'bomb.png' is 8000 x 6000 pixels, more than 40,000,000 in all",
        "cut.png": "image 'cut.png' is damaged (truncated PNG file)",
    }


def test_data_urls_are_checked_like_files(tmp_path: Path) -> None:
    def resolve(data: bytes, kind: str = "png") -> images.Resolved:
        src = f"data:image/{kind};base64," + base64.b64encode(data).decode()
        return images.resolve(src, tmp_path / "a.md", tmp_path, tmp_path, remote=False)

    assert isinstance(resolve(_encoded("PNG")), images.Passed)
    bomb = resolve(_encoded("PNG", (8000, 6000)))
    assert isinstance(bomb, images.Refused) and "8000 x 6000 pixels" in bomb.message
    assert isinstance(resolve(b"<svg/>", "svg+xml"), images.Refused)
