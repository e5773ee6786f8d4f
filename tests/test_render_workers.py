"""A build whose front-matter is parsed and whose pages are rendered by forked workers
(buildcache.parse_ahead, render_share.py, forked.py) is the build one process makes: the same
bytes in every file, the same problems in the same order, the same caches for the next build;
and a worker's failure is reported, never a hang.

The sample sites are small, so the thresholds for workers are lowered to one file and one page;
the chunks of pages are a page each, so both processes render pages of every kind.
"""

from __future__ import annotations

import dataclasses
import itertools
import marshal
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from builder import articles, buildcache, forked, render_html, render_share
from builder.errors import BuildFailed, Report
from builder.load import split_front_matter, text_hash
from builder.pipeline import build
from tests.bench.corpus import make_corpus
from tests.conftest import SITES, TEMPLATES, copy_sample, options

INVALID = sorted(p for p in (SITES / "invalid").iterdir() if p.is_dir())


@pytest.fixture(autouse=True)
def _workers_for_any_site(monkeypatch: pytest.MonkeyPatch) -> None:
    if not forked.available():
        pytest.skip("render workers are forked: Linux only")
    monkeypatch.setattr(render_share, "PARALLEL_FROM", 1)
    monkeypatch.setattr(buildcache, "AHEAD_FROM", 1)
    monkeypatch.setattr(buildcache, "AHEAD_CHUNK", 1)  # a file a chunk: both processes parse
    monkeypatch.setattr(render_share, "SHARE", 10**6)  # a page a chunk
    monkeypatch.setattr(render_share, "SMALLEST", 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _build(root: Path, jobs: int) -> tuple[Report, dict[str, bytes], dict[str, Any], list[str]]:
    """A cold build into <root>/site with its own cache; the report, the site's files, the
    caches it saved for the next build and the order of its outputs."""
    for folder in ("site", ".cache"):
        shutil.rmtree(root / folder, ignore_errors=True)
    opts = dataclasses.replace(options(root, pdf=False, search=False), jobs=jobs)
    order: list[str] = []
    try:
        result = build(opts)
        report, order = result.report, list(result.outputs)
    except BuildFailed as exc:
        report = exc.report
    site = root / "site"
    files = _files(site) if site.is_dir() else {}
    caches = {}
    # The no-op build's manifest is left out: whether a build records one depends on how long
    # ago the sources were written (manifest.py), not on who rendered the pages.
    for path in (root / ".cache" / "build").glob("*.marshal"):
        if path.name == "manifest.marshal":
            continue
        header, *entries = marshal.loads(path.read_bytes())
        parts = (sorted(e.items()) if isinstance(e, dict) else e for e in entries)
        caches[path.name] = (header, *parts)
    return report, files, caches, order


@pytest.mark.parametrize("sample", ["basic", "trilingual"])
def test_workers_make_the_same_site_report_and_caches(tmp_path: Path, sample: str) -> None:
    root = copy_sample(sample, tmp_path / sample, templates=True)
    one = _build(root, 1)
    two = _build(root, 2)
    assert one[1] and sorted(one[1]) == sorted(two[1])
    for name, data in one[1].items():
        assert two[1][name] == data, name
    assert one[0].items == two[0].items  # the same problems, in the same order
    assert one[2] == two[2]  # the next build's caches: rendered bodies, the outputs' memo
    assert set(one[2]) == {"sources.marshal", "outputs.marshal"}
    # A warm build after a build with workers reuses everything it made.
    opts = dataclasses.replace(options(root, pdf=False, search=False), jobs=2)
    result = build(opts)
    assert result.stages is not None
    render = next(s for s in result.stages.done if s.name == "render")
    assert int(render.note.split()[0].replace(",", "")) > 20, render.note
    assert _files(root / "site") == two[1]


def test_problems_and_images_of_many_pages_come_in_page_order(tmp_path: Path) -> None:
    """A synthetic archive whose briefings, all over the page plan, link to briefings that do
    not exist, then embed images instead: the pages are shared between the processes, and the
    report, the site and the order of its outputs must still be one process's."""
    root = tmp_path / "archive"
    make_corpus(root, 90, seed=5)
    shutil.copytree(TEMPLATES, root / "templates")
    png = (SITES / "basic" / "expected" / "static").glob("apple-touch-icon.*.png")
    picture = next(iter(png)).read_bytes()
    articles = sorted((root / "content" / "articles").rglob("b*.md"))[::4]
    texts = {path: path.read_text("utf-8") for path in articles}
    for n, path in enumerate(articles):
        path.write_text(texts[path] + f"\n\nSee [nothing](../2015/nowhere-{n}.md).\n", "utf-8")
    one, two = _build(root, 1), _build(root, 2)
    problems = [e for e in one[0].items if "nowhere" in e.message]
    assert len(problems) == len(articles), one[0].items
    assert one[0].items == two[0].items
    for n, path in enumerate(articles):
        path.write_text(texts[path] + f"\n\n![A chart](chart-{n % 3}.png)\n", "utf-8")
        (path.parent / f"chart-{n % 3}.png").write_bytes(picture)
    one, two = _build(root, 1), _build(root, 2)
    assert not one[0].errors, one[0].errors
    assert [name for name in one[1] if "chart-" in name]
    assert one[1] == two[1]
    assert one[3] == two[3]  # the outputs in the same order: pages, then the rest


def test_front_matter_parsed_ahead_reports_its_problems_in_place(tmp_path: Path) -> None:
    """Titles with a control character (a warning, the front-matter still read) and a broken
    YAML block, in files all over the archive: the problems come in the order of the files."""
    root = tmp_path / "archive"
    make_corpus(root, 60, seed=7)
    shutil.copytree(TEMPLATES, root / "templates")
    articles = sorted((root / "content" / "articles").rglob("b*.md"))
    for n, path in enumerate(articles[::5]):
        text = path.read_text("utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title: "))
        path.write_text(text.replace(title, f'title: "Bell\\u0007rings {n}"'), "utf-8")
    broken = next(
        p for n, p in enumerate(articles) if n > 30 and n % 5 and not p.name.endswith(".zh.md")
    )
    broken.write_text(broken.read_text("utf-8").replace("region: ", "region: [", 1), "utf-8")
    one, two = _build(root, 1), _build(root, 2)
    invisible = [e for e in one[0].items if "invisible" in e.message]
    assert len(invisible) == len(articles[::5]), one[0].items
    assert any(e.path.endswith(broken.name) for e in one[0].errors), one[0].errors
    assert one[0].items == two[0].items


