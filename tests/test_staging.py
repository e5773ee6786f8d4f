"""A first build writes its pages into the new site while rendering them (builder/staging.py);
publish checks each staged file against the output's bytes, writes only what is missing or
wrong, and swaps. Nothing a staged write missed, and nothing another build removed, is lost."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from builder import forked, publish, render_share, staging
from builder.errors import BuildFailed
from builder.pipeline import build
from tests.conftest import copy_sample, options

EPOCH = 1_000_000_000


def _outputs() -> dict[str, bytes]:
    pages = {f"en/p{i}/index.html": f"<p>page {i}</p>".encode() * 40 for i in range(12)}
    pages["feed.xml"] = b"<feed/>"  # made after the pages: never staged
    return pages


def _published(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files publish itself writes (a staged file it trusts is not among them)."""
    written: list[str] = []
    real = publish._write

    def spy(target: Path, data: bytes, epoch: int | None) -> None:
        written.append(target.name if target.name == publish.MARKER else target.as_posix())
        real(target, data, epoch)

    monkeypatch.setattr(publish, "_write", spy)
    return written


def test_staged_pages_are_published_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    outputs = _outputs()
    staged = staging.begin(out, EPOCH)
    assert staged is not None and staged.folder.parent == tmp_path
    for rel, data in outputs.items():
        if rel != "feed.xml":
            staged.put(rel, data)
    inodes = {rel: st[3] for rel, st in staged.stamps.items()}
    written = _writes(monkeypatch)
    publish.publish(outputs, out, epoch=EPOCH, staged=staged)
    assert [Path(w).name for w in written] == ["feed.xml"]
    assert _published(out) == {**outputs, publish.MARKER: publish.MARKER_TEXT}
    # The very files the render wrote: publish moved them into place, it did not rewrite them.
    assert {rel: os.stat(out / rel).st_ino for rel in inodes} == inodes
    assert {os.stat(out / rel).st_mtime for rel in outputs} == {EPOCH}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    # The next build has a spare to sync: no staging folder of its own.
    publish.publish(outputs, out)
    assert staging.begin(out, None) is None


def test_a_staged_file_that_does_not_hold_its_bytes_is_written_again(tmp_path: Path) -> None:
    out = tmp_path / "site"
    outputs = _outputs()
    staged = staging.begin(out, None)
    assert staged is not None
    for rel, data in outputs.items():
        staged.put(rel, data)
    (staged.folder / "en/p0/index.html").write_bytes(b"changed behind its stamp")
    (staged.folder / "en/p1/index.html").unlink()
    (staged.folder / "en/p2/index.html").write_bytes(outputs["en/p2/index.html"])  # same bytes
    outputs["en/p3/index.html"] = b"re-rendered after it was staged"
    del outputs["en/p4/index.html"]  # staged, then no output after all
    publish.publish(outputs, out, staged=staged)
    assert _published(out) == {**outputs, publish.MARKER: publish.MARKER_TEXT}


@pytest.mark.parametrize("removed", ["whole", "half"])
def test_a_staging_folder_another_build_removed_costs_nothing(tmp_path: Path, removed: str) -> None:
    out = tmp_path / "site"
    outputs = _outputs()
    staged = staging.begin(out, None)
    assert staged is not None
    for rel, data in list(outputs.items())[:6]:
        staged.put(rel, data)
    if removed == "whole":
        # What another build's clean-up does to a `.site-new-*` folder it finds.
        assert publish.remove_leftovers(out) == [staged.folder]
    else:
        shutil.rmtree(staged.folder / "en" / "p2")
    for rel, data in list(outputs.items())[6:]:
        staged.put(rel, data)  # into a folder that may be gone: no error, no stamp
    publish.publish(outputs, out, staged=staged)
    assert _published(out) == {**outputs, publish.MARKER: publish.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publish_keeps_its_own_staging_folder_and_removes_others(tmp_path: Path) -> None:
    out = tmp_path / "site"
    other = staging.begin(out, None)  # a killed build's
    ours = staging.begin(out, None)
    assert other is not None and ours is not None
    assert publish.remove_leftovers(out, keep=ours.folder) == [other.folder]
    assert ours.folder.is_dir()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_build_publishes_the_pages_its_renderers_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    if jobs > 1 and not forked.available():
        pytest.skip("render workers are forked: Linux only")
    monkeypatch.setattr(render_share, "PARALLEL_FROM", 1)
    root = copy_sample("basic", tmp_path / "basic", templates=True)
    opts = dataclasses.replace(options(root, pdf=False, search=False), jobs=jobs)
    written = _writes(monkeypatch)
    result = build(opts)
    pages = [rel for rel in result.outputs if rel.endswith(".html") and "/" in rel]
    assert len(pages) > 10
    # Publish wrote none of them (into whichever folder it staged the site in).
    assert [w for w in written if any(w.endswith(f"/{rel}") for rel in pages)] == []
    assert written  # it did write the files made after the pages (robots.txt, assets ...)
    assert _published(root / "site") == {
        **result.outputs,
        publish.MARKER: publish.MARKER_TEXT,
    }
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_a_failed_build_leaves_no_staging_folder(tmp_path: Path) -> None:
    root = copy_sample("basic", tmp_path / "basic", templates=True)
    briefing = next((root / "templates").glob("briefing.html"))
    briefing.write_text(briefing.read_text("utf-8").replace("{% endblock %}", "{{ x.y.z }}", 1))
    with pytest.raises(BuildFailed):
        build(options(root, pdf=False, search=False))
    assert not (root / "site").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []
