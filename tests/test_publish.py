from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.publish import MARKER, UnsafeOutput, check_output, publish


def test_publish_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish({"a.html": b"1", "d/b.html": b"2"}, out)
    publish({"c.html": b"3"}, out, epoch=1_000_000_000)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "c.html"]
    assert os.stat(out / "c.html").st_mtime == 1_000_000_000
    # No staging left over; the old site is kept as the next build's staging folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-spare", "site"]
    publish({"c.html": b"3", "e.html": b"4"}, out, epoch=1_000_000_001)  # from the spare
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        MARKER,
        "c.html",
        "e.html",
    ]
    assert {os.stat(out / n).st_mtime for n in ("c.html", "e.html")} == {1_000_000_001}


def test_failed_publish_keeps_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish({"a.html": b"old"}, out)
    with pytest.raises(ValueError, match="escapes"):
        publish({"ok.html": b"new", "../evil.html": b"x"}, out)
    assert (out / "a.html").read_bytes() == b"old"
    assert not (tmp_path / "evil.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("out", [".", "content", "templates", ".."])
def test_output_may_not_be_or_contain_sources(tmp_path: Path, out: str) -> None:
    root = tmp_path / "project"
    protected = [root, root / "content", root / "templates"]
    with pytest.raises(UnsafeOutput, match="choose another --out"):
        check_output(root / out, protected)
    check_output(root / "site", protected)
