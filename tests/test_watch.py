"""The preview's watcher, for real: inotify through watchfiles, and the polling fallback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.watch import Watcher
from tests.servehelp import eventually


class Calls:
    """What the watcher handed over, call by call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.lock = threading.Lock()

    def __call__(self, paths: list[str]) -> None:
        with self.lock:
            self.calls.append(paths)

    def seen(self) -> set[str]:
        with self.lock:
            return {p for call in self.calls for p in call}


@pytest.fixture(params=["notify", "polling"])
def watched(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Watcher, Calls]]:
    for folder in ("content/articles/2024", "templates"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "content/site.yaml").write_text("title: x\n")
    calls = Calls()
    watcher = Watcher(
        [tmp_path / "content", tmp_path / "templates"],
        calls,
        polling=request.param == "polling",
    )
    watcher.prime()
    yield watcher, calls
    watcher.stop()


def test_linux_saves_come_from_notifications_not_polling(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    calls = Calls()
    watcher = Watcher([tmp_path / "content"], calls)
    watcher.prime()
    try:
        watcher.start()
        target = tmp_path / "content/site.yaml"
        target.write_text("title: x\n")
        eventually(lambda: str(target) in calls.seen(), "the save to be handed over")
        assert watcher.mode == "notify"  # inotify worked: no fallback to polling
    finally:
        watcher.stop()


def test_a_save_is_handed_over_by_its_path(watched: tuple[Watcher, Calls], tmp_path: Path) -> None:
    watcher, calls = watched
    watcher.start()
    target = tmp_path / "content/articles/2024/a.md"
    target.write_text("---\n")
    eventually(lambda: str(target) in calls.seen(), "the save to be handed over")
    template = tmp_path / "templates/base.html"
    template.write_text("<html>")
    eventually(lambda: str(template) in calls.seen(), "the template save to be handed over")


def test_editor_leftovers_are_ignored(watched: tuple[Watcher, Calls], tmp_path: Path) -> None:
    watcher, calls = watched
    watcher.start()
    folder = tmp_path / "content/articles/2024"
    for name in (".a.md.swp", "a.md~", "#a.md#", "4913"):
        (folder / name).write_text("x")
    (folder / "a.md").write_text("---\n")  # after them: when it is seen, they were too
    eventually(lambda: str(folder / "a.md") in calls.seen(), "the real save")
    assert calls.seen() == {str(folder / "a.md")}


def test_a_burst_of_saves_is_handed_over_together(
    watched: tuple[Watcher, Calls], tmp_path: Path
) -> None:
    watcher, calls = watched
    watcher.start()
    paths = {str(tmp_path / f"content/articles/2024/b{k}.md") for k in range(30)}
    for path in sorted(paths):
        Path(path).write_text("---\n")
    eventually(lambda: paths <= calls.seen(), "every save of the burst")
    assert len(calls.calls) < 10, calls.calls  # grouped, not one rebuild per file


def test_saves_before_start_are_handed_over_after_it(
    watched: tuple[Watcher, Calls], tmp_path: Path
) -> None:
    """Between prime() and start() the preview makes its first build: a save then must not be
    lost, and must not start a rebuild before the first build is done."""
    watcher, calls = watched
    target = tmp_path / "content/site.yaml"
    target.write_text("title: y\n")
    threading.Event().wait(0.3)
    assert calls.calls == []
    watcher.start()
    eventually(lambda: str(target) in calls.seen(), "the early save")
