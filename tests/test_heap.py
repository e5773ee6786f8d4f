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
