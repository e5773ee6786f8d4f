"""The digests' fonts: pinned npm packages, fetched once into a cache folder, checksums verified.

Digests must not depend on what fonts a machine happens to have: Netlify's build image has no CJK
font and its build runs without root, and a system font makes the PDF change with the machine.
So the fonts come from the npm registry (reachable without root wherever the build runs) as the
`@expo-google-fonts/*` packages, which ship whole TrueType files. Each package is pinned by
version and by the registry's sha512 integrity of its tarball, and each extracted file by its
sha256, so a changed upstream file can never slip into a digest.

Files are kept in `<root>/.cache/fonts/` (ignored by git; Netlify keeps it between builds, see
docs/hosting.md). A build with the files present makes no network request. The faces are loaded
with `@font-face` (`face_css`), through the one FontConfiguration of each render.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from builder import atomic

REGISTRY = "https://registry.npmjs.org"
LATIN = "Source Serif 4"  # English text face: typographic quotes, true italics, old-style feel
CJK = "Noto Sans SC"  # Chinese text and the fallback for Chinese names in English digests


@dataclass(frozen=True)
class Package:
    name: str  # npm name
    version: str
    integrity: str  # the registry's `dist.integrity` (sha512, base64) of the tarball

    @property
    def tarball_url(self) -> str:
        # npm's own setting, so a mirror configured for npm serves the fonts too
        registry = os.environ.get("NPM_CONFIG_REGISTRY", "").rstrip("/") or REGISTRY
        base = self.name.split("/")[-1]
        return f"{registry}/{self.name}/-/{base}-{self.version}.tgz"


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    style: str  # 'normal' or 'italic'
    package: Package
    member: str  # path inside the tarball
    sha256: str

    @property
    def filename(self) -> str:
        return Path(self.member).name


NOTO_SANS_SC = Package(
    "@expo-google-fonts/noto-sans-sc",
    "0.4.3",
    "sha512-9rAwdFTFHbO/u6Cs0gj2jZbW74TGIiaFNQnXYH2s5wA1bzVkwbaviL4t8YUV642eGYjg86eH6DkAEQmfNHDncQ==",
)
SOURCE_SERIF_4 = Package(
    "@expo-google-fonts/source-serif-4",
    "0.4.1",
    "sha512-Ej4UXDjW1kwYPHG8YLq6fK1bqnJGb3K35J3S5atSL0ScKFAFLKvndxoTWeCls7mybtlS9x99hzwDeXCBkiI3rA==",
)

FACES: tuple[Face, ...] = (
    Face(
        CJK,
        400,
        "normal",
        NOTO_SANS_SC,
        "package/400Regular/NotoSansSC_400Regular.ttf",
        "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16",
    ),
    Face(
        CJK,
        700,
        "normal",
        NOTO_SANS_SC,
        "package/700Bold/NotoSansSC_700Bold.ttf",
        "9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96",
    ),
    Face(
        LATIN,
        400,
        "normal",
        SOURCE_SERIF_4,
        "package/400Regular/SourceSerif4_400Regular.ttf",
        "d47da11c5f55f031d9ec54c3172865d76009b2cbab5c706dfa73866b00096639",
    ),
    Face(
        LATIN,
        400,
        "italic",
        SOURCE_SERIF_4,
        "package/400Regular_Italic/SourceSerif4_400Regular_Italic.ttf",
        "8abc06ebcf3a84d6e18763fad2fd237c9149104f16963f459c8763390048aff2",
    ),
    Face(
        LATIN,
        700,
        "normal",
        SOURCE_SERIF_4,
        "package/700Bold/SourceSerif4_700Bold.ttf",
        "162a20188bb5c72582b77ca1c3a03480b743695b1c3c04dd0d79ead4e74f4533",
    ),
)
FAMILIES = frozenset(f.family for f in FACES)


class FontsUnavailable(Exception):
    """The digest fonts could not be fetched or verified; the message says what and how to fix."""


def cache_folder(root: Path) -> Path:
    """`<root>/.cache/fonts`, or the folder named by BRIEFINGS_FONT_CACHE (the tests share one
    folder across their many temporary projects instead of fetching the fonts for each)."""
    override = os.environ.get("BRIEFINGS_FONT_CACHE", "").strip()
    return Path(override) if override else root / ".cache" / "fonts"


def fingerprint() -> str:
    """What identifies the fonts of every digest: the pinned files' checksums."""
    return ";".join(f"{f.family}/{f.weight}/{f.style}={f.sha256}" for f in FACES)


def ensure(folder: Path, timeout: float = 120.0) -> dict[Face, Path]:
    """The path of every face under `folder`, fetching and verifying what is missing."""
    paths = {face: folder / face.filename for face in FACES}
    missing = [f for f, p in paths.items() if not _verified(p, f.sha256)]
    for package in dict.fromkeys(f.package for f in missing):
        _fetch(package, [f for f in missing if f.package == package], folder, timeout)
    return paths


def _verified(path: Path, sha256: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def _fetch(package: Package, faces: list[Face], folder: Path, timeout: float) -> None:
    url = package.tarball_url
    where = f"{package.name}@{package.version} from {url}"
    hint = (
        "the PDF digests need these fonts: allow the build to reach the npm registry "
        "(set NPM_CONFIG_REGISTRY for a mirror) or build with --no-pdf"
    )
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FontsUnavailable(f"could not download the fonts {where}: {reason}; {hint}") from exc
    algorithm, _, expected = package.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise FontsUnavailable(
            f"the fonts {where} do not match the pinned checksum ({package.integrity}); "
            "the download was damaged or the registry serves another file: nothing was used"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for face in faces:
                member = tar.extractfile(face.member)
                content = member.read() if member is not None else b""
                if hashlib.sha256(content).hexdigest() != face.sha256:
                    raise FontsUnavailable(
                        f"{face.member} in {where} does not match its pinned sha256"
                    )
                # a shared cache: other users' builds read the fonts too
                atomic.write(folder / face.filename, content, mode=0o644)
    except (tarfile.TarError, KeyError) as exc:
        raise FontsUnavailable(f"the fonts {where} are not a readable package: {exc}") from exc
    except OSError as exc:
        raise FontsUnavailable(
            f"could not write the digest fonts into {folder}: {exc.strerror or exc}"
        ) from exc


def face_css(paths: dict[Face, Path]) -> str:
    """@font-face rules for the faces, by file URL (the digest fetcher allows the folder)."""
    rules = []
    for face, path in paths.items():
        rules.append(
            "@font-face {"
            f' font-family: "{face.family}"; font-weight: {face.weight};'
            f" font-style: {face.style}; src: url({path.resolve().as_uri()});"
            " }"
        )
    return "\n".join(rules) + "\n"


def missing_from_fonts(text: str, paths: Iterable[Path]) -> str:
    """The characters of `text` that none of the font files has, for error messages."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # comes with WeasyPrint

    covered: set[int] = set()
    for path in dict.fromkeys(paths):
        try:
            with TTFont(path, lazy=True) as font:
                covered.update(font.getBestCmap() or {})
        except Exception:  # an unreadable file covers nothing; the caller says so
            continue
    return "".join(dict.fromkeys(c for c in text if ord(c) not in covered))
