"""Digests inside builds: refused resources, reproducibility, the cache, the command line."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.errors import BuildFailed
from builder.pipeline import build
from builder.render_pdf import _classify
from tests.conftest import TEMPLATES, Built, copy_sample, options, page_texts
from tests.test_render_pdf import PNG

MARCH = "content/articles/2024/jiangyan-march.md"
TPL = ["--templates", str(TEMPLATES)]


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _errors(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(options(root))
    return [e.format() for e in failed.value.report.sorted() if e.severity == "error"]


LOCAL_HINT = "use a PNG, JPEG, GIF or WebP file under content/, by a path relative to this file"


@pytest.mark.parametrize(
    ("markdown", "src", "message"),
    [
        (
            "![secret](file:///etc/passwd)",
            "file:///etc/passwd",
            f"image 'file:///etc/passwd' cannot be loaded ({LOCAL_HINT})",
        ),
        (
            "![remote](http://example.com/tracker.png)",
            "http://example.com/tracker.png",
            "remote image 'http://example.com/tracker.png' is not allowed (copy it under "
            "content/ and use a relative path, or allow remote images with "
            "'images: {remote: true}' in site.yaml)",
        ),
        (
            "![up](../../../secret.png)",
            "../../../secret.png",
            f"image '../../../secret.png' is outside content/ ({LOCAL_HINT})",
        ),
    ],
)
def test_briefing_image_outside_the_project_fails_naming_the_briefing(
    tmp_path: Path, markdown: str, src: str, message: str
) -> None:
    root = copy_sample("digest", tmp_path / "root")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    _append(root, MARCH, f"\nA picture: {markdown}\n")
    lines = (root / MARCH).read_text().splitlines()
    line, col = len(lines), lines[-1].index(src) + 1  # the appended line, at the src
    assert _errors(root) == [f"{MARCH}:{line}:{col}: error: {message}"]
    assert not (root / "site").exists()


def test_raw_html_stylesheet_in_a_briefing_is_only_text(tmp_path: Path) -> None:
    root = copy_sample("digest", tmp_path / "root")
    _append(root, MARCH, '\n<link rel="stylesheet" href="http://example.com/evil.css">\n')
    result = build(options(root, pdf=False))
    page = result.outputs["en/briefings/2024/jiangyan-march/index.html"].decode()
    assert "&lt;link rel=&quot;stylesheet&quot;" in page


def test_http_stylesheet_in_the_template_fails_naming_the_digest(tmp_path: Path) -> None:
    root = copy_sample("digest", tmp_path / "root", templates=True)
    digest = root / "templates" / "digest.html"
    digest.write_text(
        digest.read_text().replace(
            "</head>", '<link rel="stylesheet" href="http://example.com/evil.css">\n</head>'
        )
    )
    errors = _errors(root)
    assert (
        "site/digests/en/hailing.pdf:1:1: error: refused to load http://example.com/evil.css"
        in (errors[0])
    )
    assert len(errors) == 8  # every digest, each named


def test_two_builds_give_byte_identical_pdfs(tmp_path: Path) -> None:
    runs = []
    for n in (1, 2):
        root = copy_sample("digest", tmp_path / f"run{n}")
        code = main(
            ["digest", "--root", str(root), *TPL, "--region", "hailing", "--out", str(root / "out")]
        )
        assert code == 0
        runs.append(sorted((p.name, p.read_bytes()) for p in (root / "out").rglob("*.pdf")))
    assert len(runs[0]) == 2 and runs[0] == runs[1]


def test_changed_briefing_rerenders_only_the_digests_that_contain_it(
    built: Built, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    shutil.copytree(built.root, root)  # with its warm .cache/digests
    assert not build(options(root)).cache.misses  # type: ignore[union-attr]
    # the Chinese text of a Hailing briefing: in the zh digests of Hailing and its ancestors
    _append(root, "content/articles/2024/hailing-april.zh.md", "\n新增一句。\n")
    result = build(options(root))
    assert result.cache is not None
    assert sorted(result.cache.misses) == [
        "digests/zh/hailing.pdf",
        "digests/zh/jiangsu.pdf",
        "digests/zh/taizhou.pdf",
    ]
    assert len(result.cache.hits) == 5 and "digests/zh/jiangyan.pdf" in result.cache.hits
    # unchanged digests are the very same bytes, and stale cache entries are pruned
    assert (root / "site/digests/en/jiangyan.pdf").read_bytes() == built.pdf(
        "en", "jiangyan"
    ).read_bytes()
    assert len(list((root / ".cache/digests").glob("*.pdf"))) == 8


def test_no_pdf_builds_no_digests_and_links_none(tmp_path: Path) -> None:
    root = copy_sample("digest", tmp_path / "root")
    assert main(["build", "--root", str(root), *TPL, "--no-pdf"]) == 0
    assert not (root / "site/digests").exists()
    page = (root / "site/en/regions/jiangsu/taizhou/jiangyan/index.html").read_text()
    assert "digests/" not in page


def test_digest_command_for_a_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_sample("digest", tmp_path / "root")
    args = ["digest", "--root", str(root), *TPL, "--from", "2024-03-01", "--to", "2024-03-31"]
    code = main([*args, "--region", "jiangyan", "--region", "hailing", "--lang", "zh"])
    out = capsys.readouterr().out
    assert code == 0
    made = sorted(
        p.relative_to(root / "build/digests").as_posix()
        for p in (root / "build/digests").rglob("*.pdf")
    )
    assert made == ["zh/jiangyan_2024-03-01_2024-03-31.pdf"]
    assert "no briefings on Hailing (hailing) in the period: no digest" in out
    pdf = root / "build/digests" / made[0]
    texts = page_texts(pdf)
    assert "2024年3月1日至31日" in texts[0] and "1 篇简报" in texts[0]
    assert "姜堰区提出制造业产值目标" in "".join(texts)
    assert "姜堰区签约一批投资项目" not in "".join(texts)  # dated May: outside the period


def test_digest_command_rejects_unknown_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_sample("digest", tmp_path / "root")
    assert main(["digest", "--root", str(root), *TPL, "--region", "jiangyen"]) == 2
    assert "unknown region 'jiangyen' (did you mean 'jiangyan'?)" in capsys.readouterr().err


def test_damaged_image_is_reported_at_the_briefing_with_a_reason(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = copy_sample("digest", tmp_path / "root")
    (root / "content" / "articles" / "2024" / "broken.png").write_bytes(PNG[:-10])  # truncated
    _append(root, MARCH, "\nA chart: ![chart](broken.png)\n")
    lines = (root / MARCH).read_text().splitlines()
    line, col = len(lines), lines[-1].index("broken.png") + 1
    code, _, err = cli(
        "digest",
        "--root",
        str(root),
        *TPL,
        "--region",
        "jiangyan",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 1, err
    assert f"{MARCH}:{line}:{col}: error: image 'broken.png' is damaged (truncated PNG file)" in err
    assert "Traceback" not in err


def test_an_image_weasyprint_cannot_load_is_named_with_a_reason() -> None:
    """WeasyPrint logs some image failures with an empty reason: the problem says what it means
    and carries the URL, which the pipeline maps to the briefing line that names the image."""
    record = logging.LogRecord(
        "weasyprint",
        logging.ERROR,
        "",
        0,
        "Failed to load image at '%s': %s",
        ("file:///p/content/a.png", ""),
        None,
    )
    (problem,) = _classify([record], [])
    assert problem.url == "file:///p/content/a.png"
    assert problem.message == (
        "cannot load image file:///p/content/a.png into the digest: "
        "the file is damaged or not an image it can read"
    )
