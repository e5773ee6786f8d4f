"""The worker pool: a digest that runs too long or uses too much memory is stopped and reported;
the others complete. The workers are real forked processes; only what they run is replaced."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import pytest

from builder import digest_pool
from builder.cache import DigestCache
from builder.render_pdf import PdfJob, PdfResult


def _job(name: str) -> PdfJob:
    return PdfJob(name, "<p>x</p>", "file:///nonexistent/", (), b"0" * 16)


def _fake_render(job: PdfJob) -> PdfResult:
    if job.name == "slow":
        time.sleep(30)
    if job.name == "greedy":
        # Resident memory, not just address space: every page written, over the 64 MB budget.
        hog = b"\x01" * (512 * 1024 * 1024)
        time.sleep(30)
        del hog
    if job.name == "crash":
        os._exit(3)  # dies without a word, as when the kernel kills it
    return PdfResult(job.name, b"%PDF-fake " + job.name.encode(), 1)


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> None:
    # Workers are forked, so they run the patched function.
    monkeypatch.setattr(digest_pool.rp, "render_pdf", _fake_render)


@pytest.mark.usefixtures("fake_render")
def test_slow_greedy_and_crashing_digests_are_reported_others_complete() -> None:
    names = ["a", "slow", "greedy", "crash", "b"]
    jobs = [(_job(n), f"key-{n}") for n in names]
    started = time.monotonic()
    results = digest_pool.run(
        jobs, DigestCache(None), digest_pool.Limits(timeout=2, memory_mb=64, workers=3)
    )
    assert time.monotonic() - started < 10
    by_name = {r.name: r for r in results}
    assert [r.name for r in results] == names  # in the order asked, whatever finished first
    assert by_name["a"].ok and by_name["b"].ok
    assert by_name["a"].pdf == b"%PDF-fake a"
    assert "stopped after 2 s" in by_name["slow"].problems[0].message
    assert "more than 64 MB" in by_name["greedy"].problems[0].message
    assert "died (exit status 3)" in by_name["crash"].problems[0].message
    assert not any(r.ok for r in (by_name["slow"], by_name["greedy"], by_name["crash"]))


@pytest.mark.usefixtures("fake_render")
def test_cache_serves_what_it_stored(tmp_path: Path) -> None:
    limits = digest_pool.Limits(timeout=10)
    cache = DigestCache(tmp_path / "cache")
    first = digest_pool.run([(_job("a"), "k1")], cache, limits)
    assert cache.misses == ["a"] and cache.hits == []
    again = DigestCache(tmp_path / "cache")
    second = digest_pool.run([(_job("a"), "k1")], again, limits)
    assert again.hits == ["a"] and second[0].pdf == first[0].pdf


@pytest.mark.usefixtures("fake_render")
def test_progress_is_reported_after_every_digest_cached_or_rendered(tmp_path: Path) -> None:
    cache = DigestCache(tmp_path / "cache")
    limits = digest_pool.Limits(timeout=10, workers=2)
    digest_pool.run([(_job("a"), "k1")], cache, limits)
    seen: list[digest_pool.Progress] = []
    jobs = [(_job(n), f"k-{n}") for n in ("b", "c", "d")] + [(_job("a"), "k1")]
    digest_pool.run(jobs, DigestCache(tmp_path / "cache"), limits, progress=seen.append)
    counts = [(p.done, p.total, p.cached) for p in seen]
    assert counts == [(1, 4, 1), (2, 4, 1), (3, 4, 1), (4, 4, 1)]
    assert all(a.elapsed <= b.elapsed for a, b in itertools.pairwise(seen))


def test_a_real_render_under_the_memory_limit_keeps_pango_threads(tmp_path: Path) -> None:
    """The old RLIMIT_AS cap starved the threads Pango starts (GLib-ERROR: creating thread).
    The limit is now on resident memory: a Chinese page renders with a small budget, and the
    worker reports its peak."""
    html = "<html lang='zh'><body>" + "<p>姜堰区召开新型工业化推进会。</p>" * 200 + "</body></html>"
    job = PdfJob("digests/zh/t.pdf", html, tmp_path.as_uri() + "/", (str(tmp_path),), b"0" * 16)
    (result,) = digest_pool.run(
        [(job, "k")], DigestCache(None), digest_pool.Limits(timeout=60, memory_mb=200)
    )
    assert result.pdf is not None and result.pages >= 2, result.problems
    assert 0 < result.peak_rss < 2**31


def test_workers_leave_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint copies each @font-face font into a temporary folder per document and deletes it
    only when the font configuration is collected, which a worker's exit never does (3,500
    digests once left 74 GB in /tmp). A real render with the digest fonts, a worker stopped for
    time and one that crashes: nothing of theirs stays in the temporary folder, and a scratch
    folder of a build that was killed is removed by the next run."""
    from builder import fonts

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(digest_pool.tempfile, "tempdir", str(temp))
    dead = temp / f"{digest_pool.SCRATCH_PREFIX}999999999-abc"  # no such process
    (dead / "weasyprint-x").mkdir(parents=True)
    files = fonts.ensure(fonts.cache_folder(Path(__file__).resolve().parents[1]))
    html = "<html lang='zh'><body><p>姜堰区制造业年产值突破1000亿元。</p></body></html>"
    folders = tuple(dict.fromkeys(str(p.parent) for p in files.values()))
    real = PdfJob(
        "digests/zh/real.pdf",
        html,
        tmp_path.as_uri() + "/",
        (str(tmp_path), *folders),
        b"0" * 16,
        font_css=fonts.face_css(files),
        font_files=tuple(str(p) for p in files.values()),
    )
    (result,) = digest_pool.run([(real, "k")], DigestCache(None), digest_pool.Limits(timeout=60))
    assert result.pdf is not None, result.problems
    assert list(temp.iterdir()) == [], "a real render left files behind"

    monkeypatch.setattr(digest_pool.rp, "render_pdf", _fake_render)
    results = digest_pool.run(
        [(_job("slow"), "s"), (_job("crash"), "c")],
        DigestCache(None),
        digest_pool.Limits(timeout=1, workers=2),
    )
    assert all(r.pdf is None for r in results)
    assert list(temp.iterdir()) == [], "a stopped or crashed worker left files behind"
