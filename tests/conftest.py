"""Shared fixtures, layered: paths → sample sites on disk → sample sites built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import BuildResult, Options, build

# Fixtures kept in their own module (a sample site with regions that have no briefings).
pytest_plugins = ["tests.empty_regions"]

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"
SITES = Path(__file__).resolve().parent / "sites"
BASIC = SITES / "basic"
# 2024-06-01 00:00 UTC: every test build is dated the same day, and the 2030 fixture stays future.
EPOCH = "1717200000"
# The digest fonts (builder/fonts.py) are fetched once into the project's cache and shared by
# every test project, instead of once per temporary folder.
FONT_CACHE = PROJECT / ".cache" / "fonts"
os.environ.setdefault("BRIEFINGS_FONT_CACHE", str(FONT_CACHE))


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def copy_site(src: Path, dest: Path, *overlays: Path) -> Path:
    """A writable copy of a sample site's content, with overlay folders copied on top."""
    shutil.copytree(src / "content", dest / "content")
    for overlay in overlays:
        shutil.copytree(overlay / "content", dest / "content", dirs_exist_ok=True)
    return dest


def copy_sample(name: str, dest: Path, *, templates: bool = False) -> Path:
    """A writable copy of tests/sites/<name> (and of the templates, when a test edits them)."""
    shutil.copytree(SITES / name, dest)
    if templates:
        shutil.copytree(TEMPLATES, dest / "templates")
    return dest


def options(root: Path, **kw: object) -> Options:
    templates = root / "templates" if (root / "templates").is_dir() else TEMPLATES
    return Options(root=root, templates=templates, **kw)  # type: ignore[arg-type]


def build_site(root: Path, out: Path, **kw: object) -> BuildResult:
    """Build HTML only: the PDF stage has its own tests and sample site."""
    kw.setdefault("pdf", False)
    return build(Options(root=root, templates=TEMPLATES, out=out, **kw))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The basic sample site, built once (no drafts)."""
    out = tmp_path_factory.mktemp("basic") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build_site(BASIC, out)
    yield out


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The project's own content (the curated seed briefings), built once with its digests."""
    out = tmp_path_factory.mktemp("project") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(Options(root=PROJECT, out=out, strict=True))
    yield out


@dataclass(frozen=True)
class Built:
    root: Path
    result: BuildResult

    @property
    def site(self) -> Path:
        return self.root / "site"

    def pdf(self, lang: str, region: str) -> Path:
        return self.site / "digests" / lang / f"{region}.pdf"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The digest sample site, built once with its PDFs (the slow part of the suite)."""
    root = copy_sample("digest", tmp_path_factory.mktemp("built") / "root")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = build(options(root))
    yield Built(root, result)


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, as poppler's pdftotext extracts it."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `briefings ARGS` in-process: returns (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse exits for usage errors and --help
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


TRILINGUAL = SITES / "trilingual"


@pytest.fixture(scope="session")
def trilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The three-language sample site (en, zh, zh-hant), built once."""
    out = tmp_path_factory.mktemp("trilingual") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = build_site(TRILINGUAL, out)
    assert not result.report.errors
    yield out
