"""The whole build as an unprivileged user on a machine with no CJK font, as on Netlify.

`briefings build` runs as `nobody` (setpriv), with its own HOME and caches and a fontconfig that
hides every system CJK font, in a project folder it owns. It must fetch the digest fonts from the
npm registry itself (no shared font cache), and its Chinese digests must embed exactly those
fonts and extract as the right text. `scripts/system-deps.sh build` must pass as `nobody` too:
it is the first step of `make site`, Netlify's build command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import EPOCH, PROJECT, SITES
from tests.test_fonts import embedded_fonts

SETPRIV = shutil.which("setpriv")
pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or SETPRIV is None, reason="needs root to switch to nobody (setpriv)"
)

# Every CJK font the system has is rejected, by the folders Debian installs CJK fonts into (a
# test checks with `fc-list :lang=zh` that none is left, and that other fonts still are).
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>{cache}</cachedir>
  <selectfont>
    <rejectfont>
      <glob>/usr/share/fonts/opentype/noto/*CJK*</glob>
      <glob>/usr/share/fonts/truetype/noto/*CJK*</glob>
      <glob>/usr/share/fonts/opentype/source-han*/*</glob>
      <glob>/usr/share/fonts/truetype/arphic*/*</glob>
      <glob>/usr/share/fonts/truetype/wqy/*</glob>
      <glob>/usr/share/fonts/truetype/droid/*Fallback*</glob>
      <glob>/usr/local/share/fonts/*</glob>
    </rejectfont>
  </selectfont>
</fontconfig>
"""


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Path]:
    # Not under pytest's tmp_path: its parents are private to root, and nobody must reach it.
    top = Path(tempfile.mkdtemp(prefix="briefings-nobody-"))
    top.chmod(0o755)
    try:
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _as_nobody(args: list[str], home: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "FONTCONFIG_FILE": str(home / "fonts.conf"),
        "SOURCE_DATE_EPOCH": EPOCH,
        "LANG": "C.UTF-8",
    }
    for name in ("NPM_CONFIG_REGISTRY", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        if name in os.environ:
            env[name] = os.environ[name]
    assert SETPRIV is not None
    cmd = [SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)  # type: ignore[call-overload, no-any-return]


@pytest.fixture(scope="module")
def built(sandbox: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The digest sample site with the project's templates, built by nobody."""
    project, home = sandbox / "project", sandbox / "home"
    shutil.copytree(SITES / "digest" / "content", project / "content")
    shutil.copytree(PROJECT / "templates", project / "templates")
    home.mkdir()
    (home / "fonts.conf").write_text(FONTS_CONF.format(cache=home / ".cache" / "fontconfig"))
    subprocess.run(["chown", "-R", "nobody:nogroup", str(sandbox)], check=True)
    briefings = str(Path(sys.executable).parent / "briefings")
    done = _as_nobody([briefings, "build", "--root", str(project)], home, timeout=600)
    return project, done


def test_no_cjk_font_is_visible_to_the_build(built: tuple[Path, object], sandbox: Path) -> None:
    listing = _as_nobody(["fc-list", ":lang=zh", "family", "file"], sandbox / "home", check=True)
    assert listing.stdout.strip() == ""
    every = _as_nobody(["fc-list", ":", "family"], sandbox / "home", check=True)
    assert every.stdout.strip(), "the fontconfig used hides every font, not just CJK ones"


def test_system_deps_pass_without_root(built: tuple[Path, object], sandbox: Path) -> None:
    done = _as_nobody([str(PROJECT / "scripts" / "system-deps.sh"), "build"], sandbox / "home")
    assert done.returncode == 0, done.stderr
    assert "apt-get" not in done.stdout + done.stderr


def test_build_as_nobody_fetches_the_fonts_and_embeds_only_them(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, done = built
    assert done.returncode == 0, done.stderr
    assert "digests: " in done.stderr and " done" in done.stderr  # progress was shown
    fonts = sorted(p.name for p in (project / ".cache" / "fonts").iterdir())
    assert fonts == [
        "NotoSansSC_400Regular.ttf",
        "NotoSansSC_700Bold.ttf",
        "SourceSerif4_400Regular.ttf",
        "SourceSerif4_400Regular_Italic.ttf",
        "SourceSerif4_700Bold.ttf",
    ]
    site = project / "site"
    zh = site / "digests" / "zh" / "jiangyan.pdf"
    en = site / "digests" / "en" / "jiangyan.pdf"
    assert {n.split("-SC")[0] for n in embedded_fonts(zh)} == {"Noto-Sans"}
    assert {n.split("-4")[0] for n in embedded_fonts(en)} >= {"Source-Serif"}
    assert all(n.startswith(("Noto-Sans-SC", "Source-Serif-4")) for n in embedded_fonts(en))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(zh), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "姜堰区于3月19日召开制造业大会。" in text
    pypdf_text = "".join(page.extract_text() for page in PdfReader(zh).pages)
    assert "姜堰区" in pypdf_text and "制造业" in pypdf_text
