"""Both gettext catalogs hold every UI string the templates and builder use, translated."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from builder.i18n import catalog_path
from tests.conftest import PROJECT, TEMPLATES


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "ngettext:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=PROJECT,
        check=True,
    )
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


# Every catalog the templates ship: the project's languages and the sample sites' (zh-hant).
CATALOGS = sorted(p.name for p in (TEMPLATES / "locale").iterdir() if p.is_dir())


def test_the_catalogs_cover_the_sample_sites() -> None:
    assert {"en", "zh", "zh-hant"} <= set(CATALOGS)


@pytest.mark.parametrize("lang", CATALOGS)
def test_catalog_is_complete(extracted: set[str], lang: str) -> None:
    with catalog_path(TEMPLATES, lang).open("rb") as fh:
        catalog = read_po(fh)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert extracted - ids == set(), "run 'make i18n' and translate the new entries"
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]
    assert untranslated == []
    assert len(extracted) > 40


def test_chinese_catalog_is_really_chinese() -> None:
    with catalog_path(TEMPLATES, "zh").open("rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        words = re.sub(r"%\(\w+\)[sd]", "", str(m.id if isinstance(m.id, str) else m.id[0]))
        if m.id and any(c.isalpha() for c in words):
            text = m.string if isinstance(m.string, str) else m.string[0]
            assert any("\u4e00" <= c <= "\u9fff" for c in text), m.id
