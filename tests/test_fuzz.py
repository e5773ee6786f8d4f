"""Fuzzing `check` and `build` with Hypothesis: generated front-matter (hostile YAML included) and
file trees (links in and out of the project, FIFOs, folders named like briefings, odd names).

Whatever the input, a run must end (no hang), return an exit status (no traceback), and write
nothing outside its output folder. Bounded: a fixed number of derandomised examples (the same
ones on every run, so CI is stable); FUZZ_EXAMPLES=500 explores more, with fresh randomness.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import main
from tests.conftest import BASIC, EPOCH, TEMPLATES

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
RUN_SECONDS = 20  # one run beyond this is a hang

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30
) | st.sampled_from(["", "\u202eevil", "a\x1bb", "\x00", "\v", "Taizhou", "泰州", "-" * 3])
_scalar = (
    _text
    | st.integers(min_value=-(10**60), max_value=10**60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.none()
    | st.sampled_from(["2024-02-30", "2024-06-01", "1717200000", 1717200000, "2024", ".nan"])
)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_KEYS = ["title", "date", "region", "topics", "summary", "source", "figures", "draft"]
_KEYS += ["translated_from", "value", "unit", "kind"]
_front = st.dictionaries(st.sampled_from(_KEYS) | _text, _value, max_size=8)
# Raw YAML an editor (or attacker) might write that no dict can express.
_raw_yaml = st.sampled_from(
    [
        "a: &a [x, x]\nb: [*a, *a]\n",
        "x: !!python/object/apply:os.system [echo]\n",
        "x: " + "[" * 5000 + "]" * 5000 + "\n",
        "x: {" * 60 + "}" * 60 + "\n",
        "<<: {title: a}\n",
        "title: a\ntitle: b\n",
        "title: 'unterminated\n",
        "\t- tab\n",
        'title: "\\x1b\\u202e\\0"\n',
        "",
    ]
)
_NAMES = ["alpha.md", "alpha.zh.md", "new.md", "new.zh.md", "x.fr.md", "UPPER.md", "a.b.c.md"]
_NAMES += ["dir.md", ".hidden.md", "notes.txt", "-.md", "ok-1.md"]
_name = st.sampled_from(_NAMES)
_KINDS = ["front", "raw", "bytes", "link-inside", "link-passwd", "link-zero", "dangling"]
_KINDS += ["fifo", "folder", "link-year"]
_kind = st.sampled_from(_KINDS)
_entry = st.tuples(st.sampled_from(["2023", "2024", "20x4", "2025"]), _name, _kind)


def _front_text(data: dict[Any, Any], body: str) -> str:
    try:
        dumped = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        dumped = "title: x\n"
    return f"---\n{dumped}---\n{body}\n"


def _make(articles: Path, entry: tuple[str, str, str], front: dict[Any, Any], raw: str) -> None:
    year, name, kind = entry
    folder = articles / year
    if kind == "link-year":
        if not folder.exists():
            folder.symlink_to(articles / "2024")
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.exists() or path.is_symlink():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if kind == "front":
        path.write_text(_front_text(front, "Body with a [link](../2023/beta.md)."), "utf-8")
    elif kind == "raw":
        path.write_text(f"---\n{raw}---\nBody.\n", "utf-8")
    elif kind == "bytes":
        path.write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    elif kind == "link-inside":
        path.symlink_to(articles / "2023" / "beta.md")
    elif kind == "link-passwd":
        path.symlink_to("/etc/passwd")
    elif kind == "link-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dangling":
        path.symlink_to(folder / "nowhere.md")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
        (path / "inner.md").write_text("---\ntitle: inner\n---\n")


def _snapshot(folder: Path, *skip: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if Path(dirpath) / d not in skip]
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            info = p.lstat()
            found[str(p.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found


@contextlib.contextmanager
def _bounded(seconds: int) -> Iterator[None]:
    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError(f"a run took over {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(
    max_examples=EXAMPLES or 25,
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    entries=st.lists(_entry, min_size=1, max_size=4),
    front=_front,
    raw=_raw_yaml,
    catalogue=st.sampled_from([None, "site.yaml", "regions.yaml", "topics.yaml"]),
    build=st.booleans(),
)
def test_no_traceback_no_hang_no_write_outside_the_output(
    entries: list[tuple[str, str, str]],
    front: dict[Any, Any],
    raw: str,
    catalogue: str | None,
    build: bool,
) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(BASIC / "content", root / "content")
        for entry in entries:
            _make(root / "content" / "articles", entry, front, raw)
        if catalogue is not None:  # a catalogue broken the same ways, or replaced by the dict
            path = root / "content" / catalogue
            path.write_text(raw or yaml.safe_dump(front, allow_unicode=True), "utf-8")
        out = Path(tmp) / "out"
        # A build may keep its cache in <root>/.cache (issue 13); `check` writes nothing at all.
        cache = root / ".cache"
        cache.mkdir()
        allowed = (out, cache) if build else (out,)
        before = _snapshot(Path(tmp), *allowed)
        args = ["--root", str(root), "--templates", str(TEMPLATES)]
        if build:
            args = ["build", *args, "--out", str(out), "--no-pdf", "--no-search"]
        else:
            args = ["check", *args]
        stderr = io.StringIO()
        quiet = contextlib.redirect_stdout(io.StringIO())
        with _bounded(RUN_SECONDS), contextlib.redirect_stderr(stderr), quiet:
            code = main(args)  # an exception here is the traceback a user would see
        assert code in (0, 1), stderr.getvalue()
        assert _snapshot(Path(tmp), *allowed) == before, "something was written outside --out"
        if build and code == 0:
            assert (out / ".briefings-build").is_file()
        if code == 1:
            assert "error" in stderr.getvalue()
