"""The output-folder rules (docs/output.md): only a folder a build made is replaced; the swap is
atomic under `kill -9`; leftovers are cleaned; concurrent builds are serialised; write failures
are clear messages."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder import publish as publish_module
from builder.publish import MARKER, OutputError, UnsafeOutput, check_output, publish
from tests.conftest import BASIC, TEMPLATES, copy_site


def _project(tmp_path: Path) -> Path:
    return copy_site(BASIC, tmp_path / "project")


def _build(cli, root: Path, *extra: str):  # type: ignore[no-untyped-def]
    return cli("build", "--root", str(root), "--templates", str(TEMPLATES), "--no-pdf", *extra)


def test_build_refuses_a_folder_inside_content(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    articles = root / "content" / "articles"
    before = sorted(p.relative_to(articles) for p in articles.rglob("*"))
    code, _, err = _build(cli, root, "--out", str(articles))
    assert code == 2
    assert f"refusing to write the site to {articles}: it is inside the source folder" in err
    assert sorted(p.relative_to(articles) for p in articles.rglob("*")) == before


def test_build_refuses_even_an_empty_folder_inside_the_sources(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    empty = root / "content" / "articles" / "2031"
    empty.mkdir()
    code, _, err = _build(cli, root, "--out", str(empty))
    assert code == 2 and "inside the source folder" in err
    assert not any(empty.iterdir())


def test_build_refuses_a_folder_of_someone_s_files(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / "thesis.odt").write_bytes(b"years of work")
    code, _, err = _build(cli, root, "--out", str(home))
    assert code == 2
    assert f"refusing to replace {home}" in err
    assert (home / "thesis.odt").read_bytes() == b"years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "project"]


def test_build_fills_an_empty_folder_and_replaces_its_own(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    out = tmp_path / "empty"
    out.mkdir()
    assert _build(cli, root, "--out", str(out))[0] == 0
    assert (out / MARKER).is_file() and (out / "en" / "index.html").is_file()
    # Its own build is replaced; so is a site built before the marker existed, recognised
    # by its generated _headers.
    (out / MARKER).unlink()
    (out / "en" / "stale.html").write_text("from an older build")
    assert _build(cli, root, "--out", str(out))[0] == 0
    assert not (out / "en" / "stale.html").exists()


def test_build_refuses_a_file_as_output(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    code, _, err = _build(cli, root, "--out", str(notes))
    assert code == 2 and "it is a file" in err
    assert notes.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "project"]
    code, _, err = _build(cli, root, "--out", str(notes / "sub"))
    assert code == 2 and f"{notes} is a file, not a folder" in err
    assert "Traceback" not in err


def test_digest_and_ingest_refuse_a_file_as_output(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    afile = tmp_path / "afile"
    afile.write_text("mine")
    args = ["--root", str(root), "--templates", str(TEMPLATES), "--out", str(afile)]
    code, _, err = cli("digest", *args)
    assert code == 2 and "it is a file" in err
    source = tmp_path / "src.txt"
    source.write_text("Title\n\nSome text.\n")
    code, _, err = cli("ingest", str(source), "--root", str(root), "--out", str(afile))
    assert code == 2 and "it is a file" in err
    assert afile.read_text() == "mine"


def test_write_failure_is_a_message_and_keeps_the_old_site(
    tmp_path: Path,
    cli,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, words = errno.EROFS, "Read-only file system"
    root = _project(tmp_path)
    out = root / "site"
    assert _build(cli, root)[0] == 0
    before = (out / "en" / "index.html").read_bytes()
    real = publish_module._write
    calls = []

    def failing(target: Path, data: bytes, epoch: int | None) -> None:
        calls.append(target)
        if len(calls) > 5:  # part-way through, as a full disk does
            raise OSError(code, os.strerror(code))
        real(target, data, epoch)

    monkeypatch.setattr(publish_module, "_write", failing)
    # A changed briefing: an unchanged site would not be written at all (issue 13).
    article = next((root / "content" / "articles").rglob("*.md"))
    article.write_text(article.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    status, _, err = _build(cli, root)
    assert status == 3
    assert f"cannot write the site to {out}: {words}" in err and "unchanged" in err
    assert "Traceback" not in err
    assert (out / "en" / "index.html").read_bytes() == before
    assert not list(root.glob(".site-*"))


def test_disk_full_keeps_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    publish({"a.html": b"old"}, out)
    real = publish_module._write

    def full(target: Path, data: bytes, epoch: int | None) -> None:
        if target.name == "z.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(target, data, epoch)

    monkeypatch.setattr(publish_module, "_write", full)
    with pytest.raises(OutputError, match="No space left on device"):
        publish({"a.html": b"new", "z.html": b"new"}, out)
    assert (out / "a.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_leftovers_of_an_interrupted_build_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish({"a.html": b"1"}, out)
    for name in (".site-old-k3j_x9ab", ".site-new-0a1b2c3d"):
        (tmp_path / name / "en").mkdir(parents=True)
        (tmp_path / name / "en" / "big.pdf").write_bytes(b"x" * 1000)
    (tmp_path / ".site-old-mine").mkdir()  # not a name a build gives: left alone
    publish({"b.html": b"2"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-old-mine", "site"]


_PUBLISHER = """
import sys
from pathlib import Path
from builder.publish import publish
out, tag, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(rounds):
    version = f"{tag}{n}".encode()
    publish({f"d{i % 7}/f{i}.html": version * 200 for i in range(200)}, out)
