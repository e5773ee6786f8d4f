"""The builder's code version: installed packages' versions read from their folder names."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from builder import version


def test_every_installed_distribution_has_the_version_importlib_reads() -> None:
    # Every distribution of this environment, not only the eight the caches are keyed by: the
    # folder names must give what the METADATA files say, however the project spells its name.
    names = sorted({d.metadata["Name"] for d in metadata.distributions()})
    assert len(names) > 20
    ours = version.package_versions(tuple(names)).split(";")
    theirs = [f"{name}={metadata.version(name)}" for name in names]
    assert ours == theirs


def test_a_missing_distribution_is_a_question_mark() -> None:
    assert version.package_versions(("no-such-distribution-here",)) == (
        "no-such-distribution-here=?"
    )


def test_the_first_folder_on_the_path_wins_and_egg_info_is_read_by_importlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "Some_Package-2.0.dist-info").mkdir(parents=True)
    (second / "some.package-1.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr("sys.path", [str(first), str(second), str(tmp_path / "missing")])
    version._from_folder_names.cache_clear()
    try:
        assert version.package_versions(("some-package",)) == "some-package=2.0"
        # An egg-info install earlier on the path wins, as it does for importlib.metadata, which
        # reads its version (its folder need not name it).
        egg = tmp_path / "egg"
        (egg / "some_package.egg-info").mkdir(parents=True)
        (egg / "some_package.egg-info" / "PKG-INFO").write_text(
            "Metadata-Version: 2.1\nName: some-package\nVersion: 3.0\n"
        )
        monkeypatch.setattr("sys.path", [str(egg), str(first), str(second)])
        version._from_folder_names.cache_clear()
        assert version.package_versions(("some-package",)) == "some-package=3.0"
        # Not in a .dist-info folder: importlib.metadata is asked, and finds none here.
        assert version.package_versions(("jinja2",)) == "jinja2=?"
    finally:
        version._from_folder_names.cache_clear()
