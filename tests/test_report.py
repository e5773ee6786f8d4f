"""Warnings summarised per kind; errors always in full; --verbose lists everything."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from builder import progress
from builder.errors import Report, warning_kind
from builder.progress import Stages
from tests.conftest import TEMPLATES


def _report(tmp_path: Path) -> Report:
    report = Report(tmp_path)
    for i in range(5):
        report.warn(tmp_path / f"a{i}.md", 1, 1, "no zh translation", "add a{i}.zh.md")
    report.warn(
        tmp_path / "b.zh.md", 3, 1, "stale translation: b.md changed since it was translated"
    )
    report.error(tmp_path / "c.md", 2, 7, "unknown region 'x'")
    report.error(tmp_path / "d.md", 2, 7, "unknown region 'y'")
    return report


def test_a_kind_beyond_three_is_one_line_with_its_count_and_first_files(tmp_path: Path) -> None:
    lines = _report(tmp_path).summary()
    assert "c.md:2:7: error: unknown region 'x'" in lines  # every error, in full
    assert "d.md:2:7: error: unknown region 'y'" in lines
    assert any(line.startswith("b.zh.md:3:1: warning: stale translation") for line in lines)
    [summary] = [line for line in lines if "no zh translation" in line]
    assert summary.startswith("warning: no zh translation: 5 files (a0.md, a1.md, a2.md and 2 ")
    assert "--verbose" in summary
    assert len(lines) == 4


def test_verbose_lists_every_warning(tmp_path: Path) -> None:
    report = _report(tmp_path)
    assert report.summary(verbose=True) == report.lines()
    assert len(report.summary(verbose=True)) == 8


def test_kinds_ignore_numbers_and_quoted_names() -> None:
    assert warning_kind("dated 2023 but filed under 2024/") == "dated # but filed under #/"
    assert warning_kind("stale translation: a.md changed") == "stale translation"
    assert warning_kind("unknown topic 'x'") == warning_kind("unknown topic 'y'")


def test_the_stage_summary_names_each_stage_with_its_files(tmp_path: Path) -> None:
    stages = Stages()
    with stages.stage("load") as s:
        s.files = 2622
    with stages.stage("render") as s:
        s.files, s.note = 4153, "4,100 unchanged"
    line = stages.summary()
    assert line.startswith("stages: load 2,622 files, ")
    assert "render 4,153 files, " in line and "4,100 unchanged" in line and "total" in line


def test_progress_shows_every_200_and_the_last_once_a_stage_runs_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = io.StringIO()
    stages = Stages(stream=stream)
    with stages.stage("render"):
        for n in range(1, 451):
            stages.tick(n, 450)  # quick: under PROGRESS_AFTER, nothing shown
    assert stream.getvalue() == ""
    monkeypatch.setattr(progress, "PROGRESS_AFTER", 0.0)
    with stages.stage("render"):
        for n in range(1, 451):
            stages.tick(n, 450)
    shown = stream.getvalue()
    assert shown.split("\r")[1:4] == ["render: 200/450", "render: 400/450", "render: 450/450"]
    assert shown.endswith("\r\033[K")  # the counter is cleared when the stage ends
    # outside a stage, and without a terminal, nothing
    stages.tick(200, 450)
    silent = Stages()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with silent.stage("render"):
        silent.tick(200, 200)
    assert sys.stderr.getvalue() == ""


def test_cli_prints_the_summary_and_verbose_everything(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.bench.corpus import make_corpus

    make_corpus(tmp_path, 30, seed=1, translated=0.0)
    args = ["build", "--root", str(tmp_path), "--templates", str(TEMPLATES), "--no-pdf"]
    args.append("--no-search")
    code, out, err = cli(*args)
    assert code == 0
    # (the tests' build date is 2024-06-01: the corpus's later briefings are not out yet)
    found = re.search(r"warning: no zh translation: (\d+) files \(", err)
    assert found is not None and int(found.group(1)) > 3
    assert err.count("no zh translation") == 1
    assert re.search(r"stages: load \d+ files, .*; render \d+ files, .*; publish \d+ files", out)
    code, out, err = cli(*args, "--verbose")
    assert err.count("warning: no zh translation") == int(found.group(1))
    assert "site unchanged, nothing written" in out


def test_paths_are_named_relative_to_the_resolved_root(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    report = Report(root / "content" / "..")  # resolved before use
    assert report.rel(root / "content" / "a.md") == "content/a.md"
    assert report.rel(root / "content" / ".." / "b.md") == "b.md"  # '..' resolved, not cut
    assert report.rel(root / "x" / "..") == "."  # the root itself
    assert report.rel(root / "link" / "c.md") == "link/c.md"  # a link is named, not followed
    assert report.rel(Path("content/d.md")) == "content/d.md"
    outside = tmp_path / "projectile" / "e.md"  # the root's name is a prefix of its name
    assert report.rel(outside) == outside.as_posix()
    assert Report(Path("/")).rel(Path("/etc/hosts")) == "etc/hosts"