print("done", flush=True)
"""


def _whole_site(out: Path) -> bytes:
    """The one version every file of the site holds; fails when the site is partial or mixed."""
    files = [p for p in out.rglob("*.html")]
    assert len(files) == 200, f"{len(files)} files: a partial site"
    versions = {p.read_bytes() for p in files}
    assert len(versions) == 1, "files of two builds mixed"
    assert (out / MARKER).is_file()
    return versions.pop()


def test_kill_9_during_publish_leaves_the_old_or_the_new_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish({f"d{i % 7}/f{i}.html": b"v" * 200 for i in range(200)}, out)
    rng = random.Random(15)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    kills = 0
    deadline = time.monotonic() + 8
    while kills < 20 and time.monotonic() < deadline:
        proc = subprocess.Popen(
            [sys.executable, "-c", _PUBLISHER, str(out), f"k{kills}-", "50"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.15, 0.6))  # interpreter start-up is ~0.1 s; then publishing
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        assert out.is_dir(), f"the site vanished after kill {kills}"
        _whole_site(out)
    assert kills >= 10
    publish({f"d{i % 7}/f{i}.html": b"final" * 40 for i in range(200)}, out)
    assert _whole_site(out) == b"final" * 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "leftovers were not removed"


def test_builds_into_one_folder_at_once_both_succeed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PUBLISHER, str(out), tag, "3"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr
        assert stdout.strip() == "done"
    assert _whole_site(out) in (b"a2" * 200, b"b2" * 200)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_check_output_rules(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(UnsafeOutput, match="no build made"):
        check_output(tmp_path / "full", [])
    check_output(tmp_path / "full", [], replace=False)  # digests are only added
    check_output(tmp_path / "new" / "deeper", [])
    with pytest.raises(OutputError):
        publish({"a": b"1"}, Path("/proc/briefings-cannot-be-here"))


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A real small file system (root only; skipped where mounting is not allowed)."""
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_real_full_disk_keeps_the_old_site(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "small", "256k") as fs:
        out = fs / "site"
        publish({f"p{i}.html": b"o" * 4000 for i in range(20)}, out)  # ~80 KB
        with pytest.raises(OutputError, match="No space left on device"):
            publish({f"p{i}.html": b"n" * 4000 for i in range(60)}, out)  # ~240 KB more
        assert sorted(p.name for p in fs.iterdir()) == ["site"]
        assert all(p.read_bytes() == b"o" * 4000 for p in out.glob("*.html"))


def test_a_real_read_only_file_system_is_a_message(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    with _tmpfs(tmp_path / "ro", "1m") as fs:
        publish({"a.html": b"old"}, fs / "site")
        subprocess.run(["mount", "-o", "remount,ro", str(fs)], check=True)
        code, _, err = _build(cli, root, "--out", str(fs / "site"))
        assert code == 3
        assert f"cannot write the site to {fs / 'site'}: Read-only file system" in err
        assert "Traceback" not in err
        assert (fs / "site" / "a.html").read_bytes() == b"old"


def test_digest_will_not_write_through_a_linked_folder(tmp_path: Path) -> None:
    out = tmp_path / "digests"
    (tmp_path / "elsewhere").mkdir()
    out.mkdir()
    (out / "en").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafeOutput, match="leads out of"):
        publish_module.write_files({"en/x.pdf": b"%PDF"}, out)
    assert not any((tmp_path / "elsewhere").iterdir())
    publish_module.write_files({"zh/x.pdf": b"%PDF"}, out)  # a real folder is fine
    assert (out / "zh" / "x.pdf").read_bytes() == b"%PDF"


def test_without_rename_exchange_the_swap_falls_back_and_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not Linux (or a file system without RENAME_EXCHANGE): two renames, and a build killed
    between them has its old site put back by the next one."""

    def unsupported(a: Path, b: Path) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(publish_module, "exchange", unsupported)
    out = tmp_path / "site"
    publish({"a.html": b"1"}, out)
    publish({"a.html": b"2"}, out)
    assert (out / "a.html").read_bytes() == b"2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    # The instant between the renames, as a kill leaves it: only `.site-old-*` remains.
    out.rename(tmp_path / ".site-old-abcd1234")
    publish({"a.html": b"3"}, out)
    assert (out / "a.html").read_bytes() == b"3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
