"""The digest fonts: pinned packages from the npm registry, verified, and what fails clearly."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from builder import fonts
from builder.render_pdf import PdfJob, render_pdf
from tests.conftest import FONT_CACHE


@pytest.fixture(scope="module")
def faces() -> dict[fonts.Face, Path]:
    """The real fonts, fetched from the registry if this machine has none yet, and verified."""
    return fonts.ensure(FONT_CACHE)


def test_every_pinned_face_is_present_and_matches_its_checksum(
    faces: dict[fonts.Face, Path],
) -> None:
    assert set(faces) == set(fonts.FACES)
    for face, path in faces.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == face.sha256
    assert {"Source Serif 4", "Noto Sans SC"} == fonts.FAMILIES


def _registry_with(tmp_path: Path, package: fonts.Package, members: dict[str, bytes]) -> str:
    """A registry folder (file:// URL) serving a tarball with the given files."""
    base = package.name.split("/")[-1]
    tgz = tmp_path / "registry" / package.name / "-" / f"{base}-{package.version}.tgz"
    tgz.parent.mkdir(parents=True)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    tgz.write_bytes(buf.getvalue())
    return (tmp_path / "registry").as_uri()


def test_a_tampered_package_is_refused_and_nothing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = {f.member: b"not a font" for f in fonts.FACES}
    url = _registry_with(tmp_path, fonts.NOTO_SANS_SC, members)
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", url)
    folder = tmp_path / "fonts"
    with pytest.raises(fonts.FontsUnavailable, match="do not match the pinned checksum"):
        fonts.ensure(folder)
    assert not folder.exists() or not any(folder.iterdir())


def test_an_unreachable_registry_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", "http://127.0.0.1:9")  # discard port: refused
    with pytest.raises(fonts.FontsUnavailable) as failed:
        fonts.ensure(tmp_path / "fonts", timeout=5)
    message = str(failed.value)
    assert "could not download the fonts @expo-google-fonts/" in message
    assert "http://127.0.0.1:9/@expo-google-fonts/" in message
    assert "--no-pdf" in message and "NPM_CONFIG_REGISTRY" in message


def test_a_damaged_cached_file_is_fetched_again(
    tmp_path: Path, faces: dict[fonts.Face, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    for path in faces.values():
        (folder / path.name).write_bytes(path.read_bytes())
    latin = next(f for f in fonts.FACES if f.package == fonts.SOURCE_SERIF_4)
    (folder / latin.filename).write_bytes(b"damaged")
    # Only the Latin package may be fetched: a registry without the CJK one proves it.
    fetched: list[str] = []
    real_fetch = fonts._fetch

    def spy(package: fonts.Package, *args: object, **kw: object) -> None:
        fetched.append(package.name)
        real_fetch(package, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(fonts, "_fetch", spy)
    paths = fonts.ensure(folder)
    assert fetched == [fonts.SOURCE_SERIF_4.name]
    assert hashlib.sha256(paths[latin].read_bytes()).hexdigest() == latin.sha256


def _job(body: str, faces: dict[fonts.Face, Path], lang: str = "en") -> PdfJob:
    family = '"Noto Sans SC"' if lang == "zh" else '"Source Serif 4", "Noto Sans SC"'
    html = (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>T</title>"
        f"<style>html {{ font-family: {family} }}</style></head><body>{body}</body></html>"
    )
    folder = str(next(iter(faces.values())).parent)
    return PdfJob(
        name=f"digests/{lang}/test.pdf",
        html=html,
        base_url=Path(folder).as_uri() + "/",
        allowed=(folder,),
        identifier=b"0123456789abcdef",
        font_css=fonts.face_css(faces),
        font_files=tuple(str(p) for p in faces.values()),
        families=tuple(sorted(fonts.FAMILIES)),
    )


def embedded_fonts(pdf: Path) -> list[str]:
    """Font names as poppler's pdffonts lists them, without the subset tag (ABCDEF+)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return sorted(line.split()[0].split("+", 1)[-1] for line in out.stdout.splitlines()[2:])


def test_english_is_set_in_the_latin_face_with_chinese_names_in_the_cjk_face(
    faces: dict[fonts.Face, Path], tmp_path: Path
) -> None:
    result = render_pdf(
        _job("<p>The province’s capital, <i>Nanjing</i> (南京), <b>grew</b>.</p>", faces)
    )
    assert result.ok, result.problems
    assert result.pdf is not None
    (tmp_path / "t.pdf").write_bytes(result.pdf)
    names = embedded_fonts(tmp_path / "t.pdf")
    assert len(names) == 4, names
    assert sum(n.startswith("Source-Serif-4") for n in names) == 3  # regular, italic, bold
    assert sum(n.startswith("Noto-Sans-SC") for n in names) == 1
    assert (
        "province’s"
        in subprocess.run(
            ["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_a_character_missing_from_the_digest_fonts_names_it_and_not_a_package(
    faces: dict[fonts.Face, Path],
) -> None:
    """Issue 15: the hint said 'install fonts-noto-cjk' even when the font was there and simply
    lacked the character. U+E000 is private use: no font has it."""
    result = render_pdf(_job("<p>框：\ue000</p>", faces, "zh"))
    assert not result.ok and result.pdf is None
    (problem,) = [p for p in result.problems if "no font can draw" in p.message]
    assert "U+E000" in problem.message
    assert "none of the digest fonts" in problem.hint and "NotoSansSC" in problem.hint
    assert "apt-get" not in problem.hint and "install" not in problem.hint


def test_text_the_digest_fonts_cannot_set_never_falls_back_to_a_machine_font(
    faces: dict[fonts.Face, Path],
) -> None:
    """Devanagari is in neither digest font; if the machine has a font for it, fontconfig would
    quietly use that, and the PDF would depend on the machine. Either way the build fails."""
    assert fonts.missing_from_fonts("क", faces.values()) == "क"
    result = render_pdf(_job("<p>Hindi: कमल</p>", faces))
    assert not result.ok
    messages = " ".join(p.message for p in result.problems if p.error)
    assert "machine's font" in messages or "no font can draw" in messages
