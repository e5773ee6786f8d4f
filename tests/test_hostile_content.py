"""Hostile text and environment: invisible characters are removed with a warning naming the field,
and a SOURCE_DATE_EPOCH that is no time is a usage error, not a traceback or silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import BASIC, TEMPLATES, copy_site

BETA = "content/articles/2023/beta.md"


def test_control_and_bidi_characters_are_removed_with_a_warning(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "project")
    path = root / BETA
    text = path.read_text()
    text = text.replace(
        "title: Beta briefing without a translation",
        'title: "Beta\\v briefing\\0 without\\x1b a translation"',
    )
    text = text.replace("summary: Only in English", "summary: Only in \u202eEnglish")
    text = text.replace("An invented briefing", "An \u202einvented\u0007 briefing")
    assert "\u202e" in text
    path.write_text(text)
    code, _, err = cli("build", "--root", str(root), "--templates", str(TEMPLATES), "--no-pdf")
    assert code == 0, err
    assert f"{BETA}:2:8: warning: title: removed invisible character U+0000, U+000B, U+001B" in err
    assert f"{BETA}:6:10: warning: summary: removed invisible character U+202E" in err
    assert f"{BETA}:33:4: warning: removed invisible character U+0007, U+202E from the text" in err
    site = root / "site"
    for feed in site.rglob("*.xml"):
        etree.parse(str(feed))  # strict XML: raises on a control character
    for page in site.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".xml", ".json", ".txt"):
            data = page.read_text("utf-8")
            assert "\u202e" not in data and "\x1b" not in data, page
    beta = (site / "en" / "briefings" / "2023" / "beta" / "index.html").read_text()
    assert "Beta briefing without a translation" in beta


@pytest.mark.parametrize("value", ["99999999999999", "abc", "-5", "1.5"])
def test_source_date_epoch_that_is_no_time_is_a_usage_error(
    value: str,
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = copy_site(BASIC, tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    code, _, err = cli("check", "--root", str(root), "--templates", str(TEMPLATES))
    assert code == 2
    assert f"SOURCE_DATE_EPOCH='{value}' is not a time" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("option", ["--content", "--templates"])
def test_a_missing_source_folder_is_a_usage_error(option: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "project")
    for where in (tmp_path / "nowhere", Path("/etc/passwd")):
        args = ["--root", str(root), "--templates", str(TEMPLATES), option, str(where)]
        code, _, err = cli("check", *args)
        assert code == 2
        assert f"{option[2:]} {where} is not a folder (set --root" in err