def test_front_matter_parsed_ahead_by_both_processes_comes_back_whole(tmp_path: Path) -> None:
    """Every file's front-matter parsed ahead, and the hash of its text, are what a plain read
    and parse give, whichever process read it (a child's share travels back marshalled); both
    processes took files, and the build reads none of them again."""
    root = tmp_path / "archive"
    make_corpus(root, 40, seed=3)
    paths = sorted((root / "content" / "articles").rglob("*.md"))
    readers = tmp_path / "readers"
    parent = os.getpid()

    def read(path: Path, report: Report) -> str | None:
        with readers.open("a") as out:  # appended from both processes
            out.write(f"{os.getpid()}\n")
        if os.getpid() == parent:
            time.sleep(0.01)  # the child surely gets files too
        return path.read_text("utf-8")

    cache = buildcache.SourceCache(None)
    cache.parse_ahead(paths, read, root, 2)
    assert len(set(readers.read_text().split())) == 2
    lines = len(readers.read_text().split())
    for path in paths:
        text = path.read_text("utf-8")
        ahead = cache.take_ahead(path)
        plain = split_front_matter(text, path, Report(root))
        assert ahead is not None and plain is not None
        assert ahead == (plain, text_hash(text)), path
        assert cache.take_ahead(path) is None  # taken once
    assert lines == len(paths)  # each file read once, in one of the processes
    assert cache.misses == len(paths)


def test_a_cold_build_with_workers_reads_each_briefing_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "archive"
    make_corpus(root, 40, seed=3)
    shutil.copytree(TEMPLATES, root / "templates")
    log = tmp_path / "reads"
    real = articles.read_text

    def read_text(path: Path, report: Report, inside: Any = ()) -> str | None:
        with log.open("a") as out:  # appended from both processes
            out.write(f"{path}\n")
        return real(path, report, inside)

    monkeypatch.setattr(articles, "read_text", read_text)
    report, files, _, _ = _build(root, 2)
    assert files and not report.errors
    reads = log.read_text().splitlines()
    assert sorted(reads) == sorted(str(p) for p in (root / "content").rglob("*.md"))


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_workers_report_problems_as_one_process_does(tmp_path: Path, case: Path) -> None:
    """Every broken sample site: the same errors and warnings, in the same order."""
    root = copy_sample("basic", tmp_path / "site", templates=True)
    shutil.copytree(case / "content", root / "content", dirs_exist_ok=True, symlinks=True)
    one, files_one, _, _ = _build(root, 1)
    two, files_two, _, _ = _build(root, 2)
    assert one.items, "a broken site reports something"
    assert one.items == two.items
    assert files_one == files_two


def test_a_template_error_in_a_worker_is_reported_once_as_in_one_process(tmp_path: Path) -> None:
    root = copy_sample("basic", tmp_path / "site", templates=True)
    page = root / "templates" / "briefing.html"
    page.write_text(page.read_text().replace("{{ page.title }}</h1>", "{{ page.nothing }}</h1>"))
    one = _build(root, 1)[0]
    two = _build(root, 2)[0]
    errors = [e for e in one.errors if "template error" in e.message]
    assert len(errors) == 1 and errors[0].path == "templates/briefing.html", one.items
    assert "first seen rendering /en/briefings/" in errors[0].hint
    assert one.items == two.items


