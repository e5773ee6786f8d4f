"""Every broken sample site fails with exactly its expected `path:line:col` errors, exit 1,
and leaves the previous output exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.cli import main
from tests.conftest import BASIC, EPOCH, SITES, TEMPLATES, copy_site

CASES = sorted(p for p in (SITES / "invalid").iterdir() if p.is_dir())


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def good_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic project with a previous good build in site/, made once and copied per case.
    HTML only: the PDF stage reports the same content errors and has its own tests."""
    root = copy_site(BASIC, tmp_path_factory.mktemp("good") / "site-project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert main(["build", "--root", str(root), "--templates", str(TEMPLATES), "--no-pdf"]) == 0
    return root


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("command", ["build", "check"])
def test_invalid_site_reports_every_error(
    case: Path,
    command: str,
    tmp_path: Path,
    good_project: Path,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    # A previous good build, which the failing run must leave exactly as it was.
    root = Path(shutil.copytree(good_project, tmp_path / "site-project", symlinks=True))
    out = root / "site"
    before = _snapshot(out)
    assert "en/index.html" in before
    shutil.copytree(
        case / "content", root / "content", dirs_exist_ok=True, symlinks=True
    )  # break it
    args = [command, "--root", str(root), "--templates", str(TEMPLATES)]
    args += ["--no-pdf"] if command == "build" else []
    code, _, stderr = cli(*args)

    expected = (case / "expected.txt").read_text().splitlines()
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    assert code == 1
    assert errors == expected
    assert f"{len(expected)} error" in stderr
    assert _snapshot(out) == before
    assert not list(root.glob(".site-*")), "no staging folder may be left behind"


def test_cases_cover_every_error_kind_of_the_issue() -> None:
    names = {c.name for c in CASES}
    assert {
        "unknown-key",
        "wrong-type",
        "missing-field",
        "unknown-region",
        "invalid-date",
        "duplicate-slug",
        "translation-without-original",
        "translation-changes-neutral",
        "unterminated-front-matter",
        "invalid-utf8",
        "yaml-python-tag",
        "broken-link",
        "many-files",
    } <= names
