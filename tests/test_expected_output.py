"""The basic sample site, built, compared file by file with the expected output.

After an intended change to templates or rendering, regenerate and review the diff:
    UPDATE_EXPECTED=1 .venv/bin/pytest tests/test_expected_output.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import BASIC

EXPECTED = BASIC / "expected"


# Pagefind's bundle (its UI scripts and binary index files) is left out: it is the search
# tool's output, not ours; tests/test_search.py checks it, and test_site.py its reproducibility.
SKIP = "pagefind/"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        rel: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (rel := p.relative_to(folder).as_posix()).startswith(SKIP)
    }


def test_basic_site_matches_expected_output(basic_site: Path) -> None:
    if os.environ.get("UPDATE_EXPECTED"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(basic_site, EXPECTED, ignore=shutil.ignore_patterns(SKIP.strip("/")))
    built, expected = _files(basic_site), _files(EXPECTED)
    assert sorted(built) == sorted(expected)
    for name, data in expected.items():
        assert built[name] == data, f"{name} differs from tests/sites/basic/expected/{name}"
