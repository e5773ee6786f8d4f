"""Cold, warm and incremental builds give byte-identical sites (deps.py, memo.py, buildcache.py).

Each step edits a source of a copy of the basic sample site, builds it with the caches of the
builds before (on disk, as `briefings build` does; in memory, as the preview does) and compares
every file with a cold build of the same sources made without any cache.
"""

from __future__ import annotations

import dataclasses
import marshal
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from builder import render_share, urls
from builder.buildcache import SourceCache
from builder.memo import MemoryMemo
from builder.pipeline import build, source_cache
from builder.publish import MARKER
from tests.conftest import copy_sample, options

ALPHA = "content/articles/2024/alpha.md"
ALPHA_ZH = "content/articles/2024/alpha.zh.md"
TITLE = "Alpha district aims for a larger factory sector"

# (file, text to replace, replacement): each step is one save an editor could make.
EDITS = [
    (ALPHA, TITLE, "Alpha district widens its factory plans"),
    (ALPHA_ZH, "---\n", "---\n"),  # touched, not changed: nothing may differ
    ("content/articles/2023/beta.md", "date: 2023-08-03", "date: 2023-12-03"),  # reorders lists
    # a figure: the briefing's glance box, the region tables, the charts and the downloads
    ("content/articles/2023/beta.md", "value: 9.2", "value: 9.4"),
    ("content/indicators.yaml", "{en: Growth,", "{en: Output growth,"),
    ("templates/_figures.html", '<table class="figures">', '<table class="figures grouped">'),
    ("content/topics.yaml", "{en: Manufacturing,", "{en: Factories,"),
    ("content/regions.yaml", "{en: Taizhou,", "{en: Taizhou City,"),
    ("templates/_macros.html", '<ul class="cards">', '<ul class="cards list">'),
    ("templates/locale/en/LC_MESSAGES/messages.po", 'msgstr "Key figures"', 'msgstr "Figures"'),
    ("templates/static/style.css", "body { margin: 0; }", "body { margin: 0; padding: 0; }"),
]


def _files(folder: Path) -> dict[str, bytes]:
    """The site's files; publish's marker is not an output (the preview has none), but a
    published site must hold it."""
    assert (folder / MARKER).is_file(), f"{folder} has no {MARKER}"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def _apply(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _cold(root: Path, tmp: Path) -> dict[str, bytes]:
    """The same sources built from nothing: copied away, no cache at all."""
    fresh = tmp / "cold"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root / "content", fresh / "content")
    shutil.copytree(root / "templates", fresh / "templates")
    build(dataclasses.replace(options(fresh, pdf=False, search=False), cache=False, jobs=1))
    return _files(fresh / "site")


