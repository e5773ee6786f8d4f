"""The builder's code version: what every cache of earlier work is keyed by, besides its inputs.

Its own module, importing nothing heavy: the no-op check (manifest.py) compares it before the
build's modules are loaded.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
from pathlib import Path

# Libraries whose version can change the bytes of an output: the parsers, Jinja and its escaping,
# Babel's locale data (numbers, dates), the schema.
PACKAGES = (
    "markdown-it-py",
    "markdown-it-pyrs",
    "mdit-py-plugins",
    "pyyaml",
    "pydantic",
    "jinja2",
    "markupsafe",
    "babel",
)


@functools.cache
def code_version() -> str:
    """A hash of the builder's source, the Python version and the versions of `PACKAGES`.

    Any change to the code (a new Markdown rule, a fix in the YAML walk) invalidates the caches
    as a whole, which is simpler and safer than knowing which change affects which entry.
    """
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    digest.update(package_versions(PACKAGES).encode())
    return digest.hexdigest()


def package_versions(names: tuple[str, ...]) -> str:
    """`name=version` of each installed distribution (`?` when it is not installed)."""
    found = []
    for name in names:
        version = _from_folder_names().get(_normal(name)) or _from_metadata(name)
        found.append(f"{name}={version or '?'}")
    return ";".join(found)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def _from_folder_names() -> dict[str, str]:
    """Installed versions from the names of the distributions' folders on sys.path, the first of
    a name winning as for an import. The standard's folder name is `{name}-{version}.dist-info`
    with the name escaped (runs of `-_.` as `_`), so the version is read without opening a file:
    importlib.metadata parses each distribution's METADATA with the email package, 40 ms for
    eight names, paid by every build and every no-op check. An `.egg-info` folder need not name
    its version: it is recorded as "" (ask importlib.metadata), so that it still wins over a
    `.dist-info` of the same name further along the path."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in listing:
            if folder.endswith(".dist-info") and "-" in folder:
                name, _, version = folder.removesuffix(".dist-info").partition("-")
                versions.setdefault(_normal(name), version)
            elif folder.endswith(".egg-info"):
                name = folder.removesuffix(".egg-info").partition("-")[0]
                versions.setdefault(_normal(name), "")
    return versions


def _from_metadata(name: str) -> str | None:
    from importlib import metadata  # only for distributions not found by their folder

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
