"""Shared fixtures, layered: paths → a sample site built once per session → its files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.cli import main
from builder.pipeline import BuildResult, Options, build

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"
SITES = Path(__file__).resolve().parent / "sites"
BASIC = SITES / "basic"
# 2025-01-01 00:00 UTC: fixes "today" so future-dated fixtures stay in the future.
EPOCH = "1735689600"


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def copy_site(src: Path, dest: Path, *overlays: Path) -> Path:
    """A writable copy of a sample site's content, with overlay folders copied on top."""
    shutil.copytree(src / "content", dest / "content")
    for overlay in overlays:
        shutil.copytree(overlay / "content", dest / "content", dirs_exist_ok=True)
    return dest


def build_site(root: Path, out: Path, **kw: object) -> BuildResult:
    return build(Options(root=root, templates=TEMPLATES, out=out, **kw))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The basic sample site, built once (no drafts)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path_factory.mktemp("basic") / "site"
    build_site(BASIC, out)
    mp.undo()
    yield out


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The project's own content (the curated seed briefings), built once."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path_factory.mktemp("project") / "site"
    build(Options(root=PROJECT, out=out, strict=True))
    mp.undo()
    yield out


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