@pytest.mark.parametrize("where", ["disk", "memory", "disk, workers"])
def test_builds_after_edits_match_a_cold_build(
    tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`disk, workers`: the first build renders its pages in two processes (render_share.py),
    and the builds after it reuse what they made; the reference is one process without cache."""
    root = copy_sample("basic", tmp_path / "root", templates=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    opts = options(root, pdf=False, search=False)
    if where == "disk, workers":
        monkeypatch.setattr(render_share, "PARALLEL_FROM", 1)
        opts = dataclasses.replace(opts, jobs=2)
    memo = MemoryMemo() if where == "memory" else None
    sources: SourceCache | None = source_cache(opts) if where == "memory" else None

    def warm() -> dict[str, bytes]:
        result = build(opts, sources, memo)
        if where == "memory":
            return result.outputs
        return _files(root / "site")

    first = warm()
    assert first == _cold(root, tmp_path)
    again = warm()  # nothing changed
    assert again == first
    if memo is not None:
        reused, rendered = memo.last
        assert rendered == 0 and reused > 20, memo.last
    for file, old, new in EDITS:
        _apply(root, file, old, new)
        got = warm()
        expected = _cold(root, tmp_path)
        assert sorted(got) == sorted(expected), f"after editing {file}"
        for name, data in expected.items():
            assert got[name] == data, f"{name} differs from a cold build after editing {file}"


def test_an_edit_reaches_every_listing(tmp_path: Path) -> None:
    root = copy_sample("basic", tmp_path / "root", templates=True)
    opts = options(root, pdf=False, search=False)
    memo, sources = MemoryMemo(), source_cache(opts)
    build(opts, sources, memo)
    _apply(root, ALPHA, TITLE, "Alpha district widens its factory plans")
    out = build(opts, sources, memo).outputs
    reused, rendered = memo.last
    assert rendered > 0 and reused > 0, memo.last  # the briefing and its listings, not all
    for page in [
        "en/briefings/2024/alpha/index.html",
        "en/index.html",
        "en/regions/jiangsu/index.html",
        "en/regions/jiangsu/taizhou-jiangsu/jiangyan/index.html",
        "en/topics/manufacturing/index.html",
        "en/archive/2024/index.html",
        "en/feed.xml",
        "zh/regions/jiangsu/index.html",  # alpha's zh translation lists its own title there
    ]:
        text = out[page].decode("utf-8")
        expect = "Alpha district widens" if page.startswith("en/") else "stale"
        if page.startswith("zh/"):
            # the translation is now stale: its page is re-rendered with the badge
            text = out["zh/briefings/2024/alpha/index.html"].decode("utf-8")
        assert expect in text, page


def test_an_unchanged_site_is_not_rewritten_and_a_damaged_one_is_repaired(tmp_path: Path) -> None:
    root = copy_sample("basic", tmp_path / "root", templates=True)
    opts = options(root, pdf=False, search=False)
    build(opts)
    page = root / "site/en/index.html"
    good, inode = page.read_bytes(), page.stat().st_ino
    build(opts)
    assert page.stat().st_ino == inode  # nothing changed: the site was left as it was
    page.write_bytes(b"edited by hand")
    (root / "site/stray.txt").write_text("left behind")
    build(opts)
    assert page.read_bytes() == good
    assert not (root / "site/stray.txt").exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"not marshal at all",
        b"",
        marshal.dumps((("briefings-build-cache", 1, "another version"), {}, {})),
        marshal.dumps(("a tuple", "of the wrong shape")),
    ],
)
def test_corrupt_or_foreign_caches_are_discarded(tmp_path: Path, damage: bytes) -> None:
    root = copy_sample("basic", tmp_path / "root", templates=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    opts = options(root, pdf=False, search=False)
    build(opts)
    expected = _files(root / "site")
    cache = root / ".cache" / "build"
    for name in ("sources.marshal", "outputs.marshal"):
        (cache / name).write_bytes(damage)
    for jinja in (cache / "jinja").iterdir():
        jinja.write_bytes(damage)
    (root / "site" / "en" / "index.html").write_bytes(b"stale page")
    sources = SourceCache(cache)
    assert sources.discarded in ("corrupt", "made by another version")
    build(opts)
    assert _files(root / "site") == expected


def test_poisoned_entries_of_the_right_version_are_not_trusted_blindly(tmp_path: Path) -> None:
    """An entry whose text hash matches but whose shape is wrong is parsed again, not used."""
    root = copy_sample("basic", tmp_path / "root", templates=True)
    opts = options(root, pdf=False, search=False)
    build(opts)
    expected = _files(root / "site")
    path = root / ".cache" / "build" / "sources.marshal"
    header, front, bodies = marshal.loads(path.read_bytes())
    front = {key: ("wrong", "shape") for key in front}
    bodies = {key: ("<p>injected</p>", (), ((str(root / "nowhere.md"), "/x/"),)) for key in bodies}
    path.write_bytes(marshal.dumps((header, front, bodies)))
    build(dataclasses.replace(opts, out=tmp_path / "again"))
    assert _files(tmp_path / "again") == expected


def test_a_cached_body_still_reports_a_link_to_a_heading_that_is_gone(tmp_path: Path) -> None:
    """alpha links ../2023/beta.md#background. Renaming beta's heading leaves alpha's text, so
    its rendered body comes from the build cache; the link must be an error all the same."""
    from builder.errors import BuildFailed

    root = copy_sample("basic", tmp_path / "project")
    opts = options(root, out=root / "site", pdf=False, search=False)
    build(opts)  # fills the build cache
    beta = root / "content/articles/2023/beta.md"
    beta.write_text(beta.read_text().replace("## Background", "## Context"))
    sources = source_cache(opts)
    with pytest.raises(BuildFailed) as failed:
        build(opts, sources)
    assert sources.hits > 0  # alpha's body came from the cache
    assert [line for line in failed.value.report.lines() if ": error: " in line] == [
        "content/articles/2024/alpha.md:36:34: error: no heading '#background' in "
        "'../2023/beta.md#background' (its headings: #context)"
    ]


# Saves the preview patches without the whole build (incremental.py), then saves that need it.
BETA = "content/articles/2023/beta.md"
PREVIEW_EDITS = [
    (ALPHA, TITLE, "Alpha district widens its factory plans", True),
    (ALPHA_ZH, "---\n", "---\n", True),  # touched, not changed
    (ALPHA, "value: 24.1", "value: 31.7", True),  # a figure: key-figure tables, not lists
    (BETA, "date: 2023-08-03", "date: 2023-12-03", True),  # reorders lists, same year
    # Zhejiang's only briefing moves: its pages, feeds and Taizhou's go (and the sitemap's links)
    (BETA, "region: taizhou-zhejiang", "region: jiangyan", True),
    (BETA, "region: jiangyan", "region: taizhou-jiangsu", True),  # between regions with others
    (BETA, "region: taizhou-jiangsu", "region: taizhou-zhejiang", False),  # back: pages come
    (BETA, "region: taizhou-zhejiang", "region: jiangyan", True),
    (BETA, "topics: [innovation, manufacturing]", "topics: [innovation]", True),  # topic counts
    (BETA, "## Background", "## Background and aims", True),  # alpha links #background: error
    (BETA, "## Background and aims", "## Background", True),  # fixed again
    (BETA, "date: 2023-12-03", "date: 2024-01-03", False),  # a new year: new URLs
    ("content/topics.yaml", "{en: Manufacturing,", "{en: Factories,", False),
    ("templates/_macros.html", '<ul class="cards">', '<ul class="cards list">', False),
]


@pytest.mark.parametrize("early", [False, True], ids=["plain", "handover"])
def test_preview_saves_match_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    """The preview's rebuilds (PreviewBuilder, given the saved paths as the watcher gives them)
    equal a cold build after every save; the saves of briefings take the incremental path.
    With the preview's Handover, the saved briefings' pages are rendered once, for the early
    hand-over, and kept byte for byte (they were rendered twice)."""
    from builder import render_html
    from builder.errors import BuildFailed
    from builder.incremental import Handover, PreviewBuilder
    from builder.pipeline import Run

    root = copy_sample("basic", tmp_path / "root", templates=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    opts = options(root, pdf=False, search=False, run=Run.PREVIEW)
    handed: list[dict[str, bytes]] = []
    handover = Handover(lambda files, held: handed.append(files), lambda held: None)
    preview = PreviewBuilder(opts, source_cache(opts), MemoryMemo(), handover if early else None)
    assert not preview.rebuild([]).incremental
    renders: Counter[str] = Counter()
    render_page = render_html._render_page

    def counted(renderer: Any, env: Any, page: Any, alts: Any, body: Any = None) -> bytes:
        renders[page.url] += 1
        return render_page(renderer, env, page, alts, body)

    monkeypatch.setattr(render_html, "_render_page", counted)
    for file, old, new, incremental in PREVIEW_EDITS:
        _apply(root, file, old, new)
        path = str((root / file).resolve())
        renders.clear()
        handed.clear()
        if "and aims" in new:
            with pytest.raises(BuildFailed) as failed:
                preview.rebuild([path])
            assert "no heading '#background'" in "\n".join(failed.value.report.lines())
            continue
        done = preview.rebuild([path])
        rendered = Counter(renders)  # this rebuild's, before the cold build below renders
        assert done.incremental == incremental, file
        got = done.result.outputs
        expected = _cold(root, tmp_path)
        assert sorted(got) == sorted(expected), f"after editing {file}"
        for name, data in expected.items():
            assert got[name] == data, f"{name} differs from a cold build after editing {file}"
        if incremental:
            assert 0 < done.rendered < len(got), (file, done.rendered)  # never all of them
            b = done.result.model.briefing(Path(file).name.split(".")[0])
            saved = {urls.briefing(lang, b) for lang in b.texts}  # its page in each language
            assert saved <= set(rendered), (file, sorted(rendered))
            assert {rendered[u] for u in saved} == {1}, (file, rendered)
            if early:  # handed over before the lists, and served as handed over
                (files,) = handed
                for url in saved:
                    target = urls.output_path(url)
                    assert files[target] == got[target]


def test_a_failed_save_stays_pending_until_a_build_succeeds(tmp_path: Path) -> None:
    """Two saves, the first bad: the second save's rebuild still reloads the first file."""
    from builder.errors import BuildFailed
    from builder.incremental import PreviewBuilder
    from builder.pipeline import Run

    root = copy_sample("basic", tmp_path / "root", templates=True)
    opts = options(root, pdf=False, search=False, run=Run.PREVIEW)
    preview = PreviewBuilder(opts, source_cache(opts), MemoryMemo())
    preview.rebuild([])
    _apply(root, BETA, "region: taizhou-zhejiang", "region: nowhere-at-all")
    with pytest.raises(BuildFailed) as failed:
        preview.rebuild([str((root / BETA).resolve())])
    assert "unknown region 'nowhere-at-all'" in "\n".join(failed.value.report.lines())
    _apply(root, BETA, "region: nowhere-at-all", "region: jiangyan")
    _apply(root, ALPHA, TITLE, "Alpha district widens its factory plans")
    done = preview.rebuild([str((root / ALPHA).resolve())])  # the watcher names alpha only
    assert done.incremental
    assert done.result.outputs == _cold(root, tmp_path)
