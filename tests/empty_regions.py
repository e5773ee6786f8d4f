"""The three-language sample site with a city and district that have no briefings (Zhuhai,
Doumen), and a Scope to prepare its pages: shared by the home page and region list tests.
Its fixtures are offered to every test by tests/conftest.py (pytest_plugins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import Report
from builder.i18n import Formatter, load_translations
from builder.index import SiteModel
from builder.page_parts import Scope
from builder.pipeline import load_model
from tests.conftest import TEMPLATES, TRILINGUAL, copy_site, options

# A Guangdong city without briefings, whose names differ between the two Chinese scripts.
ZHUHAI = """
zhuhai:
  name: {en: Zhuhai, zh: 珠海市, zh-hant: 珠海市}
  level: city
  parent: guangdong
doumen:
  name: {en: Doumen, zh: 斗门区, zh-hant: 斗門區}
  level: district
  parent: zhuhai
"""


@pytest.fixture(scope="module")
def sparse_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(TRILINGUAL, tmp_path_factory.mktemp("home") / "p")
    with (root / "content" / "regions.yaml").open("a", encoding="utf-8") as f:
        f.write(ZHUHAI)
    return root


@pytest.fixture(scope="module")
def sparse_model(sparse_root: Path) -> SiteModel:
    report = Report(sparse_root)
    found = load_model(options(sparse_root), report)
    assert not report.errors
    return found


def scope(model: SiteModel, lang: str) -> Scope:
    language = model.config.language(lang)
    fmt = Formatter(language, load_translations(TEMPLATES, language, Report(TRILINGUAL)))
    return Scope(model, fmt, lambda url: url)
