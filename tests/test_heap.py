"""The cycle collector during a build (builder/heap.py): the loaded model frozen and young
collections rarer while rendering, and both undone when the build ends, however it ends, since
the preview builds again and again in one long-running process."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from builder import heap, render_html
from builder.pipeline import build
from tests.conftest import copy_sample, options


@pytest.mark.parametrize("fails", [False, True])
def test_a_build_leaves_the_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool
) -> None:
    root = copy_sample("basic", tmp_path / "basic")
    seen: list[tuple[tuple[int, int, int], int]] = []
    real = render_html._render_page

    def render(*args: Any, **kwargs: Any) -> bytes:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        if fails:
            raise RuntimeError("a failure while rendering")
        return real(*args, **kwargs)

    monkeypatch.setattr(render_html, "_render_page", render)
    before = gc.get_threshold()
    if fails:
        with pytest.raises(RuntimeError):
            build(options(root, pdf=False, search=False, jobs=1))
    else:
        build(options(root, pdf=False, search=False, jobs=1))
    assert seen and all(t[0] == heap.RENDER_THRESHOLD and frozen > 0 for t, frozen in seen)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


@pytest.mark.parametrize("exits", [False, True])
def test_the_collector_is_left_off_only_by_a_command_that_ends_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exits: bool
) -> None:
    """`briefings` (__main__.entry) ends with os._exit after its build: a full collection of
    the thawed site model would only delay that, so the build leaves the collector off. Run
    from anywhere else (tests, the preview's process), it leaves the collector on."""
    from builder import __main__ as entry_module
    from builder.cli import main

    root = copy_sample("basic", tmp_path / "basic", templates=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    argv = ["build", "--root", str(root), "--no-pdf", "--no-search", "--jobs", "1"]
    try:
        assert gc.isenabled()
        assert main(argv, exits=exits) == 0
        assert (root / "site" / "index.html").is_file()
        assert gc.isenabled() is not exits
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
    # The console script is the caller that says so.
    calls: list[dict[str, Any]] = []

    def fake_main(**kwargs: Any) -> int:
        calls.append(kwargs)
        return 0

    def fake_exit(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(entry_module, "main", fake_main)
    monkeypatch.setattr(entry_module.os, "_exit", fake_exit)
    with pytest.raises(SystemExit):
        entry_module.entry()
    assert calls == [{"exits": True}]
