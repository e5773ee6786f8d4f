from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BASIC, TEMPLATES, copy_site


def test_help_explains_commands_and_options(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--help")
    assert code == 0 and "build" in out and "check" in out and "Exit status" in out
    code, out, _ = cli("build", "--help")
    for option in ("--root", "--content", "--templates", "--out", "--drafts", "--strict"):
        assert option in out
    code, out, _ = cli("check", "--help")
    assert code == 0 and "without writing anything" in " ".join(out.split())


def test_usage_errors_exit_2(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli()[0] == 2
    assert cli("build", "--bogus")[0] == 2
    code, _, err = cli("build", "--root", str(tmp_path / "nope"))
    assert code == 2 and "is not a folder" in err


def test_build_refuses_output_over_sources(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "p")
    for out in (root, root / "content", root / "templates", tmp_path):
        code, _, err = cli(
            "build", "--root", str(root), "--templates", str(TEMPLATES), "--out", str(out)
        )
        assert code == 2 and "choose another --out" in err, out
    assert (root / "content" / "site.yaml").is_file()


def test_build_and_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "p")
    code, out, err = cli("check", "--root", str(root), "--templates", str(TEMPLATES))
    assert code == 0 and "checked 2 briefings" in out
    assert "content/articles/2023/beta.md:1:1: warning: no zh translation" in err
    assert not (root / "site").exists(), "check writes nothing"
    code, out, _ = cli("build", "--root", str(root), "--templates", str(TEMPLATES))
    assert code == 0 and (root / "site/en/index.html").is_file()
    # The full build, end to end, includes a digest per region with briefings and language.
    digests = sorted(
        p.relative_to(root / "site").as_posix() for p in root.glob("site/digests/*/*.pdf")
    )
    assert digests == [
        f"digests/{lang}/{slug}.pdf"
        for lang in ("en", "zh")
        for slug in ("jiangsu", "jiangyan", "taizhou-jiangsu", "taizhou-zhejiang", "zhejiang")
    ]
    code, out, _ = cli("check", "--root", str(root), "--templates", str(TEMPLATES), "--drafts")
    assert "checked 4 briefings" in out


def test_strict_turns_warnings_into_errors(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "p")
    code, _, err = cli(
        "build", "--root", str(root), "--templates", str(TEMPLATES), "--strict", "--no-pdf"
    )
    assert code == 1
    assert (
        "content/articles/2023/beta.md:1:1: error: no zh translation (add beta.zh.md beside it)"
        in err
    )
    assert not (root / "site").exists()


def test_stale_translation_warns_with_the_new_hash(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = copy_site(BASIC, tmp_path / "p")
    original = root / "content/articles/2024/alpha.md"
    original.write_text(original.read_text().replace("factories to grow", "factories to expand"))
    code, _, err = cli("check", "--root", str(root), "--templates", str(TEMPLATES))
    assert code == 0
    stale = [line for line in err.splitlines() if "stale translation" in line]
    assert len(stale) == 1
    assert stale[0].startswith("content/articles/2024/alpha.zh.md:4:18: warning: stale translation")
    assert "set translated_from: " in stale[0]
    code, _, _ = cli("build", "--root", str(root), "--templates", str(TEMPLATES), "--no-pdf")
    page = (root / "site/zh/briefings/2024/alpha/index.html").read_text()
    assert "译文可能已过时" in page


def test_separate_content_and_templates_folders(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy_site(BASIC, tmp_path / "elsewhere")
    code, _, _ = cli(
        "build",
        "--root",
        str(tmp_path),
        "--content",
        str(tmp_path / "elsewhere/content"),
        "--templates",
        str(TEMPLATES),
        "--no-pdf",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0 and (tmp_path / "out/zh/index.html").is_file()


def test_template_syntax_error_names_file_and_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    root = copy_site(BASIC, tmp_path / "p")
    shutil.copytree(TEMPLATES, root / "templates")
    page = root / "templates/topics.html"
    lines = page.read_text().splitlines()
    lines[3] = "{% if %}"
    page.write_text("\n".join(lines) + "\n")
    code, _, err = cli("build", "--root", str(root), "--no-pdf")
    assert code == 1
    errors = [e for e in err.splitlines() if ": error: " in e]
    assert len(errors) == 1 and errors[0].startswith(
        "templates/topics.html:4:1: error: template error"
    )


@pytest.mark.parametrize("template", ["feed.xml", "sitemap.xml", "root.html"])
def test_an_error_in_a_template_made_after_the_pages_names_file_and_line(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, template: str
) -> None:
    """Feeds, the sitemap and the root page are not pages of the plan; an error in theirs used
    to end the build with a Python traceback."""
    import shutil

    root = copy_site(BASIC, tmp_path / "p")
    shutil.copytree(TEMPLATES, root / "templates")
    page = root / "templates" / template
    lines = page.read_text().splitlines()
    lines[1] += "{{ nothing.here }}"
    page.write_text("\n".join(lines) + "\n")
    code, _, err = cli("build", "--root", str(root), "--no-pdf", "--no-search")
    assert code == 1 and "Traceback" not in err, err
    errors = [e for e in err.splitlines() if ": error: " in e]
    assert len(errors) == 1, err
    assert errors[0].startswith(f"templates/{template}:2:1: error: template error: 'nothing' is")
    assert not (root / "site").exists()


def test_a_build_without_pdfs_never_loads_weasyprint(tmp_path: Path) -> None:
    """WeasyPrint takes about half a second to import: the whole of a warm build's budget."""
    import subprocess
    import sys

    site = copy_site(BASIC, tmp_path / "site")
    code = (
        "import sys; from builder.cli import main; "
        f"rc = main(['build', '--root', {str(site)!r}, '--templates', {str(TEMPLATES)!r}, "
        "'--no-pdf', '--no-search']); "
        "print(rc, 'weasyprint' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.stdout.split()[-2:] == ["0", "False"], done.stdout + done.stderr


@pytest.mark.parametrize("broken", [False, True])
def test_the_console_script_flushes_what_it_printed_before_it_ends(
    tmp_path: Path, broken: bool
) -> None:
    """`python -m builder` (and `briefings`) end with os._exit, skipping Python's teardown: the
    report must still be all there, also where the streams are files (block-buffered)."""
    import os
    import shutil
    import subprocess
    import sys

    root = copy_site(BASIC, tmp_path / "p")
    shutil.copytree(TEMPLATES, root / "templates")
    if broken:
        page = root / "templates/topics.html"
        page.write_text(page.read_text() + "{% if %}\n")
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        code = subprocess.call(
            [sys.executable, "-m", "builder", "build", "--root", str(root), "--no-pdf"],
            stdout=stdout,
            stderr=stderr,
            cwd=Path(__file__).resolve().parents[1],
            # Block-buffered, as a file is by default: nothing printed reaches it unflushed.
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        )
    printed, problems = out.read_text(), err.read_text()
    if broken:
        assert code == 1 and problems.endswith("briefings: 1 error; nothing was written\n")
        assert "templates/topics.html" in problems
    else:
        assert code == 0, problems
        assert printed.startswith("built ") and "\nstages: " in printed and printed.endswith("\n")
        assert "warning: no zh translation" in problems