def _in_a_worker(parent: int, then: Any) -> Any:
    """`render_html._render_page`, doing `then()` first when called in a forked worker; slowed
    down here, so that the worker surely gets pages to render."""
    real = render_html._render_page

    def render(*args: Any, **kwargs: Any) -> bytes:
        if os.getpid() != parent:
            then()
        else:
            time.sleep(0.02)
        return real(*args, **kwargs)

    return render


def test_an_exception_in_a_worker_is_raised_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_sample("basic", tmp_path / "site", templates=True)

    def fail() -> None:
        raise LookupError("broken in the worker")

    monkeypatch.setattr(render_html, "_render_page", _in_a_worker(os.getpid(), fail))
    with pytest.raises(LookupError, match="broken in the worker") as raised:
        _build(root, 2)
    assert any("in a forked build worker" in note for note in raised.value.__notes__)
    assert not (root / "site").exists()  # nothing published


def test_a_worker_that_dies_is_reported_and_nothing_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_sample("basic", tmp_path / "site", templates=True)

    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(render_html, "_render_page", _in_a_worker(os.getpid(), die))
    with pytest.raises(forked.WorkerDied, match="killed by SIGKILL"):
        _build(root, 2)
    assert not (root / "site").exists()


def test_progress_counts_the_pages_of_every_process(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    shares = forked.run(40, 2, _count_chunks, lambda n: seen.append((n, 40)))
    assert sorted(c for share in shares for c in share) == list(range(40))
    assert seen[-1] == (40, 40) and all(a <= b for (a, _), (b, _) in itertools.pairwise(seen))


def _count_chunks(numbers: Any, done: Any) -> list[int]:
    taken = []
    for n in numbers:
        taken.append(n)
        done(len(taken))
    return taken


# A build whose workers each print their pid and then work for a minute; the test kills the
# build itself, as `kill -9` or the out-of-memory killer would.
_KILLED_BUILD = r"""
import os, sys, time
sys.path.insert(0, sys.argv[1])
from builder import forked

PARENT = os.getpid()

def work(chunks, done):
    for n in chunks:  # one chunk each: every process sleeps on the first it takes
        if os.getpid() != PARENT:
            os.write(1, f"{os.getpid()}\n".encode())  # one write: the children run at once
        time.sleep(60)

forked.run(3, 3, work)
"""


def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    script = tmp_path / "build.py"
    script.write_text(_KILLED_BUILD)
    repo = str(Path(__file__).resolve().parents[1])
    proc = subprocess.Popen([sys.executable, str(script), repo], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    workers = {int(proc.stdout.readline()) for _ in range(2)}
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    alive = set(workers)
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if _running(pid)}
        time.sleep(0.05)
    assert not alive, f"workers {sorted(alive)} outlived the killed build"


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for its (dead) parent's reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_jobs_beyond_the_cores_fork_at_most_two_processes_per_core(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli,  # type: ignore[no-untyped-def]
) -> None:
    """`--jobs 64` on this machine: each forked stage (front-matter parsed ahead, then the
    pages) runs at most PER_CORE processes per core, this one included (it forked 63 children
    each); the site is the one a single process makes, and the command line says what it did."""
    root = copy_sample("basic", tmp_path / "basic", templates=True)
    single = _build(root, 1)
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:  # counted in this process only
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    report, files, _, _ = _build(root, 64)
    most = forked.PER_CORE * forked.cores()
    assert 0 < len(forks) <= 2 * (most - 1)
    assert files == single[1] and report.items == single[0].items
    # A run with fewer chunks than processes forks one child per chunk beyond its own.
    forks.clear()
    assert len(forked.run(2, most, lambda numbers, done: list(numbers))) == 2
    assert len(forks) == 1
    # The command line says so once, before the build.
    code, _, err = cli("build", "--jobs", "1000", "--root", str(root), "--no-pdf", "--no-search")
    assert code == 0
    assert err.startswith(f"briefings: --jobs 1000: using {most} processes (2 for each of the")


@pytest.mark.parametrize("count", [1, 23, 24, 500, 4571, 20011])
@pytest.mark.parametrize("jobs", [2, 3, 8])
def test_chunks_cover_the_plan_once_in_order_largest_first(count: int, jobs: int) -> None:
    chunks = render_share._chunks(count, jobs)
    assert [i for chunk in chunks for i in chunk] == list(range(count))
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True)
    assert all(size >= render_share.SMALLEST for size in sizes[:-1])
    if count >= 500:
        # the first is a large share, for neighbours' shared figures; the last ones are small,
        # so no process is left alone with a large chunk at the end
        assert sizes[0] == -(-count // (render_share.SHARE * jobs))
        assert max(sizes[-jobs:]) <= max(render_share.SMALLEST, count // 100)
