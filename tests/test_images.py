"""The image rule in the site (builder/images.py): a local image is published fingerprinted and
the page points at it; remote images only when site.yaml allows them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

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
    with (root / BETA).open("a") as fh:
        fh.write("\nThe plant: ![the plant](img/ok.png)\n")
    code, _, err = cli("build", "--root", str(root), "--templates", str(TEMPLATES), "--no-pdf")
    assert code == 0, err
    site = root / "site"
    (src,) = _srcs(site / PAGE)
    assert re.fullmatch(r"(\.\./)+images/ok\.[0-9a-f]{10}\.png", src)
    published = site / urljoin(PAGE, src)
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


def test_webp_and_jpeg_are_images_svg_is_not(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles" / "2024").mkdir(parents=True)
    source = content / "articles" / "2024" / "a.md"
    samples = {"a.webp": b"RIFF\0\0\0\0WEBPVP8 ", "a.jpg": b"\xff\xd8\xff\xe0", "a.svg": b"<svg/>"}
    for name, data in samples.items():
        (content / "articles" / "2024" / name).write_bytes(data)
    found = {n: images.resolve(n, source, content, tmp_path, remote=False) for n in samples}
    assert isinstance(found["a.webp"], images.Local)
    assert isinstance(found["a.jpg"], images.Local)
    assert isinstance(found["a.svg"], images.Refused)
