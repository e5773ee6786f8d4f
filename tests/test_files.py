"""The file rules (builder/files.py, docs/files.md) wherever the build reads: content, templates,
static files; FIFOs and oversized files are errors, never a hang or an out-of-memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from builder import files
from builder.errors import Report
from tests.conftest import BASIC, TEMPLATES, copy_site


def _project(tmp_path: Path, *, templates: bool = False) -> Path:
    root = copy_site(BASIC, tmp_path / "project")
    if templates:
        shutil.copytree(TEMPLATES, root / "templates", symlinks=True)
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real `briefings` process, bounded: a read that blocks fails the test, not the suite."""
    return subprocess.run(
        [sys.executable, "-m", "builder", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )


def test_a_fifo_named_like_a_briefing_is_an_error_not_a_hang(tmp_path: Path) -> None:
    root = _project(tmp_path)
    os.mkfifo(root / "content" / "articles" / "2024" / "x.md")
    for command in ("check", "build"):
        extra = ["--templates", str(TEMPLATES)] + (["--no-pdf"] if command == "build" else [])
        done = _run(root, command, *extra)
        assert done.returncode == 1, done.stderr
        assert (
            "content/articles/2024/x.md:1:1: error: not a regular file (a named pipe) (remove it)"
            in done.stderr
        )
        assert "Traceback" not in done.stderr
    assert not (root / "site").exists()


def test_static_link_out_of_the_project_is_refused_not_published(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path, templates=True)
    (root / "templates" / "static" / "notes.txt").symlink_to("/etc/passwd")
    code, _, err = cli("build", "--root", str(root), "--no-pdf")
    assert code == 1
    assert (
        "templates/static/notes.txt:1:1: error: symbolic link to '/etc/passwd', outside the project"
        in err
    )
    assert not (root / "site").exists()


def test_template_link_out_of_the_project_is_refused(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path, templates=True)
    outside = tmp_path / "elsewhere.html"
    outside.write_text("{{ 7 * 6 }}")
    (root / "templates" / "404.html").unlink()
    (root / "templates" / "404.html").symlink_to(outside)
    code, _, err = cli("build", "--root", str(root), "--no-pdf")
    assert code == 1
    assert "404.html: symbolic link to" in err and "outside the project" in err


def test_links_inside_the_project_are_followed(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    articles = root / "content" / "articles"
    shared = root / "archive" / "2023"
    shared.parent.mkdir()
    shutil.move(articles / "2023", shared)
    (articles / "2023").symlink_to(shared)  # a year folder that is a link inside the project
    code, _, err = cli(
        "build",
        "--root",
        str(root),
        "--templates",
        str(TEMPLATES),
        "--no-pdf",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, err
    assert (tmp_path / "out" / "en" / "briefings" / "2023" / "beta" / "index.html").is_file()


def test_oversized_files_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as fh:
        fh.truncate(files.TEXT_LIMIT + 1)  # sparse: costs no disk
    report = Report(tmp_path)
    from builder.load import read_text

    assert read_text(big, report) is None
    assert [e.format() for e in report.errors] == [
        "big.md:1:1: error: file too large (4.0 MB, at most 4 MB) (split it or make it smaller)"
    ]


def test_ingest_of_a_fifo_is_an_error_not_a_hang(tmp_path: Path) -> None:
    root = _project(tmp_path)
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    done = _run(root, "ingest", str(fifo), "--dry-run")
    assert done.returncode == 1
    assert "not a regular file (a named pipe)" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_an_articles_folder_linked_out_of_the_project_is_not_walked(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = _project(tmp_path)
    articles = root / "content" / "articles"
    shutil.move(articles, tmp_path / "elsewhere")
    articles.symlink_to(tmp_path / "elsewhere")
    code, _, err = cli("check", "--root", str(root), "--templates", str(TEMPLATES))
    assert code == 1
    assert "content/articles:1:1: error: symbolic link to" in err
    assert "content/articles/20" not in err  # nothing below it was read


def test_ingest_force_replaces_a_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    root = _project(tmp_path)
    source = tmp_path / "article.txt"
    source.write_text(
        "Jiangyan sets investment targets\n\nJiangyan district plans 5 billion yuan of "
        "investment this year.\n"
    )
    args = ("--region", "jiangyan", "--date", "2024-03-01")  # the page gives no date
    dry = _run(root, "ingest", str(source), *args, "--dry-run")
    target = Path(dry.stdout.split("would write")[1].split()[0])
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(victim)
    done = _run(root, "ingest", str(source), *args, "--force")
    assert done.returncode == 0, done.stdout + done.stderr
    assert victim.read_text() == "precious"
    assert not target.is_symlink() and "draft: true" in target.read_text()


def test_walk_lists_entries_sorted_and_says_which_are_folders(tmp_path: Path) -> None:
    """What the listing says (os.scandir) is what a stat says: folders, links to folders and
    to files inside the project, in the order Paths sort; a link out is reported, not listed."""
    base = tmp_path / "base"
    (base / "b" / "inner").mkdir(parents=True)
    (base / "b" / "inner" / "z.md").write_text("z")
    (base / "a.md").write_text("a")
    (base / "C.md").write_text("c")
    (base / "b.md").mkdir()  # a folder named like a file
    (base / "to-b").symlink_to(base / "b")
    (base / "to-a.md").symlink_to(base / "a.md")
    (base / "out").symlink_to(Path("/"))
    report = Report(tmp_path)
    found = list(files.walk(base, (tmp_path,), report))
    assert found == [(p, p.is_dir()) for p, _ in found]
    names = [p.relative_to(base).as_posix() for p, _ in found]
    assert names == [
        "C.md", "a.md", "b", "b/inner", "b/inner/z.md", "b.md", "to-a.md", "to-b",
    ]  # fmt: skip
    assert [p.name for p, folder in found if folder] == ["b", "inner", "b.md", "to-b"]
    assert [e.path for e in report.items] == ["base/out"]


def test_real_paths_of_briefings_are_what_resolving_gives(tmp_path: Path) -> None:
    """The site model keys briefings by real path (index._RealPaths): a file that is a link, a
    file in a linked folder and a plain file, asked in any order, resolve as Path.resolve."""
    from builder.index import _RealPaths

    year = tmp_path / "articles" / "2024"
    year.mkdir(parents=True)
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "target.md").write_text("t")
    (year / "plain.md").write_text("p")
    (year / "link.md").symlink_to(tmp_path / "kept" / "target.md")
    (tmp_path / "articles" / "2025").symlink_to(tmp_path / "kept")
    paths = [
        year / "plain.md",
        year / "link.md",
        tmp_path / "articles" / "2025" / "target.md",
        year / "gone.md",  # a briefing removed since (the preview's edit)
    ]
    real = _RealPaths()
    for path in [*paths, *reversed(paths)]:
        assert real(path) == path.resolve(), path
    assert real(year / "link.md") == tmp_path / "kept" / "target.md"
