"""The builder's code version: what every cache of earlier work is keyed by, besides its inputs.

Its own module, importing nothing heavy: the no-op check (manifest.py) compares it before the
build's modules are loaded.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from importlib import metadata
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
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ";".join(found)
