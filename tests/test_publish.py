from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.publish import MARKER, STAMPS, UnsafeOutput, check_output, publish


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


def _pages(version: int) -> dict[str, bytes]:
    pages = {f"en/p{i}/index.html": f"<p>page {i}</p>".encode() * 50 for i in range(40)}
    pages["en/index.html"] = f"<p>home, version {version}</p>".encode()
    return pages


def test_the_spare_is_synced_by_its_stamps_without_reading_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builder.publish as publish_module

    out = tmp_path / "site"
    for version in range(3):  # after the third, both folders' stamps are recorded
        publish(_pages(version), out, epoch=1_000_000_000)
    assert STAMPS not in {p.name for p in out.rglob("*")}  # never published
    assert (tmp_path / ".site-spare" / STAMPS).is_file()
    read: list[Path] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        read.append(self)
        return real(self)

    monkeypatch.setattr(publish_module.Path, "read_bytes", counting)
    publish(_pages(3), out, epoch=1_000_000_000)
    assert [p.name for p in read] == [STAMPS]  # the stamps, and not one page
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")} == (
        _pages(3)
    )


def test_a_spare_file_changed_behind_its_stamp_is_read_and_rewritten(tmp_path: Path) -> None:
    """Same size, modification time put back: the change time still tells, so it is read."""
    out = tmp_path / "site"
    for version in range(3):
        publish(_pages(version), out, epoch=1_000_000_000)
    spare = tmp_path / ".site-spare" / "en/p7/index.html"
    data = spare.read_bytes()
    spare.write_bytes(data.replace(b"page 7", b"PAGE 7"))
    os.utime(spare, (1_000_000_000, 1_000_000_000))
    publish(_pages(3), out, epoch=1_000_000_000)
    assert (out / "en/p7/index.html").read_bytes() == data


def test_corrupt_stamps_only_cost_reading(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for version in range(3):
        publish(_pages(version), out)
    (tmp_path / ".site-spare" / STAMPS).write_bytes(b"\x00not marshal")
    publish(_pages(5), out)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")} == (
        _pages(5)
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-spare", "site"]
