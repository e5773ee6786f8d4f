"""Shared fixtures, layered: the sample site on disk → a built sample site (once per session)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.pipeline import BuildResult, Options, build

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
SITES = Path(__file__).resolve().parent / "sites"
# 2024-06-01 00:00 UTC: every test build is dated the same day.
EPOCH = "1717200000"


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def copy_site(name: str, dest: Path, *, templates: bool = False) -> Path:
    """A writable copy of tests/sites/<name> (and of the templates, when a test edits them)."""
    shutil.copytree(SITES / name, dest)
    if templates:
        shutil.copytree(TEMPLATES, dest / "templates")
    return dest


def options(root: Path, **kw: object) -> Options:
    templates = root / "templates" if (root / "templates").is_dir() else TEMPLATES
    return Options(root=root, templates=templates, **kw)  # type: ignore[arg-type]


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
    root = copy_site("digest", tmp_path_factory.mktemp("built") / "root")
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
