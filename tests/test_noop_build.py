"""`briefings build` with nothing changed keeps the last build (manifest.py); anything changed
since, in the sources, the options, the environment, the date or the published site, builds
for real, and the site then equals a cold build of the same sources byte for byte.

Every build runs the real command line in-process on a copy of the basic sample site with the
project's templates. Sources are given a moment to age before a build that should record a
manifest: one changed in the instant the build starts is "racy" and records none (by design).
"""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from builder import manifest
from builder.cli import main
from tests.conftest import EPOCH, PROJECT, copy_sample

NOOP = "nothing changed since the last build"
ARGS = ("build", "--no-pdf", "--no-search")
ALPHA = "content/articles/2024/alpha.md"


def _age() -> None:
    """Let the last changes fall out of the racy window (manifest.FINE_NS)."""
    time.sleep(manifest.FINE_NS / manifest.SECOND + 0.05)


def _run(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, str, str]:
    code = main([*ARGS, "--root", str(root), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _snapshot(folder: Path) -> dict[str, tuple[int, int, int, int, int]]:
    """Every entry below `folder` with what any write changes: mode, size, times, inode."""
    found = {}
    for path in folder.rglob("*"):
        st = path.lstat()
        found[path.relative_to(folder).as_posix()] = (
            st.st_mode,
            st.st_size,
            st.st_mtime_ns,
            st.st_ctime_ns,
            st.st_ino,
        )
    return found


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _cold(root: Path, tmp: Path, *extra: str) -> dict[str, bytes]:
    """The same sources built from nothing (copied away, no cache) by the command line."""
    fresh = tmp / "cold"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root / "content", fresh / "content")
    shutil.copytree(root / "templates", fresh / "templates")
    assert main([*ARGS, "--root", str(fresh), *extra]) == 0
    return _files(fresh / "site")


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A sample project built once, whose next build (nothing changed) is a no-op."""
    root = copy_sample("basic", tmp_path / "root", templates=True)
    _age()
    code, _, err = _run(capsys, root)
    assert code == 0, err
    return root


def test_a_rebuild_with_nothing_changed_writes_nothing_and_reports_the_same(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site, cache = _snapshot(project / "site"), _snapshot(project / ".cache")
    code, out, _ = _run(capsys, project)
    assert code == 0
    assert NOOP in out
    assert _snapshot(project / "site") == site  # not a file written, touched or removed
    assert _snapshot(project / ".cache") == cache
    # The same warnings as a cold build of the same sources prints, in summary and in full.
    fresh = copy_sample("basic", tmp_path / "fresh", templates=True)
    for extra in ((), ("--verbose",)):
        code, again, again_err = _run(capsys, project, *extra)
        cold_code, cold_out, cold_err = _run(capsys, fresh, *extra)
        shutil.rmtree(fresh / ".cache")
        assert code == cold_code == 0
        assert NOOP in again
        assert "warning: no zh translation" in again_err
        assert again_err == cold_err
        # "built N files (M briefings) into ...": the counts of the build that made the site
        assert (
            again.splitlines()[0].split(" into ")[0] == cold_out.splitlines()[0].split(" into ")[0]
        )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _touch(path: Path) -> None:
    """The same bytes written again: a real build (stamps are not contents), same output."""
    path.write_bytes(path.read_bytes())


def _add(root: Path) -> None:
    text = (root / ALPHA).read_text("utf-8").replace("Alpha district", "Delta district", 1)
    (root / "content/articles/2024/delta.md").write_text(text, "utf-8")


# Each change a build must see: a content file, a template, a catalog, a static asset, a file
# added or removed, a file saved with the same bytes, a folder added.
CHANGES: dict[str, Callable[[Path], None]] = {
    "content": lambda r: _edit(r / ALPHA, "Alpha district", "Alpha county"),
    "template": lambda r: _edit(
        r / "templates/_macros.html", '<ul class="cards">', '<ul class="cards list">'
    ),
    "catalog": lambda r: _edit(
        r / "templates/locale/en/LC_MESSAGES/messages.po",
        'msgstr "Key figures"',
        'msgstr "Figures"',
    ),
    "static": lambda r: _edit(
        r / "templates/static/style.css", "body { margin: 0; }", "body { margin: 0; padding: 0; }"
    ),
    "added": _add,
    "removed": lambda r: (r / "content/articles/2024/gamma.md").unlink(),
    "same bytes": lambda r: _touch(r / "content/regions.yaml"),
    "folder": lambda r: (r / "content/articles/2031").mkdir(),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_source_builds_again_like_a_cold_build(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    CHANGES[change](project)
    _age()
    code, out, err = _run(capsys, project)
    assert code == 0, err
    assert NOOP not in out and "render" in out
    assert _files(project / "site") == _cold(project, tmp_path)
    _age()
    assert NOOP in _run(capsys, project)[1]  # and that build recorded its own manifest


def test_the_options_and_epoch_are_part_of_what_the_last_build_made(
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for extra in (("--drafts",), ("--out", str(project / "other")), ()):
        code, out, _ = _run(capsys, project, *extra)
        assert code == 0 and NOOP not in out, extra
        assert NOOP in _run(capsys, project, *extra)[1]
    # --drafts shows the 2030 briefing; the default build again leaves it out.
    assert not (project / "site/en/briefings/2030").exists()
    assert _files(project / "site") == _cold(project, tmp_path)
    # Another SOURCE_DATE_EPOCH (2031): the future briefing is due, and every file's mtime moves.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1924992000")
    code, out, _ = _run(capsys, project)
    assert code == 0 and NOOP not in out
    assert (project / "site/en/briefings/2030").is_dir()
    assert _files(project / "site") == _cold(project, tmp_path)
    assert (project / "site/index.html").stat().st_mtime == 1924992000


def test_the_next_day_builds_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SOURCE_DATE_EPOCH the date is the clock's: a briefing dated in the future is
    published the day it is due although no file changed."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = copy_sample("basic", tmp_path / "root", templates=True)
    _age()
    assert _run(capsys, root)[0] == 0
    assert NOOP in _run(capsys, root)[1]
    assert not (root / "site/en/briefings/2030").exists()
    # The clock moved on to 2031 (the build reads it through builder.options only).
    later = time.time() + 7 * 365 * 86400
    monkeypatch.setattr("builder.options.time", types.SimpleNamespace(time=lambda: later))
    code, out, _ = _run(capsys, root)
    assert code == 0 and NOOP not in out
    assert (root / "site/en/briefings/2030").is_dir()
    assert _files(root / "site") == _cold(root, tmp_path)  # made on the same (later) day


def _same_size_edit(path: Path) -> None:
    """An edit only the ctime shows: the same size, the mtime put back."""
    data, before = path.read_bytes(), path.stat()
    path.write_bytes(data.replace(b"<html", b"<HTML", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == len(data)


SITE_CHANGES: dict[str, Callable[[Path], None]] = {
    "edited": lambda s: _same_size_edit(s / "en/index.html"),
    "deleted": lambda s: (s / "en/feed.xml").unlink(),
    "added": lambda s: (s / "en/notes.txt").write_text("mine\n"),
    "folder": lambda s: (s / "en/extra").mkdir(),
    "mtime": lambda s: os.utime(s / "robots.txt", (0, 0)),
}


@pytest.mark.parametrize("change", sorted(SITE_CHANGES))
def test_a_site_changed_by_hand_is_built_again(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    SITE_CHANGES[change](project / "site")
    code, out, _ = _run(capsys, project)
    assert code == 0 and NOOP not in out
    assert _files(project / "site") == _cold(project, tmp_path)


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not marshal at all",
        marshal.dumps(("briefings-manifest", manifest.FORMAT + 1, (), ({}, []), {})),
        marshal.dumps(("briefings-manifest", manifest.FORMAT, ("short",), ({}, []), {})),
        marshal.dumps(["a list", 1, 2, 3, 4]),
    ],
    ids=["empty", "garbage", "other-format", "wrong-shape", "wrong-type"],
)
def test_a_corrupt_or_foreign_manifest_is_ignored(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: bytes
) -> None:
    path = project / ".cache/build" / manifest.FILE_NAME
    good = path.read_bytes()
    path.write_bytes(damage)
    _edit(project / ALPHA, "Alpha district", "Alpha county")  # the site must follow the sources
    _age()
    code, out, _ = _run(capsys, project)
    assert code == 0 and NOOP not in out
    assert _files(project / "site") == _cold(project, tmp_path)
    assert path.read_bytes() != damage
    # The real manifest of the earlier sources, put back, no longer stands: they changed.
    path.write_bytes(good)
    assert NOOP not in _run(capsys, project)[1]


def test_a_source_saved_as_the_build_starts_records_no_manifest(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / ".cache/build" / manifest.FILE_NAME
    _edit(project / ALPHA, "Alpha district", "Alpha county")
    assert NOOP not in _run(capsys, project)[1]  # run at once: the save is still racy
    assert not path.exists()
    _age()
    assert NOOP not in _run(capsys, project)[1]  # a normal warm build, which records one
    assert path.exists()


def test_sources_with_a_symbolic_link_always_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "content/articles/2024/link.txt").symlink_to(project / "content/site.yaml")
    _age()
    assert NOOP not in _run(capsys, project)[1]
    assert NOOP not in _run(capsys, project)[1]
    assert not (project / ".cache/build" / manifest.FILE_NAME).exists()


def test_the_no_op_build_loads_none_of_the_heavy_modules(project: Path) -> None:
    script = (
        "import sys; from builder.cli import main; "
        f"code = main({[*ARGS, '--root', str(project)]!r}); "
        "print(code, sorted(m for m in ('jinja2', 'babel', 'markdown_it', 'pydantic', 'yaml', "
        "'weasyprint', 'builder.pipeline') if m in sys.modules))"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert NOOP in done.stdout
    assert done.stdout.splitlines()[-1] == "0 []"


def test_a_build_with_digests_is_kept_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With PDFs on: the digests are part of what is kept, and --no-pdf is another build."""
    root = copy_sample("digest", tmp_path / "root", templates=True)
    _age()
    code, out, err = _run_pdf(capsys, root)
    assert code == 0, err
    assert NOOP not in out and "digests" in out
    site = _snapshot(root / "site")
    assert any(p.endswith(".pdf") for p in site)
    code, again, again_err = _run_pdf(capsys, root)
    assert code == 0 and NOOP in again
    assert _snapshot(root / "site") == site
    # The same problems; the digest stage's progress lines are not printed by a build that
    # renders nothing.
    assert _problems(again_err) == _problems(err)
    code, out, _ = _run(capsys, root)
    assert code == 0 and NOOP not in out
    assert not any(p.endswith(".pdf") for p in _files(root / "site"))


def _run_pdf(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, str, str]:
    code = main(["build", "--no-search", "--root", str(root)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _problems(err: str) -> list[str]:
    return [line for line in err.splitlines() if not line.startswith("digests: ")]


def test_an_output_edited_by_hand_is_not_reused_though_publish_stamped_it(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warm build reuses a published output without hashing it while its stat matches the
    stamp publish recorded (memo.py); an edit only the ctime shows must still be seen."""
    CHANGES["content"](project)
    _age()
    assert NOOP not in _run(capsys, project)[1]  # published by swapping: stamps recorded
    assert (project / ".site-spare" / ".briefings-stamps").is_file()
    _same_size_edit(project / "site/en/404.html")
    code, out, _ = _run(capsys, project)
    assert code == 0 and NOOP not in out
    assert _files(project / "site") == _cold(project, tmp_path)
